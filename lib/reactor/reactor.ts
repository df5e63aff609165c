// Port of twisted.internet.reactor (Twisted 22.4): the Reactor class, ReactorBase's time API and
// core (reactorTime.ts, reactorBase.ts) plus the I/O methods of IReactorTCP and IReactorUNIX, which delegate to
// lib/internet; and the process-wide `reactor` singleton.
// Covered by spec/reactor/realReactor.spec.ts and the specs of lib/internet (spec/internet).
import { Failure } from '../failure/failure.js';
import { ReactorBase } from './reactorBase.js';
import type { ReactorOptions } from './hostTimers.js';
// The I/O methods live in lib/internet, which never imports this file (it takes the reactor as an
// argument), so importing it here makes no cycle and listenTCP works for `twistless/reactor` alone.
import { disconnectAll } from '../internet/base.js';
import { CONNECTION_LOST } from '../error/errors.js';
import {
  connectTCP as connectTCPImpl,
  listenTCP as listenTCPImpl,
  type ConnectTCPOptions,
  type Connector as TCPConnector,
  type ListenTCPOptions,
  type Port as TCPPort,
} from '../internet/tcp.js';
import {
  connectUNIX as connectUNIXImpl,
  listenUNIX as listenUNIXImpl,
  type ConnectUNIXOptions,
  type ListenUNIXOptions,
  type UNIXConnector,
  type UNIXPort,
} from '../internet/unix.js';
// spawnProcess (twisted.internet.process): see lib/internet/spawnProcess.ts.
import type { Process } from '../internet/process.js';
import { spawnProcess as spawnProcessImpl } from '../internet/spawnProcess.js';
import type { IProcessProtocol, IReactorProcess, SpawnProcessOptions } from '../protocol/processInterfaces.js';
// twistless/threads: the reactor's thread methods (IReactorThreads).
import {
  callFromThread as callFromThreadImpl,
  getThreadPool as getThreadPoolImpl,
  suggestThreadPoolSize as suggestThreadPoolSizeImpl,
} from '../threads/reactorThreads.js';
import type { IReactorThreads } from '../threads/reactorThreads.js';
import type { ThreadPool } from '../threads/threadpool.js';
import {
  connectSSL as connectSSLImpl,
  listenSSL as listenSSLImpl,
  type ConnectSSLOptions,
  type ListenSSLOptions,
  type SSLConnector,
  type SSLPort,
} from '../internet/ssl.js';
import type { IOpenSSLContextFactory } from '../ssl/options.js';
import type { IReactorSSL } from '../protocol/interfaces.js';
import { listenUDP as listenUDPImpl, type ListenUDPOptions, type Port as UDPPort } from '../internet/udp.js';
import { listenMulticast as listenMulticastImpl, type MulticastPort } from '../internet/multicast.js';
import type { IClientFactory, IProtocolFactory, IReactorTCP, IReactorUNIX } from '../protocol/interfaces.js';
import type { IDatagramProtocol, ListenMulticastOptions, IReactorMulticast, IReactorUDP } from '../protocol/datagramInterfaces.js';
import { processWide } from '../internal/processWide.js';

/**
 * Twisted's reactor on Node's event loop: ReactorBase's time API and core (callLater, seconds,
 * run, stop, crash, system event triggers; see reactorTime.ts and reactorBase.ts) plus the I/O methods (listenTCP,
 * connectTCP, listenUNIX, connectUNIX). The process-wide `reactor` is one instance; specs and
 * embedders may create their own, with an injected time source and host timers.
 *
 * Port of `twisted.internet.posixbase.PosixReactorBase` (its IReactorTCP and IReactorUNIX methods), as `twisted.internet.asyncioreactor.AsyncioSelectorReactor` rides a host loop.
 *
 * @example
 * ```ts no-run
 * import { Reactor } from 'twistless/reactor';
 * const r = new Reactor();
 * r.callWhenRunning(() => r.callLater(0.01, () => r.stop()));
 * await r.run();
 * ```
 */
