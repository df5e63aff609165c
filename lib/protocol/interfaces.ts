// Port of the stream networking interfaces of twisted.internet.interfaces (Twisted 22.4) as
// TypeScript interfaces: zope's "provides" becomes structural typing ("defines
// readConnectionLost()"). The datagram ones are in datagramInterfaces.ts, the child-process ones
// in processInterfaces.ts.
// Types only; covered by the specs of the classes that implement them (spec/protocol,
// spec/basic, spec/policies) and by spec/types.
import type { Deferred } from '../defer/deferred.js';
import type { Failure } from '../failure/failure.js';
import type { IAddress } from '../address/address.js';

export type { IAddress } from '../address/address.js';
export type { IDelayedCall, IReactorTime } from '../defer/interfaces.js';

/** Something that names itself in log lines. Port of `ILoggingContext`. */
export interface ILoggingContext {
  /** The prefix for log lines about this object (its class name by default). */
  logPrefix(): string;
}

/**
 * A producer: something that writes to a consumer. Port of `IProducer`.
 */
export interface IProducer {
  /** Stop producing for good (the consumer is going away). */
  stopProducing(): void;
}

/** A producer that writes on its own until paused. Port of `IPushProducer`. */
export interface IPushProducer extends IProducer {
  /** Stop writing until `resumeProducing()`. */
  pauseProducing(): void;
  /** Start writing again. */
  resumeProducing(): void;
}

/** A producer that writes one chunk each time it is asked. Port of `IPullProducer`. */
export interface IPullProducer extends IProducer {
  /** Write the next chunk to the consumer. */
  resumeProducing(): void;
}

/**
 * A consumer of bytes that can throttle a producer. Port of `IConsumer`.
 */
export interface IConsumer {
  /**
   * Attach a producer: `streaming` true for an `IPushProducer` (paused and resumed by the
   * consumer), false for an `IPullProducer` (asked for each chunk).
   */
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void;
  /** Detach the producer. */
  unregisterProducer(): void;
  /** Take bytes. */
  write(data: Uint8Array): void;
}

/**
 * The connection a protocol writes to. Port of `ITransport`. Writes take bytes (a `Buffer` or
 * `Uint8Array`); a string is refused with a `TypeError` (use `Buffer.from(text)`).
 */
export interface ITransport {
  /** Queue bytes for sending; never blocks, never drops (until the connection is lost). */
  write(data: Uint8Array): void;
  /** Queue several chunks, as one write of their concatenation. */
  writeSequence(data: Iterable<Uint8Array>): void;
  /** Close once everything queued is sent; `connectionLost` follows, never synchronously. */
  loseConnection(): void;
  /** The remote address. */
  getPeer(): IAddress;
  /** The local address. */
  getHost(): IAddress;
}

/**
 * A TCP connection. Port of `ITCPTransport`; like Twisted's TCP transport, it is also the
 * consumer its producers write to and a push producer of what it reads.
 */
export interface ITCPTransport extends ITransport, IConsumer, IPushProducer {
  /** Half-close: send what is queued, then FIN; reading goes on. */
  loseWriteConnection(): void;
  /** Close at once, dropping what is queued (an RST); `connectionLost(ConnectionAborted)` follows. */
  abortConnection(): void;
  /** Whether Nagle's algorithm is off. */
  getTcpNoDelay(): boolean;
  /** Turn Nagle's algorithm off (true) or on. */
  setTcpNoDelay(enabled: boolean): void;
  /** Whether TCP keep-alive is on. */
  getTcpKeepAlive(): boolean;
  /** Turn TCP keep-alive on or off. */
  setTcpKeepAlive(enabled: boolean): void;
}

/**
 * A protocol: the object a transport feeds with the connection's events. Port of `IProtocol`.
 */
export interface IProtocol {
  /** Attach the transport and call `connectionMade()`. */
  makeConnection(transport: ITransport): void;
  /** The connection is up. */
  connectionMade(): void;
  /** Bytes arrived; chunk boundaries mean nothing. */
  dataReceived(data: Buffer): void;
  /** The connection is gone, with why (a Failure of `ConnectionDone` for a clean close). */
  connectionLost(reason: Failure): void;
}

/**
 * A protocol that wants half-closed connections. Port of `IHalfCloseableProtocol`: a protocol
 * that defines these methods is told of each half closing instead of losing the connection when
 * the peer stops sending.
 */
export interface IHalfCloseableProtocol {
  /** The peer will send no more (it half-closed); this side may still write. */
  readConnectionLost(): void;
  /** This side's writing half is closed (after `loseWriteConnection()`). */
  writeConnectionLost(): void;
}

/** Something that builds protocols for connections. Port of `IProtocolFactory`. */
export interface IProtocolFactory {
  /** A protocol for a new connection from (server) or to (client) `addr`, or null to refuse it. */
  buildProtocol(addr: IAddress): IProtocol | null;
  /** A port or connector started using this factory (reference counted). */
  doStart(): void;
  /** A port or connector stopped using this factory (reference counted). */
  doStop(): void;
}

/** A connection attempt in progress or done. Port of `IConnector`. */
export interface IConnector {
  /** `'disconnected'`, `'connecting'` or `'connected'`. */
  readonly state: 'disconnected' | 'connecting' | 'connected';
  /** Abandon the attempt: `clientConnectionFailed(UserError)` before returning. */
  stopConnecting(): void;
  /** Stop connecting, or close the connection if it is up. */
  disconnect(): void;
  /** Try again (only in the `'disconnected'` state). */
  connect(): void;
  /** Where it connects to. */
  getDestination(): IAddress;
}

