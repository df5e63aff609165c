// One worker thread and the calls waiting on it: the machinery shared by the worker form of
// ChannelProcessor (its action bound at start) and by each thread of a ThreadPool (functions
// named per call). Covered by spec/channelProcessor/worker.spec.ts and spec/threads/*.spec.ts.
//
// How: the Worker runs WORKER_BOOTSTRAP. Each call gets an id and one slot in a flat array of
// pending Deferreds (index = id - base, consumed with a head index). The worker replies in any
// order (a function returning a promise lets the next call start), so a reply finds its slot by
// id. The worker is unref'd while nothing is pending, so a forgotten stop() does not keep the
// process alive, and ref'd while a call is waiting. A blockingCallFromThread request from the
// worker runs here, on the main thread; its outcome goes back on a MessagePort the worker reads
// synchronously once the shared flag wakes it from Atomics.wait.
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { Deferred } from '../defer/deferred.js';
import { isDeferred } from '../defer/deferred.js';
import { isFailure } from '../failure/failure.js';
import { isThenable } from '../internal/thenable.js';
import { WORKER_BOOTSTRAP } from './bootstrap.js';
import { decodeError, encodeError } from './codec.js';
import { WorkerFunctionNotFound } from './errors.js';
import { resolveModule, type TsxApis } from './resolve.js';

/** @internal What a worker is started with: its bound action (or none, for a pool thread). */
export interface WorkerStart {
  url: string | null;
  exportName: string | null;
  tsx: TsxApis | undefined;
}

/** One worker thread and its waiting calls; subclasses say what its events mean (the base of WorkerChannelProcessor and the ThreadPool's threads). */
export abstract class WorkerHost {
  /** @internal the thread */
  readonly worker: Worker;
  private pending: (Deferred<unknown> | undefined)[];
  private head: number;
  private base: number;
  private nextId: number;
  /** @internal how many calls wait for their reply */
  waiting: number;
  /** @internal stop() was asked: the worker stays ref'd until it has stopped */
  stopRequested: boolean;
  /** @internal the error that ended the worker, once it failed */
  failed: unknown;
  private readonly replyPort: MessagePort;
  private readonly flag: Int32Array;

  /** @internal */
  constructor(start: WorkerStart) {
    this.pending = [];
    this.head = 0;
    this.base = 1;
    this.nextId = 1;
    this.waiting = 0;
    this.stopRequested = false;
    this.failed = undefined;
    const { port1, port2 } = new MessageChannel();
    this.replyPort = port1;
    port1.unref();
    this.flag = new Int32Array(new SharedArrayBuffer(4));
    this.worker = new Worker(WORKER_BOOTSTRAP, {
      eval: true,
      workerData: { url: start.url, exportName: start.exportName, tsx: start.tsx, replyPort: port2, flag: this.flag },
      transferList: [port2],
      stdout: false,
      stderr: false,
    });
    this.worker.ref();
    this.worker.on('message', (msg: unknown[]) => this.onMessage(msg));
    this.worker.on('error', (err: Error) => this.fail(err));
    this.worker.on('exit', (code: number) => this.onExit(code));
  }

  /**
   * @internal Send a call: of the bound action (`named` omitted) or of a named function.
   * @returns its Deferred; failed at once when the arguments cannot be cloned.
   */
  send(args: readonly unknown[], url?: string, exportName?: string): Deferred<unknown> {
    const d = new Deferred<unknown>();
    const id = this.nextId;
    try {
      this.worker.postMessage(url === undefined ? [id, args] : [id, args, url, exportName]);
    } catch (e) {
      d.errback(e);
      return d;
    }
    this.nextId = id + 1;
    this.pending.push(d);
    if (this.waiting++ === 0 && this.isReady()) this.worker.ref();
    return d;
  }

  /** @internal Ask the worker to end once every call so far is answered. */
  requestStop(): void {
    this.stopRequested = true;
    this.worker.ref();
    this.worker.postMessage(0);
  }

  /** @internal End the thread now (its waiting calls are failed by `fail` or were answered). */
  terminate(): Promise<number> {
    this.stopRequested = true;
    this.replyPort.close();
    return this.worker.terminate();
  }

  /** True once the worker can take calls (its action loaded): it may be unref'd when idle. */
  protected abstract isReady(): boolean;
  /** The bound action is loaded. */
  protected abstract loaded(): void;
  /** The bound action could not be loaded. */
  protected abstract loadFailed(problem: string, advice: string, cause: unknown): void;
  /** The worker answered every call and stopped, as asked. */
  protected abstract stopped(handled: number): void;
  /** The worker cannot serve calls any more; every waiting call has been failed with `err`. */
  protected abstract failedAll(err: unknown, told: number): void;
  /** The worker exited without being asked: the error to fail everything with. */
  protected abstract exitError(code: number): Error;
  /** A call was answered (its Deferred fires right after). */
  protected answered(): void {}

