// Port of twisted.internet.tcp (Twisted 22.4): Port (listenTCP), Server and Client transports,
// Connector (connectTCP), over Node's net module. Covered by spec/internet/tcp.spec.ts
// and spec/internet/connection.spec.ts.
//
// Node binds a listening socket on a later tick (it looks the host up even for an IP literal),
// so listenTCP returns a Port at once and `port.whenListening()` fires once it is bound, or fails
// with CannotListenError; a bind failure nobody waits for is logged, never silent.
import * as dns from 'node:dns';
import * as net from 'node:net';
import { Deferred } from '../defer/deferred.js';
import { Failure } from '../failure/failure.js';
import * as log from '../log/log.js';
import { IPv4Address, IPv6Address } from '../address/address.js';
import { CannotListenError } from '../error/errors.js';
import { cannotListenErrorFromNode, connectErrorFromNode } from '../error/systemErrors.js';
import type { IAddress } from '../protocol/interfaces.js';
import { logFailure, logPrefixOf, selectablesOf, type IOReactor, type Selectable } from './base.js';
import { BaseConnector, type ConnectorFactory } from './connector.js';
import { InvalidPortError, PortNotBoundError } from './errors.js';
import { StreamTransport, type StreamProtocol } from './stream.js';
import { StreamClient } from './client.js';
import type { Certificate } from '../ssl/certificate.js';
import type { IOpenSSLContextFactory } from '../ssl/options.js';
import { isTLS, peerCertificateOf, startTLS, tlsSocketError } from './tls.js';

/** An IPv4 or IPv6 TCP address. */
export type TCPAddress = IPv4Address | IPv6Address;

/** Any address a port reports (TCP or UNIX). */
type IAddressLike = IAddress;

/** The factory a listening port drives (Twisted's IProtocolFactory, duck-typed). */
export interface ServerFactory {
  buildProtocol(addr: never): StreamProtocol | null | undefined;
  doStart(): void;
  doStop(): void;
}

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
    this._attach(socket);
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
    const socket = new net.Socket({ allowHalfOpen: true });
    this._attach(socket);
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
 * A listening stream socket (the TCP and UNIX ports share it): built at once, bound on a later
 * tick (see `whenListening()`). Port of `twisted.internet.tcp.Port` (an IListeningPort).
 */
export class StreamPort<A extends IAddress> implements Selectable {
  /** The port number asked for (0: any). */
  readonly port: number;
  /** The factory building a protocol per connection. */
  readonly factory: ServerFactory;
  /** The listen backlog. */
  readonly backlog: number;
  /** The interface asked for ('' means 0.0.0.0). Port of `Port.interface`. */
  readonly interface: string;
  /** True while bound and listening. */
  connected: boolean;
  /** True once stopListening() was called. */
  disconnecting: boolean;
  /** The number of the next connection. */
  sessionno: number;
  /** The reactor. */
  readonly reactor: IOReactor;
  /** @internal the bound port number (0 until bound; the path for UNIX). */
  _realPort: number | string;
  /** @internal */
  _server: net.Server | null;
  /** @internal */
  _address: A | null;
  /** @internal the bind failure, once it happened. */
  _bindFailure: Failure | null;
  /** @internal whenListening() callers waiting for the bind. */
  _waiters: Deferred<StreamPort<A>>[] | null;
  /** @internal true once some caller asked whenListening() (a bind failure is then theirs to see). */
  _watched: boolean;
  /** @internal the stopListening() Deferred while it is pending. */
  _stopping: Deferred<void> | null;
  /** @internal */
  readonly _onConnection: (socket: net.Socket) => void;

  constructor(port: number, factory: ServerFactory, backlog: number, iface: string, reactor: IOReactor) {
    this.port = port;
    this.factory = factory;
    this.backlog = backlog;
    this.interface = iface;
    this.connected = false;
    this.disconnecting = false;
    this.sessionno = 0;
    this.reactor = reactor;
    this._realPort = 0;
    this._server = null;
    this._address = null;
    this._bindFailure = null;
    this._waiters = [];
    this._watched = false;
    this._stopping = null;
    this._onConnection = (socket) => this._accept(socket);
  }

  /** @internal the family and host Node binds ('' is 0.0.0.0). */
  _bindHost(): string {
    return this.interface === '' ? '0.0.0.0' : this.interface;
  }

