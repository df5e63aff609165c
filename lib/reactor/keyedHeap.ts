// The binary min-heap part of the timer heap (lib/reactor/heap.ts), with the calls' keys in flat
// arrays beside them. It stands for Twisted's reactor heapq (twisted.internet.base ReactorBase.
// _pendingTimedCalls). Covered by spec/reactor/heap.spec.ts (order, removal, moves, a property
// test against a sorted-list model) and, through reactor and Clock, spec/reactor and spec/task.
//
// How and why
// -----------
// One binary min-heap over a flat array of DelayedCalls; each call knows its own slot (`_index`),
// like the priority queue in Node's lib/internal/priority_queue.js:
//
//      items:  [ c0 | c1 | c2 | c3 | c4 | ... ]      c0 is the earliest
//                 \____/\___/                         children of slot i: 2i+1, 2i+2
//      keys:   [ h0 | l0 | h1 | l1 | ... ]   seqs: [ s0 | s1 | ... ]   the keys of slot i
//      call._index === its slot
//
// A call's due time is its key (lib/reactor/timeKey.ts), two integers: (hi, lo, seq) compared in
// that order is the heap's order.
//
//   insert          O(log n)  append, sift up
//   earliest        O(1)      items[0]
//   pop earliest    O(log n)  move the last item to slot 0, sift down
//   cancel          O(log n)  move the last item into the hole, sift it up or down
//   reset / delay   O(log n)  sift the call up or down from where it is
//
// Cancelled calls leave at once, so the heap holds live calls only. Sifting moves the item being
// placed through a "hole" instead of swapping pairs, which halves the writes, and compares the
// keys in the flat arrays, not two calls read from all over memory.
import type { DelayedCall } from './delayedCall.js';

/** The binary heap the timer heap builds on; its members are internal to lib/reactor. */
export class KeyedHeap {
  /** @internal */ protected readonly _items: DelayedCall[];
  // The due-time key of slot i at 2i (high word) and 2i + 1 (low word): one array, not two.
  /** @internal */ protected _keys: Int32Array;
  /** @internal */ protected _seqs: Float64Array;
  /** @internal */ protected _size: number;

  constructor() {
    this._items = [];
    this._keys = new Int32Array(32);
    this._seqs = new Float64Array(16);
    this._size = 0;
  }

  /** @internal Add a numbered call to the heap. */
  protected _heapInsert(call: DelayedCall): void {
    const i = this._size++;
    if (i === this._seqs.length) this._grow();
    this._items[i] = call;
    this._keys[2 * i] = call._dueHi;
    this._keys[2 * i + 1] = call._dueLo;
    this._seqs[i] = call._seq;
    this._siftUp(i);
  }

  /** @internal Remove and return the top call (the heap is not empty). */
  protected _popTop(): DelayedCall {
    const items = this._items;
    const top = items[0];
    const size = --this._size;
    const last = items[size];
    items[size] = undefined as unknown as DelayedCall; // drop the reference for the GC
    if (size > 0) {
      items[0] = last;
      const keys = this._keys;
      keys[0] = keys[2 * size];
      keys[1] = keys[2 * size + 1];
      this._seqs[0] = this._seqs[size];
      this._siftDown(0);
    }
    top._index = -1;
    return top;
  }

  /** @internal True when `call` is in the heap (its `_index` is its slot). */
  protected _inHeap(call: DelayedCall): boolean {
    const i = call._index;
    return i >= 0 && i < this._size && this._items[i] === call;
  }

  /** @internal Take `call` (in the heap) out. */
  protected _heapRemove(call: DelayedCall): void {
    const i = call._index;
    const items = this._items;
    const size = --this._size;
    const last = items[size];
    items[size] = undefined as unknown as DelayedCall;
    call._index = -1;
    if (i === size) return;
    items[i] = last;
    const keys = this._keys;
    keys[2 * i] = keys[2 * size];
    keys[2 * i + 1] = keys[2 * size + 1];
    this._seqs[i] = this._seqs[size];
    this._resift(i);
  }

  /** @internal Restore order after the key of `call` (in the heap) changed. */
  protected _heapRekey(call: DelayedCall): void {
    const i = call._index;
    this._keys[2 * i] = call._dueHi;
    this._keys[2 * i + 1] = call._dueLo;
    this._seqs[i] = call._seq;
    this._resift(i);
  }

  private _grow(): void {
    const keys = new Int32Array(this._keys.length * 2);
    keys.set(this._keys);
    this._keys = keys;
    const seqs = new Float64Array(this._seqs.length * 2);
    seqs.set(this._seqs);
    this._seqs = seqs;
  }

  // The keys of the item at slot i are in place when these run.

  /** Sift the item at slot `i` up or down to where it belongs. */
  private _resift(i: number): void {
    if (i > 0) {
      const p = (i - 1) >> 1;
      const keys = this._keys;
      const h = keys[2 * i];
      const ph = keys[2 * p];
      const l = keys[2 * i + 1];
      const pl = keys[2 * p + 1];
      if (h < ph || (h === ph && (l < pl || (l === pl && this._seqs[i] < this._seqs[p])))) {
        this._siftUp(i);
        return;
      }
    }
    this._siftDown(i);
  }

  private _siftUp(i: number): void {
    const items = this._items;
    const keys = this._keys;
    const seqs = this._seqs;
    const item = items[i];
    const h = keys[2 * i];
    const l = keys[2 * i + 1];
    const seq = seqs[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const ph = keys[2 * parent];
      const pl = keys[2 * parent + 1];
      if (!(h < ph || (h === ph && (l < pl || (l === pl && seq < seqs[parent]))))) break;
      const p = items[parent];
      items[i] = p;
      p._index = i;
      keys[2 * i] = ph;
      keys[2 * i + 1] = pl;
      seqs[i] = seqs[parent];
      i = parent;
    }
    items[i] = item;
    item._index = i;
    keys[2 * i] = h;
    keys[2 * i + 1] = l;
    seqs[i] = seq;
  }

  private _siftDown(i: number): void {
    const items = this._items;
    const keys = this._keys;
    const seqs = this._seqs;
    const size = this._size;
    const item = items[i];
    const h = keys[2 * i];
    const l = keys[2 * i + 1];
    const seq = seqs[i];
    for (;;) {
      const first = 2 * i + 1;
      if (first >= size) break;
      let best = first;
      let bh = keys[2 * first];
      let bl = keys[2 * first + 1];
      let bs = seqs[first];
      const right = first + 1;
      if (right < size) {
        const rh = keys[2 * right];
        const rl = keys[2 * right + 1];
        if (rh < bh || (rh === bh && (rl < bl || (rl === bl && seqs[right] < bs)))) {
          best = right;
          bh = rh;
          bl = rl;
          bs = seqs[right];
        }
      }
      if (!(bh < h || (bh === h && (bl < l || (bl === l && bs < seq))))) break;
      const m = items[best];
      items[i] = m;
      m._index = i;
      keys[2 * i] = bh;
      keys[2 * i + 1] = bl;
      seqs[i] = bs;
      i = best;
    }
    items[i] = item;
    item._index = i;
    keys[2 * i] = h;
    keys[2 * i + 1] = l;
    seqs[i] = seq;
  }
}
