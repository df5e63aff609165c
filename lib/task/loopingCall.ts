// Port of twisted.internet.task.LoopingCall (Twisted 22.4).
// Covered by spec/task/loopingCall.spec.ts (LoopTests, ReactorLoopTests of test_task.py).
//
// How it runs: start() records `starttime` and either calls the function at once or schedules
// the first call on the grid `starttime + k * interval`. Each call runs the function; when it
// returns (or the Deferred it returned fires) the next call is scheduled at the next grid point
// that is still in the future, so ticks missed under a slow clock are skipped, not replayed.
// The scheduled callable is one module-level function taking the LoopingCall as its argument,
// so a tick allocates no closure.
import { Deferred, isDeferred } from '../defer/deferred.js';
import { InvalidOptionsError } from '../defer/errors.js';
import type { IDelayedCall, IReactorTime } from '../defer/interfaces.js';
import { Failure, isFailure } from '../failure/failure.js';
import { NotCallableError } from '../reactor/errors.js';
import { reactor } from '../reactor/reactor.js';
import { InvalidLoopingCallInterval, LoopingCallAlreadyRunning, LoopingCallNotRunning } from './errors.js';
import { isThenable } from '../internal/thenable.js';
import { pyMod } from './util.js';
import { inspect } from 'node:util';

/**
 * The keyword arguments of `LoopingCall.start()`, as a trailing options object.
 * Port of the `now` keyword of `twisted.internet.task.LoopingCall.start`.
 */
export interface LoopingCallStartOptions {
  /** Call the function right away (default true); false waits one interval first. */
  now?: boolean;
}

const START_OPTIONS = ['now'];

/** Read start()'s `now`: a boolean, or the options form `{ now?: boolean }`; anything else is refused. */
function nowOption(now: unknown): boolean {
  if (typeof now === 'boolean') return now;
  if (typeof now === 'object' && now !== null && !Array.isArray(now)) {
    for (const key of Object.keys(now)) {
      if (!START_OPTIONS.includes(key)) {
        throw new InvalidOptionsError(`LoopingCall.start(interval, now) has no option ${JSON.stringify(key)}: its only option is now, e.g. start(1, { now: false })`, now);
      }
    }
    const value = (now as LoopingCallStartOptions).now;
    if (value === undefined) return true;
    if (typeof value === 'boolean') return value;
    now = value;
  }
  throw new InvalidOptionsError(
    `LoopingCall.start(interval, now): now must be true, false or { now: boolean }, but got ${typeof now === 'string' ? JSON.stringify(now) : typeof now === 'function' ? 'a function' : String(now)}`,
    now,
  );
}

/** The internal face of a LoopingCall of any argument types, for the module functions below. */
interface Loop {
  _run(): void;
  _succeeded(): void;
  _failed(failure: Failure): void;
}

// The callable every LoopingCall schedules: one function for all of them, no closure per tick.
function fire(lc: Loop): void {
  lc._run();
}

function onSuccess(_result: unknown, lc: Loop): undefined {
  lc._succeeded();
  return undefined;
}

function onFailure(failure: Failure, lc: Loop): undefined {
  lc._failed(failure);
  return undefined;
}

/**
 * An error raised while firing start()'s Deferred (fired by hand already, say). In Twisted it
 * happens inside the Deferred of the function's maybeDeferred, which is then dropped holding it:
 * an "Unhandled error in Deferred". Do the same, never throwing into the clock.
 */
function reportUnhandled(error: unknown): void {
  const dropped = new Deferred<never>();
  dropped.errback(isFailure(error) ? error : new Failure(error));
}

/**
 * Call a function repeatedly, every `interval` seconds, on a clock (the reactor by default, or
 * any IReactorTime such as a `Clock`). If the function returns a Deferred or a promise, the next
 * call waits until it settles. If the function throws or its Deferred fails, the loop stops and
 * the Deferred returned by `start()` fails with that error.
 *
 * Port of `twisted.internet.task.LoopingCall`.
 *
 * @example Ticking on a Clock
 * ```ts no-run
 * const clock = new Clock();
 * const lc = new LoopingCall(() => console.log('tick', clock.seconds()));
 * lc.clock = clock;
 * lc.start(1);        // tick 0
 * clock.advance(1);   // tick 1
 * lc.stop();
 * ```
 */
