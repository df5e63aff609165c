// Port of twisted.protocols.basic.FileSender (Twisted 22.4): a pull producer that copies a file
// to a consumer in chunks. Covered by spec/basic/fileSender.spec.ts (FileSenderTests of
// protocols/test/test_basic.py).
import { readSync } from 'node:fs';
import { Deferred } from '../defer/deferred.js';
import type { IConsumer, IPullProducer } from '../protocol/interfaces.js';

/**
 * What `FileSender` reads from: an object with Python's `file.read(size)` (returning at most
 * `size` bytes, an empty result at the end), e.g. `BytesFile`. Port of the file-object protocol.
 */
export interface IReadableFile {
  /** Up to `size` bytes; empty (or null) at the end of the file. */
  read(size: number): Uint8Array | null;
}

/**
 * An in-memory file over bytes, with Python's `read(size)`. Port of `io.BytesIO` (reading only).
 *
 * @param data - the bytes to read.
 * @example
 * ```ts
 * const f = new BytesFile(Buffer.from('Test content'));
 * f.read(4).toString(); // 'Test'
 * ```
 */
export class BytesFile implements IReadableFile {
  private readonly _data: Buffer;
  private _pos: number = 0;
  constructor(data: Uint8Array) {
    this._data = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  }

  /** Up to `size` bytes from the current position (all the rest when `size` is negative). */
  read(size: number = -1): Buffer {
    const end = size < 0 ? this._data.length : Math.min(this._data.length, this._pos + size);
    const chunk = this._data.subarray(this._pos, end);
    this._pos = end;
    return chunk;
  }
}

/**
 * A file read through an open file descriptor, with Python's `read(size)` (a blocking `readSync`,
 * as Python's file reads block). No Python counterpart (Python passes the file object itself).
 *
 * @param fd - an open file descriptor (`fs.openSync(path, 'r')`); the caller closes it.
 * @example
 * ```ts no-run
 * sender.beginFileTransfer(new FdFile(fs.openSync('data.bin', 'r')), transport);
 * ```
 */
export class FdFile implements IReadableFile {
  /** The file descriptor. */
  readonly fd: number;
  constructor(fd: number) {
    this.fd = fd;
  }

  /** Up to `size` bytes from the current position. */
  read(size: number): Buffer {
    const buf = Buffer.alloc(size);
    const n = readSync(this.fd, buf, 0, size, null);
    return buf.subarray(0, n);
  }
}

/**
 * A pull producer that sends a file to a consumer (a transport), `CHUNK_SIZE` bytes each time
 * the consumer asks. Port of `twisted.protocols.basic.FileSender`.
 *
 * @example
 * ```ts
 * const sent: Buffer[] = [];
 * const consumer = {
 *   producer: null as IPullProducer | null,
 *   registerProducer(p: IPullProducer) { this.producer = p; },
 *   unregisterProducer() { this.producer = null; },
 *   write(d: Uint8Array) { sent.push(Buffer.from(d)); },
 * };
 * const sender = new FileSender();
 * const d = sender.beginFileTransfer(new BytesFile(Buffer.from('Test content')), consumer);
 * while (consumer.producer) consumer.producer.resumeProducing();
 * d.addCallback((last) => console.log(Buffer.concat(sent).toString(), last.toString())); // Test content t
 * ```
 */
export class FileSender implements IPullProducer {
  /** Bytes per chunk (16384). */
  CHUNK_SIZE: number = 2 ** 14;
  /** The last byte sent (after the transform), empty before any. */
  lastSent: Buffer = Buffer.alloc(0);
  /** The transfer's Deferred while it runs, else null. */
  deferred: Deferred<Buffer> | null = null;
  /** The file being sent, null once done. */
  file: IReadableFile | null = null;
  /** The consumer. */
  consumer: IConsumer | null = null;
  /** A function applied to each chunk before it is written, or null. */
  transform: ((chunk: Buffer) => Uint8Array) | null = null;

  /**
   * Start sending `file` to `consumer`: registers this sender as its pull producer. Port of
   * `FileSender.beginFileTransfer`.
   *
   * @param file - what to read from (`BytesFile`, `FdFile`, or anything with `read(size)`).
   * @param consumer - where to write (a transport).
   * @param transform - applied to each chunk before it is written.
   * @returns a Deferred that fires with the last byte sent once the file is done, or fails with
   *   "Consumer asked us to stop producing" when the consumer stops it.
   */
  beginFileTransfer(file: IReadableFile, consumer: IConsumer, transform: ((chunk: Buffer) => Uint8Array) | null = null): Deferred<Buffer> {
    this.file = file;
    this.consumer = consumer;
    this.transform = transform;
    const d = new Deferred<Buffer>();
    this.deferred = d;
    consumer.registerProducer(this, false);
    return d;
  }

  /** Write the next chunk; at the end of the file, unregister and fire the Deferred. */
  resumeProducing(): void {
    let chunk: Buffer = Buffer.alloc(0);
    if (this.file !== null) {
      const got = this.file.read(this.CHUNK_SIZE);
      if (got !== null && got !== undefined) chunk = Buffer.from(got.buffer, got.byteOffset, got.byteLength);
    }
    if (chunk.length === 0) {
      this.file = null;
      this.consumer!.unregisterProducer();
      const d = this.deferred;
      if (d !== null) {
        this.deferred = null;
        d.callback(this.lastSent);
      }
      return;
    }
    let out: Uint8Array = chunk;
    if (this.transform !== null) out = this.transform(chunk);
    this.consumer!.write(out);
    this.lastSent = Buffer.from(out.subarray(out.length - 1));
  }

  /** Nothing: a pull producer is never paused. */
  pauseProducing(): void {}

  /** The consumer gives up: the Deferred fails. */
  stopProducing(): void {
    const d = this.deferred;
    if (d !== null) {
      this.deferred = null;
      d.errback(new Error('Consumer asked us to stop producing'));
    }
  }
}
