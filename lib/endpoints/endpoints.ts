// Port of twisted.internet.endpoints (Twisted 22.4): the TCP4/TCP6/UNIX server and client
// endpoints, HostnameEndpoint, connectProtocol and the wrapping factory client endpoints use.
// Covered by spec/endpoints/endpoints.spec.ts (TCP4EndpointsTests, TCP6EndpointsTests,
// UNIXEndpointsTests, WrappingFactoryTests, ConnectProtocolTests of internet/test/test_endpoints.py).
import * as dns from 'node:dns';
import * as net from 'node:net';
import { Deferred } from '../defer/deferred.js';
import type { IDelayedCall, IReactorTime } from '../defer/interfaces.js';
import { Failure } from '../failure/failure.js';
import { HostnameAddress } from '../address/address.js';
import { ConnectingCancelledError, DNSLookupError, NoProtocol } from '../error/errors.js';
import { ClientFactory, Factory } from '../protocol/factory.js';
import { Protocol } from '../protocol/protocol.js';
import type {
  IAddress,
  IConnector,
  IListeningPort,
  IProtocol,
  IProtocolFactory,
  IReactorTCP,
  IReactorUNIX,
  IStreamClientEndpoint,
  IStreamServerEndpoint,
  ITransport,
} from '../protocol/interfaces.js';

/** @internal A port that can say when it is bound (the real reactor's ports; MemoryReactor's are bound at once). */
export interface MaybeAsyncPort extends IListeningPort {
  whenListening?(): Deferred<unknown>;
}

/** @internal Fire with `port` once it is bound. */
export function whenBound(port: MaybeAsyncPort): Deferred<IListeningPort> {
  if (typeof port.whenListening === 'function') {
    return port.whenListening().addCallback(() => port) as Deferred<IListeningPort>;
  }
  const d = new Deferred<IListeningPort>();
  d.callback(port);
  return d;
}

/** @internal A Deferred already failed with what `fn` threw, or the Deferred `fn` returned. */
export function deferredCall<T>(fn: () => Deferred<T>): Deferred<T> {
  try {
    return fn();
  } catch (e) {
    const d = new Deferred<T>();
    d.errback(new Failure(e));
    return d;
  }
}

/** Options of the TCP server endpoints. Port of their keyword arguments. */
export interface TCPServerEndpointOptions {
  /** The listen backlog (default 50). */
  backlog?: number;
  /** The interface to bind ('' for TCP4: 0.0.0.0; '::' for TCP6). */
  interface?: string;
}

/** Options of the TCP client endpoints. Port of their keyword arguments. */
export interface TCPClientEndpointOptions {
  /** Seconds before the attempt fails with TimeoutError (default 30). */
  timeout?: number;
  /** The local `[host, port]` to bind. */
  bindAddress?: readonly [string, number] | null;
}

/** Options of UNIXServerEndpoint. */
export interface UNIXServerEndpointOptions {
  /** The listen backlog (default 50). */
  backlog?: number;
  /** The socket file's mode (default 0o666). */
  mode?: number;
  /** Hold a `<path>.lock` PID file (default false). */
  wantPID?: boolean;
}

/** Options of UNIXClientEndpoint. */
export interface UNIXClientEndpointOptions {
  /** Seconds before the attempt fails (default 30). */
  timeout?: number;
  /** Check the server's `<path>.lock` PID file first (default false). */
  checkPID?: boolean;
}

// ------------------------------------------------------------------------ wrapping factory

/**
 * The protocol a client endpoint's wrapping factory builds: it hands the connection to the
 * wrapped protocol and fires the endpoint's Deferred inside connectionMade. The half-close
 * methods exist only when the wrapped protocol has them. Port of
 * `twisted.internet.endpoints._WrappingProtocol`.
 */
export class _WrappingProtocol extends Protocol {
  /** The protocol the application built. */
  readonly _wrappedProtocol: IProtocol;
  /** @internal */
  readonly _connectedDeferred: Deferred<IProtocol>;
  readConnectionLost?: () => void;
  writeConnectionLost?: () => void;