export class LoopingCall<A extends unknown[] = unknown[]> {
  /** The function called on every tick. Port of `LoopingCall.f`. */
  readonly f: (...args: A) => unknown;
  /** The arguments it is called with. Port of `LoopingCall.a`. */
  readonly a: A;
  /**
   * The IReactorTime the calls are scheduled on: the reactor unless you set it (set it before
   * `start()`). Port of `LoopingCall.clock`.
   */
  clock: IReactorTime;
  /**
   * The pending delayed call, or null while the function runs or its Deferred is outstanding.
   * Port of `LoopingCall.call`.
   */
  call: IDelayedCall | null;
  /**
   * True from `start()` until `stop()` or a failure; it is false by the time the Deferred
   * returned by `start()` fires. Port of `LoopingCall.running`.
   */
  running: boolean;
  /**
   * Seconds between calls, as given to `start()` (undefined before). May be changed while
   * running. Port of `LoopingCall.interval`.
   */
  interval: number | undefined;
  /**
   * The clock's time when `start()` (or `reset()`) was last called; the grid starts there.
   * Port of `LoopingCall.starttime`.
   */
  starttime: number | undefined;
  /** @internal The Deferred returned by start(), until it fires. */
  _deferred: Deferred<LoopingCall<A>> | null;
  /** @internal Whether start() was called with now = true (withCount counts the first call). */
  _runAtStart: boolean;
  /** @internal withCount: the time the count callable was last invoked. */
  _realLastTime: number | undefined;

  /**
   * @param f The function to call every interval.
   * @param a The arguments to call it with.
   * @throws NotCallableError when `f` is not a function.
   */
  constructor(f: (...args: A) => unknown, ...a: A) {
    if (typeof f !== 'function') throw new NotCallableError('LoopingCall(f)', f);
    this.f = f;
    this.a = a;
    this.clock = reactor;
    this.call = null;
    this.running = false;
    this.interval = undefined;
    this.starttime = undefined;
    this._deferred = null;
    this._runAtStart = false;
    this._realLastTime = undefined;
  }

  /**
   * A LoopingCall whose function is called with the number of intervals that have elapsed since
   * it was last called: normally 1, more when ticks were skipped (a slow clock, a slow Deferred).
   * With an interval of 0 the count is always 1. It is never called with 0.
   *
   * Port of `twisted.internet.task.LoopingCall.withCount`.
   *
   * @param countFn Called with the count (an integer >= 1) on every tick.
   * @returns A new LoopingCall; set its `clock` and `start()` it.
   * @throws NotCallableError when `countFn` is not a function.
   * @example
   * ```ts no-run
   * const lc = LoopingCall.withCount((n) => console.log('frames to draw:', n));
   * lc.clock = clock;
   * lc.start(1 / 60);
   * ```
   */
  static withCount(countFn: (count: number) => unknown): LoopingCall<[]> {
    if (typeof countFn !== 'function') throw new NotCallableError('LoopingCall.withCount(countFn)', countFn);
    const counter = (): unknown => {
      const now = lc.clock.seconds();
      if (lc.interval === 0) {
        lc._realLastTime = now;
        return countFn(1);
      }
      let lastTime = lc._realLastTime;
      if (lastTime === undefined) {
        lastTime = lc.starttime as number;
        if (lc._runAtStart) lastTime -= lc.interval as number;
      }
      const count = lc._intervalOf(now) - lc._intervalOf(lastTime);
      if (count > 0) {
        lc._realLastTime = now;
        return countFn(count);
      }
      return undefined;
    };
    const lc = new LoopingCall<[]>(counter);
    return lc;
  }

  /** @internal The number of whole intervals from starttime to `t` (Python's int(), truncating). */
  _intervalOf(t: number): number {
    return Math.trunc((t - (this.starttime as number)) / (this.interval as number));
  }

