// Port of AbstractDatagramProtocol and DatagramProtocol of twisted.internet.protocol (Twisted 22.4).
// Covered by spec/protocol/datagram.spec.ts and spec/internet/udp.spec.ts.
import * as log from '../log/log.js';
import { DatagramProtocolStateError } from './errors.js';
import type { DatagramAddress, IDatagramProtocol, IUDPTransport } from './datagramInterfaces.js';

/**
 * The base of datagram protocols: the port reference count behind `startProtocol` and
 * `stopProtocol`. Port of `twisted.internet.protocol.AbstractDatagramProtocol`.
 *
 * A port calls `makeConnection(port)` once bound (which calls `doStart()`), and `doStop()` once
 * closed; `startProtocol()` runs on the first start and `stopProtocol()` on the last stop.
 *
 * @typeParam T - the transport type (`IMulticastTransport` for `listenMulticast`).
 * @example
 * ```ts no-run
 * class Counter extends AbstractDatagramProtocol {
 *   n = 0;
 *   override datagramReceived() { this.n += 1; }
 * }
 * ```
 */
export class AbstractDatagramProtocol<T extends IUDPTransport = IUDPTransport> implements IDatagramProtocol {
  /** The port, while connected to one; null before and after. */
  transport: T | null = null;
  /** How many ports use this protocol now. */
  numPorts: number = 0;
  /** Log "Starting protocol" / "Stopping protocol" lines (Twisted's default: true). */
  noisy: boolean = true;

  /** Python's default repr, `<ClassName object>` (used by the start and stop log lines). */
  toString(): string {
    return `<${this.constructor.name} object>`;
  }

  /**
   * A port starts using this protocol: the first one runs `startProtocol()`. Called by
   * `makeConnection`, not by users. Port of `AbstractDatagramProtocol.doStart`.
   */
  doStart(): void {
    if (this.numPorts === 0) {
      if (this.noisy) log.msg(`Starting protocol ${String(this)}`);
      this.startProtocol();
    }
    this.numPorts += 1;
  }

  /**
   * A port stops using this protocol: `transport` becomes null and the last one runs
   * `stopProtocol()`. Called by the port, not by users. Port of `AbstractDatagramProtocol.doStop`.
   *
   * @throws DatagramProtocolStateError when no port is using it (Twisted: AssertionError)
   */
  doStop(): void {
    if (!(this.numPorts > 0)) {
      throw new DatagramProtocolStateError(`doStop(): ${String(this)} is not started (numPorts is ${this.numPorts}); only the port that started it may stop it`);
    }
    this.numPorts -= 1;
    this.transport = null;
    if (this.numPorts === 0) {
      if (this.noisy) log.msg(`Stopping protocol ${String(this)}`);
      this.stopProtocol();
    }
  }

  /** Hook: a port is connected (once, however many ports). Port of `startProtocol`. */
  startProtocol(): void {}

  /** Hook: the last port is closed. Port of `stopProtocol`. */
  stopProtocol(): void {}

  /**
   * Attach the port and call `doStart()`. Called by the port once bound.
   * Port of `AbstractDatagramProtocol.makeConnection`.
   *
   * @param transport - the port.
   * @throws DatagramProtocolStateError when it already has a transport (Twisted: AssertionError)
   */
  makeConnection(transport: T): void {
    if (this.transport !== null && this.transport !== undefined) {
      throw new DatagramProtocolStateError(
        `makeConnection(): ${String(this)} already has a transport (${String(this.transport)}); ` +
          'a datagram protocol serves one port at a time: stop that port first, or use another protocol instance',
      );
    }
    this.transport = transport;
    this.doStart();
  }

  /**
   * A datagram arrived. Port of `AbstractDatagramProtocol.datagramReceived`.
   *
   * @param datagram - its bytes (cut to the port's maxPacketSize; the protocol may keep them).
   * @param addr - where it came from: `[host, port]`, Python's `(host, port)` tuple.
   */
  datagramReceived(datagram: Buffer, addr: DatagramAddress): void {
    void datagram;
    void addr;
  }
}

/**
 * A UDP protocol: subclass it and override `datagramReceived` (and `startProtocol`,
 * `stopProtocol`, `connectionRefused` as needed). Port of
 * `twisted.internet.protocol.DatagramProtocol`.
 *
 * @typeParam T - the transport type (`IMulticastTransport` for `listenMulticast`).
 * @example
 * ```ts
 * import { DatagramProtocol } from 'twistless/protocol';
 *
 * class Echo extends DatagramProtocol {
 *   override datagramReceived(data: Buffer, addr: readonly [string, number]) {
 *     this.transport!.write(data, addr);
 *   }
 * }
 * console.log(new Echo().logPrefix()); // Echo
 * ```
 */
export class DatagramProtocol<T extends IUDPTransport = IUDPTransport> extends AbstractDatagramProtocol<T> {
  /** The prefix of log lines about this protocol: its class name. Port of `DatagramProtocol.logPrefix`. */
  logPrefix(): string {
    return this.constructor.name;
  }

  /**
   * A datagram a connected port sent earlier was refused (an ICMP port unreachable came back):
   * nothing listens at the peer. The port stays open. Port of `DatagramProtocol.connectionRefused`.
   */
  connectionRefused(): void {}
}
