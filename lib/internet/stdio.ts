// Port of twisted.internet.stdio.StandardIO (twisted.internet._posixstdio, Twisted 22.4): a
// protocol over this process's own standard input and output, on Node's process.stdin/stdout
// (or any pair of streams, for tests and embedding).
// Covered by spec/internet/stdio.spec.ts.
import type { Readable, Writable } from 'node:stream';
import { PipeAddress } from '../address/process.js';
import { Failure } from '../failure/failure.js';
import { CONNECTION_DONE } from '../error/errors.js';
import { ConnectionLost } from '../error/connectionErrors.js';
import { checkBytes } from '../protocol/errors.js';
import type { IProtocol, IPullProducer, IPushProducer, ITransport } from '../protocol/interfaces.js';
import { logFailure, selectablesOf, type IOReactor, type Selectable } from './base.js';
import { ProducerRegisteredError } from './errors.js';

/** Options of `new StandardIO(protocol, options)`. */
export interface StandardIOOptions {
  /** What to read (default `process.stdin`). Twisted takes a descriptor number. */
  stdin?: Readable;
  /** What to write to (default `process.stdout`). */
  stdout?: Writable;
  /** The reactor (default: the global one, given by the caller). */
  reactor?: IOReactor | null;
}

type HalfCloseable = IProtocol & { readConnectionLost?(): void; writeConnectionLost?(): void };

/**
 * A transport over this process's standard input (read) and standard output (written): the
 * protocol's `makeConnection` runs inside the constructor. The end of stdin calls the protocol's
 * `readConnectionLost()` when it defines one (a half-closeable protocol), else loses the
 * connection with ConnectionDone. Port of `twisted.internet.stdio.StandardIO`.
 *
 * @example
 * ```ts no-run
 * import { StandardIO } from 'twistless/endpoints';
 * new StandardIO(new Echo()); // echoes stdin to stdout
 * ```
 */
export class StandardIO implements ITransport, Selectable {
  /** True once connectionLost ran. */
  disconnected: boolean;
  /** True once loseConnection() was called. */
  disconnecting: boolean;
  /** The protocol (null once the connection is lost). */
  protocol: HalfCloseable | null;
  /** @internal the reader and writer (null once each is closed). */
  _reader: Readable | null;
  _writer: Writable | null;
  _producer: IPushProducer | IPullProducer | null;
  _producerPaused: boolean;
  readonly _reactor: IOReactor | null;
  private readonly _onData: (data: Buffer) => void;
  private readonly _onEnd: () => void;
  private readonly _onReadError: (err: Error) => void;
  private readonly _onFinish: () => void;
  private readonly _onWriteError: (err: Error) => void;
  private readonly _onDrain: () => void;

  /**
   * @param proto - the protocol (its makeConnection runs now)
   * @param options - stdin and stdout streams (default: this process's), the reactor
   */
  constructor(proto: IProtocol, options: StandardIOOptions = {}) {
    this.disconnected = false;
    this.disconnecting = false;
    this.protocol = proto;
    this._reader = options.stdin ?? process.stdin;
    this._writer = options.stdout ?? process.stdout;
    this._producer = null;
    this._producerPaused = false;
    this._reactor = options.reactor ?? null;
    this._onData = (data) => {
      const p = this.protocol;
      if (p === null) return;
      try {
        p.dataReceived(typeof data === 'string' ? Buffer.from(data) : data);
      } catch (e) {
        this.connectionLost(logFailure(e, 'unexpected error in dataReceived'));
      }
    };
    this._onEnd = () => this._readConnectionLost();
    this._onReadError = (err) => this.connectionLost(new Failure(new ConnectionLost(err.message)));
    this._onFinish = () => this._writeConnectionLost();
    this._onWriteError = (err) => this.connectionLost(new Failure(new ConnectionLost(err.message)));
    this._onDrain = () => {
      if (this._producer !== null && this._producerPaused) {
        this._producerPaused = false;
        try {
          this._producer.resumeProducing();
        } catch (e) {
          logFailure(e, 'while resuming the producer of standard output');
        }
      }
    };
    this._writer.on('error', this._onWriteError);
    this._writer.on('finish', this._onFinish);
    this._writer.on('drain', this._onDrain);
    this._reader.on('error', this._onReadError);
    this._reader.on('end', this._onEnd);
    this._reader.on('data', this._onData);
    if (this._reactor !== null) selectablesOf(this._reactor).add(this);
    try {
      proto.makeConnection(this);
    } catch (e) {
      logFailure(e, 'unexpected error in makeConnection');
    }
  }

  /**
   * Write to standard output (dropped once it is closed). Port of `StandardIO.write`.
   *
   * @param data - the bytes
   * @throws DataNotBytesError when `data` is not bytes
   */
  write(data: Uint8Array): void {
    checkBytes('StandardIO.write(data)', data);
    const w = this._writer;
    if (w === null || w.writableEnded || data.length === 0) return;
    if (!w.write(data) && this._producer !== null && !this._producerPaused && 'pauseProducing' in this._producer) {
      this._producerPaused = true;
      try {
        (this._producer as IPushProducer).pauseProducing();
      } catch (e) {
        logFailure(e, 'while pausing the producer of standard output');
      }
    }
  }

  /** Write several chunks. Port of `StandardIO.writeSequence`. */
  writeSequence(data: Iterable<Uint8Array>): void {
    const chunks = Array.from(data);
    for (const c of chunks) checkBytes('StandardIO.writeSequence(data)', c);
    for (const c of chunks) this.write(c);
  }

