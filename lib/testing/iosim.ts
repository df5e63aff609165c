// Port of twisted.test.iosim (Twisted 22.4): IOPump, connect (here `iosimConnect`),
// connectedServerAndClient and ConnectionCompleter: two protocols connected in memory through
// FakeTransports (fakeTransport.ts), bytes moved when the test pumps.
// Covered by spec/testing/iosim.spec.ts (IOPumpTests, and the connectedServerAndClient/
// ConnectionCompleter specs).
import { ConnectionRefusedError } from '../error/connectErrors.js';
import { Failure } from '../failure/failure.js';
import type { IClientFactory, IProtocol, IProtocolFactory } from '../protocol/interfaces.js';
import { FailTest } from './errors.js';
import type { FakeConnector } from './fakePort.js';
import type { MemoryReactor, TCPClientRecord, TCPServerRecord } from './memoryReactor.js';
import { bytesRepr } from '../address/address.js';
import { FakeAddress, FakeTransport, makeFakeClient, makeFakeServer } from './fakeTransport.js';

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
