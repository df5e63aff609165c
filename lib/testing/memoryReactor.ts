// Port of twisted.internet.testing's MemoryReactor and MemoryReactorClock (MemoryReactor + Clock)
// (Twisted 22.4): the listen/connect recorders, one pair per transport kind, over the recorded
// reactor core of memoryReactorCore.ts. The ports and connectors they return are in fakePort.ts,
// RaisingMemoryReactor in raisingMemoryReactor.ts. Covered by spec/testing/memoryReactor.spec.ts
// and spec/testing/internetTesting.spec.ts (ReactorTests).
//
// MemoryReactorClock must be a Clock (instanceof Clock) and a MemoryReactor, and a class has one
// base: it extends Clock, MemoryReactor's methods (its own and its core's) are copied onto its
// prototype and its fields set by the same initialisers, and `instanceof MemoryReactor`
// recognises it by a brand.
import { UNIXAddress } from '../address/address.js';
import type { IAddress } from '../address/address.js';
import { Clock } from '../task/clock.js';
import type {
  ConnectTCPOptions,
  ConnectUNIXOptions,
  IClientFactory,
  IProtocolFactory,
  IReactorTCP,
  IReactorUNIX,
  ListenTCPOptions,
  ListenUNIXOptions,
} from '../protocol/interfaces.js';
import type { IDatagramProtocol, ListenMulticastOptions, ListenUDPOptions } from '../protocol/datagramInterfaces.js';
import type { IReactorSSL, ISSLContextFactory } from '../protocol/interfaces.js';
import { FakeConnector, FakePort, destinationAddress, listeningAddress } from './fakePort.js';
import { initMemoryReactorCore, MemoryReactorCore } from './memoryReactorCore.js';

/** A `listenTCP` call as `MemoryReactor.tcpServers` records it (Twisted's tuple order). */
export type TCPServerRecord = [port: number, factory: IProtocolFactory, backlog: number, iface: string];
/** A `connectTCP` call as `MemoryReactor.tcpClients` records it (Twisted's tuple order). */
export type TCPClientRecord = [
  host: string,
  port: number,
  factory: IClientFactory,
  timeout: number,
  bindAddress: readonly [string, number] | null,
];
/** A `listenUNIX` call as `MemoryReactor.unixServers` records it (Twisted's tuple order). */
export type UNIXServerRecord = [address: string, factory: IProtocolFactory, backlog: number, mode: number, wantPID: boolean];
/** A `connectUNIX` call as `MemoryReactor.unixClients` records it (Twisted's tuple order). */
export type UNIXClientRecord = [address: string, factory: IClientFactory, timeout: number, checkPID: boolean];

/** A `listenUDP` call as `MemoryReactor.udpServers` records it (listenUDP's argument order). */
export type UDPServerRecord = [port: number, protocol: IDatagramProtocol, iface: string, maxPacketSize: number];
/** A `listenMulticast` call as `MemoryReactor.multicastServers` records it. */
export type MulticastServerRecord = [port: number, protocol: IDatagramProtocol, iface: string, maxPacketSize: number, listenMultiple: boolean];
/** A `listenSSL` call as `MemoryReactor.sslServers` records it: `[port, factory, contextFactory, backlog, interface]`. */
export type SSLServerRecord = [number, IProtocolFactory, ISSLContextFactory, number, string];
/** A `connectSSL` call as `MemoryReactor.sslClients` records it: `[host, port, factory, contextFactory, timeout, bindAddress]`. */
export type SSLClientRecord = [string, number, IClientFactory, ISSLContextFactory, number | null, readonly [string, number] | null];

const MEMORY_REACTOR_BRAND = Symbol.for('twistless.MemoryReactor');

/** Sets every field MemoryReactor adds to its core on `r`, in one order (MemoryReactor and MemoryReactorClock). */
function initRecorders(r: MemoryReactor): void {
  (r as { tcpServers: TCPServerRecord[] }).tcpServers = [];
  (r as { tcpClients: TCPClientRecord[] }).tcpClients = [];
  (r as { unixServers: UNIXServerRecord[] }).unixServers = [];
  (r as { unixClients: UNIXClientRecord[] }).unixClients = [];
  (r as { connectors: FakeConnector[] }).connectors = [];
  (r as { sslServers: SSLServerRecord[] }).sslServers = [];
  (r as { sslClients: SSLClientRecord[] }).sslClients = [];
  (r as { _connectorFor: WeakMap<object, FakeConnector> })._connectorFor = new WeakMap();
  (r as { udpServers: UDPServerRecord[] }).udpServers = [];
  (r as { multicastServers: MulticastServerRecord[] }).multicastServers = [];
}