  /**
   * Start binding (listenTCP calls it). Node binds on a later tick: then the factory's doStart()
   * runs and `whenListening()` fires. Port of `Port.startListening`.
   */
  startListening(): void {
    const server = net.createServer({ allowHalfOpen: true });
    this._server = server;
    server.on('error', (err: NodeJS.ErrnoException) => this._serverError(err));
    server.on('connection', this._onConnection);
    server.once('listening', () => this._bound());
    this._listen(server);
  }

  /** @internal bind and listen (the UNIX port overrides it). */
  _listen(server: net.Server): void {
    server.listen({ port: this.port, host: this._bindHost(), backlog: this.backlog, exclusive: true });
  }

  /** @internal the bound address (the UNIX port overrides it). */
  _boundAddress(server: net.Server): { address: IAddressLike; port: number | string } {
    const a = server.address() as net.AddressInfo;
    return { address: tcpAddress(a.address, a.port, a.family), port: a.port };
  }

  /** @internal the peer address of an accepted socket. */
  _peerOf(socket: net.Socket): IAddressLike {
    return tcpAddress(socket.remoteAddress, socket.remotePort, socket.remoteFamily);
  }

  /** @internal the transport of an accepted socket. */
  _newTransport(socket: net.Socket, protocol: StreamProtocol, sessionno: number, peer: IAddressLike): StreamTransport {
    return new TCPServer(socket, protocol, this, sessionno, peer as TCPAddress, this.reactor);
  }

  /** @internal the log line when the port closes. */
  _closedMessage(): string {
    return `(TCP Port ${this._realPort} Closed)`;
  }

  /** @internal the bind failure as Twisted reports it. */
  _cannotListen(err: NodeJS.ErrnoException): CannotListenError {
    return cannotListenErrorFromNode(this.interface, this.port, err);
  }

  /** @internal after the bind (UNIX: chmod). */
  _afterBound(): void {}

  /** @internal after the port closed (UNIX: release the lock file). */
  _afterClosed(): void {}

  /**
   * A Deferred that fires with this port once it is bound (at once if it is), or fails with
   * CannotListenError. twistless-only: Twisted binds inside listenTCP.
   *
   * @returns a new Deferred per call
   */
  whenListening(): Deferred<this> {
    this._watched = true;
    if (this._bindFailure !== null) {
      const d = new Deferred<this>();
      d.errback(this._bindFailure);
      return d;
    }
    if (this.connected || this._waiters === null) return succeedWith(this);
    const d = new Deferred<this>();
    this._waiters.push(d as Deferred<StreamPort<A>>);
    return d;
  }

  /** @internal */
  _bound(): void {
    const server = this._server;
    if (server === null) return;
    if (this.disconnecting) {
      // stopListening() came before the bind finished.
      server.close();
      this._failWaiters(new Failure(new CannotListenError(this.interface, this.port, 'stopListening() was called before the port was bound')), false);
      return;
    }
    const bound = this._boundAddress(server);
    this._realPort = bound.port;
    this._address = bound.address as A;
    this.connected = true;
    this._afterBound();
    selectablesOf(this.reactor).add(this);
    log.msg(`${logPrefixOf(this.factory)} starting on ${this._realPort}`);
    try {
      this.factory.doStart();
    } catch (e) {
      logFailure(e);
    }
    const waiters = this._waiters!;
    this._waiters = null;
    for (const d of waiters) d.callback(this);
  }

  /** @internal */
  _serverError(err: NodeJS.ErrnoException): void {
    if (this.connected) {
      // An accept error (EMFILE...) on a bound server: Twisted logs it and keeps listening.
      log.err(err, `${logPrefixOf(this.factory)}: error while accepting on port ${this._realPort}`);
      return;
    }
    if (this._waiters === null) return;
    const server = this._server;
    this._server = null;
    if (server !== null) server.close();
    const failure = new Failure(this._cannotListen(err));
    this._failWaiters(failure, true);
  }

  /** @internal */
  _failWaiters(failure: Failure, logIfUnwatched: boolean): void {
    this._bindFailure = failure;
    const waiters = this._waiters ?? [];
    this._waiters = null;
    if (logIfUnwatched && !this._watched) log.err(failure, `listenTCP(${this.port}, interface=${JSON.stringify(this.interface)}) failed; use port.whenListening() or an endpoint to handle it`);
    for (const d of waiters) d.errback(failure);
  }

