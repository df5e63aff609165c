// Port of twisted.python.log's msg, err, startLogging and FileLogObserver (Twisted 22.4).
// Covered by spec/log/log.spec.ts and spec/log/format.spec.ts.
import { Failure, isFailure, type TextStream } from '../failure/failure.js';
import { NoCurrentExceptionError } from '../failure/errors.js';
import { inspect, types as utilTypes } from 'node:util';
import type { LogEvent } from './event.js';
import { formatEvent } from './format.js';
import { addObserver, publish, removeObserver } from './observers.js';

/**
 * Log a message: the parts are joined with spaces by text observers.
 * Port of `twisted.python.log.msg`.
 *
 * @param parts - anything; a text observer shows each with `safeString` (an Error by its message).
 * @example
 * ```ts
 * msg('connection from', '10.0.0.1', 'port', 8080);
 * ```
 */
export function msg(...parts: unknown[]): void {
  publish({ message: parts, isError: false, time: Date.now() / 1000, system: '-' });
}

/**
 * Log an error.
 *
 * Port of `twisted.python.log.err`. A Failure is logged as it is and an Error (any
 * `instanceof Error` or native error) is wrapped in a new Failure: the event has `failure` and
 * `why`, and a text observer prints `why` (or "Unhandled Error") and the traceback. Any other
 * value is logged, as Python does, as an error event whose message is that value's inspected
 * text, without a failure.
 *
 * @param failureOrError - the Failure or Error to log.
 * @param why - what was going on, shown above the traceback.
 * @throws NoCurrentExceptionError when called with no argument at all (Python's `log.err()`
 *   logs the exception being handled; JavaScript has none to pick up).
 * @example
 * ```ts
 * try { JSON.parse('{'); } catch (e) { err(e, 'reading the config'); }
 * ```
 */
export function err(failureOrError?: unknown, why?: string): void {
  if (arguments.length === 0) throw new NoCurrentExceptionError('log.err() was called with no argument, and JavaScript has no current exception to log: pass the caught value, as in `catch (e) { log.err(e) }`');
  const time = Date.now() / 1000;
  let failure: Failure | undefined;
  if (isFailure(failureOrError)) failure = failureOrError;
  else if (failureOrError instanceof Error || utilTypes.isNativeError(failureOrError)) failure = new Failure(failureOrError);
  if (failure !== undefined) {
    const event: LogEvent = { message: [], isError: true, failure, time, system: '-' };
    if (why !== undefined) event.why = why;
    publish(event);
  } else {
    const event: LogEvent = { message: [inspect(failureOrError)], isError: true, time, system: '-' };
    if (why !== undefined) event.why = why;
    publish(event);
  }
}

/**
 * An observer that writes events to a text stream in Twisted's legacy layout
 * (`2026-11-25 04:42:13+0000 [-] text`, continuation lines indented by a tab).
 * Port of `twisted.python.log.FileLogObserver`.
 *
 * @example
 * ```ts
 * const observer = new FileLogObserver(process.stdout);
 * observer.start();
 * msg('hello');
 * observer.stop();
 * ```
 */
export class FileLogObserver {
  /** Where the text goes. */
  readonly stream: TextStream;
  /** The observer function itself (bound to this object): what `start` registers. */
  readonly emit: (event: LogEvent) => void;

  constructor(stream: TextStream) {
    this.stream = stream;
    this.emit = (event: LogEvent): void => {
      const text = formatEvent(event);
      if (text !== null) this.stream.write(text);
    };
  }

  /** Start observing the global log. Port of `FileLogObserver.start`. */
  start(): void {
    addObserver(this.emit);
  }

  /** Stop observing the global log. Port of `FileLogObserver.stop`. */
  stop(): void {
    removeObserver(this.emit);
  }
}

/**
 * Write every event to `stream` from now on, in Twisted's layout, and log "Log opened.".
 * Port of `twisted.python.log.startLogging` (without its stdout redirection).
 *
 * @param stream - any object with `write(text)`, e.g. `process.stdout`.
 * @returns the observer, whose `stop()` ends it.
 * @example
 * ```ts
 * const observer = startLogging(process.stdout); // 2026-11-25 04:42:13+0000 [-] Log opened.
 * observer.stop();
 * ```
 */
export function startLogging(stream: TextStream): FileLogObserver {
  const observer = new FileLogObserver(stream);
  observer.start();
  msg('Log opened.');
  return observer;
}
