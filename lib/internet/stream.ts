// Port of twisted.internet.abstract.FileDescriptor and twisted.internet.tcp.Connection (Twisted
// 22.4) over a Node net.Socket: the write buffer, loseConnection/abortConnection/half-close, the
// producer/consumer API, and one connectionLost with the right Failure.
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
// - 'error' is always listened to; every call into user code is guarded.
import type { Socket } from 'node:net';
import { Failure } from '../failure/failure.js';
import * as log from '../log/log.js';
import { ConnectionAborted, ConnectionDone, ConnectionLost } from '../error/errors.js';
import { checkBytes } from '../protocol/errors.js';
import { logFailure, selectablesOf, type IOReactor, type Selectable } from './base.js';
import { ProducerRegisteredError } from './errors.js';
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

/** A producer as a consumer sees it (IPushProducer, or IPullProducer without pauseProducing). */
export interface StreamProducer {
  resumeProducing(): void;
  stopProducing(): void;
  pauseProducing?(): void;
}

/** Twisted's `bufferSize` (2 ** 2 ** 2 ** 2): more than this buffered pauses a push producer. */
export const BUFFER_SIZE = 65536;

// Writes handed to the sockets once per turn, for every transport that wrote in it.
let flushQueue: StreamTransport[] = [];
let flushArmed = false;

function runFlushQueue(): void {
  flushArmed = false;
  const queue = flushQueue;
  flushQueue = [];
  for (let i = 0; i < queue.length; i++) queue[i]!._flush();
}

/**
 * A connected stream socket (TCP or UNIX) as a Twisted transport: ITransport, ITCPTransport's
 * half-close and abort, IConsumer and IPushProducer. Subclasses add the addresses and the
 * TCP/UNIX specifics.
 *
 * Port of `twisted.internet.tcp.Connection` (with `abstract.FileDescriptor`).
 */
export abstract class StreamTransport implements Selectable {
  /** True from the connection until connectionLost. Port of `FileDescriptor.connected`. */
  connected: boolean;
  /** True once connectionLost ran. Port of `FileDescriptor.disconnected`. */
  disconnected: boolean;
  /** True once loseConnection() was called. Port of `FileDescriptor.disconnecting`. */
  disconnecting: boolean;
  /** The push-producer pause threshold in bytes. Port of `FileDescriptor.bufferSize`. */
  bufferSize: number;
  /** The registered producer, or null. Port of `FileDescriptor.producer`. */
  producer: StreamProducer | null;
  /** True when the registered producer is a push producer. */
  streamingProducer: boolean;
  /** True while this transport holds its push producer paused. */
  producerPaused: boolean;
  /** The protocol this transport drives (null once the connection is lost). */
  protocol: StreamProtocol | null;
  /** The reactor this transport belongs to. */
  readonly reactor: IOReactor;
  /** @internal the Node socket (null before a client connects and after the connection is lost). */
  _socket: Socket | null;
  /** @internal bytes written this turn, not yet handed to the socket. */
  _pending: Uint8Array[];
  /** @internal their total length. */
  _pendingLen: number;
  /** @internal true while this transport is in the flush queue. */
  _flushQueued: boolean;
  /** @internal loseWriteConnection() was called. */
  _writeDisconnecting: boolean;
  /** @internal our FIN went out (Twisted's _writeDisconnected). */
  _writeDisconnected: boolean;
  /** @internal the peer's FIN arrived. */
  _readDisconnected: boolean;
  /** @internal abortConnection() was called. */
  _aborting: boolean;
  /** @internal the socket was told to end() (close or half-close in progress). */
  _ending: boolean;
  /** @internal reading paused by pauseProducing(). */
  _readPaused: boolean;
  /** @internal the state setTcpNoDelay/setTcpKeepAlive set (Node has no getters). */
  _noDelay: boolean;
  _keepAlive: boolean;

  /** @internal bound socket listeners (one allocation per connection). */
  readonly _onData: (data: Buffer) => void;
  readonly _onEnd: () => void;
  readonly _onError: (err: Error) => void;
  readonly _onClose: () => void;
  readonly _onWritten: () => void;
  readonly _onFinish: () => void;

