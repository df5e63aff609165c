// Port of Deferred.addTimeout's machinery and twisted.internet.defer._cancelledToTimedOutError
// (Twisted 22.4). Covered by spec/defer/timeout.spec.ts.
//
// How and why: module functions plus one small state object per timeout, no closures.

import { isFailure } from '../failure/failure.js';
import type { Deferred } from './deferred.js';
import { CancelledError, TimeoutError } from './errors.js';
import type { IReactorTime } from './interfaces.js';

/** A function stored in a callback slot: called as `fn(result, ...args)`. */
type Slot = (result: unknown, ...args: unknown[]) => unknown;

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
 * @internal Arm `d`'s timeout (the checked arguments of `Deferred.addTimeout`): a delayed call
 * that cancels it, and the two pairs that convert the cancellation and disarm the call.
 */
export function startTimeout(d: Deferred<unknown>, seconds: number, clock: IReactorTime, onTimeoutCancel: Slot | null): void {
  const timer = new TimeoutState(d, seconds, onTimeoutCancel ?? (cancelledToTimedOutError as Slot));
  timer.call = clock.callLater(seconds, timeItOut, timer);
  d._add(convertCancelled as Slot, [timer], convertCancelled as Slot, [timer]);
  d._add(cancelTimeout as Slot, [timer], cancelTimeout as Slot, [timer]);
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
 * addTimeout's default `onTimeoutCancel`: a CancelledError failure becomes a TimeoutError;
 * another failure is rethrown as is (through `trap`); a value passes.
 * Port of `twisted.internet.defer._cancelledToTimedOutError`.
 *
 * @param value - the result or Failure the timed-out Deferred ended with.
 * @param timeout - the timeout, in seconds.
 * @returns `value` when it is not a Failure.
 * @throws TimeoutError for a CancelledError failure; the failure's value for any other.
 * @example
 * ```ts
 * d.addTimeout(5, clock, (r, t) => cancelledToTimedOutError(r, t)); // the default, spelt out
 * ```
 */
export function cancelledToTimedOutError<V>(value: V, timeout: number): V {
  if (isFailure(value)) {
    value.trap(CancelledError);
    throw new TimeoutError(timeout, 'Deferred');
  }
  return value;
}
