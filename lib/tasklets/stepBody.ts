// The step-by-step protocol: how a body of twistless's own (the ChannelProcessor loop, its call
// tasklets) runs without an async function per call. Covered by spec/tasklets/bridge.spec.ts and
// spec/channelProcessor/channelProcessor.spec.ts.
//
// 1. The body's tasklet waits on a Waiting (a Deferred-like object with callback/errback) instead
//    of a promise: `_res` holds it, and the scheduler calls it synchronously when the tasklet gets
//    the turn back (deliverWaiting), with the operation's value or error.
// 2. Its channel operations are channelStep (channel.ts): the value at once, or BLOCKED when the
//    tasklet had to wait (its Waiting is called later); a switch it causes to another such
//    tasklet is queued and delivered by a flat loop (runAsStep), so the stack stays flat.
// 3. A step that starts from elsewhere (a callback of a Deferred) runs inside runAsStep too.
// 4. The body is marked endsItself: what it returns does not end its tasklet; its last act is
//    endJob(failed, value) (scheduler/lifecycle.ts), so its tasklet needs no hook on a returned
//    promise.
// waitsOnPromise/takeOverWakeUp let a body take over the wake-up of an operation already made.
import { resolveNow } from './scheduler/resolve.js';
import { HAS_ERR, RET_TEMPVAL, sched } from './scheduler/state.js';
import type { Tasklet } from './tasklet.js';
import { err as logErr } from '../log/log.js';

/**
 * @internal What a tasklet blocked in a Deferred-returning operation waits on (a Deferred): fired
 * by the scheduler when the tasklet gets the turn back, with the operation's value or error.
 */
export interface Waiting {
  callback(value: never): void;
  errback(error: unknown): void;
  /**
   * Optional: called instead, and only once, when the tasklet ends (its body returned or threw,
   * or it was rebound) while parked on this Waiting, which then is never called. `queued`: it
   * still waited in a channel's queue (it has been taken out of it). Otherwise `value` and
   * `failed` are the outcome its operation had been given but not yet delivered (undefined and
   * false when there was none).
   */
  abandoned?(queued: boolean, value: unknown, failed: boolean): void;
  /**
   * Optional: the Deferred the operation handed to the parked tasklet's code, when that is not this
   * Waiting itself (a ChannelProcessor call's). blockOn recognises it as the caller's own wait.
   */
  readonly out?: PromiseLike<unknown>;
}

/** @internal What `channelStep` returns when the tasklet blocked (its Waiting is called when it resumes). */
export const BLOCKED: unique symbol = Symbol('twistless.blocked');

/** @internal */
export const ENDS_ITSELF = Symbol('twistless.endsItself');

/**
 * @internal Marks `fn` (a body of twistless's own, run by deferredTasklet or blockingTasklet) as
 * ending its tasklet itself: what `fn` returns does not end the tasklet; its last act, however it
 * runs (step by step, or as an async function that catches everything), is `endJob` with its
 * outcome. Its tasklet needs no hook on a returned promise (no reaction, no proxies, one
 * microtask less per call).
 */
export function endsItself<F extends (...args: never[]) => unknown>(fn: F): F {
  Object.defineProperty(fn, ENDS_ITSELF, { value: true });
  return fn;
}

function drainWaiting(): void {
  let n: Tasklet | null;
  while ((n = sched.waitingNext) !== null) {
    const more = sched.waitingMore;
    sched.waitingNext = more.length > 0 ? (more.shift() as Tasklet) : null;
    deliverWaiting(n);
  }
}

/**
 * @internal Runs `step(arg)`, a step of a body run step by step that did not come from a
 * Waiting delivery (a callback from a Deferred, say), as if it had: the deliveries its
 * operations cause are queued and made after it returns, never nested inside it.
 */
export function runAsStep<A>(step: (arg: A) => void, arg: A): void {
  if (sched.waitingRun) {
    step(arg);
    return;
  }
  sched.waitingRun = true;
  try {
    step(arg);
    drainWaiting();
  } finally {
    sched.waitingRun = false;
  }
}

/** @internal */
export function deliverWaiting(t: Tasklet): void {
  const res = t._res;
  if (res === null) return;
  if (typeof res === 'function') {
    // Suspended again on a promise meanwhile (an operation made without await): as resume().
    resolveNow(t, res);
    return;
  }
  t._res = null;
  const f = t._flags;
  const v = (f & RET_TEMPVAL) !== 0 ? t.tempval : t._val;
  t._val = undefined;
  t._flags = f & ~(HAS_ERR | RET_TEMPVAL);
  try {
    if ((f & HAS_ERR) !== 0) res.errback(v);
    else res.callback(v as never);
  } catch (e) {
    // A Deferred fired already by someone else (callback() by hand): nothing else to tell it.
    logErr(e, 'Could not deliver a tasklet operation\'s result to its Deferred:');
  }
}

/** @internal True when `t` waits in an operation that returns through its promise (not a Waiting). */
export function waitsOnPromise(t: Tasklet): boolean {
  return typeof t._res === 'function';
}

/** @internal Hand the wake-up of the operation `t` waits in to `w`: the scheduler fires `w` instead. */
export function takeOverWakeUp(t: Tasklet, w: Waiting): void {
  t._res = w;
}
