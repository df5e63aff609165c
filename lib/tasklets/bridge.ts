// Port of the "Stackless Python meets Twisted Matrix" decorators (Steve Coursen, 2008; the
// bodies as transcribed in Nekroze/twistless utils.py): deferred_tasklet, blocking_tasklet,
// block_on, with the article's __wrapper/__filter folded in. Covered by
// spec/tasklets/bridge.spec.ts.
//
// Deliberate fixes of the article, each documented in docs/tasklets.md: failures reach the
// Deferred's errback (the article dropped them); blockOn of an already-fired Deferred returns at
// once (the article hung); the "outside any tasklet" case of blockingTasklet returns the
// Deferred instead of raising "Cannot block in reactor task".
import { Deferred, isDeferred } from '../defer/deferred.js';
// The base class of PlainDeferred, under its own name (the subclass is named Deferred too).
const DeferredBase = Deferred;
import { isFailure } from '../failure/failure.js';
import type { Failure } from '../failure/failure.js';
import { RuntimeError, isTaskletExit } from './errors.js';
import {
  BLOCK_ON,
  NOWHERE,
  RING,
  sched,
  Tasklet,
  blockedAdd,
  callScheduleCallbackIfAny,
  endTasklet,
  inCallbackError,
  leaveTurn,
  mainAwaitsCall,
  mainCallsDeadlock,
  reportError,
  syncCallerResumes,
  ringAppend,
  ringInsertBefore,
  ringUnlink,
  runBody,
  suspend,
  takePending,
} from './tasklet.js';
import { isThenable } from '../internal/thenable.js';
import type { TaskletJob, Waiting } from './tasklet.js';

const ENDS_ITSELF = Symbol('twistless.endsItself');

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

/** @internal The body of an `endsItself` job ends its tasklet now, with this outcome. */
export function endJob(failed: boolean, value: unknown): void {
  const t = sched.current;
  const job = t === null ? null : t._fn;
  if (t === null || job === null || typeof job !== 'object' || !job.ownsEnd) throw new RuntimeError('endJob() called outside the body of a job that ends itself');
  endTasklet(t, failed, value);
}

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

/** deferredTasklet's job: the tasklet's outcome fires a Deferred. */
class DeferredJob extends Job {
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
    if (d._called) {
      if (q[i + 1] === true) reportError(q[i + 2], 'Unhandled error in Deferred:');
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

const PENDING = 0;
const RETURNED = 1;
const FAILED = 2;

/**
 * blockingTasklet's job, called from a tasklet: the caller waits on the new tasklet itself (as
 * `blockOn` of its Deferred would, without the Deferred). The caller's blockOn token is the job.
 */
class BlockJob extends Job {
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
    if (w._where === BLOCK_ON && w._chan === this) wake(w, failed, value);
    // The caller was killed or woken by an error meanwhile: a failure has nobody to go to.
    else if (failed) reportError(value, 'Unhandled error in Deferred:');
  }
}

/** Takes the current tasklet `t` out of the ring into a blockOn-style wait (BLOCK_ON) on `token`; `wake` ends it. */
function blockForeign(t: Tasklet, token: object): void {
  ringUnlink(t);
  t._where = BLOCK_ON;
  t._chan = token;
  sched.foreignWaits++;
  blockedAdd(t);
  t._val = undefined;
}

/** Ends `t`'s blockOn-style wait (BLOCK_ON) with this outcome: it is runnable again, at the end of the ring. */
function wake(t: Tasklet, failed: boolean, value: unknown): void {
  t._chan = null;
  t._where = NOWHERE;
  sched.foreignWaits--;
  if (failed) {
    t._err = value;
    t._hasErr = true;
  } else t._val = value;
  ringAppend(t);
}

/** A tasklet for a job, started synchronously up to its first blocking operation. */
function startJob(job: Job, label: string): void {
  const t = new Tasklet(null);
  t.label = label;
  t._fn = job;
  t._alive = true;
  startSync(t);
}

/** Runs `fn` in a new tasklet, synchronously up to its first blocking operation; a Deferred of its result. */
function launch<R>(fn: (...args: unknown[]) => unknown, self: unknown, args: unknown[], label: string): Deferred<R> {
  const d = new Deferred<R>();
  startJob(new DeferredJob(fn, self, args, d as Deferred<unknown>), label);
  return d;
}

/**
 * The Deferred of a call made from plain code. Awaiting it (its `then`) is main blocking on the
 * call: the tasklets that run step by step run at once (mainAwaitsCall), so a ChannelProcessor call
 * from plain code needs no event-loop turn when its loop is idle. Named Deferred: it is one.
 */
const PlainDeferred = class Deferred<T> extends DeferredBase<T> {
  /** A public blockingTasklet call: main awaiting it blocks, so a call that can never finish is a deadlock. */
  _label: string | null = null;

  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    if (!this._called) {
      mainAwaitsCall();
      // The call may have been answered meanwhile: its Deferred fires now, main holding the turn.
      if (plainQueue.length > 0) {
        if (sched.current === sched.main) firePlain();
        else armPlain();
      }
      if (!this._called && this._label !== null) awaitedByMain(this as Deferred<unknown>);
    }
    return super.then(onfulfilled, onrejected);
  }
};

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
  const open = mainWaits.filter((d) => !d._called);
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

