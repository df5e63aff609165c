// A tasklet body's start and end: the body runs one microtask after its first switch, its end
// (return or throw) is heard through a hook on its promise, and the dying tasklet's uncaught
// error goes to the watchdog (the innermost run() caller, else main). Covered by
// spec/tasklets/scheduler.spec.ts and spec/tasklets/lostErrors.spec.ts.
import { isTaskletExit, RuntimeError } from '../errors.js';
import { hookEnd } from './resolve.js';
import { detach, ringAppend, ringInsertBefore } from './ring.js';
import { ALIVE, BODY_PENDING, CHANNEL, HAS_ERR, RET_TEMPVAL, RING, sched } from './state.js';
import { leaveTurn, switchTo } from './switch.js';
import type { Tasklet } from '../tasklet.js';

/**
 * @internal A bridge job (deferredTasklet, blockingTasklet): it starts the body in place of
 * `_fn(...args)` (so `this` and the arguments need no array of their own) and hears how the body
 * ended, with its result or its error. A job's body never fails towards the watchdog: its outcome
 * is the job's.
 */
export interface TaskletJob {
  start(): unknown;
  ended(t: Tasklet, failed: boolean, value: unknown): void;
  /** The body is twistless's own and ends its tasklet itself (endTasklet) as its last act: no end hook is attached. */
  readonly ownsEnd: boolean;
}

/** @internal Runs a tasklet body from its start; ends it when the body settles. */
export function runBody(t: Tasklet): void {
  if ((t._flags & HAS_ERR) !== 0) {
    // Thrown into before it started: the function never runs.
    const e = t._val;
    t._val = undefined;
    t._flags &= ~HAS_ERR;
    endTasklet(t, true, e);
    return;
  }
  let r: unknown;
  const fn = t._fn;
  const isJob = typeof fn !== 'function';
  try {
    if (!isJob) {
      const args = t._val as unknown[] | undefined;
      // The arguments are the body's now: a blocked tasklet does not keep the array alive.
      t._val = undefined;
      r = args === undefined ? (fn as () => unknown)() : (fn as (...args: unknown[]) => unknown)(...args);
    } else {
      r = (fn as TaskletJob).start();
      if ((fn as TaskletJob).ownsEnd) return;
    }
  } catch (e) {
    endTasklet(t, true, e);
    return;
  }
  if (r !== null && (typeof r === 'object' || typeof r === 'function') && typeof (r as PromiseLike<unknown>).then === 'function') {
    if (!isJob && typeof t._res === 'function' && (t._flags & ALIVE) !== 0) {
      // The body is parked on a promise of ours and has not been resumed since (a resumption
      // clears `_res`, and the body runs again only in a later microtask): it cannot end before
      // it is resumed, so the end hook waits until then (resolveNow). A tasklet that blocks at
      // once and stays blocked never pays for it (about 160 bytes of a blocked tasklet's heap).
      t._body = r as PromiseLike<unknown>;
      t._flags |= BODY_PENDING;
      return;
    }
    hookEnd(t, r as PromiseLike<unknown>);
    return;
  }
  endTasklet(t, false, r);
}

/**
 * @internal `t` is ending (or being rebound) with its operation pending: the Waiting it is
 * parked on, if it asks to be told (abandoned), with what it needs to know, taken before `t`
 * is cleared and detached; call the returned function after. Null when there is nobody to tell.
 */
export function abandonedWaiting(t: Tasklet): (() => void) | null {
  const res = t._res;
  if (res === null || typeof res === 'function' || res.abandoned === undefined) return null;
  const f = t._flags;
  const queued = t._where === CHANNEL;
  const failed = !queued && (f & HAS_ERR) !== 0;
  const value = queued ? undefined : (f & RET_TEMPVAL) !== 0 ? t.tempval : t._val;
  return () => (res.abandoned as (q: boolean, v: unknown, e: boolean) => void).call(res, queued, value, failed);
}

/**
 * @internal The body settled (with `value`: its result, or its error when `failed`): the tasklet
 * dies; an uncaught error goes to the watchdog, a bridge job's outcome to the job.
 */
export function endTasklet(t: Tasklet, failed: boolean, value: unknown): void {
  if ((t._flags & ALIVE) === 0) return;
  const wasCurrent = sched.current === t;
  // Ending while parked on a Waiting that asks to be told (a call made in this tasklet, say).
  const tell = t._res === null ? null : abandonedWaiting(t);
  t._flags &= ~(ALIVE | HAS_ERR | BODY_PENDING);
  t._body = null;
  const fn = t._fn;
  const isJob = fn !== null && typeof fn === 'object';
  t._fn = null;
  t.tempval = null;
  t._res = null;
  t._val = undefined;
  if (isJob) {
    const job = fn as TaskletJob;
    detach(t);
    if (tell !== null) tell();
    // The bridge fires its Deferred (or wakes its caller) here: out of the ring already, before
    // the turn moves on, so a tasklet waiting on it is runnable again when the next one is chosen.
    job.ended(t, failed, value);
    if (wasCurrent) leaveTurn(t, true);
    return;
  }
  if (failed && !isTaskletExit(value) && sched.errorHandler !== null) {
    // The handler runs inside the dying tasklet; only its own exception goes on to the watchdog.
    const h = sched.errorHandler;
    failed = false;
    try {
      h(value);
    } catch (e) {
      failed = true;
      value = e;
    }
  }
  detach(t);
  if (tell !== null) tell();
  if (failed && !isTaskletExit(value)) deliverError(t, value, wasCurrent);
  else if (wasCurrent) leaveTurn(t, true);
}

/** @internal The body of an `endsItself` job (stepBody.ts) ends its tasklet now, with this outcome. */
export function endJob(failed: boolean, value: unknown): void {
  const t = sched.current;
  const job = t === null ? null : t._job;
  if (t === null || job === null || !job.ownsEnd) throw new RuntimeError('endJob() called outside the body of a job that ends itself');
  endTasklet(t, failed, value);
}

/**
 * @internal An uncaught error: raised in the innermost run() caller, else in main, wherever it
 * is suspended (pulled off a channel if need be); the other runnables stay queued.
 */
function deliverError(from: Tasklet, error: unknown, fromHeldTurn: boolean): void {
  const w = sched.watchdogs;
  const target = w.length > 0 ? (w.pop() as Tasklet) : sched.main;
  target._watchdog = false;
  // A runnable target keeps its place and the ring carries on from it (slp_schedule_task);
  // a blocked or paused one is put first.
  const runnable = target._where === RING;
  if (!runnable) detach(target);
  target._err = error;
  target._hasErr = true;
  if (!fromHeldTurn) {
    // The dying tasklet ended in a foreign await, off its turn: the watchdog gets the error on its turn.
    if (!runnable) ringAppend(target);
    return;
  }
  if (!runnable) {
    if (sched.head === null) ringAppend(target);
    else ringInsertBefore(target, sched.head);
  }
  switchTo(from, target);
}
