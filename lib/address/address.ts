// Port of twisted.internet.address (Twisted 22.4): IPv4Address, IPv6Address, UNIXAddress,
// HostnameAddress, with value equality (`equals`) and Python's repr as `toString()`.
// Covered by spec/address/address.spec.ts.
import { statSync } from 'node:fs';
import { pyRepr } from '../error/pyText.js';

/** The transport type of an IP address: Twisted allows exactly these two. */
export type AddressType = 'TCP' | 'UDP';

/**
 * A transport type other than `'TCP'` or `'UDP'` was given to an IP address. Port of the
 * `ValueError` raised by the attrs `in_` validator of `IPv4Address`/`IPv6Address`.
 *
 * @example
 * ```ts no-run
 * new IPv4Address('SCTP' as never, '127.0.0.1', 80); // throws InvalidAddressTypeError
 * ```
 */
export class InvalidAddressTypeError extends RangeError {
  /** The rejected type. */
  readonly type: unknown;
  constructor(type: unknown) {
    super(`'type' must be in ['TCP', 'UDP'] (got ${pyRepr(type)})`);
    this.name = 'InvalidAddressTypeError';
    this.type = type;
  }
}

function checkType(type: unknown): AddressType {
  if (type !== 'TCP' && type !== 'UDP') throw new InvalidAddressTypeError(type);
  return type;
}

/**
 * An address: what `getHost()`, `getPeer()` and `buildProtocol(addr)` deal in. Port of
 * `twisted.internet.interfaces.IAddress` (a marker interface there); here every address can
 * compare itself by value.
 */
export interface IAddress {
  /** True when `other` is an address of the same class with the same fields. */
  equals(other: unknown): boolean;
  /** Python's repr of the address. */
  toString(): string;
  /**
   * A string equal for equal addresses, to key a Map or Set (Python hashes addresses; JavaScript
   * Maps compare objects by identity).
   */
  hashKey(): string;
}

/**
 * An IPv4 socket address. Port of `twisted.internet.address.IPv4Address(type, host, port)`.
 *
 * @param type - `'TCP'` or `'UDP'`.
 * @param host - the dotted-quad host (or `'0.0.0.0'`).
 * @param port - the port number.
 * @throws InvalidAddressTypeError for another type.
 * @example
 * ```ts
 * const a = new IPv4Address('TCP', '127.0.0.1', 80);
 * String(a); // "IPv4Address(type='TCP', host='127.0.0.1', port=80)"
 * a.equals(new IPv4Address('TCP', '127.0.0.1', 80)); // true
 * ```
 */
export class IPv4Address implements IAddress {
  /** `'TCP'` or `'UDP'`. */
  readonly type: AddressType;
  /** The host. */
  readonly host: string;
  /** The port. */
  readonly port: number;
  constructor(type: AddressType, host: string, port: number) {
    this.type = checkType(type);
    this.host = host;
    this.port = port;
  }

  /** Value equality, as attrs' `__eq__`: same class, same type, host and port. */
  equals(other: unknown): boolean {
    return (
      other instanceof IPv4Address &&
      other.constructor === this.constructor &&
      other.type === this.type &&
      other.host === this.host &&
      other.port === this.port
    );
  }

  /** A Map/Set key equal for equal addresses (Python's `__hash__`). */
  hashKey(): string {
    return this.toString();
  }

  /** Python's repr: `IPv4Address(type='TCP', host='127.0.0.1', port=80)`. */
  toString(): string {
    return `IPv4Address(type=${pyRepr(this.type)}, host=${pyRepr(this.host)}, port=${this.port})`;
  }
}

/**
 * An IPv6 socket address. Port of `twisted.internet.address.IPv6Address(type, host, port,
 * flowInfo=0, scopeID=0)`.
 *
 * @param type - `'TCP'` or `'UDP'`.
 * @param host - the IPv6 host (`'::1'`).
 * @param port - the port number.
 * @param flowInfo - the flow label (default 0).
 * @param scopeID - the scope (interface) id, a number or a name (default 0).
 * @throws InvalidAddressTypeError for another type.
 * @example
 * ```ts
 * String(new IPv6Address('TCP', '::1', 80)); // "IPv6Address(type='TCP', host='::1', port=80, flowInfo=0, scopeID=0)"
 * ```
 */
export class IPv6Address implements IAddress {
  /** `'TCP'` or `'UDP'`. */
  readonly type: AddressType;
  /** The host. */
  readonly host: string;
  /** The port. */
  readonly port: number;
  /** The flow label. */
  readonly flowInfo: number;
  /** The scope id. */
  readonly scopeID: number | string;
  constructor(type: AddressType, host: string, port: number, flowInfo: number = 0, scopeID: number | string = 0) {
    this.type = checkType(type);
    this.host = host;
    this.port = port;
    this.flowInfo = flowInfo;
    this.scopeID = scopeID;
  }

