// Port of twisted.test.iosim (Twisted 22.4): FakeTransport, IOPump, connect (here
// `iosimConnect`), connectedServerAndClient, makeFakeClient/makeFakeServer and
// ConnectionCompleter: two protocols connected in memory, bytes moved when the test pumps.
// Covered by spec/testing/iosim.spec.ts (FakeTransportTests, StrictPushProducerTests,
// IOPumpTests, and the connectedServerAndClient/ConnectionCompleter specs).
import { ConnectionDone, ConnectionRefusedError } from '../error/errors.js';
import { Failure } from '../failure/failure.js';
import { ProducerRegisteredError } from '../internet/errors.js';
import { checkBytes } from '../protocol/errors.js';
import { bytesRepr, type IAddress } from '../address/address.js';
import type {
  IClientFactory,
  IProtocol,
  IProtocolFactory,
  IPullProducer,
  IPushProducer,
  ITCPTransport,
} from '../protocol/interfaces.js';
import { FailTest } from './errors.js';
import type { FakeConnector, MemoryReactor, TCPClientRecord, TCPServerRecord } from './memoryReactor.js';
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

const MAX_PUMPS = 1000;

/**
 * Moves bytes between the two `FakeTransport`s of a connection when the test says so: `pump()`
 * once, `flush()` until nothing moves. Each pump takes what each side wrote, resumes pull
 * producers, delivers the bytes to the other side's `dataReceived`, and, when nothing moved and
 * a side called `loseConnection()`, tells the other side's protocol `connectionLost`.
 *
 * Port of `twisted.test.iosim.IOPump`.
 *
 * @example
 * ```ts no-run
 * const [client, server, pump] = connectedServerAndClient(Server, Client);
 * client.transport!.write(Buffer.from('ping'));
 * pump.flush(); // the server got 'ping', and the client whatever it answered
 * ```
 */
export class IOPump<C extends IProtocol = IProtocol, S extends IProtocol = IProtocol> {
  /** The client protocol. */
  readonly client: C;
  /** The server protocol. */
  readonly server: S;
  /** The client's transport. */
  readonly clientIO: FakeTransport;
  /** The server's transport. */
  readonly serverIO: FakeTransport;
  /** Print the traffic of every pump. */
  debug: boolean;

  constructor(client: C, server: S, clientIO: FakeTransport, serverIO: FakeTransport, debug: boolean = false) {
    this.client = client;
    this.server = server;
    this.clientIO = clientIO;
    this.serverIO = serverIO;
    this.debug = debug;
  }

  /**
   * Pump until nothing moves. Port of `IOPump.flush`.
   *
   * @param debug - print the traffic.
   * @returns whether anything moved.
   * @throws FailTest ("Too long") when data still moves after 1000 pumps: the protocols never
   *   stop talking to each other.
   */
  flush(debug: boolean = false): boolean {
    let result = false;
    for (let i = 0; i < MAX_PUMPS; i++) {
      if (!this.pump(debug)) return result;
      result = true;
    }
    throw new FailTest(`Too long: IOPump.flush() still moved data after ${MAX_PUMPS} pumps; the protocols keep writing to each other`);
  }

  /**
   * Move the bytes written so far one step: each side's to the other, or one side's close.
   * Port of `IOPump.pump`.
   *
   * @param debug - print the traffic.
   * @returns whether anything moved (bytes or a close).
   */
  pump(debug: boolean = false): boolean {
    const show = this.debug || debug;
    if (show) console.log('-- GLUG --');
    const sData = this.serverIO.getOutBuffer();
    const cData = this.clientIO.getOutBuffer();
    this.clientIO._checkProducer();
    this.serverIO._checkProducer();
    if (show) {
      console.log('.');
      if (cData !== null) console.log('C: ' + bytesRepr(cData));
      if (sData !== null) console.log('S: ' + bytesRepr(sData));
    }
    if (cData !== null) this.serverIO.bufferReceived(cData);
    if (sData !== null) this.clientIO.bufferReceived(sData);
    if (cData !== null || sData !== null) return true;
    if (this.serverIO.disconnecting && !this.serverIO.disconnected) {
      if (show) console.log('* C');
      this.serverIO.disconnected = true;
      this.clientIO.disconnecting = true;
      this.clientIO.reportDisconnect();
      return true;
    }
    if (this.clientIO.disconnecting && !this.clientIO.disconnected) {
      if (show) console.log('* S');
      this.clientIO.disconnected = true;
      this.serverIO.disconnecting = true;
      this.serverIO.reportDisconnect();
      return true;
    }
    return false;
  }
}

