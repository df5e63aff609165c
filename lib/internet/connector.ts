// Port of twisted.internet.base.BaseConnector (Twisted 22.4): the IConnector behind connectTCP and
// connectUNIX, with Twisted's callback order. Covered by spec/internet/tcp.spec.ts.
import type { IDelayedCall } from '../defer/interfaces.js';
import { Failure } from '../failure/failure.js';
import { NotConnectingError } from '../error/errors.js';
import { TimeoutError, UserError } from '../error/connectErrors.js';
import type { IOReactor } from './base.js';
import type { StreamProtocol } from './stream.js';

/** The factory a connector drives (IProtocolFactory plus ClientFactory's optional hooks). */
export interface ConnectorFactory {
  buildProtocol(addr: never): StreamProtocol | null | undefined;
  doStart(): void;
  doStop(): void;
  startedConnecting?(connector: never): void;
  clientConnectionFailed?(connector: never, reason: Failure): void;
  clientConnectionLost?(connector: never, reason: Failure): void;
}

/** What a connector needs of its client transport. */
export interface ConnectingTransport {
  failIfNotConnected(err: unknown): void;
  loseConnection(): void;
}

/** A connector's state. Port of `BaseConnector.state`. */
export type ConnectorState = 'disconnected' | 'connecting' | 'connected';

/**
 * A connection attempt and its reconnections: `reactor.connectTCP` returns one (already
 * connecting). Port of `twisted.internet.base.BaseConnector`.
 */
export abstract class BaseConnector {
  /** 'disconnected', 'connecting' or 'connected'. */
  state: ConnectorState;
  /** The ClientFactory. */
  readonly factory: ConnectorFactory;
  /** The connect timeout in seconds, or null for none. */
  timeout: number | null;
  /** The client transport of the current attempt or connection. */
  transport: ConnectingTransport | null;
  /** The pending connect-timeout call. */
  timeoutID: IDelayedCall | null;
  /** True while this connector holds a doStart() of its factory. */
  factoryStarted: boolean;
  /** The reactor. */
  readonly reactor: IOReactor;

  constructor(factory: ConnectorFactory, timeout: number | null, reactor: IOReactor) {
    this.state = 'disconnected';
    this.factory = factory;
    this.timeout = timeout;
    this.transport = null;
    this.timeoutID = null;
    this.factoryStarted = false;
    this.reactor = reactor;
  }

  /** @internal a new client transport for one attempt (it starts on a later turn). */
  abstract _makeTransport(): ConnectingTransport;

  /** The address this connector connects to. Port of `IConnector.getDestination`. */
  abstract getDestination(): unknown;

  /**
   * Start a connection attempt: the factory's doStart() (first time), the connect timeout, then
   * `factory.startedConnecting(this)`, all before this returns; the attempt itself runs on a later
   * turn. Port of `BaseConnector.connect`.
   *
   * @throws Error "can't connect in this state" unless the state is 'disconnected'
   */
  connect(): void {
    if (this.state !== 'disconnected') throw new ConnectorStateError("can't connect in this state");
    this.state = 'connecting';
    if (!this.factoryStarted) {
      this.factory.doStart();
      this.factoryStarted = true;
    }
    const transport = this._makeTransport();
    this.transport = transport;
    if (this.timeout !== null) {
      this.timeoutID = this.reactor.callLater(this.timeout, () => transport.failIfNotConnected(new TimeoutError()));
    }
    if (typeof this.factory.startedConnecting === 'function') this.factory.startedConnecting(this as never);
  }

  /**
   * Abandon the attempt in progress: clientConnectionFailed(UserError) runs before this returns.
   * Port of `BaseConnector.stopConnecting`.
   *
   * @throws NotConnectingError when no attempt is in progress
   */
  stopConnecting(): void {
    if (this.state !== 'connecting') throw new NotConnectingError("we're not trying to connect");
    const transport = this.transport!;
    this.state = 'disconnected';
    transport.failIfNotConnected(new UserError());
    this.transport = null;
  }

  /** Stop connecting, or close the connection, whichever applies. Port of `BaseConnector.disconnect`. */
  disconnect(): void {
    if (this.state === 'connecting') this.stopConnecting();
    else if (this.state === 'connected') this.transport!.loseConnection();
  }

  /** @internal cancel the connect timeout. */
  cancelTimeout(): void {
    const id = this.timeoutID;
    this.timeoutID = null;
    if (id !== null && id.active()) id.cancel();
  }

  /** @internal the attempt succeeded: build the protocol. Port of `BaseConnector.buildProtocol`. */
  buildProtocol(addr: unknown): StreamProtocol | null | undefined {
    this.state = 'connected';
    this.cancelTimeout();
    return this.factory.buildProtocol(addr as never);
  }

  /**
   * @internal the attempt failed: clientConnectionFailed, then doStop unless the hook connected again.
   * Port of `BaseConnector.connectionFailed`.
   */
  connectionFailed(reason: Failure): void {
    this.cancelTimeout();
    this.transport = null;
    this.state = 'disconnected';
    if (typeof this.factory.clientConnectionFailed === 'function') this.factory.clientConnectionFailed(this as never, reason);
    if (this.state === 'disconnected') {
      this.factory.doStop();
      this.factoryStarted = false;
    }
  }

  /**
   * @internal the connection ended: clientConnectionLost, then doStop unless the hook connected
   * again. Port of `BaseConnector.connectionLost`.
   */
  connectionLost(reason: Failure): void {
    this.state = 'disconnected';
    if (typeof this.factory.clientConnectionLost === 'function') this.factory.clientConnectionLost(this as never, reason);
    if (this.state === 'disconnected') {
      this.factory.doStop();
      this.factoryStarted = false;
    }
  }

  toString(): string {
    return `<${this.constructor.name} ${this.state} ${String(this.getDestination())}>`;
  }
}

/**
 * `connect()` on a connector that is not disconnected. Port of the `RuntimeError("can't connect
 * in this state")` of `BaseConnector.connect`: wait for clientConnectionFailed/Lost, or call
 * `disconnect()` first.
 */
export class ConnectorStateError extends Error {}
ConnectorStateError.prototype.name = 'ConnectorStateError';
