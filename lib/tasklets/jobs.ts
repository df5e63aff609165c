// The bridge's jobs: what a tasklet started by deferredTasklet or blockingTasklet runs in place of
// a plain body (the function, its `this` and its arguments), and how its end reaches the Deferred
// or the blocked caller; also the synchronous start of such a tasklet on the caller's stack.
// Part of the port of the "Stackless Python meets Twisted Matrix" decorators; covered by
// spec/tasklets/bridge.spec.ts and spec/tasklets/depth.spec.ts.
import { isTaskletExit } from './errors.js';
import { Deferred } from '../defer/deferred.js';
import { callScheduleCallbackIfAny } from './hooks.js';
import { takePending } from './operationChecks.js';
import { blockedAdd } from './scheduler/blockedList.js';
import { runBody, type TaskletJob } from './scheduler/lifecycle.js';
import { ringAppend, ringInsertBefore, ringUnlink } from './scheduler/ring.js';
import { BLOCK_ON, NOWHERE, RING, sched } from './scheduler/state.js';
import { leaveTurn, noteParked, suspend, syncCallerResumes } from './scheduler/switch.js';
import { ENDS_ITSELF, type Waiting } from './stepBody.js';
import { Tasklet } from './tasklet.js';
import { err as logErr } from '../log/log.js';

/** What deferredTasklet and blockingTasklet run: the function, its `this` and its arguments. */
abstract class Job implements TaskletJob {
  readonly fn: (...args: unknown[]) => unknown;
  readonly self: unknown;
  readonly args: unknown[];
  readonly ownsEnd: boolean;
  constructor(fn: (...args: unknown[]) => unknown, self: unknown, args: unknown[]) {
    this.fn = fn;
    this.self = self;
    this.args = args;
    this.ownsEnd = (fn as { [ENDS_ITSELF]?: boolean })[ENDS_ITSELF] === true;
  }

  start(): unknown {
    return this.fn.apply(this.self, this.args);
  }

  abstract ended(t: Tasklet, failed: boolean, value: unknown): void;
}

/** @internal deferredTasklet's job: the tasklet's outcome fires a Deferred. */
export class DeferredJob extends Job {
  readonly d: Deferred<unknown>;
  constructor(fn: (...args: unknown[]) => unknown, self: unknown, args: unknown[], d: Deferred<unknown>) {
    super(fn, self, args);
    this.d = d;
  }

  ended(_t: Tasklet, failed: boolean, value: unknown): void {
    if (!failed) this.d.callback(value);
    else if (!isTaskletExit(value)) this.d.errback(value);
    // A killed tasklet (TaskletExit) leaves the Deferred unfired, as the article's __filter did.
  }
}

const PENDING = 0;
/** @internal */
export const RETURNED = 1;
const FAILED = 2;

/**
 * @internal blockingTasklet's job, called from a tasklet: the caller waits on the new tasklet itself (as
 * `blockOn` of its Deferred would, without the Deferred). The caller's blockOn token is the job.
 */
export class BlockJob extends Job {
  /** The caller once it has blocked; null while the new tasklet runs on the caller's stack. */
  waiter: Tasklet | null = null;
  state = PENDING;
  value: unknown = undefined;

  ended(_t: Tasklet, failed: boolean, value: unknown): void {
    // A killed tasklet (TaskletExit) never returns: its caller waits on, as on an unfired Deferred.
    if (failed && isTaskletExit(value)) return;
    const w = this.waiter;
    if (w === null) {
      // Ended before its caller blocked: the caller gets the outcome at once.
      this.state = failed ? FAILED : RETURNED;
      this.value = value;
      return;
    }
    if (w._blockOnToken === this) wake(w, failed, value);
    // The caller was killed or woken by an error meanwhile: a failure has nobody to go to.
    else if (failed) logErr(value, 'Unhandled error in Deferred:');
  }
}

/** @internal Takes the current tasklet `t` out of the ring into a blockOn-style wait (BLOCK_ON) on `token`; `wake` ends it. */
export function blockForeign(t: Tasklet, token: object): void {
  ringUnlink(t);
  t._where = BLOCK_ON;
  t._blockOnToken = token;
  sched.foreignWaits++;
  blockedAdd(t);
  t._val = undefined;
}

/** @internal Ends `t`'s blockOn-style wait (BLOCK_ON) with this outcome: it is runnable again, at the end of the ring. */
export function wake(t: Tasklet, failed: boolean, value: unknown): void {
  t._blockOnToken = null;
  t._where = NOWHERE;
  sched.foreignWaits--;
  if (failed) {
    t._err = value;
    t._hasErr = true;
  } else t._val = value;
  ringAppend(t);
}

/** @internal A tasklet for a job, started synchronously up to its first blocking operation. */
export function startJob(job: Job, label: string): void {
  const t = new Tasklet(null);
  t.label = label;
  t._job = job;
  t._alive = true;
  startSync(t);
}

/**
 * How many synchronous starts may nest on the JavaScript stack (a call made inside a call made
 * inside a call...). Deeper, the new tasklet is started by the scheduler instead, as the next
 * runnable: the stack stays bounded however deep the calls nest.
 */
const MAX_SYNC_DEPTH = 64;

/** `t.run()` from the caller, synchronously: `t` runs on top of the caller's stack until it suspends. */
function startSync(t: Tasklet): void {
  const caller = sched.current;
  if (caller === null || caller._where !== RING) {
    // Nobody holds the turn (every tasklet waits): the event loop starts it.
    ringAppend(t);
    return;
  }
  if (sched.syncDepth >= MAX_SYNC_DEPTH) {
    // Too deep to start on top of the caller's stack: `t` runs next, when the caller suspends
    // (a blockingTasklet caller does at once).
    ringInsertBefore(t, caller._next as Tasklet);
    return;
  }
  ringInsertBefore(t, caller);
  const saved = sched.onStack;
  sched.onStack = caller;
  sched.head = t;
  sched.current = t;
  callScheduleCallbackIfAny(caller, t);
  t._started = true;
  sched.syncDepth++;
  try {
    void runBody(t);
  } finally {
    sched.syncDepth--;
    sched.onStack = saved;
  }
  syncCallerResumes(caller);
}

/** @internal Runs `fn` in a new tasklet, synchronously up to its first blocking operation; a Deferred of its result. */
export function launch<R>(fn: (...args: unknown[]) => unknown, self: unknown, args: unknown[], label: string): Deferred<R> {
  const d = new Deferred<R>();
  startJob(new DeferredJob(fn, self, args, d as Deferred<unknown>), label);
  return d;
}

/**
 * @internal blockingTasklet from a tasklet: run `fn` in a new tasklet and block the caller until it
 * returns. The caller waits on a promise, or, with `out`, on that Deferred (fired when the caller
 * gets the turn back); returns what it waits on, or null when it need not block (`job.state` or
 * a pending error says why).
 */
export function blockCall(job: BlockJob, label: string, out: Waiting | null): Promise<unknown> | Waiting | null {
  startJob(job, label);
  const current = sched.current as Tasklet;
  if (current._hasErr || job.state !== PENDING) return null;
  job.waiter = current;
  blockForeign(current, job);
  let p: Promise<unknown> | Waiting;
  if (out === null) p = suspend(current);
  else p = current._res = out;
  leaveTurn(current, false);
  noteParked(p);
  return p;
}

/** @internal The outcome of a blockCall that did not block, as a promise. */
export function unblocked(job: BlockJob): Promise<unknown> {
  const current = sched.current as Tasklet;
  if (current._hasErr) return takePending(current);
  return job.state === RETURNED ? Promise.resolve(job.value) : Promise.reject(job.value);
}
