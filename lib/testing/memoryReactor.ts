// Port of twisted.internet.testing's MemoryReactor, MemoryReactorClock (MemoryReactor + Clock),
// RaisingMemoryReactor, _FakePort and _FakeConnector (Twisted 22.4). Covered by
// spec/testing/memoryReactor.spec.ts and spec/testing/internetTesting.spec.ts (ReactorTests).
//
// MemoryReactorClock must be a Clock (instanceof Clock) and a MemoryReactor, and a class has one
// base: it extends Clock, MemoryReactor's methods are copied onto its prototype and its fields set
// by the same initialiser, and `instanceof MemoryReactor` recognises it by a brand.
import { isIPv6 } from 'node:net';
import { IPv4Address, IPv6Address, UNIXAddress, type IAddress } from '../address/address.js';
import { succeed } from '../defer/helpers.js';
import type { Deferred } from '../defer/deferred.js';
import { Clock } from '../task/clock.js';
import { NotCallableError, ReactorAlreadyRunning, ReactorNotRestartable } from '../reactor/errors.js';
import { ThreePhaseEvent, type SystemEventPhase, type SystemEventTriggerID, type TriggerFunction } from '../reactor/threePhaseEvent.js';
import type {
  ConnectTCPOptions,
  ConnectUNIXOptions,
  IClientFactory,
  IConnector,
  IListeningPort,
  IProtocolFactory,
  IReactorTCP,
  IReactorUNIX,
  ListenTCPOptions,
  ListenUNIXOptions,
  IDatagramProtocol,
  ListenMulticastOptions,
  ListenUDPOptions,
} from '../protocol/interfaces.js';
import type { IReactorSSL, ISSLContextFactory } from '../protocol/interfaces.js';
import { NothingToRaiseError } from './errors.js';

/**
 * A recorded call: the function and its arguments (Twisted's `(callable, args, kw)`).
 * Port of the `(callable, args, kw)` tuples `twisted.internet.testing.MemoryReactor` records.
 */
export type RecordedCall = [fn: TriggerFunction, args: unknown[]];


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

/** Twisted's `isIPv6Address`: an IPv6 literal, with or without a `%scope` suffix. */
function isIPv6Address(address: string): boolean {
  const at = address.indexOf('%');
  const bare = at >= 0 ? address.slice(0, at) : address;
  return bare !== '' && isIPv6(bare);
}

/**
 * The listening port a `MemoryReactor` returns: it listens on nothing, and reports the address
 * it was made with. Port of `twisted.internet.testing._FakePort`.
 *
 * @example
 * ```ts no-run
 * const port = new MemoryReactor().listenTCP(8080, factory);
 * port.getHost(); // IPv4Address(type='TCP', host='0.0.0.0', port=8080)
 * ```
 */
export class FakePort implements IListeningPort {
  /** @internal the address given. */
  readonly _hostAddress: IAddress;
  /** True once `stopListening()` was called (not in Twisted's `_FakePort`). */
  stopped: boolean;

  /** @param hostAddress - what `getHost()` returns. */
  constructor(hostAddress: IAddress) {
    this._hostAddress = hostAddress;
    this.stopped = false;
  }

  /** Does nothing. Port of `_FakePort.startListening`. */
  startListening(): void {}

  /**
   * An already fired Deferred of this port, as the real port's `whenListening()` once bound, so
   * code that waits for the bind runs against a MemoryReactor. twistless-only (Twisted binds
   * inside listenTCP).
   */
  whenListening(): Deferred<this> {
    return succeed(this);
  }

  /**
   * Set `stopped`; returns an already fired Deferred (Twisted's returns None). Port of
   * `_FakePort.stopListening`.
   */
  stopListening(): Deferred<void> {
    this.stopped = true;
    return succeed(undefined);
  }

  /** The address given to the constructor. Port of `_FakePort.getHost`. */
  getHost(): IAddress {
    return this._hostAddress;
  }
}

/**
 * The connector a `MemoryReactor` returns: it connects to nothing, and records what it is told.
 * Port of `twisted.internet.testing._FakeConnector`; `state` (which Twisted's lacks) is
 * `'connecting'` until `stopConnecting()` or `disconnect()`, and `connect()` sets it back.
 *
 * @example
 * ```ts no-run
 * const connector = new MemoryReactor().connectTCP('example.com', 80, factory);
 * connector.stopConnecting(); // connector.stoppedConnecting === true
 * ```
 */
