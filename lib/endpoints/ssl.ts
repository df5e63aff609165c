// Port of the TLS endpoints of twisted.internet.endpoints (Twisted 22.4): SSL4ServerEndpoint,
// SSL4ClientEndpoint and wrapClientTLS (their `ssl:` and `tls:` description parsers are in
// sslDescriptions.ts). Covered by spec/endpoints/ssl.spec.ts.
import { Deferred } from '../defer/deferred.js';
import { Failure } from '../failure/failure.js';
import type { IAddress, IProtocol, IProtocolFactory, IReactorSSL, IStreamClientEndpoint, IStreamServerEndpoint, IListeningPort, ITransport } from '../protocol/interfaces.js';
import { Factory } from '../protocol/factory.js';
import { Protocol } from '../protocol/protocol.js';
import { TLSStateError } from '../error/tls.js';
import type { IOpenSSLContextFactory } from '../ssl/options.js';
import { _WrappingFactory, deferredCall, whenBound, type MaybeAsyncPort } from './wrapping.js';

/** Options of SSL4ServerEndpoint. Port of its keyword arguments. */
export interface SSLServerEndpointOptions {
  /** The listen backlog (default 50). */
  backlog?: number;
  /** The interface to bind ('' is 0.0.0.0). */
  interface?: string;
}

/** Options of SSL4ClientEndpoint. Port of its keyword arguments. */
export interface SSLClientEndpointOptions {
  /** Seconds before the attempt fails (default 30). */
  timeout?: number;
  /** The local `[host, port]` to bind. */
  bindAddress?: readonly [string, number] | null;
}

/**
 * A server endpoint for TLS over IPv4 TCP. `listen()` fires once the port is bound. Port of
 * `twisted.internet.endpoints.SSL4ServerEndpoint`.
 *
 * @example
 * ```ts no-run
 * const port = await new SSL4ServerEndpoint(reactor, 8443, serverOptions).listen(factory);
 * ```
 */
export class SSL4ServerEndpoint implements IStreamServerEndpoint {
  readonly _reactor: IReactorSSL;
  readonly _port: number;
  readonly _sslContextFactory: IOpenSSLContextFactory;
  readonly _backlog: number;
  readonly _interface: string;

  constructor(reactor: IReactorSSL, port: number, sslContextFactory: IOpenSSLContextFactory, options: SSLServerEndpointOptions = {}) {
    this._reactor = reactor;
    this._port = port;
    this._sslContextFactory = sslContextFactory;
    this._backlog = options.backlog ?? 50;
    this._interface = options.interface ?? '';
  }

  /** Listen with `protocolFactory`; fires with the bound port. Port of `listen`. */
  listen(protocolFactory: IProtocolFactory): Deferred<IListeningPort> {
    return deferredCall(() => {
      return whenBound(this._reactor.listenSSL(this._port, protocolFactory, this._sslContextFactory, { backlog: this._backlog, interface: this._interface }) as MaybeAsyncPort);
    });
  }

  toString(): string {
    return `SSL4ServerEndpoint(port=${this._port}, backlog=${this._backlog}, interface=${JSON.stringify(this._interface)})`;
  }
}

/**
 * A client endpoint for TLS over IPv4 TCP: `connect()` fires with the protocol inside its
 * connectionMade (before the handshake, as in Twisted). Port of
 * `twisted.internet.endpoints.SSL4ClientEndpoint`.
 *
 * @example
 * ```ts no-run
 * const proto = await new SSL4ClientEndpoint(reactor, 'localhost', 8443, optionsForClientTLS('localhost')).connect(factory);
 * ```
 */
export class SSL4ClientEndpoint implements IStreamClientEndpoint {
  readonly _reactor: IReactorSSL;
  readonly _host: string;
  readonly _port: number;
  readonly _sslContextFactory: IOpenSSLContextFactory;
  readonly _timeout: number;
  readonly _bindAddress: readonly [string, number] | null;

