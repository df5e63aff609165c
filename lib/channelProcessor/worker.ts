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
import { Failure } from '../failure/failure.js';
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
  hasCause: boolean;
  cause: unknown;
  errors: unknown[] | undefined;
}

/** The built-in error classes a worker error keeps (structured cloning keeps only these). */
const ERROR_CLASSES: Record<string, (message: string) => Error> = {
  Error: (m) => new Error(m),
  TypeError: (m) => new TypeError(m),
  RangeError: (m) => new RangeError(m),
  SyntaxError: (m) => new SyntaxError(m),
  ReferenceError: (m) => new ReferenceError(m),
  EvalError: (m) => new EvalError(m),
  URIError: (m) => new URIError(m),
  AggregateError: (m) => new AggregateError([], m),
};

function isEncodedError(value: unknown): value is EncodedError {
  return value !== null && typeof value === 'object' && (value as EncodedError).__twistlessWorkerError === 1;
}

/** A non-enumerable own field, as the engine makes `cause` and `errors`. */
function defineHidden(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: false });
}

/**
 * Rebuild an error thrown in the worker: same class when built in, same name, message, stack and
 * own fields, with `cause` and an AggregateError's `errors` rebuilt the same way (an error met
 * twice, or in a cycle, is rebuilt once: `seen` maps each record to its error).
 */
function decodeError(value: unknown, seen: Map<EncodedError, Error> = new Map()): unknown {
  if (!isEncodedError(value)) return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  const make = ERROR_CLASSES[value.base] ?? ERROR_CLASSES.Error;
  const err = make(value.message);
  seen.set(value, err);
  Object.defineProperty(err, 'name', { value: value.name, writable: true, configurable: true, enumerable: false });
  if (value.stack !== undefined) err.stack = value.stack;
  for (const key of Object.keys(value.props)) (err as unknown as Record<string, unknown>)[key] = decodeError(value.props[key], seen);
  if (value.hasCause) defineHidden(err, 'cause', decodeError(value.cause, seen));
  if (value.errors !== undefined) defineHidden(err, 'errors', value.errors.map((e) => decodeError(e, seen)));
  return err;
}

/** A Failure of `err`, marked handled (never reported as unhandled) when `handled`. */
function quiet(err: unknown, handled: boolean): Failure {
  const f = new Failure(err);
  f.handled = handled;
  return f;
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
 *   error of the same built-in class, name, message, stack and own fields; its `cause` and an
 *   AggregateError's `errors` are rebuilt the same way, recursively.
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
    let told = 0;
    for (let i = head; i < pending.length; i++) {
      const d = pending[i];
      if (d !== undefined) {
        d.errback(err);
        told++;
      }
    }
    void this.worker.terminate();
    // Reported once at most: not at all when a call got the error (its caller has it);
    // otherwise by `ready` alone, if nothing handles it there. `done` carries it unreported.
    if (!this.ready.called) this.ready.errback(quiet(err, told > 0));
    if (!this.done.called) this.done.errback(quiet(err, true));
  }

  private onExit(code: number): void {
    if (this.done.called || this.failed !== undefined) return;
    this.onFailure(new WorkerExited(this.exportName, code, this.waiting));
  }
}
