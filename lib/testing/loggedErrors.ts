// Port of trial's logged-error bookkeeping (twisted.trial._synctest._LogObserver and
// SynchronousTestCase.flushLoggedErrors, Twisted 22.4), made usable from mocha or any runner with
// beforeEach/afterEach hooks. Covered by spec/testing/loggedErrors.spec.ts.
//
// How and why: trial observes the log during every test, keeps each error event's Failure, lets
// the test flush the ones it expects, and reports the rest as test errors. Here a capture is an
// explicit scope: captureLoggedErrors() opens one (in beforeEach), flushLoggedErrors(...types)
// takes expected errors out of the innermost open capture, and stopCapturingLoggedErrors()
// closes it (in afterEach), throwing UnflushedLoggedErrors if any are left. One log observer
// serves all captures and hands each error to the innermost one only, so nested scopes (a
// describe's hooks inside another's) do not see each other's errors. The capture stack is
// process-wide (processWide('loggedErrors')).
import type { Failure, FailureTypeMatcher } from '../failure/failure.js';
import { safeString } from '../failure/thrownValue.js';
import { addObserver, removeObserver } from '../log/observers.js';
import { type LogEvent } from '../log/event.js';
import { GcNotExposedError, NotCapturingLoggedErrorsError, UnflushedLoggedErrors } from './errors.js';
import { processWide } from '../internal/processWide.js';

interface CaptureState {
  stack: LoggedErrors[];
  observer: ((event: LogEvent) => void) | null;
}

const state: CaptureState = processWide('loggedErrors', () => ({ stack: [], observer: null }));

function observe(event: LogEvent): void {
  if (!event.isError || event.failure === undefined) return;
  const top = state.stack[state.stack.length - 1];
  if (top !== undefined) top._add(event.failure, event.why);
}

/**
 * One scope of captured log errors. Made by `captureLoggedErrors()`.
 * Port of trial's `_LogObserver` (its `flushErrors` and `getErrors`).
 *
 * @example
 * ```ts
 * const capture = captureLoggedErrors();
 * log.err(new RangeError('x'));
 * capture.flush(RangeError); // [<Failure RangeError: x>]
 * capture.stop();            // nothing left: does not throw
 * ```
 */
export class LoggedErrors {
  /** @internal the captured failures and their `why`, in logging order. */
  _entries: { failure: Failure; why: string | undefined }[];
  /** True until `stop()`. */
  active: boolean;

  constructor() {
    this._entries = [];
    this.active = false;
  }

  /** @internal called by the shared observer. */
  _add(failure: Failure, why: string | undefined): void {
    this._entries.push({ failure, why });
  }

  /**
   * The failures captured and not flushed yet, in logging order (a copy). Port of `getErrors`.
   *
   * @example
   * ```ts no-run
   * capture.errors.length; // how many are waiting to be flushed
   * ```
   */
  get errors(): Failure[] {
    return this._entries.map((e) => e.failure);
  }

  /**
   * Remove and return the captured failures that match `types` (all of them when none is given).
   * Port of trial's `flushLoggedErrors` / `_LogObserver.flushErrors`.
   *
   * @param types - as `Failure.check` takes them.
   * @returns the removed failures, in logging order.
   * @example
   * ```ts no-run
   * capture.flush(RangeError); // the RangeErrors logged so far
   * ```
   */
  flush(...types: FailureTypeMatcher[]): Failure[] {
    if (types.length === 0) {
      const all = this.errors;
      this._entries = [];
      return all;
    }
    const flushed: Failure[] = [];
    const remainder: { failure: Failure; why: string | undefined }[] = [];
    for (const e of this._entries) {
      if (e.failure.check(...types) !== null) flushed.push(e.failure);
      else remainder.push(e);
    }
    this._entries = remainder;
    return flushed;
  }

  /**
   * Close this capture. With `assert` (the default), throw UnflushedLoggedErrors when errors were
   * logged and not flushed; the capture is closed either way. Port of `_LogObserver._remove`
   * plus trial's report of the errors left.
   *
   * @returns the unflushed failures (when `assert` is false or there are none).
   * @throws UnflushedLoggedErrors when `assert` is true and errors are left.
   * @example
   * ```ts no-run
   * const leftovers = capture.stop(false); // close without failing
   * ```
   */
  stop(assert = true): Failure[] {
    if (this.active) {
      this.active = false;
      const i = state.stack.lastIndexOf(this);
      if (i >= 0) state.stack.splice(i, 1);
      if (state.stack.length === 0 && state.observer !== null) {
        removeObserver(state.observer);
        state.observer = null;
      }
    }
    const left = this._entries;
    this._entries = [];
    if (assert && left.length > 0) {
      const parts = left.map((e, k) => `[${k + 1}] ${e.why ? `${safeString(e.why)}\n` : ''}${e.failure.getTraceback()}`);
      throw new UnflushedLoggedErrors(
        `${left.length} error${left.length === 1 ? ' was' : 's were'} logged and not flushed ` +
          `(a test that expects them calls flushLoggedErrors(...types)):\n${parts.join('\n')}`,
        left.map((e) => e.failure),
      );
    }
    return left.map((e) => e.failure);
  }
}