  /**
   * Start calling the function every `interval` seconds.
   *
   * Port of `twisted.internet.task.LoopingCall.start`.
   *
   * @param interval Seconds between calls (a float >= 0; 0 means "as often as the clock allows").
   * @param now Call the function right away (default); otherwise the first call is one interval
   *   from now (with interval 0: on the clock's next turn). Python's keyword argument: `true`,
   *   `false`, or the options form `{ now: false }`.
   * @returns A Deferred that fires with this LoopingCall when `stop()` is called, or fails with
   *   the function's error when it throws or its Deferred fails. When the first call (with
   *   `now`) throws, the returned Deferred has already failed.
   * @throws LoopingCallAlreadyRunning when it is running, or still stopping (stopped while the
   *   Deferred its function returned is outstanding).
   * @throws InvalidLoopingCallInterval when `interval` is negative or not a finite number.
   * @throws InvalidOptionsError (a TypeError) when `now` is neither a boolean nor `{ now?: boolean }`.
   * @throws whatever `clock.seconds()` or `clock.callLater()` throws; the LoopingCall is then
   *   left stopped, as before the call.
   * @example
   * ```ts no-run
   * lc.start(0.5).addCallback(() => console.log('stopped'));
   * lc2.start(1, { now: false }); // first call in one second
   * ```
   */
  start(interval: number, now: boolean | LoopingCallStartOptions = true): Deferred<LoopingCall<A>> {
    const callNow = nowOption(now);
    if (this.running) throw new LoopingCallAlreadyRunning();
    if (this._deferred !== null) {
      // Stopped while the function's Deferred is outstanding: Twisted restarts anyway, which
      // loses the first start() Deferred and runs two loops once that Deferred fires.
      throw new LoopingCallAlreadyRunning(
        'Tried to start a LoopingCall that is still stopping: the Deferred its function returned has not fired yet. Wait for the Deferred the previous start() returned, then start() again.',
      );
    }
    if (typeof interval !== 'number' || !(interval >= 0) || interval === Infinity) {
      throw new InvalidLoopingCallInterval(interval);
    }
    // Read the clock before changing anything: a clock that throws leaves the LoopingCall as it was.
    const starttime = this.clock.seconds();
    const previous = [this.interval, this.starttime, this._runAtStart] as const;
    this.running = true;
    // The call below may fail at once and clear this._deferred: keep a local for the return.
    const deferred = new Deferred<LoopingCall<A>>();
    this._deferred = deferred;
    this.starttime = starttime;
    this.interval = interval;
    this._runAtStart = callNow;
    try {
      if (callNow) this._run();
      else this._scheduleFrom(starttime);
    } catch (e) {
      // Only the clock's callLater can throw here (the function's errors fail the Deferred):
      // undo, so the LoopingCall can be given a working clock and started again.
      this.running = false;
      this._deferred = null;
      this.call = null;
      [this.interval, this.starttime, this._runAtStart] = previous;
      throw e;
    }
    return deferred;
  }

  /**
   * Stop calling the function. If a call is scheduled it is cancelled and the Deferred returned
   * by `start()` fires at once; if the function's Deferred is outstanding, the start Deferred
   * fires when it does. Calling `stop()` from inside the function works.
   *
   * Port of `twisted.internet.task.LoopingCall.stop`.
   *
   * @throws LoopingCallNotRunning when it is not running.
   * @example
   * ```ts no-run
   * if (lc.running) lc.stop();
   * ```
   */
  stop(): void {
    if (!this.running) throw new LoopingCallNotRunning('stop');
    this.running = false;
    if (this.call !== null) {
      this.call.cancel();
      this.call = null;
      const d = this._deferred as Deferred<LoopingCall<A>>;
      this._deferred = null;
      d.callback(this);
    }
  }

