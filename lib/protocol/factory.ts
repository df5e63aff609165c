// Port of Factory, ServerFactory and ClientFactory of twisted.internet.protocol (Twisted 22.4).
// Covered by spec/protocol/protocol.spec.ts (FactoryTests of internet/test/test_protocol.py).
import type { Failure } from '../failure/failure.js';
import { publish } from '../log/observers.js';
import type { IAddress, IClientFactory, IConnector, IProtocol, IProtocolFactory } from './interfaces.js';
import { NoProtocolClassError } from './errors.js';

/** A protocol class a factory builds with `new`. */
export type ProtocolClass<P extends IProtocol = IProtocol> = new () => P;

function logFactory(text: string, format: string, factory: Factory): void {
  const event = { message: [text], isError: false, time: Date.now() / 1000, system: '-', factory, format };
  publish(event);
}

/**
 * Builds a protocol for each connection and keeps state shared by them. Port of
 * `twisted.internet.protocol.Factory`.
 *
 * Ports and connectors call `doStart()` when they start using a factory and `doStop()` when
 * they stop; they are counted in `numPorts`, and `startFactory()`/`stopFactory()` run on the
 * first start and the last stop only.
 *
 * @example
 * ```ts
 * class Echo extends Protocol {
 *   override dataReceived(data: Buffer) { this.transport!.write(data); }
 * }
 * const factory = Factory.forProtocol(Echo);
 * factory.noisy = false;
 * const p = factory.buildProtocol(new IPv4Address('TCP', '127.0.0.1', 5000));
 * console.log(p instanceof Echo, (p as Echo).factory === factory); // true true
 * ```
 */
export class Factory<P extends IProtocol = IProtocol> implements IProtocolFactory {
  /** The protocol class `buildProtocol` instantiates, or null. */
  protocol: ProtocolClass<P> | null = null;
  /** How many ports and connectors use this factory now. */
  numPorts: number = 0;
  /** Log "Starting factory" / "Stopping factory" lines (Twisted's default: true). */
  noisy: boolean = true;

  /**
   * A factory of this class for `protocol`: `new this(...args)` with `protocol` set.
   * Port of the classmethod `Factory.forProtocol`.
   *
   * @param protocol - the protocol class.
   * @param args - the arguments for this factory class's constructor.
   * @returns the factory.
   */
  static forProtocol<F extends Factory<IProtocol>, A extends unknown[]>(
    this: new (...args: A) => F,
    protocol: ProtocolClass,
    ...args: A
  ): F {
    const factory = new this(...args);
    (factory as Factory<IProtocol>).protocol = protocol;
    return factory;
  }

  /** The prefix of log lines about this factory: its class name. Port of `Factory.logPrefix`. */
  logPrefix(): string {
    return this.constructor.name;
  }

  /** Python's default repr, `<Factory object>` (used by the start and stop log lines). */
  toString(): string {
    return `<${this.constructor.name} object>`;
  }

  /**
   * A port or connector starts using this factory: the first one runs `startFactory()`.
   * Port of `Factory.doStart`.
   */
  doStart(): void {
    if (this.numPorts === 0) {
      if (this.noisy) logFactory(`Starting factory ${String(this)}`, 'Starting factory {factory!r}', this);
      this.startFactory();
    }
    this.numPorts += 1;
  }

  /**
   * A port or connector stops using this factory: the last one runs `stopFactory()`. At 0 it
   * does nothing. Port of `Factory.doStop`.
   */
  doStop(): void {
    if (this.numPorts === 0) return;
    this.numPorts -= 1;
    if (this.numPorts === 0) {
      if (this.noisy) logFactory(`Stopping factory ${String(this)}`, 'Stopping factory {factory!r}', this);
      this.stopFactory();
    }
  }

  /** Hook: the factory is put in use (once per 0 to 1 change of `numPorts`). Port of `Factory.startFactory`. */
  startFactory(): void {}

  /** Hook: the factory is out of use (once per 1 to 0 change of `numPorts`). Port of `Factory.stopFactory`. */
  stopFactory(): void {}

  /**
   * A protocol for a new connection: `new this.protocol()` with its `factory` set to this
   * factory. Return null (when overriding) to refuse the connection: it is closed at once.
   * Port of `Factory.buildProtocol`.
   *
   * @param addr - the peer's address (a server) or the server's (a client).
   * @returns the protocol, or null.
   * @throws NoProtocolClassError when `protocol` is not set.
   */
  buildProtocol(addr: IAddress): P | null {
    void addr;
    const cls = this.protocol;
    if (cls === null) throw new NoProtocolClassError(this.constructor.name);
    const p = new cls();
    (p as { factory?: unknown }).factory = this;
    return p;
  }
}

/**
 * A factory for servers (a marker subclass). Port of `twisted.internet.protocol.ServerFactory`.
 *
 * @example
 * ```ts
 * const f = ServerFactory.forProtocol(Protocol);
 * console.log(f instanceof Factory); // true
 * ```
 */
export class ServerFactory<P extends IProtocol = IProtocol> extends Factory<P> {}

/**
 * A factory for clients: told when a connector starts, fails or loses its connection. Port of
 * `twisted.internet.protocol.ClientFactory`.
 *
 * @example
 * ```ts no-run
 * class Client extends ClientFactory {
 *   override clientConnectionFailed(connector: IConnector, reason: Failure) {
 *     console.log('failed:', reason.getErrorMessage());
 *   }
 * }
 * ```
 */
export class ClientFactory<P extends IProtocol = IProtocol> extends Factory<P> implements IClientFactory {
  /**
   * A connector started an attempt (called inside `connectTCP`). Port of
   * `ClientFactory.startedConnecting`.
   *
   * @param connector - the connector.
   */
  startedConnecting(connector: IConnector): void {
    void connector;
  }

  /**
   * An attempt failed (refused, timed out, stopped). Port of `ClientFactory.clientConnectionFailed`.
   *
   * @param connector - the connector; `connector.connect()` tries again.
   * @param reason - why.
   */
  clientConnectionFailed(connector: IConnector, reason: Failure): void {
    void connector;
    void reason;
  }

  /**
   * An established connection was lost (after the protocol's `connectionLost`). Port of
   * `ClientFactory.clientConnectionLost`.
   *
   * @param connector - the connector; `connector.connect()` reconnects.
   * @param reason - why.
   */
  clientConnectionLost(connector: IConnector, reason: Failure): void {
    void connector;
    void reason;
  }
}
