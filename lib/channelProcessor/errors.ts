// The errors of twistless/channelProcessor. The article ("Stackless Event Loops") has none of
// its own: a call after stop() hangs there, a failing action hangs its caller, and a bad action
// fails deep inside the loop. twistless names each case. Covered by
// spec/channelProcessor/badInput.spec.ts, answered.spec.ts, reentry.spec.ts and worker.spec.ts.
import { DeadlockError } from '../tasklets/errors.js';
import { describe } from '../internal/describe.js';

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
    super(`${where} needs a function as its action, got ${describe(value)}: pass the function that handles each call`);
    this.name = 'ActionNotCallable';
    this.value = value;
  }
}

/** Why a call could not be carried out, for {@link ChannelProcessorStopped}. */
export interface StoppedDetails {
  /** What happened, after "cannot call f through its ChannelProcessor: ". */
  reason?: string;
  /** What to do instead. */
  advice?: string;
  /** The error behind it (the TaskletExit of a killed tasklet). */
  cause?: unknown;
}

const STOPPED = 'the processor was stopped';
const STOPPED_ADVICE = 'create a new ChannelProcessor (or call the function directly) to handle more calls';

/**
 * The failure of a call that the processor cannot carry out: a call made after `stop()` (at
 * once); a call queued when the loop ended; every call waiting when the loop's tasklet was
 * killed (`reason` says so, `cause` is the TaskletExit); a call whose own tasklet was killed.
 * In the article such a call blocks for ever.
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
  /**
   * @param actionName - the action's name, for the message.
   * @param details - a suffix to the default reason ("the processor was stopped"), or the
   *   reason, advice and cause in full.
   */
  constructor(actionName: string, details: string | StoppedDetails = '') {
    const d: StoppedDetails = typeof details === 'string' ? { reason: STOPPED + details } : details;
    super(
      `cannot call ${actionName || 'the action'} through its ChannelProcessor: ${d.reason ?? STOPPED}; ${d.advice ?? STOPPED_ADVICE}`,
      d.cause !== undefined ? { cause: d.cause } : undefined,
    );
    this.name = 'ChannelProcessorStopped';
    this.actionName = actionName;
  }
}

/**
 * A call made from inside the processor's own action, directly or through tasklets the action
 * waits on (a blockingTasklet call): the call would wait for the loop, and the loop waits for
 * the action, which waits for the call. The call fails at once with this error instead of
 * hanging. When the action waits through blockOn of another tasklet's Deferred or a channel, the
 * cycle is found once the event loop is idle, and the newest call from a tasklet fails then. A
 * DeadlockError (`blocked` is empty; `report` says who called and how it was found).
 *
 * @example
 * ```ts
 * const cp = new ChannelProcessor(async (n: number): Promise<number> => (n === 0 ? 0 : 1 + (await blockOn(cp.call(n - 1)))));
 * cp.call(2).addErrback((f) => console.log(f.value.name)); // ChannelProcessorReentryError
 * ```
 */
export class ChannelProcessorReentryError extends DeadlockError {
  /** The name of the processor's action. */
  readonly actionName: string;
  /** The tasklet that made the call: the processor's loop, or a tasklet the loop waits on. */
  readonly caller: object;
  /**
   * @param actionName - the action's name, for the message.
   * @param caller - the tasklet that made the call.
   * @param direct - true when the action itself made it, in the loop's tasklet.
   * @param found - how the cycle was found, when not at the call (appended to `report`).
   */
  constructor(actionName: string, caller: object, direct: boolean, found?: string) {
    const name = actionName || 'the action';
    const who = direct ? `${name}'s own action (in the loop's tasklet)` : `${String(caller)}, a tasklet that ${name}'s running action waits on`;
    const report =
      `${who} called ${name} through its ChannelProcessor. The loop runs one action at a time: ` +
      'the call would wait until the running action is done, and that action waits for the call.' +
      (found === undefined ? '' : ` ${found}`);
    super(
      `Deadlock: cannot call ${name} through its ChannelProcessor from inside its own action; ` +
        'return the value instead, call the function directly, or make the call from a tasklet the action does not wait on',
      [],
      report,
    );
    this.name = 'ChannelProcessorReentryError';
    this.actionName = actionName;
    this.caller = caller;
  }
}

/**
 * Raised by `ChannelProcessor.inWorker` (and by twistless/threads' `deferToWorker`,
 * `callInThread` and `blockingCallFromThread`) when the module path is not an absolute path or a
 * `file:` URL.
 */
export class InvalidWorkerModule extends TypeError {
  /** What was given as the module path. */
  readonly modulePath: unknown;
  /**
   * @param modulePath - what was given.
   * @param why - what is wrong with it and what to do.
   * @param where - the function it was given to.
   */
  constructor(modulePath: unknown, why: string, where = 'ChannelProcessor.inWorker') {
    super(`${where} needs an absolute file path or a file: URL of an ES module, got ${describe(modulePath)}: ${why}`);
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
