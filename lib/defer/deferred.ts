// Port of twisted.internet.defer.Deferred (Twisted 22.4).
// Covered by spec/defer/deferred.spec.ts (chaining too), spec/defer/canceller.spec.ts,
// spec/defer/timeout.spec.ts, spec/defer/alreadyCalled.spec.ts, spec/defer/log.spec.ts,
// spec/defer/awaitable.spec.ts, spec/defer/stack.spec.ts, spec/defer/model.spec.ts and
// spec/defer/callbackQueue.spec.ts (the queue's slots and arrays).
//
// How and why
// -----------
// A Deferred holds a result (once fired) and a queue of (callback, errback) pairs: ONE slot per
// pair in a flat array, `_cbs`, read from a head index (`_head`), so running a chain allocates
// nothing per step and never shifts. Each slot is set to null as it is taken, so a drained queue
// keeps no callback alive; the array is not shrunk then (most Deferreds drain once and are
// dropped, and `length = 0` was a measurable cost), but replaced by a fresh one when an entry is
// pushed onto a drained queue (`_push`), and dropped at once when a long queue drains. The
// commonest pair, addCallback(fn) with no extra args, is stored as the bare function `fn` (its
// errback is a pass-through): one slot, no allocation. Any other pair is an `Entry` object
// holding the callback, errback (null = pass the result through, Twisted's `passthru`) and their
// args, or one of three markers:
//
//   CONTINUE d    "hand my result to d, which is waiting on me" (Twisted's `_CONTINUE`), left
//                 on an inner Deferred when a callback of d returned it before it had a result;
//   FORWARD d     "fire d with my result, then carry on with undefined" (chainDeferred);
//   OBSERVE       then()/asPromise(): `cb`/`eb` are a native Promise's resolve/reject, called
//                 with the value / the failure's value; the result goes on unchanged.
//   HANDOFF       a library pair (inlineCallbacks' resume, DeferredList's collector, race) that
//                 may end by asking, through `handOff(target, value)`, to fire another Deferred:
//                 the loop fires it as it does for FORWARD, so a cascade of generators or lists
//                 each waiting on the previous is delivered without recursion.
//
// `_runCallbacks` is ONE loop over an explicit stack of Deferreds, so chains of any depth use
// constant JavaScript stack: when a Deferred meets CONTINUE it gives its result to the waiting
// Deferred, pushes that one and carries on with it; when the waiting one is done, it is popped
// and the one below resumes with its remaining callbacks (its result now undefined). FORWARD
// and HANDOFF do the same for chainDeferred and the library's pairs, where Twisted itself
// recurses; a HAND marker on the stack (with the result to restore below it) marks where Twisted
// would have returned from that nested call (see `_runCallbacks`).
//
// addCallback on a Deferred that has fired and is idle (nothing queued, not paused, not
// running) takes a fast path: the callback is called at once, never touching the queue.

import { Failure, isFailure } from '../failure/failure.js';
import { NoCurrentExceptionError } from '../failure/errors.js';
import type { IReactorTime } from './interfaces.js';
import { startTimeout } from './timeout.js';
import { captureStack, DebugInfo, newDebugInfo, recordUnhandled, state } from './debug.js';
import {
  AlreadyCalledError,
  CancelledError,
  CircularChainError,
  DeferredAsResultError,
  describeValue,
  InvalidCallbackError,
  InvalidClockError,
  InvalidTimeoutError,
  NotAPromiseError,
} from './errors.js';

/**
 * The brand every Deferred carries, from whichever copy of twistless made it:
 * `Symbol.for('twistless.deferred')`. No Python counterpart (Python tests `isinstance`); it is
 * what `isDeferred` checks, so two copies of twistless in one process recognise each other's
 * Deferreds.
 *
 * @example
 * ```ts
 * (succeed(1) as unknown as Record<symbol, unknown>)[DEFERRED_BRAND]; // true
 * ```
 */
export const DEFERRED_BRAND: unique symbol = Symbol.for('twistless.deferred') as never;

/** A function stored in a callback slot: called as `fn(result, ...args)`. */
type Slot = (result: unknown, ...args: unknown[]) => unknown;
type AnyFunction = (...args: never[]) => unknown;
/** The parameter type of the add* implementations (their overloads carry the real types). */
type ImplSlot = (result: never, ...args: never[]) => unknown;

// Entry kinds (see the header).
const PAIR = 0;
const CONTINUE = 1;
const FORWARD = 2;
const OBSERVE = 3;
const HANDOFF = 4;
/** On the loop's stack: a nested call of Twisted's returns here (the result to restore is below it). */
const HAND: unique symbol = Symbol('hand-off');

// The hand-off a HANDOFF slot asked for (see `handOff`): read and cleared by whoever called it.
let handTarget: Deferred<unknown> | null = null;
let handValue: unknown = undefined;

/**
 * @internal Called by a HANDOFF slot (added with `_addHandOff`) as its last act: fire `target`
 * with `value` once the slot has returned. Whoever called the slot does it: the callback loop
 * without recursing, as Twisted's nested `target.callback(value)` would have run.
 */
export function handOff(target: Deferred<unknown>, value: unknown): void {
  handTarget = target;
  handValue = value;
}
/** The args of an OBSERVE slot called in the loop: call it with the result, and keep the result. */
const KEEP_RESULT: unknown[] = [];
/** A drained queue longer than this is dropped at once rather than kept (as nulls) till reuse. */
const KEEP_DRAINED = 32;
/**
 * The queue of every Deferred that has never had an entry: shared, never written (`_push` puts a
 * fresh one-slot array in its place), so a Deferred that never queues anything allocates none.
 */
const NO_ENTRIES: (Slot | Entry | null)[] = [];

/** A queued pair that is not a bare callback, or a CONTINUE/FORWARD/OBSERVE marker. One shape for all. */
class Entry {
  kind: number;
  cb: Slot | null;
  cbArgs: unknown[] | undefined;
  eb: Slot | null;
  ebArgs: unknown[] | undefined;
  target: Deferred<unknown> | null;
  constructor(kind: number, cb: Slot | null, cbArgs: unknown[] | undefined, eb: Slot | null, ebArgs: unknown[] | undefined, target: Deferred<unknown> | null) {
    this.kind = kind;
    this.cb = cb;
    this.cbArgs = cbArgs;
    this.eb = eb;
    this.ebArgs = ebArgs;
    this.target = target;
  }
}

