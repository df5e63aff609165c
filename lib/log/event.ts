// The log event of the port of twisted.python.log (Twisted 22.4). Covered by spec/log/log.spec.ts.
import type { Failure } from '../failure/failure.js';

/**
 * What an observer receives: a Twisted legacy event dict.
 * Port of the event dicts of `twisted.python.log` (`message`, `isError`, `failure`, `why`,
 * `time`, `system`).
 */
export interface LogEvent {
  /** The parts given to `msg(...parts)`; empty for `err()`. */
  message: unknown[];
  /** True for `err()` events. */
  isError: boolean;
  /** The Failure, for `err()` of a Failure or an Error. */
  failure?: Failure;
  /** Why the error happened (`err(failure, why)`), shown above the traceback. */
  why?: string;
  /** When, in seconds since the epoch (a float, Python's `time.time()`). */
  time: number;
  /** The subsystem that logged it; always `'-'` (Twisted's default, no per-call context here). */
  system: string;
}

/** A log observer: a function called with every event. Port of `ILogObserver` (legacy). */
export type LogObserver = (event: LogEvent) => void;