  /**
   * Skip the pending call and restart the interval grid from now: the next call is one whole
   * interval from now. Does nothing while the function's Deferred is outstanding.
   *
   * Port of `twisted.internet.task.LoopingCall.reset`.
   *
   * @throws LoopingCallNotRunning when it is not running.
   * @example
   * ```ts no-run
   * socket.on('data', () => idleTimer.reset());
   * ```
   */
  reset(): void {
    if (!this.running) throw new LoopingCallNotRunning('reset');
    if (this.call !== null) {
      this.call.cancel();
      this.call = null;
      this.starttime = this.clock.seconds();
      this._scheduleFrom(this.starttime);
    }
  }

  /** @internal One tick: call the function, then schedule the next call or finish. */
  _run(): void {
    this.call = null;
    let result: unknown;
    try {
      result = this.f(...this.a);
    } catch (e) {
      this._failedSync(new Failure(e));
      return;
    }
    // Twisted runs the function through maybeDeferred and adds cb then eb; the synchronous
    // paths below do the same without allocating a Deferred per tick.
    if ((typeof result === 'object' && result !== null) || typeof result === 'function') this._adopt(result);
    else this._settledSync();
  }

  /** @internal The function returned an object: a Deferred, a Failure, a promise, or a plain value. */
  _adopt(result: object): void {
    if (isDeferred(result)) {
      (result as Deferred<unknown>).addCallback(onSuccess, this as Loop).addErrback(onFailure, this as Loop);
      return;
    }
    if (isFailure(result)) {
      this._failedSync(result);
      return;
    }
    if (isThenable(result)) {
      Deferred.fromPromise(result)
        .addCallback(onSuccess, this as Loop)
        .addErrback(onFailure, this as Loop);
      return;
    }
    this._settledSync();
  }

  /** @internal The function returned a plain value: Twisted's succeed(result).addCallback(cb).addErrback(eb). */
  _settledSync(): void {
    try {
      this._succeeded();
    } catch (e) {
      this._failedSync(new Failure(e));
    }
  }

  /** @internal The function failed synchronously: Twisted's fail(e).addErrback(eb), whose own error is left unhandled. */
  _failedSync(failure: Failure): void {
    try {
      this._failed(failure);
    } catch (e) {
      reportUnhandled(e);
    }
  }

  /** @internal The function's call succeeded: schedule the next one, or fire start()'s Deferred. */
  _succeeded(): void {
    if (this.running) {
      this._scheduleFrom(this.clock.seconds());
    } else {
      const d = this._deferred as Deferred<LoopingCall<A>>;
      this._deferred = null;
      d.callback(this);
    }
  }

  /** @internal The function's call failed: stop, and fail start()'s Deferred. */
  _failed(failure: Failure): void {
    this.running = false;
    const d = this._deferred;
    this._deferred = null;
    // Already fired and cleared (firing it by hand made _succeeded throw): nobody is left to
    // tell, so the failure goes on as unhandled (Twisted fails an assert here instead).
    if (d === null) throw failure.value;
    d.errback(failure);
  }

  /** @internal Schedule the next call at the next grid point after `when` (Twisted's _scheduleFrom). */
  _scheduleFrom(when: number): void {
    const interval = this.interval as number;
    let delay: number;
    if (interval === 0) {
      delay = 0;
    } else {
      const untilNextInterval = interval - pyMod(when - (this.starttime as number), interval);
      // Adding a tiny delay to a large time may not change it at all (the digits fall off the
      // end of the float): then the tick is due now, so wait a whole interval instead.
      delay = when === when + untilNextInterval ? interval : untilNextInterval;
    }
    this.call = this.clock.callLater(delay, fire, this as Loop);
  }

  /**
   * `LoopingCall<interval>(name, args...)`, e.g. `LoopingCall<undefined>(poll, 1, 'a')`.
   * Port of `LoopingCall.__repr__`.
   *
   * @returns the description
   * @example
   * ```ts no-run
   * String(new LoopingCall(function poll(n: number) {}, 1)); // 'LoopingCall<undefined>(poll, 1)'
   * ```
   */
  toString(): string {
    const name = this.f.name !== '' ? this.f.name : inspect(this.f);
    const args = this.a.map((x) => inspect(x)).join(', ');
    return `LoopingCall<${String(this.interval)}>(${name}${args === '' ? '' : `, ${args}`})`;
  }
}
