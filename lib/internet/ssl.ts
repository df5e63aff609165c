// Port of twisted.internet.ssl's Port, Client and Connector (Twisted 22.4) behind
// reactor.listenSSL and reactor.connectSSL: the TCP port and connector whose sockets are wrapped
// in TLS (tls.ts) as soon as TCP connects, so connectionMade comes before the handshake (as with
// Twisted's TLSMemoryBIOProtocol) and writes made before it is done wait for it.
// Covered by spec/internet/tls.spec.ts.
import type * as net from 'node:net';
import type { IOpenSSLContextFactory, TLSContext } from '../ssl/options.js';
import type { IAddress } from '../protocol/interfaces.js';
import type { IOReactor } from './base.js';
import type { ConnectorFactory } from './connector.js';
import type { StreamProtocol, StreamTransport } from './stream.js';
import {
  checkPort,
  checkTimeout,
  Connector,
  Port,
  TCPClient,
  TCPServer,
  type ConnectTCPOptions,
  type ListenTCPOptions,
  type TCPAddress,
} from './tcp.js';
import type { ServerFactory } from './port.js';
import { InvalidPortError } from './errors.js';
import { contextOf, wrapClientSocket, wrapServerSocket } from './tls.js';
import type { BaseConnector } from './connector.js';

/** Options of `reactor.listenSSL`. Port of its keyword arguments. */
export type ListenSSLOptions = ListenTCPOptions;
/** Options of `reactor.connectSSL`. Port of its keyword arguments. */
export type ConnectSSLOptions = ConnectTCPOptions;

/**
 * A listening TLS port: `reactor.listenSSL` returns one. Every accepted connection is a TLS
 * server with the context factory's policy. Port of `twisted.internet.ssl.Port`.
 */
export class SSLPort extends Port {
  /** The context factory. Port of `Port.ctxFactory`. */
  readonly ctxFactory: IOpenSSLContextFactory;
  /** @internal the context, taken once at listen time. */
  readonly _ctx: TLSContext;

  constructor(port: number, factory: ServerFactory, contextFactory: IOpenSSLContextFactory, backlog: number, iface: string, reactor: IOReactor) {
    super(port, factory, backlog, iface, reactor);
    this.ctxFactory = contextFactory;
    this._ctx = contextOf(contextFactory, 'listenSSL(port, factory, contextFactory)');
  }

  override _newTransport(socket: net.Socket, protocol: StreamProtocol, sessionno: number, peer: IAddress): StreamTransport {
    let transport: TCPServer | null = null;
    const secure = wrapServerSocket(socket, this._ctx, () => transport !== null && !transport._readPaused);
    transport = new TCPServer(secure, protocol, this, sessionno, peer as TCPAddress, this.reactor);
    return transport;
  }

  override _closedMessage(): string {
    return `(TLS Port ${this._realPort} Closed)`;
  }

  override toString(): string {
    return super.toString().replace('<TCPPort', '<SSLPort');
  }
}

/** The transport of a connectSSL connection: TCP until it connects, then TLS before connectionMade. */
export class SSLClient extends TCPClient {
  /** @internal */
  readonly _ctx: TLSContext;

  constructor(host: string, port: number, bindAddress: readonly [string, number] | null, ctx: TLSContext, connector: BaseConnector, reactor: IOReactor) {
    super(host, port, bindAddress, connector, reactor);
    this._ctx = ctx;
  }

  override _connectDone(): void {
    const raw = this._socket;
    if (raw !== null && !raw.destroyed && this.connector !== null && !this._failed) this._rebindSocket(wrapClientSocket(raw, this._ctx, () => !this._readPaused));
    super._connectDone();
  }

  override toString(): string {
    return `<SSLClient to ${this.host} at ${this.port}>`;
  }
}

/** The IConnector `reactor.connectSSL` returns. Port of `twisted.internet.ssl.Connector`. */
export class SSLConnector extends Connector {
  /** The context factory. Port of `Connector.contextFactory`. */
  readonly contextFactory: IOpenSSLContextFactory;

  constructor(host: string, port: number, factory: ConnectorFactory, contextFactory: IOpenSSLContextFactory, timeout: number | null, bindAddress: readonly [string, number] | null, reactor: IOReactor) {
    super(host, port, factory, timeout, bindAddress, reactor);
    this.contextFactory = contextFactory;
  }

  override _makeTransport(): TCPClient {
    // A context per attempt: a reconnecting client sees a factory's new settings.
    return new SSLClient(this.host, this.port, this.bindAddress, contextOf(this.contextFactory, 'connectSSL'), this, this.reactor);
  }
}

function checkFactory(contextFactory: unknown, what: string): IOpenSSLContextFactory {
  if (contextFactory === null || typeof contextFactory !== 'object' || typeof (contextFactory as { getContext?: unknown }).getContext !== 'function') {
    throw new TypeError(`${what}: contextFactory must have getContext() (CertificateOptions, optionsForClientTLS(...), DefaultOpenSSLContextFactory...), got ${contextFactory === null ? 'null' : typeof contextFactory}`);
  }
  return contextFactory as IOpenSSLContextFactory;
}

/**
 * listenSSL's body. Port of `PosixReactorBase.listenSSL`.
 *
 * @internal the reactor's method calls it.
 */
export function listenSSL(reactor: IOReactor, port: number, factory: ServerFactory, contextFactory: IOpenSSLContextFactory, options: ListenSSLOptions = {}): SSLPort {
  checkPort(port, 'listenSSL(port, factory, contextFactory)');
  checkFactory(contextFactory, 'listenSSL');
  const backlog = options.backlog ?? 50;
  if (!Number.isInteger(backlog) || backlog < 0) throw new InvalidPortError(`listenSSL: backlog must be an integer >= 0, got ${String(backlog)}`);
  const iface = options.interface ?? '';
  if (typeof iface !== 'string') throw new TypeError(`listenSSL: interface must be a string ('' for all IPv4 interfaces), got ${typeof iface}`);
  const p = new SSLPort(port, factory, contextFactory, backlog, iface, reactor);
  p.startListening();
  return p;
}

/**
 * connectSSL's body. Port of `PosixReactorBase.connectSSL`.
 *
 * @internal the reactor's method calls it.
 */
export function connectSSL(reactor: IOReactor, host: string, port: number, factory: ConnectorFactory, contextFactory: IOpenSSLContextFactory, options: ConnectSSLOptions = {}): SSLConnector {
  if (typeof host !== 'string' || host === '') throw new TypeError(`connectSSL: host must be a non-empty string (a name or an IP address), got ${typeof host === 'string' ? "''" : typeof host}`);
  checkPort(port, 'connectSSL(host, port, factory, contextFactory)');
  checkFactory(contextFactory, 'connectSSL');
  contextOf(contextFactory, 'connectSSL'); // bad options fail here, not on a later turn
  const timeout = checkTimeout(options.timeout === undefined ? 30 : options.timeout, 'connectSSL');
  const bind = options.bindAddress ?? null;
  if (bind !== null) {
    if (!Array.isArray(bind) || typeof bind[0] !== 'string') throw new TypeError('connectSSL: bindAddress must be [host, port]');
    checkPort(bind[1], 'connectSSL bindAddress');
  }
  const c = new SSLConnector(host, port, factory, contextFactory, timeout, bind, reactor);
  c.connect();
  return c;
}