export class Reactor extends ReactorBase implements IReactorTCP, IReactorUNIX, IReactorUDP, IReactorMulticast, IReactorProcess, IReactorThreads, IReactorSSL {
  /**
   * @param options - an injected time source and host timers (for tests); both default to Node's
   * @throws InvalidOptionsError (a TypeError) for an unknown option name
   * @throws NotCallableError when `seconds` is given and is not a function
   */
  constructor(options: ReactorOptions = {}) {
    super(options);
    // As in Twisted's ReactorBase.__init__: after the crash trigger ReactorBase added.
    this.addSystemEventTrigger('during', 'shutdown', this._disconnectAll);
  }

  // ---------------------------------------------------------------- IReactorTCP

  /**
   * Listen for TCP connections on `port` (0: a free port), building a protocol per connection
   * with `factory`. Returns the port at once; Node binds it on a later tick: `port.whenListening()`
   * fires once it is bound (then `port.getHost().port` is the real port) or fails with
   * CannotListenError (a failure nobody waits for is logged). `interface: ''` (the default) binds
   * IPv4 0.0.0.0, as in Twisted; use '::' for IPv6 (dual-stack). Port of `reactor.listenTCP`.
   *
   * @param port - the port number, an integer from 0 to 65535
   * @param factory - the protocol factory (its doStart runs once bound)
   * @param options - `backlog` (50) and `interface` ('')
   * @returns the listening port (an IListeningPort)
   * @throws InvalidPortError for a bad port or backlog
   * @example
   * ```ts no-run
   * const port = reactor.listenTCP(0, Factory.forProtocol(Echo), { interface: '127.0.0.1' });
   * await port.whenListening();
   * console.log(port.getHost().port);
   * ```
   */
  listenTCP(port: number, factory: IProtocolFactory, options?: ListenTCPOptions): TCPPort {
    return listenTCPImpl(this, port, factory, options);
  }

  /**
   * Connect to `host`:`port` (a host name is resolved to IPv4 first, as Twisted does). Before
   * this returns: the factory's startFactory (on its first use) and startedConnecting(connector);
   * the attempt runs on a later turn and ends in clientConnectionFailed (refused, timed out after
   * `timeout` seconds, DNS failure) or a connection whose protocol's connectionLost runs before
   * clientConnectionLost. Port of `reactor.connectTCP`.
   *
   * @param host - a host name or an IP address
   * @param port - the port number
   * @param factory - a ClientFactory
   * @param options - `timeout` (30 seconds; null for none) and `bindAddress` ([host, port])
   * @returns the connector (an IConnector)
   * @throws InvalidPortError for a bad port or timeout
   * @example
   * ```ts no-run
   * reactor.connectTCP('127.0.0.1', 8000, new EchoClientFactory());
   * ```
   */
  connectTCP(host: string, port: number, factory: IClientFactory | IProtocolFactory, options?: ConnectTCPOptions): TCPConnector {
    return connectTCPImpl(this, host, port, factory, options);
  }

  // ---------------------------------------------------------------- IReactorUNIX

  /**
   * Listen on a UNIX socket at `address` (a leading '\0' names a Linux abstract socket). Like
   * listenTCP the port is returned at once and `whenListening()` fires once bound; `mode` is
   * applied to the socket file, and `wantPID` holds `<address>.lock` (a held lock raises
   * CannotListenError at once). Port of `reactor.listenUNIX`.
   *
   * @param address - the socket path
   * @param factory - the protocol factory
   * @param options - `backlog` (50), `mode` (0o666), `wantPID` (false)
   * @returns the listening port
   * @throws CannotListenError when `wantPID` and another live process holds the lock
   * @example
   * ```ts no-run
   * const port = reactor.listenUNIX('/tmp/app.sock', factory);
   * await port.whenListening();
   * ```
   */
  listenUNIX(address: string, factory: IProtocolFactory, options?: ListenUNIXOptions): UNIXPort {
    return listenUNIXImpl(this, address, factory, options);
  }

  /**
   * Connect to the UNIX socket at `address`, with connectTCP's callback order. `checkPID` fails the
   * attempt with BadFileError unless `<address>.lock` is held by a live process. Port of
   * `reactor.connectUNIX`.
   *
   * @param address - the socket path
   * @param factory - a ClientFactory
   * @param options - `timeout` (30) and `checkPID` (false)
   * @returns the connector
   * @example
   * ```ts no-run
   * reactor.connectUNIX('/tmp/app.sock', new MyClientFactory());
   * ```
   */
  connectUNIX(address: string, factory: IClientFactory | IProtocolFactory, options?: ConnectUNIXOptions): UNIXConnector {
    return connectUNIXImpl(this, address, factory, options);
  }