export class FakeConnector implements IConnector {
  /** True once `stopConnecting()` was called. */
  stoppedConnecting: boolean;
  /** True once `disconnect()` was called (Twisted's `_disconnected`). */
  disconnected: boolean;
  /** How many times `connect()` was called (not in Twisted's `_FakeConnector`). */
  connectCalls: number;
  /** `'connecting'`, or `'disconnected'` after `stopConnecting()`/`disconnect()`. */
  state: 'disconnected' | 'connecting' | 'connected';
  /** @internal the destination. */
  readonly _address: IAddress;

  /** @param address - what `getDestination()` returns. */
  constructor(address: IAddress) {
    this.stoppedConnecting = false;
    this.disconnected = false;
    this.connectCalls = 0;
    this.state = 'connecting';
    this._address = address;
  }

  /** Set `stoppedConnecting`. Port of `_FakeConnector.stopConnecting`. */
  stopConnecting(): void {
    this.stoppedConnecting = true;
    this.state = 'disconnected';
  }

  /** Set `disconnected`. Port of `_FakeConnector.disconnect`. */
  disconnect(): void {
    this.disconnected = true;
    this.state = 'disconnected';
  }

  /** Count the call; connects nothing. Port of `_FakeConnector.connect` (a no-op there). */
  connect(): void {
    this.connectCalls += 1;
    this.state = 'connecting';
  }

  /** The address given to the constructor. Port of `_FakeConnector.getDestination`. */
  getDestination(): IAddress {
    return this._address;
  }
}

/** A `listenSSL` call as `MemoryReactor.sslServers` records it: `[port, factory, contextFactory, backlog, interface]`. */
export type SSLServerRecord = [number, IProtocolFactory, ISSLContextFactory, number, string];
/** A `connectSSL` call as `MemoryReactor.sslClients` records it: `[host, port, factory, contextFactory, timeout, bindAddress]`. */
export type SSLClientRecord = [string, number, IClientFactory, ISSLContextFactory, number | null, readonly [string, number] | null];

const MEMORY_REACTOR_BRAND = Symbol.for('twistless.MemoryReactor');

