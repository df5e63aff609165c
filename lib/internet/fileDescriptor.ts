// Port of twisted.internet.abstract.FileDescriptor (Twisted 22.4), the write side of a stream
// transport over a Node net.Socket: the write buffer handed to the socket once per turn,
// loseConnection's flush-then-close, loseWriteConnection, and the producer/consumer API.
// StreamTransport (stream.ts) adds the reading, half-close, abort and the close itself.
// Covered by spec/internet/connection.spec.ts (WriteSequenceTestsMixin, AbortConnectionMixin)
// and spec/internet/properties.spec.ts.
import type { Socket } from 'node:net';
import { Failure } from '../failure/failure.js';
import * as log from '../log/log.js';
import { ConnectionDone } from '../error/connectionErrors.js';
import { checkBytes } from '../protocol/errors.js';
import { logFailure, type IOReactor } from './base.js';
import { ProducerRegisteredError } from './errors.js';

/** A producer as a consumer sees it (IPushProducer, or IPullProducer without pauseProducing). */
export interface StreamProducer {
  resumeProducing(): void;
  stopProducing(): void;
  pauseProducing?(): void;
}

/** Twisted's `bufferSize` (2 ** 2 ** 2 ** 2): more than this buffered pauses a push producer. */
export const BUFFER_SIZE = 65536;

// Writes handed to the sockets once per turn, for every transport that wrote in it.
let flushQueue: FileDescriptor[] = [];
let flushArmed = false;

function runFlushQueue(): void {
  flushArmed = false;
  const queue = flushQueue;
  flushQueue = [];
  for (let i = 0; i < queue.length; i++) queue[i]!._flush();
}

/**
 * The write side of a connected stream socket: ITransport's writes and closes, IConsumer.
 * Port of `twisted.internet.abstract.FileDescriptor`; `StreamTransport` is the class to use.
 */
export abstract class FileDescriptor {
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
  /** @internal abortConnection() was called. */
  _aborting: boolean;
  /** @internal the socket was told to end() (close or half-close in progress). */
  _ending: boolean;
  /** @internal the socket's write callback (one allocation per connection). */
  readonly _onWritten: () => void;

  constructor(reactor: IOReactor) {
    this.connected = false;
    this.disconnected = false;
    this.disconnecting = false;
    this.bufferSize = BUFFER_SIZE;
    this.producer = null;
    this.streamingProducer = false;
    this.producerPaused = false;
    this.reactor = reactor;
    this._socket = null;
    this._pending = [];
    this._pendingLen = 0;
    this._flushQueued = false;
    this._writeDisconnecting = false;
    this._writeDisconnected = false;
    this._aborting = false;
    this._ending = false;
    this._onWritten = () => this._maybeDrained();
  }

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
   * Shut down the write half once the buffer is handed over (a FIN), then call the protocol's
   * writeConnectionLost() if it defines one; reading goes on. Later writes are dropped.
   * Port of `FileDescriptor.loseWriteConnection`.
   */
  loseWriteConnection(): void {
    if (!this.connected || this._writeDisconnecting) return;
    this._writeDisconnecting = true;
    if (!this._flushQueued) this._queueFlush();
  }

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

  /** @internal end the connection once, with `reason` (StreamTransport closes the socket and tells the protocol). */
  abstract _connectionLost(reason: Failure): void;
}

/** Run `fn`, logging (never throwing) what it raises. */
export function guarded(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    log.err(e);
  }
}
