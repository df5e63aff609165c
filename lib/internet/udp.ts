// Port of twisted.internet.udp (Twisted 22.4): Port (listenUDP), over Node's dgram module
// (MulticastPort and listenMulticast are in multicast.ts; the synchronous bind and the address
// rules in udpSocket.ts). Covered by spec/internet/udp.spec.ts, spec/internet/multicast.spec.ts,
// spec/internet/udpErrors.spec.ts and spec/internet/udpProperties.spec.ts.
//
// Sends pass one shared callback: Node drops the error of a send without one.
import * as dgram from 'node:dgram';
import { Deferred } from '../defer/deferred.js';
import { Failure } from '../failure/failure.js';
import * as log from '../log/log.js';
import type { IPv4Address, IPv6Address } from '../address/address.js';
import { MessageLengthError } from '../error/errors.js';
import { socketErrorFromNode, type NodeSystemError } from '../error/systemErrors.js';
import { checkBytes } from '../protocol/errors.js';
import type { DatagramAddress, IDatagramProtocol, ListenUDPOptions } from '../protocol/datagramInterfaces.js';
import { logFailure, logPrefixOf, selectablesOf, type IOReactor, type Selectable } from './base.js';
import { AlreadyConnectedError, DatagramAddressError, InvalidPortError, PortNotBoundError } from './errors.js';
import { checkPort } from './tcp.js';
import {
  bindUDP,
  checkConnectHost,
  checkOptions,
  checkProtocol,
  destinationIP,
  literalLookup,
  maxDatagram,
  socketTypeOf,
} from './udpSocket.js';

export type { ListenMulticastOptions, ListenUDPOptions } from '../protocol/datagramInterfaces.js';

/** An IPv4 or IPv6 UDP address. */
export type UDPAddress = IPv4Address | IPv6Address;

/**
 * A UDP port: bound inside `listenUDP`, it is the protocol's transport. Port of
 * `twisted.internet.udp.Port` (an IListeningPort and IUDPTransport).
 *
 * Differences from Twisted: a send error other than a too-long datagram (checked before
 * sending) arrives after `write()` returned, so it is logged instead of raised; ECONNREFUSED on
 * a connected port always calls `connectionRefused()` and keeps the port open, as the select
 * and asyncio reactors do (the epoll reactor closes the port).
 */
export class Port implements Selectable {
  /** The port number asked for (0: any). */
  readonly port: number;
  /** The protocol datagrams go to. */
  readonly protocol: IDatagramProtocol;
  /** Longer datagrams are cut to this many bytes. */
  readonly maxPacketSize: number;
  /** The interface asked for ('' means 0.0.0.0). */
  readonly interface: string;
  /** The reactor. */
  readonly reactor: IOReactor;
  /** True while bound (Twisted's `connected`: "listening"). */
  connected: boolean;
  /** @internal 'udp4' or 'udp6'. */
  readonly _type: 'udp4' | 'udp6';
  /** @internal */
  _socket: dgram.Socket | null;
  /** @internal false once stopListening() was called: later datagrams are dropped, as Twisted stops reading. */
  _reading: boolean;
  /** @internal the bound port number, or null when not bound. */
  _realPort: number | null;
  /** @internal */
  _address: UDPAddress | null;
  /** @internal the peer of connect(). */
  _connectedAddr: DatagramAddress | null;
  /** @internal */
  _broadcast: boolean;
  /** @internal the stopListening() Deferred while it is pending. */
  _stopping: Deferred<void> | null;
  /** @internal */
  readonly _logstr: string;
  /** @internal the last destination host write() accepted, and the address it sends to. */
  _lastHost: string | null;
  /** @internal */
  _lastIP: string;
  /** @internal */
  readonly _onMessage: (msg: Buffer, rinfo: dgram.RemoteInfo) => void;
  /** @internal */
  readonly _onError: (err: NodeJS.ErrnoException) => void;
  /** @internal */
  readonly _onSent: (err: NodeJS.ErrnoException | null) => void;

