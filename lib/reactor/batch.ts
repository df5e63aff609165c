// The batch of the timer heap (lib/reactor/heap.ts): calls pushed out of order while the heap is
// already large wait here unsorted, and are sorted all at once when the heap is next read. No
// Python original (Twisted's Clock re-sorts its whole list on every callLater). Covered by
// spec/reactor/heap.spec.ts (the batch cases and the property tests) and, through Clock,
// spec/task/clock*.spec.ts.
//
// How and why
// -----------
// A test that schedules 100,000 calls at scrambled times and then advances once pays, in a binary
// heap, a sift per push and a sift-down of about 17 levels per pop, each level a read and a write
// at a random place in memory. Nothing is read between the pushes, so their order is needed only
// at the first read: the heap appends such calls to a plain array (O(1)) and sorts the array when
// it is first read, with a least-significant-digit radix sort on the due times' bits:
//
//      calls:  [ c5 | c2 | c9 | ... ]            in push order, so in sequence-number order
//      keys:   the due time's key (lib/reactor/timeKey.ts) as an unsigned 64-bit integer (two Uint32s)
//      8 passes of 8 bits; a pass where every key has the same digit is skipped (integer due
//      times leave most low mantissa bytes zero)
//
// The radix sort is stable, so calls due at the same time keep their push order, which is their
// sequence-number order: the result is sorted by (due, seq), the heap's order. It costs a few
// linear passes instead of n log n comparisons through a function, and the calls never move: the
// sort yields their positions in order, and a cursor walks those positions. A call keeps its
// position from push to pop (`_index === BATCH_BASE - position`), so cancelling or moving it
// leaves a null hole, O(1), and sorting writes nothing to the calls.
//
//      calls:   [ c5 | c2 | null | c9 | c4 | ... | c11 | c13 ]   push order
//      order:   [ 1, 4, 0, 3, ... ]   positions below `sortedEnd`, by (due, seq); `head` walks it
//               positions from `sortedEnd` on are pending (pushed since the last sort)
//
// Pushes after a sort wait as pending. When the heap is next read, a few pending calls (or few
// beside many sorted ones) go into the heap one by one; more are sorted together with the sorted
// calls still live (all positions are in push order, so the sort stays stable), which costs at
// most a constant times the pending calls.
import type { DelayedCall } from './delayedCall.js';
import { grown } from './slots.js';

// A digit histogram per pass: 8 passes of 256 counts.
const DIGITS = 8;
const RADIX = 256;

/** A call in the batch has `_index === BATCH_BASE - position`, above any lane mark, below any run position. */
export const BATCH_BASE = -(2 ** 29);

/** Calls pushed out of order, sorted when first read (see the essay above). */
export class CallBatch {
  /** Live calls, sorted and pending. */
  live: number;
  /** Live calls pushed since the last sort. */
  pending: number;
  private _calls: (DelayedCall | null)[];
  private _end: number;
  private _order: Uint32Array;
  private _head: number;
  private _orderEnd: number;
  private _sortedEnd: number;

  constructor() {
    this.live = 0;
    this.pending = 0;
    this._calls = [];
    this._end = 0;
    this._order = new Uint32Array(0);
    this._head = 0;
    this._orderEnd = 0;
    this._sortedEnd = 0;
  }

  /** Append a fresh call (numbered after every call here). */
  add(call: DelayedCall): void {
    const pos = this._end++;
    call._index = BATCH_BASE - pos;
    if (pos === this._calls.length) this._calls = grown(this._calls, pos + 1, null);
    this._calls[pos] = call;
    this.live++;
    this.pending++;
  }

  /** True when `call` is live here. */
  has(call: DelayedCall): boolean {
    const pos = BATCH_BASE - call._index;
    return pos >= 0 && pos < this._end && this._calls[pos] === call;
  }

  /** Take `call` out (a hole is left); false when it is not here. */
  remove(call: DelayedCall): boolean {
    const pos = BATCH_BASE - call._index;
    if (pos < 0 || pos >= this._end || this._calls[pos] !== call) return false;
    this._calls[pos] = null;
    call._index = -1;
    if (pos >= this._sortedEnd) this.pending--;
    if (--this.live === 0) this._clear();
    return true;
  }

  /** Remove the pending calls and return them in push order (the heap takes a few one by one). */
  takePending(): DelayedCall[] {
    const calls = this._calls;
    const out: DelayedCall[] = [];
    for (let pos = this._sortedEnd; pos < this._end; pos++) {
      const c = calls[pos];
      if (c === null) continue;
      calls[pos] = null;
      c._index = -1;
      out.push(c);
    }
    this.live -= out.length;
    this.pending = 0;
    this._end = this._sortedEnd;
    if (this.live === 0) this._clear();
    return out;
  }

