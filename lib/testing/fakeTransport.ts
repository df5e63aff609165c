// Port of twisted.test.iosim's FakeTransport, FakeAddress, makeFakeClient and makeFakeServer
// (Twisted 22.4): the in-memory transport of one side of a connection, which keeps what its
// protocol writes until an IOPump (iosim.ts) moves it. Covered by spec/testing/iosim.spec.ts
// (FakeTransportTests, StrictPushProducerTests).
import { ConnectionDone } from '../error/connectionErrors.js';
import { Failure } from '../failure/failure.js';
import { ProducerRegisteredError } from '../internet/errors.js';
import { checkBytes } from '../protocol/errors.js';
import type { IAddress } from '../address/address.js';
import type { IProtocol, IPullProducer, IPushProducer, ITCPTransport } from '../protocol/interfaces.js';
import { IdentityAddress } from './identityAddress.js';

/**
 * The default host and peer address of a `FakeTransport`: an address of nothing.
 * Port of `twisted.test.iosim.FakeAddress`.
 */
export class FakeAddress extends IdentityAddress {
  constructor() {
    super('FakeAddress');
  }
}

let nextSerial = 0;

/** Options of `new FakeTransport(...)`: Twisted's keyword arguments. */
export interface FakeTransportOptions {
  /** What `getHost()` returns (default: a new `FakeAddress`). */
  hostAddress?: IAddress | null;
  /** What `getPeer()` returns (default: a new `FakeAddress`). */
  peerAddress?: IAddress | null;
}

/**
 * An in-memory transport for one side of a connection made by `iosimConnect` or
 * `connectedServerAndClient`: writes collect in `stream` until an `IOPump` moves them to the
 * other side's protocol. Once `disconnecting` (after `loseConnection()`), writes are accepted and
 * dropped; the pump then tells the other side `connectionLost` with `disconnectReason`.
 *
 * Port of `twisted.test.iosim.FakeTransport` (TLS simulation, `startTLS`, not ported). Besides
 * Twisted's: `write`/`writeSequence` refuse strings (`DataNotBytesError`); a second
 * `registerProducer` throws `ProducerRegisteredError` as a real transport does (Twisted's
 * replaces the producer); the TCP no-delay and keep-alive options are kept and read back.
 *
 * @example
 * ```ts
 * import { Protocol } from 'twistless/protocol';
 * import { FakeTransport } from 'twistless/testing';
 *
 * const transport = new FakeTransport(new Protocol(), false);
 * transport.write(Buffer.from('a'));
 * transport.writeSequence([Buffer.from('b'), Buffer.from('c')]);
 * console.log(transport.getOutBuffer()!.toString()); // abc
 * ```
 */
export class FakeTransport implements ITCPTransport {
  /** The protocol this transport delivers to. */
  protocol: IProtocol;
  /** True on the accepting side. */
  readonly isServer: boolean;
  /** The chunks written and not yet taken by `getOutBuffer()`. */
  stream: Buffer[];
  /** A number unique to this transport in the process. */
  readonly serial: number;
  /** What `getHost()` returns. */
  hostAddress: IAddress;
  /** What `getPeer()` returns. */
  peerAddress: IAddress;
  /** True once `loseConnection()` (or `abortConnection()`) was called, or the peer closed. */
  disconnecting: boolean;
  /** True once the pump delivered this side's close to the peer. */
  disconnected: boolean;
  /** The error the peer's `connectionLost` gets (default `ConnectionDone('Connection done')`). */
  disconnectReason: Error;
  /** The registered producer, or null. */
  producer: IPushProducer | IPullProducer | null;
  /** True when the registered producer is a push producer. */
  streamingProducer: boolean;
  /** @internal setTcpNoDelay's value. */
  _noDelay: boolean;
  /** @internal setTcpKeepAlive's value. */
  _keepAlive: boolean;

  /**
   * @param protocol - the protocol bytes are delivered to.
   * @param isServer - true for the accepting side.
   * @param options - `hostAddress` and `peerAddress`.
   */
  constructor(protocol: IProtocol, isServer: boolean, options: FakeTransportOptions = {}) {
    this.protocol = protocol;
    this.isServer = isServer;
    this.stream = [];
    this.serial = nextSerial++;
    this.hostAddress = options.hostAddress ?? new FakeAddress();
    this.peerAddress = options.peerAddress ?? new FakeAddress();
    this.disconnecting = false;
    this.disconnected = false;
    this.disconnectReason = new ConnectionDone('Connection done');
    this.producer = null;
    this.streamingProducer = false;
    this._noDelay = false;
    this._keepAlive = false;
  }

  /** `FakeTransport<S,0,Echo>`: side, serial, protocol class. Port of `FakeTransport.__repr__`. */
  toString(): string {
    return `FakeTransport<${this.isServer ? 'S' : 'C'},${this.serial},${this.protocol.constructor.name}>`;
  }

  /**
   * Queue a copy of `data` for the peer; once disconnecting, drop it silently (as Twisted's).
   * Port of `FakeTransport.write`.
   *
   * @throws DataNotBytesError for a string or other non-bytes value.
   */
  write(data: Uint8Array): void {
    checkBytes('FakeTransport.write()', data);
    if (this.disconnecting) return;
    this.stream.push(Buffer.from(data));
  }