/**
 * True when `x` is a Deferred from any copy of twistless (by its `Symbol.for` brand).
 *
 * @example
 * ```ts
 * isDeferred(succeed(1)); // true
 * isDeferred(Promise.resolve(1)); // false
 * ```
 */
export function isDeferred(x: unknown): x is Deferred<unknown> {
  return typeof x === 'object' && x !== null && (x as { [DEFERRED_BRAND]?: unknown })[DEFERRED_BRAND] === true;
}

/**
 * The value a callback's return becomes once waited on: thenables unwrapped, Failures dropped.
 * The TypeScript form of Twisted's rule that a callback returning a Deferred passes on that
 * Deferred's result (no Python counterpart: Python's hints do not track it).
 */
export type Unwrap<R> = Exclude<Awaited<R>, Failure>;

/**
 * A canceller: called with the Deferred being cancelled; its return is ignored. The type of
 * `Deferred.__init__`'s `canceller` argument.
 */
export type Canceller<T> = (deferred: Deferred<T>) => unknown;

let nextId = 0;

// asPromise() takes a native Promise's resolve/reject through this module-level executor (no
// closure per call); it reads them back at once and clears them, so no promise is kept alive.
let capturedResolve: Slot | null = null;
let capturedReject: Slot | null = null;
function captureResolvers(resolve: (value: unknown) => void, reject: (reason: unknown) => void): void {
  capturedResolve = resolve as Slot;
  capturedReject = reject as Slot;
}

/** True for a value that cannot be a thenable, a Deferred or a Failure (nothing to read on it). */
function isPrimitive(x: unknown): boolean {
  return (typeof x !== 'object' && typeof x !== 'function') || x === null;
}

/**
 * A result that is not there yet: callbacks and errbacks wait on it and transform it in order.
 *
 * Port of `twisted.internet.defer.Deferred`, with Twisted 22.4's semantics: everything runs
 * synchronously, inside `callback()`/`errback()` or inside `addCallback()` once fired. Each
 * callback's return value becomes the next result; a thrown value becomes a `Failure` and goes
 * to the next errback; an errback that returns a value recovers. A callback that returns a
 * Deferred (or any thenable, a twistless extension) pauses this chain until that one fires.
 *
 * It is awaitable: `await d` gives the result or throws the failure's value. `then` OBSERVES:
 * it never changes the Deferred's own result (see `then`).
 *
 * @typeParam T - the type of the current result, as seen by the next callback added.
 * @example
 * ```ts
 * const d = new Deferred<number>();
 * d.addCallback((n) => n * 2).addCallback((n) => console.log(n));
 * d.callback(21); // prints 42
 * ```
 */
export class Deferred<T = unknown> implements PromiseLike<T> {
  // Every field is set in the constructor, in this order, so all Deferreds share one shape.
  /** @internal the queue: a bare callback function or an Entry per pair; null once taken. */
  _cbs: (Slot | Entry | null)[];
  /** @internal index of the next entry in `_cbs`. */
  _head: number;
  /** @internal the current result (undefined until fired). */
  _result: unknown;
  /** @internal true once callback()/errback() ran (or cancel() errbacked). */
  _called: boolean;
  /** @internal pause count: user pauses plus 1 while waiting on another Deferred. */
  _paused: number;
  /** @internal true while one of this Deferred's callbacks is running (stops re-entry). */
  _running: boolean;
  /** @internal the Deferred this one waits on (returned from a callback, or chainDeferred's source). */
  _chainedTo: Deferred<unknown> | null;
  /**
   * @internal the canceller given to the constructor. Typed without T so that Deferred stays
   * covariant in T (a Deferred<number> is a Deferred<unknown>).
   */
  _canceller: ((deferred: never) => unknown) | null;
  /** @internal set by cancel() without a canceller: swallow one later callback()/errback(). */
  _suppressAlreadyCalled: boolean;
  /** @internal the unhandled-failure record and debug stacks, or null. */
  _debugInfo: DebugInfo | null;
  /** @internal number shown by toString(), assigned on first use. */
  _id: number;

  /**
   * Make a Deferred that has not fired.
   *
   * Port of `Deferred.__init__`.
   *
   * @param canceller - called as `canceller(d)` by `d.cancel()` before it fires; it should stop
   *   the work and may fire `d` itself. If it does not, `cancel()` errbacks `d` with a
   *   `CancelledError`.
   * @throws InvalidCallbackError when `canceller` is given and is not a function.
   * @example
   * ```ts
   * const d = new Deferred<string>((self) => self.callback('stopped'));
   * d.cancel();
   * console.log(d.result); // stopped
   * ```
   */
  constructor(canceller?: Canceller<T> | null) {
    if (canceller !== undefined && canceller !== null && typeof canceller !== 'function') {
      throw new InvalidCallbackError('new Deferred()', 'canceller', canceller);
    }
    this._cbs = NO_ENTRIES;
    this._head = 0;
    this._result = undefined;
    this._called = false;
    this._paused = 0;
    this._running = false;
    this._chainedTo = null;
    this._canceller = canceller ?? null;
    this._suppressAlreadyCalled = false;
    this._debugInfo = state.debug ? newDebugInfo(this, captureStack(new.target as unknown as AnyFunction)) : null;
    this._id = 0;
  }

  /** False until `callback`/`errback` (or a cancel) fires it, then true for ever. Port of `Deferred.called`. */
  get called(): boolean {
    return this._called;
  }

  /**
   * How many unmatched `pause()` calls there are, plus 1 while it waits on another Deferred.
   * Not clamped: an extra `unpause()` makes it -1, which also stops the chain. Port of `Deferred.paused`.
   */
  get paused(): number {
    return this._paused;
  }

  /**
   * The current result: `undefined` before firing; then the value the chain has reached, a
   * `Failure` while failing, the Deferred it waits on while waiting, and `undefined` again once
   * it has handed its result to a Deferred waiting on it. Typed `unknown` because callbacks
   * added since `T` was inferred may have changed it. Port of `Deferred.result`.
   */
  get result(): unknown {
    return this._result;
  }

