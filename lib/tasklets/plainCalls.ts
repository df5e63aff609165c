// Calls from plain code (blockingTasklet or a ChannelProcessor call outside any tasklet): the
// Deferred fires once plain code has the turn back, awaiting it runs the step-by-step tasklets at
// once (mainAwaitsCall), and a call main awaits that nothing can finish fails as a deadlock.
// A ChannelProcessor call answered with no tasklet of its own fires its Deferred the same way
// (answeredPlain). Covered by spec/tasklets/mainAwait.spec.ts, spec/tasklets/bridge.spec.ts and
// spec/channelProcessor/plainCaller.spec.ts.
import { isTaskletExit } from './errors.js';
import { Deferred } from '../defer/deferred.js';
import { isFailure, type Failure } from '../failure/failure.js';
import { blockForeign, DeferredJob, startJob, wake } from './jobs.js';
import { takePending } from './operationChecks.js';
import { mainCallsDeadlock } from './scheduler/deadlock.js';
import { mainAwaitsCall } from './scheduler/eventLoopTurn.js';
import { RING, sched } from './scheduler/state.js';
import { leaveTurn } from './scheduler/switch.js';
import type { Tasklet } from './tasklet.js';
import { err as logErr } from '../log/log.js';

// The base class of PlainDeferred, under its own name (the subclass is named Deferred too).
const DeferredBase = Deferred;

/**
 * A call from plain code (blockingTasklet outside any tasklet): the Deferred fires once plain
 * code has the turn back, never while a tasklet holds it, so the caller's callbacks and `await`
 * continuations (plain code, which may call again) run as main.
 */
class PlainCodeJob extends DeferredJob {
  override ended(_t: Tasklet, failed: boolean, value: unknown): void {
    if (failed && isTaskletExit(value)) return; // killed: the Deferred stays unfired, as deferredTasklet's
    plainQueue.push(this.d, failed, value);
    // Inside mainAwaitsCall, the awaiting `then` fires the queue itself once main has the turn back.
    if (!sched.mainBlocked) armPlain();
  }
}

/**
 * @internal Main ran step-by-step tasklets inside a call of its own (sched.mainBlocked, as in
 * mainAwaitsCall): the calls from plain code they answered meanwhile fire once plain code has the turn.
 */
export function armPlainAnswered(): void {
  if (plainQueue.length > 0) armPlain();
}

function armPlain(): void {
  if (!plainArmed) {
    plainArmed = true;
    plainTries = 0;
    void SETTLED.then(firePlainWhenTheirTurn);
  }
}

// Deferreds of calls from plain code whose tasklet has ended, as flat [d, failed, value, ...].
let plainQueue: unknown[] = [];
let plainArmed = false;
let plainTries = 0;
const SETTLED = Promise.resolve();
// How many microtasks to wait for the running tasklets to give the turn back to plain code
// before falling back to the event loop's next turn (a tasklet may hold the turn in a foreign
// await for a long time: polling must not starve the event loop).
const PLAIN_TRIES = 8;

function firePlain(): void {
  plainArmed = false;
  const q = plainQueue;
  plainQueue = [];
  for (let i = 0; i < q.length; i += 3) {
    const d = q[i] as Deferred<unknown>;
    // Failed already with a DeadlockError (main awaited it while nothing could run), then answered after all.
    if (d.called) {
      if (q[i + 1] === true) logErr(q[i + 2], 'Unhandled error in Deferred:');
      continue;
    }
    if (q[i + 1] === true) d.errback(q[i + 2]);
    else d.callback(q[i + 2]);
  }
  // Calls main still awaits may be left with nothing that can answer them.
  if (sched.mainWaitCheck !== null) setImmediate(checkMainWaitsLater);
}

/** Fire the queue as soon as no tasklet holds the turn (the tasklets that ended the calls usually finish a microtask or two later). */
function firePlainWhenTheirTurn(): void {
  const cur = sched.current;
  if (cur === null || cur === sched.main) firePlain();
  else if (++plainTries < PLAIN_TRIES) void SETTLED.then(firePlainWhenTheirTurn);
  else setImmediate(firePlain);
}

/**
 * The Deferred of a call made from plain code. Awaiting it (its `then`) is main blocking on the
 * call: the tasklets that run step by step run at once (mainAwaitsCall), so a ChannelProcessor call
 * from plain code needs no event-loop turn when its loop is idle. Named Deferred: it is one.
 */
