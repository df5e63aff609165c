// Port of twisted.internet.protocol.ClientCreator and its _InstanceFactory (Twisted 22.4).
// Covered by spec/protocol/clientCreator.spec.ts (ClientCreatorTests of internet/test/test_protocol.py).
import { Deferred } from '../defer/deferred.js';
import type { IDelayedCall, IReactorTime } from '../defer/interfaces.js';
import type { Failure } from '../failure/failure.js';
import { ClientFactory } from './factory.js';
import type {
  ConnectTCPOptions,
  ConnectUNIXOptions,
  IAddress,
  IConnector,
  IProtocol,
  IReactorTCP,
  IReactorUNIX,
} from './interfaces.js';
import type { IReactorSSL, ISSLContextFactory } from './interfaces.js';

/** The reactor ClientCreator needs: time, plus `connectTCP` and/or `connectUNIX`. */
export type ClientCreatorReactor = IReactorTime & Partial<IReactorTCP> & Partial<IReactorUNIX> & Partial<IReactorSSL>;

/**
 * The reactor given to `ClientCreator` lacks the connect method called. No Python counterpart
 * (Python raises AttributeError).
 *
 * @example
 * ```ts no-run
 * new ClientCreator(new Clock(), Protocol).connectTCP('h', 1); // throws ReactorMethodMissingError
 * ```
 */
export class ReactorMethodMissingError extends TypeError {
  constructor(method: string) {
    super(`ClientCreator: the reactor has no ${method}(); pass a reactor that implements it (the global reactor, or a MemoryReactorClock in tests)`);
    this.name = 'ReactorMethodMissingError';
  }
}

/**
 * The factory ClientCreator connects with: it hands out the one protocol it was given and fires
 * the Deferred one reactor turn later. Port of `twisted.internet.protocol._InstanceFactory`.
 */
export class InstanceFactory<P extends IProtocol> extends ClientFactory<P> {
  /** The clock the Deferred is fired on. */
  readonly reactor: IReactorTime;
  /** The protocol to hand out. */
  readonly instance: P;
  /** The Deferred, until the attempt succeeded or failed. */
  deferred: Deferred<P> | null;
  /** The delayed call that will fire the Deferred, or null. */
  pending: IDelayedCall | null = null;

  constructor(reactor: IReactorTime, instance: P, deferred: Deferred<P>) {
    super();
    this.noisy = false;
    this.reactor = reactor;
    this.instance = instance;
    this.deferred = deferred;
  }

  override toString(): string {
    return `<ClientCreator factory: ${String(this.instance)}>`;
  }

  /** Hand out the protocol and fire the Deferred with it on the next turn. */
  override buildProtocol(addr: IAddress): P {
    void addr;
    const d = this.deferred!;
    this.pending = this.reactor.callLater(0, () => this.fire(() => d.callback(this.instance)));
    this.deferred = null;
    return this.instance;
  }

  /** Fail the Deferred with `reason` on the next turn. */
  override clientConnectionFailed(connector: IConnector, reason: Failure): void {
    void connector;
    const d = this.deferred!;
    this.pending = this.reactor.callLater(0, () => this.fire(() => d.errback(reason)));
    this.deferred = null;
  }

  private fire(fn: () => void): void {
    this.pending = null;
    fn();
  }
}

/**
 * Connect one protocol instance without writing a factory. Port of
 * `twisted.internet.protocol.ClientCreator(reactor, protocolClass, *args)`: each connect method
 * builds `new ProtocolClass(...args)`, connects it, and returns a Deferred that fires with it one
 * reactor turn after the connection is made (or fails with the connect error). Cancelling the
 * Deferred disconnects the connector and fails it with `CancelledError`.
 *
 * @param reactor - a reactor with `callLater` and `connectTCP`/`connectUNIX`.
 * @param protocolClass - the protocol class.
 * @param args - its constructor's arguments.
 * @example
 * ```ts no-run
 * const proto = await new ClientCreator(reactor, Echo).connectTCP('127.0.0.1', 8000);
 * ```
 */
export class ClientCreator<P extends IProtocol, A extends unknown[] = []> {
  /** The reactor. */
  readonly reactor: ClientCreatorReactor;
  /** The protocol class. */
  readonly protocolClass: new (...args: A) => P;
  /** Its constructor's arguments. */
  readonly args: A;

  constructor(reactor: ClientCreatorReactor, protocolClass: new (...args: A) => P, ...args: A) {
    this.reactor = reactor;
    this.protocolClass = protocolClass;
    this.args = args;
  }

  private _connect(start: (factory: InstanceFactory<P>) => IConnector): Deferred<P> {
    let connector: IConnector | null = null;
    let factory: InstanceFactory<P> | null = null;
    const d = new Deferred<P>(() => {
      connector?.disconnect();
      if (factory !== null && factory.pending !== null) factory.pending.cancel();
    });
    factory = new InstanceFactory(this.reactor, new this.protocolClass(...this.args), d);
    connector = start(factory);
    return d;
  }

  /**
   * Connect to a TCP server. Port of `ClientCreator.connectTCP(host, port, timeout=30, bindAddress=None)`.
   *
   * @param host - the host.
   * @param port - the port.
   * @param options - `timeout` (seconds, default 30) and `bindAddress`.
   * @returns a cancellable Deferred of the connected protocol.
   * @throws ReactorMethodMissingError when the reactor has no `connectTCP`.
   */
  connectTCP(host: string, port: number, options: ConnectTCPOptions = {}): Deferred<P> {
    const r = this.reactor;
    if (typeof r.connectTCP !== 'function') throw new ReactorMethodMissingError('connectTCP');
    const opts: ConnectTCPOptions = { timeout: options.timeout ?? 30, bindAddress: options.bindAddress ?? null };
    return this._connect((f) => r.connectTCP!(host, port, f, opts));
  }

  /**
   * Connect to a UNIX socket. Port of `ClientCreator.connectUNIX(address, timeout=30, checkPID=False)`.
   *
   * @param address - the socket path.
   * @param options - `timeout` (seconds, default 30) and `checkPID`.
   * @returns a cancellable Deferred of the connected protocol.
   * @throws ReactorMethodMissingError when the reactor has no `connectUNIX`.
   */
  connectUNIX(address: string, options: ConnectUNIXOptions = {}): Deferred<P> {
    const r = this.reactor;
    if (typeof r.connectUNIX !== 'function') throw new ReactorMethodMissingError('connectUNIX');
    const opts: ConnectUNIXOptions = { timeout: options.timeout ?? 30, checkPID: options.checkPID ?? false };
    return this._connect((f) => r.connectUNIX!(address, f, opts));
  }

  /**
   * Connect to a TLS server. Port of `ClientCreator.connectSSL(host, port, contextFactory, timeout=30, bindAddress=None)`.
   *
   * @param host - the host.
   * @param port - the port.
   * @param contextFactory - a twistless/ssl context factory (optionsForClientTLS(host), ...).
   * @param options - `timeout` (seconds, default 30) and `bindAddress`.
   * @returns a cancellable Deferred of the connected protocol.
   * @throws ReactorMethodMissingError when the reactor has no `connectSSL`.
   */
  connectSSL(host: string, port: number, contextFactory: ISSLContextFactory, options: ConnectTCPOptions = {}): Deferred<P> {
    const r = this.reactor;
    if (typeof r.connectSSL !== 'function') throw new ReactorMethodMissingError('connectSSL');
    const opts: ConnectTCPOptions = { timeout: options.timeout ?? 30, bindAddress: options.bindAddress ?? null };
    return this._connect((f) => r.connectSSL!(host, port, f, contextFactory, opts));
  }
}
