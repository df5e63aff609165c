// The errors of DeferredList, gatherResults and race (twistless's named errors where Twisted
// fails with an AttributeError, a TypeError or a bare `assert`).
// Covered by spec/defer/errors.spec.ts and spec/defer/deferredList.spec.ts.

import { describe as describeValue } from '../internal/describe.js';

/**
 * Thrown by DeferredList, gatherResults and race when an input is not a Deferred. Nothing is
 * attached to any input. Twisted fails with an `AttributeError` (no `addCallbacks`) part-way,
 * after attaching to the inputs before it.
 *
 * @example
 * ```ts no-run
 * try { gatherResults([Promise.resolve(1)] as never); } catch (e) { console.log((e as Error).name); }
 * // NotADeferredError
 * ```
 */
export class NotADeferredError extends TypeError {
  /** The position of the offending input. */
  readonly index: number;
  /** The offending input. */
  readonly value: unknown;
  constructor(where: string, index: number, value: unknown) {
    super(
      `${where} needs Deferreds, but input ${index} is ${describeValue(value)}: wrap a promise with ` +
        'Deferred.fromPromise(p), and a plain value with succeed(v)',
    );
    this.name = 'NotADeferredError';
    this.index = index;
    this.value = value;
  }
}

/**
 * Thrown by DeferredList, gatherResults and race when their first argument is not iterable (an
 * array or any other iterable of Deferreds). Nothing is attached to anything.
 *
 * A twistless error: Twisted raises Python's `TypeError` here.
 *
 * @example
 * ```ts no-run
 * try { gatherResults(succeed(1) as never); } catch (e) { console.log((e as Error).name); }
 * // NotIterableError
 * ```
 */
export class NotIterableError extends TypeError {
  /** What was passed instead. */
  readonly value: unknown;
  constructor(where: string, value: unknown) {
    super(`${where} needs an iterable (such as an array) of Deferreds, but got ${describeValue(value)}: pass [d] for a single Deferred`);
    this.name = 'NotIterableError';
    this.value = value;
  }
}

/**
 * The failure of a `gatherResults` Deferred fired by hand with something other than a
 * DeferredList's list of successful `[success, value]` pairs (`gatherResults([d]).callback(0)`):
 * its collecting callback refuses it. Twisted fails the same way, with Python's `TypeError` (or
 * `ValueError` for a pair of the wrong length, and `AssertionError` for a failed pair, one whose
 * success flag is false: `failedPair` is true then).
 *
 * @example
 * ```ts no-run
 * const g = gatherResults([new Deferred<number>()]);
 * g.callback(0 as never);
 * g.addErrback((f: Failure) => console.log(f.type === MalformedListResultError)); // true
 * ```
 */
export class MalformedListResultError extends TypeError {
  /** The result that was refused. */
  readonly value: unknown;
  /** The position of the refused item, or -1 when the result is not a list at all. */
  readonly index: number;
  /** True when the refused item is a pair whose success flag is false (Twisted: AssertionError). */
  readonly failedPair: boolean;
  constructor(value: unknown, index: number, failedPair = false) {
    super(
      `gatherResults collects a list of [success, value] pairs that all succeeded, but got ${describeValue(value)}` +
        (index < 0 ? '' : failedPair ? ` (item ${index} is a failed pair)` : ` (item ${index} is not a pair)`) +
        ': fire the input Deferreds, not the one gatherResults returned',
    );
    this.name = 'MalformedListResultError';
    this.value = value;
    this.index = index;
    this.failedPair = failedPair;
  }
}
