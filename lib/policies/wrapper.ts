// Port of ProtocolWrapper and WrappingFactory of twisted.protocols.policies (Twisted 22.4).
// Covered by spec/policies/wrapper.spec.ts (WrapperTests of twisted/test/test_policies.py).
import type { Failure } from '../failure/failure.js';
import { ClientFactory } from '../protocol/factory.js';
import { Protocol, connectionDone } from '../protocol/protocol.js';
import type {
  IAddress,
  IClientFactory,
  IConnector,
  IConsumer,
  IProtocol,
  IProtocolFactory,
  IPullProducer,
  IPushProducer,
  ITCPTransport,
  ITransport,
} from '../protocol/interfaces.js';

/**
 * The transport under a `ProtocolWrapper` lacks a method the wrapper was asked to forward. Port of
 * the AttributeError of `ProtocolWrapper.__getattr__`.
 *
 * @example
 * ```ts no-run
 * wrapper.abortConnection(); // throws TransportMethodMissingError when the transport has none
 * ```
 */
export class TransportMethodMissingError extends TypeError {
  constructor(method: string) {
    super(`ProtocolWrapper.${method}(): the wrapped transport has no ${method}() method (or there is no transport yet)`);
    this.name = 'TransportMethodMissingError';
  }
}

/** What a `ProtocolWrapper` needs of its factory: it registers each connection with it. */
export interface IWrapperFactory {
  /** A wrapper connected. */
  registerProtocol(p: ProtocolWrapper): void;
  /** A wrapper's connection was lost. */
  unregisterProtocol(p: ProtocolWrapper): void;
}

function prefixOf(wrapped: unknown): string {
  const w = wrapped as { logPrefix?: unknown; constructor?: { name?: string } } | null;
  if (w !== null && w !== undefined && typeof w.logPrefix === 'function') return String((w.logPrefix as () => unknown).call(w));
  return w?.constructor?.name ?? String(w);
}

/** Port of `policies._wrappedLogPrefix`: `"<wrapped prefix> (<wrapper class>)"`. */
function wrappedLogPrefix(wrapper: object, wrapped: unknown): string {
  return `${prefixOf(wrapped)} (${wrapper.constructor.name})`;
}

type AnyTransport = Record<string, unknown>;

function forward<R>(wrapper: ProtocolWrapper, method: string, args: unknown[]): R {
  const t = wrapper.transport as unknown as AnyTransport | null;
  const fn = t === null ? undefined : t[method];
  if (typeof fn !== 'function') throw new TransportMethodMissingError(method);
  return (fn as (...a: unknown[]) => R).apply(t, args);
}

/**
 * A protocol that sits between a transport and another protocol: it is the wrapped protocol's
 * transport, and passes everything through (subclasses change what they need). Port of
 * `twisted.protocols.policies.ProtocolWrapper`.
 *
 * Like Twisted's `__getattr__` and `directlyProvides`, `makeConnection` makes every other method
 * and attribute of the real transport reachable on the wrapper (so a wrapped protocol sees the
 * same kind of transport).
 *
 * @param factory - the factory that registers the wrapper (a `WrappingFactory`).
 * @param wrappedProtocol - the protocol inside.
 * @example
 * ```ts
 * class Echo extends Protocol { override dataReceived(d: Buffer) { this.transport!.write(d); } }
 * const wf = new WrappingFactory(Factory.forProtocol(Echo));
 * const wrapper = wf.buildProtocol(new IPv4Address('TCP', '127.0.0.1', 1))!;
 * console.log(wrapper.logPrefix()); // Echo (ProtocolWrapper)
 * ```
 */
export class ProtocolWrapper extends Protocol implements ITCPTransport, IConsumer, IPushProducer {
  /** True once `loseConnection()` was called on the wrapper. */
  disconnecting: boolean = false;
  /** The protocol inside; null after the connection was lost. */
  wrappedProtocol: IProtocol | null;
  /** The factory that registers this wrapper. */
  declare factory: (IProtocolFactory & IWrapperFactory) | null;

  constructor(factory: IProtocolFactory & IWrapperFactory, wrappedProtocol: IProtocol) {
    super();
    this.wrappedProtocol = wrappedProtocol;
    this.factory = factory;
  }