  constructor(reactor: IReactorSSL, host: string, port: number, sslContextFactory: IOpenSSLContextFactory, options: SSLClientEndpointOptions = {}) {
    this._reactor = reactor;
    this._host = host;
    this._port = port;
    this._sslContextFactory = sslContextFactory;
    this._timeout = options.timeout ?? 30;
    this._bindAddress = options.bindAddress ?? null;
  }

  /** Connect with `protocolFactory`. Port of `connect`. */
  connect(protocolFactory: IProtocolFactory): Deferred<IProtocol> {
    return deferredCall(() => {
      const wf = new _WrappingFactory(protocolFactory);
      this._reactor.connectSSL(this._host, this._port, wf, this._sslContextFactory, { timeout: this._timeout, bindAddress: this._bindAddress });
      return wf._onConnection;
    });
  }

  toString(): string {
    return `SSL4ClientEndpoint(host=${JSON.stringify(this._host)}, port=${this._port})`;
  }
}

/** Starts TLS on the transport it is given, then hands the connection to the application's protocol. */
class TLSStartingProtocol extends Protocol {
  readonly wrappedProtocol: IProtocol;
  readonly _creator: IOpenSSLContextFactory;
  constructor(wrappedProtocol: IProtocol, creator: IOpenSSLContextFactory) {
    super();
    this.wrappedProtocol = wrappedProtocol;
    this._creator = creator;
  }
  override makeConnection(transport: ITransport): void {
    const t = transport as ITransport & { startTLS?: (f: IOpenSSLContextFactory) => void };
    if (typeof t.startTLS !== 'function') throw new TLSStateError(`wrapClientTLS: the wrapped endpoint's transport (${String(transport)}) has no startTLS(); wrap a TCP endpoint`);
    t.startTLS(this._creator);
    super.makeConnection(transport);
    this.wrappedProtocol.makeConnection(transport);
  }
  override dataReceived(data: Buffer): void {
    this.wrappedProtocol.dataReceived(data);
  }
  override connectionLost(reason: Failure): void {
    this.wrappedProtocol.connectionLost(reason);
  }
}

class TLSStartingFactory extends Factory<TLSStartingProtocol> {
  constructor(readonly wrappedFactory: IProtocolFactory, readonly creator: IOpenSSLContextFactory) {
    super();
  }
  override doStart(): void {
    this.wrappedFactory.doStart();
  }
  override doStop(): void {
    this.wrappedFactory.doStop();
  }
  override buildProtocol(addr: IAddress): TLSStartingProtocol | null {
    const p = this.wrappedFactory.buildProtocol(addr);
    return p === null || p === undefined ? null : new TLSStartingProtocol(p, this.creator);
  }
}

/**
 * A client endpoint that connects `wrappedEndpoint`, then speaks TLS over it with
 * `connectionCreator` (usually `optionsForClientTLS(host)`). `connect()` fires with the
 * application's protocol. Port of `twisted.internet.endpoints.wrapClientTLS`.
 *
 * @param connectionCreator - the client context factory
 * @param wrappedEndpoint - a TCP (or other stream) client endpoint whose transports have startTLS()
 * @example
 * ```ts no-run
 * const ep = wrapClientTLS(optionsForClientTLS('example.com'), new HostnameEndpoint(reactor, 'example.com', 443));
 * ```
 */
export function wrapClientTLS(connectionCreator: IOpenSSLContextFactory, wrappedEndpoint: IStreamClientEndpoint): IStreamClientEndpoint {
  return {
    connect(protocolFactory: IProtocolFactory): Deferred<IProtocol> {
      return wrappedEndpoint.connect(new TLSStartingFactory(protocolFactory, connectionCreator)).addCallback((p) => (p as TLSStartingProtocol).wrappedProtocol) as Deferred<IProtocol>;
    },
    toString: () => `wrapClientTLS(${String(wrappedEndpoint)})`,
  } as IStreamClientEndpoint;
}
