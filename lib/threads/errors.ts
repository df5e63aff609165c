// The errors of twistless/threads. Twisted runs closures in its thread pool and has no such
// errors; a Node worker thread runs a function named by module and export, so a name that does
// not resolve is an error of its own. Covered by spec/threads/threads.spec.ts and
// threadpool.spec.ts.

/**
 * A function named by module and export for a worker thread (`deferToWorker`, `callInThread`,
 * `ThreadPool`'s calls) or for the main thread (`blockingCallFromThread`) does not exist: no file
 * at that path, a module that does not load, or no function exported under that name. The
 * call's Deferred fails with it.
 *
 * @example
 * ```ts no-run
 * deferToWorker('/nowhere/work.mjs', 'fib', 30).addErrback((f) => console.log(f.value instanceof WorkerFunctionNotFound)); // true
 * ```
 */
export class WorkerFunctionNotFound extends Error {
  /** The module path or URL given. */
  readonly modulePath: string;
  /** The export name given. */
  readonly exportName: string;
  constructor(modulePath: string, exportName: string, problem: string, advice: string, where = 'deferToWorker') {
    super(`${where}(${JSON.stringify(modulePath)}, ${JSON.stringify(exportName)}): ${problem}; ${advice}`);
    this.name = 'WorkerFunctionNotFound';
    this.modulePath = modulePath;
    this.exportName = exportName;
  }
}

/**
 * `blockingCallFromThread` was called on the main thread (the reactor's thread), where it would
 * wait for itself. Twisted raises a RuntimeError with the same message.
 */
export class BlockingCallInReactorThread extends Error {
  constructor() {
    super('blockingCallFromThread must not be called in the reactor thread: call the function directly there (it runs on the main thread anyway)');
    this.name = 'BlockingCallInReactorThread';
  }
}

/**
 * A worker thread of a ThreadPool ended without being asked to (it called `process.exit`, or an
 * error escaped outside any call). The call it was running fails with it; the pool starts
 * another thread for the work still queued.
 */
export class WorkerThreadExited extends Error {
  /** The thread's exit code. */
  readonly exitCode: number;
  constructor(exitCode: number) {
    super(`a worker thread of the pool exited with code ${exitCode} while running a call; make the function return or throw instead of ending its thread`);
    this.name = 'WorkerThreadExited';
    this.exitCode = exitCode;
  }
}
