// Port of twisted.internet.tcp.Port's listening machinery (Twisted 22.4), shared by the TCP and
// UNIX ports: the asynchronous bind and whenListening(), the accept loop, stopListening().
// Each kind (tcp.ts's Port, unix.ts's UNIXPort) says how it binds and what it builds.
// Covered by spec/internet/tcp.spec.ts and spec/internet/unix.spec.ts.
//
// Node binds a listening socket on a later tick (it looks the host up even for an IP literal),
// so listenTCP returns a Port at once and `port.whenListening()` fires once it is bound, or fails
// with CannotListenError; a bind failure nobody waits for is logged, never silent.
import * as net from 'node:net';
import { Deferred } from '../defer/deferred.js';
import { Failure } from '../failure/failure.js';
import * as log from '../log/log.js';
import { CannotListenError } from '../error/errors.js';
import type { IAddress } from '../protocol/interfaces.js';
import { logFailure, logPrefixOf, selectablesOf, type IOReactor, type Selectable } from './base.js';
import { PortNotBoundError } from './errors.js';
import type { StreamProtocol, StreamTransport } from './stream.js';

/** The factory a listening port drives (Twisted's IProtocolFactory, duck-typed). */
export interface ServerFactory {
  buildProtocol(addr: never): StreamProtocol | null | undefined;
  doStart(): void;
  doStop(): void;
}

/**
 * A listening stream socket (the TCP and UNIX ports share it): built at once, bound on a later
 * tick (see `whenListening()`). Port of `twisted.internet.tcp.Port` (an IListeningPort).
 */
export abstract class StreamPort<A extends IAddress> implements Selectable {
  /** The port number asked for (0: any). */
  readonly port: number;
  /** The factory building a protocol per connection. */
  readonly factory: ServerFactory;
  /** The listen backlog. */
  readonly backlog: number;
  /** The interface asked for ('' means 0.0.0.0). Port of `Port.interface`. */
  readonly interface: string;
  /** True while bound and listening. */
  connected: boolean;
  /** True once stopListening() was called. */
  disconnecting: boolean;
  /** The number of the next connection. */
  sessionno: number;
  /** The reactor. */
  readonly reactor: IOReactor;
  /** @internal the bound port number (0 until bound; the path for UNIX). */
  _realPort: number | string;
  /** @internal */
  _server: net.Server | null;
  /** @internal */
  _address: A | null;
  /** @internal the bind failure, once it happened. */
  _bindFailure: Failure | null;
  /** @internal whenListening() callers waiting for the bind. */
  _waiters: Deferred<StreamPort<A>>[] | null;
  /** @internal true once some caller asked whenListening() (a bind failure is then theirs to see). */
  _watched: boolean;
  /** @internal the stopListening() Deferred while it is pending. */
  _stopping: Deferred<void> | null;
  /** @internal */
  readonly _onConnection: (socket: net.Socket) => void;

  constructor(port: number, factory: ServerFactory, backlog: number, iface: string, reactor: IOReactor) {
    this.port = port;
    this.factory = factory;
    this.backlog = backlog;
    this.interface = iface;
    this.connected = false;
    this.disconnecting = false;
    this.sessionno = 0;
    this.reactor = reactor;
    this._realPort = 0;
    this._server = null;
    this._address = null;
    this._bindFailure = null;
    this._waiters = [];
    this._watched = false;
    this._stopping = null;
    this._onConnection = (socket) => this._accept(socket);
  }

