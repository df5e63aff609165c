// Port of twisted.internet.task.deferLater (Twisted 22.4).
// Covered by spec/task/deferLater.spec.ts (DeferLaterTests of test_task.py).
import { Deferred } from '../defer/deferred.js';
import type { IDelayedCall, IReactorTime } from '../defer/interfaces.js';
import { NotCallableError } from '../reactor/errors.js';

/**
 * Call `fn(...args)` after `delay` seconds on `clock`, and return a Deferred that fires with
 * its result (waiting for it when it is a Deferred; failing when it throws). Without `fn` the
 * Deferred fires with `undefined`. Cancelling the Deferred cancels the delayed call: `fn` never
 * runs and the Deferred fails with CancelledError.
 *
 * Port of `twisted.internet.task.deferLater`.
 *
 * @param clock The IReactorTime to schedule on (the reactor, or a Clock in tests).
 * @param delay Seconds to wait (a float).
 * @returns A cancellable Deferred that fires with `undefined`.
 * @throws InvalidDelayError (from the clock) when `delay` is negative or not finite.
 * @example
 * ```ts no-run
 * const d = deferLater(clock, 3);
 * clock.advance(3); // d fires with undefined
 * ```
 */
export function deferLater(clock: IReactorTime, delay: number): Deferred<undefined>;
/**
 * Call `fn(...args)` after `delay` seconds on `clock`; the Deferred fires with its result.
 * Port of `twisted.internet.task.deferLater(clock, delay, callable, *args)`.
 *
 * @param clock The IReactorTime to schedule on (the reactor, or a Clock in tests).
 * @param delay Seconds to wait (a float).
 * @param fn The function to call.
 * @param args Its arguments.
 * @returns A cancellable Deferred of `fn`'s result.
 * @throws NotCallableError when `fn` is not a function.
 * @throws InvalidDelayError (from the clock) when `delay` is negative or not finite.
 * @example
 * ```ts no-run
 * const d = deferLater(clock, 3, (a: number, b: number) => a + b, 1, 2);
 * clock.advance(3); // d fires with 3
 * ```
 */
export function deferLater<A extends unknown[], R>(
  clock: IReactorTime,
  delay: number,
  fn: (...args: A) => R | PromiseLike<R> | Deferred<R>,
  ...args: A
): Deferred<R>;
export function deferLater<A extends unknown[], R>(
  clock: IReactorTime,
  delay: number,
  fn?: (...args: A) => R | PromiseLike<R> | Deferred<R>,
  ...args: A
): Deferred<R | undefined> {
  if (fn !== undefined && typeof fn !== 'function') throw new NotCallableError('deferLater(clock, delay, fn)', fn);
  // The canceller needs the delayed call, which is created after the Deferred: a box holds it.
  const box: { call: IDelayedCall | null } = { call: null };
  const d = new Deferred<undefined>(() => {
    (box.call as IDelayedCall).cancel();
  });
  const result = d.addCallback((): R | PromiseLike<R> | Deferred<R> | undefined =>
    fn === undefined ? undefined : fn(...args),
  ) as unknown as Deferred<R | undefined>;
  box.call = clock.callLater(delay, fireLater, d);
  return result;
}

function fireLater(d: Deferred<undefined>): void {
  d.callback(undefined);
}
