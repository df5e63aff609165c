// Port of the errors of twisted.protocols.basic (Twisted 22.4): NetstringParseError,
// IncompleteNetstring, StringTooLongError. Covered by spec/basic/*.spec.ts.

/**
 * A netstring is malformed (no length, a leading zero, a length over `MAX_LENGTH`, no trailing
 * comma). `NetstringReceiver` catches it itself: it closes the connection and sets `brokenPeer`.
 * Port of `twisted.protocols.basic.NetstringParseError` (a ValueError there).
 *
 * @example
 * ```ts
 * new NetstringParseError('The received netstring is not terminated by a comma.').name; // 'NetstringParseError'
 * ```
 */
export class NetstringParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NetstringParseError';
  }
}

/**
 * Not enough bytes yet for a whole netstring (used inside `NetstringReceiver`'s parser). Port of
 * `twisted.protocols.basic.IncompleteNetstring`.
 *
 * @example
 * ```ts
 * new IncompleteNetstring().name; // 'IncompleteNetstring'
 * ```
 */
export class IncompleteNetstring extends Error {
  constructor(message: string = 'the netstring is not complete yet') {
    super(message);
    this.name = 'IncompleteNetstring';
  }
}

/**
 * `sendString` was given a string too long for the length prefix (256 bytes or more for
 * `Int8StringReceiver`, 65,536 for `Int16StringReceiver`, 2^32 for `Int32StringReceiver`).
 * Port of `twisted.protocols.basic.StringTooLongError` (an AssertionError there), with
 * Twisted's message "Try to send N bytes whereas maximum is M".
 *
 * @example
 * ```ts
 * new StringTooLongError(300, 256).message; // 'Try to send 300 bytes whereas maximum is 256'
 * ```
 */
export class StringTooLongError extends RangeError {
  /** The length given. */
  readonly length: number;
  /** The bound it must stay below. */
  readonly maximum: number;
  constructor(length: number, maximum: number) {
    super(`Try to send ${length} bytes whereas maximum is ${maximum}`);
    this.name = 'StringTooLongError';
    this.length = length;
    this.maximum = maximum;
  }
}
