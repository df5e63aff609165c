// Port of the datagram (UDP and multicast) interfaces of twisted.internet.interfaces (Twisted
// 22.4) as TypeScript interfaces. Types only; covered by spec/internet/udp.spec.ts,
// spec/internet/multicast.spec.ts and spec/types.
import type { Deferred } from '../defer/deferred.js';
import type { IPv4Address, IPv6Address } from '../address/address.js';
import type { IListeningPort } from './interfaces.js';

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