  /** @internal an accepted connection. Port of `Port.doRead`'s accept loop body. */
  _accept(socket: net.Socket): void {
    if (!this.connected || this.disconnecting) {
      socket.on('error', noop);
      socket.destroy();
      return;
    }
    const peer = this._peerOf(socket);
    let protocol: StreamProtocol | null | undefined;
    try {
      protocol = this.factory.buildProtocol(peer as never);
    } catch (e) {
      logFailure(e);
      socket.on('error', noop);
      socket.destroy();
      return;
    }
    if (protocol === null || protocol === undefined) {
      socket.on('error', noop);
      socket.destroy();
      return;
    }
    const transport = this._newTransport(socket, protocol, this.sessionno++, peer);
    transport._startReading();
    try {
      protocol.makeConnection(transport as never);
    } catch (e) {
      // As in Twisted, the connection stays open.
      logFailure(e);
    }
  }

  /**
   * Stop accepting connections; connections already open go on. Returns a Deferred that fires on
   * a later turn, after the factory's doStop(); the same Deferred while that is pending; null when
   * the port is already stopped. Port of `Port.stopListening` (`loseConnection`).
   *
   * @returns the Deferred, or null when there is nothing to stop
   */
  stopListening(): Deferred<void> | null {
    if (this._stopping !== null) return this._stopping;
    if (this.disconnecting || (!this.connected && this._waiters === null)) return null;
    this.disconnecting = true;
    const d = new Deferred<void>();
    this._stopping = d;
    const server = this._server;
    if (this.connected && server !== null) {
      server.close();
      this.reactor.callLater(0, () => this._connectionLost(d));
    } else {
      // Not bound yet: _bound() closes it; nothing was started, so nothing is stopped.
      this.reactor.callLater(0, () => {
        this._stopping = null;
        d.callback(undefined);
      });
    }
    return d;
  }

  /** Alias of stopListening(). Port of `Port.loseConnection`. */
  loseConnection(): Deferred<void> | null {
    return this.stopListening();
  }

  /** @internal */
  _connectionLost(d: Deferred<void> | null): void {
    if (!this.connected) return;
    selectablesOf(this.reactor).delete(this);
    this.connected = false;
    log.msg(this._closedMessage());
    const server = this._server;
    this._server = null;
    if (server !== null && server.listening) server.close();
    this._afterClosed();
    let failure: Failure | null = null;
    try {
      this.factory.doStop();
    } catch (e) {
      failure = logFailure(e);
    }
    this.disconnecting = false;
    this._stopping = null;
    if (d !== null) {
      if (failure !== null) d.errback(failure);
      else d.callback(undefined);
    }
  }

  /** @internal reactor.stop(). */
  _disconnectNow(_reason: Failure): void {
    this.disconnecting = true;
    this._connectionLost(this._stopping);
  }

  /**
   * The bound address: `IPv4Address('TCP', '0.0.0.0', port)` for interface '', IPv6Address for an
   * IPv6 interface. Port of `Port.getHost`.
   *
   * @throws PortNotBoundError before the bind (wait for `whenListening()`) and after stopListening()
   */
  getHost(): A {
    if (this._address === null || (!this.connected && !this.disconnecting)) {
      throw new PortNotBoundError(
        this._address === null
          ? `port ${this.port} is not bound yet: Node binds on a later tick; wait for port.whenListening() (or use an endpoint's listen())`
          : `port ${this._realPort} is no longer listening`,
      );
    }
    return this._address;
  }

  /** The factory's log prefix. Port of `Port.logPrefix`. */
  logPrefix(): string {
    return logPrefixOf(this.factory);
  }

  toString(): string {
    const name = this.factory.constructor?.name ?? 'Factory';
    if (this.connected) return `<TCPPort of ${name} on ${this._realPort}>`;
    return `<TCPPort of ${name} (not listening)>`;
  }
}

/**
 * A listening TCP port: `reactor.listenTCP` returns one, binding on a later tick (see
 * `whenListening()`). Port of `twisted.internet.tcp.Port` (an IListeningPort).
 */
export class Port extends StreamPort<TCPAddress> {}

function noop(): void {}

function succeedWith<T>(value: T): Deferred<T> {
  const d = new Deferred<T>();
  d.callback(value);
  return d;
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