/** Runs `fn` in a new tasklet for plain code: a Deferred of its result, fired once plain code has the turn. */
function launchPlain<R>(fn: (...args: unknown[]) => unknown, self: unknown, args: unknown[], label: string, checked = false): Deferred<R> {
  const d = new PlainDeferred<R>();
  if (checked) d._label = label;
  startJob(new PlainCodeJob(fn, self, args, d as Deferred<unknown>), label);
  return d;
}

/**
 * @internal Wraps `fn` so that each call runs it in a new tasklet without blocking anyone and
 * returns a Deferred that fires once plain code has the turn (as blockingTasklet's calls from
 * plain code). ChannelProcessor uses it for a call made synchronously inside an action.
 */
export function nonBlockingTasklet<This, A extends unknown[], R>(fn: (this: This, ...args: A) => R): (this: This, ...args: A) => Deferred<Awaited<R>> {
  const f = fn as unknown as (...args: unknown[]) => unknown;
  const label = f.name;
  return keepShape(function (this: This, ...args: A): Deferred<Awaited<R>> {
    return launchPlain<Awaited<R>>(f, this, args, label);
  }, f);
}

/**
 * blockingTasklet from a tasklet: run `fn` in a new tasklet and block the caller until it
 * returns. The caller waits on a promise, or, with `out`, on that Deferred (fired when the caller
 * gets the turn back); returns what it waits on, or null when it need not block (`job.state` or
 * a pending error says why).
 */
function blockCall(job: BlockJob, label: string, out: Waiting | null): Promise<unknown> | Waiting | null {
  startJob(job, label);
  const T = sched.current as Tasklet;
  if (T._hasErr || job.state !== PENDING) return null;
  job.waiter = T;
  blockForeign(T, job);
  let p: Promise<unknown> | Waiting;
  if (out === null) p = suspend(T);
  else p = T._res = out;
  leaveTurn(T, false);
  return p;
}

/** The outcome of a blockCall that did not block, as a promise. */
function unblocked(job: BlockJob): Promise<unknown> {
  const T = sched.current as Tasklet;
  if (T._hasErr) return takePending(T);
  return job.state === RETURNED ? Promise.resolve(job.value) : Promise.reject(job.value);
}

/**
 * blockingTasklet's call as a Deferred in every case: from plain code, the new
 * tasklet's Deferred; from a tasklet, a Deferred that fires when the blocked caller gets the turn
 * back (the caller awaits it), so no promise stands between the scheduler and the Deferred.
 * ChannelProcessor.call uses it: its result is a Deferred wherever it is called from.
 */
function callBlocking<R>(fn: (...args: unknown[]) => unknown, self: unknown, args: unknown[], label: string): Deferred<R> {
  const C = sched.current;
  if (C === null || C === sched.main) return launchPlain<R>(fn, self, args, label);
  const job = new BlockJob(fn, self, args);
  const out = new Deferred<R>();
  if (blockCall(job, label, out as Waiting) === null) {
    const T = sched.current as Tasklet;
    if (T._hasErr) {
      const e = T._err;
      T._err = undefined;
      T._hasErr = false;
      out.errback(e);
    } else if (job.state === RETURNED) out.callback(job.value as R);
    else out.errback(job.value);
  }
  return out;
}

