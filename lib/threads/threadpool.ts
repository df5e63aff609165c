// Port of twisted.python.threadpool.ThreadPool (Twisted 22.4) on Node worker threads. A Python
// thread runs any callable; a worker thread runs only code it loads itself, so each piece of work
// is a function named by module path and export name, with structured-cloned arguments and
// result. The threads are started lazily up to `max`, as Twisted's are; each runs one call at a
// time. Covered by spec/threads/threadpool.spec.ts.
import { Deferred } from '../defer/deferred.js';
import { Failure } from '../failure/failure.js';
import * as log from '../log/log.js';
import { InvalidWorkerModule } from '../channelProcessor/errors.js';
import { WorkerFunctionNotFound, WorkerThreadExited } from './errors.js';
import { resolveModule, tsxApis } from './resolve.js';
import { WorkerHost } from './workerHost.js';
import type { Worker } from 'node:worker_threads';

/** One piece of work: the function's module URL and export, its arguments, its Deferred. */
interface Work {
  url: string;
  exportName: string;
  args: readonly unknown[];
  d: Deferred<unknown>;
}

function notFound(modulePath: string, exportName: string, problem: string, advice: string): Error {
  return new WorkerFunctionNotFound(modulePath, exportName, problem, advice);
}

/** One thread of a pool. */
class PoolThread extends WorkerHost {
  busy = false;
  private ready = false;
  constructor(readonly pool: ThreadPool) {
    super({ url: null, exportName: null, tsx: tsxApis() });
  }

  protected isReady(): boolean {
    return this.ready;
  }

  protected loaded(): void {
    this.ready = true;
  }

  protected loadFailed(problem: string, advice: string, cause: unknown): void {
    this.fail(new Error(`a worker thread of the pool could not start: ${problem}; ${advice}`, cause === undefined ? undefined : { cause }));
  }

  protected stopped(): void {
    this.pool._gone(this);
  }

  protected failedAll(err: unknown, told: number): void {
    // Nobody was told (no call was running): the failure must not pass silently.
    if (told === 0 && !(err instanceof WorkerThreadExited)) log.err(err, 'a worker thread of the pool failed:');
    this.pool._gone(this);
  }

  protected exitError(code: number): Error {
    return new WorkerThreadExited(code);
  }

  protected override answered(): void {
    this.busy = false;
    this.pool._next(this);
  }
}

/**
 * A pool of worker threads. Port of `twisted.python.threadpool.ThreadPool`: the same `min`,
 * `max`, `name`, `started`, `joined`, `threads`, `start()`, `stop()`, `adjustPoolsize()`,
 * `callInThread()` and `callInThreadWithCallback()`, but each call names its function by module
 * path and export instead of passing a callable (a function cannot cross to a worker thread).
 * Work given before `start()` waits for it.
 *
 * @example
 * ```ts
 * import { ThreadPool } from 'twistless/threads';
 * const pool = new ThreadPool(0, 4);
 * pool.start();
 * console.log(pool.min, pool.max, pool.started); // 0 4 true
 * await pool.stop();
 * ```
 */
export class ThreadPool {
  /** The fewest threads kept once started. */
  min: number;
  /** The most threads run at once. */
  max: number;
  /** The pool's name (Twisted's reactor pool is "twisted.internet.reactor"). */
  readonly name: string | null;
  /** True between `start()` and `stop()`. */
  started: boolean;
  /** True once `stop()` has been called (and until `start()` again). */
  joined: boolean;
  private readonly all: PoolThread[];
  private queue: Work[];
  private qHead: number;
  private stopping: Deferred<void> | null;

  /**
   * @param minthreads - the fewest threads once started (Twisted's default, 5).
   * @param maxthreads - the most threads at once (Twisted's default, 20).
   * @param name - a name for the pool.
   * @throws RangeError when minthreads is negative or above maxthreads.
   */
  constructor(minthreads = 5, maxthreads = 20, name: string | null = null) {
    if (!(minthreads >= 0)) throw new RangeError(`ThreadPool(minthreads, maxthreads): minthreads must be >= 0, got ${String(minthreads)}`);
    if (!(minthreads <= maxthreads)) throw new RangeError(`ThreadPool(minthreads, maxthreads): minthreads (${minthreads}) must be <= maxthreads (${String(maxthreads)})`);
    this.min = minthreads;
    this.max = maxthreads;
    this.name = name;
    this.started = false;
    this.joined = false;
    this.all = [];
    this.queue = [];
    this.qHead = 0;
    this.stopping = null;
  }

  /** The pool's threads (Node Worker objects), as many as are running. */
  get threads(): readonly Worker[] {
    return this.all.map((t) => t.worker);
  }

  /** How many pieces of work wait for a thread. */
  get pending(): number {
    return this.queue.length - this.qHead;
  }

  /** Start the pool: `min` threads, and more (up to `max`) for the work already given. Port of `ThreadPool.start`. */
  start(): void {
    this.joined = false;
    this.started = true;
    this.stopping = null;
    while (this.all.length < this.min) this.spawn();
    this.dispatch();
  }

  /**
   * Stop the pool: the work already given still runs, then every thread ends. Port of
   * `ThreadPool.stop` (which joins the threads before returning; here the Deferred fires once
   * they have all ended).
   *
   * @returns a Deferred that fires once every thread has ended.
   */
  stop(): Deferred<void> {
    this.joined = true;
    this.started = false;
    if (this.stopping === null) this.stopping = new Deferred<void>();
    const d = this.stopping;
    this.dispatch();
    this.endIfDrained();
    return d;
  }

