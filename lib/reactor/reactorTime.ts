// Port of the time API of twisted.internet.base.ReactorBase (Twisted 22.4): callLater, seconds,
// getDelayedCalls and the timed-call pass of runUntilCurrent, riding Node's own event loop the
// way Twisted's asyncio reactor rides a host loop. ReactorBase (reactorBase.ts) adds run/stop and
// the system events on top. Covered by spec/reactor/time.spec.ts (TimeTests, DelayedTests of
// test_internet.py) and spec/reactor/realReactor.spec.ts.
//
// How it rides Node's loop: every pending call sits in one TimerHeap; ONE host timer
// (setTimeout) is armed for the earliest call. When it fires, `runUntilCurrent()` runs every call
// due by then and the timer is armed again for the new earliest call. The timer is re-armed only
// when a call lands earlier than the time it is armed for; when the earliest call is cancelled or
// moved later the timer is left alone, fires early, finds nothing due and re-arms (cheaper than a
// clearTimeout/setTimeout pair per cancel). When no call is left the timer is cleared, so pending
// calls keep the process alive exactly while they exist; `run()` holds the process with a
// separate keep-alive handle until the reactor stops.
import type { IReactorTime } from '../defer/interfaces.js';
import { Failure } from '../failure/failure.js';
import * as log from '../log/log.js';
import { DelayedCall, NO_ARGS, type DelayedCallCanceller, type DelayedCallResetter, type DelayedFunction } from './delayedCall.js';
import { NotCallableError, callLaterError, checkOptionNames } from './errors.js';
import { TimerHeap } from './heap.js';
import { MAX_TIMER_MS, monotonicSeconds, nodeTimers, REACTOR_OPTIONS, type ReactorOptions, type ReactorTimers } from './hostTimers.js';

/**
 * The time half of a reactor: an `IReactorTime` (callLater, seconds, getDelayedCalls) whose calls
 * run on Node's event loop through one host timer. The base of `ReactorBase`, which adds run,
 * stop and the system events; use `ReactorBase` or `Reactor`. Port of the time API of
 * `twisted.internet.base.ReactorBase`.
 *
 * @example
 * ```ts no-run
 * import { ReactorBase } from 'twistless/reactor';
 * new ReactorBase().callLater(0.01, () => console.log('later'));
 * ```
 */
export class ReactorTime implements IReactorTime {
  private readonly _heap: TimerHeap;
  /** @internal */
  readonly _timers: ReactorTimers;
  private readonly _secondsSource: () => number;
  private readonly _callSeconds: () => number;
  private readonly _canceller: DelayedCallCanceller;
  private readonly _resetter: DelayedCallResetter;
  private readonly _onTimer: () => void;
  private _timer: unknown;
  private _armedFor: number;
  /** @internal a pass of runUntilCurrent is asked for (stop, crash) whatever is due. */
  _wakeRequested: boolean;
  private _inPass: boolean;

  /**
   * @param options - an injected time source and host timers (for tests); both default to Node's
   * @throws InvalidOptionsError (a TypeError) for an unknown option name
   * @throws NotCallableError when `seconds` is given and is not a function
   */
  constructor(options: ReactorOptions = {}) {
    checkOptionNames('new Reactor(options)', options, REACTOR_OPTIONS);
    if (options.seconds !== undefined && typeof options.seconds !== 'function') {
      throw new NotCallableError('new Reactor({ seconds })', options.seconds);
    }
    // Bound, so that `const cl = reactor.callLater` (a Python bound method passed alone) works.
    this.callLater = this.callLater.bind(this);
    this.seconds = this.seconds.bind(this);
    // Each move measured from the call's previous time (see lib/reactor/heap.ts): no per-move cost.
    this._heap = new TimerHeap({ exactMoveOrder: false });
    this._timers = options.timers ?? nodeTimers;
    this._secondsSource = options.seconds ?? monotonicSeconds;
    this._callSeconds = () => this.seconds();
    const heap = this._heap;
    this._canceller = (call) => {
      heap.remove(call);
      if (heap.size === 0) this._arm();
    };
    this._resetter = (call, previousTime) => {
      heap.update(call, previousTime);
      if (call._due < previousTime) this._arm();
    };
    this._onTimer = () => {
      this._timer = null;
      this._armedFor = Infinity;
      this._wakeRequested = false;
      try {
        this.runUntilCurrent();
      } finally {
        this._arm(); // even if something unexpected escaped, the calls still pending stay armed
      }
    };
    this._timer = null;
    this._armedFor = Infinity;
    this._wakeRequested = false;
    this._inPass = false;
  }

