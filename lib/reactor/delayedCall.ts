// Port of twisted.internet.base.DelayedCall (Twisted 22.4): a call scheduled to run later, as
// returned by reactor.callLater and Clock.callLater. Covered by spec/reactor/delayedCall.spec.ts
// (test_base.py's DelayedCall tests, test_internet.py's TimeTests) and spec/task/clock.spec.ts.
import { inspect } from 'node:util';
import type { IDelayedCall } from '../defer/interfaces.js';
import { AlreadyCalled, AlreadyCancelled, InvalidDelayError, NotANumberError, notPendingError } from './errors.js';
import { timeKeyHi, timeKeyLo, timeOfKey } from './timeKey.js';

/**
 * A function a DelayedCall can hold: any arguments, any result.
 * Stands for the `func` of `twisted.internet.base.DelayedCall` (any callable).
 */
export type DelayedFunction = (...args: never[]) => unknown;

/**
 * Told when a DelayedCall is cancelled, before it is marked cancelled. The scheduler takes the
 * call off its queue here (Twisted's `canceller`).
 *
 * Port of the `cancel` argument of `twisted.internet.base.DelayedCall.__init__`.
 */
export type DelayedCallCanceller = (call: DelayedCall) => void;

/**
 * Told after a DelayedCall's due time (`getTime()`) changed, with the due time it had before, so
 * the scheduler can move it in its queue (Twisted's `resetter`; Twisted calls it only when the
 * call moved sooner, because its reactor re-queues late calls lazily; twistless's heap is eager
 * and is told of every change).
 *
 * Port of the `reset` argument of `twisted.internet.base.DelayedCall.__init__`.
 */
export type DelayedCallResetter = (call: DelayedCall, previousTime: number) => void;

// Read only by toString(), so kept beside the calls: a field would cost every pending call memory.
let nextId = 1;
const ids = new WeakMap<DelayedCall, number>();
const frozenReprs = new WeakMap<DelayedCall, string>();
// The creation stacks of calls made while `DelayedCall.debug` was on: read only by toString()
// and by the reactor when a call throws, so they too live beside the calls.
const creators = new WeakMap<DelayedCall, string>();

/** `time` and `delayedTime` of a call whose `delayedTime` is not +0 or whose `time` is -0. */
interface MovedTimes {
  time: number;
  delayedTime: number;
}

// The bits of DelayedCall._state.
const CALLED = 1;
const CANCELLED = 2;

/** A scheduler's canceller, resetter and clock, held once for all its calls. */
interface Hooks {
  readonly canceller: DelayedCallCanceller | null;
  readonly resetter: DelayedCallResetter | null;
  readonly seconds: () => number;
}

// A scheduler passes the same three functions to every call it makes; the last Hooks built is
// reused while they stay the same, so a call costs one field for them and no allocation.
let lastHooks: Hooks = { canceller: null, resetter: null, seconds: () => 0 };

function hooksFor(canceller: DelayedCallCanceller | null, resetter: DelayedCallResetter | null, seconds: () => number): Hooks {
  const h = lastHooks;
  if (h.canceller === canceller && h.resetter === resetter && h.seconds === seconds) return h;
  lastHooks = { canceller, resetter, seconds };
  return lastHooks;
}
/**
 * The arguments of every call scheduled without any: one shared, frozen array, so a pending call
 * without arguments holds no array of its own. Schedulers pass it to `new DelayedCall(...)`.
 *
 * No Python counterpart (Python passes a fresh args tuple); a twistless memory saving.
 *
 * @example
 * ```ts no-run
 * new DelayedCall(t, f, args.length === 0 ? NO_ARGS : args, canceller, resetter, seconds);
 * ```
 */
export const NO_ARGS: unknown[] = Object.freeze([]) as unknown as unknown[];

function describeFunction(fn: DelayedFunction): string {
  const name = (fn as { name?: unknown }).name;
  return typeof name === 'string' && name !== '' ? name : '<anonymous>';
}

function safeRepr(value: unknown): string {
  try {
    return inspect(value, { depth: 2, breakLength: Infinity });
  } catch (e) {
    return `<unrepresentable ${typeof value}: ${e instanceof Error ? e.message : 'error'}>`;
  }
}

