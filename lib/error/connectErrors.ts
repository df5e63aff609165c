// Port of twisted.internet.error's failures to connect (Twisted 22.4): ConnectError and its
// subclasses (refused, timed out, no route, unknown host, user cancel, SSL) and the TLS
// verification errors. Each keeps Twisted's name, hierarchy and str() text as `message`.
// Covered by spec/error/error.spec.ts.
import { pyStr, type WithMessage } from './pyText.js';

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