  constructor(reactor: IOReactor) {
    this.connected = false;
    this.disconnected = false;
    this.disconnecting = false;
    this.bufferSize = BUFFER_SIZE;
    this.producer = null;
    this.streamingProducer = false;
    this.producerPaused = false;
    this.protocol = null;
    this.reactor = reactor;
    this._socket = null;
    this._pending = [];
    this._pendingLen = 0;
    this._flushQueued = false;
    this._writeDisconnecting = false;
    this._writeDisconnected = false;
    this._readDisconnected = false;
    this._aborting = false;
    this._ending = false;
    this._readPaused = false;
    this._noDelay = false;
    this._keepAlive = false;
    this._onData = (data) => this._dataReceived(data);
    this._onEnd = () => this._readConnectionLost();
    this._onError = (err) => this._socketError(err);
    this._onClose = () => this._socketClosed();
    this._onWritten = () => this._maybeDrained();
    this._onFinish = () => this._writeFinished();
  }

  /** @internal attach the socket's listeners (the 'error' one first, from birth). */
  _attach(socket: Socket): void {
    this._socket = socket;
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
      reading = old.listeners('data').includes(this._onData);
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
    if (socket !== null && !socket.destroyed) socket.on('data', this._onData);
  }

  // ------------------------------------------------------------------ ITransport

  /**
   * Write bytes to the peer. They are handed to the socket at the end of this turn; once more
   * than `bufferSize` bytes are buffered a registered push producer is paused, inside this call.
   * After loseConnection() writes are still sent; after the connection is lost (or the write
   * half is shut down) they are dropped silently. Do not change a Buffer after writing it.
   * Port of `FileDescriptor.write`.
   *
   * @param data - the bytes (a Buffer or Uint8Array); an empty one is a no-op
   * @throws DataNotBytesError (a TypeError) when `data` is not bytes (a string: pass `Buffer.from(text)`)
   */
  write(data: Uint8Array): void {
    checkBytes('transport.write(data)', data);
    if (!this.connected || this._writeDisconnected || this._ending) return;
    const n = data.length;
    if (n === 0) return;
    this._pending.push(data);
    this._pendingLen += n;
    if (this.producer !== null && this.streamingProducer) this._maybePauseProducer();
    if (!this._flushQueued) this._queueFlush();
  }

  /**
   * Write several chunks, in order, as one write. Every chunk is checked before any is buffered.
   * Port of `FileDescriptor.writeSequence`.
   *
   * @param data - the chunks
   * @throws DataNotBytesError when any chunk is not bytes
   */
  writeSequence(data: Iterable<Uint8Array>): void {
    const chunks = Array.isArray(data) ? (data as Uint8Array[]) : Array.from(data);
    for (let i = 0; i < chunks.length; i++) checkBytes('transport.writeSequence(data)', chunks[i]);
    if (!this.connected || chunks.length === 0 || this._writeDisconnected || this._ending) return;
    let added = 0;
    for (let i = 0; i < chunks.length; i++) {
      const c = chunks[i]!;
      if (c.length === 0) continue;
      this._pending.push(c);
      added += c.length;
    }
    this._pendingLen += added;
    if (this.producer !== null && this.streamingProducer) this._maybePauseProducer();
    if (added > 0 && !this._flushQueued) this._queueFlush();
  }

  /**
   * Close the connection once everything written (before and after this call) has been handed
   * to the socket and any registered producer is unregistered (a push producer that is not
   * paused does not hold it). No data is delivered after it. connectionLost(ConnectionDone)
   * follows on a later turn. Port of `FileDescriptor.loseConnection`.
   */
  loseConnection(): void {
    if (!this.connected || this.disconnecting) return;
    if (this._writeDisconnected) {
      // The write half is already shut down: nothing left to flush, so Twisted closes at once.
      this._connectionLost(new Failure(new ConnectionDone()));
      return;
    }
    this.disconnecting = true;
    if (!this._flushQueued) this._queueFlush();
  }

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

  /**
   * Shut down the write half once the buffer is handed over (a FIN), then call the protocol's
   * writeConnectionLost() if it defines one; reading goes on. Later writes are dropped.
   * Port of `FileDescriptor.loseWriteConnection`.
   */
  loseWriteConnection(): void {
    if (!this.connected || this._writeDisconnecting) return;
    this._writeDisconnecting = true;
    if (!this._flushQueued) this._queueFlush();
  }

  /** The local address. Port of `ITransport.getHost`. */
  abstract getHost(): unknown;
  /** The peer's address. Port of `ITransport.getPeer`. */
  abstract getPeer(): unknown;

