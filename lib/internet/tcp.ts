// Port of twisted.internet.tcp (Twisted 22.4): Port (listenTCP), Server and Client transports,
// Connector (connectTCP), over Node's net module. Covered by spec/internet/tcp.spec.ts
// and spec/internet/connection.spec.ts.
// The listening machinery TCP and UNIX ports share is in port.ts.
import * as dns from 'node:dns';
import * as net from 'node:net';
import { IPv4Address, IPv6Address } from '../address/address.js';
import { CannotListenError } from '../error/errors.js';
import { cannotListenErrorFromNode, connectErrorFromNode } from '../error/systemErrors.js';
import type { IAddress } from '../protocol/interfaces.js';
import { logPrefixOf, type IOReactor } from './base.js';
import { BaseConnector, type ConnectorFactory } from './connector.js';
import { InvalidPortError } from './errors.js';
import { readIntoBufferOptions, StreamTransport, type StreamProtocol } from './stream.js';
import { StreamClient } from './client.js';
import { StreamPort, type ServerFactory } from './port.js';
import type { Certificate } from '../ssl/certificate.js';
import type { IOpenSSLContextFactory } from '../ssl/options.js';
import { isTLS, peerCertificateOf, startTLS, tlsSocketError } from './tls.js';

/** An IPv4 or IPv6 TCP address. */
export type TCPAddress = IPv4Address | IPv6Address;

/** Any address a port reports (TCP or UNIX). */
type IAddressLike = IAddress;

/** Options of `reactor.listenTCP`. Port of its keyword arguments. */
export interface ListenTCPOptions {
  /** The listen backlog (default 50). */
  backlog?: number;
  /** The interface to bind: '' (the default) is IPv4 0.0.0.0, as in Twisted; '::' is dual-stack. */
  interface?: string;
}

/** Options of `reactor.connectTCP`. Port of its keyword arguments. */
export interface ConnectTCPOptions {
  /** Seconds before the attempt fails with TimeoutError (default 30; null for none). */
  timeout?: number | null;
  /** The local `[host, port]` to bind before connecting. */
  bindAddress?: readonly [string, number] | null;
}

/** @internal a Twisted address for a Node (host, port, family). */
export function tcpAddress(host: string | undefined, port: number | undefined, family: string | number | undefined): TCPAddress {
  const h = host ?? '';
  const isV6 = family === 'IPv6' || family === 6 || (family === undefined && net.isIPv6(h));
  if (isV6) {
    const pct = h.indexOf('%');
    if (pct >= 0) return new IPv6Address('TCP', h.slice(0, pct), port ?? 0, 0, h.slice(pct + 1));
    return new IPv6Address('TCP', h, port ?? 0);
  }
  return new IPv4Address('TCP', h, port ?? 0);
}

/** @internal check a port number. */
export function checkPort(port: unknown, what: string): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidPortError(`${what}: the port must be an integer from 0 to 65535, got ${typeof port === 'string' ? JSON.stringify(port) : String(port)}${typeof port === 'string' ? ' (service names are not supported: pass the number)' : ''}`);
  }
  return port;
}

/** @internal check a timeout. */
export function checkTimeout(timeout: unknown, what: string): number | null {
  if (timeout === null) return null;
  if (typeof timeout !== 'number' || !(timeout >= 0) || timeout === Infinity) {
    throw new InvalidPortError(`${what}: the timeout must be a finite number of seconds >= 0 (or null for none), got ${String(timeout)}`);
  }
  return timeout;
}

// ------------------------------------------------------------------------ transports

/**
 * The transport of a connection a listening port accepted. Port of `twisted.internet.tcp.Server`.
 */
export class TCPServer extends StreamTransport {
  /** The listening port that accepted it. Port of `Server.server`. */
  readonly server: StreamPort<IAddress>;
  /** The connection's number on its port. Port of `Server.sessionno`. */
  readonly sessionno: number;
  /** @internal */
  _peer: TCPAddress;
  /** @internal */
  _host: TCPAddress | null;
  /** @internal */
  _logstr: string;

  constructor(socket: net.Socket, protocol: StreamProtocol, server: StreamPort<IAddress>, sessionno: number, peer: TCPAddress, reactor: IOReactor) {
    super(reactor);
    this.server = server;
    this.sessionno = sessionno;
    this._peer = peer;
    this._host = null;
    this._logstr = `${logPrefixOf(protocol)},${sessionno},${peer.host}`;
    this.protocol = protocol;
    this.connected = true;
    this._adopt(socket);
  }

  /** The local address (`IPv4Address('TCP', host, port)` or IPv6Address). Port of `Server.getHost`. */
  getHost(): TCPAddress {
    if (this._host === null) {
      const s = this._socket;
      this._host = s === null ? tcpAddress('', 0, undefined) : tcpAddress(s.localAddress, s.localPort, s.localFamily);
    }
    return this._host;
  }

  /** The peer's address. Port of `Server.getPeer`. */
  getPeer(): TCPAddress {
    return this._peer;
  }

  /** "Protocol,sessionno,peerhost". Port of `Server.logPrefix` (its logstr). */
  logPrefix(): string {
    return this._logstr;
  }

