// The worker-thread form of ChannelProcessor: the closing idea of the article "Stackless Event
// Loops" ("this premise can be extended further to allow for the event loop to run in its own
// thread"). The action lives in a Node worker thread, loaded from a module path and an export
// name; calls and replies are structured-cloned messages; the caller's side keeps the article's
// shape: `call(...args)` returns a Deferred, `stop()` ends the loop after the calls already made.
// The thread and its waiting calls are twistless/threads' WorkerHost (shared with ThreadPool).
// Covered by spec/channelProcessor/worker.spec.ts.
import { Deferred } from '../defer/deferred.js';
import { quiet } from '../threads/codec.js';
import { resolveModule } from '../threads/resolve.js';
import { WorkerHost } from '../threads/workerHost.js';
import { ChannelProcessorStopped, WorkerActionNotFound, WorkerExited } from './errors.js';

/** The result type a caller sees for an action: its value, with promises and Deferreds unwrapped. */
export type ActionResult<R> = R extends PromiseLike<infer V> ? V : R;

function actionNotFound(modulePath: string, exportName: string, problem: string, advice: string): Error {
  return new WorkerActionNotFound(modulePath, exportName, problem, advice.replace('the function', 'the action'));
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
export class WorkerChannelProcessor<F extends (...args: never[]) => unknown = (...args: unknown[]) => unknown> extends WorkerHost {
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

  /** Use {@link ChannelProcessor.inWorker}. */
  constructor(modulePath: string | URL, exportName: string) {
    const { url, tsx } = resolveModule(modulePath, exportName, 'ChannelProcessor.inWorker', actionNotFound);
    super({ url, exportName, tsx });
    this.modulePath = modulePath instanceof URL ? modulePath.href : modulePath;
    this.exportName = exportName;
    this.running = true;
    this.ready = new Deferred<void>();
    this.done = new Deferred<number>();
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
    if (!this.running) {
      const d = new Deferred<ActionResult<ReturnType<F>>>();
      d.errback(this.failed !== undefined ? this.failed : new ChannelProcessorStopped(this.exportName, ' (worker form)'));
      return d;
    }
    return this.send(args) as Deferred<ActionResult<ReturnType<F>>>;
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
      this.requestStop();
    }
    return this.done;
  }

  /** How many calls are waiting for their reply. */
  get waitingCalls(): number {
    return this.waiting;
  }

  protected isReady(): boolean {
    return this.ready.called;
  }

  protected loaded(): void {
    this.ready.callback(undefined);
  }

  protected loadFailed(problem: string, advice: string, cause: unknown): void {
    const err = new WorkerActionNotFound(this.modulePath, this.exportName, problem, advice);
    if (cause !== undefined) (err as { cause?: unknown }).cause = cause;
    this.fail(err);
  }

  protected stopped(handled: number): void {
    this.running = false;
    if (!this.done.called) this.done.callback(handled);
  }

  protected failedAll(err: unknown, told: number): void {
    this.running = false;
    // Reported once at most: not at all when a call got the error (its caller has it);
    // otherwise by `ready` alone, if nothing handles it there. `done` carries it unreported.
    if (!this.ready.called) this.ready.errback(quiet(err, told > 0));
    if (!this.done.called) this.done.errback(quiet(err, true));
  }

  protected exitError(code: number): Error {
    return new WorkerExited(this.exportName, code, this.waiting);
  }
}
