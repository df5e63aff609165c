// Port of twisted.internet.endpoints' _WrappingProtocol and _WrappingFactory (Twisted 22.4): how a
// client endpoint turns a connection attempt into a Deferred; with the two helpers every endpoint
// shares (wait for the bind, turn a throw into a failed Deferred). Covered by
// spec/endpoints/endpoints.spec.ts (WrappingFactoryTests).
import { Deferred } from '../defer/deferred.js';
import { Failure } from '../failure/failure.js';
import { ConnectingCancelledError, NoProtocol } from '../error/errors.js';
import { ClientFactory } from '../protocol/factory.js';
import { Protocol } from '../protocol/protocol.js';
import type { IAddress, IConnector, IListeningPort, IProtocol, IProtocolFactory, ITransport } from '../protocol/interfaces.js';

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