/** Sets every MemoryReactor field on `r`, in one order (MemoryReactor and MemoryReactorClock). */
function initMemoryReactor(r: MemoryReactor): void {
  r.hasInstalled = false;
  r.running = false;
  r.hasRun = false;
  r.hasStopped = false;
  r.hasCrashed = false;
  (r as { whenRunningHooks: RecordedCall[] }).whenRunningHooks = [];
  (r as { triggers: MemoryReactor['triggers'] }).triggers = {};
  (r as { tcpServers: TCPServerRecord[] }).tcpServers = [];
  (r as { tcpClients: TCPClientRecord[] }).tcpClients = [];
  (r as { unixServers: UNIXServerRecord[] }).unixServers = [];
  (r as { unixClients: UNIXClientRecord[] }).unixClients = [];
  (r as { connectors: FakeConnector[] }).connectors = [];
  (r as { sslServers: SSLServerRecord[] }).sslServers = [];
  (r as { sslClients: SSLClientRecord[] }).sslClients = [];
  (r as { _events: Map<string, ThreePhaseEvent> })._events = new Map();
  (r as { _recorded: Map<SystemEventTriggerID, RecordedCall> })._recorded = new Map();
  (r as { _connectorFor: WeakMap<object, FakeConnector> })._connectorFor = new WeakMap();
  (r as { udpServers: UDPServerRecord[] }).udpServers = [];
  (r as { multicastServers: MulticastServerRecord[] }).multicastServers = [];
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
export class MemoryReactor implements IReactorTCP, IReactorUNIX, IReactorSSL {
  /** Set by `install()`. */
  hasInstalled!: boolean;
  /** true while running; false before run() and after stop(); null after crash() (Twisted's choice). */
  running!: boolean | null;
  /** Set by `run()`. */
  hasRun!: boolean;
  /** Set by `stop()` (which `run()` calls at its end). */
  hasStopped!: boolean;
  /** Set by `crash()`. */
  hasCrashed!: boolean;
  /** The `callWhenRunning` calls, in order. */
  readonly whenRunningHooks!: RecordedCall[];
  /** The system event triggers added and not removed: `triggers[phase][eventType]`, in order. */
  readonly triggers!: Partial<Record<SystemEventPhase, Record<string, RecordedCall[]>>>;
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
  /** @internal the events behind fireSystemEvent. */
  readonly _events!: Map<string, ThreePhaseEvent>;
  /** @internal handle -> its recorded entry. */
  readonly _recorded!: Map<SystemEventTriggerID, RecordedCall>;
  /** @internal the connector each tcpClients/unixClients record was answered with. */
  readonly _connectorFor!: WeakMap<object, FakeConnector>;

  constructor() {
    initMemoryReactor(this);
  }

  /** True for a MemoryReactor and for a MemoryReactorClock (Python's multiple inheritance). */
  static [Symbol.hasInstance](value: unknown): boolean {
    if (this !== MemoryReactor) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MEMORY_REACTOR_BRAND] === true;
  }

  /**
   * Record that the reactor was installed. Port of `MemoryReactor.install`.
   *
   * @example
   * ```ts
   * reactor.install(); // reactor.hasInstalled === true
   * ```
   */
  install(): void {
    this.hasInstalled = true;
  }

  /**
   * Set `running` and `hasRun`, call every `callWhenRunning` hook in order, then `stop()`.
   * Port of `MemoryReactor.run`.
   *
   * @throws ReactorAlreadyRunning when already running; ReactorNotRestartable after `crash()`
   *   (Twisted asserts `running is False` in both cases).
   * @example
   * ```ts
   * reactor.callWhenRunning(() => console.log('up'));
   * reactor.run(); // prints "up"; then reactor.running === false, reactor.hasStopped === true
   * ```
   */
  run(): void {
    if (this.running === true) throw new ReactorAlreadyRunning();
    if (this.running === null) {
      throw new ReactorNotRestartable(`${this.constructor.name} cannot run after crash(): create a new one`);
    }
    this.running = true;
    this.hasRun = true;
    for (const [fn, args] of this.whenRunningHooks) (fn as (...a: unknown[]) => unknown)(...args);
    this.stop();
  }

  /**
   * Set `running` false and `hasStopped` (shutdown triggers do not run: see `fireSystemEvent`).
   * Port of `MemoryReactor.stop`.
   *
   * @example
   * ```ts
   * reactor.stop(); // reactor.hasStopped === true
   * ```
   */
  stop(): void {
    this.running = false;
    this.hasStopped = true;
  }

  /**
   * Set `running` to null ("crashy") and `hasCrashed`. Port of `MemoryReactor.crash`.
   *
   * @example
   * ```ts
   * reactor.crash(); // reactor.running === null, reactor.hasCrashed === true
   * ```
   */
  crash(): void {
    this.running = null;
    this.hasCrashed = true;
  }

  /**
   * Record `fn(...args)` to be called by `run()`. Port of `MemoryReactor.callWhenRunning`.
   *
   * @throws NotCallableError when `fn` is not a function (Twisted's records anything; its
   *   `run()` would then fail half-way, leaving the reactor running)
   * @example
   * ```ts
   * reactor.callWhenRunning(console.log, 'started'); // whenRunningHooks: [[console.log, ['started']]]
   * ```
   */
  callWhenRunning<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): void {
    if (typeof fn !== 'function') throw new NotCallableError(`${this.constructor.name}.callWhenRunning(fn)`, fn);
    this.whenRunningHooks.push([fn as TriggerFunction, args]);
  }

  /**
   * Record a system event trigger in `triggers[phase][eventType]`.
   * Port of `MemoryReactor.addSystemEventTrigger`.
   *
   * @param phase - 'before', 'during' or 'after'.
   * @returns a handle for `removeSystemEventTrigger`.
   * @throws InvalidPhaseError for another phase.
   * @throws NotCallableError when `fn` is not a function (nothing is recorded).
   * @example
   * ```ts
   * reactor.addSystemEventTrigger('before', 'shutdown', flush); // triggers.before.shutdown: [[flush, []]]
   * ```
   */
  addSystemEventTrigger<A extends unknown[]>(
    phase: SystemEventPhase,
    eventType: string,
    fn: (...args: A) => unknown,
    ...args: A
  ): SystemEventTriggerID {
    if (typeof fn !== 'function') {
      throw new NotCallableError(`${this.constructor.name}.addSystemEventTrigger(phase, eventType, fn)`, fn);
    }
    let event = this._events.get(eventType);
    if (event === undefined) {
      event = new ThreePhaseEvent(eventType);
      this._events.set(eventType, event);
    }
    const handle = event.addTrigger(phase, fn as TriggerFunction, ...args);
    const entry: RecordedCall = [fn as TriggerFunction, args];
    const byType = (this.triggers[phase] ??= {});
    (byType[eventType] ??= []).push(entry);
    this._recorded.set(handle, entry);
    return handle;
  }

  /**
   * Remove a trigger added by `addSystemEventTrigger`, from `triggers` too. Port of
   * `MemoryReactor.removeSystemEventTrigger` (which raises NotImplementedError in Twisted).
   *
   * @throws InvalidTriggerError for a handle this reactor did not return, or one already removed.
   * @example
   * ```ts
   * const id = reactor.addSystemEventTrigger('during', 'shutdown', flush);
   * reactor.removeSystemEventTrigger(id);
   * ```
   */
  removeSystemEventTrigger(handle: SystemEventTriggerID): void {
    const event = this._events.get((handle as { eventType?: string } | null)?.eventType ?? '');
    if (event === undefined) {
      // let ThreePhaseEvent produce its typed error for a bad handle
      new ThreePhaseEvent().removeTrigger(handle);
      return;
    }
    event.removeTrigger(handle);
    const entry = this._recorded.get(handle);
    if (entry !== undefined) {
      this._recorded.delete(handle);
      const list = this.triggers[handle.phase]?.[handle.eventType];
      const i = list ? list.indexOf(entry) : -1;
      if (list && i >= 0) list.splice(i, 1);
    }
  }

  /**
   * Run the pending triggers of `eventType`: 'before' (waiting for Deferreds they return), then
   * 'during', then 'after', each once, as the real reactor does. `triggers` keeps its record. Port of
   * `MemoryReactor.fireSystemEvent` (which raises NotImplementedError in Twisted).
   *
   * @example
   * ```ts
   * reactor.fireSystemEvent('shutdown');
   * ```
   */
  fireSystemEvent(eventType: string): void {
    const event = this._events.get(eventType);
    if (event !== undefined) event.fireEvent();
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
    return new FakePort(isIPv6Address(iface) ? new IPv6Address('TCP', iface, port) : new IPv4Address('TCP', '0.0.0.0', port));
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
    const connector = new FakeConnector(isIPv6Address(host) ? new IPv6Address('TCP', host, port) : new IPv4Address('TCP', host, port));
    this._connectorFor.set(record, connector);
    factory.startedConnecting(connector);
    this.connectors.push(connector);
    return connector;
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
    const connector = new FakeConnector(new UNIXAddress(address));
    this._connectorFor.set(record, connector);
    factory.startedConnecting(connector);
    this.connectors.push(connector);
    return connector;
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
    return new FakePort(isIPv6Address(iface) ? new IPv6Address('UDP', iface, port) : new IPv4Address('UDP', '0.0.0.0', port));
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
    return new FakePort(isIPv6Address(iface) ? new IPv6Address('UDP', iface, port) : new IPv4Address('UDP', '0.0.0.0', port));
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
    return new FakePort(isIPv6Address(iface) ? new IPv6Address('TCP', iface, port) : new IPv4Address('TCP', '0.0.0.0', port));
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
    const connector = new FakeConnector(isIPv6Address(host) ? new IPv6Address('TCP', host, port) : new IPv4Address('TCP', host, port));
    this._connectorFor.set(record, connector);
    factory.startedConnecting(connector);
    this.connectors.push(connector);
    return connector;
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
    initMemoryReactor(this as unknown as MemoryReactor);
  }
}
/** The members MemoryReactorClock takes from MemoryReactor (copied onto its prototype below). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging -- the mixin half of MemoryReactorClock
export interface MemoryReactorClock extends MemoryReactor {}
for (const name of Object.getOwnPropertyNames(MemoryReactor.prototype)) {
  if (name === 'constructor') continue;
  Object.defineProperty(MemoryReactorClock.prototype, name, Object.getOwnPropertyDescriptor(MemoryReactor.prototype, name)!);
}
Object.defineProperty(MemoryReactorClock.prototype, MEMORY_REACTOR_BRAND, { value: true });

/** Options of `new RaisingMemoryReactor(...)`: Twisted's constructor arguments. */
export interface RaisingMemoryReactorOptions {
  /** What every listen method throws. */
  listenException?: unknown;
  /** What every connect method throws. */
  connectException?: unknown;
}

