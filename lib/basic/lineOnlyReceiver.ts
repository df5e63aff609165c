// Port of twisted.protocols.basic.LineOnlyReceiver (Twisted 22.4).
// Covered by spec/basic/lineOnlyReceiver.spec.ts (LineOnlyReceiverTests of protocols/test/test_basic.py).
import { Protocol } from '../protocol/protocol.js';
import { checkBytes, NotImplementedError } from '../protocol/errors.js';
import type { ReceiverTransport } from './pauseable.js';

const EMPTY = Buffer.alloc(0);
const CRLF = Buffer.from('\r\n');

/**
 * A line-only receiver: simpler and faster than `LineReceiver` (no raw mode, no pausing). Port
 * of `twisted.protocols.basic.LineOnlyReceiver`.
 *
 * Its edge rules differ from `LineReceiver`'s, as in Twisted: a complete line longer than
 * `MAX_LENGTH` gives `lineLengthExceeded(that line)` alone; an unterminated remainder longer than
 * `MAX_LENGTH` (not `MAX_LENGTH + delimiter.length`) gives `lineLengthExceeded(remainder)`; once
 * the transport is `disconnecting` the lines left in the chunk are dropped; `sendLine` uses
 * `writeSequence([line, delimiter])`.
 *
 * @example
 * ```ts
 * class Collect extends LineOnlyReceiver {
 *   lines: string[] = [];
 *   override lineReceived(line: Buffer) { this.lines.push(line.toString()); }
 * }
 * const p = new Collect();
 * p.dataReceived(Buffer.from('a\r\nb'));
 * p.dataReceived(Buffer.from('\r\n'));
 * console.log(p.lines); // [ 'a', 'b' ]
 * ```
 */
export class LineOnlyReceiver extends Protocol {
  /** The line delimiter (`\r\n`). */
  delimiter: Buffer = CRLF;
  /** The longest line accepted, in bytes (16384). */
  MAX_LENGTH: number = 16384;
  /** The unterminated tail received so far. */
  protected _buffer: Buffer = EMPTY;

  /**
   * Split bytes into lines and deliver them. Port of `LineOnlyReceiver.dataReceived`.
   *
   * @param data - the bytes.
   * @returns `lineLengthExceeded`'s result when a line is too long, else undefined.
   */
  override dataReceived(data: Buffer): unknown {
    checkBytes('dataReceived()', data);
    const all = this._buffer.length === 0 ? data : Buffer.concat([this._buffer, data]);
    const delimiter = this.delimiter;
    const lines: Buffer[] = [];
    let start = 0;
    for (;;) {
      const at = all.indexOf(delimiter, start);
      if (at === -1) break;
      lines.push(all.subarray(start, at));
      start = at + delimiter.length;
    }
    this._buffer = all.subarray(start);
    for (const line of lines) {
      if (this.transport !== null && (this.transport as ReceiverTransport).disconnecting) return undefined;
      if (line.length > this.MAX_LENGTH) return this.lineLengthExceeded(line);
      this.lineReceived(line);
    }
    if (this._buffer.length > this.MAX_LENGTH) return this.lineLengthExceeded(this._buffer);
    return undefined;
  }

  /**
   * A line arrived, without its delimiter. Override it. Port of `lineReceived`.
   *
   * @param line - the line.
   * @throws NotImplementedError unless overridden.
   */
  lineReceived(line: Buffer): void {
    void line;
    throw new NotImplementedError(`${this.constructor.name}.lineReceived()`);
  }

  /**
   * Write `line` then the delimiter with one `writeSequence`. Port of `sendLine`.
   *
   * @param line - the bytes of the line.
   * @throws DataNotBytesError for a string.
   */
  sendLine(line: Uint8Array): void {
    checkBytes('sendLine()', line);
    this.transport!.writeSequence([line, this.delimiter]);
  }

  /**
   * A line is too long: by default, close the connection. Port of `lineLengthExceeded`.
   *
   * @param line - the overlong line (or unterminated remainder).
   * @returns what `dataReceived` should return.
   */
  lineLengthExceeded(line: Buffer): unknown {
    void line;
    this.transport!.loseConnection();
    return undefined;
  }
}
