// Maps Node's system errors (err.code, err.errno) to Twisted's errors and wording, the way
// twisted.internet.error.getConnectError and the TCP transport map socket.error, with Python's
// (glibc's) errno texts. Covered by spec/error/systemErrors.spec.ts.
import { constants } from 'node:os';
import { getSystemErrorMap } from 'node:util';
import { CannotListenError, CONNECTION_DONE, CONNECTION_LOST, DNSLookupError } from './errors.js';
import {
  ConnectBindError,
  ConnectError,
  ConnectionRefusedError,
  NoRouteError,
  TCPTimedOutError,
  UnknownHostError,
} from './connectErrors.js';
import { ConnectionDone, ConnectionLost } from './connectionErrors.js';

// Python's os.strerror() on Linux, for the codes a socket can report.
const STRERROR: Readonly<Record<string, string>> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  EINTR: 'Interrupted system call',
  EBADF: 'Bad file descriptor',
  EAGAIN: 'Resource temporarily unavailable',
  ENOMEM: 'Cannot allocate memory',
  EACCES: 'Permission denied',
  EEXIST: 'File exists',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument',
  ENFILE: 'Too many open files in system',
  EMFILE: 'Too many open files',
  EPIPE: 'Broken pipe',
  ENAMETOOLONG: 'File name too long',
  ENOTSOCK: 'Socket operation on non-socket',
  EPROTONOSUPPORT: 'Protocol not supported',
  EOPNOTSUPP: 'Operation not supported',
  EAFNOSUPPORT: 'Address family not supported by protocol',
  EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  ENETDOWN: 'Network is down',
  ENETUNREACH: 'Network is unreachable',
  ECONNABORTED: 'Software caused connection abort',
  ECONNRESET: 'Connection reset by peer',
  ENOBUFS: 'No buffer space available',
  EISCONN: 'Transport endpoint is already connected',
  ENOTCONN: 'Transport endpoint is not connected',
  ETIMEDOUT: 'Connection timed out',
  ECONNREFUSED: 'Connection refused',
  EHOSTDOWN: 'Host is down',
  EHOSTUNREACH: 'No route to host',
  EALREADY: 'Operation already in progress',
  EINPROGRESS: 'Operation now in progress',
  ECANCELED: 'Operation canceled',
};

// getaddrinfo failures (Python's socket.gaierror numbers and texts on glibc).
const GAI: Readonly<Record<string, readonly [number, string]>> = {
  ENOTFOUND: [-2, 'Name or service not known'],
  EAI_NONAME: [-2, 'Name or service not known'],
  EAI_AGAIN: [-3, 'Temporary failure in name resolution'],
  EAI_FAIL: [-4, 'Non-recoverable failure in name resolution'],
  EAI_NODATA: [-5, 'No address associated with hostname'],
  EAI_FAMILY: [-6, 'ai_family not supported'],
  EAI_SERVICE: [-8, 'Servname not supported for ai_socktype'],
};

/**
 * The shape of a Node system error (`net`, `dns`, `fs` errors): what the mapping functions read.
 * No Python counterpart (Python raises `OSError` with `errno` and `strerror`).
 */
export interface NodeSystemError {
  /** The error code, `'ECONNREFUSED'`. */
  code?: string | undefined;
  /** Node's errno: the negated system number on POSIX (`-111`). */
  errno?: number | undefined;
  /** The failed system call (`'connect'`, `'bind'`, `'getaddrinfo'`). */
  syscall?: string | undefined;
  /** The host name a lookup failed for. */
  hostname?: string | undefined;
  /** The error's own text. */
  message?: string | undefined;
}

/**
 * A system error in Python's form: `errno`, `strerror`, and a `message` that reads as Python's
 * `str(OSError)`, `"[Errno 98] Address already in use"` (the `socketError` of
 * `CannotListenError`). Port of Python's `OSError` as `socket.error` raises it.
 *
 * @param errno - the positive system error number.
 * @param strerror - the system's text for it.
 * @param code - Node's code (`'EADDRINUSE'`), or `''`.
 * @example
 * ```ts
 * String(new SocketError(98, 'Address already in use', 'EADDRINUSE')); // '[Errno 98] Address already in use'
 * ```
 */