  constructor(connectedDeferred: Deferred<IProtocol>, wrappedProtocol: IProtocol) {
    super();
    this._connectedDeferred = connectedDeferred;
    this._wrappedProtocol = wrappedProtocol;
    const w = wrappedProtocol as Partial<{ readConnectionLost(): void; writeConnectionLost(): void }>;
    if (typeof w.readConnectionLost === 'function' && typeof w.writeConnectionLost === 'function') {
      this.readConnectionLost = () => w.readConnectionLost!();
      this.writeConnectionLost = () => w.writeConnectionLost!();
    }
  }

  /** The wrapped protocol's log prefix. */
  override logPrefix(): string {
    const lp = (this._wrappedProtocol as Partial<{ logPrefix(): string }>).logPrefix;
    return typeof lp === 'function' ? lp.call(this._wrappedProtocol) : this._wrappedProtocol.constructor.name;
  }

  /** Connect the wrapped protocol, then fire the endpoint's Deferred with it. */
  override connectionMade(): void {
    this._wrappedProtocol.makeConnection(this.transport as ITransport);
    this._connectedDeferred.callback(this._wrappedProtocol);
  }

  override dataReceived(data: Buffer): void {
    this._wrappedProtocol.dataReceived(data);
  }

  override connectionLost(reason: Failure): void {
    this._wrappedProtocol.connectionLost(reason);
  }
}

/**
 * The factory a client endpoint gives the reactor: it forwards doStart/doStop/buildProtocol to the
 * application's factory and turns the attempt into a Deferred; it never calls the wrapped
 * factory's startedConnecting/clientConnectionFailed/clientConnectionLost (as in Twisted).
 * Port of `twisted.internet.endpoints._WrappingFactory`.
 */
export class _WrappingFactory extends ClientFactory<_WrappingProtocol> {
  /** The application's factory. */
  readonly _wrappedFactory: IProtocolFactory;
  /** Fires with the protocol inside connectionMade; cancellable while connecting. */
  readonly _onConnection: Deferred<IProtocol>;
  /** @internal */
  _connector: IConnector | null;

  constructor(wrappedFactory: IProtocolFactory) {
    super();
    this._wrappedFactory = wrappedFactory;
    this._connector = null;
    this._onConnection = new Deferred<IProtocol>((d) => {
      const connector = this._connector;
      d.errback(new Failure(new ConnectingCancelledError(connector === null ? undefined : connector.getDestination())));
      if (connector !== null && connector.state === 'connecting') connector.stopConnecting();
    });
  }

  override startedConnecting(connector: IConnector): void {
    this._connector = connector;
  }

  override doStart(): void {
    this._wrappedFactory.doStart();
  }

  override doStop(): void {
    this._wrappedFactory.doStop();
  }

  /** Build the application's protocol and wrap it; a failure (or null: NoProtocol) fails the Deferred. */
  override buildProtocol(addr: IAddress): _WrappingProtocol | null {
    let proto: IProtocol | null;
    try {
      proto = this._wrappedFactory.buildProtocol(addr);
      if (proto === null || proto === undefined) throw new NoProtocol();
    } catch (e) {
      if (!this._onConnection.called) this._onConnection.errback(new Failure(e));
      return null;
    }
    return new _WrappingProtocol(this._onConnection, proto);
  }

  override clientConnectionFailed(_connector: IConnector, reason: Failure): void {
    if (!this._onConnection.called) this._onConnection.errback(reason);
  }

  override clientConnectionLost(): void {}
}

// ------------------------------------------------------------------------ TCP

/** A reactor for the TCP endpoints. */
export type TCPEndpointReactor = IReactorTCP;