  /**
   * Add a callback and an errback as one pair; the callback runs on success, the errback on
   * failure, and whichever runs, its return becomes the next result. Runs at once if fired.
   *
   * Port of `Deferred.addCallbacks` (keyword arguments are not supported: JavaScript has none).
   *
   * @param callback - called as `callback(result, ...callbackArgs)`.
   * @param errback - called as `errback(failure, ...errbackArgs)`; null/omitted passes failures on.
   * @param callbackArgs - extra arguments for the callback (null/omitted for none).
   * @param errbackArgs - extra arguments for the errback (null/omitted for none).
   * @returns this Deferred, typed with the next result.
   * @throws InvalidCallbackError when a callback/errback is not a function or args are not arrays;
   *   nothing is added then.
   * @example
   * ```ts
   * succeed(2).addCallbacks((n, k: number) => n * k, (f) => 0, [10]); // result 20
   * ```
   */
  addCallbacks<R1, R2 = never, A1 extends unknown[] = [], A2 extends unknown[] = []>(
    callback: (result: T, ...args: A1) => R1,
    errback?: ((failure: Failure, ...args: A2) => R2) | null,
    callbackArgs?: A1 | null,
    errbackArgs?: A2 | null,
  ): Deferred<Unwrap<R1> | Unwrap<R2>> {
    if (typeof callback !== 'function') throw new InvalidCallbackError('addCallbacks', 'callback', callback);
    if (errback !== undefined && errback !== null && typeof errback !== 'function') {
      throw new InvalidCallbackError('addCallbacks', 'errback', errback);
    }
    if (callbackArgs !== undefined && callbackArgs !== null && !Array.isArray(callbackArgs)) {
      throw new InvalidCallbackError('addCallbacks', 'callbackArgs (an array of extra arguments)', callbackArgs);
    }
    if (errbackArgs !== undefined && errbackArgs !== null && !Array.isArray(errbackArgs)) {
      throw new InvalidCallbackError('addCallbacks', 'errbackArgs (an array of extra arguments)', errbackArgs);
    }
    return this._add(
      callback as Slot,
      callbackArgs === undefined || callbackArgs === null || callbackArgs.length === 0 ? undefined : callbackArgs.slice(),
      (errback ?? null) as Slot | null,
      errbackArgs === undefined || errbackArgs === null || errbackArgs.length === 0 ? undefined : errbackArgs.slice(),
    ) as unknown as Deferred<Unwrap<R1> | Unwrap<R2>>;
  }

  /**
   * Add a callback, called as `callback(result, ...args)` on success; failures pass it by.
   * Its return (waited on if it is a Deferred or a thenable) becomes the next result; a throw
   * becomes a Failure. Runs at once if the Deferred has fired.
   *
   * Port of `Deferred.addCallback`.
   *
   * @param callback - the function to add.
   * @param args - extra arguments passed after the result.
   * @returns this Deferred, typed with the callback's (unwrapped) return type.
   * @throws InvalidCallbackError when `callback` is not a function (nothing is added).
   * @example
   * ```ts
   * succeed(1).addCallback((n, k: number) => n + k, 2).addCallback(console.log); // 3
   * ```
   */
  addCallback<R, A extends unknown[] = []>(callback: (result: T, ...args: A) => R, ...args: A): Deferred<Unwrap<R>>;
  addCallback(callback: ImplSlot): unknown {
    if (typeof callback !== 'function') throw new InvalidCallbackError('addCallback', 'callback', callback);
    // `arguments` instead of a rest parameter: no array is allocated for the common no-args call.
    // eslint-disable-next-line prefer-rest-params
    return this._add(callback as Slot, arguments.length > 1 ? restOf(arguments) : undefined, null, undefined);
  }

  /**
   * Add an errback, called as `errback(failure, ...args)` on failure; successes pass it by.
   * Returning a value recovers; throwing (or `failure.trap` not matching) keeps failing.
   *
   * Port of `Deferred.addErrback`.
   *
   * @param errback - the function to add.
   * @param args - extra arguments passed after the failure.
   * @returns this Deferred, its result type widened by the errback's return type.
   * @throws InvalidCallbackError when `errback` is not a function (nothing is added).
   * @example
   * ```ts
   * fail(new Error('x')).addErrback((f) => `recovered from ${f.getErrorMessage()}`);
   * ```
   */
  addErrback<R, A extends unknown[] = []>(errback: (failure: Failure, ...args: A) => R, ...args: A): Deferred<T | Unwrap<R>>;
  addErrback(errback: ImplSlot): unknown {
    if (typeof errback !== 'function') throw new InvalidCallbackError('addErrback', 'errback', errback);
    // eslint-disable-next-line prefer-rest-params
    return this._add(null, undefined, errback as Slot, arguments.length > 1 ? restOf(arguments) : undefined);
  }

  /**
   * Add one function as both callback and errback: it gets the result or the Failure.
   *
   * Port of `Deferred.addBoth`.
   *
   * @param callback - called as `callback(resultOrFailure, ...args)`.
   * @param args - extra arguments passed after the result.
   * @returns this Deferred, typed with the function's (unwrapped) return type.
   * @throws InvalidCallbackError when `callback` is not a function (nothing is added).
   * @example
   * ```ts
   * d.addBoth((r) => { cleanUp(); return r; });
   * ```
   */
  addBoth<R, A extends unknown[] = []>(callback: (result: T | Failure, ...args: A) => R, ...args: A): Deferred<Unwrap<R>>;
  addBoth(callback: ImplSlot): unknown {
    if (typeof callback !== 'function') throw new InvalidCallbackError('addBoth', 'callback', callback);
    // eslint-disable-next-line prefer-rest-params
    const args = arguments.length > 1 ? restOf(arguments) : undefined;
    return this._add(callback as Slot, args, callback as Slot, args);
  }