  /** Sort every live call, the pending ones with those sorted before. */
  sort(): void {
    if (this._end - this.live > this.live + 1024) this._compact();
    this._order = sortPositions(this._calls, this._end, this.live);
    this._head = 0;
    this._orderEnd = this.live;
    this._sortedEnd = this._end;
    this.pending = 0;
  }

  /** The earliest sorted live call (skipping holes), or null. Pending calls are not looked at. */
  first(): DelayedCall | null {
    const order = this._order;
    const calls = this._calls;
    let h = this._head;
    const end = this._orderEnd;
    while (h < end && calls[order[h]] === null) h++;
    this._head = h;
    return h < end ? calls[order[h]] : null;
  }

  /** Take off the call `first()` just returned. */
  shift(): void {
    const pos = this._order[this._head++];
    const c = this._calls[pos] as DelayedCall;
    this._calls[pos] = null;
    c._index = -1;
    if (--this.live === 0) this._clear();
  }

  /** Push every live call onto `out`. */
  collect(out: DelayedCall[]): void {
    const calls = this._calls;
    for (let pos = 0; pos < this._end; pos++) {
      const c = calls[pos];
      if (c !== null) out.push(c);
    }
  }

  private _clear(): void {
    // Every slot is null by now; the array is kept for the next batch.
    this._end = 0;
    this._head = 0;
    this._orderEnd = 0;
    this._sortedEnd = 0;
    this.pending = 0;
  }

  /** Close the holes (positions change, so each call is renumbered); the order is re-sorted next. */
  private _compact(): void {
    const calls = this._calls;
    let to = 0;
    for (let pos = 0; pos < this._end; pos++) {
      const c = calls[pos];
      if (c === null) continue;
      calls[pos] = null;
      calls[to] = c;
      c._index = BATCH_BASE - to;
      to++;
    }
    this._end = to;
  }
}

/**
 * The positions of the `n` live calls of `calls[0..end)`, sorted by due time, calls due at the
 * same time in position order. A least-significant-digit radix sort on the due times' bits.
 */
function sortPositions(calls: readonly (DelayedCall | null)[], end: number, n: number): Uint32Array {
  // Each live position with its key: the due time's key (lib/reactor/timeKey.ts) with the top bit
  // of each word flipped, so that it sorts as an unsigned 64-bit integer.
  let order = new Uint32Array(n);
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  const counts = new Uint32Array(DIGITS * RADIX);
  for (let pos = 0, j = 0; pos < end; pos++) {
    const c = calls[pos];
    if (c === null) continue;
    const h = (c._dueHi ^ 0x80000000) >>> 0;
    const l = (c._dueLo ^ 0x80000000) >>> 0;
    order[j] = pos;
    lo[j] = l;
    hi[j] = h;
    j++;
    counts[l & 0xff]++;
    counts[RADIX + ((l >>> 8) & 0xff)]++;
    counts[2 * RADIX + ((l >>> 16) & 0xff)]++;
    counts[3 * RADIX + (l >>> 24)]++;
    counts[4 * RADIX + (h & 0xff)]++;
    counts[5 * RADIX + ((h >>> 8) & 0xff)]++;
    counts[6 * RADIX + ((h >>> 16) & 0xff)]++;
    counts[7 * RADIX + (h >>> 24)]++;
  }
  if (n < 2) return order;
  let order2 = new Uint32Array(n);
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  for (let d = 0; d < DIGITS; d++) {
    const base = d * RADIX;
    // A pass where every key has the same digit changes nothing.
    let skip = false;
    for (let b = 0; b < RADIX; b++) {
      const c = counts[base + b];
      if (c !== 0) {
        skip = c === n;
        break;
      }
    }
    if (skip) continue;
    let sum = 0;
    for (let b = 0; b < RADIX; b++) {
      const c = counts[base + b];
      counts[base + b] = sum;
      sum += c;
    }
    const src = d < 4 ? lo : hi;
    const shift = (d & 3) * 8;
    for (let j = 0; j < n; j++) {
      const at = counts[base + ((src[j] >>> shift) & 0xff)]++;
      order2[at] = order[j];
      lo2[at] = lo[j];
      hi2[at] = hi[j];
    }
    let t = order;
    order = order2;
    order2 = t;
    t = lo;
    lo = lo2;
    lo2 = t;
    t = hi;
    hi = hi2;
    hi2 = t;
  }
  return order;
}
