// The scheduler's hooks: the schedule, channel and error callbacks, switch_trap and atomic
// (Stackless 3.7: stackless.set_schedule_callback, set_channel_callback, set_error_handler,
// switch_trap, atomic). Covered by spec/tasklets/hooks.spec.ts and spec/tasklets/callbacks.spec.ts.
import type { Channel } from './channel.js';
import { sched } from './scheduler/state.js';
import type { Tasklet } from './tasklet.js';
import { err as logErr } from '../log/log.js';

/** `setScheduleCallback`'s callback: called on every switch with the tasklet left and the tasklet entered. */
export type ScheduleCallback = (prev: Tasklet | null, next: Tasklet | null) => void;

/** `setErrorHandler`'s handler: receives an uncaught tasklet error, inside the dying tasklet. */
export type ErrorHandler = (error: unknown) => void;

/** `setChannelCallback`'s callback, called before every send and receive, in the acting tasklet. */
export type ChannelCallback = (channel: Channel<unknown>, tasklet: Tasklet, sending: boolean, willBlock: boolean) => void;

/** @internal */
export function callScheduleCallbackIfAny(prev: Tasklet | null, next: Tasklet | null): void {
  if (sched.scheduleCallback !== null && prev !== next) callScheduleCallback(prev, next);
}

/** @internal */
export function callScheduleCallback(prev: Tasklet | null, next: Tasklet | null): void {
  const cb = sched.scheduleCallback as ScheduleCallback;
  sched.inCallback++;
  try {
    cb(prev, next);
  } catch (e) {
    logErr(e, 'Exception in schedule callback (ignored):');
  } finally {
    sched.inCallback--;
  }
}

/** @internal */
export function callChannelCallback(ch: Channel<unknown>, t: Tasklet, sending: boolean, willBlock: boolean): void {
  const cb = sched.channelCallback as ChannelCallback;
  sched.inChannelCallback = true;
  sched.inCallback++;
  try {
    cb(ch, t, sending, willBlock);
  } catch (e) {
    logErr(e, 'Exception in channel callback (ignored):');
  } finally {
    sched.inCallback--;
    sched.inChannelCallback = false;
  }
}

/**
 * Installs `cb(prev, next)`, called on every switch between tasklets; returns the previous
 * callback. A callback that throws is reported through `log.err` and ignored.
 * Port of `stackless.set_schedule_callback`.
 * @throws TypeError when `cb` is neither a function nor null.
 * @example
 * ```ts
 * setScheduleCallback((prev, next) => console.log(String(prev), '->', String(next)));
 * ```
 */
export function setScheduleCallback(cb: ScheduleCallback | null): ScheduleCallback | null {
  if (cb !== null && cb !== undefined && typeof cb !== 'function') throw new TypeError('schedule callback must be callable or None');
  const old = sched.scheduleCallback;
  sched.scheduleCallback = cb ?? null;
  return old;
}

/**
 * The current schedule callback, or null. Port of `stackless.get_schedule_callback`.
 * @example
 * ```ts
 * console.log(getScheduleCallback()); // null
 * ```
 */
export function getScheduleCallback(): ScheduleCallback | null {
  return sched.scheduleCallback;
}

/**
 * Installs `cb(channel, tasklet, sending, willBlock)`, called before every send and receive in
 * the acting tasklet (during the call a sender's `tempval` is the value sent); returns the
 * previous callback. A throwing callback is reported through `log.err` and ignored; a channel
 * operation from inside it throws "Recursive channel call due to callbacks!".
 * Port of `stackless.set_channel_callback`.
 * @throws TypeError when `cb` is neither a function nor null.
 * @example
 * ```ts
 * setChannelCallback((ch, t, sending, willBlock) => console.log(String(t), sending, willBlock));
 * ```
 */
export function setChannelCallback(cb: ChannelCallback | null): ChannelCallback | null {
  if (cb !== null && cb !== undefined && typeof cb !== 'function') throw new TypeError('channel callback must be callable or None');
  const old = sched.channelCallback as ChannelCallback | null;
  sched.channelCallback = cb ?? null;
  return old;
}

/**
 * The current channel callback, or null. Port of `stackless.get_channel_callback`.
 * @example
 * ```ts
 * console.log(getChannelCallback()); // null
 * ```
 */
export function getChannelCallback(): ChannelCallback | null {
  return sched.channelCallback as ChannelCallback | null;
}

/**
 * Adds `delta` to the switch-trap level and returns the previous level. While the level is
 * above 0, every operation that would switch tasklets throws RuntimeError "switch_trap"
 * (switching to oneself is allowed). Port of `stackless.switch_trap(delta)`.
 * @example
 * ```ts
 * switchTrap(1);
 * await schedule().catch((e) => console.log(e.message)); // switch_trap (when others are runnable)
 * switchTrap(-1);
 * ```
 */
export function switchTrap(delta: number): number {
  if (typeof delta !== 'number') throw new TypeError('switch_trap() argument must be an integer');
  const old = sched.switchTrap;
  sched.switchTrap = old + delta;
  return old;
}

/**
 * Installs `handler(error)`, called inside a tasklet that dies of an uncaught error instead of
 * sending the error to the watchdog (if the handler throws, that goes to the watchdog); returns
 * the previous handler. Port of `stackless.set_error_handler`.
 * @throws TypeError when `handler` is neither a function nor null.
 * @example
 * ```ts
 * const old = setErrorHandler((e) => console.log('tasklet died:', e));
 * ```
 */
export function setErrorHandler(handler: ErrorHandler | null): ErrorHandler | null {
  if (handler !== null && handler !== undefined && typeof handler !== 'function') throw new TypeError('error handler must be callable or None');
  const old = sched.errorHandler;
  sched.errorHandler = handler ?? null;
  return old;
}

/**
 * Runs `fn` with the current tasklet's (inert) atomic flag set, restoring it afterwards; returns
 * `fn`'s result. Port of `stackless.atomic()` (a context manager in Python).
 * @example
 * ```ts
 * atomic(() => console.log(getcurrent().atomic)); // true
 * ```
 */
export function atomic<R>(fn: () => R): R {
  const t = sched.current ?? sched.main;
  const old = t.setAtomic(true);
  try {
    return fn();
  } finally {
    t.setAtomic(old);
  }
}