/** Keep the connector a connect call answered with, tell the factory, and return the connector. */
function startConnecting(r: MemoryReactor, record: object, address: IAddress, factory: IClientFactory): FakeConnector {
  const connector = new FakeConnector(address);
  r._connectorFor.set(record, connector);
  factory.startedConnecting(connector);
  r.connectors.push(connector);
  return connector;
}

/**
 * A fake reactor for tests: it records what code asks of the reactor core and of its TCP and
 * UNIX methods, and connects nothing. `listenTCP`, `connectTCP`, `listenUNIX` and `connectUNIX`
 * record their arguments (with the defaults filled in) in `tcpServers`, `tcpClients`,
 * `unixServers` and `unixClients`, and return a `FakePort` or a `FakeConnector`; a connect call
 * also calls `factory.startedConnecting(connector)` and keeps the connector in `connectors`.
 * `run()` sets `running`, calls the `callWhenRunning` hooks in order, then `stop()`s, as
 * Twisted's does; `stop()` and `crash()` only set flags. `addSystemEventTrigger` records into
 * `triggers[phase][eventType]`. Use `MemoryReactorClock` to have `callLater` too, and
 * `ConnectionCompleter` to complete a recorded connection in memory.
 *
 * Port of `twisted.internet.testing.MemoryReactor`. Differences from Twisted: `hasRun`,
 * `hasStopped` and `hasCrashed` start false (Twisted's start True, which makes them useless to
 * assert on); `addSystemEventTrigger` returns a handle that `removeSystemEventTrigger` accepts,
 * and `fireSystemEvent(eventType)` runs the pending triggers of that event in Twisted's three
 * phases (Twisted's memory reactor raises NotImplementedError for both). The adopt* and
 * file-descriptor (`addReader`...) recorders are not ported: twistless has no such reactor methods.
 * `listenSSL` and `connectSSL` record into `sslServers` and `sslClients`; `listenUDP` and
 * `listenMulticast` (not in Twisted's) into `udpServers` and `multicastServers`.
 *
 * @example
 * ```ts
 * import { ClientFactory } from 'twistless/protocol';
 * import { MemoryReactor } from 'twistless/testing';
 *
 * const reactor = new MemoryReactor();
 * const connector = reactor.connectTCP('example.com', 80, new ClientFactory(), { timeout: 5 });
 * const [host, port, , timeout] = reactor.tcpClients[0];
 * console.log(host, port, timeout, String(connector.getDestination()));
 * // example.com 80 5 IPv4Address(type='TCP', host='example.com', port=80)
 * ```
 */
export class MemoryReactor extends MemoryReactorCore implements IReactorTCP, IReactorUNIX, IReactorSSL {
  /** The `listenTCP` calls: `[port, factory, backlog, interface]`. */
  readonly tcpServers!: TCPServerRecord[];
  /** The `connectTCP` calls: `[host, port, factory, timeout, bindAddress]`. */
  readonly tcpClients!: TCPClientRecord[];
  /** The `listenUNIX` calls: `[address, factory, backlog, mode, wantPID]`. */
  readonly unixServers!: UNIXServerRecord[];
  /** The `connectUNIX` calls: `[address, factory, timeout, checkPID]`. */
  readonly unixClients!: UNIXClientRecord[];
  /** The connectors returned by the connect calls, in order. */
  readonly connectors!: FakeConnector[];
  /** @internal the connector each tcpClients/unixClients record was answered with. */
  readonly _connectorFor!: WeakMap<object, FakeConnector>;

  constructor() {
    super();
    initRecorders(this);
  }

  /** True for a MemoryReactor and for a MemoryReactorClock (Python's multiple inheritance). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== MemoryReactor) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MEMORY_REACTOR_BRAND] === true;
  }

  /**
   * Record the call in `tcpServers` and return a `FakePort` on `IPv4Address('TCP', '0.0.0.0',
   * port)`, or on `IPv6Address('TCP', interface, port)` for an IPv6 interface (as Twisted's, an
   * IPv4 interface is not reflected). Port of `MemoryReactor.listenTCP`.
   *
   * @param port - the port.
   * @param factory - the protocol factory (nothing is called on it).
   * @param options - `backlog` (50) and `interface` (`''`), recorded with those defaults.
   * @returns the fake port.
   * @example
   * ```ts no-run
   * reactor.listenTCP(8080, factory); // tcpServers: [[8080, factory, 50, '']]
   * ```
   */
  listenTCP(port: number, factory: IProtocolFactory, options: ListenTCPOptions = {}): FakePort {
    const iface = options.interface ?? '';
    this.tcpServers.push([port, factory, options.backlog ?? 50, iface]);
    return new FakePort(listeningAddress('TCP', iface, port));
  }

