// Port of the networking errors of twisted.internet.error (Twisted 22.4): every class keeps
// Twisted's name, its place in the hierarchy and the exact text Python's str() gives, as
// `message`. The failures to connect live in connectErrors.ts, the ends of a connection in
// connectionErrors.ts; this file keeps the bind errors, the state errors
// and the rest. Covered by spec/error/error.spec.ts.
import { pyStr, withArgs, type WithMessage } from './pyText.js';
import { ConnectionDone, ConnectionLost } from './connectionErrors.js';

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
