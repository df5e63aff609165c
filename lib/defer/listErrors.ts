// The errors of DeferredList, gatherResults and race: Twisted's FirstError, and twistless's named
// errors where Twisted fails with an AttributeError, a TypeError or a bare `assert`.
// Covered by spec/defer/errors.spec.ts and spec/defer/deferredList.spec.ts.

import type { Failure } from '../failure/failure.js';
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

/**
 * The failure a DeferredList gets with `fireOnOneErrback` (and so what `gatherResults` fails
 * with): the first input's Failure and that input's index.
 *
 * Port of `twisted.internet.defer.FirstError`. `toString()` is Python's `str()`:
 * `FirstError[#1, <the sub-failure as text>]`; `message` names the index and the failed value.
 *
 * @example
 * ```ts no-run
 * gatherResults([succeed(1), fail(new Error('no'))]).addErrback((f: Failure) => {
 *   const e = f.value as FirstError;
 *   console.log(e.index, e.subFailure.getErrorMessage()); // 1 no
 * });
 * ```
 */
export class FirstError extends Error {
  /** The Failure of the input that failed first. */
  readonly subFailure: Failure;
  /** That input's position in the list. */
  readonly index: number;
  /** Python's exception args: `[subFailure, index]`. */
  readonly args: readonly [Failure, number];

  /**
   * @param failure - the first input's Failure.
   * @param index - its position in the list.
   */
  constructor(failure: Failure, index: number) {
    super(`FirstError[#${index}, ${valueText(failure.value)}]`);
    this.name = 'FirstError';
    this.subFailure = failure;
    this.index = index;
    this.args = [failure, index];
  }

  /** `FirstError[#index, <str of the sub-failure>]`. Port of `FirstError.__str__`. */
  override toString(): string {
    return `FirstError[#${this.index}, ${String(this.subFailure)}]`;
  }

  /**
   * True when `other` is a FirstError with the same index and the same sub-failure. Port of
   * `FirstError.__cmp__` (Python's `==`).
   */
  equals(other: unknown): boolean {
    return other instanceof FirstError && other.index === this.index && other.subFailure === this.subFailure;
  }
}

/** A repr-like text of a failed value: `RangeError: too big`, `"oops"`, `42`. */
function valueText(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return String(value);
  } catch {
    return describeValue(value);
  }
}