  /**
   * Record the call in `tcpClients`, make a `FakeConnector` to `host:port` (an IPv6Address for an
   * IPv6 host), call `factory.startedConnecting(connector)`, keep the connector in `connectors`
   * and return it. Port of `MemoryReactor.connectTCP`.
   *
   * @param host - the host.
   * @param port - the port.
   * @param factory - a client factory.
   * @param options - `timeout` (30) and `bindAddress` (null), recorded with those defaults.
   * @returns the fake connector.
   * @example
   * ```ts no-run
   * reactor.connectTCP('127.0.0.1', 8080, factory); // tcpClients: [['127.0.0.1', 8080, factory, 30, null]]
   * ```
   */
  connectTCP(host: string, port: number, factory: IClientFactory, options: ConnectTCPOptions = {}): FakeConnector {
    const record: TCPClientRecord = [host, port, factory, options.timeout ?? 30, options.bindAddress ?? null];
    this.tcpClients.push(record);
    return startConnecting(this, record, destinationAddress(host, port), factory);
  }

  /**
   * Record the call in `unixServers` and return a `FakePort` on `UNIXAddress(address)`.
   * Port of `MemoryReactor.listenUNIX`.
   *
   * @param address - the socket path.
   * @param factory - the protocol factory.
   * @param options - `backlog` (50), `mode` (0o666) and `wantPID` (false), recorded with those defaults.
   * @returns the fake port.
   * @example
   * ```ts no-run
   * reactor.listenUNIX('/tmp/s', factory); // unixServers: [['/tmp/s', factory, 50, 0o666, false]]
   * ```
   */
  listenUNIX(address: string, factory: IProtocolFactory, options: ListenUNIXOptions = {}): FakePort {
    this.unixServers.push([address, factory, options.backlog ?? 50, options.mode ?? 0o666, options.wantPID ?? false]);
    return new FakePort(new UNIXAddress(address));
  }

  /**
   * Record the call in `unixClients`, make a `FakeConnector` to `UNIXAddress(address)`, call
   * `factory.startedConnecting(connector)`, keep the connector in `connectors` and return it.
   * Port of `MemoryReactor.connectUNIX`.
   *
   * @param address - the socket path.
   * @param factory - a client factory.
   * @param options - `timeout` (30) and `checkPID` (false), recorded with those defaults.
   * @returns the fake connector.
   * @example
   * ```ts no-run
   * reactor.connectUNIX('/tmp/s', factory); // unixClients: [['/tmp/s', factory, 30, false]]
   * ```
   */
  connectUNIX(address: string, factory: IClientFactory, options: ConnectUNIXOptions = {}): FakeConnector {
    const record: UNIXClientRecord = [address, factory, options.timeout ?? 30, options.checkPID ?? false];
    this.unixClients.push(record);
    return startConnecting(this, record, new UNIXAddress(address), factory);
  }

  /** The `listenUDP` calls: `[port, protocol, interface, maxPacketSize]` (twistless-only: Twisted 22.4's MemoryReactor has no listenUDP). */
  readonly udpServers!: UDPServerRecord[];
  /** The `listenMulticast` calls: `[port, protocol, interface, maxPacketSize, listenMultiple]` (twistless-only). */
  readonly multicastServers!: MulticastServerRecord[];

  /**
   * Record the call in `udpServers` and return a `FakePort` on `IPv4Address('UDP', '0.0.0.0',
   * port)` (IPv6Address for an IPv6 interface); nothing is called on the protocol (connect it to
   * a `FakeDatagramTransport` to drive it). twistless-only: Twisted 22.4's MemoryReactor has no
   * listenUDP; the record follows its `tcpServers`.
   *
   * @param port - the port.
   * @param protocol - the datagram protocol.
   * @param options - `interface` ('') and `maxPacketSize` (8192), recorded with those defaults.
   * @returns the fake port.
   * @example
   * ```ts no-run
   * reactor.listenUDP(53, proto); // udpServers: [[53, proto, '', 8192]]
   * ```
   */
  listenUDP(port: number, protocol: IDatagramProtocol, options: ListenUDPOptions = {}): FakePort {
    const iface = options.interface ?? '';
    this.udpServers.push([port, protocol, iface, options.maxPacketSize ?? 8192]);
    return new FakePort(listeningAddress('UDP', iface, port));
  }

