// Port of StringTransport and StringTransportWithDisconnection of twisted.internet.testing
// (Twisted 22.4). Covered by spec/testing/internetTesting.spec.ts (StringTransportTests).
import { IPv4Address, type IAddress } from '../address/address.js';
import { ConnectionDone } from '../error/connectionErrors.js';
import { Failure } from '../failure/failure.js';
import { ProducerRegisteredError } from '../internet/errors.js';
import { checkBytes } from '../protocol/errors.js';
import type { IConsumer, IProtocol, IPullProducer, IPushProducer, ITCPTransport } from '../protocol/interfaces.js';
import { MissingProtocolError, NoProducerError, ProducerStateError } from './errors.js';

/** The state of a `StringTransport` as a push producer (Twisted's `producerState`). */
export type ProducerState = 'producing' | 'paused' | 'stopped';

/** Options of `new StringTransport(...)`: Twisted's constructor arguments. */
export interface StringTransportOptions {
  /** What `getHost()` returns (default `IPv4Address('TCP', '10.0.0.1', 12345)`). */
  hostAddress?: IAddress | null;
  /** What `getPeer()` returns (default `IPv4Address('TCP', '192.168.1.1', 54321)`). */
  peerAddress?: IAddress | null;
  /**
   * Allow `pauseProducing()`/`resumeProducing()` after `loseConnection()` (default false: they
   * throw, so code that pauses a closing transport is noticed). Port of `lenient`.
   */
  lenient?: boolean;
}

/**
 * A transport that keeps what is written in memory, for testing a protocol without a socket:
 * connect a protocol to it with `makeConnection`, feed it with `dataReceived`, and read what it
 * wrote with `value()`. It only records: `loseConnection()` sets `disconnecting` and never calls
 * `connectionLost` (use `StringTransportWithDisconnection` for that).
 *
 * Port of `twisted.internet.testing.StringTransport`. Besides Twisted's: `write` and
 * `writeSequence` refuse a string with `DataNotBytesError` (a TypeError; `Buffer.from(text)`),
 * checking every chunk before keeping any; the TCP no-delay and keep-alive options are kept and
 * read back (false by default); `loseWriteConnection()` sets `writeDisconnected`.
 *
 * @example
 * ```ts
 * import { Protocol } from 'twistless/protocol';
 * import { StringTransport } from 'twistless/testing';
 *
 * class Echo extends Protocol {
 *   override dataReceived(data: Buffer) { this.transport!.write(data); }
 * }
 * const transport = new StringTransport();
 * const echo = new Echo();
 * echo.makeConnection(transport);
 * echo.dataReceived(Buffer.from('hello'));
 * console.log(transport.value().toString()); // hello
 * ```
 */
export class StringTransport implements ITCPTransport, IConsumer, IPushProducer {
  /** False until `loseConnection()` (or `abortConnection()`) is called, then true. */
  disconnecting: boolean;
  /** False until `abortConnection()` is called, then true. */
  disconnected: boolean;
  /** True; only `StringTransportWithDisconnection.loseConnection()` makes it false. */
  connected: boolean;
  /** The registered producer, or null. */
  producer: IPushProducer | IPullProducer | null;
  /** The `streaming` flag given with the registered producer, or null when none is registered. */
  streaming: boolean | null;
  /** This transport's own state as a push producer: `'producing'`, `'paused'` or `'stopped'`. */
  producerState: ProducerState;
  /** The address given as `hostAddress`, or null (then `getHost()` gives the default). */
  hostAddress: IAddress | null;
  /** The address given as `peerAddress`, or null (then `getPeer()` gives the default). */
  peerAddress: IAddress | null;
  /** True once `loseWriteConnection()` was called (not in Twisted's StringTransport). */
  writeDisconnected: boolean;
  /** @internal the chunks written since the last clear(). */
  _chunks: Buffer[];
  /** @internal their concatenation, cached by value(). */
  _joined: Buffer | null;
  /** @internal see StringTransportOptions.lenient. */
  _lenient: boolean;
  /** @internal setTcpNoDelay's value. */
  _noDelay: boolean;
  /** @internal setTcpKeepAlive's value. */
  _keepAlive: boolean;

  /**
   * @param options - `hostAddress`, `peerAddress`, `lenient` (Twisted's keyword arguments).
   */
  constructor(options: StringTransportOptions = {}) {
    this.disconnecting = false;
    this.disconnected = false;
    this.connected = true;
    this.producer = null;
    this.streaming = null;
    this.producerState = 'producing';
    this.hostAddress = options.hostAddress ?? null;
    this.peerAddress = options.peerAddress ?? null;
    this.writeDisconnected = false;
    this._chunks = [];
    this._joined = null;
    this._lenient = options.lenient ?? false;
    this._noDelay = false;
    this._keepAlive = false;
  }

