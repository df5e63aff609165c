// The errors of twistless/channelProcessor. The article ("Stackless Event Loops") has none of
// its own: a call after stop() hangs there, a failing action hangs its caller, and a bad action
// fails deep inside the loop. twistless names each case. Covered by
// spec/channelProcessor/badInput.spec.ts and spec/channelProcessor/worker.spec.ts.

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  return `${typeof value} ${String(value)}`;
}

/**
 * Raised when a ChannelProcessor (or `channelProcessor`) is given an action that is not a
 * function. The article would fail later, inside the loop tasklet, when the first request
 * arrives; twistless refuses at construction.
 *
 * @example
 * ```ts
 * try { new ChannelProcessor(42 as never); } catch (e) { console.log((e as Error).name); } // ActionNotCallable
 * ```
 */
export class ActionNotCallable extends TypeError {
  /** The value that was given instead of a function. */
  readonly value: unknown;
  constructor(where: string, value: unknown) {
    super(`${where} needs a function as its action, got ${describeValue(value)}: pass the function that handles each call`);
    this.name = 'ActionNotCallable';
    this.value = value;
  }
}

/**
 * Raised (as the failure of the call's Deferred, at once) by a call made after `stop()`.
 * In the article such a call blocks for ever, its request sitting unread in the channel.
 *
 * @example
 * ```ts
 * cp.stop();
 * cp.call(1).addErrback((f) => console.log(f.value.name)); // ChannelProcessorStopped
 * ```
 */
export class ChannelProcessorStopped extends Error {
  /** The name of the action of the stopped processor. */
  readonly actionName: string;
  constructor(actionName: string, detail = '') {
    super(
      `cannot call ${actionName || 'the action'} through its ChannelProcessor: the processor was stopped${detail}; ` +
        'create a new ChannelProcessor (or call the function directly) to handle more calls',
    );
    this.name = 'ChannelProcessorStopped';
    this.actionName = actionName;
  }
}

/**
 * Raised by `ChannelProcessor.inWorker` when the module path is not an absolute path or a
 * `file:` URL.
 */
export class InvalidWorkerModule extends TypeError {
  /** What was given as the module path. */
  readonly modulePath: unknown;
  constructor(modulePath: unknown, why: string) {
    super(`ChannelProcessor.inWorker needs an absolute file path or a file: URL of an ES module, got ${describeValue(modulePath)}: ${why}`);
    this.name = 'InvalidWorkerModule';
    this.modulePath = modulePath;
  }
}

/**
 * The worker form could not find its action: the module does not exist, could not be loaded,
 * or has no function exported under that name. Raised at once by `inWorker` for a missing
 * file; otherwise it is the failure of `ready`, `done` and of every call made so far.
 */
export class WorkerActionNotFound extends Error {
  /** The module path or URL given to `inWorker`. */
  readonly modulePath: string;
  /** The export name given to `inWorker`. */
  readonly exportName: string;
  constructor(modulePath: string, exportName: string, problem: string, advice: string) {
    super(`ChannelProcessor.inWorker(${JSON.stringify(modulePath)}, ${JSON.stringify(exportName)}): ${problem}; ${advice}`);
    this.name = 'WorkerActionNotFound';
    this.modulePath = modulePath;
    this.exportName = exportName;
  }
}

/**
 * The worker thread of a worker-form processor ended without being asked to (it called
 * `process.exit`, or an error escaped outside any action). Every call still waiting fails with
 * it, and so does `done`.
 */
export class WorkerExited extends Error {
  /** The worker's exit code. */
  readonly exitCode: number;
  constructor(exportName: string, exitCode: number, pending: number) {
    super(
      `the worker thread running ${exportName} exited with code ${exitCode} before stop() ` +
        `(${pending} call(s) were still waiting); make the action return or throw instead of ending its thread`,
    );
    this.name = 'WorkerExited';
    this.exitCode = exitCode;
  }
}