/**
 * A server endpoint for IPv4 TCP. `listen()` fires once the port is bound (with the port, whose
 * getHost() then gives the real port), or fails with CannotListenError.
 * Port of `twisted.internet.endpoints.TCP4ServerEndpoint`.
 *
 * @example
 * ```ts no-run
 * const port = await new TCP4ServerEndpoint(reactor, 0, { interface: '127.0.0.1' }).listen(factory);
 * ```
 */
export class TCP4ServerEndpoint implements IStreamServerEndpoint {
  readonly _reactor: TCPEndpointReactor;
  readonly _port: number;
  readonly _backlog: number;
  readonly _interface: string;

  constructor(reactor: TCPEndpointReactor, port: number, options: TCPServerEndpointOptions = {}) {
    this._reactor = reactor;
    this._port = port;
    this._backlog = options.backlog ?? 50;
    this._interface = options.interface ?? this._defaultInterface();
  }

  /** @internal */
  _defaultInterface(): string {
    return '';
  }

  /** Listen with `protocolFactory`; fires with the bound IListeningPort. Port of `listen`. */
  listen(protocolFactory: IProtocolFactory): Deferred<IListeningPort> {
    return deferredCall(() =>
      whenBound(this._reactor.listenTCP(this._port, protocolFactory, { backlog: this._backlog, interface: this._interface }) as MaybeAsyncPort),
    );
  }

  toString(): string {
    return `${this.constructor.name}(port=${this._port}, backlog=${this._backlog}, interface=${JSON.stringify(this._interface)})`;
  }
}

/** TCP4ServerEndpoint with `'::'` as its default interface. Port of `TCP6ServerEndpoint`. */
export class TCP6ServerEndpoint extends TCP4ServerEndpoint {
  override _defaultInterface(): string {
    return '::';
  }
}

/**
 * A client endpoint for TCP. `connect()` fires with the protocol inside its connectionMade, fails
 * with the connection error, and can be cancelled (ConnectingCancelledError) while connecting.
 * The factory's ClientFactory hooks are not called. Port of
 * `twisted.internet.endpoints.TCP4ClientEndpoint`.
 *
 * @example
 * ```ts no-run
 * const proto = await new TCP4ClientEndpoint(reactor, '127.0.0.1', 8000).connect(factory);
 * ```
 */
export class TCP4ClientEndpoint implements IStreamClientEndpoint {
  readonly _reactor: TCPEndpointReactor;
  readonly _host: string;
  readonly _port: number;
  readonly _timeout: number;
  readonly _bindAddress: readonly [string, number] | null;

  constructor(reactor: TCPEndpointReactor, host: string, port: number, options: TCPClientEndpointOptions = {}) {
    this._reactor = reactor;
    this._host = host;
    this._port = port;
    this._timeout = options.timeout ?? 30;
    this._bindAddress = options.bindAddress ?? null;
  }

  /** Connect with `protocolFactory`. Port of `connect`. */
  connect(protocolFactory: IProtocolFactory): Deferred<IProtocol> {
    return deferredCall(() => {
      const wf = new _WrappingFactory(protocolFactory);
      this._connectWith(wf);
      return wf._onConnection;
    });
  }

  /** @internal */
  _connectWith(wf: _WrappingFactory): void {
    this._reactor.connectTCP(this._host, this._port, wf, { timeout: this._timeout, bindAddress: this._bindAddress });
  }

  toString(): string {
    return `${this.constructor.name}(host=${JSON.stringify(this._host)}, port=${this._port})`;
  }
}

/**
 * A TCP client endpoint for IPv6: a host name is resolved to IPv6 first. Port of
 * `twisted.internet.endpoints.TCP6ClientEndpoint`.
 */
