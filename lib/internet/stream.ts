// Port of twisted.internet.tcp.Connection (Twisted 22.4) over a Node net.Socket: reading,
// loseConnection/abortConnection/half-close, the transport as a push producer of what it reads,
// and one connectionLost with the right Failure. The write buffer and the producer/consumer API
// are its base's, FileDescriptor (fileDescriptor.ts).
// Covered by spec/internet/tcp.spec.ts, spec/internet/connection.spec.ts and
// spec/internet/properties.spec.ts.
//
// How the Node socket is driven (each line is a Node trap this avoids):
// - writes collect here and are handed to the socket once per turn (process.nextTick), as
//   Twisted's reactor hands its buffer over in its next doWrite; "buffered", for pausing a push
//   producer, is those bytes plus the socket's writableLength;
// - loseConnection() keeps accepting writes until the buffer is handed over, then destroys the
//   socket (never write after end(): Node destroys the socket and drops its buffer);
// - every socket is opened with allowHalfOpen, so a peer's FIN is ours to handle: readConnectionLost()
//   for a protocol that defines it, else connectionLost(ConnectionDone) with pending writes dropped;
// - abortConnection() is resetAndDestroy() (an RST; destroy() would send a FIN);
// - 'error' is always listened to; every call into user code is guarded;
// - sockets read through `onread` into one buffer shared by every transport, and the protocol gets
//   a copy (it may keep it): Node's 'data' path allocates a Buffer and runs the stream machinery
//   per read. An accepted socket has no onread option, so the port accepts it paused and the
//   transport moves its handle into a socket that has one (`adoptAccepted`).
import * as net from 'node:net';
import type { Socket } from 'node:net';
import { Failure } from '../failure/failure.js';
import { ConnectionAborted, ConnectionDone, ConnectionLost } from '../error/connectionErrors.js';
import { logFailure, selectablesOf, type IOReactor, type Selectable } from './base.js';
import { FileDescriptor, guarded } from './fileDescriptor.js';

export { BUFFER_SIZE, type StreamProducer } from './fileDescriptor.js';
import { closeTLSSocket, isTLSSocket } from './tls.js';

/** What a transport needs of the protocol it drives (Twisted's IProtocol, duck-typed). */
export interface StreamProtocol {
  makeConnection(transport: never): void;
  dataReceived(data: Buffer): void;
  connectionLost(reason: Failure): void;
  /** IHalfCloseableProtocol: the peer will send no more (defining it opts in to half-close). */
  readConnectionLost?(): void;
  /** IHalfCloseableProtocol: our write half is shut down (after loseWriteConnection()). */
  writeConnectionLost?(): void;
}

// Every socket that reads through onread reads into this one buffer: reads are delivered one at a
// time on this thread, and each is copied out before the next.
const readBuffer = Buffer.allocUnsafe(65536);

/** The constructor options that make a socket read through `onread` (Node types them on connect() only). */
export function readIntoBufferOptions(callback: (n: number) => void): net.SocketConstructorOpts {
  return { allowHalfOpen: true, onread: { buffer: readBuffer, callback } } as net.SocketConstructorOpts;
}

/**
 * A connected stream socket (TCP or UNIX) as a Twisted transport: ITransport, ITCPTransport's
 * half-close and abort, IConsumer and IPushProducer. Subclasses add the addresses and the
 * TCP/UNIX specifics.
 *
 * Port of `twisted.internet.tcp.Connection`; the write buffer and producers are its base's
 * (fileDescriptor.ts).
 */
export abstract class StreamTransport extends FileDescriptor implements Selectable {
  /** The protocol this transport drives (null once the connection is lost). */
  protocol: StreamProtocol | null;
  /** @internal the peer's FIN arrived. */
  _readDisconnected: boolean;
  /** @internal reading paused by pauseProducing(). */
  _readPaused: boolean;
  /** @internal the socket reads through onread into the shared buffer (no 'data' listener). */
  _readsIntoBuffer: boolean;
  /** @internal the state setTcpNoDelay set (Node has no getter). */
  _noDelay: boolean;
  /** @internal the state setTcpKeepAlive set (Node has no getter). */
  _keepAlive: boolean;
  /** @internal bound socket listener (one allocation per connection, as the others). */
  readonly _onData: (data: Buffer) => void;
  /** @internal */
  readonly _onRead: (n: number) => void;
  /** @internal */
  readonly _onEnd: () => void;
  /** @internal */
  readonly _onError: (err: Error) => void;
  /** @internal */
  readonly _onClose: () => void;
  /** @internal */
  readonly _onFinish: () => void;

  constructor(reactor: IOReactor) {
    super(reactor);
    this.protocol = null;
    this._readDisconnected = false;
    this._readPaused = false;
    this._readsIntoBuffer = false;
    this._noDelay = false;
    this._keepAlive = false;
    this._onData = (data) => this._dataReceived(data);
    this._onRead = (n) => this._bytesRead(n);
    this._onEnd = () => this._readConnectionLost();
    this._onError = (err) => this._socketError(err);
    this._onClose = () => this._socketClosed();
    this._onFinish = () => this._writeFinished();
  }