  /** @internal */
  override _beforeClose(): void {
    this.getHost();
  }

  override toString(): string {
    return `<${logPrefixOf(this.protocol)} #${this.sessionno} on ${this.server._realPort}>`;
  }

  // ---- TLS (ITLSTransport, ISSLTransport): the logic is in tls.ts.

  /**
   * Switch to TLS: bytes written before go out in the clear, later ones encrypted; this side is
   * the TLS server (the other one with `normal` false). Port of `Connection.startTLS`.
   *
   * @throws TLSStateError when not connected or already TLS; what getContext() raises
   */
  startTLS(contextFactory: IOpenSSLContextFactory, normal = true): void {
    startTLS(this, contextFactory, normal === false);
  }

  /** True once the connection speaks TLS. Port of `Connection.TLS`. */
  get TLS(): boolean {
    return isTLS(this);
  }

  /** The peer's certificate after the TLS handshake, else null. Port of `ISSLTransport.getPeerCertificate`. */
  getPeerCertificate(): Certificate | null {
    return peerCertificateOf(this);
  }

  override _socketError(err: Error): void {
    if (!tlsSocketError(this, err)) super._socketError(err);
  }
}

/**
 * The transport of an outgoing connection, from the attempt to the end. Port of
 * `twisted.internet.tcp.Client` (with `_BaseBaseClient`).
 */
export class TCPClient extends StreamClient {
  /** The host asked for (a name or an address literal). */
  readonly host: string;
  /** The port asked for. */
  readonly port: number;
  /** @internal */
  readonly _bindAddress: readonly [string, number] | null;
  /** @internal */
  _peer: TCPAddress | null;
  /** @internal */
  _host: TCPAddress | null;

  constructor(host: string, port: number, bindAddress: readonly [string, number] | null, connector: BaseConnector, reactor: IOReactor) {
    super(connector, reactor);
    this.host = host;
    this.port = port;
    this._bindAddress = bindAddress;
    this._peer = null;
    this._host = null;
    this._attempt = reactor.callLater(0, () => this._resolveAddress());
  }

  /** @internal resolve a host name to IPv4 (as Twisted's reactor.resolve does), then connect. */
  _resolveAddress(): void {
    this._attempt = null;
    if (this._failed) return;
    if (net.isIP(this.host) !== 0) {
      this._doConnect(this.host);
      return;
    }
    dns.lookup(this.host, { family: 4 }, (err, address) => {
      if (this._failed) return;
      if (err !== null) this.failIfNotConnected(connectErrorFromNode(err, this.host));
      else this._doConnect(address);
    });
  }

  /** @internal */
  _doConnect(ip: string): void {
    const family = net.isIP(ip);
    const socket = new net.Socket(readIntoBufferOptions(this._onRead));
    this._attach(socket, true);
    socket.once('connect', () => this._connectDone());
    const opts: net.TcpSocketConnectOpts = { host: ip, port: this.port, family };
    const bind = this._bindAddress;
    if (bind !== null) {
      opts.localAddress = bind[0] === '' ? (family === 6 ? '::' : '0.0.0.0') : bind[0];
      opts.localPort = bind[1];
    }
    try {
      socket.connect(opts);
    } catch (e) {
      socket.destroy();
      this.failIfNotConnected(e);
    }
  }

  /** @internal */
  _connectedPeer(socket: net.Socket): TCPAddress {
    this._peer = tcpAddress(socket.remoteAddress, socket.remotePort, socket.remoteFamily);
    return this._peer;
  }

  /** The server's address. Port of `Client.getPeer`. */
  getPeer(): TCPAddress {
    if (this._peer === null) return tcpAddress(this.host, this.port, undefined);
    return this._peer;
  }

  /** The local address. Port of `Client.getHost`. */
  getHost(): TCPAddress {
    if (this._host === null) {
      const s = this._socket;
      if (s === null || s.localPort === undefined) return tcpAddress('', 0, undefined);
      this._host = tcpAddress(s.localAddress, s.localPort, s.localFamily);
    }
    return this._host;
  }

  /** "Protocol,client". Port of `Client.logPrefix`. */
  logPrefix(): string {
    return this._logstr;
  }

  /** @internal */
  override _beforeClose(): void {
    this.getHost();
  }

  override toString(): string {
    return `<TCPClient to ${this.host} at ${this.port}>`;
  }

  // ---- TLS (ITLSTransport, ISSLTransport): the logic is in tls.ts.

  /**
   * Switch to TLS: bytes written before go out in the clear, later ones encrypted; this side is
   * the TLS client (the other one with `normal` false). Port of `Connection.startTLS`.
   *
   * @throws TLSStateError when not connected or already TLS; what getContext() raises
   */
  startTLS(contextFactory: IOpenSSLContextFactory, normal = true): void {
    startTLS(this, contextFactory, normal === true);
  }

  /** True once the connection speaks TLS. Port of `Connection.TLS`. */
  get TLS(): boolean {
    return isTLS(this);
  }

