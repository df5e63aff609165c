// Port of twisted.protocols.loopback.LoopbackRelay (Twisted 22.4): a transport that buffers
// writes until the test calls clearBuffer(); apart from loopbackAsync (loopback.ts), which it
// shares nothing with but the address. Covered by spec/testing/loopback.spec.ts (LoopbackRelayTest).
import { CONNECTION_DONE } from '../error/errors.js';
import { Failure } from '../failure/failure.js';
import { checkBytes } from '../protocol/errors.js';
import { bytesRepr, type IAddress } from '../address/address.js';
import type { IConsumer, IProtocol, IPullProducer, IPushProducer, ITransport } from '../protocol/interfaces.js';
import { LoopbackAddress } from './loopback.js';

/** Anything with `write(text)`: where `LoopbackRelay` logs. */
export interface LoopbackLogFile {
  /** Take a line of text. */
  write(text: string): unknown;
}

/**
 * A transport that buffers writes and hands them to `target` when `clearBuffer()` is called,
 * with `connectionLost(ConnectionDone)` after a `loseConnection()`. Port of
 * `twisted.protocols.loopback.LoopbackRelay`.
 *
 * @example
 * ```ts
 * import { Protocol } from 'twistless/protocol';
 * import { LoopbackRelay } from 'twistless/testing';
 *
 * class Print extends Protocol {
 *   override dataReceived(data: Buffer) { console.log(data.toString()); }
 * }
 * const relay = new LoopbackRelay(new Print());
 * relay.write(Buffer.from('abc'));
 * relay.write(Buffer.from('def'));
 * relay.clearBuffer(); // abcdef
 * ```
 */
export class LoopbackRelay implements ITransport, IConsumer {
  /** The protocol the bytes go to. */
  readonly target: IProtocol;
  /** Where writes and deliveries are logged, or null. */
  readonly logFile: LoopbackLogFile | null;
  /** The bytes written and not yet delivered. */
  buffer: Buffer;
  /** 0; 1 once `loseConnection()` was called; -1 once the target was told. */
  shouldLose: number;
  /** Always false (as Twisted's). */
  disconnecting: boolean;
  /** The registered producer (resumed by each `clearBuffer()`), or null. */
  producer: IPushProducer | IPullProducer | null;

  /**
   * @param target - the protocol to deliver to.
   * @param logFile - where to log, or null.
   */
  constructor(target: IProtocol, logFile: LoopbackLogFile | null = null) {
    this.target = target;
    this.logFile = logFile;
    this.buffer = Buffer.alloc(0);
    this.shouldLose = 0;
    this.disconnecting = false;
    this.producer = null;
  }

  /**
   * Buffer a copy of `data`. Port of `LoopbackRelay.write`.
   *
   * @throws DataNotBytesError for a string or other non-bytes value.
   */
  write(data: Uint8Array): void {
    checkBytes('LoopbackRelay.write()', data);
    this.buffer = Buffer.concat([this.buffer, data]);
    if (this.logFile !== null) this.logFile.write(`loopback writing ${bytesRepr(data)}\n`);
  }

  /**
   * Buffer the chunks' concatenation. Port of `LoopbackRelay.writeSequence`.
   *
   * @throws DataNotBytesError when `data` is a string or a chunk is not bytes (nothing is kept).
   */
  writeSequence(data: Iterable<Uint8Array>): void {
    if (typeof data === 'string') checkBytes('LoopbackRelay.writeSequence()', data);
    const chunks = Array.from(data);
    for (const chunk of chunks) checkBytes('LoopbackRelay.writeSequence() chunk', chunk);
    this.write(Buffer.concat(chunks));
  }

  /**
   * Resume the producer, deliver the buffer to the target, and after a `loseConnection()` tell
   * it `connectionLost(ConnectionDone)` (once). Port of `LoopbackRelay.clearBuffer`.
   */
  clearBuffer(): void {
    if (this.shouldLose === -1) return;
    if (this.producer !== null) this.producer.resumeProducing();
    if (this.buffer.length > 0) {
      if (this.logFile !== null) this.logFile.write(`loopback receiving ${bytesRepr(this.buffer)}\n`);
      const buffer = this.buffer;
      this.buffer = Buffer.alloc(0);
      this.target.dataReceived(buffer);
    }
    if (this.shouldLose === 1) {
      this.shouldLose = -1;
      this.target.connectionLost(new Failure(CONNECTION_DONE));
    }
  }

  /** Close at the next `clearBuffer()`. Port of `LoopbackRelay.loseConnection`. */
  loseConnection(): void {
    if (this.shouldLose !== -1) this.shouldLose = 1;
  }

  /** A `LoopbackAddress` (Twisted's returns the string 'loopback'). */
  getHost(): IAddress {
    return new LoopbackAddress();
  }

  /** A `LoopbackAddress` (Twisted's returns the string 'loopback'). */
  getPeer(): IAddress {
    return new LoopbackAddress();
  }

  /** Keep the producer (any kind); `clearBuffer()` resumes it. Port of `LoopbackRelay.registerProducer`. */
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    void streaming;
    this.producer = producer;
  }

  /** Forget the producer. Port of `LoopbackRelay.unregisterProducer`. */
  unregisterProducer(): void {
    this.producer = null;
  }

  /** `Loopback('ClassName')`. Port of `LoopbackRelay.logPrefix`. */
  logPrefix(): string {
    return `Loopback('${this.target.constructor.name}')`;
  }
}