/** Options of `iosimConnect` and `connectedServerAndClient`: Twisted's keyword arguments. */
export interface IOSimConnectOptions {
  /** Print the traffic of every pump (default false). */
  debug?: boolean;
  /** Flush once before returning, so the protocols are past their greetings (default true). */
  greet?: boolean;
}

/**
 * Connect two protocols through their `FakeTransport`s: `makeConnection` on the server, then on
 * the client, then (with `greet`) one `flush()`. Port of `twisted.test.iosim.connect` (renamed:
 * a bare `connect` would say nothing at the package root).
 *
 * @param serverProtocol - the accepting side's protocol.
 * @param serverTransport - its transport.
 * @param clientProtocol - the connecting side's protocol.
 * @param clientTransport - its transport.
 * @param options - `debug` (false), `greet` (true).
 * @returns the pump that moves bytes between them.
 * @example
 * ```ts no-run
 * const pump = iosimConnect(server, makeFakeServer(server), client, makeFakeClient(client), { greet: false });
 * ```
 */
export function iosimConnect<S extends IProtocol, C extends IProtocol>(
  serverProtocol: S,
  serverTransport: FakeTransport,
  clientProtocol: C,
  clientTransport: FakeTransport,
  options: IOSimConnectOptions = {},
): IOPump<C, S> {
  serverProtocol.makeConnection(serverTransport);
  clientProtocol.makeConnection(clientTransport);
  const pump = new IOPump(clientProtocol, serverProtocol, clientTransport, serverTransport, options.debug ?? false);
  if (options.greet ?? true) pump.flush();
  return pump;
}

/** Options of `connectedServerAndClient`: Twisted's keyword arguments. */
export interface ConnectedServerAndClientOptions extends IOSimConnectOptions {
  /** Makes the client's transport (default `makeFakeClient`). */
  clientTransportFactory?: (protocol: IProtocol) => FakeTransport;
  /** Makes the server's transport (default `makeFakeServer`). */
  serverTransportFactory?: (protocol: IProtocol) => FakeTransport;
}

/**
 * Make a server and a client protocol (`new ServerClass()`, `new ClientClass()`), connect them
 * in memory, and return `[client, server, pump]`: write on either side, then `pump.flush()` to
 * deliver. With `greet` (the default) the pump is flushed once first, so what the protocols say
 * in `connectionMade` has arrived.
 *
 * Port of `twisted.test.iosim.connectedServerAndClient`.
 *
 * @param ServerClass - the server protocol class (constructed with no arguments).
 * @param ClientClass - the client protocol class.
 * @param options - `clientTransportFactory`, `serverTransportFactory`, `debug`, `greet`.
 * @returns `[client, server, pump]`.
 * @example
 * ```ts
 * import { Protocol } from 'twistless/protocol';
 * import { connectedServerAndClient } from 'twistless/testing';
 *
 * class Greeter extends Protocol {
 *   override connectionMade() { this.transport!.write(Buffer.from('hello')); }
 * }
 * class Listener extends Protocol {
 *   received = '';
 *   override dataReceived(data: Buffer) { this.received += data.toString(); }
 * }
 * const [client] = connectedServerAndClient(Greeter, Listener);
 * console.log(client.received); // hello
 * ```
 */
export function connectedServerAndClient<S extends IProtocol, C extends IProtocol>(
  ServerClass: new () => S,
  ClientClass: new () => C,
  options: ConnectedServerAndClientOptions = {},
): [client: C, server: S, pump: IOPump<C, S>] {
  const c = new ClientClass();
  const s = new ServerClass();
  const cio = (options.clientTransportFactory ?? makeFakeClient)(c);
  const sio = (options.serverTransportFactory ?? makeFakeServer)(s);
  return [c, s, iosimConnect(s, sio, c, cio, options)];
}

