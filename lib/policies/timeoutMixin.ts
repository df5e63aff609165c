// Port of twisted.protocols.policies.TimeoutMixin (Twisted 22.4) as a class mixin.
// Covered by spec/policies/timeout.spec.ts (TimeoutMixinTests of twisted/test/test_policies.py).
import type { IDelayedCall } from '../defer/interfaces.js';
import { AlreadyCalled, AlreadyCancelled } from '../reactor/errors.js';
import { reactor } from '../reactor/reactor.js';
import type { ITransport } from '../protocol/interfaces.js';

/**
 * A class `TimeoutMixin` can extend. TypeScript requires a mixin's base constructor to take
 * `...args: any[]`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type MixinBase = abstract new (...args: any[]) => object;

/**
 * `timeoutConnection()` found no transport to close: the class has no `transport`, or it is not
 * connected. Override `timeoutConnection()` in a class that is not a protocol.
 *
 * @example
 * ```ts no-run
 * new (TimeoutMixin(class {}))().timeoutConnection(); // throws NoTransportToTimeOutError
 * ```
 */
export class NoTransportToTimeOutError extends TypeError {
  constructor(className: string) {
    super(`${className}.timeoutConnection(): there is no transport to close; override timeoutConnection() to say what a timeout does`);
    this.name = 'NoTransportToTimeOutError';
  }
}

/**
 * Adds an idle timeout to a protocol class: `class Session extends TimeoutMixin(LineReceiver)`.
 * Port of `twisted.protocols.policies.TimeoutMixin`.
 *
 * Nothing happens until `setTimeout(period)` is called (usually in `connectionMade`); setting the
 * `timeOut` field alone does nothing. `resetTimeout()` (call it when data arrives) restarts the
 * countdown, but only while one is pending. When it runs out, `timeoutConnection()` runs (by
 * default: `transport.loseConnection()`). The countdown survives `connectionLost`: call
 * `setTimeout(null)` there. Calls are scheduled with `callLater`, the global reactor's by
 * default; override it to use a `Clock` in tests.
 *
 * @param Base - the class to extend.
 * @returns the class with the timeout methods.
 * @example
 * ```ts
 * class Session extends TimeoutMixin(Protocol) {
 *   constructor(readonly clock: Clock) { super(); }
 *   override callLater(period: number, fn: () => void) { return this.clock.callLater(period, fn); }
 *   override connectionMade() { this.setTimeout(5); }
 *   override dataReceived() { this.resetTimeout(); }
 *   override connectionLost() { this.setTimeout(null); }
 * }
 * const clock = new Clock();
 * const s = new Session(clock);
 * const transport = new StringTransport();
 * s.makeConnection(transport);
 * clock.advance(4);
 * s.dataReceived(Buffer.from('x'));
 * clock.advance(4);
 * console.log(transport.disconnecting); // false
 * clock.advance(1);
 * console.log(transport.disconnecting); // true
 * ```
 */
export function TimeoutMixin<TBase extends MixinBase>(Base: TBase) {
  abstract class Timeout extends Base {
    /** The current timeout in seconds, or null for none. Port of `timeOut`. */
    timeOut: number | null = null;
    /** The pending timeout call, or null (Twisted's private `__timeoutCall`). */
    _timeoutCall: IDelayedCall | null = null;

    /**
     * Schedule `func` after `period` seconds: the global reactor's `callLater`. Override it to
     * use another clock. Port of `TimeoutMixin.callLater`.
     *
     * @param period - seconds.
     * @param func - what to call.
     * @returns the delayed call.
     */
    callLater(period: number, func: () => void): IDelayedCall {
      return reactor.callLater(period, func);
    }

    /**
     * Restart the countdown, if one is pending and `timeOut` is set. Port of `resetTimeout`.
     */
    resetTimeout(): void {
      if (this._timeoutCall !== null && this.timeOut !== null) this._timeoutCall.reset(this.timeOut);
    }

    /**
     * Change the timeout: a number restarts (or starts) the countdown with that period, null
     * cancels it. Port of `setTimeout`.
     *
     * @param period - seconds, or null for no timeout.
     * @returns the previous `timeOut`.
     */
    setTimeout(period: number | null): number | null {
      const prev = this.timeOut;
      this.timeOut = period;
      if (this._timeoutCall !== null) {
        if (period === null) {
          try {
            this._timeoutCall.cancel();
          } catch (e) {
            if (!(e instanceof AlreadyCancelled) && !(e instanceof AlreadyCalled)) throw e;
          }
          this._timeoutCall = null;
        } else {
          this._timeoutCall.reset(period);
        }
      } else if (period !== null) {
        this._timeoutCall = this.callLater(period, () => {
          this._timeoutCall = null;
          this.timeoutConnection();
        });
      }
      return prev;
    }

    /**
     * The countdown ran out: by default, close the transport. Port of `timeoutConnection`.
     *
     * @throws NoTransportToTimeOutError when there is no transport to close.
     */
    timeoutConnection(): void {
      const t = (this as { transport?: ITransport | null }).transport;
      if (t === undefined || t === null) throw new NoTransportToTimeOutError(this.constructor.name);
      t.loseConnection();
    }
  }
  return Timeout;
}
