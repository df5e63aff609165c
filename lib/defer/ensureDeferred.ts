// Port of twisted.internet.defer.ensureDeferred (Twisted 22.4); NotACoroutineError is in errors.ts.
// Covered by spec/defer/inlineCallbacks.spec.ts (EnsureDeferredTests of test_defer.py).

import { isThenable } from '../internal/thenable.js';
import { Deferred, isDeferred } from './deferred.js';
import { NotACoroutineError } from './errors.js';
import { describeProduct, isGenerator, runGenerator, type InlineGenerator } from './inlineCallbacks.js';


/**
 * A Deferred for a promise, a Deferred or a generator:
 * - a Deferred is returned as it is;
 * - a promise (any thenable; an `async` function's result) gives `Deferred.fromPromise(p)`: it
 *   fires when the promise settles, a microtask later at the earliest, and cancelling it cannot
 *   stop the promise;
 * - a generator object is driven like an inlineCallbacks call (it may yield Deferreds and
 *   promises; cancelling the Deferred cancels what it waits on).
 *
 * Port of `twisted.internet.defer.ensureDeferred` (JavaScript promises play the part of Python
 * coroutines).
 *
 * @param x - a Deferred, a promise or a generator.
 * @returns a Deferred of its result.
 * @throws NotACoroutineError (a TypeError) for anything else.
 * @example
 * ```ts no-run
 * ensureDeferred((async () => 5)()).addCallback((v) => console.log(v)); // 5, a microtask later
 * ```
 */
export function ensureDeferred<T>(x: Deferred<T>): Deferred<T>;
export function ensureDeferred<T>(x: PromiseLike<T>): Deferred<T>;
export function ensureDeferred<T>(x: InlineGenerator<T>): Deferred<T>;
export function ensureDeferred<T>(x: Deferred<T> | PromiseLike<T> | InlineGenerator<T>): Deferred<T> {
  if (isDeferred(x)) return x as Deferred<T>;
  if (isThenable(x)) {
    return Deferred.fromPromise(x as PromiseLike<T>);
  }
  if (isGenerator(x)) return runGenerator(x as Generator<unknown, T, unknown>);
  throw new NotACoroutineError(
    `${describeProduct(x)} is not a coroutine or a Deferred: ensureDeferred takes a Deferred, a ` +
      'promise (such as the result of an async function) or a generator object (from a function*)',
  );
}
