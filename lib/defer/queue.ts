// Port of twisted.internet.defer.DeferredQueue, QueueOverflow and QueueUnderflow (Twisted 22.4).
// Covered by spec/defer/locks.spec.ts (OtherPrimitivesTests of twisted/test/test_defer.py).
//
// Differences from Twisted: items and waiters sit in a ring-buffer FIFO (Twisted's
// `list.pop(0)` makes a 100,000-item backlog quadratic); items are handed to waiting gets
// through the trampoline in waiterHandover.ts; its errors (in concurrencyErrors.ts) carry a message and their data.

import { Deferred } from './deferred.js';
import { succeed } from './helpers.js';
import { InvalidQueueLimitError, QueueOverflow, QueueUnderflow } from './concurrencyErrors.js';
import { fireIfGranted, handOver } from './waiterHandover.js';
import { Fifo } from './fifo.js';

function checkLimit(which: 'size' | 'backlog', value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !(Number.isSafeInteger(value) || value === Infinity) || value < 0) {
    throw new InvalidQueueLimitError(which, value);
  }
  return value === Infinity ? null : value;
}

/**
 * An event-driven queue: `put()` items, `get()` Deferreds of them. A get on an empty queue waits
 * (FIFO) for the next put; a put with gets waiting goes straight to the first of them.
 *
 * Port of `twisted.internet.defer.DeferredQueue`.
 *
 * @typeParam T - the item type.
 * @example
 * ```ts no-run
 * const q = new DeferredQueue<string>();
 * q.get().addCallback((s) => console.log('got', s)); // waits
 * q.put('a');                                          // prints "got a"
 * ```
 */
export class DeferredQueue<T> {
  /** The most items held while no get waits (null: no limit). Port of `size`. */
  readonly size: number | null;
  /** The most gets allowed to wait on an empty queue (null: no limit). Port of `backlog`. */
  readonly backlog: number | null;
  /** @internal */
  private readonly _pending: Fifo<T>;
  /** @internal */
  private readonly _waiting: Fifo<Deferred<T>>;
  /** @internal */
  private readonly _cancelGet: (d: Deferred<T>) => void;

  /**
   * @param size - the most items held while no get waits; null/undefined for no limit.
   * @param backlog - the most gets allowed to wait; null/undefined for no limit.
   * @throws InvalidQueueLimitError when a limit is not a whole number >= 0 (or null/undefined).
   */
  constructor(size?: number | null, backlog?: number | null) {
    this.size = checkLimit('size', size);
    this.backlog = checkLimit('backlog', backlog);
    this._pending = new Fifo();
    this._waiting = new Fifo();
    this._cancelGet = (d: Deferred<T>): void => {
      if (!fireIfGranted(d as Deferred<unknown>)) this._waiting.remove(d);
    };
  }

  /** The items put and not yet got, oldest first (a copy). Port of `pending`. */
  get pending(): readonly T[] {
    return this._pending.toArray();
  }

  /** The get Deferreds still waiting for an item, oldest first (a copy). Port of `waiting`. */
  get waiting(): readonly Deferred<T>[] {
    return this._waiting.toArray();
  }

  /**
   * Add an item: it goes to the first waiting get if there is one (even when `size` is 0),
   * otherwise to the end of the queue.
   *
   * Port of `DeferredQueue.put`.
   *
   * @param obj - the item.
   * @throws QueueOverflow when no get waits and `size` items are already pending; the item is
   *   not added and nothing queued is lost.
   */
  put(obj: T): void {
    if (this._waiting.length !== 0) {
      handOver(this._waiting.shift(), obj);
    } else if (this.size === null || this._pending.length < this.size) {
      this._pending.push(obj);
    } else {
      throw new QueueOverflow(obj, this.size);
    }
  }

  /**
   * Take the next item: a Deferred that has already fired when an item is pending, otherwise one
   * that fires with the next item put. Cancelling a waiting get removes it (CancelledError);
   * cancelling one that fired does nothing.
   *
   * Port of `DeferredQueue.get`.
   *
   * @returns a Deferred of the next item.
   * @throws QueueUnderflow when the queue is empty and `backlog` gets are already waiting.
   */
  get(): Deferred<T> {
    if (this._pending.length !== 0) {
      return succeed(this._pending.shift());
    }
    if (this.backlog === null || this._waiting.length < this.backlog) {
      const d = new Deferred<T>(this._cancelGet);
      this._waiting.push(d);
      return d;
    }
    throw new QueueUnderflow(this.backlog);
  }
}
