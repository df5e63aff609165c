// The timer heap shared by the reactor (lib/reactor/reactor.ts) and Clock (lib/task/clock.ts).
// It replaces Twisted's two structures: the reactor's heapq of DelayedCalls (twisted.internet.base
// ReactorBase._pendingTimedCalls) and Clock's list re-sorted on every call (twisted.internet.task
// Clock.calls). Covered by spec/reactor/heap.spec.ts (including a property test against a
// sorted-list model) and, through its users, spec/task/clock.spec.ts and spec/reactor/*.spec.ts.
//
// How and why
// -----------
// A scheduler needs four operations: insert a call, find the earliest, remove the earliest (it
// runs), and remove or move an arbitrary call (cancel, reset, delay). Twisted's Clock keeps a
// list and sorts it after every insert and every call it runs, so n calls cost O(n^2 log n);
// its reactor keeps a binary heap but finds a call to move sooner with a linear `index()` and
// leaves cancelled calls in the heap until it compacts them.
//
// This file is one binary min-heap over a flat array of DelayedCall objects, and each call knows
// its own slot (`_index`), like the priority queue in Node's lib/internal/priority_queue.js:
//
//      items:  [ c0 | c1 | c2 | c3 | c4 | ... ]      c0 is the earliest
//                 \____/\___/                         children of slot i: 2i+1, 2i+2
//      call._index === its slot, or -1 when not queued
//
//   insert          O(log n)  append, sift up
//   earliest        O(1)      items[0]
//   pop earliest    O(log n)  move the last item to slot 0, sift down
//   cancel          O(log n)  move the last item into the hole, sift it up or down
//   reset / delay   O(log n)  sift the call up or down from where it is
//
// Nothing is ever re-sorted and cancelled calls leave at once, so the array holds live calls
// only. Sifting moves the item being placed through a "hole" instead of swapping pairs, which
// halves the writes.
//
// Order is total: due time (`getTime()`, cached in `_due`), then a sequence number (`_seq`).
// A new call takes the next number from an increasing counter, so calls due at the same time run
// in the order they were scheduled (Twisted's Clock gets this from a stable sort; its reactor
// does not guarantee it at all). A call whose time is changed is renumbered to reproduce where
// Twisted's stable re-sort leaves it among calls due at the same time: moved *sooner*, it was
// behind them in the sorted list and stays behind (it takes the next increasing number); moved
// *later*, it was ahead of them and stays ahead (it takes the next number of a second, decreasing
// counter, which sorts before every number handed out so far). Twisted's Clock re-sorts lazily,
// so the one case this cannot reproduce is two calls moved later onto the same time with no
// callLater/advance between the two moves; there the one moved last runs first.

import type { DelayedCall, DelayedCallCanceller, DelayedCallResetter } from './delayedCall.js';

/** True when `a` must run before `b`. */
function before(a: DelayedCall, b: DelayedCall): boolean {
  return a._due < b._due || (a._due === b._due && a._seq < b._seq);
}

/**
 * A binary min-heap of DelayedCalls ordered by due time, then by scheduling order; the one timer
 * structure behind both `reactor` and `Clock`. Give a DelayedCall the heap's `canceller` and
 * `resetter` so that `cancel()`, `reset()` and `delay()` keep the heap in order.
 *
 * @example A scheduler in four lines
 * ```ts no-run
 * const heap = new TimerHeap();
 * let now = 0;
 * const call = new DelayedCall(now + 1, () => console.log('due'), [], heap.canceller, heap.resetter, () => now);
 * heap.push(call);
 * now = 1;
 * while (heap.size > 0 && heap.peek()!.getTime() <= now) { const c = heap.pop()!; c.called = true; c.func!(); }
 * ```
 */