  /**
   * Start binding (listenTCP calls it). Node binds on a later tick: then the factory's doStart()
   * runs and `whenListening()` fires. Port of `Port.startListening`.
   */
  startListening(): void {
    // Accepted paused: the transport moves the socket's handle into one that reads through onread.
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true });
    this._server = server;
    server.on('error', (err: NodeJS.ErrnoException) => this._serverError(err));
    server.on('connection', this._onConnection);
    server.once('listening', () => this._bound());
    this._listen(server);
  }

  /** @internal bind and listen. */
  abstract _listen(server: net.Server): void;

  /** @internal the bound address and port (a path for UNIX). */
  abstract _boundAddress(server: net.Server): { address: IAddress; port: number | string };

  /** @internal the peer address of an accepted socket. */
  abstract _peerOf(socket: net.Socket): IAddress;

  /** @internal the transport of an accepted socket. */
  abstract _newTransport(socket: net.Socket, protocol: StreamProtocol, sessionno: number, peer: IAddress): StreamTransport;

  /** @internal the log line when the port closes. */
  abstract _closedMessage(): string;

  /** @internal the bind failure as the port's kind reports it. */
  abstract _cannotListen(err: NodeJS.ErrnoException): CannotListenError;

  /** @internal after the bind (UNIX: chmod). */
  _afterBound(): void {}

  /** @internal after the port closed (UNIX: release the lock file). */
  _afterClosed(): void {}

  /**
   * A Deferred that fires with this port once it is bound (at once if it is), or fails with
   * CannotListenError. twistless-only: Twisted binds inside listenTCP.
   *
   * @returns a new Deferred per call
   */
  whenListening(): Deferred<this> {
    this._watched = true;
    if (this._bindFailure !== null) {
      const d = new Deferred<this>();
      d.errback(this._bindFailure);
      return d;
    }
    if (this.connected || this._waiters === null) return succeedWith(this);
    const d = new Deferred<this>();
    this._waiters.push(d as Deferred<StreamPort<A>>);
    return d;
  }

  /** @internal */
  _bound(): void {
    const server = this._server;
    if (server === null) return;
    if (this.disconnecting) {
      // stopListening() came before the bind finished.
      server.close();
      this._failWaiters(new Failure(new CannotListenError(this.interface, this.port, 'stopListening() was called before the port was bound')), false);
      return;
    }
    const bound = this._boundAddress(server);
    this._realPort = bound.port;
    this._address = bound.address as A;
    this.connected = true;
    this._afterBound();
    selectablesOf(this.reactor).add(this);
    log.msg(`${logPrefixOf(this.factory)} starting on ${this._realPort}`);
    try {
      this.factory.doStart();
    } catch (e) {
      logFailure(e);
    }
    const waiters = this._waiters!;
    this._waiters = null;
    for (const d of waiters) d.callback(this);
  }

  /** @internal */
  _serverError(err: NodeJS.ErrnoException): void {
    if (this.connected) {
      // An accept error (EMFILE...) on a bound server: Twisted logs it and keeps listening.
      log.err(err, `${logPrefixOf(this.factory)}: error while accepting on port ${this._realPort}`);
      return;
    }
    if (this._waiters === null) return;
    const server = this._server;
    this._server = null;
    if (server !== null) server.close();
    const failure = new Failure(this._cannotListen(err));
    this._failWaiters(failure, true);
  }

  /** @internal */
  _failWaiters(failure: Failure, logIfUnwatched: boolean): void {
    this._bindFailure = failure;
    const waiters = this._waiters ?? [];
    this._waiters = null;
    if (logIfUnwatched && !this._watched) log.err(failure, `listenTCP(${this.port}, interface=${JSON.stringify(this.interface)}) failed; use port.whenListening() or an endpoint to handle it`);
    for (const d of waiters) d.errback(failure);
  }

  /** @internal an accepted connection. Port of `Port.doRead`'s accept loop body. */
  _accept(socket: net.Socket): void {
    if (!this.connected || this.disconnecting) {
      socket.on('error', noop);
      socket.destroy();
      return;
    }
    const peer = this._peerOf(socket);
    let protocol: StreamProtocol | null | undefined;
    try {
      protocol = this.factory.buildProtocol(peer as never);
    } catch (e) {
      logFailure(e);
      socket.on('error', noop);
      socket.destroy();
      return;
    }
    if (protocol === null || protocol === undefined) {
      socket.on('error', noop);
      socket.destroy();
      return;
    }
    const transport = this._newTransport(socket, protocol, this.sessionno++, peer);
    transport._startReading();
    try {
      protocol.makeConnection(transport as never);
    } catch (e) {
      // As in Twisted, the connection stays open.
      logFailure(e);
    }
  }

  /**
   * Stop accepting connections; connections already open go on. Returns a Deferred that fires on
   * a later turn, after the factory's doStop(); the same Deferred while that is pending; null when
   * the port is already stopped. Port of `Port.stopListening` (`loseConnection`).
   *
   * @returns the Deferred, or null when there is nothing to stop
   */
  stopListening(): Deferred<void> | null {
    if (this._stopping !== null) return this._stopping;
    if (this.disconnecting || (!this.connected && this._waiters === null)) return null;
    this.disconnecting = true;
    const d = new Deferred<void>();
    this._stopping = d;
    const server = this._server;
    if (this.connected && server !== null) {
      server.close();
      this.reactor.callLater(0, () => this._connectionLost(d));
    } else {
      // Not bound yet: _bound() closes it; nothing was started, so nothing is stopped.
      this.reactor.callLater(0, () => {
        this._stopping = null;
        d.callback(undefined);
      });
    }
    return d;
  }

  /** Alias of stopListening(). Port of `Port.loseConnection`. */
  loseConnection(): Deferred<void> | null {
    return this.stopListening();
  }

  /** @internal */
  _connectionLost(d: Deferred<void> | null): void {
    if (!this.connected) return;
    selectablesOf(this.reactor).delete(this);
    this.connected = false;
    log.msg(this._closedMessage());
    const server = this._server;
    this._server = null;
    if (server !== null && server.listening) server.close();
    this._afterClosed();
    let failure: Failure | null = null;
    try {
      this.factory.doStop();
    } catch (e) {
      failure = logFailure(e);
    }
    this.disconnecting = false;
    this._stopping = null;
    if (d !== null) {
      if (failure !== null) d.errback(failure);
      else d.callback(undefined);
    }
  }

  /** @internal reactor.stop(). */
  _disconnectNow(_reason: Failure): void {
    this.disconnecting = true;
    this._connectionLost(this._stopping);
  }

  /**
   * The bound address: `IPv4Address('TCP', '0.0.0.0', port)` for interface '', IPv6Address for an
   * IPv6 interface. Port of `Port.getHost`.
   *
   * @throws PortNotBoundError before the bind (wait for `whenListening()`) and after stopListening()
   */
  getHost(): A {
    if (this._address === null || (!this.connected && !this.disconnecting)) {
      throw new PortNotBoundError(
        this._address === null
          ? `port ${this.port} is not bound yet: Node binds on a later tick; wait for port.whenListening() (or use an endpoint's listen())`
          : `port ${this._realPort} is no longer listening`,
      );
    }
    return this._address;
  }

  /** The factory's log prefix. Port of `Port.logPrefix`. */
  logPrefix(): string {
    return logPrefixOf(this.factory);
  }

  toString(): string {
    const name = this.factory.constructor?.name ?? 'Factory';
    if (this.connected) return `<TCPPort of ${name} on ${this._realPort}>`;
    return `<TCPPort of ${name} (not listening)>`;
  }
}

function noop(): void {}

function succeedWith<T>(value: T): Deferred<T> {
  const d = new Deferred<T>();
  d.callback(value);
  return d;
}