  /**
   * Append one entry and run the chain if fired. Logic shared by the add* methods.
   * @internal
   */
  _add(cb: Slot | null, cbArgs: unknown[] | undefined, eb: Slot | null, ebArgs: unknown[] | undefined): this {
    if (this._called && this._paused === 0 && !this._running && this._head === this._cbs.length) {
      // Fast path: fired and idle, nothing queued. Run the one callback now, without the queue.
      const res = this._result;
      let fn: Slot | null;
      let args: unknown[] | undefined;
      if (isFailure(res)) {
        fn = eb;
        args = ebArgs;
      } else {
        fn = cb;
        args = cbArgs;
      }
      if (fn !== null) {
        this._chainedTo = null;
        this._running = true;
        let r: unknown;
        try {
          r = args === undefined ? fn(res) : fn(res, ...args);
          if ((typeof r === 'object' && r !== null) || typeof r === 'function') r = adoptable(r);
        } catch (e) {
          r = new Failure(e);
        } finally {
          this._running = false;
        }
        if (isDeferred(r)) {
          if (this._waitOn(r)) {
            // Now waiting: whatever failure it held was handed to the callback; no record.
            if (this._debugInfo !== null) this._debugInfo.failResult = null;
            return this;
          }
        } else {
          this._result = r;
        }
        // Re-entrantly added callbacks, a failure to record, or a record to clear: the full loop,
        // going on as Twisted's does after a callback, even if that callback paused this one.
        if (this._head !== this._cbs.length || this._debugInfo !== null || isFailure(this._result)) this._runCallbacks(true);
        return this;
      }
      // A pass-through slot: nothing to call, unless the result is a Deferred (left there by an
      // extra unpause()): Twisted's passthru returns it and the chain waits on it again.
      if (typeof res !== 'object' || res === null) return this;
      if (!isDeferred(res)) {
        // A failure that reached here without a run of the chain (fired while unbalanced-paused,
        // then unpaused by pause()) is recorded now, as Twisted's run after passthru would.
        if (isFailure(res) && !res.handled && (this._debugInfo === null || this._debugInfo.failResult !== res)) {
          res.cleanFailure();
          recordFailure(this as Deferred<unknown>, res);
        }
        return this;
      }
    }
    this._push(eb === null && cbArgs === undefined && cb !== null ? cb : new Entry(PAIR, cb, cbArgs, eb, ebArgs, null));
    if (this._called) this._runCallbacks();
    return this;
  }

  /**
   * Append a HANDOFF pair (see `handOff`) and run the chain if fired. Fired and idle, it calls the
   * slot at once and fires the target it names, then goes on as `_add`'s fast path does.
   * @internal
   */
  _addHandOff(cb: Slot, cbArgs: unknown[] | undefined, eb: Slot, ebArgs: unknown[] | undefined): void {
    if (this._called && this._paused === 0 && !this._running && this._head === this._cbs.length) {
      const res = this._result;
      if (!isDeferred(res)) {
        const failed = isFailure(res);
        const fn = failed ? eb : cb;
        const args = failed ? ebArgs : cbArgs;
        this._chainedTo = null;
        this._running = true;
        handTarget = null;
        let back: unknown;
        try {
          back = args === undefined ? fn(res) : fn(res, ...args);
          const target = handTarget as Deferred<unknown> | null;
          if (target !== null) {
            const value = handValue;
            handTarget = null;
            handValue = undefined;
            // As the loop fires it, this one "running a callback" meanwhile; the target is fresh
            // here or at the top of the stack (the slot was called right now), so this nests once.
            if (isDeferred(value)) throw new DeferredAsResultError('callback() (through chainDeferred)');
            target._start(value, Deferred.prototype.callback as AnyFunction);
          }
        } catch (e) {
          back = new Failure(e);
        } finally {
          handTarget = null;
          handValue = undefined;
          this._running = false;
        }
        this._result = back;
        if (this._head !== this._cbs.length || this._debugInfo !== null || isFailure(back)) this._runCallbacks(true);
        return;
      }
    }
    this._push(new Entry(HANDOFF, cb, cbArgs, eb, ebArgs, null));
    if (this._called) this._runCallbacks();
  }

  /**
   * Append an entry to the queue. An empty queue (the shared NO_ENTRIES) or a drained one (all its
   * slots taken, so null) is replaced by a fresh one-slot array rather than grown: the shared one
   * is never written, and a Deferred used again and again does not accumulate nulls. Most
   * Deferreds hold one or two entries: arrays of exactly that size take 64 bytes or less where a
   * growing push would allocate 17 slots (152 bytes).
   * @internal
   */
  _push(entry: Slot | Entry): void {
    const cbs = this._cbs;
    const n = cbs.length;
    if (this._head === n) {
      this._cbs = [entry];
      this._head = 0;
    } else if (n === 1) {
      // The second entry (addCallback + addErrback): two exact slots, not push's 17.
      this._cbs = [cbs[0], entry];
    } else {
      cbs.push(entry);
    }
  }

  /**
   * `this` just got Deferred `r` from a callback. Either take r's result at once (returns false:
   * carry on), or pause and leave a CONTINUE marker on r (returns true: stop here).
   * @internal
   */
  _waitOn(r: Deferred<unknown>): boolean {
    if (r === this) {
      this._result = new Failure(new CircularChainError());
      return false;
    }
    if (!r._called || isDeferred(r._result) || r._paused !== 0) {
      this._result = r;
      this._paused++;
      this._chainedTo = r;
      // r has no result to run (or is paused): appending cannot run anything now.
      r._push(new Entry(CONTINUE, null, undefined, null, undefined, this as Deferred<unknown>));
      return true;
    }
    // r has a result: steal it; r is left with undefined.
    this._result = r._result;
    r._result = undefined;
    if (r._debugInfo !== null) r._debugInfo.failResult = null;
    return false;
  }