  private onMessage(msg: unknown[]): void {
    const tag = msg[0];
    if (typeof tag === 'number') {
      const index = tag - this.base;
      const d = this.pending[index];
      if (d === undefined) return;
      this.pending[index] = undefined;
      // Replies usually come in call order: advance the head past answered slots, and compact
      // the array now and then so it never grows with the number of calls ever made.
      while (this.head < this.pending.length && this.pending[this.head] === undefined) this.head++;
      if (this.head > 1024 && this.head * 2 > this.pending.length) {
        this.pending = this.pending.slice(this.head);
        this.base += this.head;
        this.head = 0;
      }
      if (--this.waiting === 0 && !this.stopRequested) this.worker.unref();
      this.answered();
      const kind = msg[1];
      if (kind === 1) d.callback(msg[2]);
      else if (kind === 0) d.errback(decodeError(msg[2]));
      else d.errback(new WorkerFunctionNotFound(msg[4] as string, msg[5] as string, msg[2] as string, msg[3] as string));
    } else if (tag === 'call') {
      this.callOnMain(msg[1] as string, msg[2] as string, msg[3] as unknown[]);
    } else if (tag === 'ready') {
      this.loaded();
      if (this.waiting === 0 && !this.stopRequested) this.worker.unref();
    } else if (tag === 'load-error') {
      this.loadFailed(msg[1] as string, msg[2] as string, msg[3] === null || msg[3] === undefined ? undefined : decodeError(msg[3]));
    } else if (tag === 'stopped') {
      void this.terminate();
      this.stopped(msg[1] as number);
    }
  }

  /** @internal The worker cannot serve calls any more: fail every waiting call. */
  fail(err: unknown): void {
    if (this.failed !== undefined) return;
    this.failed = err;
    const pending = this.pending;
    const head = this.head;
    this.pending = [];
    this.head = 0;
    this.waiting = 0;
    let told = 0;
    for (let i = head; i < pending.length; i++) {
      const d = pending[i];
      if (d !== undefined) {
        d.errback(err);
        told++;
      }
    }
    void this.terminate();
    this.failedAll(err, told);
  }

  private onExit(code: number): void {
    if (this.failed !== undefined) return;
    if (this.stopRequested && this.waiting === 0) return;
    this.fail(this.exitError(code));
  }

  /** blockingCallFromThread: run the named function here, then wake the blocked worker with its outcome. */
  private callOnMain(url: string, exportName: string, args: unknown[]): void {
    const answer = (ok: boolean, value: unknown): void => {
      try {
        this.replyPort.postMessage([ok, ok ? value : encodeError(value)]);
      } catch (e) {
        this.replyPort.postMessage([false, encodeError(new TypeError(`the main thread's result cannot be copied to the worker (${(e as Error).message}); return plain data`))]);
      }
      Atomics.store(this.flag, 0, 1);
      Atomics.notify(this.flag, 0);
    };
    const settle = (rv: unknown): void => {
      if (isDeferred(rv)) rv.addCallbacks((v: unknown) => answer(true, v), (f: unknown) => answer(false, isFailure(f) ? f.value : f));
      else if (isThenable(rv)) rv.then((v) => answer(true, v), (e: unknown) => answer(false, isFailure(e) ? e.value : e));
      else answer(true, rv);
    };
    let resolved: string;
    try {
      resolved = resolveModule(url, exportName, 'blockingCallFromThread', notFoundInMain).url;
    } catch (e) {
      answer(false, e);
      return;
    }
    import(resolved).then(
      (mod: Record<string, unknown>) => {
        let fn = mod[exportName];
        const dflt = mod.default;
        if (fn === undefined && dflt !== null && typeof dflt === 'object') fn = (dflt as Record<string, unknown>)[exportName];
        if (typeof fn !== 'function') {
          answer(
            false,
            notFoundInMain(url, exportName, fn === undefined ? `the module has no export named ${JSON.stringify(exportName)}` : `its export ${JSON.stringify(exportName)} is a ${typeof fn}, not a function`, 'export the function under that name'),
          );
          return;
        }
        let rv: unknown;
        try {
          rv = (fn as (...a: unknown[]) => unknown)(...args);
        } catch (e) {
          answer(false, e);
          return;
        }
        settle(rv);
      },
      (e: unknown) => answer(false, notFoundInMain(url, exportName, `the module could not be loaded (${(e as Error)?.message})`, 'check the path')),
    );
  }
}

function notFoundInMain(modulePath: string, exportName: string, problem: string, advice: string): Error {
  return new WorkerFunctionNotFound(modulePath, exportName, problem, advice, 'blockingCallFromThread');
}
