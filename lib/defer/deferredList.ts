// Port of twisted.internet.defer.DeferredList, FirstError, gatherResults, SUCCESS and FAILURE
// (Twisted 22.4).
// Covered by spec/defer/deferredList.spec.ts (the DeferredList/gatherResults tests of
// DeferredTests, FirstErrorTests and DeferredListEmptyTests of twisted/test/test_defer.py, and a
// fast-check property against a reference model).

import { Failure, isFailure } from '../failure/failure.js';
import { describe as describeValue } from '../internal/describe.js';
import { addHandOff } from './callbackLoop.js';
import { cancelInputs } from './listCancel.js';
import { CALLED, handOff, type Slot } from './callbackQueue.js';
import { Deferred, isDeferred } from './deferred.js';
import { InvalidOptionsError } from './errors.js';
import { FirstError, MalformedListResultError, NotADeferredError, NotIterableError } from './listErrors.js';

/** The flag in a DeferredList pair for an input that succeeded. Port of `defer.SUCCESS`. */
export const SUCCESS = true;
/** The flag in a DeferredList pair for an input that failed. Port of `defer.FAILURE`. */
export const FAILURE = false;

/** One entry of a DeferredList result: `[true, value]` or `[false, failure]` (Python's `(success, result)` tuple). */
export type DeferredListPair<T> = [success: true, value: T] | [success: false, failure: Failure];

/** A DeferredList's result without `fireOnOneCallback`: one pair per input, in input order (Python's list of tuples). */
export type DeferredListResult<T> = DeferredListPair<T>[];

/** Keyword arguments of DeferredList (Python's `fireOnOneCallback=…` and so on). */
export interface DeferredListOptions {
  /** Fire with `[value, index]` as soon as one input succeeds. */
  fireOnOneCallback?: boolean;
  /** Fail with `FirstError(failure, index)` as soon as one input fails. */
  fireOnOneErrback?: boolean;
  /** Leave each failed input with `undefined` instead of its Failure (so it is not reported). */
  consumeErrors?: boolean;
}

/**
 * The result type of a DeferredList built with options `O`: `[value, index]` when
 * `fireOnOneCallback` is `true`, the list of pairs when it is absent or `false`, either when it
 * is a plain `boolean`. (Python's result shape depends on the keyword at run time only.)
 */
export type DeferredListOutcome<T, O extends DeferredListOptions> = 'fireOnOneCallback' extends keyof O
  ? O['fireOnOneCallback' & keyof O] extends true
    ? [value: T, index: number]
    : O['fireOnOneCallback' & keyof O] extends false | undefined
      ? DeferredListResult<T>
      : DeferredListResult<T> | [value: T, index: number]
  : DeferredListResult<T>;

/** The result type of a Deferred (`T` for `Deferred<T>`; the `T` of Python's `Deferred[T]` hint). */
export type DeferredResult<D> = D extends Deferred<infer T> ? T : never;

/** @internal Copy `deferreds` to an array, checking each is a Deferred before touching any. */
export function copyDeferreds<T>(where: string, deferreds: Iterable<Deferred<T>>): Deferred<T>[] {
  const list = checkedInputs(where, deferreds);
  return list === deferreds ? list.slice() : list;
}

/**
 * The inputs as an array, each checked to be a Deferred before any is touched: the caller's own
 * array when given one (not copied: see `keepInputs`), a fresh one for any other iterable.
 */
