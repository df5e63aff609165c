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
import { grown, released } from './slots.js';

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
    this._order = NO_ORDER;
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
    this._order = sortPositions(this._calls, this._end, this.live, this._order);
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
    // Every slot is null by now: a short array is kept for the next batch, a long one is offered
    // as a spare (lib/reactor/slots.ts).
    this._calls = released(this._calls);
    releaseOrder(this._order);
    this._order = NO_ORDER;
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

// The sort's working arrays, kept between sorts (a sort runs to its end, never re-entered): fresh
// typed arrays of 100,000 entries cost more than the passes over them. They are held weakly, so
// the next full collection frees them once no sort needs them, and arrays longer than KEEP_UP_TO
// entries are not kept at all.
const KEEP_UP_TO = 1 << 18;
const NO_ORDER: Uint32Array = new Uint32Array(0);
const counts = new Uint32Array(DIGITS * RADIX);

/** The key words of a sort and their copies for the passes that move them. */
class SortKeys {
  readonly lo: Uint32Array;
  readonly hi: Uint32Array;
  readonly lo2: Uint32Array;
  readonly hi2: Uint32Array;
  constructor(size: number) {
    this.lo = new Uint32Array(size);
    this.hi = new Uint32Array(size);
    this.lo2 = new Uint32Array(size);
    this.hi2 = new Uint32Array(size);
  }
}
let keptKeys: WeakRef<SortKeys> | null = null;

/** Working key arrays of at least `n` entries: the kept ones when long enough, else new ones. */
function sortKeys(n: number): SortKeys {
  const kept = keptKeys === null ? undefined : keptKeys.deref();
  if (kept !== undefined && kept.lo.length >= n) return kept;
  const keys = new SortKeys(Math.max(n, kept === undefined ? 0 : 2 * kept.lo.length));
  keptKeys = keys.lo.length <= KEEP_UP_TO ? new WeakRef(keys) : null;
  return keys;
}

// Order arrays no batch holds: a sort takes two (the batch's own, if long enough, counts as one),
// the batch keeps the one with the result, the other comes back here; an emptied batch gives its
// own. At most two, held weakly (see above).
const spareOrders: WeakRef<Uint32Array>[] = [];

/** An order array of at least `n` entries: `own` when long enough, else a spare, else a new one. */
function orderArray(n: number, own: Uint32Array | null): Uint32Array {
  if (own !== null && own.length >= n) return own;
  for (let k = spareOrders.length - 1; k >= 0; k--) {
    const a = spareOrders[k].deref();
    if (a !== undefined && a.length < n) continue;
    // Taken, or collected: either way it leaves the list.
    spareOrders[k] = spareOrders[spareOrders.length - 1];
    spareOrders.pop();
    if (a !== undefined) return a;
  }
  return new Uint32Array(n);
}

/** Keep `order` (no batch holds it any more) for a later sort, when it is worth keeping. */
function releaseOrder(order: Uint32Array): void {
  if (order.length === 0 || order.length > KEEP_UP_TO) return;
  if (spareOrders.length < 2) {
    spareOrders.push(new WeakRef(order));
    return;
  }
  // Replace a collected spare, else the shorter one if this is longer.
  const a = spareOrders[0].deref();
  const b = spareOrders[1].deref();
  const k = a === undefined ? 0 : b === undefined ? 1 : a.length <= b.length ? 0 : 1;
  const replaced = k === 0 ? a : b;
  if (replaced === undefined || replaced.length < order.length) spareOrders[k] = new WeakRef(order);
}

/**
 * The positions of the `n` live calls of `calls[0..end)`, sorted by due time, calls due at the
 * same time in position order. A least-significant-digit radix sort on the due times' keys.
 * `own` is the batch's previous order array, reused when long enough.
 */
function sortPositions(calls: readonly (DelayedCall | null)[], end: number, n: number, own: Uint32Array): Uint32Array {
  const keys = sortKeys(n);
  // Each live position with its key: the due time's key (lib/reactor/timeKey.ts) with the top bit
  // of each word flipped, so that it sorts as an unsigned 64-bit integer.
  let order = orderArray(n, own);
  if (order !== own) releaseOrder(own);
  let lo = keys.lo;
  let hi = keys.hi;
  counts.fill(0);
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
  if (n >= 2) {
    let order2 = orderArray(n, null);
    let lo2 = keys.lo2;
    let hi2 = keys.hi2;
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
    releaseOrder(order2); // the one of the pair without the result
  }
  return order;
}
