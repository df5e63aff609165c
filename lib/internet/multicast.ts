// Port of twisted.internet.udp's MulticastPort (Twisted 22.4): listenMulticast's port, a UDP
// Port (udp.ts) that also joins groups and sets the multicast options. Covered by
// spec/internet/multicast.spec.ts.
import * as dgram from 'node:dgram';
import * as dns from 'node:dns';
import * as net from 'node:net';
import { Deferred } from '../defer/deferred.js';
import { Failure } from '../failure/failure.js';
import { MulticastJoinError } from '../error/errors.js';
import { errnoOf, socketErrorFromNode, type NodeSystemError } from '../error/systemErrors.js';
import type { IDatagramProtocol, ListenMulticastOptions } from '../protocol/datagramInterfaces.js';
import type { IOReactor } from './base.js';
import { InvalidSocketOptionError } from './errors.js';
import { checkPort } from './tcp.js';
import { Port } from './udp.js';
import { checkOptions, checkProtocol } from './udpSocket.js';

/** What a host name or literal resolves to for the multicast calls (Twisted's reactor.resolve: IPv4). */
function resolve4(name: string): Deferred<string> {
  const d = new Deferred<string>();
  if (name === '' || net.isIP(name) !== 0) {
    d.callback(name);
    return d;
  }
  dns.lookup(name, { family: 4 }, (err, address) => {
    if (err !== null) d.errback(new Failure(err));
    else d.callback(address);
  });
  return d;
}

/**
 * A UDP port that does multicast. Port of `twisted.internet.udp.MulticastPort` (with
 * `MulticastMixin`).
 *
 * Node cannot read socket options back, so `getTTL`, `getLoopbackMode` and
 * `getOutgoingInterface` give the value last set, starting from the system's defaults
 * (1, 1 and '0.0.0.0'). `MulticastJoinError`'s arguments are the group and interface as strings
 * (Twisted's are their packed bytes), then the errno and its text.
 */
export class MulticastPort extends Port {
  /** Whether other sockets may bind the same port (SO_REUSEADDR). */
  readonly listenMultiple: boolean;
  /** @internal */
  _ttl: number;
  /** @internal */
  _loopback: number;
  /** @internal */
  _outgoing: string;

  constructor(port: number, protocol: IDatagramProtocol, iface: string, maxPacketSize: number, reactor: IOReactor, listenMultiple: boolean) {
    super(port, protocol, iface, maxPacketSize, reactor);
    this.listenMultiple = listenMultiple;
    this._ttl = 1;
    this._loopback = 1;
    this._outgoing = this._type === 'udp6' ? '::' : '0.0.0.0';
  }

  override _socketOptions(): dgram.SocketOptions {
    const options = super._socketOptions();
    if (this.listenMultiple) options.reuseAddr = true;
    return options;
  }

  /** The interface multicast datagrams leave by. Port of `MulticastMixin.getOutgoingInterface`. */
  getOutgoingInterface(): string {
    return this._outgoing;
  }

  /**
   * Send multicast datagrams by the interface of address `addr` (a name is resolved to IPv4).
   * Port of `MulticastMixin.setOutgoingInterface`.
   *
   * @param addr - the interface's address.
   * @returns a Deferred firing with 1 once set, or failing with a SocketError (an address of no local interface: EADDRNOTAVAIL)
   */
  setOutgoingInterface(addr: string): Deferred<number> {
    return resolve4(addr).addCallback((ip: string) => {
      const socket = this._liveSocket('setOutgoingInterface()');
      try {
        socket.setMulticastInterface(ip);
      } catch (e) {
        // Twisted's setsockopt raises OSError into the Deferred: the same, as a SocketError.
        throw (e as NodeSystemError).code !== undefined ? socketErrorFromNode(e as NodeSystemError) : e;
      }
      this._outgoing = ip;
      return 1;
    });
  }

  /** 1 when multicast datagrams loop back to this host, else 0. Port of `MulticastMixin.getLoopbackMode`. */
  getLoopbackMode(): number {
    return this._loopback;
  }

  /**
   * Loop this host's multicast datagrams back to its own sockets (truthy) or not.
   * Port of `MulticastMixin.setLoopbackMode`.
   *
   * @param mode - true/1 or false/0.
   */
  setLoopbackMode(mode: boolean | number): void {
    const on = Boolean(mode);
    this._liveSocket('setLoopbackMode()').setMulticastLoopback(on);
    this._loopback = on ? 1 : 0;
  }

  /** The time-to-live of multicast datagrams. Port of `MulticastMixin.getTTL`. */
  getTTL(): number {
    return this._ttl;
  }

  /**
   * Set the time-to-live of multicast datagrams. Port of `MulticastMixin.setTTL`.
   *
   * @param ttl - an integer from 0 to 255.
   * @throws InvalidSocketOptionError outside 0..255 (Twisted: struct.error)
   */
  setTTL(ttl: number): void {
    if (!Number.isInteger(ttl) || ttl < 0 || ttl > 255) throw new InvalidSocketOptionError(`setTTL(): the multicast TTL must be an integer from 0 to 255, got ${String(ttl)}`);
    this._liveSocket('setTTL()').setMulticastTTL(ttl);
    this._ttl = ttl;
  }

  /**
   * Join the multicast group `addr` on the interface of address `iface` ('' lets the system
   * choose); names are resolved to IPv4. Port of `MulticastMixin.joinGroup`.
   *
   * @param addr - the group address.
   * @param iface - the local interface's address (default '').
   * @returns a Deferred that fires once joined, or fails with MulticastJoinError
   */
  joinGroup(addr: string, iface: string = ''): Deferred<void> {
    return this._membership(addr, iface, true);
  }

  /**
   * Leave the multicast group `addr`. Port of `MulticastMixin.leaveGroup`.
   *
   * @param addr - the group address.
   * @param iface - the local interface's address (default '').
   * @returns a Deferred that fires once left, or fails with MulticastJoinError
   */
  leaveGroup(addr: string, iface: string = ''): Deferred<void> {
    return this._membership(addr, iface, false);
  }

  /** @internal Port of `MulticastMixin._joinAddr1` and `_joinAddr2`. */
  _membership(addr: string, iface: string, join: boolean): Deferred<void> {
    return resolve4(addr).addCallback((group: string) =>
      resolve4(iface).addCallback((local: string) => {
        const socket = this._liveSocket(join ? 'joinGroup()' : 'leaveGroup()');
        try {
          if (join) socket.addMembership(group, local === '' ? undefined : local);
          else socket.dropMembership(group, local === '' ? undefined : local);
        } catch (e) {
          const { errno, strerror } = errnoOf(e as NodeSystemError);
          return new Failure(new MulticastJoinError(group, local === '' ? '0.0.0.0' : local, errno, strerror));
        }
        return undefined;
      }),
    ) as unknown as Deferred<void>;
  }
}

/**
 * listenMulticast's body. Port of `PosixReactorBase.listenMulticast`.
 *
 * @internal the reactor's method calls it.
 */
export function listenMulticast(reactor: IOReactor, port: number, protocol: IDatagramProtocol, options: ListenMulticastOptions = {}): MulticastPort {
  checkPort(port, 'listenMulticast(port, protocol)');
  checkProtocol(protocol, 'listenMulticast(port, protocol)');
  const { iface, maxPacketSize } = checkOptions(options, 'listenMulticast');
  const p = new MulticastPort(port, protocol, iface, maxPacketSize, reactor, options.listenMultiple === true);
  p.startListening();
  return p;
}