  // ---------------------------------------------------------------- IReactorUDP, IReactorMulticast

  /**
   * Bind a UDP port and connect `protocol` to it, as Twisted does inside the call: when it
   * returns, the port is bound (`getHost().port` is the real port), `protocol.transport` is the
   * port and `startProtocol()` has run; a bind failure throws CannotListenError. Datagrams longer
   * than `maxPacketSize` are cut to it, as Twisted's recvfrom does. `interface: ''` (the default)
   * binds IPv4 0.0.0.0. Port of `reactor.listenUDP`.
   *
   * @param port - the port number, an integer from 0 to 65535 (0: a free port)
   * @param protocol - a DatagramProtocol (it serves one port at a time)
   * @param options - `interface` ('') and `maxPacketSize` (8192)
   * @returns the port (an IListeningPort and IUDPTransport)
   * @throws CannotListenError when the bind fails
   * @throws InvalidAddressError when `interface` is not an IP address
   * @throws InvalidPortError for a bad port
   * @example
   * ```ts no-run
   * const port = reactor.listenUDP(0, new Echo(), { interface: '127.0.0.1' });
   * console.log(port.getHost().port);
   * ```
   */
  listenUDP(port: number, protocol: IDatagramProtocol, options?: ListenUDPOptions): UDPPort {
    return listenUDPImpl(this, port, protocol, options);
  }

  /**
   * listenUDP for multicast: the port also joins and leaves groups and sets the multicast TTL,
   * loopback mode and outgoing interface. `listenMultiple` lets several sockets bind the same
   * port (SO_REUSEADDR). Port of `reactor.listenMulticast`.
   *
   * @param port - the port number (0: a free port)
   * @param protocol - a DatagramProtocol
   * @param options - `interface` (''), `maxPacketSize` (8192), `listenMultiple` (false)
   * @returns the multicast port
   * @throws CannotListenError when the bind fails
   * @example
   * ```ts no-run
   * const port = reactor.listenMulticast(9999, proto, { listenMultiple: true });
   * await port.joinGroup('228.0.0.5');
   * ```
   */
  listenMulticast(port: number, protocol: IDatagramProtocol, options?: ListenMulticastOptions): MulticastPort {
    return listenMulticastImpl(this, port, protocol, options);
  }

  // ---------------------------------------------------------------- IReactorProcess

  /**
   * Start `executable` as a child process connected to `processProtocol`. `args[0]` is the
   * child's argv[0]. THE CHILD GETS AN EMPTY ENVIRONMENT unless `env` is given, as in Twisted
   * (Node's own default inherits): pass `{ env: process.env }` (or `null`) to inherit.
   * `connectionMade` runs before this returns; then the output, each descriptor's loss,
   * `processExited`, and `processEnded` last (ProcessDone for exit code 0, else
   * ProcessTerminated). A missing executable ends, as in Twisted, with a message on stderr and
   * ProcessTerminated(exitCode=1). `reactor.stop()` closes the pipes but does not kill children.
   * Port of `reactor.spawnProcess`.
   *
   * @param processProtocol - the protocol (a ProcessProtocol)
   * @param executable - the program (looked up on the child's PATH)
   * @param args - the child's argv, argv[0] first
   * @param options - `env` ({}), `path`, `uid`, `gid`, `childFDs` ({ 0: 'w', 1: 'r', 2: 'r' })
   * @returns the process transport
   * @throws PTYNotSupportedError for `usePTY: true` (no PTY in Node's core)
   * @throws InvalidProcessArgumentError for an argument of the wrong type
   * @example
   * ```ts no-run
   * const t = reactor.spawnProcess(new MyPP(), 'wc', ['wc', '-l']);
   * t.write(Buffer.from('a\nb\n'));
   * t.closeStdin();
   * ```
   */
  spawnProcess(processProtocol: IProcessProtocol, executable: string, args?: readonly string[], options?: SpawnProcessOptions): Process {
    return spawnProcessImpl(this, processProtocol, executable, args, options);
  }

  // ---------------------------------------------------------------- IReactorThreads (twistless/threads)