function checkedInputs<T>(where: string, deferreds: Iterable<Deferred<T>>): Deferred<T>[] {
  if (deferreds === null || deferreds === undefined || typeof (deferreds as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
    throw new NotIterableError(where, deferreds);
  }
  const list = Array.isArray(deferreds) ? (deferreds as Deferred<T>[]) : Array.from(deferreds);
  for (let i = 0; i < list.length; i++) {
    if (!isDeferred(list[i])) throw new NotADeferredError(where, i, list[i]);
  }
  return list;
}

/** True when `d` has fired with a value (not a Failure, not a Deferred) and is idle: nothing queued, paused or running, no debug record. */
function firedWithValue(d: Deferred<unknown>): boolean {
  if (d._state !== CALLED || d._cbs !== null || d._debugInfo !== null) return false;
  const res = d._result;
  return (typeof res !== 'object' && typeof res !== 'function') || res === null || (!isFailure(res) && !isDeferred(res));
}

/** The inputs a list that fired while being made keeps for cancel(): none (cancel() of a fired list does nothing). */
const NO_INPUTS: Deferred<never>[] = [];

/** gatherResults' keyword argument as an options object: `gatherResults(ds, { consumeErrors: true })`. */
export interface GatherResultsOptions {
  /** Leave each failed input with `undefined` instead of its Failure. */
  consumeErrors?: boolean;
}

/** gatherResults' `consumeErrors`, given by position (a boolean) or as `{ consumeErrors }`. */
function gatherFlag(given: unknown): boolean {
  if (given === undefined || typeof given === 'boolean') return given === true;
  if (given !== null && typeof given === 'object') {
    const keys = Object.keys(given);
    const value = (given as GatherResultsOptions).consumeErrors;
    if (keys.every((k) => k === 'consumeErrors') && (value === undefined || typeof value === 'boolean')) return value === true;
  }
  throw new InvalidOptionsError(
    `gatherResults takes consumeErrors as a boolean or as { consumeErrors: boolean }, but got ${describeValue(given)}`,
    given,
  );
}

const OPTION_NAMES = ['fireOnOneCallback', 'fireOnOneErrback', 'consumeErrors'];

/** Refuse options that are not an object of the three known flags (Python takes them as keywords). */
function checkOptions(options: unknown): void {
  if (typeof options !== 'object') {
    throw new InvalidOptionsError(
      `DeferredList options must be an object such as { fireOnOneCallback: true }, but got ${describeValue(options)} ` +
        "(Python's positional flags are keyword options here)",
      options,
    );
  }
  for (const key of Object.keys(options as object)) {
    if (!OPTION_NAMES.includes(key)) {
      throw new InvalidOptionsError(`DeferredList has no option ${JSON.stringify(key)}: the options are ${OPTION_NAMES.join(', ')}`, options);
    }
    const value = (options as Record<string, unknown>)[key];
    if (value !== undefined && typeof value !== 'boolean') {
      throw new InvalidOptionsError(`DeferredList's option ${key} must be a boolean, but got ${describeValue(value)}`, options);
    }
  }
}

/**
 * Collects the results of several Deferreds into one. By default it fires, once every input
 * has fired, with a list of `[success, valueOrFailure]` pairs in input order; it never fails.
 * It is a Deferred itself: add callbacks to it as to any other.
 *
 * Port of `twisted.internet.defer.DeferredList`, with Twisted's exact rules:
 * - an empty list fires at once with `[]`, except with `fireOnOneCallback`, where it never fires;
 * - `fireOnOneCallback`: fires with `[value, index]` at the first success (with the full list
 *   when every input fails);
 * - `fireOnOneErrback`: fails with `FirstError(failure, index)` at the first failure;
 * - `consumeErrors`: each failed input is left with `undefined`, so callbacks added to it later
 *   see `undefined` and its Failure is not reported as unhandled; without it the input keeps its
 *   Failure;
 * - inputs that already fired are taken in during construction, in index order;
 * - `cancel()` before it fires cancels every input (errors thrown by an input's canceller are
 *   logged and the rest are still cancelled); after it fired it does nothing.
 *
 * @typeParam T - the inputs' result type.
 * @typeParam O - the options, which decide the result type (see {@link DeferredListOutcome}).
 * @example
 * ```ts no-run
 * const dl = new DeferredList([succeed(1), fail(new Error('no'))], { consumeErrors: true });
 * dl.addCallback((pairs) => pairs.map(([ok, v]) => (ok ? v : (v as Failure).getErrorMessage())));
 * // dl.result is [1, 'no']
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- `{}` is "no options given"
export class DeferredList<T = unknown, O extends DeferredListOptions = {}> extends Deferred<DeferredListOutcome<T, O>> {
  /** @internal The pairs so far (see `resultList`); null while made on demand from `_gathered`. */
  _resultList: (DeferredListPair<T> | null)[] | null;
  /** @internal gatherResults of inputs that had all fired with values: the values, the pairs not made yet. */
  _gathered: T[] | null;
  /** As given in the options. */
  fireOnOneCallback: boolean;
  /** As given in the options. */
  fireOnOneErrback: boolean;
  /** As given in the options. */
  consumeErrors: boolean;
  /** How many inputs have fired so far. */
  finishedCount: number;
  /** @internal The inputs (a copy of the iterable given), kept for cancel() until the list fires. */
  _deferredList: Deferred<T>[];
  /** @internal The input cancel() is cancelling now (null when it is not running; see listCancel.ts). */
  _cancelling: Deferred<unknown> | null;

  /**
   * @param deferreds - the Deferreds to watch (copied; later changes to the array do not count).
   * @param options - `fireOnOneCallback`, `fireOnOneErrback`, `consumeErrors` (all false).
   * @throws NotADeferredError when an input is not a Deferred (nothing is attached to any input).
   */
  constructor(deferreds: Iterable<Deferred<T>>, options?: O) {
    const gather = gathering;
    gathering = false;
    // gatherResults has checked its inputs already.
    const list = gather ? (deferreds as Deferred<T>[]) : checkedInputs('DeferredList', deferreds);
    if (options !== undefined && options !== null) checkOptions(options);
    const fireOnOneCallback = Boolean(options?.fireOnOneCallback);
    super();
    this._resultList = null;
    this._gathered = null;
    this.fireOnOneCallback = false;
    this.fireOnOneErrback = false;
    this.consumeErrors = false;
    this.finishedCount = 0;
    this._deferredList = NO_INPUTS;
    this._cancelling = null;
    const n = list.length;
    // The flags must be set before attaching: inputs that already fired report during the loop.
    this.fireOnOneErrback = Boolean(options?.fireOnOneErrback);
    this.consumeErrors = Boolean(options?.consumeErrors);
    if (n !== 0 && !fireOnOneCallback) {
      let ready = 0;
      while (ready < n && firedWithValue(list[ready])) ready++;
      if (ready === n) {
        // Every input fired with a value: the list fires now, as the last collecting pair would
        // have fired it, and cancel() will never need the inputs, so no copy is kept.
        this.fireOnOneCallback = false;
        this.finishedCount = n;
        if (gather) {
          this._gathered = takeValues(list as Deferred<unknown>[]) as T[];
          this.callback(this._gathered as unknown as DeferredListOutcome<T, O>);
        } else {
          this._resultList = takePairs(list as Deferred<unknown>[]) as DeferredListPair<T>[];
          this.callback(this._resultList as unknown as DeferredListOutcome<T, O>);
        }
        return;
      }
    }
    this._deferredList = list === deferreds ? list.slice() : list;
    const resultList = new Array<DeferredListPair<T> | null>(n).fill(null);
    this._resultList = resultList;
    if (n === 0 && !fireOnOneCallback) this.callback([] as unknown as DeferredListOutcome<T, O>);
    this.fireOnOneCallback = fireOnOneCallback;
    const self = this as unknown as AnyDeferredList;
    // Inputs that fired with a value, idle, take the fast path below unless they would fire the list.
    const fastOk = !fireOnOneCallback;
    const inputs = this._deferredList;
    for (let i = 0; i < n; i++) {
      const d = inputs[i];
      if (fastOk && this.finishedCount < n - 1 && firedWithValue(d)) {
        // What the collecting pair would do to a fired, idle input with a value: record the
        // pair and pass the value on unchanged; nothing fires (the list needs more inputs).
        d._chainedTo = null;
        resultList[i] = [SUCCESS, d._result] as DeferredListPair<T>;
        this.finishedCount++;
        continue;
      }
      // Twisted's addCallbacks(_cbDeferred, _cbDeferred, (i, SUCCESS), (i, FAILURE)), as a
      // hand-off pair (the list fires from the input's callback loop, not inside the collector,
      // so lists of lists of any depth do not recurse), and with one shared args array per input.
      const args = [self, i];
      addHandOff(d, cbSucceeded as Slot, args, cbFailed as Slot, args);
    }
  }

  /**
   * The pairs so far, one slot per input in input order (`null` until that input fires). Once
   * the list fires without `fireOnOneCallback`, this same array is its result.
   */
  get resultList(): (DeferredListPair<T> | null)[] {
    if (this._resultList === null) this._resultList = pairsOf(this._gathered ?? []) as DeferredListPair<T>[];
    return this._resultList;
  }

  set resultList(pairs: (DeferredListPair<T> | null)[]) {
    this._resultList = pairs;
    this._gathered = null;
  }

  /**
   * Cancel every input, unless this list has already fired. An input whose canceller throws is
   * logged ("Exception raised from user supplied canceller") and the others are still cancelled.
   *
   * Port of `DeferredList.cancel`.
   */
  override cancel(): void {
    cancelInputs(this);
  }
}

