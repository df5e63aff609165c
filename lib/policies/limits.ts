// Port of LimitTotalConnectionsFactory, ThrottlingProtocol and ThrottlingFactory of
// twisted.protocols.policies (Twisted 22.4). Covered by spec/policies/limits.spec.ts
// (LimitTotalConnectionsFactoryTests, ThrottlingTests of twisted/test/test_policies.py).
import type { IDelayedCall, IReactorTime } from '../defer/interfaces.js';
import { msg } from '../log/log.js';
import { ServerFactory, type ProtocolClass } from '../protocol/factory.js';
import type { IAddress, IProtocol, IPullProducer, IPushProducer } from '../protocol/interfaces.js';
import { NoProtocolClassError } from '../protocol/errors.js';
import { reactor } from '../reactor/reactor.js';
import { ProtocolWrapper, WrappingFactory, type IWrapperFactory, type WrappedFactory } from './wrapper.js';

/**
 * A server factory that counts its connections and, past `connectionLimit`, refuses new ones or
 * gives them `overflowProtocol`. Each protocol is wrapped in a `ProtocolWrapper` so its loss is
 * counted. Port of `twisted.protocols.policies.LimitTotalConnectionsFactory`.
 *
 * @example
 * ```ts
 * const f = new LimitTotalConnectionsFactory();
 * f.protocol = Protocol;
 * f.connectionLimit = 1;
 * const addr = new IPv4Address('TCP', '127.0.0.1', 1);
 * const first = f.buildProtocol(addr);
 * console.log(first !== null, f.buildProtocol(addr)); // true null
 * ```
 */
export class LimitTotalConnectionsFactory extends ServerFactory<IProtocol> implements IWrapperFactory {
  /** The connections up now. */
  connectionCount: number = 0;
  /** The most connections served with `protocol`, or null for no limit. */
  connectionLimit: number | null = null;
  /** The protocol for connections over the limit, or null to refuse them. */
  overflowProtocol: ProtocolClass | null = null;
  /**
   * A wrapped `protocol` (within the limit), a wrapped `overflowProtocol`, or null. Port of
   * `LimitTotalConnectionsFactory.buildProtocol`.
   *
   * @throws NoProtocolClassError when `protocol` is not set.
   */
  override buildProtocol(addr: IAddress): ProtocolWrapper | null {
    void addr;
    let wrapped: IProtocol;
    if (this.connectionLimit === null || this.connectionCount < this.connectionLimit) {
      if (this.protocol === null) throw new NoProtocolClassError(this.constructor.name);
      wrapped = new this.protocol();
    } else if (this.overflowProtocol === null) {
      return null;
    } else {
      wrapped = new this.overflowProtocol();
    }
    (wrapped as { factory?: unknown }).factory = this;
    const p = new ProtocolWrapper(this, wrapped);
    this.connectionCount += 1;
    return p;
  }

  /** Nothing: connections are counted in `buildProtocol`. */
  registerProtocol(p: ProtocolWrapper): void {
    void p;
  }

  /** A connection was lost: one fewer. */
  unregisterProtocol(p: ProtocolWrapper): void {
    void p;
    this.connectionCount -= 1;
  }
}

/**
 * The wrapper of `ThrottlingFactory`: counts bytes both ways and pauses reading or its producer
 * when told. Port of `twisted.protocols.policies.ThrottlingProtocol`.
 */
export class ThrottlingProtocol extends ProtocolWrapper {
  /** The producer registered through this wrapper, or null. */
  producer: IPushProducer | IPullProducer | null = null;

  private get throttling(): ThrottlingFactory {
    return this.factory as unknown as ThrottlingFactory;
  }

  /** Count, then write. */
  override write(data: Uint8Array): void {
    this.throttling.registerWritten(data.length);
    super.write(data);
  }

  /** Count, then write. */
  override writeSequence(seq: Iterable<Uint8Array>): void {
    const chunks = Array.from(seq);
    let n = 0;
    for (const c of chunks) n += c.length;
    this.throttling.registerWritten(n);
    super.writeSequence(chunks);
  }

  /** Count, then deliver. */
  override dataReceived(data: Buffer): void {
    this.throttling.registerRead(data.length);
    super.dataReceived(data);
  }

  /** Remember the producer, then register it with the transport. */
  override registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    this.producer = producer;
    super.registerProducer(producer, streaming);
  }

  /** Forget the producer, then unregister it. */
  override unregisterProducer(): void {
    this.producer = null;
    super.unregisterProducer();
  }

  /** Stop reading: pause the transport. */
  throttleReads(): void {
    (this.transport as unknown as IPushProducer).pauseProducing();
  }

  /** Read again: resume the transport. */
  unthrottleReads(): void {
    (this.transport as unknown as IPushProducer).resumeProducing();
  }

  /** Stop writing: pause the producer, if there is one. */
  throttleWrites(): void {
    (this.producer as IPushProducer | null)?.pauseProducing();
  }

  /** Write again: resume the producer, if there is one. */
  unthrottleWrites(): void {
    this.producer?.resumeProducing();
  }
}

/** Options of `ThrottlingFactory`. Port of its keyword arguments. */
export interface ThrottlingFactoryOptions {
  /** The most connections at once (default: no limit); more are refused. */
  maxConnectionCount?: number;
  /** Bytes per second to read at most, checked every second (default: no limit). */
  readLimit?: number | null;
  /** Bytes per second to write at most, checked every second (default: no limit). */
  writeLimit?: number | null;
}