  /**
   * Run the queue. Port of `Deferred._runCallbacks`: iterative, with an explicit stack.
   * @internal
   */
  _runCallbacks(goOn?: boolean): void {
    if (this._running) return; // an outer frame is already running this Deferred
    // Twisted's `chain` stack, as the Deferred being run (`current`) plus the ones below it
    // (`below`, allocated only when chaining happens). A hand-off (FORWARD, HANDOFF) pushes the
    // Deferred, the result it gets back when the nested run is over, and the HAND marker.
    let current: Deferred<unknown> | null = this as Deferred<unknown>;
    let below: unknown[] | null = null;
    // True when `current` was just popped back from a hand-off: Twisted's nested
    // `d2.callback` returned into the middle of current's callback loop, which goes on with the
    // callbacks left even if the target's callbacks paused `current` meanwhile.
    // `goOn`: the fast path of `_add` ran this Deferred's first callback already; same rule.
    let resumed = goOn === true;
    while (current !== null) {
      if (current._paused !== 0 && !resumed) {
        // This one cannot go on; the ones below it wait too. Twisted returns here. Where a
        // hand-off is below, only Twisted's nested call returns: unwind to it.
        if (below === null) return;
        let k = below.length - 1;
        while (k >= 0 && below[k] !== HAND) k--;
        if (k < 0) return;
        const back = below[k - 1];
        current = below[k - 2] as Deferred<unknown>;
        below.length = k - 2;
        current._running = false;
        current._result = back; // what Twisted's nested call left as the result
        resumed = true;
        continue;
      }
      resumed = false;
      let finished = true;
      let next: Deferred<unknown> | null = null; // the Deferred to run next, when not finished
      current._chainedTo = null;
      // `_cbs` is read afresh at each step: a callback adding to this Deferred when its queue is
      // drained gets a new array (see `_push`).
      while (current._head < current._cbs.length) {
        const cbs = current._cbs;
        const e = cbs[current._head] as Slot | Entry;
        cbs[current._head++] = null; // taken: the queue keeps no reference to it
        let result = current._result;
        let fn: Slot | null;
        let args: unknown[] | undefined;
        if (typeof e === 'function') {
          // A bare callback: its errback is a pass-through.
          if (isFailure(result)) continue;
          fn = e;
          args = undefined;
        } else if (e.kind === PAIR) {
          if (isFailure(result)) {
            fn = e.eb;
            args = e.ebArgs;
          } else {
            fn = e.cb;
            args = e.cbArgs;
          }
          if (fn === null) {
            // Pass-through. Twisted calls `passthru`, so a result that is a Deferred (left there by
            // an extra unpause() of a Deferred waiting on it) is waited on again.
            if (typeof result === 'object' && result !== null && isDeferred(result) && current._waitOn(result)) break;
            continue;
          }
        } else if (e.kind === OBSERVE) {
          // then()/asPromise(): settle the native Promise; the result goes on unchanged.
          if (isFailure(result)) {
            // Awaiting takes responsibility for the failure: it is not reported as unhandled.
            result.handled = true;
            (e.eb as Slot)(result.value);
            continue;
          }
          if (isPrimitive(result) || !isDeferred(result)) {
            // resolve() never throws; with a thenable it adopts it for the native Promise only:
            // the Deferred's own result stays the thenable (then observes, as Twisted's result
            // stays whatever callback() was given).
            (e.cb as Slot)(result);
            continue;
          }
          // A Deferred left as the result (an extra unpause() of a Deferred waiting on it): as
          // Twisted's passthru, the chain waits on it again; the common call below, result kept.
          fn = e.cb as Slot;
          args = KEEP_RESULT;
        } else if (e.kind === CONTINUE) {
          // Give the waiting Deferred our result and forget it ourselves.
          const chainee = e.target as Deferred<unknown>;
          chainee._result = result;
          current._result = undefined;
          if (current._debugInfo !== null) current._debugInfo.failResult = null;
          chainee._paused--;
          // Come back to this one afterwards, even with nothing left to run: as in Twisted, a
          // pause() made on it meanwhile (by a callback further up) stops the whole run there.
          (below ??= []).push(current);
          next = chainee;
          finished = false;
          break;
        } else {
          // FORWARD (chainDeferred) or HANDOFF: fire a target with a value, as Twisted's nested
          // `target.callback(value)` does, but by pushing instead of recursing. Meanwhile this
          // Deferred keeps its result (a callback of the target may return this Deferred and
          // take it) and is "running a callback"; afterwards its result is `back`.
          let target: Deferred<unknown>;
          let value: unknown;
          let back: unknown = undefined; // chainDeferred: Twisted's d2.callback returns None
          if (e.kind === FORWARD) {
            target = e.target as Deferred<unknown>;
            value = result;
          } else {
            // HANDOFF: call the library slot; it may ask for a hand-off as its last act.
            const hfn = (isFailure(result) ? e.eb : e.cb) as Slot;
            const hargs = isFailure(result) ? e.ebArgs : e.cbArgs;
            current._running = true;
            handTarget = null;
            try {
              back = hargs === undefined ? hfn(result) : hfn(result, ...hargs);
            } catch (err) {
              back = new Failure(err);
            } finally {
              current._running = false;
            }
            if (handTarget === null) {
              current._result = back;
              continue;
            }
            target = handTarget;
            value = handValue;
            handTarget = null;
            handValue = undefined;
          }
          if (typeof value === 'object' && value !== null && isDeferred(value)) {
            // target.callback(aDeferred) fails (Twisted: AssertionError), before anything runs.
            current._result = new Failure(new DeferredAsResultError('callback() (through chainDeferred)'));
            continue;
          }
          if (target._called) {
            if (target._suppressAlreadyCalled) {
              target._suppressAlreadyCalled = false;
              current._result = back;
            } else {
              current._result = new Failure(target._alreadyCalledError());
            }
            continue;
          }
          if (state.debug) (target._debugInfo ??= newDebugInfo(target, null)).invoker = captureStack(Deferred.prototype._runCallbacks);
          target._called = true;
          target._result = value;
          if (target._paused === 0 && !target._running) {
            current._running = true; // as in Twisted, current is "running a callback" meanwhile
            (below ??= []).push(current, back, HAND);
            next = target;
            finished = false;
            break;
          }
          current._result = back;
          continue;
        }
        current._running = true;
        try {
          if (args === undefined) result = fn(result);
          else if (args === KEEP_RESULT) fn(result);
          else result = fn(result, ...args);
          if ((typeof result === 'object' && result !== null) || typeof result === 'function') result = adoptable(result);
        } catch (err) {
          result = new Failure(err);
        } finally {
          current._running = false;
        }
        if (isDeferred(result)) {
          if (current._waitOn(result)) break;
        } else {
          current._result = result;
        }
      }
      if (current._head > KEEP_DRAINED && current._head === current._cbs.length) {
        // A long queue drained: let its (all-null) array go now. A short one stays till reused.
        current._cbs = NO_ENTRIES;
        current._head = 0;
      }
      if (finished) {
        const res = current._result;
        if (isFailure(res)) {
          // Keep it for the unhandled-error report, unless someone took responsibility for it.
          // cleanFailure also formats the value's stack, so the record does not keep `current`
          // alive through V8's raw call sites (see Failure.cleanFailure).
          res.cleanFailure();
          if (!res.handled) recordFailure(current, res);
          else if (current._debugInfo !== null) current._debugInfo.failResult = null;
        } else if (current._debugInfo !== null) {
          current._debugInfo.failResult = null;
        }
        // Back to the Deferred below; past a hand-off marker, it stops "running a callback".
        if (below === null || below.length === 0) {
          current = null;
        } else {
          let top = below.pop();
          // Climb at once past Deferreds that handed their result on and have nothing to run,
          // record or clear: all the full loop would do to them is reset `_chainedTo`.
          let climbed = false; // true when the climb emptied the stack: the run is over
          while (top !== HAND) {
            const d = top as Deferred<unknown>;
            if (d._paused !== 0 || d._head !== d._cbs.length || d._debugInfo !== null) break;
            d._chainedTo = null;
            if (below.length === 0) {
              climbed = true;
              break;
            }
            top = below.pop();
          }
          if (climbed) {
            current = null;
          } else if (top === HAND) {
            const back = below.pop();
            current = below.pop() as Deferred<unknown>;
            current._running = false;
            current._result = back; // what Twisted's nested call left as the result
            resumed = true;
          } else {
            current = top as Deferred<unknown>;
          }
        }
      } else {
        current = next;
      }
    }
  }

