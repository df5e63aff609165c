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
import { isFailure } from '../failure/failure.js';
import type { Failure } from '../failure/failure.js';
import { isTaskletExit } from './errors.js';
import * as core from './tasklet.js';
import { Tasklet, setEndHook } from './tasklet.js';

// Module-local copies: calls through the import bindings cost a getter each on the hot path.
const FOREIGN = core.FOREIGN;
const NOWHERE = core.NOWHERE;
const RING = core.RING;
const S = core.S;
const blockedAdd = core.blockedAdd;
const blockedRemove = core.blockedRemove;
const callScheduleCallbackIfAny = core.callScheduleCallbackIfAny;
const leaveTurn = core.leaveTurn;
const resumeDeferred = core.resumeDeferred;
const ringAppend = core.ringAppend;
const ringInsertBefore = core.ringInsertBefore;
const ringUnlink = core.ringUnlink;
const runBody = core.runBody;
const suspend = core.suspend;
const takePending = core.takePending;

interface Job {
  fn: (...args: unknown[]) => unknown;
  self: unknown;
  args: unknown[];
  failed: boolean;
  value: unknown;
  error: unknown;
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof (x as PromiseLike<unknown>).then === 'function';
}

// The body of a bridge tasklet: never throws (its outcome goes to the Deferred); a plain
// function that returns a value ends the tasklet synchronously.
function bridgeBody(job: Job): unknown {
  let r: unknown;
  try {
    r = job.fn.apply(job.self, job.args);
  } catch (e) {
    job.failed = true;
    job.error = e;
    return undefined;
  }
  if (isThenable(r)) {
    return r.then(
      (v) => {
        job.value = v;
      },
      (e: unknown) => {
        job.failed = true;
        job.error = e;
      },
    );
  }
  job.value = r;
  return undefined;
}

/** Runs `fn` in a new tasklet, synchronously up to its first blocking operation; a Deferred of its result. */
function launch<R>(fn: (...args: unknown[]) => unknown, self: unknown, args: unknown[]): Deferred<R> {
  const d = new Deferred<R>();
  const job: Job = { fn, self, args, failed: false, value: undefined, error: undefined };
  const t = new Tasklet<[Job]>(bridgeBody);
  t.label = fn.name;
  // The Deferred fires after the tasklet's end has been booked, so its callbacks see the new turn.
  setEndHook(t, () => {
    if (!job.failed) d.callback(job.value as R);
    else if (!isTaskletExit(job.error)) d.errback(job.error);
    // A killed tasklet (TaskletExit) leaves the Deferred unfired, as the article's __filter did.
  });
  t.bind(null, [job]);
  startSync(t);
  return d;
}

/** `t.run()` from the caller, synchronously: `t` runs on top of the caller's stack until it suspends. */
function startSync(t: Tasklet): void {
  const C = S.current;
  if (C === null || C._where !== RING) {
    // Nobody holds the turn (every tasklet waits): the event loop starts it.
    ringAppend(t);
    return;
  }
  ringInsertBefore(t, C);
  const saved = S.onStack;
  S.onStack = C;
  S.head = t;
  S.current = t;
  callScheduleCallbackIfAny(C, t);
  t._started = true;
  try {
    void runBody(t);
  } finally {
    S.onStack = saved;
  }
  resumeDeferred(C);
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
  return keepShape(function (this: This, ...args: A): Deferred<Awaited<R>> {
    return launch<Awaited<R>>(f, this, args);
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
  return keepShape(function (this: This, ...args: A): Promise<Awaited<R>> | Deferred<Awaited<R>> {
    const C = S.current;
    const d = launch<Awaited<R>>(f, this, args);
    if (C === null || C === S.main) return d;
    return blockOn(d);
  }, f);
}

interface Waiter {
  t: Tasklet | null;
  done: boolean;
  failed: boolean;
  value: unknown;
}

function settle(w: Waiter, failed: boolean, value: unknown): void {
  const t = w.t;
  if (t === null) {
    // Fired synchronously, before the caller blocked.
    w.done = true;
    w.failed = failed;
    w.value = value;
    return;
  }
  if (t._foreign !== w) return; // the waiter was killed or woken by an error meanwhile
  t._foreign = null;
  t._where = NOWHERE;
  S.foreignWaits--;
  blockedRemove(t);
  if (failed) {
    t._err = value;
    t._hasErr = true;
  } else t._val = value;
  ringAppend(t);
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
  const T = S.current;
  if (T === null) return Promise.resolve(awaitable as PromiseLike<T>);
  if (T._hasErr) return takePending(T);
  if (!isThenable(awaitable)) return Promise.reject(new TypeError(`blockOn() needs a Deferred or a promise, got ${awaitable === null ? 'null' : typeof awaitable}`));
  const w: Waiter = { t: null, done: false, failed: false, value: undefined };
  if (isDeferred(awaitable)) {
    (awaitable as Deferred<T>).addCallbacks(
      (v: T) => {
        settle(w, false, v);
        return v;
      },
      (f: Failure) => {
        settle(w, true, isFailure(f) ? f.value : f);
        return null;
      },
    );
  } else {
    awaitable.then(
      (v) => settle(w, false, v),
      (e: unknown) => settle(w, true, e),
    );
  }
  if (w.done) return w.failed ? Promise.reject(w.value) : Promise.resolve(w.value as T);
  w.t = T;
  ringUnlink(T);
  T._where = FOREIGN;
  T._foreign = w;
  S.foreignWaits++;
  blockedAdd(T);
  T._val = undefined;
  const p = suspend(T);
  leaveTurn(T, false);
  return p as Promise<T>;
}