  /**
   * `write` of the chunks' concatenation. Port of `FakeTransport.writeSequence`.
   *
   * @throws DataNotBytesError when `data` is a string or a chunk is not bytes (nothing is queued).
   */
  writeSequence(data: Iterable<Uint8Array>): void {
    if (typeof data === 'string') checkBytes('FakeTransport.writeSequence()', data);
    const chunks = Array.from(data);
    for (const chunk of chunks) checkBytes('FakeTransport.writeSequence() chunk', chunk);
    this.write(Buffer.concat(chunks));
  }

  /** @internal called by the pump at idle times: resume a pull producer. Port of `_checkProducer`. */
  _checkProducer(): void {
    const producer = this.producer;
    if (producer !== null && !this.streamingProducer) producer.resumeProducing();
  }

  /**
   * Register a producer; a pull producer is resumed now, and at every pump.
   * Port of `FakeTransport.registerProducer`.
   *
   * @throws ProducerRegisteredError when one is registered already (Twisted's replaces it).
   */
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    if (this.producer !== null) {
      throw new ProducerRegisteredError(
        `Cannot register producer ${String(producer)}, because producer ${String(this.producer)} was never unregistered: ` +
          'call unregisterProducer() first',
      );
    }
    this.producer = producer;
    this.streamingProducer = streaming;
    if (!streaming) producer.resumeProducing();
  }

  /** Forget the producer. Port of `FakeTransport.unregisterProducer`. */
  unregisterProducer(): void {
    this.producer = null;
  }

  /** Forget the producer and lose the connection. Port of `FakeTransport.stopConsuming`. */
  stopConsuming(): void {
    this.unregisterProducer();
    this.loseConnection();
  }

  /** Set `disconnecting`; the pump tells the peer. Port of `FakeTransport.loseConnection`. */
  loseConnection(): void {
    this.disconnecting = true;
  }

  /** The same as `loseConnection()`: nothing queued is lost. Port of `FakeTransport.abortConnection`. */
  abortConnection(): void {
    this.disconnecting = true;
  }

  /** Does nothing (as Twisted's). Port of `FakeTransport.loseWriteConnection`. */
  loseWriteConnection(): void {}

  /** Call `protocol.connectionLost` with `disconnectReason`. Port of `FakeTransport.reportDisconnect`. */
  reportDisconnect(): void {
    this.protocol.connectionLost(new Failure(this.disconnectReason));
  }

  /** `'iosim'`. Port of `FakeTransport.logPrefix`. */
  logPrefix(): string {
    return 'iosim';
  }

  /** `peerAddress`. Port of `FakeTransport.getPeer`. */
  getPeer(): IAddress {
    return this.peerAddress;
  }

  /** `hostAddress`. Port of `FakeTransport.getHost`. */
  getHost(): IAddress {
    return this.hostAddress;
  }

  /** Does nothing (reading never stops). Port of `FakeTransport.resumeProducing`. */
  resumeProducing(): void {}

  /** Does nothing. Port of `FakeTransport.pauseProducing`. */
  pauseProducing(): void {}

  /** `loseConnection()`. Port of `FakeTransport.stopProducing`. */
  stopProducing(): void {
    this.loseConnection();
  }

  /**
   * Take the bytes written since the last call, as one Buffer, or null when there are none.
   * Port of `FakeTransport.getOutBuffer`.
   */
  getOutBuffer(): Buffer | null {
    const s = this.stream;
    if (s.length === 0) return null;
    this.stream = [];
    return s.length === 1 ? s[0] : Buffer.concat(s);
  }

  /** Deliver `buf` to the protocol's `dataReceived`. Port of `FakeTransport.bufferReceived`. */
  bufferReceived(buf: Buffer): void {
    this.protocol.dataReceived(buf);
  }

  /** The value last given to `setTcpNoDelay` (false at first; Twisted's returns None). */
  getTcpNoDelay(): boolean {
    return this._noDelay;
  }

  /** Record the TCP no-delay option. */
  setTcpNoDelay(enabled: boolean): void {
    this._noDelay = Boolean(enabled);
  }

  /** The value last given to `setTcpKeepAlive` (false at first; Twisted's returns None). */
  getTcpKeepAlive(): boolean {
    return this._keepAlive;
  }

  /** Record the TCP keep-alive option. */
  setTcpKeepAlive(enabled: boolean): void {
    this._keepAlive = Boolean(enabled);
  }
}

/**
 * A client-side `FakeTransport` for `protocol`. Port of `twisted.test.iosim.makeFakeClient`.
 *
 * @param clientProtocol - the protocol.
 * @returns the transport.
 */
export function makeFakeClient(clientProtocol: IProtocol): FakeTransport {
  return new FakeTransport(clientProtocol, false);
}

/**
 * A server-side `FakeTransport` for `protocol`. Port of `twisted.test.iosim.makeFakeServer`.
 *
 * @param serverProtocol - the protocol.
 * @returns the transport.
 */
export function makeFakeServer(serverProtocol: IProtocol): FakeTransport {
  return new FakeTransport(serverProtocol, true);
}
