// The typed errors twistless raises in the protocol layer where Twisted raised a bare TypeError,
// ValueError or assert. Covered by spec/protocol/protocol.spec.ts and spec/basic/*.spec.ts.

/**
 * A string (or other non-bytes value) was given where bytes are needed: `write`,
 * `writeSequence`, `sendLine`, `sendString`. Port of Twisted's `TypeError("Data must be bytes")`
 * (Python 3 refuses `str`); the message names what was given and says to pass
 * `Buffer.from(text)`.
 *
 * @example
 * ```ts no-run
 * transport.write('hello' as never); // throws DataNotBytesError
 * ```
 */
export class DataNotBytesError extends TypeError {
  /** The rejected value. */
  readonly value: unknown;
  constructor(what: string, value: unknown) {
    super(
      `Data must be bytes: ${what} got ${typeof value === 'string' ? 'a string' : value === null ? 'null' : typeof value}; ` +
        'pass a Buffer or Uint8Array (for text, Buffer.from(text))',
    );
    this.name = 'DataNotBytesError';
    this.value = value;
  }
}

/**
 * Throw `DataNotBytesError` unless `data` is a `Uint8Array` (a `Buffer` is one).
 * No Python counterpart (Python checks `isinstance(data, bytes)` inline).
 *
 * @param what - the call that was given it, for the message (`'sendLine()'`).
 * @param data - the value to check.
 * @throws DataNotBytesError when it is not bytes.
 * @example
 * ```ts no-run
 * checkBytes('write()', data);
 * ```
 */
export function checkBytes(what: string, data: unknown): asserts data is Uint8Array {
  if (!(data instanceof Uint8Array)) throw new DataNotBytesError(what, data);
}

/**
 * `Factory.buildProtocol` was called on a factory whose `protocol` is not set. Port of the
 * `assert self.protocol is not None` of `twisted.internet.protocol.Factory.buildProtocol`.
 *
 * @example
 * ```ts no-run
 * new Factory().buildProtocol(addr); // throws NoProtocolClassError
 * ```
 */
export class NoProtocolClassError extends TypeError {
  constructor(factoryName: string) {
    super(
      `${factoryName}.buildProtocol(): the factory's protocol is not set; set factory.protocol = SomeProtocol, ` +
        'use Factory.forProtocol(SomeProtocol), or override buildProtocol()',
    );
    this.name = 'NoProtocolClassError';
  }
}

/**
 * `ReconnectingClientFactory.retry()` was called with no connector, before any connection
 * attempt told the factory one. Port of its `ValueError("no connector to retry")`.
 *
 * @example
 * ```ts no-run
 * new ReconnectingClientFactory().retry(); // throws NoConnectorError
 * ```
 */
export class NoConnectorError extends TypeError {
  constructor() {
    super('no connector to retry: pass one to retry(connector), or let a failed or lost connection set factory.connector first');
    this.name = 'NoConnectorError';
  }
}

/**
 * A hook a subclass must define was called on a class that does not define it
 * (`lineReceived`, `rawDataReceived`, `stringReceived`). Port of Python's `NotImplementedError`
 * as Twisted's base classes raise it.
 *
 * @example
 * ```ts no-run
 * new LineReceiver().lineReceived(Buffer.from('x')); // throws NotImplementedError
 * ```
 */
export class NotImplementedError extends Error {
  constructor(what: string) {
    super(`${what} is not implemented: override it in your subclass`);
    this.name = 'NotImplementedError';
  }
}

/**
 * A `DatagramProtocol` was connected to a second port while it still has one, or stopped more
 * often than it was started. Port of the `assert self.transport == None` of
 * `AbstractDatagramProtocol.makeConnection` and the `assert self.numPorts > 0` of its `doStop`.
 *
 * @example
 * ```ts no-run
 * reactor.listenUDP(0, proto);
 * reactor.listenUDP(0, proto); // throws DatagramProtocolStateError: it already has a transport
 * ```
 */
export class DatagramProtocolStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatagramProtocolStateError';
  }
}
