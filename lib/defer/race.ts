// Port of twisted.internet.defer.race and FailureGroup (Twisted 23.8; absent from 22.4).
// Covered by spec/defer/race.spec.ts (RaceTests of Twisted 23.8's test_defer.py).

import { Failure } from '../failure/failure.js';
import { addHandOff } from './callbackLoop.js';
import { handOff, type Slot } from './callbackQueue.js';
import { Deferred } from './deferred.js';
import { copyDeferreds, type DeferredResult } from './deferredList.js';


/**
 * The failure of a `race` in which every input failed: their Failures, in input order.
 *
 * Port of `twisted.internet.defer.FailureGroup`. It extends `AggregateError`, JavaScript's
 * "all of them failed" error (what `Promise.any` rejects with), so `errors` holds the failed
 * values and `failures` the Failures around them.
 *
 * @example
 * ```ts no-run
 * race([fail(new Error('a')), fail(new Error('b'))]).addErrback((f: Failure) => {
 *   console.log((f.value as FailureGroup).failures.length); // 2
 * });
 * ```
 */
export class FailureGroup extends AggregateError {
  /** The inputs' Failures, in input order. */
  readonly failures: Failure[];

  /** @param failures - the Failures, in input order. */
  constructor(failures: Failure[]) {
    super(
      failures.map((f) => f.value),
      `race(): all ${failures.length} Deferreds failed; their Failures are in .failures, in input order`,
    );
    this.name = 'FailureGroup';
    this.failures = failures;
  }
}

/**
 * The first of several Deferreds to succeed: fires with `[index, value]` of the first input to
 * succeed and cancels all the others. If every input fails, it fails with a `FailureGroup` of
 * their Failures in input order. Cancelling it cancels every input (so it then fails with a
 * FailureGroup of CancelledErrors, unless a canceller makes an input succeed).
 *
 * Port of `twisted.internet.defer.race` (Twisted 23.8): the inputs' results are all consumed
 * (each input is left with `undefined`), `race([])` never fires, and a success that comes after
 * the winner (from a loser's canceller) is ignored.
 *
 * @param deferreds - the Deferreds to race (copied).
 * @returns a Deferred of `[index, value]` of the winner.
 * @throws NotADeferredError when an input is not a Deferred (nothing is attached to any input).
 * @example
 * ```ts no-run
 * const slow = new Deferred<string>();
 * race([slow, succeed('fast')]).addCallback(([i, v]) => console.log(i, v)); // 1 fast
 * // slow has been cancelled
 * ```
 */
export function race<D extends Deferred<unknown>>(deferreds: Iterable<D>): Deferred<[index: number, value: DeferredResult<D>]>;
export function race<T>(deferreds: Iterable<Deferred<T>>): Deferred<[index: number, value: T]> {
  const toCancel = copyDeferreds('race()', deferreds);
  let winner: Deferred<T> | null = null;
  const failureState: [number, Failure][] = [];

  // The canceller of the returned Deferred: cancel every input; their outcomes fire it.
  const cancelAll = (): void => {
    for (let i = 0; i < toCancel.length; i++) toCancel[i].cancel();
  };
  const finalResult = new Deferred<[index: number, value: T]>(cancelAll);

  const succeeded = (value: T, index: number): undefined => {
    // Only the first success counts; a later one can only come from a loser's canceller.
    if (winner === null) {
      winner = toCancel[index];
      for (let i = 0; i < toCancel.length; i++) {
        if (toCancel[i] !== winner) toCancel[i].cancel();
      }
      handOff(finalResult as Deferred<unknown>, [index, value]);
    }
    return undefined;
  };

  const failed = (failure: Failure, index: number): undefined => {
    failureState.push([index, failure]);
    if (failureState.length === toCancel.length) {
      failureState.sort((a, b) => a[0] - b[0]);
      handOff(finalResult as Deferred<unknown>, new Failure(new FailureGroup(failureState.map((p) => p[1]))));
    }
    return undefined;
  };

  // Hand-off pairs: finalResult fires from the input's callback loop, so races of races of any
  // depth do not recurse.
  for (let i = 0; i < toCancel.length; i++) {
    const args = [i];
    addHandOff(toCancel[i], succeeded as Slot, args, failed as Slot, args);
  }
  return finalResult;
}