/**
 * A call scheduled to run at a given time: the object `callLater` returns. Port of
 * `twisted.internet.base.DelayedCall`, implementing `IDelayedCall`.
 *
 * Time is float seconds on the scheduling clock (`seconds`). `getTime()` is `time + delayedTime`,
 * as in Twisted: `reset()` to a later time and a positive `delay()` only grow `delayedTime`,
 * while moving a call sooner rewrites `time`.
 *
 * @example Scheduling and rescheduling on a Clock
 * ```ts no-run
 * import { Clock } from 'twistless/task';
 * const clock = new Clock();
 * const call = clock.callLater(5, (who: string) => console.log(`hello ${who}`), 'world');
 * call.delay(2);           // now due at 7
 * call.reset(1);           // now due at 1
 * clock.advance(1);        // prints "hello world"
 * console.log(call.active()); // false
 * ```
 */
export class DelayedCall implements IDelayedCall {
  // Fields are `declare`d: the constructor assigns every one of them, in one order, so each call
  // gets one stable shape without ES2022 class-field definitions running first.
  /**
   * When true, each new DelayedCall records the stack it was created from; `toString()` shows it,
   * and the reactor logs it beside an exception the call throws. Port of `DelayedCall.debug`.
   */
  static debug = false;

  // The due time (`getTime()`) as its key (lib/reactor/timeKey.ts): two small integers, never a
  // boxed double; the heap compares these.
  /** @internal */ declare _dueHi: number;
  /** @internal */ declare _dueLo: number;
  // null while `time` is the due time and `delayedTime` is +0 (until a reset or delay); else both.
  declare private _times: MovedTimes | null;
  /** The function to call; `null` once the call is cancelled (Twisted deletes `func`). */
  declare func: DelayedFunction | null;
  /** The arguments for `func`; `null` once the call is cancelled. */
  declare args: unknown[] | null;
  // `called` and `cancelled` as two bits of one small integer: one field per call instead of two.
  declare private _state: number;

  // Owned by TimerHeap (lib/reactor/heap.ts): the tie-breaking sequence number and the slot.
  /** @internal */ declare _seq: number;
  /** @internal */ declare _index: number;
  // The canceller, resetter and clock, shared by every call of one scheduler (one field, not three).
  declare private readonly _hooks: Hooks;

  /**
   * Create a delayed call. Schedulers (`reactor`, `Clock`) create these; tests may too, as
   * Twisted's do. Port of `DelayedCall.__init__(time, func, args, kw, cancel, reset, seconds)`.
   *
   * @param time - absolute due time, in seconds on `seconds`'s clock
   * @param func - the function to call
   * @param args - its arguments
   * @param canceller - told when the call is cancelled (null: nobody)
   * @param resetter - told when the due time changes (null: nobody)
   * @param seconds - the clock to read the current time from
   * @throws NotANumberError (a TypeError) when `time` is not a number (as do the `time` and
   *   `delayedTime` setters)
   */
  constructor(
    time: number,
    func: DelayedFunction,
    args: unknown[],
    canceller: DelayedCallCanceller | null,
    resetter: DelayedCallResetter | null,
    seconds: () => number,
  ) {
    if (typeof time !== 'number') throw new NotANumberError('new DelayedCall(time, ...)', 'time', time, 'new DelayedCall(5, f, [], null, null, seconds)');
    this._dueHi = timeKeyHi(time);
    this._dueLo = timeKeyLo();
    // A time of -0 is kept apart: its key is +0's.
    this._times = time !== 0 || 1 / time > 0 ? null : { time, delayedTime: 0 };
    this.func = func;
    this.args = args;
    this._state = 0;
    this._seq = 0;
    this._index = -1;
    this._hooks = hooksFor(canceller, resetter, seconds);
    if (DelayedCall.debug) creators.set(this, creationStack());
  }

  /** The scheduled time in seconds, without `delayedTime` (Twisted's `time`). */
  get time(): number {
    const times = this._times;
    return times === null ? timeOfKey(this._dueHi, this._dueLo) : times.time;
  }

