// Port of the networking interfaces of twisted.internet.interfaces (Twisted 22.4) as TypeScript
// interfaces: zope's "provides" becomes structural typing ("defines readConnectionLost()").
// Types only; covered by the specs of the classes that implement them (spec/protocol,
// spec/basic, spec/policies) and by spec/types.
import type { Deferred } from '../defer/deferred.js';
import type { Failure } from '../failure/failure.js';
import type { IAddress, IPv4Address, IPv6Address } from '../address/address.js';

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


// ---------------------------------------------------------------- datagrams (UDP)

/** A datagram's source or destination: `[host, port]`, Python's `(host, port)` tuple. */
export type DatagramAddress = readonly [host: string, port: number];

/**
 * A UDP port as the protocol sees it (it is also the listening port). Port of `IUDPTransport`.
 * Writes take bytes; a destination must be an IP literal (a host name is refused with
 * `InvalidAddressError`, as Twisted does).
 */
export interface IUDPTransport {
  /** Send one datagram to `addr` (or to the connected peer when `addr` is omitted). */
  write(datagram: Uint8Array, addr?: DatagramAddress | null): void;
  /** Send the concatenation of `seq` as one datagram. */
  writeSequence(seq: Iterable<Uint8Array>, addr?: DatagramAddress | null): void;
  /** Talk to one peer only: later writes go there and only its datagrams arrive. */
  connect(host: string, port: number): void;
  /** The bound address, `IPv4Address('UDP', host, port)` or IPv6Address. */
  getHost(): IPv4Address | IPv6Address;
  /** Stop listening; the Deferred fires once the port is closed and the protocol stopped. */
  stopListening(): Deferred<void> | null;
  /** Allow or forbid sending to broadcast addresses. */
  setBroadcastAllowed(enabled: boolean): void;
  /** Whether sending to broadcast addresses is allowed. */
  getBroadcastAllowed(): boolean;
}

/** A UDP port that does multicast. Port of `IMulticastTransport`. */
export interface IMulticastTransport extends IUDPTransport {
  /** The interface multicast datagrams leave by (`'0.0.0.0'`: the system's choice). */
  getOutgoingInterface(): string;
  /** Send multicast datagrams by the interface of address `addr`; fires with 1 once set. */
  setOutgoingInterface(addr: string): Deferred<number>;
  /** 1 when this host's own multicast datagrams come back to its sockets, else 0. */
  getLoopbackMode(): number;
  /** Loop multicast datagrams back to this host (truthy) or not. */
  setLoopbackMode(mode: boolean | number): void;
  /** The time-to-live of multicast datagrams. */
  getTTL(): number;
  /** Set the time-to-live of multicast datagrams (0 to 255). */
  setTTL(ttl: number): void;
  /** Join the multicast group `addr` (on `iface`, '' for the default); fails with MulticastJoinError. */
  joinGroup(addr: string, iface?: string): Deferred<void>;
  /** Leave the multicast group `addr`. */
  leaveGroup(addr: string, iface?: string): Deferred<void>;
}

/**
 * What `listenUDP` drives: a `DatagramProtocol`, duck-typed. No zope interface in Twisted (the
 * UDP port calls these methods of `twisted.internet.protocol.DatagramProtocol`).
 */
export interface IDatagramProtocol {
  /** Attach the port and count it (the first port runs `startProtocol()`). */
  makeConnection(transport: never): void;
  /** The port stopped using the protocol (the last one runs `stopProtocol()`). */
  doStop(): void;
  /** A datagram arrived from `addr`. */
  datagramReceived(datagram: Buffer, addr: DatagramAddress): void;
  /** A previous write of a connected port was refused (an ICMP port unreachable). */
  connectionRefused?(): void;
}

/** Options of `listenUDP`. Port of its keyword arguments. */
export interface ListenUDPOptions {
  /** The local IP address to bind (default `''`: every IPv4 interface, `0.0.0.0`). */
  interface?: string;
  /** Longer datagrams are cut to this many bytes, as Twisted's `recvfrom` does (default 8192). */
  maxPacketSize?: number;
}

/** Options of `listenMulticast`. Port of its keyword arguments. */
export interface ListenMulticastOptions extends ListenUDPOptions {
  /** Let other sockets bind the same port (SO_REUSEADDR), to share a group (default false). */
  listenMultiple?: boolean;
}