  /** Value equality: same class and the same five fields. */
  equals(other: unknown): boolean {
    return (
      other instanceof IPv6Address &&
      other.constructor === this.constructor &&
      other.type === this.type &&
      other.host === this.host &&
      other.port === this.port &&
      other.flowInfo === this.flowInfo &&
      other.scopeID === this.scopeID
    );
  }

  /** A Map/Set key equal for equal addresses (Python's `__hash__`). */
  hashKey(): string {
    return this.toString();
  }

  /** Python's repr: `IPv6Address(type='TCP', host='::1', port=80, flowInfo=0, scopeID=0)`. */
  toString(): string {
    return (
      `IPv6Address(type=${pyRepr(this.type)}, host=${pyRepr(this.host)}, port=${this.port}, ` +
      `flowInfo=${this.flowInfo}, scopeID=${pyRepr(this.scopeID)})`
    );
  }
}

/**
 * A host name and port, before resolution (what `HostnameEndpoint` reports). Port of
 * `twisted.internet.address.HostnameAddress(hostname: bytes, port)`.
 *
 * @param hostname - the host name, as bytes.
 * @param port - the port.
 * @example
 * ```ts
 * String(new HostnameAddress(Buffer.from('example.com'), 80)); // "HostnameAddress(hostname=b'example.com', port=80)"
 * ```
 */
export class HostnameAddress implements IAddress {
  /** The host name, as bytes. */
  readonly hostname: Buffer;
  /** The port. */
  readonly port: number;
  constructor(hostname: Uint8Array, port: number) {
    this.hostname = Buffer.from(hostname);
    this.port = port;
  }

  /** Value equality: same class, same bytes, same port. */
  equals(other: unknown): boolean {
    return (
      other instanceof HostnameAddress &&
      other.constructor === this.constructor &&
      other.port === this.port &&
      other.hostname.equals(this.hostname)
    );
  }

  /** A Map/Set key equal for equal addresses (Python's `__hash__`). */
  hashKey(): string {
    return this.toString();
  }

  /** Python's repr: `HostnameAddress(hostname=b'example.com', port=80)`. */
  toString(): string {
    return `HostnameAddress(hostname=${bytesRepr(this.hostname)}, port=${this.port})`;
  }
}

/** Python's repr of a bytes value (`b'a\\r\\n'`). */
export function bytesRepr(bytes: Uint8Array): string {
  let hasSingle = false;
  let hasDouble = false;
  for (const b of bytes) {
    if (b === 0x27) hasSingle = true;
    else if (b === 0x22) hasDouble = true;
  }
  const quote = hasSingle && !hasDouble ? '"' : "'";
  let out = 'b' + quote;
  for (const b of bytes) {
    if (b === 0x5c) out += '\\\\';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x09) out += '\\t';
    else if (b === 0x27 && quote === "'") out += "\\'";
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += '\\x' + b.toString(16).padStart(2, '0');
  }
  return out + quote;
}

function sameFile(a: string, b: string): boolean {
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

/**
 * A UNIX socket address: a path (or null for an unnamed socket). Port of
 * `twisted.internet.address.UNIXAddress(name)`; a bytes name is decoded as UTF-8 text, as
 * Twisted decodes it with the file-system encoding.
 *
 * @param name - the socket's path, or null.
 * @example
 * ```ts
 * String(new UNIXAddress('/tmp/s')); // "UNIXAddress('/tmp/s')"
 * ```
 */
export class UNIXAddress implements IAddress {
  /** The path, or null. */
  readonly name: string | null;
  constructor(name: string | Uint8Array | null) {
    this.name = name === null ? null : typeof name === 'string' ? name : Buffer.from(name).toString('utf8');
  }

  /**
   * Equal when both names are the same, or both name existing files that are the same file
   * (Twisted's `os.path.samefile`).
   */
  equals(other: unknown): boolean {
    if (!(other instanceof UNIXAddress)) return false;
    if (this.name === other.name) return true;
    if (this.name === null || other.name === null) return false;
    return sameFile(this.name, other.name);
  }

  /**
   * A Map/Set key equal for equal addresses: the file's device and inode when the name exists
   * (so a symbolic link and its target agree, as Twisted's `__hash__`), else the name.
   */
  hashKey(): string {
    if (this.name === null) return 'UNIXAddress(None)';
    try {
      const st = statSync(this.name);
      return `UNIXAddress(dev=${st.dev}, ino=${st.ino})`;
    } catch {
      return this.toString();
    }
  }

  /** Python's repr: `UNIXAddress('/tmp/s')` or `UNIXAddress(None)`. */
  toString(): string {
    return `UNIXAddress(${pyRepr(this.name)})`;
  }
}
