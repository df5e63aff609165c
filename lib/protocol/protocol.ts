// Port of BaseProtocol, Protocol and connectionDone of twisted.internet.protocol (Twisted 22.4).
// Covered by spec/protocol/protocol.spec.ts (ProtocolTests of internet/test/test_protocol.py).
import { Failure } from '../failure/failure.js';
import { ConnectionDone } from '../error/connectionErrors.js';
import type { IProtocol, IProtocolFactory, ITransport } from './interfaces.js';

/**
 * The Failure a protocol's `connectionLost` gets by default: a clean close. Port of
 * `twisted.internet.protocol.connectionDone` (`Failure(ConnectionDone())`, cleaned).
 */
export const connectionDone: Failure = (() => {
  const f = new Failure(new ConnectionDone());
  f.cleanFailure();
  return f;
})();

/**
 * The base of every protocol: what `makeConnection` sets up. Port of
 * `twisted.internet.protocol.BaseProtocol`.
 *
 * @example
 * ```ts no-run
 * class Hello extends BaseProtocol {
 *   override connectionMade() { this.transport!.write(Buffer.from('hi')); }
 * }
 * ```
 */
export class BaseProtocol {
  /** True once `makeConnection` ran (Twisted's `connected = 1`). */
  connected: boolean = false;
  /** The transport, once connected; null before. */
  transport: ITransport | null = null;

  /**
   * Attach the transport, then call `connectionMade()`. Called by the transport.
   * Port of `BaseProtocol.makeConnection`.
   *
   * @param transport - the connection.
   */
  makeConnection(transport: ITransport): void {
    this.connected = true;
    this.transport = transport;
    this.connectionMade();
  }

  /**
   * The connection is up: a hook for subclasses (send a greeting, start a timer).
   * Port of `BaseProtocol.connectionMade`.
   */
  connectionMade(): void {}
}

/**
 * A stream protocol: subclass it and override `dataReceived` and `connectionLost`. Port of
 * `twisted.internet.protocol.Protocol`.
 *
 * @example
 * ```ts
 * class Echo extends Protocol {
 *   override dataReceived(data: Buffer) { this.transport!.write(data); }
 * }
 * const p = new Echo();
 * console.log(p.logPrefix()); // Echo
 * ```
 */
export class Protocol extends BaseProtocol implements IProtocol {
  /** The factory that built this protocol (set by `Factory.buildProtocol`), or null. */
  factory: IProtocolFactory | null = null;

  /**
   * The prefix of log lines about this protocol: its class name.
   * Port of `Protocol.logPrefix`.
   */
  logPrefix(): string {
    return this.constructor.name;
  }

  /**
   * Bytes arrived. Chunks have no boundaries: a message may come in pieces or several at once.
   * Port of `Protocol.dataReceived`.
   *
   * @param data - the bytes (the protocol may keep them).
   */
  dataReceived(data: Buffer): void {
    void data;
  }

  /**
   * The connection is gone. Port of `Protocol.connectionLost`.
   *
   * @param reason - why: a Failure of `ConnectionDone` (clean), `ConnectionLost` or another error.
   */
  connectionLost(reason: Failure = connectionDone): void {
    void reason;
  }
}
