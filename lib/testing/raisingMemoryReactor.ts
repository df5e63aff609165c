// Port of twisted.internet.testing.RaisingMemoryReactor (Twisted 22.4): a fake reactor whose
// listen and connect methods throw what the test gave it. Covered by
// spec/testing/internetTesting.spec.ts.
import type {
  ConnectTCPOptions,
  ConnectUNIXOptions,
  IClientFactory,
  IConnector,
  IListeningPort,
  IProtocolFactory,
  IReactorSSL,
  IReactorTCP,
  IReactorUNIX,
  ISSLContextFactory,
  ListenTCPOptions,
  ListenUNIXOptions,
} from '../protocol/interfaces.js';
import { NothingToRaiseError } from './errors.js';

/** Options of `new RaisingMemoryReactor(...)`: Twisted's constructor arguments. */
export interface RaisingMemoryReactorOptions {
  /** What every listen method throws. */
  listenException?: unknown;
  /** What every connect method throws. */
  connectException?: unknown;
}

/**
 * A fake reactor whose listen methods throw `listenException` and whose connect methods throw
 * `connectException`, to test how code handles a reactor that refuses. Port of
 * `twisted.internet.testing.RaisingMemoryReactor` (adopt* methods not ported).
 *
 * @example
 * ```ts
 * import { CannotListenError } from 'twistless/error';
 * import { Factory } from 'twistless/protocol';
 * import { RaisingMemoryReactor } from 'twistless/testing';
 *
 * const reactor = new RaisingMemoryReactor({ listenException: new CannotListenError('', 80, 'EACCES') });
 * try {
 *   reactor.listenTCP(80, new Factory());
 * } catch (e) {
 *   console.log((e as Error).name); // CannotListenError
 * }
 * ```
 */
export class RaisingMemoryReactor implements IReactorTCP, IReactorUNIX, IReactorSSL {
  /** @internal */
  readonly _listenException: unknown;
  /** @internal */
  readonly _connectException: unknown;
  /** @internal whether each was given. */
  readonly _given: { listen: boolean; connect: boolean };

  /** @param options - `listenException` and `connectException`. */
  constructor(options: RaisingMemoryReactorOptions = {}) {
    this._listenException = options.listenException;
    this._connectException = options.connectException;
    this._given = { listen: 'listenException' in options, connect: 'connectException' in options };
  }

  /** @internal */
  _raise(kind: 'listen' | 'connect', method: string): never {
    if (!this._given[kind]) throw new NothingToRaiseError(method, `${kind}Exception`);
    throw kind === 'listen' ? this._listenException : this._connectException;
  }

  /**
   * Throw `listenException`. Port of `RaisingMemoryReactor.listenTCP`.
   * @throws listenException; NothingToRaiseError when none was given.
   */
  listenTCP(port: number, factory: IProtocolFactory, options?: ListenTCPOptions): IListeningPort {
    void [port, factory, options];
    return this._raise('listen', 'listenTCP');
  }

  /**
   * Throw `connectException`. Port of `RaisingMemoryReactor.connectTCP`.
   * @throws connectException; NothingToRaiseError when none was given.
   */
  connectTCP(host: string, port: number, factory: IClientFactory, options?: ConnectTCPOptions): IConnector {
    void [host, port, factory, options];
    return this._raise('connect', 'connectTCP');
  }

  /**
   * Throw `listenException`. Port of `RaisingMemoryReactor.listenUNIX`.
   * @throws listenException; NothingToRaiseError when none was given.
   */
  listenUNIX(address: string, factory: IProtocolFactory, options?: ListenUNIXOptions): IListeningPort {
    void [address, factory, options];
    return this._raise('listen', 'listenUNIX');
  }

  /**
   * Throw `connectException`. Port of `RaisingMemoryReactor.connectUNIX`.
   * @throws connectException; NothingToRaiseError when none was given.
   */
  connectUNIX(address: string, factory: IClientFactory, options?: ConnectUNIXOptions): IConnector {
    void [address, factory, options];
    return this._raise('connect', 'connectUNIX');
  }

  /**
   * Throw `listenException`. Port of `RaisingMemoryReactor.listenSSL`.
   * @throws listenException; NothingToRaiseError when none was given.
   */
  listenSSL(port: number, factory: IProtocolFactory, contextFactory: ISSLContextFactory, options?: ListenTCPOptions): IListeningPort {
    void [port, factory, contextFactory, options];
    return this._raise('listen', 'listenSSL');
  }

  /**
   * Throw `connectException`. Port of `RaisingMemoryReactor.connectSSL`.
   * @throws connectException; NothingToRaiseError when none was given.
   */
  connectSSL(host: string, port: number, factory: IClientFactory, contextFactory: ISSLContextFactory, options?: ConnectTCPOptions): IConnector {
    void [host, port, factory, contextFactory, options];
    return this._raise('connect', 'connectSSL');
  }
}