/** A reactor that does UDP. Port of `IReactorUDP`. */
export interface IReactorUDP {
  /** Bind a UDP port and connect `protocol` to it (synchronously, as in Twisted). */
  listenUDP(port: number, protocol: IDatagramProtocol, options?: ListenUDPOptions): IUDPTransport & IListeningPort;
}

/** A reactor that does multicast UDP. Port of `IReactorMulticast`. */
export interface IReactorMulticast {
  /** Bind a multicast-capable UDP port and connect `protocol` to it. */
  listenMulticast(port: number, protocol: IDatagramProtocol, options?: ListenMulticastOptions): IMulticastTransport & IListeningPort;
}

// ---------------------------------------------------------------- child processes (IReactorProcess)

/** What a child descriptor is connected to: `'r'` the parent reads it, `'w'` the parent writes it, a number: that parent descriptor. */
export type ChildFDTarget = 'r' | 'w' | number;

/** A signal `signalProcess` takes: one of Twisted's five names (no `SIG` prefix) or a number. */
export type ProcessSignal = 'HUP' | 'STOP' | 'INT' | 'KILL' | 'TERM' | number;

/**
 * The transport of a child process. Port of `IProcessTransport` (with the producer and consumer
 * methods Twisted's `Process` also has).
 */
export interface IProcessTransport extends ITransport {
  /** The child's process id; null once it has been reaped (or when it never started). */
  readonly pid: number | null;
  /** Close the child's standard input (after what is queued is written). */
  closeStdin(): void;
  /** Close the parent's end of the child's standard output. */
  closeStdout(): void;
  /** Close the parent's end of the child's standard error. */
  closeStderr(): void;
  /** Close the parent's end of child descriptor `descriptor` (a no-op when it is not open). */
  closeChildFD(descriptor: number): void;
  /** Write to child descriptor `childFD` (given as 'w' in childFDs). */
  writeToChild(childFD: number, data: Uint8Array): void;
  /** Send a signal to the child. */
  signalProcess(signalID: ProcessSignal): void;
  /** Stop reading the child's output descriptors. */
  pauseProducing(): void;
  /** Read them again. */
  resumeProducing(): void;
  /** Attach a producer to the child's standard input. */
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void;
  /** Detach it. */
  unregisterProducer(): void;
}

/** What a child process's transport feeds. Port of `IProcessProtocol`. */
export interface IProcessProtocol {
  /** The child is started: attach its transport and call `connectionMade()`. */
  makeConnection(process: IProcessTransport): void;
  /** Bytes from child descriptor `childFD` (1: stdout, 2: stderr, or an extra 'r' descriptor). */
  childDataReceived(childFD: number, data: Buffer): void;
  /** Child descriptor `childFD` closed. */
  childConnectionLost(childFD: number): void;
  /** The child exited (its descriptors may still be open). */
  processExited(reason: Failure): void;
  /** The child exited and every descriptor closed: the last event. */
  processEnded(reason: Failure): void;
}

/** Options of `spawnProcess`. Port of its keyword arguments. */
export interface SpawnProcessOptions {
  /**
   * The child's environment. Default: an EMPTY environment, as in Twisted (not Node's default of
   * inheriting); `null` inherits this process's environment.
   */
  env?: Readonly<Record<string, string>> | null;
  /** The child's working directory (default: this process's). */
  path?: string | null;
  /** Run the child as this user id (needs privileges). */
  uid?: number | null;
  /** Run the child as this group id (needs privileges). */
  gid?: number | null;
  /** Not supported (no PTY in Node's core): true raises PTYNotSupportedError. */
  usePTY?: boolean;
  /** The child's descriptors (default `{ 0: 'w', 1: 'r', 2: 'r' }`). */
  childFDs?: Readonly<Record<number, ChildFDTarget>> | null;
}

/** A reactor that starts child processes. Port of `IReactorProcess`. */
export interface IReactorProcess {
  /** Start `executable` with argv `args` (args[0] is argv[0]) and connect `processProtocol` to it. */
  spawnProcess(processProtocol: IProcessProtocol, executable: string, args?: readonly string[], options?: SpawnProcessOptions): IProcessTransport;
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
