// The time interfaces the Deferred layer needs (addTimeout, deferLater, LoopingCall). They live
// here, in the lowest layer that uses them; lib/reactor and lib/task implement and re-export them.

/**
 * A call scheduled to run later. Port of `twisted.internet.interfaces.IDelayedCall`.
 */
export interface IDelayedCall {
  /** The time, in seconds on the scheduling clock, at which the call will run. */
  getTime(): number;
  /** Unschedule the call. Throws AlreadyCalled or AlreadyCancelled when it is no longer pending. */
  cancel(): void;
  /** Push the call back by `seconds` (a float, may be 0). */
  delay(seconds: number): void;
  /** Reschedule the call to run `seconds` from now. */
  reset(seconds: number): void;
  /** True while the call has neither run nor been cancelled. */
  active(): boolean;
}

/**
 * A source of time that can schedule calls. Port of `twisted.internet.interfaces.IReactorTime`.
 * The real `reactor` and the fake `Clock` both implement it.
 */
export interface IReactorTime {
  /** The current time in seconds (a float). */
  seconds(): number;
  /** Call `fn(...args)` `delay` seconds from now. */
  callLater<A extends unknown[]>(delay: number, fn: (...args: A) => unknown, ...args: A): IDelayedCall;
  /** Every call that is still pending. */
  getDelayedCalls(): IDelayedCall[];
}
