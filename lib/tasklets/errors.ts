// Errors of the port of Stackless Python's tasklets (stackless 3.7: taskletobject.c,
// channelobject.c, scheduling.c). Covered by spec/tasklets/errors.spec.ts.
// The messages of the Stackless conditions are Stackless's own texts, verbatim.

const TASKLET_EXIT_BRAND = Symbol.for('twistless.TaskletExit');
const STOP_ITERATION_BRAND = Symbol.for('twistless.StopIteration');

/** Python's `str(exception)`: no argument gives '', one gives its text, several all of them. */
function pyMessage(args: readonly unknown[]): string {
  return args.length === 0 ? '' : args.map(String).join(' ');
}

/** @internal True for a TaskletExit from any copy of twistless (ESM and CJS builds share one scheduler). */
export function isTaskletExit(e: unknown): boolean {
  return e instanceof TaskletExit || (e !== null && typeof e === 'object' && (e as Record<symbol, unknown>)[TASKLET_EXIT_BRAND] === true);
}

/** @internal True for a StopIteration from any copy of twistless. */
export function isStopIteration(e: unknown): boolean {
  return e instanceof StopIteration || (e !== null && typeof e === 'object' && (e as Record<symbol, unknown>)[STOP_ITERATION_BRAND] === true);
}

/**
 * Raised inside a tasklet to kill it. A tasklet whose function lets it escape dies silently:
 * nothing is reported and nothing reaches the main tasklet.
 * Port of `TaskletExit` (a `SystemExit` subclass in Stackless).
 *
 * @example
 * ```ts
 * const t = tasklet(async () => { try { await schedule(); } finally { console.log('cleanup'); } }).setup();
 * await t.kill(); // prints "cleanup"; t.alive is now false
 * ```
 */
export class TaskletExit extends Error {
  constructor(...args: unknown[]) {
    super(pyMessage(args));
    this.name = 'TaskletExit';
    this.args = args;
    this.code = args.length === 0 ? null : args.length === 1 ? args[0] : args;
  }

  /** The constructor arguments, as Python's `BaseException.args`. */
  readonly args: unknown[];
  /** The exit code, as `SystemExit.code`: null, the single argument, or all of them. */
  readonly code: unknown;
}
Object.defineProperty(TaskletExit.prototype, TASKLET_EXIT_BRAND, { value: true });

/**
 * A tasklet or scheduler operation used in a state that does not allow it (Stackless raises
 * Python's `RuntimeError`; the message is Stackless's text).
 * Port of the `RuntimeError`s of `stackless`.
 *
 * @example
 * ```ts
 * try { getcurrent().remove(); } catch (e) { console.log((e as RuntimeError).message); }
 * // The current tasklet cannot be removed.
 * ```
 */
export class RuntimeError extends Error {
  constructor(...args: unknown[]) {
    super(pyMessage(args));
    this.name = 'RuntimeError';
    this.args = args;
  }

  /** The constructor arguments, as Python's `BaseException.args`. */
  readonly args: unknown[];
}

/**
 * A channel operation that would block on a closing or closed channel.
 * Port of the `ValueError("Send/receive operation on a closed channel")` of `stackless.channel`.
 *
 * @example
 * ```ts
 * const ch = channel<number>(); ch.close();
 * await ch.send(1).catch((e) => console.log(e.name)); // ValueError
 * ```
 */
export class ValueError extends RangeError {
  constructor(...args: unknown[]) {
    super(pyMessage(args));
    this.name = 'ValueError';
    this.args = args;
  }

  /** The constructor arguments, as Python's `BaseException.args`. */
  readonly args: unknown[];
}

/** One blocked tasklet in a {@link DeadlockError}'s report. */
export interface BlockedEntry {
  /** The blocked tasklet (typed loosely to keep this file free of the Tasklet class). */
  readonly tasklet: object;
  /** The channel it waits on, or `null` when it waits in `blockOn` for a promise. */
  readonly channel: object | null;
  /** `'sending'`, `'receiving'` or `'blockOn'`. */
  readonly waiting: 'sending' | 'receiving' | 'blockOn';
}

/**
 * A deadlock: the last runnable tasklet tried to block, or the main tasklet is blocked on a
 * channel and the last other tasklet ended. `message` is Stackless's text; beyond Stackless,
 * `blocked` lists every blocked tasklet and what it waits on, and `report` (also appended to
 * `stack`) says it in words.
 * Port of the deadlock `RuntimeError`s of `stackless` (scheduling.c, channelobject.c).
 *
 * @example
 * ```ts
 * const ch = channel<number>();
 * try { await ch.receive(); } catch (e) { console.log((e as DeadlockError).report); }
 * ```
 */
export class DeadlockError extends RuntimeError {
  constructor(message: string, blocked: readonly BlockedEntry[], report: string) {
    super(message);
    this.name = 'DeadlockError';
    this.blocked = blocked;
    this.report = report;
    if (typeof this.stack === 'string') this.stack = `${this.stack}\n${report}`;
  }

  /** Every blocked tasklet at the moment of the deadlock, in the order they blocked. */
  readonly blocked: readonly BlockedEntry[];
  /** A readable report: the blocked tasklets, each with the channel it waits on. */
  readonly report: string;
}

/**
 * Sent through a channel with `sendException(StopIteration)` to end a receiver's `for await`
 * loop over the channel, as Stackless's `send_exception(StopIteration)` ends a `for` loop.
 * Port of Python's `StopIteration` as used with `stackless.channel`.
 *
 * @example
 * ```ts
 * await ch.sendException(StopIteration); // the receiver's `for await (const v of ch)` ends
 * ```
 */
export class StopIteration extends Error {
  constructor(...args: unknown[]) {
    super(pyMessage(args));
    this.name = 'StopIteration';
    this.args = args;
  }

  /** The constructor arguments, as Python's `BaseException.args`. */
  readonly args: unknown[];
}

/**
 * A method of a channel called without its channel: passed on as a plain function
 * (`tasklet(ch.send)`), it lost its `this`. Pass `(v) => ch.send(v)` or `ch.send.bind(ch)`.
 * Not in Stackless (Python binds methods); twistless's own error.
 *
 * @example
 * ```ts
 * const ch = channel<number>();
 * const send = ch.send;
 * await send(1).catch((e) => console.log(e.name)); // UnboundChannelMethodError
 * ```
 */
export class UnboundChannelMethodError extends TypeError {
  constructor(method: string, self: unknown) {
    super(`Channel.${method}() was called without its channel (\`this\` is ${self === null ? 'null' : typeof self}): a method passed on as a plain function, as in \`tasklet(ch.${method})\`, loses its channel; pass \`(...args) => ch.${method}(...args)\` or \`ch.${method}.bind(ch)\` instead`);
    this.name = 'UnboundChannelMethodError';
  }
}

/**
 * The constructed exception of `sendException(cls, ...args)` / `raiseException(cls, ...args)`
 * carries `args`, as every Python exception does; an object lacking them gets them here.
 * @internal
 */
export function withArgs(e: unknown, args: unknown[]): unknown {
  if (e !== null && typeof e === 'object' && !('args' in e) && Object.isExtensible(e)) {
    Object.defineProperty(e, 'args', { value: args, writable: true, configurable: true, enumerable: false });
  }
  return e;
}
Object.defineProperty(StopIteration.prototype, STOP_ITERATION_BRAND, { value: true });