  /**
   * Set the pool's size; a started pool starts threads up to the new minimum and ends idle
   * threads above the new maximum. Port of `ThreadPool.adjustPoolsize`.
   *
   * @throws RangeError when the minimum is negative or above the maximum.
   */
  adjustPoolsize(minthreads: number = this.min, maxthreads: number = this.max): void {
    if (!(minthreads >= 0)) throw new RangeError(`adjustPoolsize(minthreads, maxthreads): minthreads must be >= 0, got ${String(minthreads)}`);
    if (!(minthreads <= maxthreads)) throw new RangeError(`adjustPoolsize(minthreads, maxthreads): minthreads (${minthreads}) must be <= maxthreads (${String(maxthreads)})`);
    this.min = minthreads;
    this.max = maxthreads;
    if (!this.started) return;
    for (const t of this.all.slice()) {
      if (this.all.length <= this.max) break;
      if (!t.busy) this.retire(t);
    }
    while (this.all.length < this.min) this.spawn();
    this.dispatch();
  }

  /**
   * Run the function exported as `exportName` by the module at `modulePath` in a thread of the
   * pool, with `args` (structured-cloned). Its failure is logged. Port of
   * `ThreadPool.callInThread`, with a named function instead of a callable.
   *
   * @throws InvalidWorkerModule for a relative path.
   */
  callInThread(modulePath: string | URL, exportName: string, ...args: unknown[]): void {
    this.defer(modulePath, exportName, args).addErrback((f: Failure) => {
      log.err(f, 'Unhandled error in a worker thread:');
      return undefined;
    });
  }

  /**
   * As `callInThread`, then `onResult(true, result)` or `onResult(false, failure)` on the main
   * thread (Twisted calls it in the worker thread; no callable can run there). An error thrown
   * by `onResult` is logged. Port of `ThreadPool.callInThreadWithCallback`.
   */
  callInThreadWithCallback(onResult: (success: boolean, result: unknown) => void, modulePath: string | URL, exportName: string, ...args: unknown[]): void {
    this.defer(modulePath, exportName, args).addCallbacks(
      (v: unknown) => {
        report(onResult, true, v);
        return undefined;
      },
      (f: Failure) => {
        report(onResult, false, f);
        return undefined;
      },
    );
  }

  /**
   * @internal The work as a Deferred of its result (deferToWorkerPool).
   * @throws InvalidWorkerModule for a relative path or a non-string.
   */
  defer(modulePath: string | URL, exportName: string, args: readonly unknown[]): Deferred<unknown> {
    const d = new Deferred<unknown>();
    let url: string;
    try {
      url = resolveModule(modulePath, exportName, 'deferToWorker', notFound).url;
    } catch (e) {
      if (e instanceof InvalidWorkerModule) throw e;
      d.errback(e);
      return d;
    }
    this.queue.push({ url, exportName, args, d });
    this.dispatch();
    return d;
  }

  /** @internal A thread finished its call: give it the next piece of work. */
  _next(t: PoolThread): void {
    this.dispatch(t);
    this.endIfDrained();
  }

  /** @internal A thread ended (stopped, failed or exited): forget it, and start another if work waits. */
  _gone(t: PoolThread): void {
    const i = this.all.indexOf(t);
    if (i >= 0) this.all.splice(i, 1);
    this.dispatch();
    this.endIfDrained();
  }

  private spawn(): PoolThread {
    const t = new PoolThread(this);
    this.all.push(t);
    return t;
  }

  private retire(t: PoolThread): void {
    const i = this.all.indexOf(t);
    if (i >= 0) this.all.splice(i, 1);
    t.busy = true;
    t.requestStop();
  }

  /** Give waiting work to idle threads (`first` first), starting threads up to `max`. */
  private dispatch(first?: PoolThread): void {
    if (!this.started && this.stopping === null) return;
    while (this.qHead < this.queue.length) {
      let t: PoolThread | undefined = first !== undefined && !first.busy && this.all.includes(first) ? first : this.all.find((x) => !x.busy);
      first = undefined;
      if (t === undefined) {
        if (this.all.length >= Math.max(this.max, 1)) return;
        t = this.spawn();
      }
      const w = this.queue[this.qHead];
      this.queue[this.qHead++] = undefined as never;
      if (this.qHead === this.queue.length) {
        this.queue = [];
        this.qHead = 0;
      }
      t.busy = true;
      t.send(w.args, w.url, w.exportName).chainDeferred(w.d);
    }
  }

  /** Stopping, and nothing left to run: end every thread; the stop Deferred fires when they have. */
  private endIfDrained(): void {
    const d = this.stopping;
    if (d === null || this.pending > 0 || this.all.some((t) => t.busy)) return;
    const ends = this.all.map((t) => t.terminate());
    this.all.length = 0;
    void Promise.all(ends).then(() => {
      if (!d.called) d.callback(undefined);
    });
  }
}

function report(onResult: (success: boolean, result: unknown) => void, success: boolean, result: unknown): void {
  try {
    onResult(success, result);
  } catch (e) {
    log.err(new Failure(e), 'ThreadPool.callInThreadWithCallback: onResult failed:');
  }
}