  /**
   * Record the call in `multicastServers` and return a `FakePort`, as `listenUDP` does.
   * twistless-only.
   *
   * @param port - the port.
   * @param protocol - the datagram protocol.
   * @param options - `interface` (''), `maxPacketSize` (8192), `listenMultiple` (false).
   * @returns the fake port.
   * @example
   * ```ts no-run
   * reactor.listenMulticast(9999, proto, { listenMultiple: true }); // multicastServers: [[9999, proto, '', 8192, true]]
   * ```
   */
  listenMulticast(port: number, protocol: IDatagramProtocol, options: ListenMulticastOptions = {}): FakePort {
    const iface = options.interface ?? '';
    this.multicastServers.push([port, protocol, iface, options.maxPacketSize ?? 8192, options.listenMultiple ?? false]);
    return new FakePort(listeningAddress('UDP', iface, port));
  }

  // ---- TLS (IReactorSSL)

  /** The `listenSSL` calls: `[port, factory, contextFactory, backlog, interface]`. */
  readonly sslServers!: SSLServerRecord[];
  /** The `connectSSL` calls: `[host, port, factory, contextFactory, timeout, bindAddress]`. */
  readonly sslClients!: SSLClientRecord[];

  /**
   * Record the call in `sslServers` and return a `FakePort` (as listenTCP does). Port of
   * `MemoryReactor.listenSSL`.
   *
   * @example
   * ```ts no-run
   * reactor.listenSSL(443, factory, options); // sslServers: [[443, factory, options, 50, '']]
   * ```
   */
  listenSSL(port: number, factory: IProtocolFactory, contextFactory: ISSLContextFactory, options: ListenTCPOptions = {}): FakePort {
    const iface = options.interface ?? '';
    this.sslServers.push([port, factory, contextFactory, options.backlog ?? 50, iface]);
    return new FakePort(listeningAddress('TCP', iface, port));
  }

  /**
   * Record the call in `sslClients` and return a `FakeConnector` (as connectTCP does, calling
   * `factory.startedConnecting`). Port of `MemoryReactor.connectSSL`.
   *
   * @example
   * ```ts no-run
   * reactor.connectSSL('example.com', 443, factory, options); // sslClients: [['example.com', 443, factory, options, 30, null]]
   * ```
   */
  connectSSL(host: string, port: number, factory: IClientFactory, contextFactory: ISSLContextFactory, options: ConnectTCPOptions = {}): FakeConnector {
    const record: SSLClientRecord = [host, port, factory, contextFactory, options.timeout ?? 30, options.bindAddress ?? null];
    this.sslClients.push(record);
    return startConnecting(this, record, destinationAddress(host, port), factory);
  }
}
Object.defineProperty(MemoryReactor.prototype, MEMORY_REACTOR_BRAND, { value: true });

/**
 * A fake reactor for tests: a `Clock` (callLater, advance, seconds) that is also a
 * `MemoryReactor` (it records the reactor core and the TCP/UNIX calls), so code written against
 * the reactor can be tested without it. `instanceof Clock` and `instanceof MemoryReactor` both
 * hold, as both are its bases in Twisted.
 *
 * Port of `twisted.internet.testing.MemoryReactorClock`; see `MemoryReactor` for what it
 * records and how it differs from Twisted's.
 *
 * @example
 * ```ts no-run
 * const reactor = new MemoryReactorClock();
 * reactor.callWhenRunning(() => console.log('started'));
 * reactor.run(); // prints "started"; running is false again, hasRun and hasStopped true
 * reactor.callLater(1, () => console.log('a second later'));
 * reactor.advance(1);
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class MemoryReactorClock extends Clock {
  constructor() {
    super();
    initMemoryReactorCore(this as unknown as MemoryReactorCore);
    initRecorders(this as unknown as MemoryReactor);
  }
}/** The members MemoryReactorClock takes from MemoryReactor (copied onto its prototype below). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging -- the mixin half of MemoryReactorClock
export interface MemoryReactorClock extends MemoryReactor {}
for (const from of [MemoryReactorCore.prototype, MemoryReactor.prototype]) {
  for (const name of Object.getOwnPropertyNames(from)) {
    if (name === 'constructor') continue;
    Object.defineProperty(MemoryReactorClock.prototype, name, Object.getOwnPropertyDescriptor(from, name)!);
  }
}
Object.defineProperty(MemoryReactorClock.prototype, MEMORY_REACTOR_BRAND, { value: true });
