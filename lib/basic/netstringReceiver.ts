// Port of twisted.protocols.basic.NetstringReceiver (Twisted 22.4): the parser's states and
// error rules. Covered by spec/basic/netstringReceiver.spec.ts (NetstringReceiverTests of
// protocols/test/test_basic.py).
import { Protocol } from '../protocol/protocol.js';
import { checkBytes, NotImplementedError } from '../protocol/errors.js';
import type { ITransport } from '../protocol/interfaces.js';
import { IncompleteNetstring, NetstringParseError } from './errors.js';

const EMPTY = Buffer.alloc(0);
const COLON = 0x3a;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const PARSING_LENGTH = 0;
const PARSING_PAYLOAD = 1;

const MISSING_LENGTH = 'The received netstring does not start with a length specification.';
const MISSING_COMMA = 'The received netstring is not terminated by a comma.';
function tooLong(max: number): string {
  return `The received netstring is longer than the maximum ${max} specified by self.MAX_LENGTH`;
}

function isDigit(b: number | undefined): boolean {
  return b !== undefined && b >= 0x30 && b <= 0x39;
}

/**
 * The netstring encoding of `data`: `<length>:<data>,`. Port of `basic._formatNetstring`.
 *
 * @param data - the payload.
 * @returns the netstring.
 * @example
 * ```ts
 * formatNetstring(Buffer.from('abc')).toString(); // '3:abc,'
 * ```
 */
