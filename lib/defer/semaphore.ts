// Port of twisted.internet.defer.DeferredSemaphore (Twisted 22.4).
// Covered by spec/defer/locks.spec.ts (OtherPrimitivesTests of twisted/test/test_defer.py).

import { Deferred } from './deferred.js';
import { InvalidTokensError, TooManyReleasesError } from './concurrencyErrors.js';
import { ConcurrencyPrimitive } from './lock.js';

/**
 * A semaphore for event-driven code: at most `limit` holders at once. `acquire()` returns a
 * Deferred that fires (with the semaphore) once a token is yours; `release()` gives it back, or
 * straight to the first waiter.
 *
 * Port of `twisted.internet.defer.DeferredSemaphore`. Waiters are handed tokens without growing
 * the stack, so any number of them can queue.
 *
 * @example
 * ```ts no-run
 * const sem = new DeferredSemaphore(2);
 * for (const url of urls) sem.run(fetchPage, url); // at most 2 fetches at a time
 * ```
 */
export class DeferredSemaphore extends ConcurrencyPrimitive {
  /** @internal */
  private _tokens: number;
  /** @internal */
  private readonly _limit: number;

  /**
   * @param tokens - how many holders are allowed at once (a whole number >= 1); both `tokens`
   *   and `limit` start at it.
   * @throws InvalidTokensError when `tokens` is not a whole number >= 1.
   */
  constructor(tokens: number) {
    super();
    if (typeof tokens !== 'number' || !Number.isSafeInteger(tokens) || tokens < 1) {
      throw new InvalidTokensError(tokens);
    }
    this._tokens = tokens;
    this._limit = tokens;
  }

  /** Tokens free right now: `limit` minus the current holders. Port of `tokens`. */
  get tokens(): number {
    return this._tokens;
  }

  /** The most holders allowed at once. Port of `limit`. */
  get limit(): number {
    return this._limit;
  }

  /**
   * Ask for a token. The Deferred fires with the semaphore: at once if a token is free,
   * otherwise when one is released to it (FIFO). Cancelling a waiting acquire removes it from the
   * queue and fails it with CancelledError; cancelling one that fired does nothing.
   *
   * Port of `DeferredSemaphore.acquire`.
   *
   * @returns a Deferred that fires with this semaphore once a token is held.
   */
  acquire(): Deferred<this> {
    const d = new Deferred<this>(this._cancelAcquire);
    if (this._tokens === 0) {
      this._waiting.push(d);
    } else {
      this._tokens--;
      d.callback(this);
    }
    return d;
  }

  /** @internal */
  protected override _free(): boolean {
    return this._tokens !== 0;
  }

  /** @internal */
  protected override _plainAcquire(): boolean {
    return this.acquire === DeferredSemaphore.prototype.acquire;
  }

  /**
   * Give a token back. If anyone is waiting, the token goes straight to the first waiter.
   *
   * Port of `DeferredSemaphore.release`.
   *
   * @throws TooManyReleasesError when no token is held.
   */
  release(): void {
    if (this._tokens >= this._limit) throw new TooManyReleasesError(this._limit);
    if (this._waiting.length !== 0) {
      this._grantNext();
    } else {
      this._tokens++;
    }
  }
}