  /**
   * @throws InvalidAddressError when `iface` is not '' nor an IPv4 or IPv6 literal
   */
  constructor(port: number, protocol: IDatagramProtocol, iface: string, maxPacketSize: number, reactor: IOReactor) {
    this.port = port;
    this.protocol = protocol;
    this.maxPacketSize = maxPacketSize;
    this.interface = iface;
    this.reactor = reactor;
    this.connected = false;
    this._type = socketTypeOf(iface);
    this._socket = null;
    this._reading = false;
    this._realPort = null;
    this._address = null;
    this._connectedAddr = null;
    this._broadcast = false;
    this._stopping = null;
    this._logstr = `${logPrefixOf(protocol)} (UDP)`;
    this._lastHost = null;
    this._lastIP = '';
    this._onMessage = (msg, rinfo) => this._received(msg, rinfo);
    this._onError = (err) => this._error(err);
    this._onSent = (err) => {
      if (err !== null && err !== undefined) this._sendFailed(err);
    };
  }

  /** @internal the dgram options (the multicast port adds reuseAddr). */
  _socketOptions(): dgram.SocketOptions {
    return { type: this._type, lookup: literalLookup as unknown as dgram.SocketOptions['lookup'] };
  }

  /**
   * Bind the socket and connect the protocol (`makeConnection`, so `startProtocol` runs before
   * `listenUDP` returns). Port of `Port.startListening`.
   *
   * @throws CannotListenError when the bind fails (the address is in use, not local, ...)
   */
  startListening(): void {
    this._bindSocket();
    this._connectToProtocol();
  }

  /** @internal Port of `Port._bindSocket`. */
  _bindSocket(): void {
    const { socket, address } = bindUDP(this._socketOptions(), this.interface, this.port);
    socket.on('error', this._onError);
    this._socket = socket;
    this._realPort = address.port;
    this._address = address;
    log.msg(`${logPrefixOf(this.protocol)} starting on ${address.port}`);
    this.connected = true;
    this._reading = true;
    selectablesOf(this.reactor).add(this);
    socket.on('message', this._onMessage);
  }

  /**
   * @internal Port of `Port._connectToProtocol`: what makeConnection (startProtocol) throws
   * escapes listenUDP as in Twisted, but the socket is closed first (Twisted leaves it bound).
   */
  _connectToProtocol(): void {
    try {
      this.protocol.makeConnection(this as never);
    } catch (e) {
      this.connected = false;
      this._reading = false;
      this._realPort = null;
      selectablesOf(this.reactor).delete(this);
      const socket = this._socket;
      this._socket = null;
      if (socket !== null) socket.close();
      throw e;
    }
  }

  /**
   * A Deferred that fires with this port: at once, since UDP binds inside `listenUDP`. For code
   * written for listenTCP's ports. twistless-only.
   *
   * @returns a Deferred already fired with this port (or failed with PortNotBoundError once stopped)
   */
  whenListening(): Deferred<this> {
    const d = new Deferred<this>();
    if (this.connected) d.callback(this);
    else d.errback(new Failure(new PortNotBoundError(`UDP port ${this.port} is no longer listening`)));
    return d;
  }

  /** @internal a datagram. Port of `Port.doRead`'s loop body. */
  _received(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (!this._reading) return;
    // recvfrom(maxPacketSize) keeps the first maxPacketSize bytes and drops the rest.
    const data = msg.length > this.maxPacketSize ? msg.subarray(0, this.maxPacketSize) : msg;
    try {
      this.protocol.datagramReceived(data, [rinfo.address, rinfo.port]);
    } catch (e) {
      logFailure(e);
    }
  }