/**
 * A fake reactor whose listen methods throw `listenException` and whose connect methods throw
 * `connectException`, to test how code handles a reactor that refuses. Port of
 * `twisted.internet.testing.RaisingMemoryReactor` (adopt* methods not ported).
 *
 * @example
 * ```ts
 * import { CannotListenError } from 'twistless/error';
 * import { Factory } from 'twistless/protocol';
 * import { RaisingMemoryReactor } from 'twistless/testing';
 *
 * const reactor = new RaisingMemoryReactor({ listenException: new CannotListenError('', 80, 'EACCES') });
 * try {
 *   reactor.listenTCP(80, new Factory());
 * } catch (e) {
 *   console.log((e as Error).name); // CannotListenError
 * }
 * ```
 */
export class RaisingMemoryReactor implements IReactorTCP, IReactorUNIX, IReactorSSL {
  /** @internal */
  readonly _listenException: unknown;
  /** @internal */
  readonly _connectException: unknown;
  /** @internal whether each was given. */
  readonly _given: { listen: boolean; connect: boolean };

  /** @param options - `listenException` and `connectException`. */
  constructor(options: RaisingMemoryReactorOptions = {}) {
    this._listenException = options.listenException;
    this._connectException = options.connectException;
    this._given = { listen: 'listenException' in options, connect: 'connectException' in options };
  }

