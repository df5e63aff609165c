// The per-delay lanes of the timer heap (lib/reactor/heap.ts): the part that serves calls
// scheduled again and again with the same delay, as Node's lib/internal/timers.js keeps one list
// per duration with a priority queue over the lists. No Python original (Twisted keeps one heapq).
// Covered by spec/reactor/heap.spec.ts (lanes, and the property test with delays) and, through
// reactor and Clock, spec/reactor/*.spec.ts and spec/task/clock*.spec.ts.
//
// How and why
// -----------
// `callLater(d, f)` with a d used before is due after every call scheduled earlier with the same
// d (the clock does not go back), so appending it to a list for d keeps that list sorted by
// (due, seq) at no cost. A small binary heap orders the non-empty lanes by their first call: a
// push is O(1) and a pop O(log lanes), instead of O(log calls) each in one big heap.
//
//      lane for 0.005:  [ c3 | c9 | c14 | ... ]   head index skips popped and left calls
//      lane for 1:      [ c1 | c2 | c7 | ... ]
//      queue:           lanes by (due, seq) of their head
//
// A lane is made for a delay the second time the delay is seen (a direct-mapped table remembers
// recent delays), so one-off delays never pay for a lane, and at most MAX_LANES exist at once
// (and none opens while MAX_OPEN hold calls, or when the timer heap says its batch is cheaper);
// an emptied lane leaves the queue but keeps its array for the next call with its delay (the
// empty ones are forgotten when the limit is reached). A call whose push would not keep its lane
// sorted (an injected clock that went back) goes to the heap instead.
//
// Leaving is lazy: a call cancelled or moved while in a lane is only marked (its `_index` stops
// being this structure's mark) and its slot is skipped when the head reaches it; a lane's key in
// the queue may therefore be older than its first live call, never later, so the queue's top is
// re-keyed until its head is live. When skipped slots outnumber live calls (plus a margin), every
// lane is compacted, so cancelled calls are not held for long.
import type { DelayedCall } from './delayedCall.js';
import { grown } from './slots.js';
import { KEY_MIN } from './timeKey.js';

/** One lane: calls pushed with one delay, in (due, seq) order from `head` on. */
interface Lane {
  readonly delay: number;
  // Slots from `head` to `end`; the array is kept when the lane empties, to be filled again.
  calls: (DelayedCall | undefined)[];
  head: number;
  end: number;
  // The key (lib/reactor/timeKey.ts) and number of the first call at `head` when last looked at
  // (the queue's order).
  hi: number;
  lo: number;
  seq: number;
  // The key and number of the last call appended (a new call must sort after it).
  lastHi: number;
  lastLo: number;
  lastSeq: number;
  // The lane's slot in the queue.
  qi: number;
}

const MAX_LANES = 4096;
// No lane opens while this many hold calls: past a few dozen delays, popping through the queue of
// lanes costs more than the heap and the batch (lib/reactor/batch.ts) beside it.
const MAX_OPEN = 32;
const SEEN_BITS = 12;
// Each structure marks its lane calls with its own `_index` value, below any run position.
let nextMark = -(2 ** 30);

function seenSlot(delay: number): number {
  return Math.imul((delay * 1e9) | 0, 0x9e3779b1) >>> (32 - SEEN_BITS);
}

/** True when lane `a` must run its head before lane `b`'s. */
function laneBefore(a: Lane, b: Lane): boolean {
  if (a.hi !== b.hi) return a.hi < b.hi;
  return a.lo < b.lo || (a.lo === b.lo && a.seq < b.seq);
}

/** The lanes of one TimerHeap (see the essay above). */
export class DelayLanes {
  /** Live calls in lanes. */
  live: number;
  /** The `_index` of a call in one of these lanes. */
  readonly mark: number;
  private _stale: number;
  private readonly _byDelay: Map<number, Lane>;
  private readonly _queue: Lane[];
  private _seen: Float64Array | null;
  private _last: Lane | null;

  constructor() {
    this.live = 0;
    this.mark = nextMark--;
    if (nextMark < -(2 ** 30) - 2 ** 29) nextMark = -(2 ** 30);
    this._stale = 0;
    this._byDelay = new Map();
    this._queue = [];
    this._seen = null; // made on first use: most Clocks in tests never need it
    this._last = null;
  }

  /**
   * Append `call` (numbered, never queued before) to the lane for `delay` when there is one or
   * (with `mayOpen`) this delay was seen recently, and it keeps the lane sorted; false when the
   * caller must queue it elsewhere.
   */
  append(call: DelayedCall, delay: number, mayOpen: boolean): boolean {
    if (!mayOpen && this._byDelay.size === 0) return false; // no lane to join, none to open
    let lane = this._last;
    if (lane === null || lane.delay !== delay) {
      lane = this._byDelay.get(delay) ?? null;
      if (lane === null) {
        if (!mayOpen || this._queue.length >= MAX_OPEN) return false;
        const seen = (this._seen ??= new Float64Array(1 << SEEN_BITS).fill(NaN));
        const slot = seenSlot(delay);
        if (seen[slot] !== delay) {
          seen[slot] = delay;
          return false;
        }
        if (this._byDelay.size >= MAX_LANES && !this._forgetEmpty()) return false;
        lane = { delay, calls: [], head: 0, end: 0, hi: KEY_MIN, lo: KEY_MIN, seq: 0, lastHi: KEY_MIN, lastLo: KEY_MIN, lastSeq: 0, qi: -1 };
        this._byDelay.set(delay, lane);
      }
      this._last = lane;
    }
    const hi = call._dueHi;
    const lo = call._dueLo;
    const seq = call._seq;
    if (hi !== lane.lastHi ? hi < lane.lastHi : lo < lane.lastLo || (lo === lane.lastLo && seq <= lane.lastSeq)) return false;
    lane.lastHi = hi;
    lane.lastLo = lo;
    lane.lastSeq = seq;
    const calls = lane.calls;
    const h = lane.head;
    let end = lane.end;
    if (h >= 1024 && 2 * h >= end) {
      // Drop the consumed front now and then, so a lane that never empties does not grow forever.
      calls.copyWithin(0, h, end);
      calls.fill(undefined, end - h, end);
      end -= h;
      lane.head = 0;
    }
    if (end === calls.length) lane.calls = grown(calls, end + 1, undefined);
    lane.calls[end] = call;
    lane.end = end + 1;
    call._index = this.mark;
    this.live++;
    if (lane.qi === -1) {
      lane.hi = hi;
      lane.lo = lo;
      lane.seq = seq;
      const q = this._queue;
      lane.qi = q.length;
      q.push(lane);
      this._siftUp(lane.qi);
    }
    return true;
  }