/**
 * How many synchronous starts may nest on the JavaScript stack (a call made inside a call made
 * inside a call...). Deeper, the new tasklet is started by the scheduler instead, as the next
 * runnable: the stack stays bounded however deep the calls nest.
 */
const MAX_SYNC_DEPTH = 64;

/** `t.run()` from the caller, synchronously: `t` runs on top of the caller's stack until it suspends. */
function startSync(t: Tasklet): void {
  const C = sched.current;
  if (C === null || C._where !== RING) {
    // Nobody holds the turn (every tasklet waits): the event loop starts it.
    ringAppend(t);
    return;
  }
  if (sched.syncDepth >= MAX_SYNC_DEPTH) {
    // Too deep to start on top of the caller's stack: `t` runs next, when the caller suspends
    // (a blockingTasklet caller does at once).
    ringInsertBefore(t, C._next as Tasklet);
    return;
  }
  ringInsertBefore(t, C);
  const saved = sched.onStack;
  sched.onStack = C;
  sched.head = t;
  sched.current = t;
  callScheduleCallbackIfAny(C, t);
  t._started = true;
  sched.syncDepth++;
  try {
    void runBody(t);
  } finally {
    sched.syncDepth--;
    sched.onStack = saved;
  }
  syncCallerResumes(C);
}

function keepShape<F extends (...args: never[]) => unknown>(wrapper: F, fn: (...args: never[]) => unknown): F {
  Object.defineProperty(wrapper, 'name', { value: fn.name, configurable: true });
  Object.defineProperty(wrapper, 'length', { value: fn.length, configurable: true });
  return wrapper;
}

/**
 * Wraps `fn` so that each call runs it in a new tasklet, synchronously up to its first blocking
 * operation, and returns a Deferred of its result (fired already if `fn` finished without
 * blocking and was not async). A failure errbacks the Deferred; a killed tasklet (TaskletExit)
 * leaves it unfired and reports nothing. Usable as a TC39 method decorator (keeps `this`, name
 * and length; the decorated method returns the Deferred at run time).
 * Port of the article's `@deferred_tasklet`.
 * @example
 * ```ts
 * const fetchTwice = deferredTasklet(async (ch: Channel<number>) => (await ch.receive()) * 2);
 * const d = fetchTwice(ch); // d fires once something is sent on ch
 * ```
 */
export function deferredTasklet<This, A extends unknown[], R>(
  fn: (this: This, ...args: A) => R,
  context: ClassMethodDecoratorContext,
): (this: This, ...args: A) => R;
export function deferredTasklet<This, A extends unknown[], R>(fn: (this: This, ...args: A) => R, context?: undefined): (this: This, ...args: A) => Deferred<Awaited<R>>;
export function deferredTasklet<This, A extends unknown[], R>(
  fn: (this: This, ...args: A) => R,
  _context?: ClassMethodDecoratorContext,
): (this: This, ...args: A) => Deferred<Awaited<R>> {
  if (typeof fn !== 'function') throw new TypeError(`deferredTasklet() needs a function, got ${typeof fn}`);
  const f = fn as unknown as (...args: unknown[]) => unknown;
  const label = f.name;
  return keepShape(function (this: This, ...args: A): Deferred<Awaited<R>> {
    return launch<Awaited<R>>(f, this, args, label);
  }, f);
}

/**
 * Wraps `fn` so that a call from a tasklet runs it in a new tasklet and suspends the caller until
 * it returns: `await` gives its result or throws its failure. Called outside any tasklet (main,
 * plain code), it returns the Deferred instead, where Python raised "Cannot block in reactor
 * task". Usable as a TC39 method decorator. Port of the article's `@blocking_tasklet`.
 * @example
 * ```ts
 * const add = blockingTasklet(async (a: number, b: number) => { await schedule(); return a + b; });
 * tasklet(async () => console.log(await add(2, 3))).setup(); // 5
 * ```
 */