export function formatNetstring(data: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${data.length}:`, 'ascii'), data, Buffer.from(',')]);
}

/**
 * A protocol that sends and receives netstrings (`3:abc,`, see http://cr.yp.to/proto/netstrings.txt).
 * Port of `twisted.protocols.basic.NetstringReceiver`.
 *
 * A malformed netstring (no length, a length with a leading zero, a length over `MAX_LENGTH`
 * (99999), a missing comma) is not an exception: the receiver closes the connection and sets
 * `brokenPeer`. `0:,` is an empty string.
 *
 * @example
 * ```ts
 * class Collect extends NetstringReceiver {
 *   got: string[] = [];
 *   override stringReceived(s: Buffer) { this.got.push(s.toString()); }
 * }
 * const p = new Collect();
 * p.dataReceived(Buffer.from('3:abc,0:,2:'));
 * p.dataReceived(Buffer.from('hi,'));
 * console.log(p.got); // [ 'abc', '', 'hi' ]
 * ```
 */
export class NetstringReceiver extends Protocol {
  /** The longest string accepted (99999). */
  MAX_LENGTH: number = 99999;
  /** True once the peer sent a malformed netstring (the connection was closed). */
  brokenPeer: boolean = false;
  /** Bytes received and not yet parsed. */
  protected _remainingData: Buffer = EMPTY;
  /** Payload bytes (with the comma) collected so far. */
  protected _currentPayloadSize: number = 0;
  /** The payload chunks collected so far. */
  protected _payload: Buffer[] = [];
  /** Parsing a length or a payload. */
  protected _state: number = PARSING_LENGTH;
  /** The length announced, plus one for the comma. */
  protected _expectedPayloadSize: number = 0;

  /**
   * Reset the parser and connect. Port of `NetstringReceiver.makeConnection`.
   *
   * @param transport - the connection.
   */
  override makeConnection(transport: ITransport): void {
    super.makeConnection(transport);
    this._remainingData = EMPTY;
    this._currentPayloadSize = 0;
    this._payload = [];
    this._state = PARSING_LENGTH;
    this._expectedPayloadSize = 0;
    this.brokenPeer = false;
  }

  /**
   * Send `data` as one netstring. Port of `sendString`.
   *
   * @param data - the payload.
   * @throws DataNotBytesError for a string.
   */
  sendString(data: Uint8Array): void {
    checkBytes('sendString()', data);
    this.transport!.write(formatNetstring(data));
  }

  /**
   * Parse bytes into netstrings. Port of `NetstringReceiver.dataReceived`.
   *
   * @param data - the bytes.
   */
  override dataReceived(data: Buffer): void {
    checkBytes('dataReceived()', data);
    this._remainingData = this._remainingData.length === 0 ? data : Buffer.concat([this._remainingData, data]);
    while (this._remainingData.length > 0) {
      try {
        this._consumeData();
      } catch (e) {
        if (e instanceof IncompleteNetstring) break;
        if (e instanceof NetstringParseError) {
          this._handleParseError();
          break;
        }
        throw e;
      }
    }
  }

  /**
   * A whole netstring arrived. Override it. Port of `stringReceived`.
   *
   * @param data - the payload.
   * @throws NotImplementedError unless overridden.
   */
  stringReceived(data: Buffer): void {
    void data;
    throw new NotImplementedError(`${this.constructor.name}.stringReceived()`);
  }

  /** The most digits a length may have: ceil(log10(MAX_LENGTH)) + 1. Port of `_maxLengthSize`. */
  protected _maxLengthSize(): number {
    return Math.ceil(Math.log10(this.MAX_LENGTH)) + 1;
  }

  /** Parse a length then a payload, as far as the data goes. Port of `_consumeData`. */
  protected _consumeData(): void {
    if (this._state === PARSING_LENGTH) {
      this._consumeLength();
      this._state = PARSING_PAYLOAD;
      this._currentPayloadSize = 0;
      this._payload = [];
    }
    if (this._state === PARSING_PAYLOAD) this._consumePayload();
  }

  /**
   * Parse `<digits>:` at the start of the data, as Twisted's regular expressions
   * `(0|[1-9]\d*)(:)` and, for a partial length, `(0|[1-9]\d*)$` do. Port of `_consumeLength`.
   *
   * @throws IncompleteNetstring when the length is not complete yet.
   * @throws NetstringParseError when it is malformed or too long.
   */
  protected _consumeLength(): void {
    const data = this._remainingData;
    let digits = 0;
    if (data[0] === 0x30) digits = 1;
    else while (isDigit(data[digits])) digits++;
    if (digits > 0 && data[digits] === COLON) {
      this._expectedPayloadSize = this._extractLength(data.subarray(0, digits)) + 1;
      this._remainingData = data.subarray(digits + 1);
      return;
    }
    // Python's `$` also matches before one final newline.
    const partial = digits > 0 && (digits === data.length || (digits === data.length - 1 && data[digits] === NEWLINE));
    if (!partial) throw new NetstringParseError(MISSING_LENGTH);
    this._extractLength(data.subarray(0, digits));
    throw new IncompleteNetstring();
  }

  /** The length as a number, or NetstringParseError when it is over `MAX_LENGTH`. Port of `_extractLength`. */
  protected _extractLength(lengthAsString: Buffer): number {
    if (lengthAsString.length > this._maxLengthSize()) throw new NetstringParseError(tooLong(this.MAX_LENGTH));
    const length = Number(lengthAsString.toString('ascii'));
    if (length > this.MAX_LENGTH) throw new NetstringParseError(tooLong(this.MAX_LENGTH));
    return length;
  }

  /** Collect payload bytes; deliver the string once the comma came. Port of `_consumePayload`. */
  protected _consumePayload(): void {
    const missing = this._expectedPayloadSize - this._currentPayloadSize;
    const data = this._remainingData;
    if (data.length >= missing) {
      this._payload.push(data.subarray(0, missing));
      this._remainingData = data.subarray(missing);
      this._currentPayloadSize = this._expectedPayloadSize;
    } else {
      this._payload.push(data);
      this._currentPayloadSize += data.length;
      this._remainingData = EMPTY;
    }
    if (this._currentPayloadSize < this._expectedPayloadSize) throw new IncompleteNetstring();
    const payload = this._payload.length === 1 ? this._payload[0]! : Buffer.concat(this._payload);
    if (payload[payload.length - 1] !== COMMA) throw new NetstringParseError(MISSING_COMMA);
    this._state = PARSING_LENGTH;
    this._payload = [];
    this.stringReceived(payload.subarray(0, payload.length - 1));
  }

  /** True when the data holds the rest of the payload. Port of `_payloadComplete`. */
  protected _payloadComplete(): boolean {
    return this._remainingData.length + this._currentPayloadSize >= this._expectedPayloadSize;
  }

  /** A malformed netstring: close the connection and mark the peer broken. Port of `_handleParseError`. */
  protected _handleParseError(): void {
    this.transport!.loseConnection();
    this.brokenPeer = true;
  }
}
