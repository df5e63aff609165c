// How a UDP port rides Node's dgram (twistless-only; Twisted 22.4's udp.Port does the same with
// socket calls): a bind that completes inside listenUDP, the address rules of write() and
// connect() (IP literals only, of the port's family), and the argument checks of listenUDP and
// listenMulticast. Covered by spec/internet/udp.spec.ts,
// spec/internet/udpErrors.spec.ts and spec/internet/udpProperties.spec.ts.
//
// Node's dgram binds after looking the interface up, which is asynchronous by default; the port
// gives it a lookup that answers IP literals at once (and refuses names), so bind, getHost() and
// CannotListenError happen inside listenUDP, as in Twisted.
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { IPv4Address, IPv6Address } from '../address/address.js';
import { CannotListenError, InvalidAddressError } from '../error/errors.js';
import { cannotListenErrorFromNode } from '../error/systemErrors.js';
import type { IDatagramProtocol, ListenUDPOptions } from '../protocol/datagramInterfaces.js';
import { InvalidSocketOptionError } from './errors.js';

// The largest UDP payload: 65535 minus the UDP header and the IPv4 header (IPv6's header is
// outside its 65535-byte payload length).
const MAX_DATAGRAM_V4 = 65507;
const MAX_DATAGRAM_V6 = 65527;

/** @internal The largest datagram a port of this type sends. */
export function maxDatagram(type: 'udp4' | 'udp6'): number {
  return type === 'udp6' ? MAX_DATAGRAM_V6 : MAX_DATAGRAM_V4;
}

/** Twisted's `isIPAddress`: a dotted-quad IPv4 literal. */
function isIPv4(host: unknown): host is string {
  return typeof host === 'string' && net.isIPv4(host);
}

/** Twisted's `isIPv6Address`: an IPv6 literal, with or without a `%scope` suffix. */
function isIPv6(host: unknown): host is string {
  return typeof host === 'string' && net.isIPv6(host);
}

/**
 * @internal The socket type of a port on `iface` ('' is every IPv4 interface).
 * @throws InvalidAddressError when `iface` is not '' nor an IPv4 or IPv6 literal
 */
export function socketTypeOf(iface: string): 'udp4' | 'udp6' {
  if (isIPv6(iface)) return 'udp6';
  if (iface === '' || isIPv4(iface)) return 'udp4';
  throw new InvalidAddressError(iface, 'not an IPv4 or IPv6 address.');
}

/**
 * @internal dgram's lookup hook: IP literals answer at once (so bind and connect complete inside
 * the call); the port checks every address before it gets here, so a name never reaches it.
 */
export function literalLookup(host: string, _family: unknown, callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void): void {
  const family = net.isIP(host);
  if (family === 0) {
    const err: NodeJS.ErrnoException = new Error(`not an IP address: ${host}`);
    err.code = 'EINVAL';
    callback(err, '', 0);
    return;
  }
  callback(null, host, family);
}

/**
 * @internal Bind a dgram socket on `iface`:`port` before returning, with its bound address.
 * Port of `Port._bindSocket`'s bind.
 * @throws CannotListenError when the bind fails (the address is in use, not local, ...)
 */
export function bindUDP(options: dgram.SocketOptions, iface: string, port: number): { socket: dgram.Socket; address: IPv4Address | IPv6Address } {
  const socket = dgram.createSocket(options);
  let bindError: NodeJS.ErrnoException | null = null;
  const onBindError = (err: NodeJS.ErrnoException): void => {
    if (bindError === null) bindError = err;
  };
  socket.on('error', onBindError);
  try {
    socket.bind({ port, address: iface === '' ? '0.0.0.0' : iface, exclusive: true });
  } catch (e) {
    socket.close();
    throw new CannotListenError(iface, port, e);
  }
  if (bindError !== null) {
    socket.close();
    throw cannotListenErrorFromNode(iface, port, bindError);
  }
  let a: ReturnType<dgram.Socket['address']>;
  try {
    a = socket.address();
  } catch (e) {
    // Node binds inside bind() once the lookup answers at once; anything else breaks the contract.
    socket.close();
    throw new CannotListenError(iface, port, e);
  }
  socket.off('error', onBindError);
  return { socket, address: a.family === 'IPv6' ? new IPv6Address('UDP', a.address, a.port) : new IPv4Address('UDP', a.address, a.port) };
}

/**
 * @internal The address write() sends to for `host`: an IP literal of the port's family, or
 * '<broadcast>' (255.255.255.255) on an IPv4 port.
 * @throws InvalidAddressError for a host name, or an address of the other family
 */
export function destinationIP(host: unknown, type: 'udp4' | 'udp6'): string {
  if (!isIPv4(host) && !isIPv6(host) && host !== '<broadcast>') {
    throw new InvalidAddressError(host, 'write() only accepts IP addresses, not hostnames');
  }
  if ((isIPv4(host) || host === '<broadcast>') && type === 'udp6') {
    throw new InvalidAddressError(host, 'IPv6 port write() called with IPv4 or broadcast address');
  }
  if (isIPv6(host) && type === 'udp4') {
    throw new InvalidAddressError(host, 'IPv4 port write() called with IPv6 address');
  }
  return host === '<broadcast>' ? '255.255.255.255' : host;
}

/**
 * @internal Check connect()'s host: an IP literal of the port's family.
 * @throws InvalidAddressError otherwise
 */
export function checkConnectHost(host: unknown, type: 'udp4' | 'udp6'): void {
  if (!isIPv4(host) && !isIPv6(host)) throw new InvalidAddressError(host, 'not an IPv4 or IPv6 address.');
  if (isIPv6(host) !== (type === 'udp6')) {
    throw new InvalidAddressError(host, `${type === 'udp6' ? 'IPv6' : 'IPv4'} port connect() called with an ${isIPv6(host) ? 'IPv6' : 'IPv4'} address`);
  }
}

/** @internal listenUDP's and listenMulticast's protocol check. */
export function checkProtocol(protocol: unknown, what: string): IDatagramProtocol {
  const p = protocol as Partial<IDatagramProtocol> | null;
  if (p === null || typeof p !== 'object' || typeof p.makeConnection !== 'function' || typeof p.datagramReceived !== 'function' || typeof p.doStop !== 'function') {
    throw new TypeError(`${what}: protocol must be a DatagramProtocol (makeConnection, doStop, datagramReceived), got ${p === null ? 'null' : typeof p}`);
  }
  return p as IDatagramProtocol;
}

/** @internal listenUDP's and listenMulticast's options check. */
export function checkOptions(options: ListenUDPOptions, what: string): { iface: string; maxPacketSize: number } {
  const iface = options.interface ?? '';
  if (typeof iface !== 'string') throw new TypeError(`${what}: interface must be a string (an IP address, or '' for all IPv4 interfaces), got ${typeof iface}`);
  const maxPacketSize = options.maxPacketSize ?? 8192;
  if (!Number.isInteger(maxPacketSize) || maxPacketSize < 1) throw new InvalidSocketOptionError(`${what}: maxPacketSize must be a positive integer, got ${String(maxPacketSize)}`);
  return { iface, maxPacketSize };
}
