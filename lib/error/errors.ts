// Port of the networking errors of twisted.internet.error (Twisted 22.4): every class keeps
// Twisted's name, its place in the hierarchy and the exact text Python's str() gives, as
// `message`. Covered by spec/error/error.spec.ts.
import { inspect } from 'node:util';

// Python's BaseException.__str__: '' for no args, str(arg) for one, the tuple's repr for more.
function pyStr(args: readonly unknown[]): string {
  if (args.length === 0) return '';
  if (args.length === 1) return String(args[0]);
  return `(${args.map(pyRepr).join(', ')})`;
}

/** Python's repr() for the values error arguments hold (strings quoted as Python quotes them). */
export function pyRepr(value: unknown): string {
  if (typeof value === 'string') {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    const body = value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
    return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
  }
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'object' && Object.prototype.toString !== (value as object).toString) return String(value);
  return inspect(value);
}

// Twisted's common __str__: "MESSAGE", then ": arg1 arg2" when there are args, then ".".
function withArgs(message: string, args: readonly unknown[]): string {
  return args.length === 0 ? `${message}.` : `${message}: ${args.map((a) => String(a)).join(' ')}.`;
}

type WithMessage = { readonly MESSAGE: string };

/**
 * An error occurred binding to an interface.
 * Port of `twisted.internet.error.BindError`: `message` is `"An error occurred binding to an
 * interface."`, with any arguments appended (`": a b."`).
 *
 * @example
 * ```ts
 * new BindError().message; // 'An error occurred binding to an interface.'
 * ```
 */
export class BindError extends Error {
  /** Twisted's MESSAGE, the start of `message`. */
  static readonly MESSAGE: string = 'An error occurred binding to an interface';
  /** Python's exception args. */
  readonly args: readonly unknown[];
  constructor(...args: unknown[]) {
    super();
    this.args = args;
    this.message = withArgs((new.target as unknown as WithMessage).MESSAGE, args);
  }
}
BindError.prototype.name = 'BindError';

/**
 * Raised when a port cannot start listening (the address is in use, the interface does not exist,
 * permission is denied). Port of `twisted.internet.error.CannotListenError`: `message` is
 * `"Couldn't listen on 127.0.0.1:8080: [Errno 98] Address already in use."` (an empty interface
 * reads `any`).
 *
 * @param iface - the interface it tried to listen on (`''` for all).
 * @param port - the port, or the UNIX socket path.
 * @param socketError - the system error (see `SocketError`).
 * @example
 * ```ts
 * const e = new CannotListenError('', 80, new SocketError(98, 'Address already in use', 'EADDRINUSE'));
 * e.message; // "Couldn't listen on any:80: [Errno 98] Address already in use."
 * ```
 */
export class CannotListenError extends BindError {
  /** The interface it tried to listen on. */
  readonly interface: string;
  /** The port (or UNIX path) it tried to listen on. */
  readonly port: number | string;
  /** The system error it got. */
  readonly socketError: unknown;
  constructor(iface: string, port: number | string, socketError: unknown) {
    super(iface, port, socketError);
    this.interface = iface;
    this.port = port;
    this.socketError = socketError;
    this.message = `Couldn't listen on ${iface === '' ? 'any' : iface}:${String(port)}: ${String(socketError)}.`;
  }
}
CannotListenError.prototype.name = 'CannotListenError';

/**
 * An attempt to join a multicast group failed. Port of `twisted.internet.error.MulticastJoinError`.
 *
 * @example
 * ```ts
 * new MulticastJoinError('224.0.0.1').message; // '224.0.0.1'
 * ```
 */
export class MulticastJoinError extends Error {
  /** Python's exception args. */
  readonly args: readonly unknown[];
  constructor(...args: unknown[]) {
    super(pyStr(args));
    this.args = args;
  }
}
MulticastJoinError.prototype.name = 'MulticastJoinError';

