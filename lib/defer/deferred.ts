// Port of twisted.internet.defer.Deferred (Twisted 22.4): the class, its public methods and
// their argument checks. Covered by spec/defer/deferred.spec.ts (chaining too),
// spec/defer/canceller.spec.ts, spec/defer/timeout.spec.ts, spec/defer/alreadyCalled.spec.ts,
// spec/defer/log.spec.ts, spec/defer/awaitable.spec.ts, spec/defer/stack.spec.ts and
// spec/defer/model.spec.ts.
//
// The Deferred core is split by concern, each file below this one:
//   callbackQueue.ts  the shapes of the callback queue (entries, kinds, the hand-off signal);
//   callbackLoop.ts   appending pairs, the fast path on a fired Deferred, and the callback loop;
//   adopt.ts          thenables returned by callbacks or given to fromPromise become Deferreds;
//   awaitable.ts      then/await/asPromise: a native Promise of the result;
//   timeout.ts        addTimeout's machinery;
//   brand.ts          isDeferred and the brand, for the files that cannot import this class.
// Every field is set in the constructor, in one order, so all Deferreds share one shape.

import { Failure, isFailure } from '../failure/failure.js';
import { NoCurrentExceptionError } from '../failure/errors.js';
import { describe as describeValue } from '../internal/describe.js';
import { fromThenable, setDeferredMaker, thenOf } from './adopt.js';
import { asPromise, thenDeferred } from './awaitable.js';
import { DEFERRED_BRAND as BRAND, isDeferred as isBranded } from './brand.js';
import { add, push, runCallbacks, start } from './callbackLoop.js';
import { CALLED, Entry, FORWARD, PAUSE_STEP, SUPPRESS_ONE_CALL, type AnyFunction, type Queue, type Queued, type Slot } from './callbackQueue.js';
import { captureStack, DebugInfo, newDebugInfo, state } from './debug.js';
import type { IReactorTime } from './interfaces.js';
import { addTimeout } from './timeout.js';
import { CancelledError, DeferredAsResultError, InvalidCallbackError, NotAPromiseError } from './errors.js';

// brand.ts defines these (the files below this class test for Deferreds too); they are exported
// here as plain values, not re-exports, which the CommonJS build would turn into getters.
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
export const DEFERRED_BRAND: typeof BRAND = BRAND;

/**
 * True when `x` is a Deferred from any copy of twistless (by its `Symbol.for` brand).
 *
 * @example
 * ```ts
 * isDeferred(succeed(1)); // true
 * isDeferred(Promise.resolve(1)); // false
 * ```
 */
export const isDeferred: (x: unknown) => x is Deferred<unknown> = isBranded;

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
/** The numbers toString() shows, given on first use (few Deferreds are ever printed). */
const ids = new WeakMap<Deferred<unknown>, number>();