  /** The peer's certificate after the TLS handshake, else null. Port of `ISSLTransport.getPeerCertificate`. */
  getPeerCertificate(): Certificate | null {
    return peerCertificateOf(this);
  }

  override _socketError(err: Error): void {
    if (!tlsSocketError(this, err)) super._socketError(err);
  }
}

// ------------------------------------------------------------------------ Port

/**
 * A listening TCP port: `reactor.listenTCP` returns one, binding on a later tick (see
 * `whenListening()`). Port of `twisted.internet.tcp.Port` (an IListeningPort).
 */
export class Port extends StreamPort<TCPAddress> {
  /** @internal the family and host Node binds ('' is 0.0.0.0). */
  _bindHost(): string {
    return this.interface === '' ? '0.0.0.0' : this.interface;
  }

  /** @internal */
  override _listen(server: net.Server): void {
    server.listen({ port: this.port, host: this._bindHost(), backlog: this.backlog, exclusive: true });
  }

  /** @internal the bound address. */
  override _boundAddress(server: net.Server): { address: IAddressLike; port: number | string } {
    const a = server.address() as net.AddressInfo;
    return { address: tcpAddress(a.address, a.port, a.family), port: a.port };
  }

  /** @internal the peer address of an accepted socket. */
  override _peerOf(socket: net.Socket): IAddressLike {
    return tcpAddress(socket.remoteAddress, socket.remotePort, socket.remoteFamily);
  }

  /** @internal the transport of an accepted socket. */
  override _newTransport(socket: net.Socket, protocol: StreamProtocol, sessionno: number, peer: IAddressLike): StreamTransport {
    return new TCPServer(socket, protocol, this, sessionno, peer as TCPAddress, this.reactor);
  }

  /** @internal the log line when the port closes. */
  override _closedMessage(): string {
    return `(TCP Port ${this._realPort} Closed)`;
  }

  /** @internal the bind failure as Twisted reports it. */
  override _cannotListen(err: NodeJS.ErrnoException): CannotListenError {
    return cannotListenErrorFromNode(this.interface, this.port, err);
  }
}

// ------------------------------------------------------------------------ Connector

/**
 * The IConnector `reactor.connectTCP` returns. Port of `twisted.internet.tcp.Connector`.
 */
export class Connector extends BaseConnector {
  /** The host to connect to (a name is resolved to IPv4). */
  readonly host: string;
  /** The port to connect to. */
  readonly port: number;
  /** The local address to bind, or null. */
  readonly bindAddress: readonly [string, number] | null;

  constructor(host: string, port: number, factory: ConnectorFactory, timeout: number | null, bindAddress: readonly [string, number] | null, reactor: IOReactor) {
    super(factory, timeout, reactor);
    this.host = host;
    this.port = port;
    this.bindAddress = bindAddress;
  }

  /** @internal */
  _makeTransport(): TCPClient {
    return new TCPClient(this.host, this.port, this.bindAddress, this, this.reactor);
  }

  /** `IPv4Address('TCP', host, port)` (IPv6Address for an IPv6 literal). Port of `Connector.getDestination`. */
  getDestination(): TCPAddress {
    return tcpAddress(this.host, this.port, net.isIPv6(this.host) ? 6 : 4);
  }
}

/**
 * listenTCP's body: validate, build the Port, start binding. Port of `PosixReactorBase.listenTCP`.
 *
 * @internal the reactor's method calls it.
 */
export function listenTCP(reactor: IOReactor, port: number, factory: ServerFactory, options: ListenTCPOptions = {}): Port {
  checkPort(port, 'listenTCP(port, factory)');
  const backlog = options.backlog ?? 50;
  if (!Number.isInteger(backlog) || backlog < 0) throw new InvalidPortError(`listenTCP: backlog must be an integer >= 0, got ${String(backlog)}`);
  const iface = options.interface ?? '';
  if (typeof iface !== 'string') throw new TypeError(`listenTCP: interface must be a string ('' for all IPv4 interfaces), got ${typeof iface}`);
  const p = new Port(port, factory, backlog, iface, reactor);
  p.startListening();
  return p;
}

/**
 * connectTCP's body. Port of `PosixReactorBase.connectTCP`.
 *
 * @internal the reactor's method calls it.
 */
export function connectTCP(reactor: IOReactor, host: string, port: number, factory: ConnectorFactory, options: ConnectTCPOptions = {}): Connector {
  if (typeof host !== 'string' || host === '') throw new TypeError(`connectTCP: host must be a non-empty string (a name or an IP address), got ${typeof host === 'string' ? "''" : typeof host}`);
  checkPort(port, 'connectTCP(host, port, factory)');
  const timeout = checkTimeout(options.timeout === undefined ? 30 : options.timeout, 'connectTCP');
  const bind = options.bindAddress ?? null;
  if (bind !== null) {
    if (!Array.isArray(bind) || typeof bind[0] !== 'string') throw new TypeError('connectTCP: bindAddress must be [host, port]');
    checkPort(bind[1], 'connectTCP bindAddress');
  }
  const c = new Connector(host, port, factory, timeout, bind, reactor);
  c.connect();
  return c;
}