  /**
   * Fire with a result: run the callbacks (or, if `result` is a Failure, the errbacks).
   *
   * Port of `Deferred.callback`.
   *
   * @param result - the result; a `Failure` behaves as `errback(result)`.
   * @throws AlreadyCalledError when already fired (unless a cancel() without canceller left
   *   one call to swallow).
   * @throws DeferredAsResultError when `result` is a Deferred (Twisted: AssertionError).
   * @example
   * ```ts
   * const d = new Deferred<number>();
   * d.addCallback(console.log);
   * d.callback(7); // 7
   * ```
   */
  callback(result: T | Failure): void {
    if (isDeferred(result)) throw new DeferredAsResultError('callback()');
    this._start(result, Deferred.prototype.callback as AnyFunction);
  }

  /**
   * Fire with a failure: run the errbacks. Any value is accepted and wrapped in a `Failure`
   * (a Failure is used as is); `errback(undefined)` fails with `undefined`.
   *
   * Port of `Deferred.errback`.
   *
   * @param fail - the error, any thrown value, or a Failure. Required: JavaScript has no
   *   "current exception" for `errback()` to pick up.
   * @throws NoCurrentExceptionError when called with no argument at all.
   * @throws AlreadyCalledError when already fired (see `callback`).
   * @example
   * ```ts
   * const d = new Deferred<number>();
   * d.addErrback((f) => console.log(f.getErrorMessage()));
   * d.errback(new Error('boom')); // boom
   * ```
   */
  errback(fail?: unknown): void {
    if (arguments.length === 0) {
      throw new NoCurrentExceptionError(
        'errback() was called with no argument, and JavaScript has no current exception to pick up: ' +
          'pass the error, as in `catch (e) { d.errback(e) }` (d.errback(undefined) fails with undefined)',
      );
    }
    this._start(isFailure(fail) ? fail : new Failure(fail), Deferred.prototype.errback as AnyFunction);
  }

  /** @internal Twisted's `_startRunCallbacks`. */
  _start(result: unknown, api: AnyFunction): void {
    if (this._called) {
      if (this._suppressAlreadyCalled) {
        this._suppressAlreadyCalled = false;
        return;
      }
      throw this._alreadyCalledError();
    }
    if (state.debug) (this._debugInfo ??= newDebugInfo(this, null)).invoker = captureStack(api);
    this._called = true;
    this._result = result;
    this._runCallbacks();
  }

  /** @internal */
  _alreadyCalledError(): AlreadyCalledError {
    if (!state.debug) return new AlreadyCalledError();
    const info = (this._debugInfo ??= newDebugInfo(this, null));
    return new AlreadyCalledError('\n' + info.getDebugTracebacks());
  }

  /**
   * Stop running callbacks until a matching `unpause()`. Counted: two pauses need two unpauses.
   * Firing a paused Deferred stores the result and runs nothing. A callback that pauses its own
   * Deferred does not stop the callbacks already queued behind it in that run (as in Twisted).
   *
   * Port of `Deferred.pause`.
   *
   * @example
   * ```ts
   * d.pause(); d.callback(1); // nothing runs
   * d.unpause();              // callbacks run now
   * ```
   */
  pause(): void {
    this._paused++;
  }

  /**
   * Undo one `pause()`; when the count reaches 0 and the Deferred has fired, run the callbacks.
   * Not clamped, as in Twisted: unpausing a Deferred that is not paused makes `paused` -1, and
   * the chain then stays stopped until a matching `pause()`.
   *
   * Port of `Deferred.unpause`.
   *
   * @example
   * ```ts
   * d.pause(); d.callback(1); d.unpause(); // the callbacks run inside unpause()
   * ```
   */
  unpause(): void {
    this._paused--;
    if (this._paused !== 0) return;
    if (this._called) this._runCallbacks();
  }

  /**
   * Forward this Deferred's result to `d`: when this fires, `d` fires with the same result (or
   * failure), and this one's result becomes `undefined`. The converse does not hold: firing `d`
   * does not affect this one, and a later forward then makes this one fail with
   * AlreadyCalledError. Unlike Twisted, long chainDeferred chains do not grow the stack.
   *
   * Port of `Deferred.chainDeferred`.
   *
   * @param d - the Deferred to fire.
   * @returns this Deferred (its result is `undefined` once forwarded).
   * @throws InvalidCallbackError when `d` is not a Deferred.
   * @example
   * ```ts
   * const a = new Deferred<number>(), b = new Deferred<number>();
   * a.chainDeferred(b);
   * b.addCallback(console.log);
   * a.callback(5); // 5
   * ```
   */
  chainDeferred(d: Deferred<T>): Deferred<undefined> {
    if (!isDeferred(d)) throw new InvalidCallbackError('chainDeferred', 'argument (a Deferred)', d);
    d._chainedTo = this as Deferred<unknown>;
    this._push(new Entry(FORWARD, null, undefined, null, undefined, d as Deferred<unknown>));
    if (this._called) this._runCallbacks();
    return this as unknown as Deferred<undefined>;
  }

