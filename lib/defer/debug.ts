// Port of twisted.internet.defer's debugging support (Twisted 22.4): setDebugging/getDebugging,
// DebugInfo, and the report of a Deferred garbage-collected while holding an unhandled Failure.
// Covered by spec/defer/alreadyCalled.spec.ts and spec/defer/log.spec.ts.
//
// How and why: Twisted keeps a `DebugInfo` beside each Deferred that has failed (or was created
// while debugging was on) and logs its Failure from `DebugInfo.__del__`. JavaScript has no
// destructor, so the DebugInfo is registered with a FinalizationRegistry whose target is the
// Deferred: the registry holds the DebugInfo strongly and the Deferred weakly. The DebugInfo
// never points back at its Deferred, so the Deferred can be collected; when it is, the registry
// hands us the DebugInfo and, if it still holds a Failure, we log it.
//
// V8 collects late, and often never before a short program ends, where CPython frees a dropped
// Deferred at once. So each DebugInfo that records a Failure is also kept in `pending` (a
// DebugInfo holds no Deferred, so this keeps no Deferred alive), and on process exit every
// Failure still recorded there is reported the same way, once. A Deferred that succeeds never
// gets a DebugInfo (unless debugging is on), so success costs nothing here.

import type { Failure } from '../failure/failure.js';
import { err as logErr } from '../log/log.js';
import { describe as describeValue } from '../internal/describe.js';
import { processWide } from '../internal/processWide.js';
import { InvalidOptionsError } from './errors.js';

/** Process-wide state of the defer module (one per process, however twistless was loaded). */
interface DeferState {
  debug: boolean;
  registry: FinalizationRegistry<DebugInfo>;
  /** DebugInfos that have recorded a Failure, till their Deferred is collected. */
  pending: Set<DebugInfo>;
  /** True once the process exit report is hooked. */
  exitHooked: boolean;
}

function collected(info: DebugInfo): void {
  state.pending.delete(info);
  reportUnhandled(info);
}

function reportUnhandled(info: DebugInfo): void {
  const failure = info.failResult;
  if (failure === null) return;
  info.failResult = null;
  // Marked handled after the chain stopped on it (by a helper that inspected the result, say):
  // someone took responsibility for it, as when it is marked before (see Failure.handled).
  if (failure.handled) return;
  const tracebacks = info.getDebugTracebacks();
  logErr(failure, tracebacks === '' ? 'Unhandled error in Deferred:' : `Unhandled error in Deferred:\n(debug: ${tracebacks})`);
}

/** The shared state, one per process (see lib/internal/processWide.ts). */
export const state: DeferState = processWide<DeferState>('defer.state', () => ({
  debug: false,
  registry: new FinalizationRegistry<DebugInfo>((info) => collected(info)),
  pending: new Set(),
  exitHooked: false,
}));

/** Report, once each, every Failure still recorded as unhandled: the process exit report. */
export function reportPending(): void {
  const pending = state.pending;
  for (const info of pending) {
    pending.delete(info);
    reportUnhandled(info);
  }
}

/**
 * `failure` is the unhandled Failure a Deferred's chain stopped on: keep it in `info` for the
 * garbage-collection report and in `pending` for the exit report.
 */
export function recordUnhandled(info: DebugInfo, failure: Failure): void {
  info.failResult = failure;
  state.pending.add(info);
  if (!state.exitHooked) {
    state.exitHooked = true;
    if (typeof process === 'object' && process !== null && typeof process.on === 'function') process.on('exit', reportPending);
  }
}

/**
 * Debugging record of one Deferred: its unhandled Failure (if any) and, while debugging is on,
 * the stacks where it was created and first fired. Port of `twisted.internet.defer.DebugInfo`.
 * It must never reference its Deferred (see the header).
 */
export class DebugInfo {
  /** The Failure the Deferred's chain ended on, or null once something consumed it. */
  failResult: Failure | null;
  /** Formatted stack of the Deferred's creation (debug mode only). */
  creator: string | null;
  /** Formatted stack of the first callback()/errback() (debug mode only). */
  invoker: string | null;
  constructor(creator: string | null) {
    this.failResult = null;
    this.creator = creator;
    this.invoker = null;
  }

  /** Twisted's `_getDebugTracebacks`: ` C:` lines for the creator, ` I:` lines for the invoker. */
  getDebugTracebacks(): string {
    let info = '';
    if (this.creator !== null) info += ' C: Deferred was created:\n C:' + this.creator.replace(/\n/g, '\n C:') + '\n';
    if (this.invoker !== null) info += ' I: First Invoker was:\n I:' + this.invoker.replace(/\n/g, '\n I:') + '\n';
    return info;
  }
}

/** Make a DebugInfo for `deferred` and register it to be reported when `deferred` is collected. */
export function newDebugInfo(deferred: object, creator: string | null): DebugInfo {
  const info = new DebugInfo(creator);
  state.registry.register(deferred, info);
  return info;
}

/**
 * The current stack as text, without the frames above and including `above` (a function on the
 * stack), one frame per line, oldest frame last as V8 prints it.
 */
export function captureStack(above: (...args: never[]) => unknown): string {
  const holder: { stack?: string } = {};
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = 50;
  Error.captureStackTrace(holder, above);
  Error.stackTraceLimit = saved;
  const text = holder.stack ?? '';
  const nl = text.indexOf('\n');
  return (nl < 0 ? '' : text.slice(nl + 1)).replace(/\s+$/, '');
}

/**
 * Turn Deferred debugging on or off. While it is on, each new Deferred records the stack that
 * created it and each first `callback()`/`errback()` records its caller's stack; an
 * `AlreadyCalledError` then shows both, and an unhandled-error report includes them. It costs a
 * stack capture per Deferred, so leave it off in production.
 *
 * Port of `twisted.internet.defer.setDebugging`.
 *
 * @param on - true to record stacks from now on (or `{ on: true }`, the keyword form).
 * @throws InvalidOptionsError when `on` is neither a boolean nor `{ on: boolean }`.
 * @example
 * ```ts
 * setDebugging(true);
 * console.log(getDebugging()); // true
 * setDebugging(false);
 * ```
 */
export function setDebugging(on: boolean | { on: boolean }): void {
  const flag = typeof on === 'object' && on !== null && Object.keys(on).join() === 'on' ? on.on : on;
  if (typeof flag !== 'boolean') {
    throw new InvalidOptionsError(`setDebugging takes a boolean (or { on: boolean }), but got ${describeValue(on)}`, on);
  }
  state.debug = flag;
}

/**
 * Whether Deferred debugging is on. Port of `twisted.internet.defer.getDebugging`.
 *
 * @returns the flag last set by `setDebugging` (false at start).
 * @example
 * ```ts
 * console.log(getDebugging()); // false
 * ```
 */
export function getDebugging(): boolean {
  return state.debug;
}