/** Twisted's `_factoriesShouldConnect`: a client and a server record match on the port. */
function factoriesShouldConnect(client: TCPClientRecord, server: TCPServerRecord): [IClientFactory, IProtocolFactory] | null {
  return server[0] === client[1] ? [client[2], server[1]] : null;
}

/**
 * Remove and return the connector `connectTCP` made for `record` (Twisted pops the connector at
 * the record's index, which is wrong once `connectUNIX` has added connectors too).
 */
function takeConnector(r: MemoryReactor, record: TCPClientRecord): FakeConnector {
  const connector = r._connectorFor.get(record);
  const i = connector === undefined ? -1 : r.connectors.indexOf(connector);
  if (connector === undefined || i < 0) {
    throw new FailTest('ConnectionCompleter: the connector of a recorded connectTCP call is gone from reactor.connectors');
  }
  r.connectors.splice(i, 1);
  return connector;
}

/**
 * Completes, or fails, the TCP connections recorded by a `MemoryReactor`: `succeedOnce()`
 * connects the first recorded `connectTCP` whose port matches a recorded `listenTCP`, building
 * both protocols from their factories and joining them with `FakeTransport`s;
 * `failOnce(reason)` fails the first recorded attempt through `clientConnectionFailed`.
 *
 * Port of `twisted.test.iosim.ConnectionCompleter`. The client's `buildProtocol` gets the
 * connector's destination, the server's a `FakeAddress` (Twisted gives both None).
 *
 * @example
 * ```ts no-run
 * const reactor = new MemoryReactorClock();
 * reactor.listenTCP(4321, serverFactory);
 * reactor.connectTCP('127.0.0.1', 4321, clientFactory);
 * const pump = new ConnectionCompleter(reactor).succeedOnce()!; // both protocols connected
 * ```
 */
export class ConnectionCompleter {
  /** @internal */
  readonly _reactor: MemoryReactor;

  /** @param memoryReactor - the reactor whose recorded calls to complete. */
  constructor(memoryReactor: MemoryReactor) {
    this._reactor = memoryReactor;
  }

  /**
   * Complete one recorded connection (it leaves `tcpClients` and `connectors`).
   * Port of `ConnectionCompleter.succeedOnce`.
   *
   * @param debug - print the traffic.
   * @returns the pump for the connection, or null when no recorded client matches a server.
   */
  succeedOnce(debug: boolean = false): IOPump | null {
    const r = this._reactor;
    for (let clientIdx = 0; clientIdx < r.tcpClients.length; clientIdx++) {
      const clientInfo = r.tcpClients[clientIdx];
      for (const serverInfo of r.tcpServers) {
        const factories = factoriesShouldConnect(clientInfo, serverInfo);
        if (factories === null) continue;
        r.tcpClients.splice(clientIdx, 1);
        const connector = takeConnector(r, clientInfo);
        const [clientFactory, serverFactory] = factories;
        const clientProtocol = clientFactory.buildProtocol(connector.getDestination());
        const serverProtocol = serverFactory.buildProtocol(new FakeAddress());
        if (clientProtocol === null || serverProtocol === null) {
          throw new FailTest(
            'ConnectionCompleter.succeedOnce(): a factory refused the connection (buildProtocol returned null); ' +
              'test refusals without ConnectionCompleter',
          );
        }
        connector.state = 'connected';
        return iosimConnect(serverProtocol, makeFakeServer(serverProtocol), clientProtocol, makeFakeClient(clientProtocol), { debug });
      }
    }
    return null;
  }

  /**
   * Fail the first recorded connection attempt: `clientConnectionFailed(connector, reason)` on
   * its factory (it leaves `tcpClients` and `connectors`). Port of `ConnectionCompleter.failOnce`.
   *
   * @param reason - the failure (default: a `ConnectionRefusedError`).
   */
  failOnce(reason: Failure = new Failure(new ConnectionRefusedError())): void {
    const r = this._reactor;
    const record = r.tcpClients.shift();
    const connector = record === undefined ? undefined : takeConnector(r, record);
    if (record === undefined || connector === undefined) {
      throw new FailTest('ConnectionCompleter.failOnce(): no connection attempt is recorded (call connectTCP on the MemoryReactor first)');
    }
    connector.state = 'disconnected';
    record[2].clientConnectionFailed(connector, reason);
  }
}