  set time(value: number) {
    if (typeof value !== 'number') throw new NotANumberError('DelayedCall.time = value', 'value', value, 'call.time = 5');
    this._setTimes(value, this.delayedTime);
  }

  /** Seconds added to `time` by `reset()` to a later time or by `delay()` (Twisted's `delayed_time`). */
  get delayedTime(): number {
    const times = this._times;
    return times === null ? 0 : times.delayedTime;
  }

  set delayedTime(value: number) {
    if (typeof value !== 'number') throw new NotANumberError('DelayedCall.delayedTime = value', 'value', value, 'call.delayedTime = 2');
    this._setTimes(this.time, value);
  }

  /** True once the call has started running (set just before `func` is called). */
  get called(): boolean {
    return (this._state & CALLED) !== 0;
  }

  set called(value: boolean) {
    this._state = value ? this._state | CALLED : this._state & ~CALLED;
  }

  /** True once the call has been cancelled. */
  get cancelled(): boolean {
    return (this._state & CANCELLED) !== 0;
  }

  set cancelled(value: boolean) {
    this._state = value ? this._state | CANCELLED : this._state & ~CANCELLED;
  }

  /** The clock this call reads the current time from (for `reset()` and `toString()`). */
  get seconds(): () => number {
    return this._hooks.seconds;
  }

  /** The creation stack, when `DelayedCall.debug` was on at creation; otherwise null. */
  get creator(): string | null {
    return creators.get(this) ?? null;
  }

  /**
   * The time, in seconds on the scheduling clock, at which the call will run
   * (`time + delayedTime`). Port of `DelayedCall.getTime`.
   *
   * @returns the due time in float seconds
   * @example
   * ```ts no-run
   * clock.callLater(1.5, f).getTime(); // 1.5 on a new Clock
   * ```
   */
  getTime(): number {
    const times = this._times;
    return times === null ? timeOfKey(this._dueHi, this._dueLo) : times.time + times.delayedTime;
  }

  /** @internal The due time (`getTime()`) as a float, for the heap's rarer paths (moves, arming a timer). */
  get _due(): number {
    return this.getTime();
  }

  /** Store `time` and `delayedTime`, and the key of their sum. */
  private _setTimes(time: number, delayedTime: number): void {
    const due = time + delayedTime;
    this._dueHi = timeKeyHi(due);
    this._dueLo = timeKeyLo();
    const times = this._times;
    if (times !== null) {
      times.time = time;
      times.delayedTime = delayedTime;
    } else if (delayedTime !== 0 || 1 / delayedTime < 0 || (time === 0 && 1 / time < 0)) {
      this._times = { time, delayedTime };
    }
  }

  /**
   * Unschedule the call. Port of `DelayedCall.cancel`.
   *
   * @throws AlreadyCancelled when it was cancelled before
   * @throws AlreadyCalled when it has run (or is running)
   * @example
   * ```ts no-run
   * const call = clock.callLater(1, f);
   * call.cancel();
   * call.active(); // false
   * ```
   */
  cancel(): void {
    if (this.cancelled) throw new AlreadyCancelled();
    if (this.called) throw new AlreadyCalled();
    const canceller = this._hooks.canceller;
    if (canceller !== null) canceller(this);
    this.cancelled = true;
    if (DelayedCall.debug) frozenReprs.set(this, this.toString());
    this.func = null;
    this.args = null;
  }

  /**
   * Reschedule the call to run `secondsFromNow` seconds after the current time. Port of
   * `DelayedCall.reset`.
   *
   * @param secondsFromNow - float seconds, finite and >= 0
   * @throws AlreadyCancelled / AlreadyCalled when the call is no longer pending
   * @throws NotANumberError (a TypeError) when `secondsFromNow` is not a number (nothing changes)
   * @throws InvalidDelayError when `secondsFromNow` is negative or not finite (nothing changes)
   * @example
   * ```ts no-run
   * const call = clock.callLater(2, f);
   * clock.advance(1);
   * call.reset(3); // due at 4
   * ```
   */
  reset(secondsFromNow: number): void {
    if (this._state !== 0) throw notPendingError(this.cancelled, 'reset');
    if (typeof secondsFromNow !== 'number') {
      throw new NotANumberError('DelayedCall.reset(secondsFromNow)', 'secondsFromNow', secondsFromNow, 'reset(2)');
    }
    if (!(secondsFromNow >= 0) || secondsFromNow === Infinity) {
      throw new InvalidDelayError('DelayedCall.reset(secondsFromNow)', secondsFromNow);
    }
    const previous = this._due;
    const newTime = this.seconds() + secondsFromNow;
    const time = this.time;
    if (newTime < time) this._setTimes(newTime, 0);
    else this._setTimes(time, newTime - time);
    const resetter = this._hooks.resetter;
    if (this._due !== previous && resetter !== null) resetter(this, previous);
  }