  /**
   * Cancel: if not fired, call the canceller (or, without one, arrange to swallow one later
   * `callback`/`errback`), then errback with `CancelledError` unless the canceller fired it. If
   * it is waiting on another Deferred, cancel that one instead, through that one's own `cancel()`
   * (a DeferredList's cancels its inputs, and does nothing once it has fired); its outcome flows
   * back here. If it has fired, do nothing. Errors thrown by the canceller propagate (it stays
   * unfired).
   *
   * Port of `Deferred.cancel`. Iterative down a chain of plain Deferreds waiting on each other; a
   * subclass's own `cancel()` is called where Twisted calls it.
   *
   * @example
   * ```ts
   * const d = new Deferred<number>();
   * d.addErrback((f) => console.log(f.check(CancelledError) !== null));
   * d.cancel(); // true
   * ```
   */
  cancel(): void {
    let d: Deferred<unknown> = this as Deferred<unknown>;
    let slow: Deferred<unknown> = d;
    let steps = 0;
    while (d._called) {
      const next = d._result;
      if (!isDeferred(next)) return; // fired with a result: nothing to cancel
      d = next;
      if (d.cancel !== baseCancel) {
        // A subclass (DeferredList, another copy's Deferred): its own cancel decides.
        d.cancel();
        return;
      }
      if (++steps % 2 === 0) slow = slow._result as Deferred<unknown>;
      if (d === slow) return; // a cycle of Deferreds waiting on each other: nothing can fire
    }
    const canceller = d._canceller as Canceller<unknown> | null;
    if (canceller !== null) canceller(d);
    else d._suppressAlreadyCalled = true;
    if (!d._called) d.errback(new Failure(new CancelledError()));
  }

  /**
   * Time out: after `seconds` on `clock`, cancel this Deferred. Callbacks added before this call
   * see the cancellation (a `CancelledError`, or whatever the canceller gives); those added after
   * see, by default, a `TimeoutError(seconds, 'Deferred')` instead. If it fires in time, the
   * delayed call is cancelled.
   *
   * Port of `Deferred.addTimeout`.
   *
   * @param seconds - the timeout, a float >= 0.
   * @param clock - any IReactorTime (`reactor`, or `task.Clock` in tests).
   * @param onTimeoutCancel - called as `onTimeoutCancel(resultOrFailure, seconds)` when it timed
   *   out; its return (or throw) becomes the result. The default turns a CancelledError into a
   *   TimeoutError and leaves anything else alone.
   * @returns this Deferred.
   * @throws InvalidTimeoutError for a negative, NaN or infinite timeout; InvalidClockError for a
   *   clock without callLater; InvalidCallbackError for a non-function onTimeoutCancel.
   * @example
   * ```ts
   * const d = new Deferred<string>().addTimeout(5, clock);
   * clock.advance(5); // d fails with TimeoutError
   * ```
   */
  addTimeout(seconds: number, clock: IReactorTime, onTimeoutCancel?: ((result: T | Failure, timeout: number) => unknown) | null): Deferred<T> {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) throw new InvalidTimeoutError(seconds);
    if (typeof clock !== 'object' || clock === null || typeof (clock as { callLater?: unknown }).callLater !== 'function') {
      throw new InvalidClockError(clock);
    }
    if (onTimeoutCancel !== undefined && onTimeoutCancel !== null && typeof onTimeoutCancel !== 'function') {
      throw new InvalidCallbackError('addTimeout', 'onTimeoutCancel', onTimeoutCancel);
    }
    startTimeout(this as Deferred<unknown>, seconds, clock, (onTimeoutCancel ?? null) as Slot | null);
    return this;
  }

  /**
   * Make `await d` work: `then` observes the result where the chain is now, without changing
   * it, and settles a native Promise with it (a failure rejects with the failure's value and
   * marks the Failure handled, so it is not reported as unhandled). Callbacks added later are
   * not seen. This passes the Promises/A+ suite. Twisted's `await` (from a coroutine) consumes
   * the result of a Deferred that has not fired yet; `then` never does.
   *
   * Port of `Deferred.__await__` (in spirit).
   *
   * @returns a native Promise, as for `Promise.prototype.then`.
   * @example
   * ```ts
   * const n = await succeed(41).addCallback((x) => x + 1); // 42
   * ```
   */
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    if (this._called && this._paused === 0 && !this._running && this._head === this._cbs.length) {
      // Fired and idle with a primitive value or a Failure: observe it here and skip asPromise's
      // own Promise. Promise.resolve/reject settle at once, as asPromise's would (its observer
      // runs now, inside this call), so the handlers are queued at the same microtask. An object
      // takes asPromise's path: resolve() reads its `then`, which may be user code.
      const res = this._result;
      if (isPrimitive(res)) {
        this._chainedTo = null;
        if (this._debugInfo !== null) this._debugInfo.failResult = null;
        return Promise.resolve(res as T).then(onfulfilled, onrejected);
      }
      if (isFailure(res)) {
        this._chainedTo = null;
        this._observedFailure(res);
        return Promise.reject(res.value).then(onfulfilled, onrejected);
      }
    }
    return this.asPromise().then(onfulfilled, onrejected);
  }

  /**
   * @internal `then`/`asPromise` took responsibility for `failure`, the result of this fired, idle
   * Deferred: mark it handled and drop the unhandled-error record (what a run of the chain would
   * do after an errback left it there, handled).
   */
  _observedFailure(failure: Failure): void {
    // Awaiting takes responsibility for the failure: it is not reported as unhandled.
    failure.handled = true;
    failure.cleanFailure();
    if (this._debugInfo !== null) this._debugInfo.failResult = null;
  }

  /**
   * A native Promise of the result where the chain is now (see `then`): it resolves with the
   * value or rejects with the failure's value (marking the Failure handled). The Deferred's own
   * result is unchanged. Cancelling is not possible through a native Promise.
   *
   * Twisted analog: `Deferred.asFuture` (which, unlike this, consumes the result).
   *
   * @returns a Promise of the result.
   * @example
   * ```ts
   * const p: Promise<number> = succeed(1).asPromise();
   * ```
   */
  asPromise(): Promise<T> {
    const promise = new Promise<T>(captureResolvers as (resolve: (value: T) => void, reject: (reason: unknown) => void) => void);
    const resolve = capturedResolve as Slot;
    const reject = capturedReject as Slot;
    capturedResolve = null;
    capturedReject = null;
    this._observe(resolve, reject);
    return promise;
  }

  /**
   * Settle a native Promise, through its `resolve`/`reject`, with the result where the chain is
   * now, leaving the result as it is: `_add` of an OBSERVE entry, with the same fast path.
   * @internal
   */
  _observe(resolve: Slot, reject: Slot): void {
    if (this._called && this._paused === 0 && !this._running && this._head === this._cbs.length) {
      // Fired and idle: observe now, as _add's fast path would call an observer.
      this._chainedTo = null;
      const res = this._result;
      if (isFailure(res)) {
        this._observedFailure(res);
        reject(res.value);
        return;
      }
      if (isPrimitive(res)) {
        if (this._debugInfo !== null) this._debugInfo.failResult = null;
        resolve(res);
        return;
      }
      // An object: resolve() reads its `then` (it may be a getter), and the chain takes the
      // result back as a callback returning it would (a thenable is adopted, a Deferred waited
      // on): the callback loop does that for an OBSERVE entry.
    }
    this._push(new Entry(OBSERVE, resolve, undefined, reject, undefined, null));
    if (this._called) this._runCallbacks();
  }

  /**
   * A Deferred that fires when `promise` settles: with its value, or failing with its reason.
   * Cancelling it fails it with CancelledError at once and ignores the promise's later outcome
   * (a native Promise cannot be stopped). A Deferred is returned as it is.
   *
   * Twisted analog: `Deferred.fromFuture` / `Deferred.fromCoroutine`.
   *
   * @param promise - a Promise or any thenable.
   * @returns a Deferred of its value.
   * @throws NotAPromiseError when `promise` has no `then` method.
   * @example
   * ```ts
   * const d = Deferred.fromPromise(Promise.resolve(3));
   * d.addCallback(console.log); // 3 (after a microtask)
   * ```
   */
  static fromPromise<T>(promise: PromiseLike<T> | Deferred<T>): Deferred<T> {
    if (isDeferred(promise)) return promise as Deferred<T>;
    const then: unknown = (typeof promise === 'object' || typeof promise === 'function') && promise !== null ? (promise as { then?: unknown }).then : undefined;
    if (typeof then !== 'function') throw new NotAPromiseError('Deferred.fromPromise', promise);
    return fromThenable(promise, then as ThenMethod) as Deferred<T>;
  }

  /**
   * `<Deferred at 0x1>`, `<Deferred at 0x1 current result: 'x'>` or
   * `<Deferred at 0x1 waiting on Deferred at 0x2>`. Port of `Deferred.__str__`/`__repr__`
   * (ids are per-process counters, as JavaScript has no `id()`).
   */
  toString(): string {
    const name = this.constructor.name;
    let tail = '';
    if (this._chainedTo !== null) tail = ` waiting on Deferred at 0x${this._chainedTo._getId().toString(16)}`;
    else if (this._called) tail = ` current result: ${repr(this._result)}`;
    return `<${name} at 0x${this._getId().toString(16)}${tail}>`;
  }

  /** What `console.log` and `util.inspect` show: the same as toString(). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** @internal */
  _getId(): number {
    if (this._id === 0) this._id = ++nextId;
    return this._id;
  }

  /** The brand (see isDeferred). */
  declare readonly [DEFERRED_BRAND]: true;
}