/**
 * A datagram is too long to send. Port of `twisted.internet.error.MessageLengthError`:
 * `"Message is too long to send."`.
 *
 * @example
 * ```ts
 * new MessageLengthError().message; // 'Message is too long to send.'
 * ```
 */
export class MessageLengthError extends Error {
  /** Twisted's MESSAGE. */
  static readonly MESSAGE: string = 'Message is too long to send';
  /** Python's exception args. */
  readonly args: readonly unknown[];
  constructor(...args: unknown[]) {
    super(withArgs(MessageLengthError.MESSAGE, args));
    this.args = args;
  }
}
MessageLengthError.prototype.name = 'MessageLengthError';

/**
 * A host name could not be resolved. Port of `twisted.internet.error.DNSLookupError` (an
 * OSError there): `"DNS lookup failed."`, or `"DNS lookup failed: no-such-host.invalid."` with
 * the name.
 *
 * @example
 * ```ts
 * new DNSLookupError('no-such-host.invalid').message; // 'DNS lookup failed: no-such-host.invalid.'
 * ```
 */
export class DNSLookupError extends Error {
  /** Twisted's MESSAGE. */
  static readonly MESSAGE: string = 'DNS lookup failed';
  /** Python's exception args. */
  readonly args: readonly unknown[];
  constructor(...args: unknown[]) {
    super(withArgs(DNSLookupError.MESSAGE, args));
    this.args = args;
  }
}
DNSLookupError.prototype.name = 'DNSLookupError';

/**
 * A connect operation was started and is not done yet.
 * Port of `twisted.internet.error.ConnectInProgressError`.
 *
 * @example
 * ```ts
 * new ConnectInProgressError().message; // ''
 * ```
 */
export class ConnectInProgressError extends Error {
  /** Python's exception args. */
  readonly args: readonly unknown[];
  constructor(...args: unknown[]) {
    super(pyStr(args));
    this.args = args;
  }
}
ConnectInProgressError.prototype.name = 'ConnectInProgressError';

/**
 * An error occurred while connecting; the base of every connect failure.
 * Port of `twisted.internet.error.ConnectError(osError=None, string='')`: `message` is the
 * class's MESSAGE, then `": <osError>"` when there is one, then `": <string>"` when it is not
 * empty, then `"."`: `new ConnectionRefusedError(111, 'Connection refused').message` is
 * `"Connection was refused by other side: 111: Connection refused."`.
 *
 * @param osError - the errno number (or any value to show), or undefined.
 * @param string - the error text (or any value to show).
 * @example
 * ```ts
 * new ConnectError(undefined, 'boom').message; // 'An error occurred while connecting: boom.'
 * ```
 */
export class ConnectError extends Error {
  /** Twisted's MESSAGE, the start of `message`. */
  static readonly MESSAGE: string = 'An error occurred while connecting';
  /** The errno (or other system detail) given, or undefined. */
  readonly osError: unknown;
  /** Python's exception args: `[string]`. */
  readonly args: readonly unknown[];
  constructor(osError?: unknown, string: unknown = '') {
    super();
    this.osError = osError;
    this.args = [string];
    let s = (new.target as unknown as WithMessage).MESSAGE;
    if (osError !== undefined && osError !== null && osError !== 0 && osError !== '') s = `${s}: ${String(osError)}`;
    if (string !== undefined && string !== null && string !== '' && string !== 0) s = `${s}: ${String(string)}`;
    this.message = `${s}.`;
  }
}
ConnectError.prototype.name = 'ConnectError';

/**
 * The local address given as `bindAddress` could not be bound (`"Couldn't bind: 98: Address
 * already in use."`). Port of `twisted.internet.error.ConnectBindError`.
 *
 * @example
 * ```ts
 * new ConnectBindError(98, 'Address already in use').message; // "Couldn't bind: 98: Address already in use."
 * ```
 */
export class ConnectBindError extends ConnectError {
  static override readonly MESSAGE: string = "Couldn't bind";
}
ConnectBindError.prototype.name = 'ConnectBindError';