const PlainDeferred = class Deferred<T> extends DeferredBase<T> {
  /** A public blockingTasklet call: main awaiting it blocks, so a call that can never finish is a deadlock. */
  _label: string | null = null;
  /** The tasklet that made the call, sent aside (a call made inside an action), or null from plain code. */
  _by: Tasklet | null = null;

  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    if (!this.called) {
      const cur = sched.current;
      if (cur !== null && cur === this._by && cur._where === RING && cur._res === null && sched.inCallback === 0) {
        return (waitInTasklet(this as Deferred<unknown>, cur) as Promise<T>).then(onfulfilled, onrejected);
      }
      mainAwaitsCall();
      // The call may have been answered meanwhile: its Deferred fires now, main holding the turn.
      if (plainQueue.length > 0) {
        if (sched.current === sched.main) firePlain();
        else armPlain();
      }
      if (!this.called && this._label !== null) awaitedByMain(this as Deferred<unknown>);
    }
    return super.then(onfulfilled, onrejected);
  }
};

/**
 * A tasklet awaits (or returns) the Deferred of a call it made that was sent aside (a call made
 * inside an action, by a tasklet the action started): it waits as in blockOn, off the turn, woken
 * when the call is answered, and goes on in its own turn. Held in a foreign await instead, it
 * kept the turn while the event loop ran plain code, which was then taken for it.
 */
function waitInTasklet(d: Deferred<unknown>, t: Tasklet): Promise<unknown> {
  if (t._hasErr) return takePending(t);
  const token = {};
  const p = new Promise<unknown>((res) => {
    blockForeign(t, token);
    // The scheduler resolves it in t's turn (with a thenable that rejects it, for a failure).
    t._res = res;
  });
  d.addCallbacks(
    (v: unknown) => {
      if (t._blockOnToken === token) wake(t, false, v);
      return v;
    },
    (f: Failure) => {
      if (t._blockOnToken !== token) return f;
      wake(t, true, isFailure(f) ? f.value : f);
      return null;
    },
  );
  leaveTurn(t, false);
  return p;
}

// The blockingTasklet calls main awaits, not answered yet.
let mainWaits: InstanceType<typeof PlainDeferred<unknown>>[] = [];

function awaitedByMain(d: InstanceType<typeof PlainDeferred<unknown>>): void {
  if (mainWaits.indexOf(d) < 0) mainWaits.push(d);
  if (sched.mainWaitCheck === null) sched.mainWaitCheck = checkMainWaits;
  // The check runs from the event loop, once plain code and the runnable tasklets are done.
  setImmediate(checkMainWaitsLater);
}

function checkMainWaitsLater(): void {
  if (sched.current === sched.main && sched.head === sched.main) checkMainWaits();
}

/** Main awaits calls and holds the turn alone: if nothing can run any more, they can never finish; fail them as main's own blocking would. */
function checkMainWaits(): void {
  const open = mainWaits.filter((d) => !d.called);
  mainWaits = open;
  if (open.length === 0) {
    sched.mainWaitCheck = null;
    return;
  }
  if (plainQueue.length > 0) return;
  const dl = mainCallsDeadlock(open.length === 1 ? `the blockingTasklet call ${open[0]._label || '(anonymous)'}` : `${open.length} blockingTasklet calls`);
  if (dl === null) return;
  mainWaits = [];
  sched.mainWaitCheck = null;
  for (const d of open) d.errback(dl);
}

/**
 * @internal A call from plain code answered without a tasklet of its own (a ChannelProcessor
 * call whose loop answered inside the call): its Deferred, fired with this outcome once plain
 * code has the turn back, as a call tasklet's Deferred would be.
 */
export function answeredPlain<R>(failed: boolean, value: unknown): Deferred<R> {
  const d = new PlainDeferred<R>();
  plainQueue.push(d, failed, value);
  if (!sched.mainBlocked) armPlain();
  return d;
}

/** @internal Runs `fn` in a new tasklet for plain code: a Deferred of its result, fired once plain code has the turn. */
export function launchPlain<R>(fn: (...args: unknown[]) => unknown, self: unknown, args: unknown[], label: string, checked = false): Deferred<R> {
  const d = new PlainDeferred<R>();
  if (checked) d._label = label;
  const by = sched.current;
  if (by !== null && by !== sched.main) d._by = by;
  startJob(new PlainCodeJob(fn, self, args, d as Deferred<unknown>), label);
  return d;
}
