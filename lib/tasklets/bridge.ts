// Port of the "Stackless Python meets Twisted Matrix" decorators (Steve Coursen, 2008; the
// bodies as transcribed in Nekroze/twistless utils.py): deferred_tasklet, blocking_tasklet,
// block_on, with the article's __wrapper/__filter folded in. The jobs they start are in jobs.ts
// and plainCalls.ts. Covered by spec/tasklets/bridge.spec.ts.
//
// Deliberate fixes of the article, each documented in docs/tasklets.md: failures reach the
// Deferred's errback (the article dropped them); blockOn of an already-fired Deferred returns at
// once (the article hung); the "outside any tasklet" case of blockingTasklet returns the
// Deferred instead of raising "Cannot block in reactor task".
import { Deferred, isDeferred } from '../defer/deferred.js';
import { isFailure } from '../failure/failure.js';
import type { Failure } from '../failure/failure.js';
import { isThenable } from '../internal/thenable.js';
import { blockCall, blockForeign, BlockJob, launch, RETURNED, unblocked, wake } from './jobs.js';
import { inCallbackError, takePending } from './operationChecks.js';
import { launchPlain } from './plainCalls.js';
import { RING, sched } from './scheduler/state.js';
import { leaveTurn, noteParked, suspend } from './scheduler/switch.js';
import type { Waiting } from './stepBody.js';
import type { Tasklet } from './tasklet.js';
import { err as logErr } from '../log/log.js';

function keepShape<F extends (...args: never[]) => unknown>(wrapper: F, fn: (...args: never[]) => unknown): F {
  Object.defineProperty(wrapper, 'name', { value: fn.name, configurable: true });
  Object.defineProperty(wrapper, 'length', { value: fn.length, configurable: true });
  return wrapper;
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
 * blockingTasklet's call as a Deferred in every case: from plain code, the new
 * tasklet's Deferred; from a tasklet, a Deferred that fires when the blocked caller gets the turn
 * back (the caller awaits it), so no promise stands between the scheduler and the Deferred.
 * ChannelProcessor.call uses it: its result is a Deferred wherever it is called from.
 */
function callBlocking<R>(fn: (...args: unknown[]) => unknown, self: unknown, args: unknown[], label: string): Deferred<R> {
  const caller = sched.current;
  if (caller === null || caller === sched.main) return launchPlain<R>(fn, self, args, label);
  const job = new BlockJob(fn, self, args);
  const out = new Deferred<R>();
  if (blockCall(job, label, out as Waiting) === null) {
    const current = sched.current as Tasklet;
    if (current._hasErr) {
      const e = current._err;
      current._err = undefined;
      current._hasErr = false;
      out.errback(e);
    } else if (job.state === RETURNED) out.callback(job.value as R);
    else out.errback(job.value);
  }
  return out;
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
    const caller = sched.current;
    if (caller === null || caller === sched.main) return launchPlain<Awaited<R>>(f, this, args, label, true);
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
  /** When nobody is blocked (see waitParked): the promise blockOn returned, settled directly. */
  res: ((v: unknown) => void) | null;
  rej: ((e: unknown) => void) | null;
}

/** Hands the outcome to the waiting tasklet; false when it is gone (killed or woken by an error meanwhile). */
function settle(w: Waiter, failed: boolean, value: unknown): boolean {
  const t = w.t;
  if (t === null) {
    const res = w.res;
    if (res !== null) {
      const rej = w.rej as (e: unknown) => void;
      w.res = w.rej = null;
      if (failed) rej(value);
      else res(value);
      return true;
    }
    // Fired synchronously, before the caller blocked.
    w.done = true;
    w.failed = failed;
    w.value = value;
    return true;
  }
  if (t._blockOnToken !== w) return false;
  wake(t, failed, value);
  return true;
}

function follow<T>(w: Waiter, awaitable: Deferred<T> | PromiseLike<T>): void {
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
        if (!settle(w, true, e)) logErr(e, 'Unhandled error in Deferred:');
      },
    );
  }
}