  /** `"<wrapped prefix> (ProtocolWrapper)"`. Port of `ProtocolWrapper.logPrefix`. */
  override logPrefix(): string {
    return wrappedLogPrefix(this, this.wrappedProtocol);
  }

  /**
   * Attach the transport, register with the factory, and connect the wrapped protocol with this
   * wrapper as its transport. Port of `ProtocolWrapper.makeConnection`.
   *
   * @param transport - the real transport.
   */
  override makeConnection(transport: ITransport): void {
    this._provideTransportMembers(transport);
    super.makeConnection(transport);
    this.factory!.registerProtocol(this);
    this.wrappedProtocol!.makeConnection(this);
  }

  // Twisted's __getattr__: members of the transport the wrapper lacks are reached through it.
  private _provideTransportMembers(transport: ITransport | null): void {
    if (transport === null || typeof transport !== 'object') return;
    const names = new Set<string>();
    for (let o: object | null = transport; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
      for (const n of Object.getOwnPropertyNames(o)) if (n !== 'constructor') names.add(n);
    }
    for (const name of names) {
      if (name in this) continue;
      const value = (transport as unknown as AnyTransport)[name];
      if (typeof value === 'function') {
        Object.defineProperty(this, name, {
          configurable: true,
          writable: true,
          value: (...args: unknown[]) => forward(this, name, args),
        });
      } else {
        Object.defineProperty(this, name, {
          configurable: true,
          get: () => (this.transport as unknown as AnyTransport | null)?.[name],
          set: (v: unknown) => {
            (this.transport as unknown as AnyTransport)[name] = v;
          },
        });
      }
    }
  }

  /** Pass the bytes to the transport. */
  write(data: Uint8Array): void {
    this.transport!.write(data);
  }

  /** Pass the chunks to the transport. */
  writeSequence(data: Iterable<Uint8Array>): void {
    this.transport!.writeSequence(data);
  }

  /** Mark the wrapper disconnecting and close the transport. */
  loseConnection(): void {
    this.disconnecting = true;
    this.transport!.loseConnection();
  }

  /** The transport's peer address. */
  getPeer(): IAddress {
    return this.transport!.getPeer();
  }

  /** The transport's local address. */
  getHost(): IAddress {
    return this.transport!.getHost();
  }

  /** Register a producer with the transport. */
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    forward(this, 'registerProducer', [producer, streaming]);
  }

  /** Unregister the transport's producer. */
  unregisterProducer(): void {
    forward(this, 'unregisterProducer', []);
  }

  /** The transport's `stopConsuming()`. */
  stopConsuming(): void {
    forward(this, 'stopConsuming', []);
  }

  /** The transport's `abortConnection()`. */
  abortConnection(): void {
    forward(this, 'abortConnection', []);
  }

  /** The transport's `loseWriteConnection()`. */
  loseWriteConnection(): void {
    forward(this, 'loseWriteConnection', []);
  }

  /** The transport's `getTcpNoDelay()`. */
  getTcpNoDelay(): boolean {
    return forward(this, 'getTcpNoDelay', []);
  }

  /** The transport's `setTcpNoDelay(enabled)`. */
  setTcpNoDelay(enabled: boolean): void {
    forward(this, 'setTcpNoDelay', [enabled]);
  }

  /** The transport's `getTcpKeepAlive()`. */
  getTcpKeepAlive(): boolean {
    return forward(this, 'getTcpKeepAlive', []);
  }

  /** The transport's `setTcpKeepAlive(enabled)`. */
  setTcpKeepAlive(enabled: boolean): void {
    forward(this, 'setTcpKeepAlive', [enabled]);
  }

  /** Pause the transport (stop reading). */
  pauseProducing(): void {
    forward(this, 'pauseProducing', []);
  }

  /** Resume the transport. */
  resumeProducing(): void {
    forward(this, 'resumeProducing', []);
  }

  /** Stop the transport. */
  stopProducing(): void {
    forward(this, 'stopProducing', []);
  }

  /** Pass the bytes to the wrapped protocol. */
  override dataReceived(data: Buffer): void {
    this.wrappedProtocol!.dataReceived(data);
  }

  /**
   * Unregister from the factory, tell the wrapped protocol, and drop it. Port of
   * `ProtocolWrapper.connectionLost`.
   *
   * @param reason - why.
   */
  override connectionLost(reason: Failure = connectionDone): void {
    this.factory!.unregisterProtocol(this);
    this.wrappedProtocol!.connectionLost(reason);
    this.wrappedProtocol = null;
  }
}