export class SocketError extends Error {
  /** The system error number (positive, as Python gives it; negative for lookup failures). */
  readonly errno: number;
  /** The system's text for it. */
  readonly strerror: string;
  /** Node's code, `'EADDRINUSE'` (or `''`). */
  readonly code: string;
  constructor(errno: number, strerror: string, code: string = '') {
    super(`[Errno ${errno}] ${strerror}`);
    this.errno = errno;
    this.strerror = strerror;
    this.code = code;
  }

  /** Python's `str(OSError)`: `"[Errno 98] Address already in use"`. */
  override toString(): string {
    return this.message;
  }
}
SocketError.prototype.name = 'SocketError';

function capitalize(text: string): string {
  return text === '' ? text : text[0]!.toUpperCase() + text.slice(1);
}

/**
 * The errno number and Python's text for a Node system error: `{ errno: 111, strerror:
 * 'Connection refused' }` for ECONNREFUSED. Unknown codes take libuv's text, capitalized.
 * Port of the `(errno, os.strerror(errno))` pair Twisted reads from `socket.error`.
 *
 * @param err - a Node system error (or anything with `code`/`errno`).
 * @returns the number and the text.
 * @example
 * ```ts
 * errnoOf({ code: 'EADDRINUSE' }); // { errno: 98, strerror: 'Address already in use' }
 * ```
 */
export function errnoOf(err: NodeSystemError): { errno: number; strerror: string } {
  const code = typeof err.code === 'string' ? err.code : '';
  const gai = GAI[code];
  if (gai !== undefined) return { errno: gai[0], strerror: gai[1] };
  const known = (constants.errno as Record<string, number | undefined>)[code];
  let errno = known ?? (typeof err.errno === 'number' ? Math.abs(err.errno) : 0);
  let strerror = STRERROR[code];
  if (strerror === undefined) {
    const entry = typeof err.errno === 'number' ? getSystemErrorMap().get(err.errno) : undefined;
    strerror = entry !== undefined ? capitalize(entry[1]) : (err.message ?? (code || 'Unknown error'));
  }
  if (errno < 0) errno = -errno;
  return { errno, strerror };
}

/**
 * A Node system error as Python's `OSError` (`SocketError`), for `CannotListenError.socketError`.
 *
 * @param err - a Node system error.
 * @returns `new SocketError(98, 'Address already in use', 'EADDRINUSE')` for EADDRINUSE.
 * @example
 * ```ts
 * socketErrorFromNode({ code: 'EACCES' }).message; // '[Errno 13] Permission denied'
 * ```
 */
export function socketErrorFromNode(err: NodeSystemError): SocketError {
  const { errno, strerror } = errnoOf(err);
  return new SocketError(errno, strerror, err.code ?? '');
}

/**
 * Port of `twisted.internet.error.getConnectError`: from an `[errno, strerror]` pair, ECONNREFUSED
 * gives `ConnectionRefusedError`, ETIMEDOUT `TCPTimedOutError`, ENETUNREACH `NoRouteError`,
 * anything else `ConnectError`, each built as `new Class(errno, strerror)`. A Node system error
 * is read the same way, and a failed name lookup (Python's `socket.gaierror`) gives
 * `UnknownHostError`. Anything else gives `ConnectError(undefined, value)`.
 *
 * @param e - the `[errno, strerror]` pair, a Node system error, or any other value.
 * @returns the error, not thrown.
 * @example
 * ```ts
 * getConnectError([111, 'Connection refused']).message; // 'Connection was refused by other side: 111: Connection refused.'
 * ```
 */