  /**
   * Call `f(...args)` on a later turn of the event loop, after the calls queued before it (FIFO),
   * never from inside the caller and never ahead of timers already due. Usable anywhere on the
   * main thread, a worker's message handler included. Port of `reactor.callFromThread`.
   *
   * @throws NotCallableError when `f` is not a function
   * @example
   * ```ts no-run
   * worker.on('message', (m) => reactor.callFromThread(handle, m));
   * ```
   */
  callFromThread<A extends unknown[]>(f: (...args: A) => unknown, ...args: A): void {
    callFromThreadImpl(this, f, args);
  }

  /**
   * The reactor's pool of worker threads (0 to 10, named "twisted.internet.reactor"): made and
   * started on first use, stopped on shutdown. Port of `reactor.getThreadPool`.
   *
   * @returns the pool
   */
  getThreadPool(): ThreadPool {
    return getThreadPoolImpl(this);
  }

  /**
   * Set the most threads the reactor's pool runs at once. Port of `reactor.suggestThreadPoolSize`.
   *
   * @param size - the maximum
   */
  suggestThreadPoolSize(size: number): void {
    suggestThreadPoolSizeImpl(this, size);
  }

  /**
   * Run the function exported as `exportName` by the module at `modulePath` in the reactor's pool
   * (a function cannot cross to a worker thread); its failure is logged. Port of
   * `reactor.callInThread`, with a named function instead of a callable.
   */
  callInThread(modulePath: string | URL, exportName: string, ...args: unknown[]): void {
    getThreadPoolImpl(this).callInThread(modulePath, exportName, ...args);
  }

  // ---- TLS (IReactorSSL): the logic is in lib/internet/ssl.ts and tls.ts.

  /**
   * Listen on a TCP port where every connection is a TLS server with `contextFactory`'s key,
   * certificate and client-verification policy. As with listenTCP the port is returned at once
   * and `whenListening()` fires once bound. Port of `reactor.listenSSL`.
   *
   * @param port - the port (0: any)
   * @param factory - builds a protocol per connection (connectionMade comes before the handshake)
   * @param contextFactory - a twistless/ssl context factory (CertificateOptions, ...)
   * @param options - `backlog` (50) and `interface` ('')
   * @returns the listening port
   * @throws InvalidPortError, TypeError for bad arguments; what getContext() raises
   * @example
   * ```ts no-run
   * reactor.listenSSL(8443, factory, new DefaultOpenSSLContextFactory('server.key', 'server.crt'));
   * ```
   */
  listenSSL(port: number, factory: IProtocolFactory, contextFactory: IOpenSSLContextFactory, options?: ListenSSLOptions): SSLPort {
    return listenSSLImpl(this, port, factory, contextFactory, options);
  }

  /**
   * Connect over TLS, with connectTCP's callback order; a failed handshake or a hostname mismatch
   * ends the connection through connectionLost with SSLError / VerificationError, and no data
   * crosses. Port of `reactor.connectSSL`.
   *
   * @param host - a name or an IP address
   * @param port - the port
   * @param factory - a ClientFactory
   * @param contextFactory - `optionsForClientTLS(host, trustRoot)` to verify the server
   * @param options - `timeout` (30) and `bindAddress`
   * @returns the connector
   * @example
   * ```ts no-run
   * reactor.connectSSL('example.com', 443, factory, optionsForClientTLS('example.com'));
   * ```
   */
  connectSSL(host: string, port: number, factory: IClientFactory | IProtocolFactory, contextFactory: IOpenSSLContextFactory, options?: ConnectSSLOptions): SSLConnector {
    return connectSSLImpl(this, host, port, factory, contextFactory, options);
  }

  // ---------------------------------------------------------------- internals

  private readonly _disconnectAll = (): void => {
    disconnectAll(this, new Failure(CONNECTION_LOST));
  };
}

/**
 * The process-wide reactor (one per process, however twistless was loaded). Port of
 * `twisted.internet.reactor`.
 *
 * @example
 * ```ts no-run
 * import { reactor } from 'twistless/reactor';
 * reactor.callLater(1, () => reactor.stop());
 * await reactor.run();
 * ```
 */
export const reactor: Reactor = processWide('reactor', () => new Reactor());