/**
 * The factory a reactor's `connectTCP`/`connectUNIX` takes: a protocol factory told how the
 * attempt goes. The hooks of `ClientFactory`; no zope interface in Twisted (the reactor calls
 * these methods of `twisted.internet.protocol.ClientFactory`).
 */
export interface IClientFactory extends IProtocolFactory {
  /** The connector started an attempt. */
  startedConnecting(connector: IConnector): void;
  /** The attempt failed. */
  clientConnectionFailed(connector: IConnector, reason: Failure): void;
  /** The connection, once made, was lost. */
  clientConnectionLost(connector: IConnector, reason: Failure): void;
}

/** A listening port. Port of `IListeningPort`. */
export interface IListeningPort {
  /** Start listening (done already by `listenTCP`). */
  startListening(): void;
  /**
   * Stop accepting; the Deferred fires once the port is closed and its factory stopped (existing
   * connections go on), or null when it was not listening.
   */
  stopListening(): Deferred<void> | null;
  /** The bound address. */
  getHost(): IAddress;
}

/** Options of `listenTCP`. Port of its keyword arguments. */
export interface ListenTCPOptions {
  /** The listen queue length (default 50). */
  backlog?: number;
  /** The local address to bind (default `''`: every IPv4 interface, `0.0.0.0`). */
  interface?: string;
}

/** Options of `connectTCP`. Port of its keyword arguments. */
export interface ConnectTCPOptions {
  /** Seconds before the attempt fails with `TimeoutError` (default 30). */
  timeout?: number;
  /** The local `[host, port]` to bind before connecting. */
  bindAddress?: readonly [string, number] | null;
}

/** Options of `listenUNIX`. Port of its keyword arguments. */
export interface ListenUNIXOptions {
  /** The listen queue length (default 50). */
  backlog?: number;
  /** The socket file's permission bits (default 0o666). */
  mode?: number;
  /** Keep a `<path>.lock` file with the PID (default false). */
  wantPID?: boolean;
}

/** Options of `connectUNIX`. Port of its keyword arguments. */
export interface ConnectUNIXOptions {
  /** Seconds before the attempt fails with `TimeoutError` (default 30). */
  timeout?: number;
  /** Check the server's `<path>.lock` PID file first (default false). */
  checkPID?: boolean;
}

/** A reactor that does TCP. Port of `IReactorTCP`. */
export interface IReactorTCP {
  /** Listen on `port` (0: any free port); the port is returned at once. */
  listenTCP(port: number, factory: IProtocolFactory, options?: ListenTCPOptions): IListeningPort;
  /** Connect to `host:port`; the connector is returned at once, connecting. */
  connectTCP(host: string, port: number, factory: IClientFactory, options?: ConnectTCPOptions): IConnector;
}

/** A reactor that does UNIX sockets. Port of `IReactorUNIX`. */
export interface IReactorUNIX {
  /** Listen on the socket path `address`. */
  listenUNIX(address: string, factory: IProtocolFactory, options?: ListenUNIXOptions): IListeningPort;
  /** Connect to the socket path `address`. */
  connectUNIX(address: string, factory: IClientFactory, options?: ConnectUNIXOptions): IConnector;
}

/** A server endpoint. Port of `IStreamServerEndpoint`. */
export interface IStreamServerEndpoint {
  /** Listen with `factory`; fires with the bound port. */
  listen(factory: IProtocolFactory): Deferred<IListeningPort>;
}

/** A client endpoint. Port of `IStreamClientEndpoint`. */
export interface IStreamClientEndpoint {
  /** Connect with `factory`; fires with the connected protocol (cancellable). */
  connect(factory: IProtocolFactory): Deferred<IProtocol>;
}


// ---- TLS (IReactorSSL, ITLSTransport, ISSLTransport)

/** What `listenSSL`, `connectSSL` and `startTLS` take: see twistless/ssl. Port of `IOpenSSLContextFactory`. */
export interface ISSLContextFactory {
  /** The context for a new connection (a twistless/ssl TLSContext). */
  getContext(): unknown;
}

/** A TCP connection that can switch to TLS. Port of `ITLSTransport`. */
export interface ITLSTransport extends ITCPTransport {
  /** Switch to TLS: bytes written before go in the clear, later ones encrypted. */
  startTLS(contextFactory: ISSLContextFactory, normal?: boolean): void;
}

/** A connection over TLS. Port of `ISSLTransport`. */
export interface ISSLTransport extends ITCPTransport {
  /** The peer's certificate once the handshake is done, else null. */
  getPeerCertificate(): unknown;
}

/** A reactor that does TLS over TCP. Port of `IReactorSSL`. */
export interface IReactorSSL {
  /** Listen on TCP `port`; every connection is a TLS server with `contextFactory`. */
  listenSSL(port: number, factory: IProtocolFactory, contextFactory: ISSLContextFactory, options?: ListenTCPOptions): IListeningPort;
  /** Connect over TLS with `contextFactory`. */
  connectSSL(host: string, port: number, factory: IClientFactory, contextFactory: ISSLContextFactory, options?: ConnectTCPOptions): IConnector;
}