export class TimerHeap {
  /** Pass to `new DelayedCall(...)`: takes a cancelled call off this heap. */
  readonly canceller: DelayedCallCanceller;
  /** Pass to `new DelayedCall(...)`: moves a call whose due time changed. */
  readonly resetter: DelayedCallResetter;
  private readonly _items: DelayedCall[];
  private _size: number;
  private _nextSeq: number;
  private _nextLaterSeq: number;

  constructor() {
    this._items = [];
    this._size = 0;
    this._nextSeq = 1;
    this._nextLaterSeq = -1;
    this.canceller = (call) => this.remove(call);
    this.resetter = (call, previousTime) => this.update(call, previousTime);
  }

  /** The number of queued calls. */
  get size(): number {
    return this._size;
  }

  /**
   * The sequence number the next pushed call will get. A scheduler can note it before running
   * calls, to tell calls queued meanwhile (numbers at or above it) from older ones.
   */
  get nextSeq(): number {
    return this._nextSeq;
  }

  /**
   * Queue `call` (it must not be queued already).
   *
   * @param call - the DelayedCall to add
   */
  push(call: DelayedCall): void {
    call._seq = this._nextSeq++;
    const i = this._size++;
    this._items[i] = call;
    call._index = i;
    this._siftUp(i);
  }

  /** The earliest call, without removing it; undefined when empty. */
  peek(): DelayedCall | undefined {
    return this._size > 0 ? this._items[0] : undefined;
  }

  /** Remove and return the earliest call; undefined when empty. */
  pop(): DelayedCall | undefined {
    if (this._size === 0) return undefined;
    const items = this._items;
    const top = items[0];
    const last = items[--this._size];
    items[this._size] = undefined as unknown as DelayedCall; // drop the reference for the GC
    if (this._size > 0) {
      items[0] = last;
      last._index = 0;
      this._siftDown(0);
    }
    top._index = -1;
    return top;
  }

  /**
   * Take `call` off the heap (a no-op when it is not queued here).
   *
   * @param call - a queued DelayedCall
   */
  remove(call: DelayedCall): void {
    const i = call._index;
    const items = this._items;
    if (i < 0 || i >= this._size || items[i] !== call) return;
    const last = items[--this._size];
    items[this._size] = undefined as unknown as DelayedCall;
    call._index = -1;
    if (i === this._size) return;
    items[i] = last;
    last._index = i;
    if (i > 0 && before(last, items[(i - 1) >> 1])) this._siftUp(i);
    else this._siftDown(i);
  }

  /**
   * Restore order after `call`'s due time changed from `previousTime` (see the essay above for
   * how it is renumbered). A no-op when it is not queued here.
   *
   * @param call - a queued DelayedCall whose `_due` changed
   * @param previousTime - its due time before the change
   */
  update(call: DelayedCall, previousTime: number): void {
    const i = call._index;
    if (i < 0 || i >= this._size || this._items[i] !== call) return;
    if (call._due > previousTime) {
      call._seq = this._nextLaterSeq--;
      this._siftDown(i);
    } else if (call._due < previousTime) {
      call._seq = this._nextSeq++;
      this._siftUp(i);
    }
  }

  /** The queued calls, in heap order (not sorted); a fresh array. */
  toArray(): DelayedCall[] {
    return this._items.slice(0, this._size);
  }

  /** The queued calls in the order they will run; a fresh array. */
  toSortedArray(): DelayedCall[] {
    return this.toArray().sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  }

  private _siftUp(i: number): void {
    const items = this._items;
    const item = items[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent];
      if (!before(item, p)) break;
      items[i] = p;
      p._index = i;
      i = parent;
    }
    items[i] = item;
    item._index = i;
  }

  private _siftDown(i: number): void {
    const items = this._items;
    const size = this._size;
    const item = items[i];
    const half = size >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      let c = items[child];
      const right = child + 1;
      if (right < size && before(items[right], c)) {
        child = right;
        c = items[right];
      }
      if (!before(c, item)) break;
      items[i] = c;
      c._index = i;
      i = child;
    }
    items[i] = item;
    item._index = i;
  }
}