  /**
   * @internal attach the socket's listeners (the 'error' one first, from birth). `readsIntoBuffer`:
   * the socket was built with `readIntoBufferOptions(this._onRead)`, so no 'data' listener is added.
   */
  _attach(socket: Socket, readsIntoBuffer = false): void {
    this._socket = socket;
    this._readsIntoBuffer = readsIntoBuffer;
    socket.on('error', this._onError);
    socket.on('close', this._onClose);
    socket.on('end', this._onEnd);
    socket.on('finish', this._onFinish);
  }

  /**
   * @internal move this transport to a socket that wraps its current one (TLS): the listeners
   * follow; the old socket keeps a noop 'error' listener (the wrapper reports errors).
   */
  _rebindSocket(socket: Socket): void {
    const old = this._socket;
    let reading = false;
    if (old !== null) {
      // A socket reading through onread has no 'data' listener: it reads once connected.
      reading = this._readsIntoBuffer ? this.connected : old.listeners('data').includes(this._onData);
      old.removeListener('data', this._onData);
      old.removeListener('close', this._onClose);
      old.removeListener('end', this._onEnd);
      old.removeListener('finish', this._onFinish);
      old.removeListener('error', this._onError);
    }
    this._attach(socket);
    if (reading) socket.on('data', this._onData);
    if (this._readPaused) socket.pause();
  }

  /** @internal start delivering data to the protocol and count this connection for reactor.stop(). */
  _startReading(): void {
    selectablesOf(this.reactor).add(this);
    const socket = this._socket;
    if (socket !== null && !socket.destroyed && !this._readsIntoBuffer) socket.on('data', this._onData);
  }

  /**
   * @internal attach a socket a port accepted paused (`pauseOnConnect`): its handle moves into a
   * socket that reads through onread; when that is not possible it reads through 'data'.
   */
  _adopt(accepted: Socket): void {
    // A TLS socket reads through its own wrap, and stays paused until its peer is verified.
    if (isTLSSocket(accepted)) {
      this._attach(accepted);
      return;
    }
    const moved = adoptAccepted(accepted, this._onRead);
    if (moved !== null) {
      this._attach(moved, true);
      return;
    }
    this._attach(accepted);
    accepted.resume();
  }

  // ------------------------------------------------------------------ ITransport

  /**
   * Drop the connection at once: discard what is buffered and send an RST. connectionLost
   * (ConnectionAborted) follows on a later turn; the peer sees ConnectionLost. Idempotent.
   * Port of `tcp._AbortingMixin.abortConnection`.
   */
  abortConnection(): void {
    if (this.disconnected || this._aborting) return;
    this._aborting = true;
    this._pending = [];
    this._pendingLen = 0;
    const socket = this._socket;
    if (socket !== null && !socket.destroyed) {
      socket.removeListener('data', this._onData);
      socket.resetAndDestroy();
    }
    this.reactor.callLater(0, () => this._connectionLost(new Failure(new ConnectionAborted())));
  }

  /** The local address. Port of `ITransport.getHost`. */
  abstract getHost(): unknown;
  /** The peer's address. Port of `ITransport.getPeer`. */
  abstract getPeer(): unknown;

  // ------------------------------------------------------------------ IPushProducer (the transport's reading)

  /** Stop delivering data to the protocol until resumeProducing(). Port of `FileDescriptor.pauseProducing`. */
  pauseProducing(): void {
    this._readPaused = true;
    const socket = this._socket;
    if (socket !== null && !socket.destroyed) socket.pause();
  }

  /** Deliver data again (unless disconnecting). Port of `FileDescriptor.resumeProducing`. */
  resumeProducing(): void {
    if (this.disconnecting || !this.connected) return;
    this._readPaused = false;
    const socket = this._socket;
    if (socket !== null && !socket.destroyed) socket.resume();
  }

  /** loseConnection(). Port of `FileDescriptor.stopProducing`. */
  stopProducing(): void {
    this.loseConnection();
  }

  // ------------------------------------------------------------------ ITCPTransport options

  /** Whether Nagle's algorithm is off (TCP_NODELAY). Port of `Connection.getTcpNoDelay`. */
  getTcpNoDelay(): boolean {
    return this._noDelay;
  }

  /** Turn Nagle's algorithm off (true) or on. Port of `Connection.setTcpNoDelay`. */
  setTcpNoDelay(enabled: boolean): void {
    this._noDelay = Boolean(enabled);
    const socket = this._socket;
    if (socket !== null && !socket.destroyed) socket.setNoDelay(this._noDelay);
  }

  /** Whether SO_KEEPALIVE is on. Port of `Connection.getTcpKeepAlive`. */
  getTcpKeepAlive(): boolean {
    return this._keepAlive;
  }

