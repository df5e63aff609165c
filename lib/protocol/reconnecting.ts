// Port of twisted.internet.protocol.ReconnectingClientFactory (Twisted 22.4): exponential
// back-off with Gaussian jitter written back into the delay.
// Covered by spec/protocol/reconnecting.spec.ts (ReconnectingFactoryTests of test_factories.py).
import type { IDelayedCall, IReactorTime } from '../defer/interfaces.js';
import type { Failure } from '../failure/failure.js';
import { NotConnectingError } from '../error/errors.js';
import { msg } from '../log/log.js';
import { reactor } from '../reactor/reactor.js';
import { NoConnectorError } from './errors.js';
import { ClientFactory } from './factory.js';
import type { IConnector, IProtocol } from './interfaces.js';

// Python's random.NV_MAGICCONST.
const NV_MAGICCONST = (4 * Math.exp(-0.5)) / Math.sqrt(2.0);

/**
 * A normal deviate drawn as Python's `random.normalvariate(mu, sigma)` draws it (Kinderman and
 * Monahan's ratio method), from a uniform source in [0, 1): fed the same uniform numbers as
 * Python's `random.random()`, it gives the same values.
 *
 * Port of `random.normalvariate`.
 *
 * @param mu - the mean.
 * @param sigma - the standard deviation.
 * @param random - the uniform source (default `Math.random`).
 * @returns the deviate.
 * @example
 * ```ts
 * const x = normalvariate(10, 0); // 10
 * ```
 */
export function normalvariate(mu: number, sigma: number, random: () => number = Math.random): number {
  let z: number;
  for (;;) {
    const u1 = random();
    const u2 = 1.0 - random();
    z = (NV_MAGICCONST * (u1 - 0.5)) / u2;
    const zz = (z * z) / 4.0;
    if (zz <= -Math.log(u2)) break;
  }
  return mu + z * sigma;
}

/**
 * A client factory that reconnects after a failed or lost connection, waiting longer each time.
 * Port of `twisted.internet.protocol.ReconnectingClientFactory`.
 *
 * Each retry multiplies `delay` by `factor` (capped at `maxDelay`) before using it, so the first
 * retry waits `initialDelay * factor` (2.718 s); then, when `jitter` is non-zero, `delay` is
 * replaced by a normal deviate around it (standard deviation `delay * jitter`), so the delays are
 * a random walk that may exceed `maxDelay`. Call `resetDelay()` once connected (in
 * `buildProtocol`, say), or the next loss waits the long delay. After `maxRetries` consecutive
 * retries the factory gives up. `stopTrying()` cancels the pending retry and stops for good.
 *
 * Difference from Twisted: a jittered delay that comes out negative (only with a large
 * `jitter`) is scheduled as 0 (Twisted's reactor fails an assertion); `delay` keeps the computed
 * value, as in Twisted.
 *
 * @example
 * ```ts
 * const clock = new Clock();
 * const factory = new ReconnectingClientFactory();
 * factory.clock = clock;
 * factory.jitter = 0;
 * factory.noisy = false;
 * const connector = { state: 'disconnected' as const, connect() { console.log('connect at', clock.seconds()); },
 *   stopConnecting() {}, disconnect() {}, getDestination: () => new IPv4Address('TCP', '127.0.0.1', 1) };
 * factory.clientConnectionFailed(connector, new Failure(new ConnectionRefusedError()));
 * clock.advance(3); // connect at 3 (the retry was due at 2.718)
 * ```
 */