/**
 * Start capturing errors logged through twistless/log (`log.err`, unhandled errors in Deferreds,
 * exceptions from delayed calls): they are kept instead of printed. Captures nest; errors go to
 * the innermost one. Call it in `beforeEach`, and `stopCapturingLoggedErrors()` in `afterEach`.
 *
 * Port of the start of trial's per-test log observation (`twisted.trial._synctest._LogObserver._add`).
 *
 * @returns the new capture.
 * @example
 * ```ts no-run
 * beforeEach(() => { captureLoggedErrors(); });
 * afterEach(() => { stopCapturingLoggedErrors(); });
 * ```
 */
export function captureLoggedErrors(): LoggedErrors {
  const capture = new LoggedErrors();
  capture.active = true;
  state.stack.push(capture);
  if (state.observer === null) {
    state.observer = observe;
    addObserver(observe);
  }
  return capture;
}

/**
 * Remove and return the errors logged so far in the innermost capture that match `types` (all of
 * them when no type is given). Port of `twisted.trial.unittest.SynchronousTestCase.flushLoggedErrors`.
 *
 * @param types - as `Failure.check` takes them.
 * @returns the flushed failures, in logging order.
 * @throws NotCapturingLoggedErrorsError when no capture is active.
 * @example
 * ```ts no-run
 * log.err(new RangeError('x'));
 * expect(flushLoggedErrors(RangeError)).to.have.length(1);
 * ```
 */
export function flushLoggedErrors(...types: FailureTypeMatcher[]): Failure[] {
  const top = state.stack[state.stack.length - 1];
  if (top === undefined) throw new NotCapturingLoggedErrorsError('flushLoggedErrors');
  return top.flush(...types);
}

/**
 * Close the innermost capture and throw UnflushedLoggedErrors if errors were logged in it and not
 * flushed, as trial fails a test that leaves logged errors behind.
 *
 * Port of the end of trial's per-test log observation (`_LogObserver._remove` and the test error trial reports for errors left).
 *
 * @throws UnflushedLoggedErrors listing each error's `why` and traceback.
 * @throws NotCapturingLoggedErrorsError when no capture is active.
 * @example
 * ```ts
 * afterEach(() => { stopCapturingLoggedErrors(); });
 * ```
 */
export function stopCapturingLoggedErrors(): void {
  const top = state.stack[state.stack.length - 1];
  if (top === undefined) throw new NotCapturingLoggedErrorsError('stopCapturingLoggedErrors');
  top.stop(true);
}

/**
 * Hook registration functions, e.g. mocha's (or node:test's) global `beforeEach`/`afterEach`.
 * No Python counterpart: stands for trial's own per-test set-up and tear-down.
 */
export interface TestHooks {
  beforeEach(fn: () => void): unknown;
  afterEach(fn: () => void): unknown;
}

/**
 * Register hooks that capture logged errors around every test of the current suite and fail a
 * test that leaves unflushed errors: trial's behaviour in one line.
 *
 * Port of what `twisted.trial.unittest.SynchronousTestCase` does around every test with its `_LogObserver`.
 *
 * @param hooks - the runner's `{ beforeEach, afterEach }`.
 * @example
 * ```ts no-run
 * describe('my protocol', () => {
 *   installLoggedErrorHooks({ beforeEach, afterEach });
 *   it('logs a failure', () => { ...; expect(flushLoggedErrors(RangeError)).to.have.length(1); });
 * });
 * ```
 */
export function installLoggedErrorHooks(hooks: TestHooks): void {
  let capture: LoggedErrors | null = null;
  hooks.beforeEach(() => {
    capture = captureLoggedErrors();
  });
  hooks.afterEach(() => {
    const c = capture;
    capture = null;
    if (c !== null) c.stop(true);
  });
}

/**
 * Run the garbage collector and let a few event-loop turns pass, so that Deferreds dropped while
 * holding a failure report "Unhandled error in Deferred:" now (twistless reports them from a
 * FinalizationRegistry).
 *
 * Stands for the `gc.collect()` of trial's `--force-gc` option.
 *
 * @param turns - how many gc + setImmediate rounds (default 3).
 * @throws GcNotExposedError when node runs without `--expose-gc`.
 * @example
 * ```ts
 * await collectGarbage();
 * flushLoggedErrors(SyntaxError); // the failure of a Deferred dropped unhandled
 * ```
 */
export async function collectGarbage(turns = 3): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') throw new GcNotExposedError();
  for (let i = 0; i < turns; i++) {
    gc();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