  // ------------------------------------------------------------------ IConsumer

  /**
   * Register a producer. A push producer (`streaming` true) is paused when the buffer passes
   * `bufferSize` and resumed when it is drained; a pull producer is resumed now and every time
   * the buffer is drained. On a disconnected transport the producer is stopped at once.
   * Port of `FileDescriptor.registerProducer`.
   *
   * @param producer - the producer
   * @param streaming - true for an IPushProducer, false for an IPullProducer
   * @throws ProducerRegisteredError when a producer is already registered
   */
  registerProducer(producer: StreamProducer, streaming: boolean): void {
    if (this.producer !== null) {
      throw new ProducerRegisteredError(
        `Cannot register producer ${String(producer)}, because producer ${String(this.producer)} was never unregistered.`,
      );
    }
    if (this.disconnected) {
      guarded(() => producer.stopProducing());
      return;
    }
    this.producer = producer;
    this.streamingProducer = streaming;
    this.producerPaused = false;
    if (!streaming) guarded(() => producer.resumeProducing());
  }

  /**
   * Forget the producer, without disconnecting; a pending loseConnection() then completes.
   * Port of `FileDescriptor.unregisterProducer`.
   */
  unregisterProducer(): void {
    this.producer = null;
    this.producerPaused = false;
    if (this.connected && this.disconnecting && !this._flushQueued) this._queueFlush();
  }

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

  /** @internal */
  _queueFlush(): void {
    this._flushQueued = true;
    flushQueue.push(this);
    if (!flushArmed) {
      flushArmed = true;
      process.nextTick(runFlushQueue);
    }
  }

  /** @internal hand the buffer to the socket, then see whether a close or resume is due. */
  _flush(): void {
    this._flushQueued = false;
    const socket = this._socket;
    if (!this.connected || socket === null || this._aborting) return;
    const n = this._pendingLen;
    if (n > 0 && !this._ending) {
      const chunks = this._pending;
      this._pending = [];
      this._pendingLen = 0;
      if (chunks.length === 1) socket.write(chunks[0]!, this._onWritten);
      else if (n <= BUFFER_SIZE) socket.write(Buffer.concat(chunks, n), this._onWritten);
      else {
        socket.cork();
        for (let i = 0; i < chunks.length - 1; i++) socket.write(chunks[i]!);
        socket.write(chunks[chunks.length - 1]!, this._onWritten);
        socket.uncork();
      }
      return; // _onWritten decides once the socket has taken it
    }
    this._maybeDrained();
  }

  /** @internal the socket took a write: when nothing is left anywhere, act as Twisted's doWrite does. */
  _maybeDrained(): void {
    if (this._flushQueued || this._pendingLen > 0 || !this.connected || this._aborting) return;
    const socket = this._socket;
    if (socket === null || socket.writableLength > 0) return;
    const producer = this.producer;
    if (producer !== null && (!this.streamingProducer || this.producerPaused)) {
      this.producerPaused = false;
      try {
        producer.resumeProducing();
      } catch (e) {
        this._connectionLost(logFailure(e));
      }
    } else if (this.disconnecting) {
      this._connectionLost(new Failure(new ConnectionDone()));
    } else if (this._writeDisconnecting && !this._ending) {
      this._ending = true;
      socket.end();
    }
  }

  /** @internal pause the push producer while more than bufferSize bytes wait (Twisted calls it on every such write). */
  _maybePauseProducer(): void {
    const socket = this._socket;
    const buffered = this._pendingLen + (socket === null ? 0 : socket.writableLength);
    if (buffered > this.bufferSize) {
      this.producerPaused = true;
      const producer = this.producer!;
      if (typeof producer.pauseProducing === 'function') {
        try {
          producer.pauseProducing();
        } catch (e) {
          logFailure(e);
        }
      }
    }
  }

  /** @internal data from the socket: to the protocol, unless closing; an exception closes the connection with it. */
  _dataReceived(data: Buffer): void {
    if (!this.connected || this.disconnecting || this._aborting) return;
    try {
      this.protocol!.dataReceived(data);
    } catch (e) {
      this._connectionLost(logFailure(e));
    }
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

/** Run `fn`, logging (never throwing) what it raises. */
function guarded(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    log.err(e);
  }
}
