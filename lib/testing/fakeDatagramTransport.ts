// Port of twisted.internet.testing.FakeDatagramTransport (Twisted 22.4), grown into an
// IUDPTransport so that a DatagramProtocol can be connected to it. Covered by
// spec/testing/fakeDatagramTransport.spec.ts.
import { IPv4Address, type IPv6Address } from '../address/address.js';
import { Deferred } from '../defer/deferred.js';
import { checkBytes } from '../protocol/errors.js';
import type { DatagramAddress, IUDPTransport } from '../protocol/datagramInterfaces.js';

/**
 * A UDP transport in memory: `write` records `[packet, addr]` in `written` (addr undefined when
 * none was given, Twisted's `noAddr`) and sends nothing. Port of
 * `twisted.internet.testing.FakeDatagramTransport`; twistless adds the rest of IUDPTransport
 * (`connect` records `connectedAddr`, `stopListening` sets `stopped`), so
 * `protocol.makeConnection(new FakeDatagramTransport())` works.
 *
 * @example
 * ```ts
 * import { DatagramProtocol } from 'twistless/protocol';
 * import { FakeDatagramTransport } from 'twistless/testing';
 *
 * class Echo extends DatagramProtocol {
 *   override datagramReceived(data: Buffer, addr: readonly [string, number]) {
 *     this.transport!.write(data, addr);
 *   }
 * }
 * const proto = new Echo();
 * const transport = new FakeDatagramTransport();
 * proto.makeConnection(transport);
 * proto.datagramReceived(Buffer.from('ping'), ['10.0.0.1', 5353]);
 * console.log(transport.written[0]![0].toString(), transport.written[0]![1]); // ping [ '10.0.0.1', 5353 ]
 * ```
 */
export class FakeDatagramTransport implements IUDPTransport {
  /** Every write: `[packet, addr]`, addr undefined when none was given. */
  readonly written: Array<[packet: Buffer, addr: DatagramAddress | undefined]>;
  /** The `[host, port]` of `connect()`, or null. */
  connectedAddr: DatagramAddress | null;
  /** True once `stopListening()` was called. */
  stopped: boolean;
  /** What `getBroadcastAllowed()` says. */
  broadcastAllowed: boolean;
  /** What `getHost()` returns. */
  host: IPv4Address | IPv6Address;

  constructor(host: IPv4Address | IPv6Address = new IPv4Address('UDP', '0.0.0.0', 0)) {
    this.written = [];
    this.connectedAddr = null;
    this.stopped = false;
    this.broadcastAllowed = false;
    this.host = host;
  }

  /**
   * Record `[packet, addr]`. Port of `FakeDatagramTransport.write`.
   *
   * @throws DataNotBytesError when `packet` is not bytes
   */
  write(packet: Uint8Array, addr?: DatagramAddress | null): void {
    checkBytes('write()', packet);
    this.written.push([Buffer.from(packet), addr ?? undefined]);
  }

  /** Record the concatenation as one write. */
  writeSequence(seq: Iterable<Uint8Array>, addr?: DatagramAddress | null): void {
    const parts: Uint8Array[] = [];
    for (const p of seq) {
      checkBytes('writeSequence()', p);
      parts.push(p);
    }
    this.write(Buffer.concat(parts), addr);
  }

  /** Record the peer. */
  connect(host: string, port: number): void {
    this.connectedAddr = [host, port];
  }

  /** The address given to the constructor (`IPv4Address('UDP', '0.0.0.0', 0)` by default). */
  getHost(): IPv4Address | IPv6Address {
    return this.host;
  }

  /** Set `stopped`; returns an already fired Deferred. */
  stopListening(): Deferred<void> {
    this.stopped = true;
    const d = new Deferred<void>();
    d.callback(undefined);
    return d;
  }

  /** Record the setting. */
  setBroadcastAllowed(enabled: boolean): void {
    this.broadcastAllowed = Boolean(enabled);
  }

  /** The setting recorded. */
  getBroadcastAllowed(): boolean {
    return this.broadcastAllowed;
  }
}