export function blockingTasklet<This, A extends unknown[], R>(
  fn: (this: This, ...args: A) => R,
  context: ClassMethodDecoratorContext,
): (this: This, ...args: A) => R;
export function blockingTasklet<This, A extends unknown[], R>(fn: (this: This, ...args: A) => R, context?: undefined): (this: This, ...args: A) => Promise<Awaited<R>> | Deferred<Awaited<R>>;
export function blockingTasklet<This, A extends unknown[], R>(
  fn: (this: This, ...args: A) => R,
  _context?: ClassMethodDecoratorContext,
): (this: This, ...args: A) => Promise<Awaited<R>> | Deferred<Awaited<R>> {
  if (typeof fn !== 'function') throw new TypeError(`blockingTasklet() needs a function, got ${typeof fn}`);
  const f = fn as unknown as (...args: unknown[]) => unknown;
  const label = f.name;
  return keepShape(function (this: This, ...args: A): Promise<Awaited<R>> | Deferred<Awaited<R>> {
    const C = sched.current;
    if (C === null || C === sched.main) return launchPlain<Awaited<R>>(f, this, args, label, true);
    const job = new BlockJob(f, this, args);
    return ((blockCall(job, label, null) as Promise<unknown> | null) ?? unblocked(job)) as Promise<Awaited<R>>;
  }, f);
}

/**
 * @internal blockingTasklet whose calls return a Deferred wherever they are made: from plain
 * code the new tasklet's Deferred, from a tasklet a Deferred the blocked caller awaits, fired
 * when it gets the turn back. ChannelProcessor.call (the article's `__call__`) is one.
 */
export function blockingTaskletDeferred<This, A extends unknown[], R>(fn: (this: This, ...args: A) => R): (this: This, ...args: A) => Deferred<Awaited<R>> {
  if (typeof fn !== 'function') throw new TypeError(`blockingTasklet() needs a function, got ${typeof fn}`);
  const f = fn as unknown as (...args: unknown[]) => unknown;
  const label = f.name;
  return keepShape(function (this: This, ...args: A): Deferred<Awaited<R>> {
    return callBlocking<Awaited<R>>(f, this, args, label);
  }, f);
}

interface Waiter {
  t: Tasklet | null;
  done: boolean;
  failed: boolean;
  value: unknown;
}

/** Hands the outcome to the waiting tasklet; false when it is gone (killed or woken by an error meanwhile). */
function settle(w: Waiter, failed: boolean, value: unknown): boolean {
  const t = w.t;
  if (t === null) {
    // Fired synchronously, before the caller blocked.
    w.done = true;
    w.failed = failed;
    w.value = value;
    return true;
  }
  if (t._foreign !== w) return false;
  wake(t, failed, value);
  return true;
}

/**
 * Suspends the current tasklet until the Deferred (or any promise) fires, letting the other
 * tasklets run meanwhile; gives its result or throws its failure's value. An already-fired
 * Deferred returns at once, without switching. A failure is consumed (the Deferred's result
 * becomes null, as the article's `addBoth`). Port of the article's `block_on(d)`.
 * @example
 * ```ts
 * tasklet(async () => console.log(await blockOn(succeed(7)))).setup(); // 7
 * ```
 */
export function blockOn<T>(awaitable: Deferred<T> | PromiseLike<T>): Promise<T> {
  const T = sched.current;
  if (T === null) return Promise.resolve(awaitable as PromiseLike<T>);
  if (T._hasErr) return takePending(T);
  if (sched.inCallback !== 0) return Promise.reject(inCallbackError());
  if (!isThenable(awaitable)) return Promise.reject(new TypeError(`blockOn() needs a Deferred or a promise, got ${awaitable === null ? 'null' : typeof awaitable}`));
  const w: Waiter = { t: null, done: false, failed: false, value: undefined };
  if (isDeferred(awaitable)) {
    (awaitable as Deferred<T>).addCallbacks(
      (v: T) => {
        settle(w, false, v);
        return v;
      },
      // Nobody waits any more: the failure stays in the Deferred, unhandled.
      (f: Failure) => (settle(w, true, isFailure(f) ? f.value : f) ? null : f),
    );
  } else {
    awaitable.then(
      (v) => void settle(w, false, v),
      (e: unknown) => {
        if (!settle(w, true, e)) reportError(e, 'Unhandled error in Deferred:');
      },
    );
  }
  if (w.done) return w.failed ? Promise.reject(w.value) : Promise.resolve(w.value as T);
  w.t = T;
  blockForeign(T, w);
  const p = suspend(T);
  leaveTurn(T, false);
  return p as Promise<T>;
}