  /** @internal an 'error' event of the socket. Port of `Port.doRead`'s error handling. */
  _error(err: NodeJS.ErrnoException): void {
    if (!this.connected) return;
    const code = err.code;
    if (code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR') return;
    if (code === 'ECONNREFUSED') {
      if (this._connectedAddr !== null) this._refused();
      return;
    }
    // Twisted's reactor logs what doRead raised and disconnects the port with it.
    const f = logFailure(socketErrorFromNode(err), `UDP port ${String(this._realPort)} read failed; the port is closed`);
    this._connectionLost(f);
  }

  /** @internal */
  _refused(): void {
    const p = this.protocol;
    if (typeof p.connectionRefused !== 'function') return;
    try {
      p.connectionRefused();
    } catch (e) {
      logFailure(e);
    }
  }

  /** @internal a send that failed after write() returned. Port of `Port.write`'s error handling. */
  _sendFailed(err: NodeJS.ErrnoException): void {
    const code = err.code;
    if (code === 'ECONNREFUSED') {
      if (this._connectedAddr !== null && this.connected) this._refused();
      return;
    }
    if (code === 'ECANCELED' && !this.connected) return;
    const error: unknown = code === 'EMSGSIZE' ? new MessageLengthError('message too long') : socketErrorFromNode(err);
    logFailure(error, `UDP write from port ${String(this._realPort)} failed`);
  }

  /** @internal */
  _liveSocket(what: string): dgram.Socket {
    const s = this._socket;
    if (s === null) throw new PortNotBoundError(`${what}: UDP port ${this.port} is no longer listening`);
    return s;
  }

  /**
   * Send one datagram: to `addr`, or to the connected peer (`addr` omitted, null or equal to
   * it). Port of `Port.write`.
   *
   * @param datagram - the bytes (at most 65507 for IPv4, 65527 for IPv6).
   * @param addr - `[host, port]`, an IP literal (or '<broadcast>' for 255.255.255.255).
   * @throws DataNotBytesError when `datagram` is not bytes
   * @throws DatagramAddressError without `addr` on a port not connected, or with another peer on one that is (Twisted: AssertionError)
   * @throws InvalidAddressError for a host name, or an address of the other IP family
   * @throws MessageLengthError for a datagram too long for UDP
   * @throws InvalidPortError for a port outside 1..65535
   * @throws PortNotBoundError once the port is closed
   */
  write(datagram: Uint8Array, addr?: DatagramAddress | null): void {
    checkBytes('write()', datagram);
    const socket = this._liveSocket('write()');
    const max = maxDatagram(this._type);
    const connected = this._connectedAddr;
    if (connected !== null) {
      if (addr !== undefined && addr !== null && (addr[0] !== connected[0] || addr[1] !== connected[1])) {
        throw new DatagramAddressError(`write(): this port is connected to [${connected[0]}, ${connected[1]}] and sends only there, not to [${String(addr[0])}, ${String(addr[1])}]; omit the address`);
      }
      if (datagram.length > max) throw new MessageLengthError('message too long');
      socket.send(datagram, this._onSent);
      return;
    }
    if (addr === undefined || addr === null) {
      throw new DatagramAddressError('write(): this port is not connected, so each datagram needs its destination: write(data, [host, port]), or connect(host, port) first');
    }
    if (!Array.isArray(addr)) throw new DatagramAddressError(`write(): the address must be [host, port], got ${typeof addr}`);
    const host = addr[0];
    // The last host checked is remembered: a protocol mostly writes to the same few peers.
    const ip = host === this._lastHost ? this._lastIP : this._checkHost(host);
    const port = addr[1];
    if (!(typeof port === 'number' && port > 0 && port <= 65535 && Number.isInteger(port))) {
      checkPort(port, 'write(data, [host, port])');
      throw new InvalidPortError('write(data, [host, port]): the destination port must be an integer from 1 to 65535, got 0');
    }
    if (datagram.length > max) throw new MessageLengthError('message too long');
    socket.send(datagram, port, ip, this._onSent);
  }

  /** @internal check a destination host of write(); returns the address to send to. */
  _checkHost(host: unknown): string {
    const ip = destinationIP(host, this._type);
    this._lastHost = host as string;
    this._lastIP = ip;
    return ip;
  }

  /**
   * Send the concatenation of `seq` as one datagram. Port of `Port.writeSequence`.
   *
   * @param seq - the pieces.
   * @param addr - as for `write`.
   * @throws as `write` does
   */
  writeSequence(seq: Iterable<Uint8Array>, addr?: DatagramAddress | null): void {
    const parts: Uint8Array[] = [];
    for (const part of seq) {
      checkBytes('writeSequence()', part);
      parts.push(part);
    }
    this.write(Buffer.concat(parts), addr);
  }

  /**
   * Connect to one peer: `write(data)` goes there, only its datagrams arrive, and an ICMP port
   * unreachable for a datagram sent earlier calls `protocol.connectionRefused()`. Port of
   * `Port.connect`.
   *
   * @param host - an IP literal of the port's family.
   * @param port - the peer's port.
   * @throws AlreadyConnectedError when already connected (Twisted: RuntimeError)
   * @throws InvalidAddressError for a host name, or an address of the other IP family
   * @throws InvalidPortError for a port outside 1..65535
   */
  connect(host: string, port: number): void {
    if (this._connectedAddr !== null) throw new AlreadyConnectedError('already connected, reconnecting is not currently supported');
    checkConnectHost(host, this._type);
    if (checkPort(port, 'connect(host, port)') === 0) throw new InvalidPortError('connect(host, port): the port must be an integer from 1 to 65535, got 0');
    const socket = this._liveSocket('connect()');
    this._connectedAddr = [host, port];
    socket.connect(port, host, (err?: Error) => {
      if (err !== undefined && err !== null) logFailure(socketErrorFromNode(err as NodeSystemError), `UDP connect(${host}, ${port}) failed`);
    });
  }

  /** @internal */
  _loseConnection(): void {
    this._reading = false;
    if (this.connected) this.reactor.callLater(0, () => this._connectionLost(null));
  }

  /**
   * Stop listening: datagrams stop at once; on a later turn the socket closes, the protocol's
   * `doStop()` runs (`stopProtocol` on its last port) and the Deferred fires. Port of
   * `Port.stopListening`.
   *
   * @returns the Deferred (the same one while pending), or null when not listening
   */
  stopListening(): Deferred<void> | null {
    if (this._stopping !== null) return this._stopping;
    if (!this.connected) return null;
    const d = new Deferred<void>();
    this._stopping = d;
    this._loseConnection();
    return d;
  }

  /** Alias of stopListening() (Twisted's is deprecated). Port of `Port.loseConnection`. */
  loseConnection(): Deferred<void> | null {
    return this.stopListening();
  }

  /** @internal Port of `Port.connectionLost`. */
  _connectionLost(reason: Failure | null): void {
    void reason;
    if (!this.connected) return;
    log.msg(`(UDP Port ${String(this._realPort)} Closed)`);
    this._realPort = null;
    this.connected = false;
    this._reading = false;
    selectablesOf(this.reactor).delete(this);
    let failure: Failure | null = null;
    try {
      this.protocol.doStop();
    } catch (e) {
      failure = logFailure(e);
    }
    const socket = this._socket;
    this._socket = null;
    if (socket !== null) socket.close();
    const d = this._stopping;
    this._stopping = null;
    if (d !== null) {
      if (failure !== null) d.errback(failure);
      else d.callback(undefined);
    }
  }

  /** @internal reactor.stop(). */
  _disconnectNow(reason: Failure): void {
    this._connectionLost(reason);
  }

  /** "<Protocol> (UDP)". Port of `Port.logPrefix`. */
  logPrefix(): string {
    return this._logstr;
  }

  /**
   * The bound address: `IPv4Address('UDP', host, port)`, or IPv6Address for an IPv6 interface.
   * Port of `Port.getHost`.
   *
   * @throws PortNotBoundError once the port is closed (Twisted: AttributeError)
   */
  getHost(): UDPAddress {
    if (this._address === null || this._socket === null) throw new PortNotBoundError(`getHost(): UDP port ${this.port} is no longer listening`);
    return this._address;
  }

  /** The Node dgram socket (null once closed). Port of `Port.getHandle`. */
  getHandle(): dgram.Socket | null {
    return this._socket;
  }

  /**
   * Allow (or forbid) sending to broadcast addresses. Port of `Port.setBroadcastAllowed`.
   *
   * @param enabled - whether to allow it.
   */
  setBroadcastAllowed(enabled: boolean): void {
    this._liveSocket('setBroadcastAllowed()').setBroadcast(Boolean(enabled));
    this._broadcast = Boolean(enabled);
  }

  /**
   * Whether broadcast is allowed (Node cannot read socket options back: this is the value last
   * set, false at first, as the socket starts). Port of `Port.getBroadcastAllowed`.
   */
  getBroadcastAllowed(): boolean {
    return this._broadcast;
  }

  /** `<Protocol on 4242>`, or `<Protocol not connected>`. Port of `Port.__repr__`. */
  toString(): string {
    const name = this.protocol.constructor?.name ?? 'DatagramProtocol';
    if (this._realPort !== null) return `<${name} on ${this._realPort}>`;
    return `<${name} not connected>`;
  }
}

/**
 * listenUDP's body: validate, build the Port, bind it and connect the protocol. Port of
 * `PosixReactorBase.listenUDP`.
 *
 * @internal the reactor's method calls it.
 */
export function listenUDP(reactor: IOReactor, port: number, protocol: IDatagramProtocol, options: ListenUDPOptions = {}): Port {
  checkPort(port, 'listenUDP(port, protocol)');
  checkProtocol(protocol, 'listenUDP(port, protocol)');
  const { iface, maxPacketSize } = checkOptions(options, 'listenUDP');
  const p = new Port(port, protocol, iface, maxPacketSize, reactor);
  p.startListening();
  return p;
}