  /** Close standard output once what is queued is written; reading goes on. Port of `StandardIO.loseWriteConnection`. */
  loseWriteConnection(): void {
    const w = this._writer;
    if (w !== null && !w.writableEnded) w.end();
  }

  /**
   * Close standard output once what is queued is written and stop reading (stdin is not
   * closed); connectionLost(ConnectionDone) follows. Port of `StandardIO.loseConnection`.
   */
  loseConnection(): void {
    this.disconnecting = true;
    if (this._reader !== null) this._reader.pause();
    const w = this._writer;
    if (w === null) this.connectionLost(new Failure(CONNECTION_DONE));
    else if (!w.writableEnded) w.end();
  }

  /** A PipeAddress. Port of `StandardIO.getPeer`. */
  getPeer(): PipeAddress {
    return new PipeAddress();
  }

  /** A PipeAddress. Port of `StandardIO.getHost`. */
  getHost(): PipeAddress {
    return new PipeAddress();
  }

  /** Stop reading standard input. Port of `StandardIO.pauseProducing`. */
  pauseProducing(): void {
    if (this._reader !== null) this._reader.pause();
  }

  /** Read it again. Port of `StandardIO.resumeProducing`. */
  resumeProducing(): void {
    if (this._reader !== null && !this.disconnecting) this._reader.resume();
  }

  /** Lose the connection. Port of `StandardIO.stopProducing`. */
  stopProducing(): void {
    this.loseConnection();
  }

  /**
   * Attach a producer to standard output (stopped at once when it is closed). Port of
   * `StandardIO.registerProducer`.
   *
   * @throws ProducerRegisteredError when one is registered already
   */
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    if (this._writer === null) {
      producer.stopProducing();
      return;
    }
    if (this._producer !== null) throw new ProducerRegisteredError(`Cannot register producer ${String(producer)}, because producer ${String(this._producer)} was never unregistered.`);
    this._producer = producer;
    this._producerPaused = false;
    if (!streaming) {
      const pull = (): void => {
        if (this._producer !== producer || this._writer === null) return;
        if (this._writer.writableNeedDrain) {
          this._writer.once('drain', pull);
          return;
        }
        try {
          producer.resumeProducing();
        } catch (e) {
          logFailure(e, 'while asking the producer of standard output for more');
          return;
        }
        setImmediate(pull);
      };
      setImmediate(pull);
    }
  }

  /** Detach the producer. Port of `StandardIO.unregisterProducer`. */
  unregisterProducer(): void {
    this._producer = null;
    this._producerPaused = false;
  }

  /** @internal stdin ended. Port of `StandardIO._readConnectionLost`. */
  _readConnectionLost(): void {
    if (this.disconnected) return;
    this._detachReader();
    const p = this.protocol;
    if (p !== null && typeof p.readConnectionLost === 'function') {
      try {
        p.readConnectionLost();
      } catch (e) {
        this.connectionLost(logFailure(e, 'unexpected error in readConnectionLost'));
      }
    } else {
      this.connectionLost(new Failure(CONNECTION_DONE));
    }
  }

  /** @internal stdout finished. Port of `StandardIO._writeConnectionLost`. */
  _writeConnectionLost(): void {
    if (this.disconnected) return;
    this._detachWriter();
    if (this.disconnecting) {
      this.connectionLost(new Failure(CONNECTION_DONE));
      return;
    }
    const p = this.protocol;
    if (p !== null && typeof p.writeConnectionLost === 'function') {
      try {
        p.writeConnectionLost();
      } catch (e) {
        this.connectionLost(logFailure(e, 'unexpected error in writeConnectionLost'));
      }
    }
  }

  /**
   * Lose both halves and tell the protocol (once). Port of `StandardIO.connectionLost`.
   *
   * @param reason - why
   */
  connectionLost(reason: Failure): void {
    if (this.disconnected) return;
    this.disconnected = true;
    this._detachReader();
    this._detachWriter();
    if (this._reactor !== null) selectablesOf(this._reactor).delete(this);
    const p = this.protocol;
    this.protocol = null;
    if (this._producer !== null) {
      const producer = this._producer;
      this._producer = null;
      try {
        producer.stopProducing();
      } catch (e) {
        logFailure(e, 'while stopping the producer of standard output');
      }
    }
    if (p !== null) {
      try {
        p.connectionLost(reason);
      } catch (e) {
        logFailure(e, 'unexpected error in connectionLost');
      }
    }
  }

  /** @internal reactor.stop(): lose the connection with `reason`. */
  _disconnectNow(reason: Failure): void {
    this.connectionLost(reason);
  }

  private _detachReader(): void {
    const r = this._reader;
    if (r === null) return;
    this._reader = null;
    r.removeListener('data', this._onData);
    r.removeListener('end', this._onEnd);
    // Keep an 'error' listener: a late read error must not crash the process.
    r.removeListener('error', this._onReadError);
    r.on('error', noop);
    r.pause(); // lets Node exit once nothing else keeps it alive
  }

  private _detachWriter(): void {
    const w = this._writer;
    if (w === null) return;
    this._writer = null;
    w.removeListener('finish', this._onFinish);
    w.removeListener('drain', this._onDrain);
    w.removeListener('error', this._onWriteError);
    w.on('error', noop);
  }
}

function noop(): void {}
