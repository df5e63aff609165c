// The worker-thread form of ChannelProcessor: the closing idea of the article "Stackless Event
// Loops" ("this premise can be extended further to allow for the event loop to run in its own
// thread"). The action lives in a Node worker thread, loaded from a module path and an export
// name; calls and replies are structured-cloned messages; the caller's side keeps the article's
// shape: `call(...args)` returns a Deferred, `stop()` ends the loop after the calls already made.
// Covered by spec/channelProcessor/worker.spec.ts.
//
// How: one Worker per processor, running WORKER_BOOTSTRAP. Each call gets an id and one slot in
// a flat array of pending Deferreds (index = id - base, consumed with a head index). The worker
// replies in any order (an action returning a promise lets the next call start), so a reply
// finds its slot by id. The worker is unref'd while nothing is pending, so a forgotten stop()
// does not keep the process alive, and ref'd while a call is waiting.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Deferred } from '../defer/deferred.js';
import { ChannelProcessorStopped, InvalidWorkerModule, WorkerActionNotFound, WorkerExited } from './errors.js';
import { WORKER_BOOTSTRAP } from './workerBootstrap.js';

/** The result type a caller sees for an action: its value, with promises and Deferreds unwrapped. */
export type ActionResult<R> = R extends PromiseLike<infer V> ? V : R;

interface EncodedError {
  __twistlessWorkerError: 1;
  base: string;
  name: string;
  message: string;
  stack: string | undefined;
  props: Record<string, unknown>;
}

const ERROR_CLASSES: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** Rebuild an error thrown in the worker: same class when built in, same name, message, stack and fields. */
function decodeError(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || (value as EncodedError).__twistlessWorkerError !== 1) return value;
  const enc = value as EncodedError;
  const Ctor = ERROR_CLASSES[enc.base] ?? Error;
  const err = new Ctor(enc.message);
  Object.defineProperty(err, 'name', { value: enc.name, writable: true, configurable: true, enumerable: false });
  if (enc.stack !== undefined) err.stack = enc.stack;
  Object.assign(err, enc.props);
  return err;
}

const TS_FILE = /\.(?:[cm]?ts|tsx)$/;

/** Where tsx's registration APIs are (its ESM and CommonJS hooks), or undefined without tsx. */
interface TsxApis {
  esm: string;
  cjs: string;
}

function tsxApis(): TsxApis | undefined {
  let pkgFile: string;
  try {
    pkgFile = require.resolve('tsx/package.json');
  } catch {
    return undefined;
  }
  // Read tsx's own exports map: `import` of ./esm/api and `require` of ./cjs/api.
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports?: Record<string, unknown> };
  const pick = (key: string, condition: 'import' | 'require'): string | undefined => {
    const entry = pkg.exports?.[key] as Record<string, string | { default?: string }> | undefined;
    const target = entry?.[condition];
    return typeof target === 'string' ? target : target?.default;
  };
  const esm = pick('./esm/api', 'import');
  const cjs = pick('./cjs/api', 'require');
  if (esm === undefined || cjs === undefined) return undefined;
  return { esm: pathToFileURL(join(dirname(pkgFile), esm)).href, cjs: join(dirname(pkgFile), cjs) };
}

/** Check the module path at once, the way Node would resolve it, and return its file: URL. */
function resolveModule(modulePath: string | URL, exportName: string): { url: string; tsx: TsxApis | undefined } {
  let file: string;
  const given = modulePath instanceof URL ? modulePath.href : modulePath;
  if (typeof given !== 'string') throw new InvalidWorkerModule(modulePath, 'pass a string or a URL');
  if (typeof exportName !== 'string' || exportName === '') {
    throw new WorkerActionNotFound(String(given), String(exportName), 'the export name must be a non-empty string', 'pass the name the action is exported under');
  }
  if (given.startsWith('file:')) {
    try {
      file = fileURLToPath(given);
    } catch (e) {
      throw new InvalidWorkerModule(given, `it is not a valid file: URL (${(e as Error).message})`);
    }
  } else if (isAbsolute(given)) {
    file = given;
  } else {
    throw new InvalidWorkerModule(
      given,
      "a worker thread resolves modules from no particular directory; use path.join(__dirname, 'file.mjs') or new URL('./file.mjs', import.meta.url)",
    );
  }
  if (!existsSync(file)) {
    throw new WorkerActionNotFound(given, exportName, `there is no file at ${file}`, 'check the path (it must name the module file itself, with its extension)');
  }
  let tsx: TsxApis | undefined;
  if (TS_FILE.test(file)) {
    tsx = tsxApis();
    if (tsx === undefined) {
      throw new WorkerActionNotFound(
        given,
        exportName,
        'it is a TypeScript file, and a worker thread can load TypeScript only through tsx, which is not installed',
        'compile the module to JavaScript and pass the .js/.mjs path, or install tsx',
      );
    }
  }
  return { url: pathToFileURL(file).href, tsx };
}

/**
 * A ChannelProcessor whose action runs in a Node worker thread: the article's "event loop in its
 * own thread". Made by {@link ChannelProcessor.inWorker}; same `call` / `stop` API as the
 * in-thread processor.
 *
 * - Arguments and results are structured-cloned (plain data; no functions, no class instances'
 *   prototypes).
 * - An error thrown (or a promise rejected) by the action fails the call's Deferred with an
 *   error of the same built-in class, name, message, stack and own fields.
 * - The worker takes calls in order; an action that returns a promise lets it take the next
 *   call before replying, as an unfired Deferred does in the article.
 * - `stop()` ends the worker once every call already made is answered.
 *
 * @typeParam F - the type of the exported action, e.g. `typeof import('./work.js').fib`.
 */
