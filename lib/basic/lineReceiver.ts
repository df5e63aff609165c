// Port of twisted.protocols.basic.LineReceiver (Twisted 22.4), with its producer methods
// (_PauseableMixin). Covered by spec/basic/lineReceiver.spec.ts (LineReceiverTests,
// LineReceiverLineLengthExceededTests, ProducerTests of protocols/test/test_basic.py).
import { checkBytes, NotImplementedError } from '../protocol/errors.js';
import { PauseableReceiver, type ReceiverTransport } from './pauseable.js';

const EMPTY = Buffer.alloc(0);
const CRLF = Buffer.from('\r\n');

/**
 * A protocol that receives lines and/or raw data, depending on its mode. Port of
 * `twisted.protocols.basic.LineReceiver`.
 *
 * In line mode each line (without the delimiter, `\r\n` by default) goes to `lineReceived`;
 * after `setRawMode()` the bytes go to `rawDataReceived` as they come, starting with the rest of
 * the chunk being parsed; `setLineMode(extra)` goes back, parsing `extra` as lines.
 *
 * Twisted's edge rules, kept exactly:
 * - A line longer than `MAX_LENGTH` (16384) gives `lineLengthExceeded(line + delimiter + the
 *   rest of the buffer)`, the buffer is emptied, and parsing stops. With no delimiter in sight,
 *   the buffer is too long only once it holds `MAX_LENGTH + delimiter.length` bytes (so a
 *   delimiter split across chunks is not mistaken for an overlong line); then
 *   `lineLengthExceeded(the whole buffer)`. The default `lineLengthExceeded` closes the connection.
 * - Delivery stops when the transport is `disconnecting` (the rest stays in the buffer), when
 *   the protocol is paused (`pauseProducing()`), or when `lineReceived` returns a truthy value
 *   (which `dataReceived` returns).
 * - `dataReceived` called from inside `lineReceived` (or `rawDataReceived`) only appends: those
 *   lines come after the current one, without recursion.
 *
 * @example
 * ```ts
 * class Upper extends LineReceiver {
 *   override lineReceived(line: Buffer) { this.sendLine(Buffer.from(line.toString().toUpperCase())); }
 * }
 * const p = new Upper();
 * const sent: Buffer[] = [];
 * p.makeConnection({ write: (d: Uint8Array) => { sent.push(Buffer.from(d)); }, writeSequence() {}, loseConnection() {},
 *   getPeer: () => new IPv4Address('TCP', '127.0.0.1', 1), getHost: () => new IPv4Address('TCP', '127.0.0.1', 2) });
 * p.dataReceived(Buffer.from('hello\r\nwor'));
 * p.dataReceived(Buffer.from('ld\r\n'));
 * console.log(Buffer.concat(sent).toString()); // 'HELLO\r\nWORLD\r\n'
 * ```
 */
export class LineReceiver extends PauseableReceiver {
  /** True in line mode, false in raw mode. Port of `line_mode`. */
  lineMode: boolean = true;
  /** The line delimiter (`\r\n`). */
  delimiter: Buffer = CRLF;
  /** The longest line accepted, in bytes (16384). */
  MAX_LENGTH: number = 16384;
  /** Bytes received and not yet delivered. */
  protected _buffer: Buffer = EMPTY;
  /** True while `dataReceived` is delivering (a nested call only appends). */
  protected _busyReceiving: boolean = false;

  /**
   * Empty the buffer and return what it held. Port of `clearLineBuffer`.
   *
   * @returns the bytes that were buffered.
   */
  clearLineBuffer(): Buffer {
    const b = this._buffer;
    this._buffer = EMPTY;
    return b;
  }

  /**
   * Parse bytes into lines (or pass them on in raw mode). Port of `LineReceiver.dataReceived`.
   *
   * @param data - the bytes.
   * @returns what a hook returned to stop delivery (a truthy `lineReceived` or `rawDataReceived`
   *   result, or `lineLengthExceeded`'s result), else undefined.
   */
  override dataReceived(data: Buffer): unknown {
    if (this._busyReceiving) {
      this._append(data);
      return undefined;
    }
    try {
      this._busyReceiving = true;
      this._append(data);
      while (this._buffer.length > 0 && !this.paused) {
        if (this.lineMode) {
          const buffer = this._buffer;
          const delimiter = this.delimiter;
          const at = buffer.indexOf(delimiter);
          if (at === -1) {
            if (buffer.length >= this.MAX_LENGTH + delimiter.length) {
              this._buffer = EMPTY;
              return this.lineLengthExceeded(buffer);
            }
            return undefined;
          }
          const line = buffer.subarray(0, at);
          this._buffer = buffer.subarray(at + delimiter.length);
          if (line.length > this.MAX_LENGTH) {
            const exceeded = Buffer.concat([line, delimiter, this._buffer]);
            this._buffer = EMPTY;
            return this.lineLengthExceeded(exceeded);
          }
          const why = this.lineReceived(line);
          if (why || (this.transport !== null && (this.transport as ReceiverTransport).disconnecting)) return why;
        } else {
          const raw = this._buffer;
          this._buffer = EMPTY;
          const why = this.rawDataReceived(raw);
          if (why) return why;
        }
      }
      return undefined;
    } finally {
      this._busyReceiving = false;
    }
  }

  private _append(data: Buffer): void {
    checkBytes('dataReceived()', data);
    if (data.length === 0) return;
    this._buffer = this._buffer.length === 0 ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.concat([this._buffer, data]);
  }

  /**
   * Back to line mode; `extra` (if not empty) is parsed as lines at once. Port of `setLineMode`.
   *
   * @param extra - bytes to parse, usually the leftover of a raw block.
   * @returns what `dataReceived(extra)` returned.
   */
  setLineMode(extra: Buffer = EMPTY): unknown {
    this.lineMode = true;
    if (extra.length > 0) return this.dataReceived(extra);
    return undefined;
  }

  /**
   * Switch to raw mode: the rest of the chunk being parsed, and what follows, go to
   * `rawDataReceived`. Port of `setRawMode`.
   */
  setRawMode(): void {
    this.lineMode = false;
  }

  /**
   * Raw bytes arrived (raw mode). Override it. Port of `rawDataReceived`.
   *
   * @param data - the bytes.
   * @returns a truthy value to stop delivery.
   * @throws NotImplementedError unless overridden.
   */
  rawDataReceived(data: Buffer): unknown {
    void data;
    throw new NotImplementedError(`${this.constructor.name}.rawDataReceived()`);
  }

  /**
   * A line arrived, without its delimiter. Override it. Port of `lineReceived`.
   *
   * @param line - the line.
   * @returns a truthy value to stop delivery.
   * @throws NotImplementedError unless overridden.
   */
  lineReceived(line: Buffer): unknown {
    void line;
    throw new NotImplementedError(`${this.constructor.name}.lineReceived()`);
  }

  /**
   * Write `line` and the delimiter, in one `write`. Port of `sendLine`.
   *
   * @param line - the bytes of the line.
   * @throws DataNotBytesError for a string.
   */
  sendLine(line: Uint8Array): void {
    checkBytes('sendLine()', line);
    this.transport!.write(Buffer.concat([line, this.delimiter]));
  }

  /**
   * A line is too long: by default, close the connection. Port of `lineLengthExceeded`.
   *
   * @param line - the overlong line with its delimiter and everything buffered after it, or the
   *   whole buffer when no delimiter came.
   * @returns what `dataReceived` should return.
   */
  lineLengthExceeded(line: Buffer): unknown {
    void line;
    this.transport!.loseConnection();
    return undefined;
  }
}