export class ReconnectingClientFactory<P extends IProtocol = IProtocol> extends ClientFactory<P> {
  /** The longest delay before jitter, in seconds (3600). */
  maxDelay: number = 3600;
  /** The delay `resetDelay()` restores (1 s). */
  initialDelay: number = 1.0;
  /** The factor each retry multiplies the delay by (e). */
  factor: number = 2.7182818284590451;
  /** The relative standard deviation of the jitter (0.1196...); 0 for none. */
  jitter: number = 0.119626565582;
  /** The current delay in seconds (the one the last retry used). */
  delay: number = 1.0;
  /** Consecutive retries so far. */
  retries: number = 0;
  /** Give up after this many consecutive retries; null for never. */
  maxRetries: number | null = null;
  /** The connector of the last failed or lost connection. */
  connector: IConnector | null = null;
  /** The clock retries are scheduled on; null means the global reactor (set on the first retry). */
  clock: IReactorTime | null = null;
  /** False once `stopTrying()` was called. */
  continueTrying: boolean = true;
  /**
   * The uniform random source of the jitter (default `Math.random`). No Python counterpart
   * (Twisted uses the `random` module); set it for reproducible delays.
   */
  random: () => number = Math.random;
  /** The pending retry, or null. Port of `_callID`. */
  protected _callID: IDelayedCall | null = null;

  /**
   * Retry unless `stopTrying()` was called. Port of `clientConnectionFailed`.
   *
   * @param connector - the connector that failed.
   * @param reason - why (unused).
   */
  override clientConnectionFailed(connector: IConnector, reason: Failure): void {
    void reason;
    if (this.continueTrying) {
      this.connector = connector;
      this.retry();
    }
  }

  /**
   * Retry unless `stopTrying()` was called. Port of `clientConnectionLost`.
   *
   * @param connector - the connector whose connection was lost.
   * @param reason - why (unused).
   */
  override clientConnectionLost(connector: IConnector, reason: Failure): void {
    void reason;
    if (this.continueTrying) {
      this.connector = connector;
      this.retry();
    }
  }

  /**
   * Have the connector connect again after the next delay. Port of `retry`.
   *
   * @param connector - the connector (default: the last one the factory saw).
   * @throws NoConnectorError when there is no connector at all.
   */
  retry(connector?: IConnector | null): void {
    if (!this.continueTrying) {
      if (this.noisy) msg(`Abandoning ${String(connector ?? null)} on explicit request`);
      return;
    }
    let target = connector ?? null;
    if (target === null) {
      if (this.connector === null) throw new NoConnectorError();
      target = this.connector;
    }
    this.retries += 1;
    if (this.maxRetries !== null && this.retries > this.maxRetries) {
      if (this.noisy) msg(`Abandoning ${String(target)} after ${this.retries} retries.`);
      return;
    }
    this.delay = Math.min(this.delay * this.factor, this.maxDelay);
    if (this.jitter) this.delay = normalvariate(this.delay, this.delay * this.jitter, this.random);
    if (this.noisy) msg(`${String(target)} will retry in ${Math.trunc(this.delay)} seconds`);
    const chosen = target;
    const reconnector = (): void => {
      this._callID = null;
      chosen.connect();
    };
    if (this.clock === null) this.clock = reactor;
    // A negative jittered delay is scheduled at once: Twisted's reactor would fail `delay >= 0`.
    this._callID = this.clock.callLater(this.delay > 0 ? this.delay : 0, reconnector);
  }

  /**
   * Stop reconnecting: cancel the pending retry and stop the connector's attempt in progress (if
   * it is not connecting, that is fine). Port of `stopTrying`.
   */
  stopTrying(): void {
    if (this._callID !== null) {
      this._callID.cancel();
      this._callID = null;
    }
    this.continueTrying = false;
    if (this.connector !== null) {
      try {
        this.connector.stopConnecting();
      } catch (e) {
        if (!(e instanceof NotConnectingError)) throw e;
      }
    }
  }

  /**
   * Call after a successful connection: the delay goes back to `initialDelay`, the retry count
   * to 0, and trying is on again. Port of `resetDelay`.
   */
  resetDelay(): void {
    this.delay = this.initialDelay;
    this.retries = 0;
    this._callID = null;
    this.continueTrying = true;
  }
}
