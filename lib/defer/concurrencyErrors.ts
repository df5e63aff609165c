// Port of the errors of twisted.internet.defer's DeferredLock, DeferredSemaphore and
// DeferredQueue (Twisted 22.4), plus the named errors twistless throws where Twisted asserts.
// Covered by spec/defer/errors.spec.ts and spec/defer/locks.spec.ts.

import { describe as describeValue } from '../internal/describe.js';

/**
 * Thrown by `DeferredLock.release()` when the lock is not locked. Nothing changes.
 * Twisted raises a bare `AssertionError("Tried to release an unlocked lock")`.
 *
 * @example
 * ```ts no-run
 * try { new DeferredLock().release(); } catch (e) { console.log((e as Error).name); } // NotLockedError
 * ```
 */
export class NotLockedError extends Error {
  constructor() {
    super(
      'Tried to release an unlocked lock: DeferredLock.release() was called while the lock is not ' +
        'locked. Call release() once for each acquire() whose Deferred has fired (or use run()).',
    );
    this.name = 'NotLockedError';
  }
}

/**
 * Thrown by `new DeferredSemaphore(tokens)` when `tokens` is not a whole number >= 1.
 * Twisted raises `ValueError("DeferredSemaphore requires tokens >= 1")` for tokens < 1.
 *
 * @example
 * ```ts no-run
 * try { new DeferredSemaphore(0); } catch (e) { console.log((e as Error).name); } // InvalidTokensError
 * ```
 */
export class InvalidTokensError extends RangeError {
  /** The value that was given. */
  readonly tokens: unknown;
  constructor(tokens: unknown) {
    super(
      `DeferredSemaphore requires tokens >= 1, but got ${describeValue(tokens)}: pass the number of ` +
        'holders allowed at once, a whole number such as 1 or 10',
    );
    this.name = 'InvalidTokensError';
    this.tokens = tokens;
  }
}

/**
 * Thrown by `DeferredSemaphore.release()` when every token is already free. Nothing changes.
 * Twisted raises a bare `AssertionError("Someone released me too many times: too many tokens!")`.
 *
 * @example
 * ```ts no-run
 * try { new DeferredSemaphore(2).release(); } catch (e) { console.log((e as Error).name); }
 * // TooManyReleasesError
 * ```
 */
export class TooManyReleasesError extends Error {
  /** The semaphore's limit (all of its tokens were free). */
  readonly limit: number;
  constructor(limit: number) {
    super(
      `Someone released me too many times: too many tokens! DeferredSemaphore.release() was called ` +
        `with all ${limit} token${limit === 1 ? '' : 's'} already free. Call release() once for each ` +
        'acquire() whose Deferred has fired (or use run()).',
    );
    this.name = 'TooManyReleasesError';
    this.limit = limit;
  }
}

/**
 * Thrown by `DeferredQueue.put()` when the queue already holds `size` items and no get is
 * waiting. The item is not added; nothing queued is lost.
 *
 * Port of `twisted.internet.defer.QueueOverflow`.
 *
 * @example
 * ```ts no-run
 * const q = new DeferredQueue<number>(1);
 * q.put(1);
 * try { q.put(2); } catch (e) { console.log((e as QueueOverflow).value); } // 2
 * ```
 */
export class QueueOverflow extends Error {
  /** The item that was not put. */
  readonly value: unknown;
  /** The queue's size limit. */
  readonly size: number;
  constructor(value: unknown, size: number) {
    super(
      `DeferredQueue.put(): the queue is full (${size} of ${size} items pending, no get waiting), so ` +
        'the item was not added. get() an item first, or make the queue with a larger size (or none).',
    );
    this.name = 'QueueOverflow';
    this.value = value;
    this.size = size;
  }
}

/**
 * Thrown by `DeferredQueue.get()` when the queue is empty and `backlog` gets are already
 * waiting. No get is added.
 *
 * Port of `twisted.internet.defer.QueueUnderflow`.
 *
 * @example
 * ```ts no-run
 * const q = new DeferredQueue<number>(undefined, 0);
 * try { q.get(); } catch (e) { console.log((e as Error).name); } // QueueUnderflow
 * ```
 */
export class QueueUnderflow extends Error {
  /** The queue's backlog limit. */
  readonly backlog: number;
  constructor(backlog: number) {
    super(
      `DeferredQueue.get(): the queue is empty and ${backlog} get${backlog === 1 ? ' is' : 's are'} ` +
        'already waiting (its backlog), so no get was added. put() an item first, or make the queue ' +
        'with a larger backlog (or none).',
    );
    this.name = 'QueueUnderflow';
    this.backlog = backlog;
  }
}

/**
 * Thrown by `new DeferredQueue(size, backlog)` when a limit is neither null/undefined nor a whole
 * number >= 0. No Python counterpart: Twisted accepts any value and compares with it.
 *
 * @example
 * ```ts no-run
 * try { new DeferredQueue(-1); } catch (e) { console.log((e as Error).name); } // InvalidQueueLimitError
 * ```
 */
export class InvalidQueueLimitError extends RangeError {
  /** The value that was given. */
  readonly value: unknown;
  constructor(which: 'size' | 'backlog', value: unknown) {
    super(
      `DeferredQueue needs a ${which} that is a whole number >= 0, or null/undefined for no limit, ` +
        `but got ${describeValue(value)}`,
    );
    this.name = 'InvalidQueueLimitError';
    this.value = value;
  }
}
