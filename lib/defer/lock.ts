// Port of twisted.internet.defer._ConcurrencyPrimitive and DeferredLock (Twisted 22.4).
// Covered by spec/defer/locks.spec.ts (OtherPrimitivesTests of twisted/test/test_defer.py).
//
// Differences from Twisted, both documented in docs/defer.md: waiters are handed the lock through
// the trampoline in waiterHandover.ts, so 100,000 waiters need no deep stack; and a release of an
// unlocked lock throws NotLockedError (Twisted: a bare AssertionError).

import { Failure } from '../failure/failure.js';
import { isThenable } from '../internal/thenable.js';
import { adoptable } from './adopt.js';
import { settleFirst } from './callbackLoop.js';
import { captureStack, newDebugInfo, state } from './debug.js';
import { CALLED, Entry, PAIR, RUNNING, type AnyFunction, type Queued, type Slot } from './callbackQueue.js';
import { Deferred, type Unwrap } from './deferred.js';
import { maybeDeferred } from './helpers.js';
import { NotLockedError } from './concurrencyErrors.js';
import { InvalidCallbackError } from './errors.js';
import { fireIfGranted, handOver, handOverCall } from './waiterHandover.js';
import { WaiterRing } from './fifo.js';

/**
 * The part shared by DeferredLock and DeferredSemaphore: a FIFO of waiting acquires, their
 * canceller, and `run()`.
 *
 * Port of `twisted.internet.defer._ConcurrencyPrimitive`.
 *
 * @example
 * ```ts no-run
 * const guarded: ConcurrencyPrimitive = new DeferredLock(); // or new DeferredSemaphore(3)
 * guarded.run(() => work()); // acquire, call, release when its Deferred fires
 * ```
 */
export abstract class ConcurrencyPrimitive {
  /**
   * @internal The acquire Deferreds that have not fired yet, oldest first. The Deferred of a
   * queued `run()` holds its call in its result field until its turn (see `_grantNext`).
   */
  protected readonly _waiting: WaiterRing<Deferred<this>>;
  /** @internal The canceller of every acquire Deferred (one function per primitive). */
  protected readonly _cancelAcquire: (d: Deferred<this>) => void;

  constructor() {
    this._waiting = new WaiterRing();
    this._cancelAcquire = (d: Deferred<this>): void => {
      // A waiter already granted past the handover depth fires instead (see waiterHandover.ts).
      if (!fireIfGranted(d as Deferred<unknown>)) this._waiting.remove(d);
    };
  }

  /**
   * The acquire Deferreds still waiting, oldest first (a copy). Port of the `waiting` list.
   */
  get waiting(): readonly Deferred<this>[] {
    return this._waiting.toArray();
  }

  /**
   * Acquire, returning a Deferred that fires with this primitive once it is held.
   */
  abstract acquire(): Deferred<this>;

  /**
   * Give back what `acquire()` gave.
   */
  abstract release(): void;

  /**
   * Acquire, call `fn(...args)`, and release once its result is known (once the Deferred or
   * promise it returns has fired). The returned Deferred fires with `fn`'s result or failure.
   *
   * Port of `_ConcurrencyPrimitive.run`.
   *
   * @param fn - the function to run while holding the lock or a token.
   * @param args - its arguments.
   * @returns a Deferred of `fn`'s outcome.
   * @throws InvalidCallbackError when `fn` is not a function (nothing is acquired).
   * @example
   * ```ts no-run
   * const lock = new DeferredLock();
   * lock.run((a: number, b: number) => a + b, 1, 2).addCallback((v) => console.log(v)); // 3
   * ```
   */
  run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Deferred<Unwrap<R>>;
  run(fn: (...args: unknown[]) => unknown): Deferred<unknown> {
    if (typeof fn !== 'function') {
      throw new InvalidCallbackError(`${this.constructor.name}.run()`, 'first argument', fn);
    }
    // `arguments` instead of a rest parameter: no array is allocated for the common no-args call.
    // eslint-disable-next-line prefer-rest-params
    const args = arguments.length > 1 ? Array.prototype.slice.call(arguments, 1) : undefined;
    // Twisted's form when acquire() is overridden, or when the lock or a token is free.
    if (!this._plainAcquire() || this._free()) return this.acquire().addCallbacks(executeHeld, null, [this, fn, args]);
    // Held: the waiter keeps its call in its unfired Deferred's result field, which nothing reads
    // before firing (`result` reads undefined); `_grantNext` puts Twisted's execute callback in
    // front of the Deferred's callbacks when the turn comes.
    const d = new Deferred<this>(this._cancelAcquire);
    d._result = args === undefined ? fn : new QueuedCall(fn, args);
    this._waiting.push(d);
    return d;
  }

