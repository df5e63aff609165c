// Port of twisted.internet.error's ends of an established connection (Twisted 22.4):
// ConnectionClosed, ConnectionLost and ConnectionDone with their subclasses, and the process
// exits (ProcessDone, ProcessTerminated) that reuse them. Each keeps Twisted's name, hierarchy
// and str() text as `message`. Covered by spec/error/error.spec.ts.
import { pyStr, withArgs, type WithMessage } from './pyText.js';

/**
 * The connection was closed, cleanly or not; the base of `ConnectionDone` and `ConnectionLost`.
 * Port of `twisted.internet.error.ConnectionClosed`.
 *
 * @example
 * ```ts
 * new ConnectionClosed().message; // ''
 * ```
 */
export class ConnectionClosed extends Error {
  /** Python's exception args. */
  readonly args: readonly unknown[];
  constructor(...args: unknown[]) {
    super(pyStr(args));
    this.args = args;
  }
}
ConnectionClosed.prototype.name = 'ConnectionClosed';

/**
 * The connection to the other side was lost in a non-clean fashion (a reset, a broken pipe, the
 * reactor stopping). Port of `twisted.internet.error.ConnectionLost`.
 *
 * @example
 * ```ts
 * new ConnectionLost().message; // 'Connection to the other side was lost in a non-clean fashion.'
 * new ConnectionLost('Connection lost').message;
 * // 'Connection to the other side was lost in a non-clean fashion: Connection lost.'
 * ```
 */
export class ConnectionLost extends ConnectionClosed {
  /** Twisted's MESSAGE. */
  static readonly MESSAGE: string = 'Connection to the other side was lost in a non-clean fashion';
  constructor(...args: unknown[]) {
    super(...args);
    this.message = withArgs((new.target as unknown as WithMessage).MESSAGE, args);
  }
}
ConnectionLost.prototype.name = 'ConnectionLost';

/**
 * The connection was aborted locally with `transport.abortConnection()`. Port of
 * `twisted.internet.error.ConnectionAborted`.
 *
 * @example
 * ```ts
 * new ConnectionAborted().message; // 'Connection was aborted locally using ITCPTransport.abortConnection.'
 * ```
 */
export class ConnectionAborted extends ConnectionLost {
  static override readonly MESSAGE: string = 'Connection was aborted locally using ITCPTransport.abortConnection';
}
ConnectionAborted.prototype.name = 'ConnectionAborted';

/**
 * A misuse of `sendFileDescriptor` closed the connection. Port of
 * `twisted.internet.error.FileDescriptorOverrun` (Twisted's text ends with two dots, kept).
 *
 * @example
 * ```ts
 * new FileDescriptorOverrun() instanceof ConnectionLost; // true
 * ```
 */
export class FileDescriptorOverrun extends ConnectionLost {
  static override readonly MESSAGE: string =
    'A mis-use of IUNIXTransport.sendFileDescriptor caused the connection to be closed.';
}
FileDescriptorOverrun.prototype.name = 'FileDescriptorOverrun';

/**
 * Port of `twisted.internet.error.ConnectionFdescWentAway` (message `"Uh."`, as in Twisted).
 *
 * @example
 * ```ts
 * new ConnectionFdescWentAway().message; // 'Uh.'
 * ```
 */
export class ConnectionFdescWentAway extends ConnectionLost {
  static override readonly MESSAGE: string = 'Uh';
}
ConnectionFdescWentAway.prototype.name = 'ConnectionFdescWentAway';

/**
 * The connection was closed cleanly (`loseConnection()`, or the peer's end of stream). Port of
 * `twisted.internet.error.ConnectionDone`.
 *
 * @example
 * ```ts
 * new ConnectionDone().message; // 'Connection was closed cleanly.'
 * ```
 */
export class ConnectionDone extends ConnectionClosed {
  /** Twisted's MESSAGE. */
  static readonly MESSAGE: string = 'Connection was closed cleanly';
  constructor(...args: unknown[]) {
    super(...args);
    this.message = withArgs((new.target as unknown as WithMessage).MESSAGE, args);
  }
}
ConnectionDone.prototype.name = 'ConnectionDone';

/**
 * A process ended without apparent errors (exit code 0). Port of
 * `twisted.internet.error.ProcessDone(status)`.
 *
 * @param status - the raw wait status.
 * @example
 * ```ts
 * new ProcessDone(0).message; // 'A process has ended without apparent errors: process finished with exit code 0.'
 * ```
 */
export class ProcessDone extends ConnectionDone {
  static override readonly MESSAGE: string = 'A process has ended without apparent errors';
  /** Always 0. */
  readonly exitCode: number;
  /** Always null. */
  readonly signal: null;
  /** The raw wait status. */
  readonly status: unknown;
  constructor(status: unknown) {
    super('process finished with exit code 0');
    this.exitCode = 0;
    this.signal = null;
    this.status = status;
  }
}
ProcessDone.prototype.name = 'ProcessDone';

/**
 * A process ended with a probable error condition (a non-zero exit code or a signal). Port of
 * `twisted.internet.error.ProcessTerminated(exitCode=None, signal=None, status=None)`.
 *
 * @param exitCode - the exit code, or null when a signal ended it.
 * @param signal - the signal number (or name), or null.
 * @param status - the raw wait status, or null.
 * @example
 * ```ts
 * new ProcessTerminated(3).message;
 * // 'A process has ended with a probable error condition: process ended with exit code 3.'
 * ```
 */
export class ProcessTerminated extends ConnectionLost {
  static override readonly MESSAGE: string = 'A process has ended with a probable error condition';
  /** The exit code, or null when a signal ended the process. */
  readonly exitCode: number | null;
  /** The signal that ended the process, or null. */
  readonly signal: number | string | null;
  /** The raw wait status, or null. */
  readonly status: number | null;
  constructor(exitCode: number | null = null, signal: number | string | null = null, status: number | null = null) {
    let s = 'process ended';
    if (exitCode !== null) s += ` with exit code ${exitCode}`;
    if (signal !== null) s += ` by signal ${signal}`;
    super(s);
    this.exitCode = exitCode;
    this.signal = signal;
    this.status = status;
  }
}
ProcessTerminated.prototype.name = 'ProcessTerminated';