  /**
   * The current time in float seconds (by default seconds since the epoch, from a monotonic
   * clock, so it never jumps backwards). Port of `reactor.seconds`.
   *
   * @returns the time in seconds
   * @example
   * ```ts no-run
   * const t0 = reactor.seconds();
   * ```
   */
  seconds(): number {
    return this._secondsSource();
  }

  /**
   * Call `fn(...args)` `delay` seconds from now, on Node's event loop. Calls due at the same time
   * run in the order they were scheduled; a call scheduled while calls are running waits for the
   * next pass, even when already due. An exception it throws is logged with `log.err` and the
   * reactor goes on. Port of `reactor.callLater`.
   *
   * @param delay - float seconds, finite and >= 0
   * @param fn - the function to call
   * @param args - its arguments
   * @returns the DelayedCall (an IDelayedCall: cancel, reset, delay, getTime, active)
   * @throws NotANumberError (a TypeError) when `delay` is not a number (say `callLater(undefined, f)`
   *   or setTimeout's order `callLater(f, 1)`)
   * @throws InvalidDelayError for a negative or non-finite delay (Twisted: AssertionError)
   * @throws NotCallableError when `fn` is not a function
   * @example
   * ```ts no-run
   * const call = reactor.callLater(0.5, (name: string) => console.log(`hi ${name}`), 'ann');
   * call.cancel();
   * ```
   */
  callLater<A extends unknown[]>(delay: number, fn: (...args: A) => unknown, ...args: A): DelayedCall;
  callLater(delay: number, fn: DelayedFunction): DelayedCall {
    if (typeof fn !== 'function' || typeof delay !== 'number' || !(delay >= 0) || delay === Infinity) {
      throw callLaterError('reactor.callLater(delay, fn)', delay, fn);
    }
    // `arguments`, not a rest parameter: the common call without arguments allocates no array.
    // eslint-disable-next-line prefer-rest-params
    const args = arguments.length <= 2 ? NO_ARGS : Array.prototype.slice.call(arguments, 2);
    const call = new DelayedCall(this.seconds() + delay, fn, args, this._canceller, this._resetter, this._callSeconds);
    this._heap.pushDelayed(call, delay);
    if (call._due < this._armedFor) this._arm();
    return call;
  }

  /**
   * Every pending call (not in any particular order; a fresh array). Port of
   * `reactor.getDelayedCalls`.
   *
   * @returns the pending DelayedCalls
   * @example
   * ```ts no-run
   * reactor.getDelayedCalls().length;
   * ```
   */
  getDelayedCalls(): DelayedCall[] {
    return this._heap.toArray();
  }

  /**
   * Run every call due now, in order, logging any exception and going on. The host timer calls
   * this; tests with injected timers may call it directly. Calls scheduled meanwhile wait for the
   * next pass. Port of the timed-call half of `ReactorBase.runUntilCurrent` (ReactorBase adds the
   * end of a stop).
   *
   * @example
   * ```ts no-run
   * r.runUntilCurrent();
   * ```
   */
  runUntilCurrent(): void {
    if (!this._inPass) {
      this._inPass = true;
      const heap = this._heap;
      const now = this.seconds();
      // Calls pushed from here on get sequence numbers >= limit: they wait for the next pass,
      // as Twisted's _newTimedCalls do, so a callLater(0) loop cannot starve Node's loop.
      const limit = heap.nextSeq;
      try {
        for (let call = heap.popDue(now, limit); call !== undefined; call = heap.popDue(now, limit)) {
          call.called = true;
          const fn = call.func as DelayedFunction;
          const args = call.args as never[];
          try {
            if (args.length === 0) fn();
            else fn(...args);
          } catch (e) {
            log.err(new Failure(e));
            if (call.creator !== null) {
              log.msg(`\n C: previous exception occurred in a DelayedCall created here:\n C:${call.creator.replace(/\n/g, '\n C:')}\n`);
            }
          }
        }
      } finally {
        this._inPass = false;
      }
    }
  }

  /** Make sure the host timer fires in time for the earliest call (or a requested wake). */
  /** @internal */
  _arm(): void {
    const top = this._heap.peek();
    const due = this._wakeRequested ? -Infinity : top !== undefined ? top._due : Infinity;
    if (due === Infinity) {
      if (this._timer !== null) {
        this._timers.clear(this._timer);
        this._timer = null;
        this._armedFor = Infinity;
      }
      return;
    }
    if (this._timer !== null) {
      if (this._armedFor <= due) return; // it fires early enough; it re-arms itself if early
      this._timers.clear(this._timer);
    }
    let ms = due === -Infinity ? 0 : Math.ceil((due - this.seconds()) * 1000);
    if (!(ms > 0)) ms = 0;
    else if (ms > MAX_TIMER_MS) ms = MAX_TIMER_MS;
    this._armedFor = due;
    this._timer = this._timers.set(this._onTimer, ms);
  }
}