  /** @internal True when `acquire()` would fire at once (a class of its own says so by overriding this). */
  protected _free(): boolean {
    return false;
  }

  /**
   * @internal True when `acquire()` is the class's own and queues with `_grantNext` (false
   * here, so a class of its own, or one overriding `acquire()`, gets Twisted's `run()`).
   */
  protected _plainAcquire(): boolean {
    return false;
  }

  /**
   * @internal Give the first waiter its turn: the lock or token goes to it, and it fires (see
   * waiterHandover.ts). A queued `run()` first gets its execute callback, ahead of any callback
   * added to its Deferred since, which is where Twisted's `run()` put it.
   */
  protected _grantNext(): void {
    const d = this._waiting.shift();
    // Unfired, a queued run()'s Deferred holds its call (a plain acquire's holds undefined).
    const call = (d._state & CALLED) === 0 ? d._result : undefined;
    if (call !== undefined) {
      d._result = undefined;
      let fn: (...args: unknown[]) => unknown;
      let args: unknown[] | undefined;
      if (typeof call === 'function') {
        fn = call as (...args: unknown[]) => unknown;
        args = undefined;
      } else {
        fn = (call as QueuedCall).fn;
        args = (call as QueuedCall).args;
      }
      // Nothing added to the run() Deferred (the usual case): its function is called as its
      // first callback, with no entry made for it.
      if (d._cbs === null && d._state >> 2 === 0 && handOverCall(d as Deferred<unknown>, this, fireExecuting, this, fn, args)) return;
      putFirst(d as Deferred<unknown>, new Entry(PAIR, executeHeld as Slot, [this, fn, args], null, undefined, null));
    }
    handOver(d, this);
  }
}

/** The call a queued `run()` with arguments waits to make (without arguments, the function alone). */
class QueuedCall {
  readonly fn: (...args: unknown[]) => unknown;
  readonly args: unknown[];
  constructor(fn: (...args: unknown[]) => unknown, args: unknown[]) {
    this.fn = fn;
    this.args = args;
  }
}

/**
 * Fire the idle `d` with `value` and call Twisted's execute callback as its first callback,
 * outside the queue, then go on as the callback loop does (as `add` on a fired Deferred).
 */
function fireExecuting(d: Deferred<unknown>, value: unknown, primitive: ConcurrencyPrimitive, fn: (...args: unknown[]) => unknown, args: unknown[] | undefined): void {
  // `d` is unfired, unpaused and has nothing queued (see `_grantNext`), and `value` is the
  // primitive, not a Failure: firing it is setting its fields (`start` would test for a Failure).
  if (state.debug) (d._debugInfo ??= newDebugInfo(d, null)).invoker = captureStack(Deferred.prototype.callback as AnyFunction);
  d._state = CALLED | RUNNING;
  d._result = value;
  d._chainedTo = null;
  let r: unknown;
  try {
    r = executeHeld(value, primitive, fn, args);
    if ((typeof r === 'object' && r !== null) || typeof r === 'function') r = adoptable(r);
  } catch (e) {
    r = new Failure(e);
  } finally {
    d._state &= ~RUNNING;
  }
  settleFirst(d, r);
}

