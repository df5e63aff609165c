// Port of twisted.protocols.basic.IntNStringReceiver and its Int32/Int16/Int8 subclasses
// (Twisted 22.4), with the legacy `recvd` attribute. Covered by spec/basic/intNStringReceiver.spec.ts
// (Int32Tests, Int16Tests, Int8Tests of protocols/test/test_basic.py).
import { checkBytes, NotImplementedError } from '../protocol/errors.js';
import { StringTooLongError } from './errors.js';
import { PauseableReceiver } from './pauseable.js';

const EMPTY = Buffer.alloc(0);

/**
 * A length-prefixed string receiver: each string is preceded by its length as a big-endian
 * unsigned integer of `prefixLength` bytes. Port of `twisted.protocols.basic.IntNStringReceiver`;
 * use `Int32StringReceiver`, `Int16StringReceiver` or `Int8StringReceiver`.
 *
 * `MAX_LENGTH` is 99999 for every prefix size (a longer announced length gives
 * `lengthLimitExceeded(length)`, which closes the connection; the string is never delivered).
 * `sendString` refuses a string of `2 ** (8 * prefixLength)` bytes or more with
 * `StringTooLongError`.
 *
 * @example
 * ```ts
 * class Collect extends Int16StringReceiver {
 *   got: string[] = [];
 *   override stringReceived(s: Buffer) { this.got.push(s.toString()); }
 * }
 * const p = new Collect();
 * p.dataReceived(Buffer.from([0, 3, 0x61, 0x62]));
 * p.dataReceived(Buffer.from([0x63]));
 * console.log(p.got); // [ 'abc' ]
 * ```
 */
export abstract class IntNStringReceiver extends PauseableReceiver {
  /** The longest string accepted (99999). */
  MAX_LENGTH: number = 99999;
  /** Python's struct format of the prefix (`'!I'`, `'!H'`, `'!B'`). */
  abstract readonly structFormat: string;
  /** The prefix size in bytes (4, 2, 1). */
  abstract readonly prefixLength: number;
  /** Bytes received and not yet consumed. */
  protected _unprocessed: Buffer = EMPTY;
  /** Where the unconsumed part of `_unprocessed` starts while strings are being delivered. */
  protected _compatibilityOffset: number = 0;
  /** A `recvd` assigned from inside `stringReceived`, or undefined. */
  private _recvdAssigned: Buffer | undefined = undefined;

  /**
   * The bytes received and not yet consumed (readable inside `stringReceived` and
   * `lengthLimitExceeded`); assigning it from `stringReceived` replaces them. Port of the
   * legacy `recvd` attribute.
   */
  get recvd(): Buffer {
    return this._unprocessed.subarray(this._compatibilityOffset);
  }

  set recvd(value: Buffer) {
    this._recvdAssigned = value;
  }

  /**
   * The length prefix for `length`. No Python counterpart (`struct.pack(structFormat, length)`).
   *
   * @param length - the length.
   * @returns the prefix bytes.
   */
  packPrefix(length: number): Buffer {
    const b = Buffer.alloc(this.prefixLength);
    b.writeUIntBE(length, 0, this.prefixLength);
    return b;
  }

  /**
   * A whole string arrived. Override it. Port of `stringReceived`.
   *
   * @param data - the string.
   * @throws NotImplementedError unless overridden.
   */
  stringReceived(data: Buffer): void {
    void data;
    throw new NotImplementedError(`${this.constructor.name}.stringReceived()`);
  }

  /**
   * The announced length is over `MAX_LENGTH`: by default, close the connection.
   * Port of `lengthLimitExceeded`.
   *
   * @param length - the announced length.
   */
  lengthLimitExceeded(length: number): void {
    void length;
    this.transport!.loseConnection();
  }

  /**
   * Parse bytes into strings. Port of `IntNStringReceiver.dataReceived`.
   *
   * @param data - the bytes.
   */
  override dataReceived(data: Buffer): void {
    checkBytes('dataReceived()', data);
    let alldata = this._unprocessed.length === 0 ? data : Buffer.concat([this._unprocessed, data]);
    let currentOffset = 0;
    const prefixLength = this.prefixLength;
    this._unprocessed = alldata;
    while (alldata.length >= currentOffset + prefixLength && !this.paused) {
      const messageStart = currentOffset + prefixLength;
      const length = alldata.readUIntBE(currentOffset, prefixLength);
      if (length > this.MAX_LENGTH) {
        this._unprocessed = alldata;
        this._compatibilityOffset = currentOffset;
        this.lengthLimitExceeded(length);
        return;
      }
      const messageEnd = messageStart + length;
      if (alldata.length < messageEnd) break;
      const packet = alldata.subarray(messageStart, messageEnd);
      currentOffset = messageEnd;
      this._compatibilityOffset = currentOffset;
      this.stringReceived(packet);
      if (this._recvdAssigned !== undefined) {
        alldata = this._recvdAssigned;
        this._recvdAssigned = undefined;
        this._unprocessed = alldata;
        this._compatibilityOffset = currentOffset = 0;
        if (alldata.length > 0) continue;
        return;
      }
    }
    this._unprocessed = alldata.subarray(currentOffset);
    this._compatibilityOffset = 0;
  }

  /**
   * Send `data` with its length prefix, in one `write`. Port of `sendString`.
   *
   * @param data - the string.
   * @throws StringTooLongError when `data.length >= 2 ** (8 * prefixLength)`.
   * @throws DataNotBytesError for a string.
   */
  sendString(data: Uint8Array): void {
    checkBytes('sendString()', data);
    const maximum = 2 ** (8 * this.prefixLength);
    if (data.length >= maximum) throw new StringTooLongError(data.length, maximum);
    this.transport!.write(Buffer.concat([this.packPrefix(data.length), data]));
  }
}

/**
 * Strings prefixed with a 4-byte big-endian length. Port of
 * `twisted.protocols.basic.Int32StringReceiver`.
 *
 * @example
 * ```ts no-run
 * class P extends Int32StringReceiver { override stringReceived(s: Buffer) { this.sendString(s); } }
 * ```
 */
export class Int32StringReceiver extends IntNStringReceiver {
  readonly structFormat: string = '!I';
  readonly prefixLength: number = 4;
}

/**
 * Strings prefixed with a 2-byte big-endian length. Port of
 * `twisted.protocols.basic.Int16StringReceiver`.
 *
 * @example
 * ```ts no-run
 * class P extends Int16StringReceiver { override stringReceived(s: Buffer) { this.sendString(s); } }
 * ```
 */
export class Int16StringReceiver extends IntNStringReceiver {
  readonly structFormat: string = '!H';
  readonly prefixLength: number = 2;
}

/**
 * Strings prefixed with a 1-byte length. Port of `twisted.protocols.basic.Int8StringReceiver`.
 *
 * @example
 * ```ts no-run
 * class P extends Int8StringReceiver { override stringReceived(s: Buffer) { this.sendString(s); } }
 * ```
 */
export class Int8StringReceiver extends IntNStringReceiver {
  readonly structFormat: string = '!B';
  readonly prefixLength: number = 1;
}
