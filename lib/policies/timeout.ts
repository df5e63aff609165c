// Port of TimeoutProtocol and TimeoutFactory of twisted.protocols.policies (Twisted 22.4).
// Covered by spec/policies/timeout.spec.ts (TimeoutProtocolTests, TimeoutFactoryTests of
// twisted/test/test_policies.py).
import type { IDelayedCall, IReactorTime } from '../defer/interfaces.js';
import type { Failure } from '../failure/failure.js';
import { connectionDone } from '../protocol/protocol.js';
import type { IAddress, IProtocol } from '../protocol/interfaces.js';
import { AlreadyCalled, AlreadyCancelled } from '../reactor/errors.js';
import { reactor } from '../reactor/reactor.js';
import { ProtocolWrapper, WrappingFactory, type WrappedFactory } from './wrapper.js';

/**
 * A wrapper that closes the connection after `timeoutPeriod` seconds without traffic (a write,
 * or data received). Port of `twisted.protocols.policies.TimeoutProtocol`.
 *
 * @param factory - the `TimeoutFactory` (its `callLater` schedules the timeout).
 * @param wrappedProtocol - the protocol inside.
 * @param timeoutPeriod - seconds, or null for none.
 * @example
 * ```ts no-run
 * const wrapper = new TimeoutFactory(factory, { timeoutPeriod: 60 }).buildProtocol(addr);
 * ```
 */
export class TimeoutProtocol extends ProtocolWrapper {
  /** The pending timeout call, or null. */
  timeoutCall: IDelayedCall | null = null;
  /** The period in seconds, or null. */
  timeoutPeriod: number | null = null;

  constructor(factory: TimeoutFactory, wrappedProtocol: IProtocol, timeoutPeriod: number | null) {
    super(factory, wrappedProtocol);
    this.setTimeout(timeoutPeriod);
  }

  /**
   * Cancel any timeout, then start one of `timeoutPeriod` seconds (none for null). Port of
   * `TimeoutProtocol.setTimeout`.
   *
   * @param timeoutPeriod - seconds, or null.
   */
  setTimeout(timeoutPeriod: number | null = null): void {
    this.cancelTimeout();
    this.timeoutPeriod = timeoutPeriod;
    if (timeoutPeriod !== null) {
      this.timeoutCall = (this.factory as unknown as TimeoutFactory).callLater(timeoutPeriod, () => this.timeoutFunc());
    }
  }

  /** Cancel the timeout; one that already ran or was cancelled is fine. Port of `cancelTimeout`. */
  cancelTimeout(): void {
    this.timeoutPeriod = null;
    if (this.timeoutCall !== null) {
      try {
        this.timeoutCall.cancel();
      } catch (e) {
        if (!(e instanceof AlreadyCalled) && !(e instanceof AlreadyCancelled)) throw e;
      }
      this.timeoutCall = null;
    }
  }

  /** Restart the countdown. Port of `resetTimeout`. */
  resetTimeout(): void {
    if (this.timeoutCall !== null) this.timeoutCall.reset(this.timeoutPeriod!);
  }

  /** Restart the countdown, then write. */
  override write(data: Uint8Array): void {
    this.resetTimeout();
    super.write(data);
  }

  /** Restart the countdown, then write. */
  override writeSequence(data: Iterable<Uint8Array>): void {
    this.resetTimeout();
    super.writeSequence(data);
  }

  /** Restart the countdown, then deliver. */
  override dataReceived(data: Buffer): void {
    this.resetTimeout();
    super.dataReceived(data);
  }

  /** Cancel the timeout, then pass the loss on. */
  override connectionLost(reason: Failure = connectionDone): void {
    this.cancelTimeout();
    super.connectionLost(reason);
  }

  /** The timeout ran out: close the connection. Port of `timeoutFunc`. */
  timeoutFunc(): void {
    this.loseConnection();
  }
}

/** Options of `TimeoutFactory`. Port of its keyword arguments. */
export interface TimeoutFactoryOptions {
  /** Seconds without traffic before a connection is closed (default 1800), or null for none. */
  timeoutPeriod?: number | null;
}

/**
 * Wraps another factory's protocols in `TimeoutProtocol`s. Port of
 * `twisted.protocols.policies.TimeoutFactory(wrappedFactory, timeoutPeriod=1800)`.
 *
 * @param wrappedFactory - the factory whose protocols time out.
 * @param options - `timeoutPeriod` (seconds, 1800 by default).
 * @example
 * ```ts no-run
 * reactor.listenTCP(8000, new TimeoutFactory(Factory.forProtocol(Echo), { timeoutPeriod: 60 }));
 * ```
 */
export class TimeoutFactory extends WrappingFactory {
  /** The period given to each TimeoutProtocol. */
  timeoutPeriod: number | null;
  /** The clock timeouts are scheduled on; null means the global reactor (twistless addition). */
  clock: IReactorTime | null = null;

  constructor(wrappedFactory: WrappedFactory, options: TimeoutFactoryOptions = {}) {
    super(wrappedFactory);
    this.timeoutPeriod = options.timeoutPeriod === undefined ? 30 * 60 : options.timeoutPeriod;
  }

  /** A TimeoutProtocol around the wrapped factory's protocol, or null when it returned null. */
  override buildProtocol(addr: IAddress): TimeoutProtocol | null {
    const wrapped = this.wrappedFactory.buildProtocol(addr);
    if (wrapped === null) return null;
    return new TimeoutProtocol(this, wrapped, this.timeoutPeriod);
  }

  /**
   * Schedule `func` after `period` seconds on `clock`, or the global reactor. Port of
   * `TimeoutFactory.callLater`.
   */
  callLater(period: number, func: () => void): IDelayedCall {
    return (this.clock ?? reactor).callLater(period, func);
  }
}