/** The class a `WrappingFactory` wraps each protocol in. */
export type ProtocolWrapperClass<F> = new (factory: F, wrappedProtocol: IProtocol) => ProtocolWrapper;

/** A factory to wrap: a protocol factory, maybe with the client hooks and a log prefix. */
export type WrappedFactory = IProtocolFactory & Partial<IClientFactory> & { logPrefix?: () => string };

/**
 * A factory that wraps the protocols of another factory in `ProtocolWrapper`s (or the class in
 * `wrapperProtocol`), and keeps the live wrappers in `protocols`. Port of
 * `twisted.protocols.policies.WrappingFactory`.
 *
 * Differences from Twisted: the wrapper class is `wrapperProtocol` (Twisted reuses `protocol`,
 * whose constructor takes no arguments here); a wrapped factory whose `buildProtocol` returns
 * null makes `buildProtocol` return null (the connection is refused) instead of wrapping
 * nothing; a client hook the wrapped factory lacks does nothing.
 *
 * @param wrappedFactory - the factory whose protocols are wrapped.
 * @example
 * ```ts
 * const wf = new WrappingFactory(Factory.forProtocol(Protocol));
 * console.log(wf.logPrefix()); // Factory (WrappingFactory)
 * ```
 */
export class WrappingFactory extends ClientFactory<ProtocolWrapper> implements IWrapperFactory {
  /** The factory whose protocols are wrapped. */
  readonly wrappedFactory: WrappedFactory;
  /** The wrappers whose connections are up. */
  readonly protocols: Set<ProtocolWrapper> = new Set();
  /** The wrapper class (Twisted's `protocol` attribute of a WrappingFactory). */
  wrapperProtocol: ProtocolWrapperClass<this> = ProtocolWrapper;

  constructor(wrappedFactory: WrappedFactory) {
    super();
    this.wrappedFactory = wrappedFactory;
  }

  /** `"<wrapped prefix> (WrappingFactory)"`. Port of `WrappingFactory.logPrefix`. */
  override logPrefix(): string {
    return wrappedLogPrefix(this, this.wrappedFactory);
  }

  /** Start the wrapped factory, then this one. */
  override doStart(): void {
    this.wrappedFactory.doStart();
    super.doStart();
  }

  /** Stop the wrapped factory, then this one. */
  override doStop(): void {
    this.wrappedFactory.doStop();
    super.doStop();
  }

  /** Forward to the wrapped factory. */
  override startedConnecting(connector: IConnector): void {
    this.wrappedFactory.startedConnecting?.(connector);
  }

  /** Forward to the wrapped factory. */
  override clientConnectionFailed(connector: IConnector, reason: Failure): void {
    this.wrappedFactory.clientConnectionFailed?.(connector, reason);
  }

  /** Forward to the wrapped factory. */
  override clientConnectionLost(connector: IConnector, reason: Failure): void {
    this.wrappedFactory.clientConnectionLost?.(connector, reason);
  }

  /**
   * The wrapped factory's protocol inside a new wrapper, or null when it returned null.
   * Port of `WrappingFactory.buildProtocol`.
   *
   * @param addr - the address.
   * @returns the wrapper.
   */
  override buildProtocol(addr: IAddress): ProtocolWrapper | null {
    const wrapped = this.wrappedFactory.buildProtocol(addr);
    if (wrapped === null) return null;
    return new this.wrapperProtocol(this, wrapped);
  }

  /** A wrapper connected. Port of `registerProtocol`. */
  registerProtocol(p: ProtocolWrapper): void {
    this.protocols.add(p);
  }

  /** A wrapper's connection was lost. Port of `unregisterProtocol`. */
  unregisterProtocol(p: ProtocolWrapper): void {
    this.protocols.delete(p);
  }
}
