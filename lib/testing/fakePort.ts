// Port of twisted.internet.testing's _FakePort and _FakeConnector (Twisted 22.4): what a
// MemoryReactor's listen and connect recorders hand back. Covered by
// spec/testing/internetTesting.spec.ts (ReactorTests) and spec/testing/memoryReactor.spec.ts.
import { isIPv6 } from 'node:net';
import { IPv4Address, IPv6Address, type IAddress } from '../address/address.js';
import { succeed } from '../defer/helpers.js';
import type { Deferred } from '../defer/deferred.js';
import type { IConnector, IListeningPort } from '../protocol/interfaces.js';

/** Twisted's `isIPv6Address`: an IPv6 literal, with or without a `%scope` suffix. */
function isIPv6Address(address: string): boolean {
  const at = address.indexOf('%');
  const bare = at >= 0 ? address.slice(0, at) : address;
  return bare !== '' && isIPv6(bare);
}

/**
 * The address a fake port listens on: `interface` when it is an IPv6 literal, else `0.0.0.0` (as
 * Twisted's, an IPv4 interface is not reflected).
 * @internal
 */
export function listeningAddress(type: 'TCP' | 'UDP', iface: string, port: number): IPv4Address | IPv6Address {
  return isIPv6Address(iface) ? new IPv6Address(type, iface, port) : new IPv4Address(type, '0.0.0.0', port);
}

/**
 * The address a fake connector connects to: an IPv6Address for an IPv6 host.
 * @internal
 */
export function destinationAddress(host: string, port: number): IPv4Address | IPv6Address {
  return isIPv6Address(host) ? new IPv6Address('TCP', host, port) : new IPv4Address('TCP', host, port);
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