export class WorkerChannelProcessor<F extends (...args: never[]) => unknown = (...args: unknown[]) => unknown> {
  /** The module path or URL the action is loaded from, as given. */
  readonly modulePath: string;
  /** The name of the exported action. */
  readonly exportName: string;
  /** True until `stop()` is called (or the worker fails): calls are accepted while it is true. */
  running: boolean;
  /** Fires once the worker has loaded the action; fails with WorkerActionNotFound when it cannot. */
  readonly ready: Deferred<void>;
  /**
   * The processor's own Deferred, reporting how the worker's loop ended: fires with the number
   * of calls it answered when stopped; fails with WorkerActionNotFound or WorkerExited.
   */
  readonly done: Deferred<number>;
  private readonly worker: Worker;
  private pending: (Deferred<ActionResult<ReturnType<F>>> | undefined)[];
  private head: number;
  private base: number;
  private nextId: number;
  private waiting: number;
  private failed: unknown;
  private stopRequested: boolean;

  /** Use {@link ChannelProcessor.inWorker}. */
  constructor(modulePath: string | URL, exportName: string) {
    const { url, tsx } = resolveModule(modulePath, exportName);
    this.modulePath = modulePath instanceof URL ? modulePath.href : modulePath;
    this.exportName = exportName;
    this.running = true;
    this.ready = new Deferred<void>();
    this.done = new Deferred<number>();
    this.pending = [];
    this.head = 0;
    this.base = 1;
    this.nextId = 1;
    this.waiting = 0;
    this.failed = undefined;
    this.stopRequested = false;
    this.worker = new Worker(WORKER_BOOTSTRAP, { eval: true, workerData: { url, exportName, tsx }, stdout: false, stderr: false });
    this.worker.ref();
    this.worker.on('message', (msg: unknown[]) => this.onMessage(msg));
    this.worker.on('error', (err: Error) => this.onFailure(err));
    this.worker.on('exit', (code: number) => this.onExit(code));
  }

  /**
   * Call the action in the worker with `args` (structured-cloned). Port of the article's
   * `ChannelProcessor.__call__`, across a thread boundary.
   *
   * @returns a Deferred that fires with the action's result, or fails with what it threw.
   * @throws nothing: a call after `stop()` returns a Deferred failed with ChannelProcessorStopped,
   *   and arguments that cannot be cloned return a Deferred failed with the DataCloneError.
   */
  call(...args: Parameters<F>): Deferred<ActionResult<ReturnType<F>>> {
    const d = new Deferred<ActionResult<ReturnType<F>>>();
    if (!this.running) {
      d.errback(this.failed !== undefined ? this.failed : new ChannelProcessorStopped(this.exportName, ' (worker form)'));
      return d;
    }
    const id = this.nextId;
    try {
      this.worker.postMessage([id, args]);
    } catch (e) {
      d.errback(e);
      return d;
    }
    this.nextId = id + 1;
    this.pending.push(d);
    if (this.waiting++ === 0 && this.ready.called) this.worker.ref();
    return d;
  }

  /**
   * Stop the worker once every call already made has been answered. Calls made after this fail
   * at once with ChannelProcessorStopped. Calling it again does nothing more.
   *
   * @returns `done`: fires with the number of calls the worker answered.
   */
  stop(): Deferred<number> {
    if (this.running) {
      this.running = false;
      this.stopRequested = true;
      this.worker.ref();
      this.worker.postMessage(0);
    }
    return this.done;
  }

  /** How many calls are waiting for their reply. */
  get waitingCalls(): number {
    return this.waiting;
  }

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
      if (msg[1] === true) d.callback(msg[2] as ActionResult<ReturnType<F>>);
      else d.errback(decodeError(msg[2]));
    } else if (tag === 'ready') {
      this.ready.callback(undefined);
      if (this.waiting === 0 && !this.stopRequested) this.worker.unref();
    } else if (tag === 'load-error') {
      const err = new WorkerActionNotFound(this.modulePath, this.exportName, msg[1] as string, msg[2] as string);
      if (msg[3] !== null && msg[3] !== undefined) (err as { cause?: unknown }).cause = decodeError(msg[3]);
      this.onFailure(err);
    } else if (tag === 'stopped') {
      const handled = msg[1] as number;
      this.running = false;
      void this.worker.terminate();
      if (!this.done.called) this.done.callback(handled);
    }
  }

  /** The worker cannot serve calls any more: fail every waiting call, `ready` and `done`. */
  private onFailure(err: unknown): void {
    if (this.failed !== undefined) return;
    this.failed = err;
    this.running = false;
    const pending = this.pending;
    const head = this.head;
    this.pending = [];
    this.head = 0;
    this.waiting = 0;
    for (let i = head; i < pending.length; i++) {
      const d = pending[i];
      if (d !== undefined) d.errback(err);
    }
    void this.worker.terminate();
    if (!this.ready.called) this.ready.errback(err);
    if (!this.done.called) this.done.errback(err);
  }

  private onExit(code: number): void {
    if (this.done.called || this.failed !== undefined) return;
    this.onFailure(new WorkerExited(this.exportName, code, this.waiting));
  }
}