  /**
   * Push the call back by `secondsLater` (negative moves it sooner). Port of `DelayedCall.delay`.
   *
   * @param secondsLater - float seconds, finite
   * @throws AlreadyCancelled / AlreadyCalled when the call is no longer pending
   * @throws NotANumberError (a TypeError) when `secondsLater` is not a number (nothing changes)
   * @throws InvalidDelayError when `secondsLater` is not finite (nothing changes)
   * @example
   * ```ts no-run
   * const call = clock.callLater(1, f);
   * call.delay(1); // due at 2
   * ```
   */
  delay(secondsLater: number): void {
    if (this._state !== 0) throw notPendingError(this.cancelled, 'delay');
    if (typeof secondsLater !== 'number') {
      throw new NotANumberError('DelayedCall.delay(secondsLater)', 'secondsLater', secondsLater, 'delay(1)');
    }
    if (!Number.isFinite(secondsLater)) {
      throw new InvalidDelayError('DelayedCall.delay(secondsLater)', secondsLater, 'a finite number of seconds');
    }
    const previous = this._due;
    const time = this.time;
    const delayed = this.delayedTime + secondsLater;
    if (delayed < 0) this._setTimes(time + delayed, 0);
    else this._setTimes(time, delayed);
    const resetter = this._hooks.resetter;
    if (this._due !== previous && resetter !== null) resetter(this, previous);
  }

  /**
   * Whether the call is still pending: neither run nor cancelled. Port of `DelayedCall.active`.
   *
   * @returns true while pending
   * @example
   * ```ts no-run
   * clock.callLater(1, f).active(); // true
   * ```
   */
  active(): boolean {
    return this._state === 0;
  }

  /**
   * Twisted's repr: `<DelayedCall 0x1f [10.5s] called=0 cancelled=0 nothing(3, 'x')>`, where the
   * bracket is `time - seconds()` and the hex number identifies the call. A cancelled call shows
   * no function part; with `DelayedCall.debug` the creation stack is appended.
   * Port of `DelayedCall.__repr__` / `__str__`.
   *
   * @returns the description
   * @example
   * ```ts no-run
   * String(clock.callLater(1.5, console.log, 3)); // '<DelayedCall 0x1 [1.5s] called=0 cancelled=0 log(3)>'
   * ```
   */
  toString(): string {
    const frozen = frozenReprs.get(this);
    if (frozen !== undefined) return frozen;
    let id = ids.get(this);
    if (id === undefined) {
      id = nextId++;
      ids.set(this, id);
    }
    let s = `<DelayedCall 0x${id.toString(16)} [${this.time - this.seconds()}s] called=${this.called ? 1 : 0} cancelled=${this.cancelled ? 1 : 0}`;
    if (this.func !== null) {
      const args = this.args ?? [];
      s += ` ${describeFunction(this.func)}(${args.map(safeRepr).join(', ')})`;
    }
    if (this.creator !== null) s += `\n\ntraceback at creation: \n\n${this.creator}`;
    return s + '>';
  }

  /** @internal Node's util.inspect shows the Twisted repr. */
  [inspect.custom](): string {
    return this.toString();
  }
}

function creationStack(): string {
  const stack = new Error('DelayedCall created here').stack ?? '';
  // Drop the message line and the frames inside this file.
  return stack
    .split('\n')
    .slice(1)
    .filter((line) => !line.includes('delayedCall.'))
    .join('\n');
}