export class TCP6ClientEndpoint extends TCP4ClientEndpoint {
  override connect(protocolFactory: IProtocolFactory): Deferred<IProtocol> {
    if (net.isIPv6(this._host)) return super.connect(protocolFactory);
    const wf = new _WrappingFactory(protocolFactory);
    let cancelled = false;
    const d = new Deferred<IProtocol>(() => {
      cancelled = true;
      wf._onConnection.cancel();
    });
    dns.lookup(this._host, { family: 6 }, (err, address) => {
      if (cancelled) return;
      if (err !== null) {
        d.errback(new Failure(new DNSLookupError(this._host)));
        return;
      }
      try {
        this._reactor.connectTCP(address, this._port, wf, { timeout: this._timeout, bindAddress: this._bindAddress });
      } catch (e) {
        d.errback(new Failure(e));
        return;
      }
      wf._onConnection.chainDeferred(d);
    });
    return d;
  }
}

/** Options of HostnameEndpoint. */
export interface HostnameEndpointOptions extends TCPClientEndpointOptions {
  /** Seconds between the starts of successive attempts (default 0.3). */
  attemptDelay?: number;
  /** Resolve a name to addresses (default: Node's dns.lookup, both families). twistless-only, for tests. */
  resolve?: (host: string) => Promise<string[]>;
}

function defaultResolve(host: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    dns.lookup(host, { all: true, verbatim: true }, (err, addresses) => {
      if (err !== null) reject(err);
      else resolve(addresses.map((a) => a.address));
    });
  });
}

/**
 * A client endpoint for a host name: resolves every address (IPv4 and IPv6) and tries them in
 * order, starting one attempt every `attemptDelay` seconds until one connects (happy eyeballs);
 * the others are then cancelled. Port of `twisted.internet.endpoints.HostnameEndpoint`.
 *
 * @example
 * ```ts no-run
 * const proto = await new HostnameEndpoint(reactor, 'localhost', 8000).connect(factory);
 * ```
 */
export class HostnameEndpoint implements IStreamClientEndpoint {
  readonly _reactor: IReactorTCP & IReactorTime;
  readonly _host: string;
  readonly _port: number;
  readonly _timeout: number;
  readonly _bindAddress: readonly [string, number] | null;
  readonly _attemptDelay: number;
  readonly _resolve: (host: string) => Promise<string[]>;

  constructor(reactor: IReactorTCP & IReactorTime, host: string, port: number, options: HostnameEndpointOptions = {}) {
    this._reactor = reactor;
    this._host = host;
    this._port = port;
    this._timeout = options.timeout ?? 30;
    this._bindAddress = options.bindAddress ?? null;
    this._attemptDelay = options.attemptDelay ?? 0.3;
    this._resolve = options.resolve ?? defaultResolve;
  }

  /** Connect with `protocolFactory` to the first address that answers. Port of `connect`. */
  connect(protocolFactory: IProtocolFactory): Deferred<IProtocol> {
    const pending: Deferred<IProtocol>[] = [];
    const timers: IDelayedCall[] = [];
    let done = false;
    const stopAll = (): void => {
      for (const t of timers) if (t.active()) t.cancel();
      for (const p of pending) if (!p.called) p.cancel();
    };
    const d = new Deferred<IProtocol>(() => {
      done = true;
      stopAll();
      d.errback(new Failure(new ConnectingCancelledError(new HostnameAddress(Buffer.from(this._host), this._port))));
    });
    const isLiteral = net.isIP(this._host) !== 0;
    const names = isLiteral ? Promise.resolve([this._host]) : this._resolve(this._host);
    names.then(
      (addresses) => {
        if (done) return;
        if (addresses.length === 0) {
          done = true;
          d.errback(new Failure(new DNSLookupError(this._host)));
          return;
        }
        let failed = 0;
        let lastFailure: Failure | null = null;
        const attempt = (address: string): void => {
          if (done) return;
          const ep = new TCP4ClientEndpoint(this._reactor, address, this._port, { timeout: this._timeout, bindAddress: this._bindAddress });
          const a = ep.connect(protocolFactory);
          pending.push(a);
          a.addCallbacks(
            (proto: IProtocol) => {
              if (done) {
                (proto as Partial<{ transport: ITransport | null }>).transport?.loseConnection();
                return null;
              }
              done = true;
              stopAll();
              d.callback(proto);
              return null;
            },
            (f: Failure) => {
              failed++;
              lastFailure = f;
              if (!done && failed === addresses.length) {
                done = true;
                d.errback(lastFailure);
              }
              return null;
            },
          );
        };
        addresses.forEach((address, i) => {
          if (i === 0) attempt(address);
          else timers.push(this._reactor.callLater(this._attemptDelay * i, attempt, address));
        });
      },
      () => {
        if (done) return;
        done = true;
        d.errback(new Failure(new DNSLookupError(this._host)));
      },
    );
    return d;
  }