/** Put `entry` in front of the callbacks queued on the unfired `d`. */
function putFirst(d: Deferred<unknown>, entry: Entry): void {
  const q = d._cbs;
  if (q === null) {
    d._cbs = entry;
  } else if (Array.isArray(q)) {
    // Unfired, so nothing was taken from the array yet: it starts at 0.
    d._cbs = [entry, ...q];
  } else if (d._next === 0) {
    d._cbs = entry;
    d._next = q;
  } else {
    d._cbs = [entry, q, d._next as Queued];
    d._next = 0;
  }
}

/**
 * run()'s callback once acquired: Twisted's `maybeDeferred(f).addBoth(_releaseAndReturn)`. A plain
 * result (or a throw) is released and passed on at once, without the intermediate fired Deferred;
 * a returned Deferred or promise is released when it fires, as in Twisted.
 */
function executeHeld(_held: unknown, primitive: ConcurrencyPrimitive, fn: (...args: unknown[]) => unknown, args: unknown[] | undefined): unknown {
  let result: unknown;
  try {
    result = args === undefined ? fn() : fn(...args);
  } catch (e) {
    primitive.release();
    return new Failure(e);
  }
  if (isThenable(result)) {
    return maybeDeferred(() => result).addBoth(releaseAndReturn, primitive);
  }
  primitive.release();
  return result;
}

/** Port of `_ConcurrencyPrimitive._releaseAndReturn`: release, then pass the result on. */
function releaseAndReturn<T>(result: T, primitive: ConcurrencyPrimitive): T {
  primitive.release();
  return result;
}

/**
 * A lock for event-driven code: `acquire()` returns a Deferred that fires (with the lock) once
 * the lock is yours; `release()` hands it to the next waiter in FIFO order.
 *
 * Port of `twisted.internet.defer.DeferredLock`. Waiters are handed the lock without growing the
 * stack, so any number of them can queue (Twisted overflows at about 120 chained `run()`s).
 *
 * @example
 * ```ts no-run
 * const lock = new DeferredLock();
 * lock.acquire().addCallback(() => console.log('first'));  // runs now
 * lock.acquire().addCallback(() => console.log('second')); // waits
 * lock.release();                                          // prints "second"
 * ```
 */
export class DeferredLock extends ConcurrencyPrimitive {
  /** @internal */
  private _locked: boolean;

  constructor() {
    super();
    this._locked = false;
  }

  /** True while the lock is held. Port of `DeferredLock.locked`. */
  get locked(): boolean {
    return this._locked;
  }

  /**
   * Ask for the lock. The Deferred fires with the lock itself: at once when it is free,
   * otherwise when every earlier waiter has released it. Cancelling a waiting acquire removes it
   * from the queue and fails it with CancelledError; cancelling one that fired does nothing.
   *
   * Port of `DeferredLock.acquire`.
   *
   * @returns a Deferred that fires with this lock once it is held.
   */
  acquire(): Deferred<this> {
    const d = new Deferred<this>(this._cancelAcquire);
    if (this._locked) {
      this._waiting.push(d);
    } else {
      this._locked = true;
      d.callback(this);
    }
    return d;
  }

  /** @internal */
  protected override _free(): boolean {
    return !this._locked;
  }

  /** @internal */
  protected override _plainAcquire(): boolean {
    return this.acquire === DeferredLock.prototype.acquire;
  }

  /**
   * Release the lock. If anyone is waiting, the lock goes straight to the first waiter (it
   * stays locked) and that waiter's Deferred fires.
   *
   * Port of `DeferredLock.release`.
   *
   * @throws NotLockedError when the lock is not locked.
   */
  release(): void {
    if (!this._locked) throw new NotLockedError();
    if (this._waiting.length !== 0) {
      this._grantNext();
    } else {
      this._locked = false;
    }
  }
}