  /** Twisted's name for `hostAddress`. */
  get hostAddr(): IAddress | null {
    return this.hostAddress;
  }
  set hostAddr(address: IAddress | null) {
    this.hostAddress = address;
  }

  /** Twisted's name for `peerAddress`. */
  get peerAddr(): IAddress | null {
    return this.peerAddress;
  }
  set peerAddr(address: IAddress | null) {
    this.peerAddress = address;
  }

  /**
   * Forget everything written so far. A test method, not a transport one.
   * Port of `StringTransport.clear`.
   *
   * @example
   * ```ts no-run
   * transport.clear(); // transport.value().length === 0
   * ```
   */
  clear(): void {
    this._chunks = [];
    this._joined = null;
  }

  /**
   * Everything written since the last `clear()`, as one Buffer (a copy: later writes do not
   * change it). A test method, not a transport one. Port of `StringTransport.value`.
   *
   * @returns the bytes.
   * @example
   * ```ts no-run
   * transport.write(Buffer.from('a'));
   * transport.value().toString(); // 'a'
   * ```
   */
  value(): Buffer {
    if (this._joined === null) this._joined = Buffer.concat(this._chunks);
    return Buffer.from(this._joined);
  }

  /**
   * Keep `data` (a copy of it). Port of `StringTransport.write`.
   *
   * @param data - bytes.
   * @throws DataNotBytesError (a TypeError) for a string or any other non-bytes value.
   * @example
   * ```ts no-run
   * transport.write(Buffer.from('hello'));
   * ```
   */
  write(data: Uint8Array): void {
    checkBytes('StringTransport.write()', data);
    this._chunks.push(Buffer.from(data));
    this._joined = null;
  }

  /**
   * Keep the chunks, as one write of their concatenation. Port of `StringTransport.writeSequence`.
   *
   * @param data - an iterable of bytes.
   * @throws DataNotBytesError when `data` is a string or one chunk is not bytes (nothing is kept).
   * @example
   * ```ts no-run
   * transport.writeSequence([Buffer.from('a'), Buffer.from('b')]);
   * ```
   */
  writeSequence(data: Iterable<Uint8Array>): void {
    if (typeof data === 'string') checkBytes('StringTransport.writeSequence()', data);
    const chunks = Array.from(data);
    for (const chunk of chunks) checkBytes('StringTransport.writeSequence() chunk', chunk);
    this._chunks.push(Buffer.concat(chunks));
    this._joined = null;
  }

  /**
   * Set `disconnecting`; nothing else (no `connectionLost`). Port of `StringTransport.loseConnection`.
   *
   * @example
   * ```ts no-run
   * transport.loseConnection(); // transport.disconnecting === true
   * ```
   */
  loseConnection(): void {
    this.disconnecting = true;
  }

  /**
   * Set `disconnected`, then `loseConnection()`. Port of `StringTransport.abortConnection`.
   *
   * @example
   * ```ts no-run
   * transport.abortConnection(); // disconnected and disconnecting are true
   * ```
   */
  abortConnection(): void {
    this.disconnected = true;
    this.loseConnection();
  }

  /**
   * Record a half-close in `writeDisconnected`. Not in Twisted's StringTransport (ITCPTransport's
   * `loseWriteConnection`).
   */
  loseWriteConnection(): void {
    this.writeDisconnected = true;
  }

  /**
   * The peer's address: `peerAddress`, or `IPv4Address('TCP', '192.168.1.1', 54321)`.
   * Port of `StringTransport.getPeer`.
   */
  getPeer(): IAddress {
    return this.peerAddress ?? new IPv4Address('TCP', '192.168.1.1', 54321);
  }

  /**
   * The local address: `hostAddress`, or `IPv4Address('TCP', '10.0.0.1', 12345)`.
   * Port of `StringTransport.getHost`.
   */
  getHost(): IAddress {
    return this.hostAddress ?? new IPv4Address('TCP', '10.0.0.1', 12345);
  }

  /** The value last given to `setTcpNoDelay` (false at first). */
  getTcpNoDelay(): boolean {
    return this._noDelay;
  }

  /** Record the TCP no-delay option (read back by `getTcpNoDelay`). */
  setTcpNoDelay(enabled: boolean): void {
    this._noDelay = Boolean(enabled);
  }

  /** The value last given to `setTcpKeepAlive` (false at first). */
  getTcpKeepAlive(): boolean {
    return this._keepAlive;
  }

  /** Record the TCP keep-alive option (read back by `getTcpKeepAlive`). */
  setTcpKeepAlive(enabled: boolean): void {
    this._keepAlive = Boolean(enabled);
  }