/** The parameter type of the add* implementations (their overloads carry the real types). */
type ImplSlot = (result: never, ...args: never[]) => unknown;

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
  /** @internal the queue (see callbackQueue.ts): null when empty, one entry, or an array of entries. */
  _cbs: Queue;
  /**
   * @internal the index of the next entry when `_cbs` is an array; else the second entry queued,
   * or 0 when there is none (two entries need no array).
   */
  _next: number | Queued;
  /** @internal the current result (until fired: undefined, or a queued run()'s call, see lock.ts). */
  _result: unknown;
  /**
   * @internal Three things in one number, to keep Deferreds small: CALLED (set once
   * callback()/errback() ran, or cancel() errbacked), RUNNING (set while one of its callbacks
   * runs: stops re-entry), and above them the pause count times PAUSE_STEP (user pauses, plus 1
   * while waiting on another Deferred; -1 after an extra unpause(), as in Twisted).
   * `_state === CALLED` means fired and idle; `_state >> 2` is the pause count.
   */
  _state: number;
  /** @internal the Deferred this one waits on (returned from a callback, or chainDeferred's source). */
  _chainedTo: Deferred<unknown> | null;
  /**
   * @internal the canceller given to the constructor. Typed without T so that Deferred stays
   * covariant in T (a Deferred<number> is a Deferred<unknown>).
   * Once cancel() has fired a Deferred that had none, SUPPRESS_ONE_CALL: swallow one later
   * callback()/errback().
   */
  _canceller: ((deferred: never) => unknown) | null;
  /** @internal the unhandled-failure record and debug stacks, or null. */
  _debugInfo: DebugInfo | null;

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
    this._cbs = null;
    this._next = 0;
    this._result = undefined;
    this._state = 0;
    this._chainedTo = null;
    this._canceller = canceller ?? null;
    this._debugInfo = state.debug ? newDebugInfo(this, captureStack(new.target as unknown as AnyFunction)) : null;
  }

  /** False until `callback`/`errback` (or a cancel) fires it, then true for ever. Port of `Deferred.called`. */
  get called(): boolean {
    return (this._state & CALLED) !== 0;
  }

  /**
   * How many unmatched `pause()` calls there are, plus 1 while it waits on another Deferred.
   * Not clamped: an extra `unpause()` makes it -1, which also stops the chain. Port of `Deferred.paused`.
   */
  get paused(): number {
    return this._state >> 2;
  }

  /**
   * The current result: `undefined` before firing; then the value the chain has reached, a
   * `Failure` while failing, the Deferred it waits on while waiting, and `undefined` again once
   * it has handed its result to a Deferred waiting on it. Typed `unknown` because callbacks
   * added since `T` was inferred may have changed it. Port of `Deferred.result`.
   */
  get result(): unknown {
    // Unfired, the field may hold a queued run()'s call (see lock.ts).
    return (this._state & CALLED) !== 0 ? this._result : undefined;
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
    add(
      this as Deferred<unknown>,
      callback as Slot,
      callbackArgs === undefined || callbackArgs === null || callbackArgs.length === 0 ? undefined : callbackArgs.slice(),
      (errback ?? null) as Slot | null,
      errbackArgs === undefined || errbackArgs === null || errbackArgs.length === 0 ? undefined : errbackArgs.slice(),
    );
    return this as unknown as Deferred<Unwrap<R1> | Unwrap<R2>>;
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
    add(this as Deferred<unknown>, callback as Slot, arguments.length > 1 ? restOf(arguments) : undefined, null, undefined);
    return this;
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
    add(this as Deferred<unknown>, null, undefined, errback as Slot, arguments.length > 1 ? restOf(arguments) : undefined);
    return this;
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
    add(this as Deferred<unknown>, callback as Slot, args, callback as Slot, args);
    return this;
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
    start(this as Deferred<unknown>, result, Deferred.prototype.callback as AnyFunction);
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
    start(this as Deferred<unknown>, isFailure(fail) ? fail : new Failure(fail), Deferred.prototype.errback as AnyFunction);
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
    this._state += PAUSE_STEP;
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
    this._state -= PAUSE_STEP;
    if (this._state >> 2 !== 0) return;
    if ((this._state & CALLED) !== 0) runCallbacks(this as Deferred<unknown>);
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
    push(this as Deferred<unknown>, new Entry(FORWARD, null, undefined, null, undefined, d as Deferred<unknown>));
    if ((this._state & CALLED) !== 0) runCallbacks(this as Deferred<unknown>);
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
    while ((d._state & CALLED) !== 0) {
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
    else d._canceller = SUPPRESS_ONE_CALL;
    if ((d._state & CALLED) === 0) d.errback(new Failure(new CancelledError()));
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
    addTimeout(this as Deferred<unknown>, seconds, clock, onTimeoutCancel as Slot | null | undefined);
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
    return thenDeferred(this, onfulfilled, onrejected);
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
    return asPromise(this);
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
    const then = thenOf(promise);
    if (then === undefined) throw new NotAPromiseError('Deferred.fromPromise', promise);
    return fromThenable(promise, then) as Deferred<T>;
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
    else if ((this._state & CALLED) !== 0) tail = ` current result: ${repr(this._result)}`;
    return `<${name} at 0x${this._getId().toString(16)}${tail}>`;
  }

  /** What `console.log` and `util.inspect` show: the same as toString(). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** @internal */
  _getId(): number {
    let id = ids.get(this);
    if (id === undefined) ids.set(this, (id = ++nextId));
    return id;
  }

  /** The brand (see isDeferred). */
  declare readonly [DEFERRED_BRAND]: true;
}

setDeferredMaker(() => new Deferred<unknown>());

Object.defineProperty(Deferred.prototype, DEFERRED_BRAND, { value: true, enumerable: false, writable: false });

/** The base `cancel`: a Deferred whose `cancel` is another one is cancelled through it. */
const baseCancel = Deferred.prototype.cancel;

/** Copy arguments[1..] into a new array. */
function restOf(args: IArguments): unknown[] {
  const out = new Array<unknown>(args.length - 1);
  for (let i = 1; i < args.length; i++) out[i - 1] = args[i];
  return out;
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
