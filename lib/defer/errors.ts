// Port of the error classes of twisted.internet.defer (Twisted 22.4) that the Deferred itself,
// inlineCallbacks and the option checks raise, plus the named errors twistless throws where
// Twisted uses a bare `assert`. The errors of DeferredList/gatherResults/race are in
// listErrors.ts, those of the locks and queues in concurrencyErrors.ts.
// Covered by spec/defer/errors.spec.ts, spec/defer/deferred.spec.ts and
// spec/defer/inlineCallbacks.spec.ts.

import { describe as describeValue } from '../internal/describe.js';

/**
 * Thrown when `callback()` or `errback()` is called on a Deferred that has already fired.
 *
 * Port of `twisted.internet.defer.AlreadyCalledError`. With `setDebugging(true)` the message
 * also holds the stack where the Deferred was created (lines starting ` C:`) and the stack of
 * its first invoker (lines starting ` I:`), in Twisted's layout.
 *
 * @example
 * ```ts
 * const d = succeed(1);
 * try { d.callback(2); } catch (e) { console.log((e as Error).name); } // AlreadyCalledError
 * ```
 */
export class AlreadyCalledError extends Error {
  /** The debugging text (creator and first-invoker stacks), or `''` when debugging was off. */
  readonly debugInfo: string;
  constructor(debugInfo = '') {
    super(
      'Deferred has already been called: callback() and errback() may each be called once, and only ' +
        'one of them. ' +
        (debugInfo === ''
          ? 'Call setDebugging(true) to see where it was created and first fired.'
          : 'Where it was created and first fired:\n' + debugInfo),
    );
    this.name = 'AlreadyCalledError';
    this.debugInfo = debugInfo;
  }
}

/**
 * The failure a Deferred gets when it is cancelled and its canceller did not fire it.
 *
 * Port of `twisted.internet.defer.CancelledError`.
 *
 * @example
 * ```ts
 * const d = new Deferred<number>();
 * d.addErrback((f) => { f.trap(CancelledError); return -1; });
 * d.cancel(); // d.result === -1
 * ```
 */
