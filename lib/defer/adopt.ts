// Promise interop, inward: a thenable (a native Promise, any object with `then`) returned by a
// callback or given to `Deferred.fromPromise` becomes a Deferred that fires when it settles,
// following Promises/A+ 2.3.3 (read `then` once, count only the first handler). Its own file: it is
// the one place where the Deferred core reads user `then` methods. Covered by
// spec/defer/awaitable.spec.ts (the Promises/A+ suite too).
//
// This file sits below deferred.ts (which imports it), so it cannot import the Deferred class:
// deferred.ts hands it a maker of plain Deferreds as it loads (`setDeferredMaker`). A thenable is
// only ever adopted from a Deferred's callback loop or a static of the class, so the maker is set
// before any call here.

import { Failure, isFailure } from '../failure/failure.js';
import { processWide } from '../internal/processWide.js';
import { isDeferred } from './brand.js';
import { isPrimitive } from './callbackQueue.js';
import type { Deferred } from './deferred.js';

type ThenMethod = (this: unknown, onFulfilled: (value: unknown) => void, onRejected: (reason: unknown) => void) => unknown;

let makeDeferred: () => Deferred<unknown> = () => {
  throw new Error('twistless: lib/defer/deferred.ts was not loaded before a thenable was adopted');
};

/** @internal Called once by deferred.ts as it loads: how to make a plain, unfired Deferred. */
export function setDeferredMaker(make: () => Deferred<unknown>): void {
  makeDeferred = make;
}

/**
 * @internal What a callback returned, as the chain will hold it: a Deferred or Failure as is,
 * another thenable converted to a Deferred (so it is waited on), anything else as is. May throw
 * (a `then` getter), which the caller turns into a Failure.
 */
export function adoptable(r: unknown): unknown {
  return isDeferred(r) ? r : adoptableOther(r);
}

/**
 * @internal `adoptable` for a value already known not to be a Deferred (the callback loop tests
 * that first): a thenable's Deferred, or `r` itself.
 */
export function adoptableOther(r: unknown): unknown {
  if (isFailure(r)) return r;
  // Read `then` once only (Promises/A+ 2.3.3.1: it may be a getter with side effects).
  const then = (r as { then?: unknown }).then;
  if (typeof then === 'function') return fromThenable(r as object, then as ThenMethod);
  return r;
}

/**
 * @internal `promise`'s `then`, read once, if it is a function; else undefined (for
 * `Deferred.fromPromise`, which refuses a value without one).
 */
export function thenOf(promise: unknown): ThenMethod | undefined {
  const then: unknown = (typeof promise === 'object' || typeof promise === 'function') && promise !== null ? (promise as { then?: unknown }).then : undefined;
  return typeof then === 'function' ? (then as ThenMethod) : undefined;
}

/**
 * @internal A Deferred settled by `then.call(thenable, ...)`, called now. Only the first of the two
 * handlers counts, and a throw after that is ignored (Promises/A+ 2.3.3.3). A value that is itself
 * a Deferred or a thenable is adopted in turn.
 */
export function fromThenable(thenable: object, then: ThenMethod): Deferred<unknown> {
  const d = makeDeferred();
  let done = false;
  // What firing `d` threw from inside a handler (AlreadyCalledError, say): never swallowed with
  // the `then` throws that Promises/A+ says to ignore once a handler has run.
  let ownError: unknown = NO_ERROR;
  // The two handlers are arrows written as arguments, not named constants: a dev-time transform
  // with keepNames (tsx, esbuild) would add an Object.defineProperty per call to name each one.
  try {
    then.call(
      thenable,
      (value: unknown): void => {
        if (done) return;
        done = true;
        try {
          settleFulfilled(d, value);
        } catch (e) {
          ownError = e;
          throw e;
        }
      },
      (reason: unknown): void => {
        if (done) return;
        done = true;
        try {
          settle(d, new Failure(reason));
        } catch (e) {
          ownError = e;
          throw e;
        }
      },
    );
  } catch (e) {
    if (!done) {
      done = true;
      d.errback(e);
    } else if (ownError !== NO_ERROR) {
      throw ownError;
    }
  }
  return d;
}

/** No error: fromThenable's `ownError` before firing its Deferred threw. */
const NO_ERROR: unique symbol = Symbol('no error');

/** fromThenable's fulfilment: fire `d` with `value`, adopting it if it is a Deferred or a thenable. */
function settleFulfilled(d: Deferred<unknown>, value: unknown): void {
  let adopted: unknown;
  try {
    adopted = isPrimitive(value) ? value : adoptable(value);
  } catch (e) {
    settle(d, new Failure(e));
    return;
  }
  if (isDeferred(adopted)) adopted.chainDeferred(d);
  else settle(d, adopted);
}

/** How many thenable settlements may nest (a thenable settled from a callback of another) before queueing. */
const SETTLE_DEPTH = 100;

/** Process-wide: settlements running on the stack now, and those queued meanwhile. */
interface SettleState {
  depth: number;
  queue: unknown[];
}

const settleState: SettleState = processWide<SettleState>('defer.settle', () => ({ depth: 0, queue: [] }));

/**
 * Fire `d` (made by fromThenable) with `result`: now, or, past SETTLE_DEPTH nested settlements
 * (a thenable settled from inside a callback of the Deferred it adopted, and so on), as soon as
 * the outermost settlement's callbacks have returned: a cascade of any depth in bounded stack.
 */
function settle(d: Deferred<unknown>, result: unknown): void {
  const s = settleState;
  if (s.depth >= SETTLE_DEPTH) {
    s.queue.push(d, result);
    return;
  }
  s.depth++;
  try {
    d.callback(result);
  } finally {
    s.depth--;
  }
  if (s.depth === 0 && s.queue.length !== 0) drainSettlements(s);
}

/** Fire the queued settlements in order, those queued meanwhile too. */
function drainSettlements(s: SettleState): void {
  let error: unknown = null;
  let failed = false;
  s.depth++;
  try {
    for (let i = 0; i < s.queue.length; i += 2) {
      const d = s.queue[i] as Deferred<unknown>;
      const result = s.queue[i + 1];
      s.queue[i] = s.queue[i + 1] = null;
      try {
        d.callback(result);
      } catch (e) {
        // Fired by hand meanwhile (AlreadyCalledError): the others still fire. Rethrown below.
        if (!failed) {
          failed = true;
          error = e;
        }
      }
    }
  } finally {
    s.queue = [];
    s.depth--;
  }
  if (failed) throw error;
}