  /** The earliest live call in the lanes (dropping skipped slots on the way), or null. */
  first(): DelayedCall | null {
    const q = this._queue;
    while (q.length !== 0) {
      const lane = q[0];
      const calls = lane.calls;
      let h = lane.head;
      const end = lane.end;
      const mark = this.mark;
      while (h < end && (calls[h] as DelayedCall)._index !== mark) {
        calls[h++] = undefined;
        this._stale--;
      }
      lane.head = h;
      if (h === end) {
        this._drop(lane);
        continue;
      }
      const c = calls[h] as DelayedCall;
      if (c._seq === lane.seq && c._dueLo === lane.lo && c._dueHi === lane.hi) return c;
      lane.hi = c._dueHi;
      lane.lo = c._dueLo;
      lane.seq = c._seq;
      this._siftDown(0);
    }
    return null;
  }

  /** Take off the call `first()` just returned. */
  shift(): void {
    const lane = this._queue[0];
    const calls = lane.calls;
    const c = calls[lane.head] as DelayedCall;
    calls[lane.head++] = undefined;
    c._index = -1;
    this.live--;
    const h = lane.head;
    if (h === lane.end) {
      this._drop(lane);
      return;
    }
    const next = calls[h] as DelayedCall;
    if (next._index === this.mark) {
      lane.hi = next._dueHi;
      lane.lo = next._dueLo;
      lane.seq = next._seq;
    }
    // Otherwise the key stays older than the first live call; first() re-keys it.
    this._siftDown(0);
  }

  /** Take `call` out if it is in a lane here (the slot is skipped later); false if it is not. */
  leave(call: DelayedCall): boolean {
    if (call._index !== this.mark) return false;
    call._index = -1;
    this.live--;
    if (++this._stale > this.live + 1024 || this.live === 0) this._compact();
    return true;
  }

  /** Push every live call in the lanes onto `out`. */
  collect(out: DelayedCall[]): void {
    const mark = this.mark;
    for (const lane of this._queue) {
      const calls = lane.calls;
      for (let i = lane.head; i < lane.end; i++) {
        const c = calls[i] as DelayedCall;
        if (c._index === mark) out.push(c);
      }
    }
  }

  /** Take an empty lane out of the queue; it stays in the map, its array ready for reuse. */
  private _drop(lane: Lane): void {
    const q = this._queue;
    const i = lane.qi;
    const last = q.pop() as Lane;
    lane.qi = -1;
    lane.head = 0;
    lane.end = 0;
    lane.lastHi = KEY_MIN;
    lane.lastLo = KEY_MIN;
    lane.lastSeq = 0;
    if (last !== lane) {
      q[i] = last;
      last.qi = i;
      if (i > 0 && laneBefore(last, q[(i - 1) >> 1])) this._siftUp(i);
      else this._siftDown(i);
    }
  }

  /** Forget the empty lanes (the map is full); true when that made room. */
  private _forgetEmpty(): boolean {
    for (const lane of this._byDelay.values()) {
      if (lane.qi === -1) this._byDelay.delete(lane.delay);
    }
    this._last = null;
    return this._byDelay.size < MAX_LANES;
  }

  /** Drop every skipped slot; lanes left empty leave the queue. */
  private _compact(): void {
    const mark = this.mark;
    for (const lane of this._queue.slice()) {
      const kept: DelayedCall[] = [];
      const calls = lane.calls;
      for (let i = lane.head; i < lane.end; i++) {
        const c = calls[i] as DelayedCall;
        if (c._index === mark) kept.push(c);
      }
      lane.calls = kept;
      lane.head = 0;
      lane.end = kept.length;
      if (kept.length === 0) this._drop(lane);
      else {
        lane.hi = kept[0]._dueHi;
        lane.lo = kept[0]._dueLo;
        lane.seq = kept[0]._seq;
      }
    }
    this._stale = 0;
    const q = this._queue;
    for (let i = (q.length >> 1) - 1; i >= 0; i--) this._siftDown(i);
  }

  private _siftUp(i: number): void {
    const q = this._queue;
    const lane = q[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = q[parent];
      if (!laneBefore(lane, p)) break;
      q[i] = p;
      p.qi = i;
      i = parent;
    }
    q[i] = lane;
    lane.qi = i;
  }

  private _siftDown(i: number): void {
    const q = this._queue;
    const size = q.length;
    const lane = q[i];
    const half = size >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      let c = q[child];
      const right = child + 1;
      if (right < size && laneBefore(q[right], c)) {
        child = right;
        c = q[right];
      }
      if (!laneBefore(c, lane)) break;
      q[i] = c;
      c.qi = i;
      i = child;
    }
    q[i] = lane;
    lane.qi = i;
  }
}
