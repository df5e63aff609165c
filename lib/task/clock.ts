// Port of twisted.internet.task.Clock (Twisted 22.4): a fake IReactorTime for deterministic tests.
// Covered by spec/task/clock.spec.ts (ClockTests of twisted/test/test_task.py) and
// spec/task/clockProperties.spec.ts (fast-check against a model of Twisted's sorted list).
//
// Twisted's Clock keeps a list and re-sorts it after every callLater and every call it runs; this
// one keeps its calls in the timer heap the reactor uses (lib/reactor/heap.ts), so n calls cost
// O(n log n), with the same order: due time, then scheduling order.
import type { IReactorTime } from '../defer/interfaces.js';
import { DelayedCall, NO_ARGS, type DelayedFunction } from '../reactor/delayedCall.js';
import { InvalidDelayError, NotANumberError, callLaterError } from '../reactor/errors.js';
import { TimerHeap } from '../reactor/heap.js';

/**
 * A clock whose time moves only when told to: `callLater` schedules as on the reactor, and
 * `advance(seconds)` moves time forward and runs what became due. Port of
 * `twisted.internet.task.Clock`.
 *
 * Semantics kept from Twisted: time starts at 0; calls due at the same time run in the order
 * they were scheduled; `advance()` runs calls that become due during the advance, including ones
 * scheduled by the calls it runs (so a `callLater(0)` loop spins until it stops itself); an
 * exception thrown by a call propagates out of `advance()` at once, after that call was removed
 * and time was moved, and the remaining due calls wait for the next `advance()`.
 *
 * Differences: a negative or non-finite delay and a non-function are rejected with
 * `InvalidDelayError` / `NotCallableError` (Twisted's Clock accepts them); `advance()` rejects a
 * negative or non-finite amount; `getDelayedCalls()` returns a fresh sorted array, not the live
 * list.
 *
 * @example Testing time-dependent code
 * ```ts no-run
 * import { Clock } from 'twistless/task';
 * const clock = new Clock();
 * clock.callLater(2, () => console.log('two seconds later'));
 * clock.advance(1); // nothing yet
 * clock.advance(1); // prints "two seconds later"
 * ```
 */
export class Clock implements IReactorTime {
  /** The current time in seconds; starts at 0. Port of `Clock.rightNow`. */
  rightNow: number;
  private readonly _heap: TimerHeap;
  private readonly _seconds: () => number;

  constructor() {
    this.rightNow = 0;
    this._heap = new TimerHeap();
    this._seconds = () => this.rightNow;
    // Bound, so that `const cl = clock.callLater` (a Python bound method passed alone) works.
    this.callLater = this.callLater.bind(this);
    this.seconds = this.seconds.bind(this);
  }

  /**
   * The current fake time in seconds. Port of `Clock.seconds`.
   *
   * @returns `rightNow`
   * @example
   * ```ts no-run
   * new Clock().seconds(); // 0
   * ```
   */
  seconds(): number {
    return this.rightNow;
  }

  /**
   * Schedule `fn(...args)` to run when the clock reaches `seconds() + delay`. Port of
   * `Clock.callLater`.
   *
   * @param delay - float seconds from now, finite and >= 0
   * @param fn - the function to call
   * @param args - its arguments
   * @returns the DelayedCall (an IDelayedCall)
   * @throws NotANumberError (a TypeError) when `delay` is not a number (say `callLater(undefined, f)`
   *   or setTimeout's order `callLater(f, 1)`)
   * @throws InvalidDelayError for a negative or non-finite delay
   * @throws NotCallableError when `fn` is not a function
   * @example
   * ```ts no-run
   * const call = clock.callLater(1, (a: number, b: number) => console.log(a + b), 1, 2);
   * call.getTime(); // 1
   * ```
   */
  callLater<A extends unknown[]>(delay: number, fn: (...args: A) => unknown, ...args: A): DelayedCall;
  callLater(delay: number, fn: DelayedFunction): DelayedCall {
    if (typeof fn !== 'function' || typeof delay !== 'number' || !(delay >= 0) || delay === Infinity) {
      throw callLaterError('Clock.callLater(delay, fn)', delay, fn);
    }
    // `arguments`, not a rest parameter: the common call without arguments allocates no array.
    // eslint-disable-next-line prefer-rest-params
    const args = arguments.length <= 2 ? NO_ARGS : Array.prototype.slice.call(arguments, 2);
    const heap = this._heap;
    const call = new DelayedCall(this.rightNow + delay, fn, args, heap.canceller, heap.resetter, this._seconds);
    heap.pushDelayed(call, delay);
    return call;
  }

  /**
   * Every pending call, in the order they will run (a fresh array). Port of
   * `Clock.getDelayedCalls`.
   *
   * @returns the pending DelayedCalls
   * @example
   * ```ts no-run
   * new Clock().getDelayedCalls(); // []
   * ```
   */
  getDelayedCalls(): DelayedCall[] {
    return this._heap.toSortedArray();
  }

  /**
   * Move time forward by `amount` seconds and run every call that is then due, in order,
   * including calls that become due while this runs. An exception thrown by a call escapes at
   * once; the calls still due then run at the next `advance()`. Port of `Clock.advance`.
   *
   * @param amount - float seconds, finite and >= 0
   * @throws NotANumberError (a TypeError) when `amount` is not a number (time does not move)
   * @throws InvalidDelayError for a negative or non-finite amount (time does not move)
   * @throws whatever a call throws
   * @example
   * ```ts no-run
   * clock.callLater(1, () => console.log('ran'));
   * clock.advance(1); // prints "ran"
   * ```
   */
  advance(amount: number): void {
    if (typeof amount !== 'number') throw new NotANumberError('Clock.advance(amount)', 'amount', amount, 'advance(1)');
    if (!(amount >= 0) || amount === Infinity) throw new InvalidDelayError('Clock.advance(amount)', amount);
    this.rightNow += amount;
    const heap = this._heap;
    // Re-read rightNow each step: a call may move the clock itself (Twisted re-reads seconds()).
    for (let call = heap.popDue(this.rightNow, Infinity); call !== undefined; call = heap.popDue(this.rightNow, Infinity)) {
      call.called = true;
      const fn = call.func as DelayedFunction;
      const args = call.args as never[];
      if (args.length === 0) fn();
      else fn(...args);
    }
  }

  /**
   * `advance(t)` for each `t` in turn. Port of `Clock.pump`.
   *
   * @param timings - amounts of seconds
   * @throws whatever `advance()` throws (the remaining timings are not applied)
   * @example
   * ```ts no-run
   * clock.pump([1, 1, 1]); // three advances of one second
   * ```
   */
  pump(timings: Iterable<number>): void {
    for (const amount of timings) this.advance(amount);
  }
}