/**
 * Limits the connections and the bandwidth of another factory's protocols. Every second it
 * compares the bytes read (written) in that second with `readLimit` (`writeLimit`); over the
 * limit, it pauses every connection's reading (producer) for `bytes / limit - 1` seconds. Port
 * of `twisted.protocols.policies.ThrottlingFactory`.
 *
 * @param wrappedFactory - the factory whose protocols are throttled.
 * @param options - `maxConnectionCount`, `readLimit`, `writeLimit`.
 * @example
 * ```ts no-run
 * reactor.listenTCP(8000, new ThrottlingFactory(Factory.forProtocol(Echo), { readLimit: 10000 }));
 * ```
 */
export class ThrottlingFactory extends WrappingFactory {
  /** The connections up now. */
  connectionCount: number = 0;
  /** The most connections at once. */
  maxConnectionCount: number;
  /** Bytes per second to read at most, or null. */
  readLimit: number | null;
  /** Bytes per second to write at most, or null. */
  writeLimit: number | null;
  /** Bytes read this second. */
  readThisSecond: number = 0;
  /** Bytes written this second. */
  writtenThisSecond: number = 0;
  /** The pending end of read throttling, or null. */
  unthrottleReadsID: IDelayedCall | null = null;
  /** The pending read check, or null. */
  checkReadBandwidthID: IDelayedCall | null = null;
  /** The pending end of write throttling, or null. */
  unthrottleWritesID: IDelayedCall | null = null;
  /** The pending write check, or null. */
  checkWriteBandwidthID: IDelayedCall | null = null;
  /** The clock checks are scheduled on; null means the global reactor (twistless addition). */
  clock: IReactorTime | null = null;

  constructor(wrappedFactory: WrappedFactory, options: ThrottlingFactoryOptions = {}) {
    super(wrappedFactory);
    this.wrapperProtocol = ThrottlingProtocol;
    this.maxConnectionCount = options.maxConnectionCount ?? Infinity;
    this.readLimit = options.readLimit ?? null;
    this.writeLimit = options.writeLimit ?? null;
  }

  /** Schedule `func` after `period` seconds on `clock`, or the global reactor. Port of `callLater`. */
  callLater(period: number, func: () => void): IDelayedCall {
    return (this.clock ?? reactor).callLater(period, func);
  }

  /** Count bytes written. Port of `registerWritten`. */
  registerWritten(length: number): void {
    this.writtenThisSecond += length;
  }

  /** Count bytes read. Port of `registerRead`. */
  registerRead(length: number): void {
    this.readThisSecond += length;
  }

  /** Compare this second's reads with the limit, throttle if over, and check again in a second. */
  checkReadBandwidth(): void {
    if (this.readThisSecond > this.readLimit!) {
      this.throttleReads();
      const throttleTime = this.readThisSecond / this.readLimit! - 1.0;
      this.unthrottleReadsID = this.callLater(throttleTime, () => this.unthrottleReads());
    }
    this.readThisSecond = 0;
    this.checkReadBandwidthID = this.callLater(1, () => this.checkReadBandwidth());
  }

  /** Compare this second's writes with the limit, throttle if over, and check again in a second. */
  checkWriteBandwidth(): void {
    if (this.writtenThisSecond > this.writeLimit!) {
      this.throttleWrites();
      const throttleTime = this.writtenThisSecond / this.writeLimit! - 1.0;
      this.unthrottleWritesID = this.callLater(throttleTime, () => this.unthrottleWrites());
    }
    this.writtenThisSecond = 0;
    this.checkWriteBandwidthID = this.callLater(1, () => this.checkWriteBandwidth());
  }

  /** Pause reading on every connection. */
  throttleReads(): void {
    msg(`Throttling reads on ${String(this)}`);
    for (const p of this.protocols) (p as ThrottlingProtocol).throttleReads();
  }

  /** Resume reading on every connection. */
  unthrottleReads(): void {
    this.unthrottleReadsID = null;
    msg(`Stopped throttling reads on ${String(this)}`);
    for (const p of this.protocols) (p as ThrottlingProtocol).unthrottleReads();
  }

  /** Pause every connection's producer. */
  throttleWrites(): void {
    msg(`Throttling writes on ${String(this)}`);
    for (const p of this.protocols) (p as ThrottlingProtocol).throttleWrites();
  }

  /** Resume every connection's producer. */
  unthrottleWrites(): void {
    this.unthrottleWritesID = null;
    msg(`Stopped throttling writes on ${String(this)}`);
    for (const p of this.protocols) (p as ThrottlingProtocol).unthrottleWrites();
  }

  /**
   * A wrapped protocol, or null past `maxConnectionCount`; the first connection starts the
   * bandwidth checks. Port of `ThrottlingFactory.buildProtocol`.
   */
  override buildProtocol(addr: IAddress): ProtocolWrapper | null {
    if (this.connectionCount === 0) {
      if (this.readLimit !== null) this.checkReadBandwidth();
      if (this.writeLimit !== null) this.checkWriteBandwidth();
    }
    if (this.connectionCount < this.maxConnectionCount) {
      this.connectionCount += 1;
      return super.buildProtocol(addr);
    }
    msg('Max connection count reached!');
    return null;
  }

  /** One fewer connection; the last one cancels the pending checks. */
  override unregisterProtocol(p: ProtocolWrapper): void {
    super.unregisterProtocol(p);
    this.connectionCount -= 1;
    if (this.connectionCount === 0) {
      for (const call of [this.unthrottleReadsID, this.checkReadBandwidthID, this.unthrottleWritesID, this.checkWriteBandwidthID]) {
        if (call !== null && call.active()) call.cancel();
      }
    }
  }
}