/** True when `awaitable` is what the last operation that parked its caller returned (its promise, a call's Deferred). */
function parkedOn(awaitable: unknown): boolean {
  const on = sched.parkedOn;
  if (on === awaitable) return true;
  return on !== null && typeof on === 'object' && (on as Waiting).out === awaitable;
}

/**
 * blockOn of what the last parking operation returned, the turn held by `x`: almost always the
 * parked caller itself, in its code right after that operation (`await blockOn(ch.receive())`,
 * `await blockOn(cp.call(x))`). It already waits for that operation: it must wait for it as
 * `await` would, blocking nobody (blocking `x`, which holds the turn but is not the code running,
 * hung the program). Its promise follows the awaitable. The one other caller possible is `x`
 * itself, resumed by that very operation and calling blockOn first thing: it holds the turn and
 * nothing else runs until then, which the event loop's next turn tells; `x` then blocks, as
 * blockOn would have blocked it at once.
 */
function waitParked<T>(awaitable: Deferred<T> | PromiseLike<T>, x: Tasklet): Promise<T> {
  const w: Waiter = { t: null, done: false, failed: false, value: undefined, res: null, rej: null };
  const p = new Promise<T>((res, rej) => {
    w.res = res as (v: unknown) => void;
    w.rej = rej;
  });
  follow(w, awaitable);
  // Its caller's code got `p` in place of the awaitable: blockOn(blockOn(...)) is recognised too.
  sched.parkedOn = p;
  if (w.res !== null && x !== sched.main) setImmediate(blockIfStill, w, x, sched.parkSeq);
  return p;
}

/** The event loop's turn after waitParked: if `x` has not moved since (nothing parked, it still holds the turn), it was the caller. */
function blockIfStill(w: Waiter, x: Tasklet, seq: number): void {
  const res = w.res;
  if (res === null || sched.current !== x || sched.parkSeq !== seq || x._res !== null || x._where !== RING || !x.alive) return;
  const rej = w.rej as (e: unknown) => void;
  w.res = w.rej = null;
  if (x._hasErr) {
    const e = x._err;
    x._err = undefined;
    x._hasErr = false;
    rej(e);
    return;
  }
  w.t = x;
  blockForeign(x, w);
  x._res = res;
  leaveTurn(x, false);
  noteParked(w);
}

/**
 * Suspends the current tasklet until the Deferred (or any promise) fires, letting the other
 * tasklets run meanwhile; gives its result or throws its failure's value. An already-fired
 * Deferred returns at once, without switching. A failure is consumed (the Deferred's result
 * becomes null, as the article's `addBoth`). Given what a tasklet operation just returned to its
 * caller (`blockOn(ch.receive())`, `blockOn(cp.call(x))`), it waits for that operation, as
 * `await` would. Port of the article's `block_on(d)`.
 * @example
 * ```ts
 * tasklet(async () => console.log(await blockOn(succeed(7)))).setup(); // 7
 * ```
 */
export function blockOn<T>(awaitable: Deferred<T> | PromiseLike<T>): Promise<T> {
  const current = sched.current;
  if (current === null) return Promise.resolve(awaitable as PromiseLike<T>);
  if (parkedOn(awaitable)) return waitParked(awaitable, current);
  if (current._hasErr) return takePending(current);
  if (sched.inCallback !== 0) return Promise.reject(inCallbackError());
  if (!isThenable(awaitable)) return Promise.reject(new TypeError(`blockOn() needs a Deferred or a promise, got ${awaitable === null ? 'null' : typeof awaitable}`));
  const w: Waiter = { t: null, done: false, failed: false, value: undefined, res: null, rej: null };
  follow(w, awaitable);
  if (w.done) return w.failed ? Promise.reject(w.value) : Promise.resolve(w.value as T);
  w.t = current;
  blockForeign(current, w);
  const p = suspend(current);
  leaveTurn(current, false);
  noteParked(p);
  return p as Promise<T>;
}