  /** Turn SO_KEEPALIVE on or off. Port of `Connection.setTcpKeepAlive`. */
  setTcpKeepAlive(enabled: boolean): void {
    this._keepAlive = Boolean(enabled);
    const socket = this._socket;
    if (socket !== null && !socket.destroyed) socket.setKeepAlive(this._keepAlive);
  }

  /** The Node socket (Twisted's `getHandle()` returns the socket object). Port of `Connection.getHandle`. */
  getHandle(): Socket | null {
    return this._socket;
  }

  // ------------------------------------------------------------------ internals

  /** @internal data from the socket: to the protocol, unless closing; an exception closes the connection with it. */
  _dataReceived(data: Buffer): void {
    if (!this.connected || this.disconnecting || this._aborting) return;
    try {
      this.protocol!.dataReceived(data);
    } catch (e) {
      this._connectionLost(logFailure(e));
    }
  }

  /** @internal `n` bytes read into the shared buffer: the protocol gets its own copy. */
  _bytesRead(n: number): void {
    if (!this.connected || this.disconnecting || this._aborting) return;
    const data = Buffer.allocUnsafe(n);
    readBuffer.copy(data, 0, 0, n);
    this._dataReceived(data);
  }

  /** @internal the peer's FIN. */
  _readConnectionLost(): void {
    this._readDisconnected = true;
    if (!this.connected || this.disconnecting || this._aborting) return;
    const protocol = this.protocol!;
    if (typeof protocol.readConnectionLost === 'function') {
      try {
        protocol.readConnectionLost();
      } catch (e) {
        this._connectionLost(logFailure(e));
      }
    } else {
      this._connectionLost(new Failure(new ConnectionDone()));
    }
  }

  /** @internal our FIN went out (the socket's 'finish' after a half-close). */
  _writeFinished(): void {
    if (!this.connected || !this._writeDisconnecting || this._writeDisconnected) return;
    this._writeDisconnected = true;
    const protocol = this.protocol!;
    if (typeof protocol.writeConnectionLost === 'function') {
      try {
        protocol.writeConnectionLost();
      } catch (e) {
        this._connectionLost(logFailure(e));
      }
    }
  }

  /** @internal */
  _socketError(_err: Error): void {
    if (!this.connected || this._aborting) return;
    this._connectionLost(new Failure(new ConnectionLost()));
  }

  /** @internal the socket is gone. With both halves shut down cleanly Twisted keeps the connection until loseConnection(). */
  _socketClosed(): void {
    if (!this.connected || this._aborting) return;
    if (this._readDisconnected && this._writeDisconnected) return;
    this._connectionLost(new Failure(this._readDisconnected ? new ConnectionDone() : new ConnectionLost()));
  }

  /** @internal reactor.stop(): drop everything, connectionLost with the given reason. */
  _disconnectNow(reason: Failure): void {
    this._connectionLost(reason);
  }

  /**
   * @internal end the connection once: close the socket, stop the producer, tell the protocol
   * (then whoever the subclass tells, in _connectionLostHook).
   */
  _connectionLost(reason: Failure): void {
    if (!this.connected) return;
    this.connected = false;
    this.disconnected = true;
    selectablesOf(this.reactor).delete(this);
    this._pending = [];
    this._pendingLen = 0;
    this._beforeClose();
    const socket = this._socket;
    if (socket !== null) {
      socket.removeListener('data', this._onData);
      if (!socket.destroyed) {
        if (reason.value instanceof ConnectionAborted) socket.resetAndDestroy();
        else if (isTLSSocket(socket)) closeTLSSocket(socket);
        else socket.destroy();
      }
    }
    const producer = this.producer;
    if (producer !== null) {
      this.producer = null;
      guarded(() => producer.stopProducing());
    }
    const protocol = this.protocol;
    this.protocol = null;
    let raised: Failure | null = null;
    if (protocol !== null) {
      try {
        protocol.connectionLost(reason);
      } catch (e) {
        raised = logFailure(e);
      }
    }
    this._connectionLostHook(reason, raised);
  }

  /** @internal subclasses cache addresses here before the socket goes. */
  _beforeClose(): void {}

  /** @internal subclasses tell their connector here. */
  _connectionLostHook(_reason: Failure, _protocolRaised: Failure | null): void {}
}

/**
 * Move the handle of a socket accepted paused into a new socket that reads through onread, then
 * destroy the emptied one (that also settles the server's count of open connections). Returns
 * null, leaving `accepted` as it was, when Node's socket does not have the shape this relies on.
 */
function adoptAccepted(accepted: Socket, callback: (n: number) => void): Socket | null {
  const holder = accepted as unknown as { _handle?: unknown };
  const handle = holder._handle;
  if (handle === null || typeof handle !== 'object' || accepted.destroyed) return null;
  const options = readIntoBufferOptions(callback) as net.SocketConstructorOpts & { handle: unknown };
  options.handle = handle;
  let socket: Socket;
  try {
    socket = new net.Socket(options);
  } catch {
    return null;
  }
  holder._handle = null;
  accepted.on('error', noop);
  accepted.destroy();
  return socket;
}

function noop(): void {}