/**
 * The host name could not be looked up. Port of `twisted.internet.error.UnknownHostError`.
 *
 * @example
 * ```ts
 * new UnknownHostError().message; // "Hostname couldn't be looked up."
 * ```
 */
export class UnknownHostError extends ConnectError {
  static override readonly MESSAGE: string = "Hostname couldn't be looked up";
}
UnknownHostError.prototype.name = 'UnknownHostError';

/**
 * No route to host (ENETUNREACH, EHOSTUNREACH). Port of `twisted.internet.error.NoRouteError`.
 *
 * @example
 * ```ts
 * new NoRouteError(101, 'Network is unreachable').message; // 'No route to host: 101: Network is unreachable.'
 * ```
 */
export class NoRouteError extends ConnectError {
  static override readonly MESSAGE: string = 'No route to host';
}
NoRouteError.prototype.name = 'NoRouteError';

/**
 * The other side refused the connection (ECONNREFUSED). Port of
 * `twisted.internet.error.ConnectionRefusedError`.
 *
 * @example
 * ```ts
 * new ConnectionRefusedError(111, 'Connection refused').message;
 * // 'Connection was refused by other side: 111: Connection refused.'
 * ```
 */
export class ConnectionRefusedError extends ConnectError {
  static override readonly MESSAGE: string = 'Connection was refused by other side';
}
ConnectionRefusedError.prototype.name = 'ConnectionRefusedError';

/**
 * The kernel gave up connecting (ETIMEDOUT). Port of `twisted.internet.error.TCPTimedOutError`.
 *
 * @example
 * ```ts
 * new TCPTimedOutError().message; // 'TCP connection timed out.'
 * ```
 */
export class TCPTimedOutError extends ConnectError {
  static override readonly MESSAGE: string = 'TCP connection timed out';
}
TCPTimedOutError.prototype.name = 'TCPTimedOutError';

/**
 * The file used for a UNIX socket is no good. Port of `twisted.internet.error.BadFileError`.
 *
 * @example
 * ```ts
 * new BadFileError().message; // 'File used for UNIX socket is no good.'
 * ```
 */
export class BadFileError extends ConnectError {
  static override readonly MESSAGE: string = 'File used for UNIX socket is no good';
}
BadFileError.prototype.name = 'BadFileError';

/**
 * A service name given as a port is unknown. Port of
 * `twisted.internet.error.ServiceNameUnknownError`.
 *
 * @example
 * ```ts
 * new ServiceNameUnknownError().message; // 'Service name given as port is unknown.'
 * ```
 */
export class ServiceNameUnknownError extends ConnectError {
  static override readonly MESSAGE: string = 'Service name given as port is unknown';
}
ServiceNameUnknownError.prototype.name = 'ServiceNameUnknownError';

/**
 * The user aborted the connection attempt (`connector.stopConnecting()`). Port of
 * `twisted.internet.error.UserError`.
 *
 * @example
 * ```ts
 * new UserError().message; // 'User aborted connection.'
 * ```
 */
export class UserError extends ConnectError {
  static override readonly MESSAGE: string = 'User aborted connection';
}
UserError.prototype.name = 'UserError';

/**
 * The connect timeout (`connectTCP(..., { timeout })`, 30 s by default) expired. Port of
 * `twisted.internet.error.TimeoutError`. Not the same class as defer's `TimeoutError` (the one
 * the package root exports); import this one from `twistless/error`.
 *
 * @example
 * ```ts
 * new TimeoutError().message; // 'User timeout caused connection failure.'
 * ```
 */
export class TimeoutError extends UserError {
  static override readonly MESSAGE: string = 'User timeout caused connection failure';
}
TimeoutError.prototype.name = 'TimeoutError';

/**
 * An SSL error occurred. Port of `twisted.internet.error.SSLError`.
 *
 * @example
 * ```ts
 * new SSLError().message; // 'An SSL error occurred.'
 * ```
 */