  /** @internal */
  _raise(kind: 'listen' | 'connect', method: string): never {
    if (!this._given[kind]) throw new NothingToRaiseError(method, `${kind}Exception`);
    throw kind === 'listen' ? this._listenException : this._connectException;
  }

  /**
   * Throw `listenException`. Port of `RaisingMemoryReactor.listenTCP`.
   * @throws listenException; NothingToRaiseError when none was given.
   */
  listenTCP(port: number, factory: IProtocolFactory, options?: ListenTCPOptions): IListeningPort {
    void [port, factory, options];
    return this._raise('listen', 'listenTCP');
  }

  /**
   * Throw `connectException`. Port of `RaisingMemoryReactor.connectTCP`.
   * @throws connectException; NothingToRaiseError when none was given.
   */
  connectTCP(host: string, port: number, factory: IClientFactory, options?: ConnectTCPOptions): IConnector {
    void [host, port, factory, options];
    return this._raise('connect', 'connectTCP');
  }

  /**
   * Throw `listenException`. Port of `RaisingMemoryReactor.listenUNIX`.
   * @throws listenException; NothingToRaiseError when none was given.
   */
  listenUNIX(address: string, factory: IProtocolFactory, options?: ListenUNIXOptions): IListeningPort {
    void [address, factory, options];
    return this._raise('listen', 'listenUNIX');
  }

  /**
   * Throw `connectException`. Port of `RaisingMemoryReactor.connectUNIX`.
   * @throws connectException; NothingToRaiseError when none was given.
   */
  connectUNIX(address: string, factory: IClientFactory, options?: ConnectUNIXOptions): IConnector {
    void [address, factory, options];
    return this._raise('connect', 'connectUNIX');
  }

  /**
   * Throw `listenException`. Port of `RaisingMemoryReactor.listenSSL`.
   * @throws listenException; NothingToRaiseError when none was given.
   */
  listenSSL(port: number, factory: IProtocolFactory, contextFactory: ISSLContextFactory, options?: ListenTCPOptions): IListeningPort {
    void [port, factory, contextFactory, options];
    return this._raise('listen', 'listenSSL');
  }

  /**
   * Throw `connectException`. Port of `RaisingMemoryReactor.connectSSL`.
   * @throws connectException; NothingToRaiseError when none was given.
   */
  connectSSL(host: string, port: number, factory: IClientFactory, contextFactory: ISSLContextFactory, options?: ConnectTCPOptions): IConnector {
    void [host, port, factory, contextFactory, options];
    return this._raise('connect', 'connectSSL');
  }
}
