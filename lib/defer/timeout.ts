// Port of Deferred.addTimeout's machinery and twisted.internet.defer._cancelledToTimedOutError
// (Twisted 22.4). Covered by spec/defer/timeout.spec.ts.
//
// How and why: module functions plus one small state object per timeout, no closures.

import { isFailure } from '../failure/failure.js';
import { add } from './callbackLoop.js';
import type { Slot } from './callbackQueue.js';
import type { Deferred } from './deferred.js';
import { CancelledError, InvalidCallbackError, InvalidClockError, InvalidTimeoutError, TimeoutError } from './errors.js';
import type { IReactorTime } from './interfaces.js';

class TimeoutState {
  deferred: Deferred<unknown>;
  seconds: number;
  onTimeoutCancel: Slot;
  timedOut: boolean;
  call: { active(): boolean; cancel(): void } | null;
  constructor(deferred: Deferred<unknown>, seconds: number, onTimeoutCancel: Slot) {
    this.deferred = deferred;
    this.seconds = seconds;
    this.onTimeoutCancel = onTimeoutCancel;
    this.timedOut = false;
    this.call = null;
  }
}

/**
 * @internal `d.addTimeout(seconds, clock, onTimeoutCancel)`: check the arguments, then arm the
 * timeout: a delayed call that cancels `d`, and the two pairs that convert the cancellation and
 * disarm the call.
 */
export function addTimeout(d: Deferred<unknown>, seconds: number, clock: IReactorTime, onTimeoutCancel: Slot | null | undefined): void {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) throw new InvalidTimeoutError(seconds);
  if (typeof clock !== 'object' || clock === null || typeof (clock as { callLater?: unknown }).callLater !== 'function') {
    throw new InvalidClockError(clock);
  }
  if (onTimeoutCancel !== undefined && onTimeoutCancel !== null && typeof onTimeoutCancel !== 'function') {
    throw new InvalidCallbackError('addTimeout', 'onTimeoutCancel', onTimeoutCancel);
  }
  const timer = new TimeoutState(d, seconds, onTimeoutCancel ?? (cancelledToTimedOutError as Slot));
  timer.call = clock.callLater(seconds, timeItOut, timer);
  add(d, convertCancelled as Slot, [timer], convertCancelled as Slot, [timer]);
  add(d, cancelTimeout as Slot, [timer], cancelTimeout as Slot, [timer]);
}

function timeItOut(timer: TimeoutState): void {
  timer.timedOut = true;
  timer.deferred.cancel();
}

function convertCancelled(value: unknown, timer: TimeoutState): unknown {
  if (timer.timedOut) return timer.onTimeoutCancel(value, timer.seconds);
  return value;
}

function cancelTimeout(value: unknown, timer: TimeoutState): unknown {
  const call = timer.call;
  if (call !== null && call.active()) call.cancel();
  return value;
}

/**
 * @internal addTimeout's default `onTimeoutCancel`: a CancelledError failure becomes a TimeoutError;
 * another failure is rethrown as is (through `trap`); a value passes.
 * Port of `twisted.internet.defer._cancelledToTimedOutError`.
 *
 * @param value - the result or Failure the timed-out Deferred ended with.
 * @param timeout - the timeout, in seconds.
 * @returns `value` when it is not a Failure.
 * @throws TimeoutError for a CancelledError failure; the failure's value for any other.
 */
export function cancelledToTimedOutError<V>(value: V, timeout: number): V {
  if (isFailure(value)) {
    value.trap(CancelledError);
    throw new TimeoutError(timeout, 'Deferred');
  }
  return value;
}
