// Promise interop, outward: `await d`, `d.then(...)` and `d.asPromise()` settle a native Promise
// with the result where the chain is now, without changing it (port, in spirit, of
// Deferred.__await__ and Deferred.asFuture, Twisted 22.4). Its own file: the class methods in
// deferred.ts are one-line calls of these. Covered by spec/defer/awaitable.spec.ts (the
// Promises/A+ suite too).

import { isFailure, type Failure } from '../failure/failure.js';
import { push, runCallbacks } from './callbackLoop.js';
import { CALLED, Entry, isPrimitive, OBSERVE, type Slot } from './callbackQueue.js';
import type { Deferred } from './deferred.js';

// asPromise() takes a native Promise's resolve/reject through this module-level executor (no
// closure per call); it reads them back at once and clears them, so no promise is kept alive.
let capturedResolve: Slot | null = null;
let capturedReject: Slot | null = null;
function captureResolvers(resolve: (value: unknown) => void, reject: (reason: unknown) => void): void {
  capturedResolve = resolve as Slot;
  capturedReject = reject as Slot;
}

/** @internal `d.then(onfulfilled, onrejected)` (see Deferred.then). */
export function thenDeferred<T, R1, R2>(
  d: Deferred<T>,
  onfulfilled: ((value: T) => R1 | PromiseLike<R1>) | null | undefined,
  onrejected: ((reason: unknown) => R2 | PromiseLike<R2>) | null | undefined,
): Promise<R1 | R2> {
  if (d._state === CALLED && d._cbs === null) {
    // Fired and idle with a primitive value or a Failure: observe it here and skip asPromise's
    // own Promise. Promise.resolve/reject settle at once, as asPromise's would (its observer
    // runs now, inside this call), so the handlers are queued at the same microtask. An object
    // takes asPromise's path: resolve() reads its `then`, which may be user code.
    const res = d._result;
    if (isPrimitive(res)) {
      d._chainedTo = null;
      if (d._debugInfo !== null) d._debugInfo.failResult = null;
      return Promise.resolve(res as T).then(onfulfilled, onrejected);
    }
    if (isFailure(res)) {
      d._chainedTo = null;
      observedFailure(d, res);
      return Promise.reject(res.value).then(onfulfilled, onrejected);
    }
  }
  return asPromise(d).then(onfulfilled, onrejected);
}

/** @internal `d.asPromise()` (see Deferred.asPromise). */
export function asPromise<T>(d: Deferred<T>): Promise<T> {
  const promise = new Promise<T>(captureResolvers as (resolve: (value: T) => void, reject: (reason: unknown) => void) => void);
  const resolve = capturedResolve as Slot;
  const reject = capturedReject as Slot;
  capturedResolve = null;
  capturedReject = null;
  observe(d as Deferred<unknown>, resolve, reject);
  return promise;
}

/**
 * `then`/`asPromise` took responsibility for `failure`, the result of the fired, idle `d`: mark it
 * handled and drop the unhandled-error record (what a run of the chain would do after an errback
 * left it there, handled).
 */
function observedFailure(d: Deferred<unknown>, failure: Failure): void {
  // Awaiting takes responsibility for the failure: it is not reported as unhandled.
  failure.handled = true;
  failure.cleanFailure();
  if (d._debugInfo !== null) d._debugInfo.failResult = null;
}

/**
 * Settle a native Promise, through its `resolve`/`reject`, with the result where the chain is
 * now, leaving the result as it is: `add` of an OBSERVE entry, with the same fast path.
 */
function observe(d: Deferred<unknown>, resolve: Slot, reject: Slot): void {
  if (d._state === CALLED && d._cbs === null) {
    // Fired and idle: observe now, as add's fast path would call an observer.
    d._chainedTo = null;
    const res = d._result;
    if (isFailure(res)) {
      observedFailure(d, res);
      reject(res.value);
      return;
    }
    if (isPrimitive(res)) {
      if (d._debugInfo !== null) d._debugInfo.failResult = null;
      resolve(res);
      return;
    }
    // An object: resolve() reads its `then` (it may be a getter), and the chain takes the
    // result back as a callback returning it would (a thenable is adopted, a Deferred waited
    // on): the callback loop does that for an OBSERVE entry.
  }
  push(d, new Entry(OBSERVE, resolve, undefined, reject, undefined, null));
  if ((d._state & CALLED) !== 0) runCallbacks(d);
}