Object.defineProperty(Deferred.prototype, DEFERRED_BRAND, { value: true, enumerable: false, writable: false });

/** The base `cancel`: a Deferred whose `cancel` is another one is cancelled through it. */
const baseCancel = Deferred.prototype.cancel;

/** Copy arguments[1..] into a new array. */
function restOf(args: IArguments): unknown[] {
  const out = new Array<unknown>(args.length - 1);
  for (let i = 1; i < args.length; i++) out[i - 1] = args[i];
  return out;
}

/**
 * What a callback returned, as the chain will hold it: a Deferred or Failure as is, another
 * thenable converted to a Deferred (so it is waited on), anything else as is. May throw (a
 * `then` getter), which the caller turns into a Failure.
 */
function adoptable(r: unknown): unknown {
  if (isDeferred(r) || isFailure(r)) return r;
  // Read `then` once only (Promises/A+ 2.3.3.1: it may be a getter with side effects).
  const then = (r as { then?: unknown }).then;
  if (typeof then === 'function') return fromThenable(r as object, then as ThenMethod);
  return r;
}

type ThenMethod = (this: unknown, onFulfilled: (value: unknown) => void, onRejected: (reason: unknown) => void) => unknown;

/**
 * A Deferred settled by `then.call(thenable, ...)`, called now. Only the first of the two
 * handlers counts, and a throw after that is ignored (Promises/A+ 2.3.3.3). A value that is itself
 * a Deferred or a thenable is adopted in turn.
 */
function fromThenable(thenable: object, then: ThenMethod): Deferred<unknown> {
  const d = new Deferred<unknown>();
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

const SETTLE_KEY = Symbol.for('twistless.defer.settle');
const settleState: SettleState = (() => {
  const g = globalThis as unknown as Record<symbol, SettleState | undefined>;
  let s = g[SETTLE_KEY];
  if (s === undefined) {
    s = { depth: 0, queue: [] };
    g[SETTLE_KEY] = s;
  }
  return s;
})();

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

/** Keep `failure`, the unhandled result `d`'s chain stopped on, for the unhandled-error reports. */
function recordFailure(d: Deferred<unknown>, failure: Failure): void {
  recordUnhandled((d._debugInfo ??= newDebugInfo(d, null)), failure);
}

function repr(x: unknown): string {
  if (typeof x === 'string') return `'${x}'`;
  if (isFailure(x)) return `<Failure ${safeTypeName(x)}: ${x.getErrorMessage()}>`;
  if (isDeferred(x)) return x.toString();
  try {
    return String(x);
  } catch {
    return describeValue(x);
  }
}

function safeTypeName(f: Failure): string {
  const t = f.type as { name?: unknown } | null | undefined;
  return t === null ? 'null' : t === undefined ? 'undefined' : typeof t.name === 'string' ? t.name : 'unknown';
}