export class SSLError extends ConnectError {
  static override readonly MESSAGE: string = 'An SSL error occurred';
}
SSLError.prototype.name = 'SSLError';

/**
 * Could not verify something that was supposed to be signed. Port of
 * `twisted.internet.error.VerifyError`.
 *
 * @example
 * ```ts
 * new VerifyError().message; // ''
 * ```
 */
export class VerifyError extends Error {
  /** Python's exception args. */
  readonly args: readonly unknown[];
  constructor(...args: unknown[]) {
    super(pyStr(args));
    this.args = args;
  }
}
VerifyError.prototype.name = 'VerifyError';

/**
 * The peer rejected our verify error. Port of `twisted.internet.error.PeerVerifyError`.
 *
 * @example
 * ```ts
 * new PeerVerifyError() instanceof VerifyError; // true
 * ```
 */
export class PeerVerifyError extends VerifyError {}
PeerVerifyError.prototype.name = 'PeerVerifyError';

/**
 * A certificate was not found where one was expected. Port of
 * `twisted.internet.error.CertificateError`.
 *
 * @example
 * ```ts
 * new CertificateError().message; // ''
 * ```
 */
export class CertificateError extends Error {
  /** Python's exception args. */
  readonly args: readonly unknown[];
  constructor(...args: unknown[]) {
    super(pyStr(args));
    this.args = args;
  }
}
CertificateError.prototype.name = 'CertificateError';

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

/**
 * The process has already exited; the operation can no longer be performed. Port of
 * `twisted.internet.error.ProcessExitedAlready`.
 *
 * @example
 * ```ts
 * new ProcessExitedAlready().message; // ''
 * ```
 */
export class ProcessExitedAlready extends Error {
  /** Python's exception args. */
  readonly args: readonly unknown[];
  constructor(...args: unknown[]) {
    super(pyStr(args));
    this.args = args;
  }
}
ProcessExitedAlready.prototype.name = 'ProcessExitedAlready';

/**
 * `connector.stopConnecting()` was called while the connector was not connecting. Port of
 * `twisted.internet.error.NotConnectingError` (a RuntimeError there).
 *
 * @example
 * ```ts
 * new NotConnectingError().message; // 'The Connector was not connecting when it was asked to stop connecting.'
 * ```
 */
export class NotConnectingError extends Error {
  /** Twisted's MESSAGE. */
  static readonly MESSAGE: string = 'The Connector was not connecting when it was asked to stop connecting';
  /** Python's exception args. */
  readonly args: readonly unknown[];
  constructor(...args: unknown[]) {
    super(withArgs(NotConnectingError.MESSAGE, args));
    this.args = args;
  }
}
NotConnectingError.prototype.name = 'NotConnectingError';

/**
 * A port was asked to stop listening while it was not listening. Port of
 * `twisted.internet.error.NotListeningError` (a RuntimeError there).
 *
 * @example
 * ```ts
 * new NotListeningError().message; // 'The Port was not listening when it was asked to stop listening.'
 * ```
 */
export class NotListeningError extends Error {
  /** Twisted's MESSAGE. */
  static readonly MESSAGE: string = 'The Port was not listening when it was asked to stop listening';
  /** Python's exception args. */
  readonly args: readonly unknown[];
  constructor(...args: unknown[]) {
    super(withArgs(NotListeningError.MESSAGE, args));
    this.args = args;
  }
}
NotListeningError.prototype.name = 'NotListeningError';

/**
 * A client endpoint's `connect()` Deferred was cancelled before the connection was made. Port
 * of `twisted.internet.error.ConnectingCancelledError(address)`; `message` is the address's
 * text, as Python's str() gives.
 *
 * @param address - the destination of the cancelled attempt.
 * @example
 * ```ts no-run
 * new ConnectingCancelledError(new IPv4Address('TCP', '127.0.0.1', 80)).address;
 * ```
 */