  /**
   * Record `producer` and `streaming` in `producer` and `streaming`; nothing is called on the
   * producer. Port of `StringTransport.registerProducer`.
   *
   * @param producer - a push producer (`streaming` true) or a pull producer.
   * @param streaming - the kind.
   * @throws ProducerRegisteredError when a producer is registered already (Twisted's
   *   RuntimeError "Cannot register two producers"); the first stays registered.
   * @example
   * ```ts no-run
   * transport.registerProducer(producer, true); // transport.producer === producer
   * ```
   */
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    if (this.producer !== null) {
      throw new ProducerRegisteredError(
        `Cannot register two producers: this StringTransport already has ${String(this.producer)}; ` +
          'call unregisterProducer() before registering another',
      );
    }
    this.producer = producer;
    this.streaming = streaming;
  }

  /**
   * Forget the registered producer. Port of `StringTransport.unregisterProducer`.
   *
   * @throws NoProducerError when none is registered (Twisted's RuntimeError).
   */
  unregisterProducer(): void {
    if (this.producer === null) {
      throw new NoProducerError('Cannot unregister a producer unless one is registered: this StringTransport has none');
    }
    this.producer = null;
    this.streaming = null;
  }

  /** @internal Twisted's _checkState. */
  _checkState(what: string): void {
    if (this.disconnecting && !this._lenient) {
      throw new ProducerStateError(
        `Cannot resume producing after loseConnection: StringTransport.${what}() was called on a disconnecting ` +
          'transport (pass { lenient: true } to allow it)',
      );
    }
    if (this.producerState === 'stopped') {
      throw new ProducerStateError(`Cannot resume a stopped producer: StringTransport.${what}() after stopProducing()`);
    }
  }

  /**
   * Set `producerState` to `'paused'`. Port of `StringTransport.pauseProducing`.
   *
   * @throws ProducerStateError after `stopProducing()`, or after `loseConnection()` unless lenient.
   */
  pauseProducing(): void {
    this._checkState('pauseProducing');
    this.producerState = 'paused';
  }

  /**
   * Set `producerState` to `'producing'`. Port of `StringTransport.resumeProducing`.
   *
   * @throws ProducerStateError after `stopProducing()`, or after `loseConnection()` unless lenient.
   */
  resumeProducing(): void {
    this._checkState('resumeProducing');
    this.producerState = 'producing';
  }

  /** Set `producerState` to `'stopped'`. Port of `StringTransport.stopProducing`. */
  stopProducing(): void {
    this.producerState = 'stopped';
  }
}

/**
 * A `StringTransport` whose `loseConnection()` tells the protocol: the first call sets
 * `connected` to false and calls `protocol.connectionLost(Failure(ConnectionDone('Bye.')))`,
 * synchronously; later calls do nothing. Set `protocol` (or pass it as an option) after
 * `makeConnection`. Like Twisted's, it does not set `disconnecting`.
 *
 * Port of `twisted.internet.testing.StringTransportWithDisconnection`.
 *
 * @example
 * ```ts
 * import { Protocol } from 'twistless/protocol';
 * import type { Failure } from 'twistless/failure';
 * import { StringTransportWithDisconnection } from 'twistless/testing';
 *
 * class Quitter extends Protocol {
 *   override dataReceived() { this.transport!.loseConnection(); }
 *   override connectionLost(reason: Failure) { console.log('lost:', reason.getErrorMessage()); }
 * }
 * const p = new Quitter();
 * const transport = new StringTransportWithDisconnection();
 * p.makeConnection(transport);
 * transport.protocol = p;
 * p.dataReceived(Buffer.from('QUIT')); // lost: Connection was closed cleanly: Bye..
 * ```
 */
export class StringTransportWithDisconnection extends StringTransport {
  /** The protocol told of the disconnection; set it after `makeConnection`. */
  protocol: IProtocol | null;

  /**
   * @param options - StringTransport's options, and `protocol`.
   */
  constructor(options: StringTransportOptions & { protocol?: IProtocol | null } = {}) {
    super(options);
    this.protocol = options.protocol ?? null;
  }

  /**
   * The first call: `connected = false` and `protocol.connectionLost(...)` with a Failure of
   * `ConnectionDone('Bye.')`. Port of `StringTransportWithDisconnection.loseConnection`.
   *
   * @throws MissingProtocolError when `protocol` was never set (nothing changes).
   */
  override loseConnection(): void {
    if (!this.connected) return;
    const protocol = this.protocol;
    if (protocol === null) {
      throw new MissingProtocolError(
        'StringTransportWithDisconnection.loseConnection() has no protocol to tell: set transport.protocol = yourProtocol ' +
          'after makeConnection (or pass { protocol })',
      );
    }
    this.connected = false;
    protocol.connectionLost(new Failure(new ConnectionDone('Bye.')));
  }
}