  toString(): string {
    return `HostnameEndpoint(${this._host}:${this._port})`;
  }
}

// ------------------------------------------------------------------------ UNIX

/**
 * A server endpoint for a UNIX socket. Port of `twisted.internet.endpoints.UNIXServerEndpoint`.
 *
 * @example
 * ```ts no-run
 * const port = await new UNIXServerEndpoint(reactor, '/tmp/app.sock').listen(factory);
 * ```
 */
export class UNIXServerEndpoint implements IStreamServerEndpoint {
  readonly _reactor: IReactorUNIX;
  readonly _address: string;
  readonly _backlog: number;
  readonly _mode: number;
  readonly _wantPID: boolean;

  constructor(reactor: IReactorUNIX, address: string, options: UNIXServerEndpointOptions = {}) {
    this._reactor = reactor;
    this._address = address;
    this._backlog = options.backlog ?? 50;
    this._mode = options.mode ?? 0o666;
    this._wantPID = options.wantPID ?? false;
  }

  /** Listen with `protocolFactory`; fires with the bound port. Port of `listen`. */
  listen(protocolFactory: IProtocolFactory): Deferred<IListeningPort> {
    return deferredCall(() =>
      whenBound(this._reactor.listenUNIX(this._address, protocolFactory, { backlog: this._backlog, mode: this._mode, wantPID: this._wantPID }) as MaybeAsyncPort),
    );
  }
}

/**
 * A client endpoint for a UNIX socket. Port of `twisted.internet.endpoints.UNIXClientEndpoint`.
 *
 * @example
 * ```ts no-run
 * const proto = await new UNIXClientEndpoint(reactor, '/tmp/app.sock').connect(factory);
 * ```
 */
export class UNIXClientEndpoint implements IStreamClientEndpoint {
  readonly _reactor: IReactorUNIX;
  readonly _path: string;
  readonly _timeout: number;
  readonly _checkPID: boolean;

  constructor(reactor: IReactorUNIX, path: string, options: UNIXClientEndpointOptions = {}) {
    this._reactor = reactor;
    this._path = path;
    this._timeout = options.timeout ?? 30;
    this._checkPID = options.checkPID ?? false;
  }

  /** Connect with `protocolFactory`. Port of `connect`. */
  connect(protocolFactory: IProtocolFactory): Deferred<IProtocol> {
    return deferredCall(() => {
      const wf = new _WrappingFactory(protocolFactory);
      this._reactor.connectUNIX(this._path, wf, { timeout: this._timeout, checkPID: this._checkPID });
      return wf._onConnection;
    });
  }
}

// ------------------------------------------------------------------------ connectProtocol

/**
 * Connect `protocol` (an instance, not a factory) through `endpoint`. Port of
 * `twisted.internet.endpoints.connectProtocol`.
 *
 * @param endpoint - a client endpoint
 * @param protocol - the protocol to connect
 * @returns the endpoint's Deferred: fires with `protocol` once connected
 * @example
 * ```ts no-run
 * await connectProtocol(new TCP4ClientEndpoint(reactor, '127.0.0.1', 8000), new Echo());
 * ```
 */
export function connectProtocol<P extends IProtocol>(endpoint: IStreamClientEndpoint, protocol: P): Deferred<P> {
  class OneShotFactory extends Factory<P> {
    override buildProtocol(): P {
      return protocol;
    }
  }
  return endpoint.connect(new OneShotFactory()) as Deferred<P>;
}