export class ConnectingCancelledError extends Error {
  /** The destination of the cancelled attempt. */
  readonly address: unknown;
  /** Python's exception args: `[address]`. */
  readonly args: readonly unknown[];
  constructor(address: unknown) {
    super(pyStr([address]));
    this.address = address;
    this.args = [address];
  }
}
ConnectingCancelledError.prototype.name = 'ConnectingCancelledError';

/**
 * The factory given to a client endpoint returned null from `buildProtocol`. Port of
 * `twisted.internet.error.NoProtocol`.
 *
 * @example
 * ```ts
 * new NoProtocol().message; // ''
 * ```
 */
export class NoProtocol extends Error {
  /** Python's exception args. */
  readonly args: readonly unknown[];
  constructor(...args: unknown[]) {
    super(pyStr(args));
    this.args = args;
  }
}
NoProtocol.prototype.name = 'NoProtocol';

/**
 * The address family is not supported. Port of `twisted.internet.error.UnsupportedAddressFamily`.
 *
 * @example
 * ```ts
 * new UnsupportedAddressFamily('AF_APPLETALK').message; // 'AF_APPLETALK'
 * ```
 */
export class UnsupportedAddressFamily extends Error {
  /** Python's exception args. */
  readonly args: readonly unknown[];
  constructor(...args: unknown[]) {
    super(pyStr(args));
    this.args = args;
  }
}
UnsupportedAddressFamily.prototype.name = 'UnsupportedAddressFamily';

/**
 * The socket type is not supported. Port of `twisted.internet.error.UnsupportedSocketType`.
 *
 * @example
 * ```ts
 * new UnsupportedSocketType().message; // ''
 * ```
 */
export class UnsupportedSocketType extends Error {
  /** Python's exception args. */
  readonly args: readonly unknown[];
  constructor(...args: unknown[]) {
    super(pyStr(args));
    this.args = args;
  }
}
UnsupportedSocketType.prototype.name = 'UnsupportedSocketType';

/**
 * A file descriptor that can be listened on only once was listened on again. Port of
 * `twisted.internet.error.AlreadyListened`.
 *
 * @example
 * ```ts
 * new AlreadyListened().message; // ''
 * ```
 */
export class AlreadyListened extends Error {
  /** Python's exception args. */
  readonly args: readonly unknown[];
  constructor(...args: unknown[]) {
    super(pyStr(args));
    this.args = args;
  }
}
AlreadyListened.prototype.name = 'AlreadyListened';

/**
 * An invalid address: not an IP literal where one is needed, or the wrong family. Port of
 * `twisted.internet.error.InvalidAddressError(address, message)` (a ValueError there, a
 * RangeError here); the
 * error's own `message` is Python's str(), `"('localhost', 'write() only accepts IP addresses,
 * not hostnames')"`, and the given text is kept as `detail`.
 *
 * @param address - the address given.
 * @param detail - what is wrong with it.
 * @example
 * ```ts
 * new InvalidAddressError('localhost', 'not an IP').detail; // 'not an IP'
 * ```
 */
export class InvalidAddressError extends RangeError {
  /** The address given. */
  readonly address: unknown;
  /** What is wrong with it (Twisted's `message` attribute). */
  readonly detail: string;
  /** Python's exception args: `[address, detail]`. */
  readonly args: readonly unknown[];
  constructor(address: unknown, detail: string) {
    super(pyStr([address, detail]));
    this.address = address;
    this.detail = detail;
    this.args = [address, detail];
  }
}
InvalidAddressError.prototype.name = 'InvalidAddressError';

/**
 * `twisted.internet.main.CONNECTION_DONE`: the one `ConnectionDone('Connection done')` a
 * transport ends with when it closes cleanly.
 */
export const CONNECTION_DONE: ConnectionDone = new ConnectionDone('Connection done');

/**
 * `twisted.internet.main.CONNECTION_LOST`: the one `ConnectionLost('Connection lost')` a
 * transport ends with when the connection breaks or the reactor stops.
 */
export const CONNECTION_LOST: ConnectionLost = new ConnectionLost('Connection lost');