/** Set by gatherResults just before it makes its list: the list may then skip the pairs (see `_gathered`). */
let gathering = false;

/** The `[SUCCESS, value]` pair of each input (every one fired with a value and idle), as the collecting pairs would record them. */
function takePairs(list: Deferred<unknown>[]): DeferredListPair<unknown>[] {
  const n = list.length;
  const pairs = new Array<DeferredListPair<unknown>>(n);
  for (let i = 0; i < n; i++) {
    const d = list[i];
    d._chainedTo = null;
    pairs[i] = [SUCCESS, d._result];
  }
  return pairs;
}

/** The value of each input (every one fired with a value and idle): `takePairs` then `parseResults` in one pass. */
function takeValues(list: Deferred<unknown>[]): unknown[] {
  const n = list.length;
  const values = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    const d = list[i];
    d._chainedTo = null;
    values[i] = d._result;
  }
  return values;
}

/** The pairs a gathered list would have recorded, made when someone reads `resultList`. */
function pairsOf(values: unknown[]): DeferredListPair<unknown>[] {
  const pairs = new Array<DeferredListPair<unknown>>(values.length);
  for (let i = 0; i < values.length; i++) pairs[i] = [SUCCESS, values[i]];
  return pairs;
}

/** Any DeferredList, as cbDeferred sees it. */
type AnyDeferredList = DeferredList<unknown, DeferredListOptions>;

