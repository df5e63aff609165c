// Port of twisted.internet.endpoints (Twisted 22.4): the TCP4/TCP6/UNIX server and client
// endpoints and connectProtocol. HostnameEndpoint is in hostname.ts, the wrapping factory the
// client endpoints share in wrapping.ts, the description grammar in parser.ts. Covered by
// spec/endpoints/endpoints.spec.ts (TCP4EndpointsTests, TCP6EndpointsTests, UNIXEndpointsTests,
// ConnectProtocolTests of internet/test/test_endpoints.py).
import * as dns from 'node:dns';
import * as net from 'node:net';
import { Deferred } from '../defer/deferred.js';
import { Failure } from '../failure/failure.js';
import { DNSLookupError } from '../error/errors.js';
import { Factory } from '../protocol/factory.js';
import type {
  IListeningPort,
  IProtocol,
  IProtocolFactory,
  IReactorTCP,
  IReactorUNIX,
  IStreamClientEndpoint,
  IStreamServerEndpoint,
} from '../protocol/interfaces.js';
import { _WrappingFactory, deferredCall, whenBound, type MaybeAsyncPort } from './wrapping.js';

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