export class CancelledError extends Error {
  constructor(message = 'Deferred was cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

/**
 * The failure a Deferred gets from `addTimeout` when the timeout expires first.
 *
 * Port of `twisted.internet.defer.TimeoutError`. Twisted builds it as
 * `TimeoutError(timeout, "Deferred")`; those two values are kept as `timeout` and `what`
 * (and as `args`, like Python's exception args).
 *
 * @example
 * ```ts
 * const e = new TimeoutError(10, 'Deferred');
 * console.log(e.timeout, e.what); // 10 Deferred
 * ```
 */
export class TimeoutError extends Error {
  /** The timeout, in seconds, that expired. */
  readonly timeout: number | undefined;
  /** What timed out (`'Deferred'` for `addTimeout`). */
  readonly what: string | undefined;
  /** Python's exception args: `[timeout, what]`. */
  readonly args: readonly unknown[];
  constructor(timeout?: number, what?: string) {
    super(
      timeout === undefined
        ? 'Timed out'
        : `${what ?? 'Operation'} timed out after ${timeout} second${timeout === 1 ? '' : 's'}`,
    );
    this.name = 'TimeoutError';
    this.timeout = timeout;
    this.what = what;
    this.args = timeout === undefined ? [] : what === undefined ? [timeout] : [timeout, what];
  }
}

/**
 * Thrown by `callback()` (and `succeed()`, `execute()`) when the result given is itself a
 * Deferred. A Deferred is not a result: return it from a callback to wait on it, or use
 * `chainDeferred`. Port of the bare `AssertionError` Twisted raises here.
 *
 * @example
 * ```ts
 * try { new Deferred().callback(new Deferred()); } catch (e) { console.log((e as Error).name); }
 * // DeferredAsResultError
 * ```
 */
export class DeferredAsResultError extends TypeError {
  constructor(where = 'callback()') {
    super(
      `Cannot pass a Deferred to ${where}: a Deferred is not a result. To wait on it, return it ` +
        'from a callback (d.addCallback(() => other)), or forward its result with other.chainDeferred(d)',
    );
    this.name = 'DeferredAsResultError';
  }
}

/**
 * The failure a Deferred gets when one of its callbacks returns that same Deferred. Twisted
 * 22.4 only warns ("this breaks the callback chain and will raise an exception in the future")
 * and then hangs for ever; twistless makes it the failure, as Twisted does when warnings are errors.
 * Port of that `DeprecationWarning` ("Callback returned the Deferred it was attached to").
 *
 * @example
 * ```ts
 * const d = new Deferred<unknown>();
 * d.addCallback(() => d);
 * d.callback(1); // d.result is a Failure of CircularChainError
 * ```
 */
export class CircularChainError extends Error {
  constructor() {
    super(
      'Callback returned the Deferred it was attached to; this breaks the callback chain: ' +
        'return a value, or a different Deferred',
    );
    this.name = 'CircularChainError';
  }
}

/**
 * Thrown when something that is not a function is given where a callback, errback or canceller
 * is expected. Nothing is added to the chain. Port of the bare `AssertionError` Twisted raises
 * here (`assert callable(callback)` in `addCallbacks`).
 *
 * @example
 * ```ts
 * try { succeed(1).addCallback(42 as never); } catch (e) { console.log((e as Error).name); }
 * // InvalidCallbackError
 * ```
 */
export class InvalidCallbackError extends TypeError {
  /** The value that was given. */
  readonly value: unknown;
  constructor(method: string, role: string, value: unknown) {
    super(
      `${method} needs a function as its ${role}, but got ${describeValue(value)}: pass a function ` +
        '(to add only the other half, use addCallback or addErrback)',
    );
    this.name = 'InvalidCallbackError';
    this.value = value;
  }
}

/**
 * Thrown by `addTimeout` for a timeout that is negative, NaN or infinite. Nothing is scheduled.
 * No Python counterpart: Twisted passes the timeout on to `callLater`, where the reactor
 * asserts `delay >= 0` (an `AssertionError`) and `task.Clock` accepts anything.
 *
 * @example
 * ```ts
 * try { new Deferred().addTimeout(-1, clock); } catch (e) { console.log((e as Error).name); }
 * // InvalidTimeoutError
 * ```
 */
export class InvalidTimeoutError extends RangeError {
  /** The value that was given. */
  readonly value: unknown;
  constructor(value: unknown) {
    super(
      `addTimeout needs a timeout in seconds that is a finite number >= 0, but got ${describeValue(value)}: ` +
        'pass e.g. 10 or 0.5',
    );
    this.name = 'InvalidTimeoutError';
    this.value = value;
  }
}

/**
 * Thrown by `addTimeout` when its clock is not an `IReactorTime` (an object with `callLater`).
 * No Python counterpart: Twisted fails later with an `AttributeError` on `clock.callLater`.
 *
 * @example
 * ```ts
 * try { new Deferred().addTimeout(1, {} as never); } catch (e) { console.log((e as Error).name); }
 * // InvalidClockError
 * ```
 */
export class InvalidClockError extends TypeError {
  constructor(value: unknown) {
    super(
      `addTimeout needs an IReactorTime (an object with callLater(), such as reactor or a task.Clock), ` +
        `but got ${describeValue(value)}: pass one of those`,
    );
    this.name = 'InvalidClockError';
  }
}

/**
 * Thrown by `Deferred.fromPromise` when given something with no `then` method.
 * Twisted analog: `Deferred.fromCoroutine` raises `NotACoroutineError` for a non-coroutine
 * (and `fromFuture` an `AttributeError` for a non-future).
 *
 * @example
 * ```ts
 * try { Deferred.fromPromise(42 as never); } catch (e) { console.log((e as Error).name); }
 * // NotAPromiseError
 * ```
 */
export class NotAPromiseError extends TypeError {
  /** The value that was given. */
  readonly value: unknown;
  constructor(where: string, value: unknown) {
    super(`${where} needs a Promise or another thenable, but got ${describeValue(value)}: pass a promise, or use succeed(value) for a plain value`);
    this.name = 'NotAPromiseError';
    this.value = value;
  }
}

/**
 * Thrown by `new DeferredList(deferreds, options)` when `options` is not an object of the known
 * flags (`fireOnOneCallback`, `fireOnOneErrback`, `consumeErrors`), such as Python's positional
 * `True` or a misspelt name. Nothing is attached to any input.
 *
 * A twistless error: Twisted raises Python's `TypeError` for an unknown keyword.
 *
 * @example
 * ```ts no-run
 * try { new DeferredList([], { consumeError: true } as never); } catch (e) { console.log((e as Error).name); }
 * // InvalidOptionsError
 * ```
 */
export class InvalidOptionsError extends TypeError {
  /** The options object, or the offending value. */
  readonly value: unknown;
  constructor(message: string, value: unknown) {
    super(message);
    this.name = 'InvalidOptionsError';
    this.value = value;
  }
}

/**
 * Thrown by `ensureDeferred` for something that is neither a Deferred, a promise nor a
 * generator, and by an inlineCallbacks function whose body does not produce a generator.
 *
 * Port of `twisted.internet.defer.NotACoroutineError` (a TypeError).
 *
 * @example
 * ```ts no-run
 * try { ensureDeferred('something' as never); } catch (e) { console.log((e as Error).name); }
 * // NotACoroutineError
 * ```
 */
export class NotACoroutineError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'NotACoroutineError';
  }
}