export function getConnectError(e: readonly [number, string] | NodeSystemError | unknown): ConnectError {
  if (Array.isArray(e) && e.length === 2 && typeof e[0] === 'number') {
    const [errno, text] = e as [number, string];
    const cls =
      errno === constants.errno.ECONNREFUSED
        ? ConnectionRefusedError
        : errno === constants.errno.ETIMEDOUT
          ? TCPTimedOutError
          : errno === constants.errno.ENETUNREACH
            ? NoRouteError
            : ConnectError;
    return new cls(errno, text);
  }
  if (e !== null && typeof e === 'object' && typeof (e as NodeSystemError).code === 'string') {
    const err = e as NodeSystemError;
    const { errno, strerror } = errnoOf(err);
    if (err.code! in GAI || err.syscall === 'getaddrinfo') return new UnknownHostError(errno, strerror);
    return getConnectError([errno, strerror]);
  }
  return new ConnectError(undefined, e);
}

/**
 * The Twisted error for a Node error that ended a connection attempt (`net.connect`), as Twisted's
 * connector reports it to `clientConnectionFailed`: a failed lookup is `DNSLookupError(host)`,
 * a failed bind of `bindAddress` is `ConnectBindError(errno, strerror)`, EHOSTUNREACH is
 * `NoRouteError` like ENETUNREACH, and the rest goes through `getConnectError`.
 *
 * No single Python counterpart: it gathers what `tcp.BaseClient` does with `socket.error`s.
 *
 * @param err - the Node error.
 * @param host - the host being connected to (for the DNS message); defaults to `err.hostname`.
 * @returns the error, not thrown.
 * @example
 * ```ts
 * connectErrorFromNode({ code: 'ECONNREFUSED', syscall: 'connect' }).message;
 * // 'Connection was refused by other side: 111: Connection refused.'
 * ```
 */
export function connectErrorFromNode(err: NodeSystemError, host?: string): ConnectError | DNSLookupError {
  const code = err.code ?? '';
  if (code in GAI || err.syscall === 'getaddrinfo') {
    const name = host ?? err.hostname;
    return name === undefined ? new DNSLookupError() : new DNSLookupError(name);
  }
  const { errno, strerror } = errnoOf(err);
  if (err.syscall === 'bind' || (code === 'EADDRINUSE' && err.syscall !== 'connect')) return new ConnectBindError(errno, strerror);
  if (code === 'EHOSTUNREACH') return new NoRouteError(errno, strerror);
  if (code === 'EAI_BADFLAGS') return new UnknownHostError(errno, strerror);
  return getConnectError([errno, strerror]);
}

/**
 * The Twisted error a transport ends with when Node reports the end of an established connection:
 * no error (clean end of stream) is `CONNECTION_DONE`; any system error (ECONNRESET, EPIPE,
 * ETIMEDOUT, ...) is `CONNECTION_LOST`, as Twisted's `doRead`/`doWrite` return
 * `main.CONNECTION_LOST` for every `socket.error`.
 *
 * No single Python counterpart: it gathers what `tcp.Connection.doRead`/`writeSomeData` return.
 *
 * @param err - the Node error, or undefined for a clean close.
 * @returns the shared ConnectionDone or ConnectionLost instance.
 * @example
 * ```ts
 * connectionLostFromNode({ code: 'ECONNRESET' }).message;
 * // 'Connection to the other side was lost in a non-clean fashion: Connection lost.'
 * ```
 */
export function connectionLostFromNode(err?: NodeSystemError | null): ConnectionDone | ConnectionLost {
  return err === undefined || err === null ? CONNECTION_DONE : CONNECTION_LOST;
}

/**
 * The `CannotListenError` for a Node error that stopped a port from listening
 * (`"Couldn't listen on 127.0.0.1:8080: [Errno 98] Address already in use."`).
 *
 * Port of what `tcp.Port.startListening` raises on a `socket.error`.
 *
 * @param iface - the interface (`''` for all).
 * @param port - the port number or UNIX path.
 * @param err - the Node error.
 * @returns the error, not thrown.
 * @example
 * ```ts
 * cannotListenErrorFromNode('127.0.0.1', 80, { code: 'EACCES' }).message;
 * // "Couldn't listen on 127.0.0.1:80: [Errno 13] Permission denied."
 * ```
 */
export function cannotListenErrorFromNode(iface: string, port: number | string, err: NodeSystemError): CannotListenError {
  return new CannotListenError(iface, port, socketErrorFromNode(err));
}
