// Port of the module-level helpers of twisted.internet.defer (Twisted 22.4): succeed, fail,
// execute, maybeDeferred, passthru, logError.
// Covered by spec/defer/deferred.spec.ts (test_maybeDeferred*, execute, passthru, succeed, fail),
// spec/defer/log.spec.ts (UtilTests: logError) and spec/defer/errors.spec.ts (bad input).

import { Failure, isFailure } from '../failure/failure.js';
import { err as logErr } from '../log/log.js';
import { isThenable } from '../internal/thenable.js';
import { CALLED } from './callbackQueue.js';
import { state } from './debug.js';
import { Deferred, isDeferred, type Unwrap } from './deferred.js';
import { DeferredAsResultError, InvalidCallbackError } from './errors.js';

/**
 * A Deferred that has already fired with `result` (a Failure makes it a failed one).
 *
 * Port of `twisted.internet.defer.succeed`.
 *
 * @param result - the result.
 * @returns a fired Deferred.
 * @throws DeferredAsResultError when `result` is a Deferred (Twisted: AssertionError).
 * @example
 * ```ts
 * succeed(3).addCallback(console.log); // 3
 * ```
 */
export function succeed<T>(result: T): Deferred<T> {
  if (isDeferred(result)) throw new DeferredAsResultError('succeed()');
  const d = new Deferred<T>();
  if (!state.debug && !isFailure(result)) {
    // A value, no debugging: firing a Deferred with nothing queued only stores the result.
    d._state |= CALLED;
    d._result = result;
    return d;
  }
  d.callback(result);
  return d;
}

/**
 * A Deferred that has already failed with `error` (wrapped in a Failure unless it is one). Any
 * value is accepted, `undefined` included; only a call with no argument at all throws.
 *
 * Port of `twisted.internet.defer.fail`.
 *
 * @param error - the error, any thrown value, or a Failure.
 * @returns a failed Deferred.
 * @throws NoCurrentExceptionError when called with no argument.
 * @example
 * ```ts
 * fail(new Error('no')).addErrback((f) => console.log(f.getErrorMessage())); // no
 * ```
 */
export function fail<T = never>(error?: unknown): Deferred<T> {
  const d = new Deferred<T>();
  if (arguments.length === 0) d.errback();
  else d.errback(error);
  return d;
}

/**
 * Call `fn(...args)` and give its outcome as a Deferred: a returned Deferred as it is (the same
 * object), a returned Failure or a throw as a failed Deferred, a returned Promise/thenable as a
 * Deferred that waits on it, anything else as a fired Deferred.
 *
 * Port of `twisted.internet.defer.maybeDeferred`. (Twisted 22.4 does not unwrap coroutines;
 * later Twisted does, as this does with thenables.)
 *
 * @param fn - the function to call.
 * @param args - its arguments.
 * @returns a Deferred of its result.
 * @throws InvalidCallbackError when `fn` is not a function.
 * @example
 * ```ts
 * maybeDeferred(JSON.parse, '{').addErrback((f) => console.log(f.type === SyntaxError)); // true
 * ```
 */
export function maybeDeferred<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Deferred<Unwrap<R>> {
  if (typeof fn !== 'function') throw new InvalidCallbackError('maybeDeferred', 'first argument', fn);
  let result: unknown;
  try {
    result = fn(...args);
  } catch (e) {
    return fail(new Failure(e));
  }
  if (isDeferred(result)) return result as Deferred<Unwrap<R>>;
  if (isFailure(result)) return fail(result);
  if (isThenable(result)) {
    return Deferred.fromPromise(result as PromiseLike<Unwrap<R>>);
  }
  return succeed(result as Unwrap<R>);
}

/**
 * Call `fn(...args)` and give a fired Deferred of its return, or a failed one if it threw.
 *
 * Port of `twisted.internet.defer.execute`.
 *
 * @param fn - the function to call.
 * @param args - its arguments.
 * @returns a fired Deferred.
 * @throws DeferredAsResultError when `fn` returns a Deferred (use maybeDeferred for that);
 *   InvalidCallbackError when `fn` is not a function.
 * @example
 * ```ts
 * execute(Math.max, 1, 5).addCallback(console.log); // 5
 * ```
 */
export function execute<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Deferred<R> {
  if (typeof fn !== 'function') throw new InvalidCallbackError('execute', 'first argument', fn);
  let result: R;
  try {
    result = fn(...args);
  } catch (e) {
    return fail(e);
  }
  if (isDeferred(result)) throw new DeferredAsResultError('execute() (its function returned a Deferred; use maybeDeferred)');
  return succeed(result);
}

/**
 * Return the argument unchanged: the identity callback.
 *
 * Port of `twisted.internet.defer.passthru`.
 *
 * @param arg - anything.
 * @returns `arg`.
 * @example
 * ```ts
 * d.addCallbacks(passthru, handleError);
 * ```
 */
export function passthru<T>(arg: T): T {
  return arg;
}

/**
 * An errback that logs the failure (through `log.err`) and passes it on unchanged. If it is the
 * last errback, the failure is still unhandled and is logged again when the Deferred is
 * garbage-collected.
 *
 * Port of `twisted.internet.defer.logError`.
 *
 * @param failure - the failure.
 * @returns the same failure.
 * @example
 * ```ts
 * d.addErrback(logError);
 * ```
 */
export function logError(failure: Failure): Failure {
  logErr(failure);
  return failure;
}
