// The outgoing side of a stream connection, shared by TCP and UNIX clients: from the attempt to
// connectionMade, and the connector's clientConnectionFailed/clientConnectionLost. Port of
// twisted.internet.tcp's _BaseBaseClient and BaseClient (Twisted 22.4). Covered by
// spec/internet/tcp.spec.ts, spec/internet/unix.spec.ts and spec/internet/connection.spec.ts.
import type * as net from 'node:net';
import { Failure } from '../failure/failure.js';
import { UserError } from '../error/connectErrors.js';
import { ConnectionDone } from '../error/connectionErrors.js';
import { connectErrorFromNode } from '../error/systemErrors.js';
import type { IAddress } from '../protocol/interfaces.js';
import { logFailure, logPrefixOf, selectablesOf, type IOReactor } from './base.js';
import type { BaseConnector, ConnectingTransport } from './connector.js';
import { StreamTransport, type StreamProtocol } from './stream.js';

/** The protocol of a connection whose factory built none: it is closed at once. */
const nullProtocol: StreamProtocol = {
  makeConnection() {},
  dataReceived() {},
  connectionLost() {},
};

/** An outgoing stream connection (TCP or UNIX): the attempt, then the transport. */
export abstract class StreamClient extends StreamTransport implements ConnectingTransport {
  /** The connector driving it (null once the attempt failed). */
  connector: BaseConnector | null;
  /** @internal the pending start of the attempt. */
  _attempt: { cancel(): void; active(): boolean } | null;
  /** @internal true once the attempt failed or was stopped. */
  _failed: boolean;
  /** @internal */
  _logstr: string;

  constructor(connector: BaseConnector, reactor: IOReactor) {
    super(reactor);
    this.connector = connector;
    this._attempt = null;
    this._failed = false;
    this._logstr = 'Uninitialized';
    selectablesOf(reactor).add(this); // reactor.stop() also ends an attempt in progress
  }

  /** @internal the peer's address, read once the socket connected. */
  abstract _connectedPeer(socket: net.Socket): IAddress;

  /** @internal connected: build the protocol and hand it the transport. Port of `BaseClient._connectDone`. */
  _connectDone(): void {
    const connector = this.connector;
    if (connector === null || this._failed) return;
    const peer = this._connectedPeer(this._socket!);
    let protocol: StreamProtocol | null | undefined;
    try {
      protocol = connector.buildProtocol(peer);
    } catch (e) {
      const f = logFailure(e);
      this.failIfNotConnected(f);
      return;
    }
    this.connected = true;
    this._logstr = `${logPrefixOf(protocol)},client`;
    if (protocol === null || protocol === undefined) {
      this.protocol = nullProtocol;
      this._startReading();
      this.loseConnection();
      return;
    }
    this.protocol = protocol;
    this._startReading();
    try {
      protocol.makeConnection(this as never);
    } catch (e) {
      this._connectionLost(logFailure(e));
    }
  }

  /**
   * End a connection attempt that has not connected yet with `err`: the connector's
   * clientConnectionFailed. A no-op once connected. Port of `_BaseBaseClient.failIfNotConnected`.
   */
  failIfNotConnected(err: unknown): void {
    if (this.connected || this.disconnected || this._failed) return;
    this._failed = true;
    selectablesOf(this.reactor).delete(this);
    const attempt = this._attempt;
    this._attempt = null;
    if (attempt !== null && attempt.active()) attempt.cancel();
    const socket = this._socket;
    if (socket !== null && !socket.destroyed) socket.destroy();
    const connector = this.connector;
    this.connector = null;
    if (connector !== null) {
      try {
        connector.connectionFailed(new Failure(err));
      } catch (e) {
        logFailure(e);
      }
    }
  }

  /** Stop the attempt (UserError). Port of `_BaseBaseClient.stopConnecting`. */
  stopConnecting(): void {
    this.failIfNotConnected(new UserError());
  }

  /** @internal */
  override _socketError(err: Error): void {
    if (!this.connected && !this.disconnected) {
      this.failIfNotConnected(connectErrorFromNode(err as NodeJS.ErrnoException));
      return;
    }
    super._socketError(err);
  }

  /** @internal */
  override _socketClosed(): void {
    if (!this.connected && !this.disconnected) {
      this.failIfNotConnected(new ConnectionDone());
      return;
    }
    super._socketClosed();
  }

  /** @internal */
  override _disconnectNow(reason: Failure): void {
    if (!this.connected) this.failIfNotConnected(reason);
    else super._disconnectNow(reason);
  }

  /** @internal */
  override _connectionLostHook(reason: Failure): void {
    // Twisted skips the connector when the protocol's connectionLost raised; twistless still
    // tells it, so a ReconnectingClientFactory retries (a documented difference).
    const connector = this.connector;
    if (connector === null) return;
    try {
      connector.connectionLost(reason);
    } catch (e) {
      logFailure(e);
    }
  }

}