/** The callback half of `_cbDeferred`. */
function cbSucceeded(result: unknown, dl: AnyDeferredList, index: number): unknown {
  return cbDeferred(result, dl, index, SUCCESS);
}

/** The errback half of `_cbDeferred`. */
function cbFailed(result: unknown, dl: AnyDeferredList, index: number): unknown {
  return cbDeferred(result, dl, index, FAILURE);
}


/**
 * Port of `DeferredList._cbDeferred`: record one input's outcome; maybe fire the list (through
 * `handOff`: the caller fires it as soon as this returns, as Twisted's nested call would).
 */
function cbDeferred(result: unknown, dl: AnyDeferredList, index: number, succeeded: boolean): unknown {
  const resultList = dl._resultList as (DeferredListPair<unknown> | null)[];
  resultList[index] = [succeeded, result] as DeferredListPair<unknown>;
  dl.finishedCount++;
  if (!dl.called) {
    if (succeeded && dl.fireOnOneCallback) {
      handOff(dl, [result, index]);
    } else if (!succeeded && dl.fireOnOneErrback) {
      handOff(dl, new Failure(new FirstError(result as Failure, index)));
    } else if (dl.finishedCount === resultList.length) {
      handOff(dl, resultList);
    }
  }
  if (!succeeded && dl.consumeErrors) return undefined;
  return result;
}

/**
 * Port of `_parseDeferredListResult`: the values of an all-success pair list.
 *
 * @throws MalformedListResultError when the result is not a list of successful
 *   `[success, value]` pairs (the Deferred was fired by hand; Twisted fails with TypeError,
 *   ValueError, or AssertionError for a failed pair).
 */
function parseResults<T>(pairs: DeferredListResult<T>): T[] {
  if (!Array.isArray(pairs)) throw new MalformedListResultError(pairs, -1);
  const n = pairs.length;
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) {
    const pair = pairs[i];
    if (!Array.isArray(pair) || pair.length !== 2) throw new MalformedListResultError(pairs, i);
    // Twisted asserts each success flag (by truthiness): a Failure never comes out as a value.
    if (!pair[0]) throw new MalformedListResultError(pairs, i, true);
    out[i] = pair[1] as T;
  }
  return out;
}

/**
 * A Deferred of all the inputs' results, in input order; it fails with `FirstError` (the
 * original Failure at `.subFailure`, its position at `.index`) as soon as one input fails.
 *
 * Port of `twisted.internet.defer.gatherResults`: a `DeferredList(…, fireOnOneErrback)` plus a
 * callback that keeps only the values. Without `consumeErrors`, failed inputs keep their Failure
 * (and report it as unhandled unless something handles it). Cancelling it cancels every input.
 *
 * @param deferreds - the Deferreds to gather (an array gives a typed tuple, like `Promise.all`).
 * @param consumeErrors - leave each failed input with `undefined` instead of its Failure.
 * @returns a Deferred of the list of results.
 * @throws NotADeferredError when an input is not a Deferred (nothing is attached to any input).
 * @example
 * ```ts no-run
 * gatherResults([succeed(1), succeed('two')]).addCallback(([a, b]) => console.log(a, b)); // 1 two
 * ```
 */
export function gatherResults<const D extends readonly Deferred<unknown>[]>(
  deferreds: D,
  consumeErrors?: boolean | GatherResultsOptions,
): Deferred<{ -readonly [K in keyof D]: DeferredResult<D[K]> }>;
export function gatherResults<D extends Deferred<unknown>>(
  deferreds: Iterable<D>,
  consumeErrors?: boolean | GatherResultsOptions,
): Deferred<DeferredResult<D>[]>;
export function gatherResults<T>(deferreds: Iterable<Deferred<T>>, consumeErrors: boolean | GatherResultsOptions = false): Deferred<T[]> {
  const consume = gatherFlag(consumeErrors);
  // Checked here too, so that a bad input's error names gatherResults, not DeferredList.
  const inputs = checkedInputs('gatherResults', deferreds);
  gathering = true;
  const dl = new DeferredList<T, { fireOnOneErrback: true; consumeErrors: boolean }>(inputs, {
    fireOnOneErrback: true,
    consumeErrors: consume,
  });
  // A list made from inputs that had all fired with values holds the values already.
  if (dl._gathered !== null) return dl as unknown as Deferred<T[]>;
  return dl.addCallback(parseResults);
}
