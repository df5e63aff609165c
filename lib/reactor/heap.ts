// The timer heap shared by the reactor (lib/reactor/reactorBase.ts) and Clock (lib/task/clock.ts).
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
// Nothing is ever re-sorted and cancelled calls leave at once, so the heap holds live calls
// only. Sifting moves the item being placed through a "hole" instead of swapping pairs, which
// halves the writes. The keys of slot i sit in two flat arrays beside `items` (`_dues[i]`,
// `_seqs[i]`), so a comparison reads them there, not from two calls scattered over memory.
//
// The sorted run. Most calls arrive in order: a reactor's `callLater(d, f)` with the same d,
// moments apart, is due after every call scheduled before it. Node's timers exploit this with
// one list per duration (appending keeps each list sorted for free); this heap keeps one sorted
// array beside itself instead:
//
//      run:    [ null | c7 | c9 | null | c12 | ... ]  sorted; head index skips popped/removed
//      call._index === -2 - its position in the run
//
// A pushed call that sorts after the run's last call is appended (O(1)); any other goes into the
// heap. The earliest call is the smaller of the heap's top and the run's first live call, so
// popping from the run is O(1) too. Cancelling from the run leaves a null hole (O(1)); when holes
// outnumber live calls the run is compacted, when it empties it is reused in place, and a run
// that never empties drops its consumed front now and then. A reset
// or delay takes a call out of the run and re-inserts it (appended if it still sorts last). With
// the run, 100,000 reactor calls scheduled in a loop cost no heap work at all.
//
// The lanes. Calls with mixed delays (10 timeouts of different lengths, over and over) break the
// run at every shorter delay. reactor.callLater and Clock.callLater therefore push with their
// delay (`pushDelayed`): a call whose delay was seen before joins that delay's lane, a sorted
// list like Node's list per duration (lib/reactor/lanes.ts). The earliest call is the smallest
// of the heap's top, the run's first and the lanes' first; the heap serves the out-of-order rest.
//
// Order is total: due time (`getTime()`, read as `_due`), then a sequence number (`_seq`).
// A new call takes the next number from an increasing counter, so calls due at the same time run
// in the order they were scheduled, as Twisted's Clock gets from its stable sort.
//
// Calls moved by reset/delay. Twisted's Clock does not sort when a time changes: it sorts its
// list (stably, by time) at every callLater and before and after each call advance() runs. So
// among calls due at the same time, a moved call lands where its place in the list at the last
// sort puts it: its key then, (due then, seq). This heap reproduces that exactly. The pushes and
// popDue()s are the sorts; between two of them (an "epoch") the heap notes each moved call's key
// at the start of the epoch (the first in three fields, any others in `_moved`), and renumbers
// it at once:
//
//   now later than at the last sort   -> next number of a decreasing counter: ahead of every
//                                        call that was already at the new time (it was before
//                                        them in the list)
//   now sooner than at the last sort  -> next number of the increasing counter: behind them
//   back at its time of the last sort -> its number of the last sort
//
// That is exact against every call not moved in the epoch. Several calls moved the same way
// onto one time in one epoch would be ordered by when they moved, not by their old keys; so the
// next sort first puts each such group in old-key order, by handing the group's own numbers
// (consecutive in their counter, so no other call sits between them) back out in that order.
// Each move costs O(log n); from the second call moved in an epoch on, also a Map entry, and the
// next sort a check of their due times (and the regrouping, O(k log n), when two share one).
// A Clock in a test does not notice; a server resetting thousands of timeouts between two timer
// passes would, so the reactor passes `exactMoveOrder: false` and keeps the simple rule (each
// move measured from the call's time just before it), which is the Clock's whenever at most one
// call moves between two sorts. Twisted's reactor heap orders equal times arbitrarily anyway.

import { InvalidOptionsError } from '../defer/errors.js';
import type { DelayedCall, DelayedCallCanceller, DelayedCallResetter } from './delayedCall.js';
import { checkOptionNames } from './errors.js';
import { DelayLanes } from './lanes.js';
import { BATCH_BASE, CallBatch } from './batch.js';
import { describe } from '../internal/describe.js';

/** Options of `new TimerHeap()`. No Python counterpart (Twisted has two separate structures). */
export interface TimerHeapOptions {
  /**
   * Order calls moved by reset/delay exactly as Twisted's Clock does (default true); false
   * measures each move from the call's time just before it, with no bookkeeping per move.
   */
  exactMoveOrder?: boolean;
}

const TIMER_HEAP_OPTIONS = ['exactMoveOrder'];

// Fresh calls wait in the batch only while the heap holds at least this many (a small heap is
// cheaper than a sort).
const BATCH_FROM = 256;
// Fewer pending calls than this (or than half the sorted ones) go into the heap one by one.
const SORT_FROM = 64;

/** A moved call and its key at the last sort (see the essay above). */
interface MovedFrom {
  call: DelayedCall;
  due: number;
  seq: number;
}

/** Order for regrouping: due time, then direction (later before sooner), then old key. */
function byGroupThenOldKey(a: MovedFrom, b: MovedFrom): number {
  const da = a.call._due;
  const db = b.call._due;
  if (da !== db) return da - db;
  const la = da > a.due ? 0 : 1;
  const lb = db > b.due ? 0 : 1;
  return la - lb || a.due - b.due || a.seq - b.seq;
}

/** True when `a` must run before `b`. */
function before(a: DelayedCall, b: DelayedCall): boolean {
  return a._due < b._due || (a._due === b._due && a._seq < b._seq);
}

/**
 * A binary min-heap of DelayedCalls ordered by due time, then by scheduling order, with a sorted
 * run beside it for calls that arrive in order; the one timer structure behind both `reactor`
 * and `Clock`. Give a DelayedCall the heap's `canceller` and `resetter` so that `cancel()`,
 * `reset()` and `delay()` keep it in order.
 *
 * Stands for the `_pendingTimedCalls` heap (`heapq`) of `twisted.internet.base.ReactorBase` and the sorted `calls` list of `twisted.internet.task.Clock`.
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
  // The keys of _items[i], (due, seq), beside them: sifting compares these flat arrays instead of
  // reading two calls per comparison from all over memory.
  private _dues: Float64Array;
  private _seqs: Float64Array;
  private _size: number;
  // The sorted run: calls in (due, seq) order from _runHead on; removed ones leave a null hole.
  // A call in the run has `_index === -2 - position`.
  private _run: (DelayedCall | null)[];
  private _runEnd: number; // the run's logical length; slots past it are stale nulls, reused
  private _runHead: number;
  private _runLive: number;
  private _runLastDue: number;
  private _runLastSeq: number;
  private _nextSeq: number;
  private _nextLaterSeq: number;
  // Calls moved since the last sort, with their key at that sort.
  // The first call moved since the last sort, with its key then (no allocation for the common
  // single move), and any other calls moved since, with theirs.
  private readonly _exact: boolean;
  private _oneCall: DelayedCall | null;
  private _oneDue: number;
  private _oneSeq: number;
  private readonly _moved: Map<DelayedCall, MovedFrom>;
  // Calls pushed with a delay used before (lib/reactor/lanes.ts).
  private readonly _lanes: DelayLanes;
  // Fresh calls pushed out of order while the heap is large, sorted when read (lib/reactor/batch.ts).
  private readonly _batch: CallBatch;

  /**
   * @param options - `exactMoveOrder` (default true): order calls moved by reset/delay exactly
   *   as Twisted's Clock (see the essay above). false: measure each move from the call's time
   *   just before it (no bookkeeping per move; the reactor's choice, as Twisted's reactor heap
   *   promises no order among equal times).
   * @throws InvalidOptionsError (a TypeError) for an unknown option or a non-boolean value
   */
  constructor(options: TimerHeapOptions = {}) {
    checkOptionNames('new TimerHeap(options)', options, TIMER_HEAP_OPTIONS);
    const exact = options.exactMoveOrder;
    if (exact !== undefined && typeof exact !== 'boolean') {
      throw new InvalidOptionsError(`new TimerHeap({ exactMoveOrder }): exactMoveOrder must be true or false, but got ${describe(exact)}`, options);
    }
    this._exact = exact ?? true;
    this._items = [];
    this._dues = new Float64Array(16);
    this._seqs = new Float64Array(16);
    this._size = 0;
    this._run = [];
    this._runEnd = 0;
    this._runHead = 0;
    this._runLive = 0;
    this._runLastDue = -Infinity;
    this._runLastSeq = 0;
    this._nextSeq = 1;
    this._nextLaterSeq = -1;
    this._oneCall = null;
    this._oneDue = 0;
    this._oneSeq = 0;
    this._moved = new Map();
    this._lanes = new DelayLanes();
    this._batch = new CallBatch();
    this.canceller = (call) => this.remove(call);
    this.resetter = (call, previousTime) => this.update(call, previousTime);
  }

  /**
   * The number of queued calls.
   *
   * @example
   * ```ts no-run
   * heap.size; // 0 for a new TimerHeap
   * ```
   */
  get size(): number {
    return this._size + this._runLive + this._lanes.live + this._batch.live;
  }

  /**
   * The sequence number the next pushed call will get. A scheduler can note it before running
   * calls, to tell calls queued meanwhile (numbers at or above it) from older ones.
   *
   * @example
   * ```ts no-run
   * const limit = heap.nextSeq; // then popDue(now, limit) skips calls pushed from here on
   * ```
   */
  get nextSeq(): number {
    return this._nextSeq;
  }

  /**
   * Queue `call` (it must not be queued already).
   *
   * @param call - the DelayedCall to add
   * @example
   * ```ts no-run
   * heap.push(new DelayedCall(5, f, NO_ARGS, heap.canceller, heap.resetter, seconds));
   * ```
   */
  push(call: DelayedCall): void {
    if (this._oneCall !== null) this._settle();
    call._seq = this._nextSeq++;
    if (this._size < BATCH_FROM) this._insert(call);
    else {
      const due = call._due;
      if (due > this._runLastDue || (due === this._runLastDue && call._seq > this._runLastSeq)) this._appendToRun(call, due, call._seq);
      else this._batch.add(call);
    }
  }

  /**
   * Queue `call` (never queued before) that was scheduled `delay` seconds ahead: when the same
   * delay was used before, it joins that delay's lane (O(1); see lib/reactor/lanes.ts). The
   * reactor and Clock push this way.
   *
   * @internal
   * @param call - the DelayedCall to add, due `delay` seconds after it was made
   * @param delay - the delay it was scheduled with
   */
  pushDelayed(call: DelayedCall, delay: number): void {
    if (this._oneCall !== null) this._settle();
    const seq = (call._seq = this._nextSeq++);
    const due = call._due;
    // The sorted run first (a loop of callLater(0) costs nothing more), then the delay's lane.
    if (due > this._runLastDue || (due === this._runLastDue && seq > this._runLastSeq)) this._appendToRun(call, due, seq);
    else this._placeOutOfOrder(call, delay);
  }

  /** A fresh call that sorts before the run's last: its delay's lane, else the heap (small) or the batch. */
  private _placeOutOfOrder(call: DelayedCall, delay: number): void {
    if (this._lanes.append(call, delay)) return;
    if (this._size < BATCH_FROM) this._insert(call);
    else this._batch.add(call);
  }

  /**
   * The earliest call, without removing it; undefined when empty.
   *
   * @example
   * ```ts no-run
   * heap.peek()?.getTime(); // when the host timer must fire
   * ```
   */
  peek(): DelayedCall | undefined {
    const batch = this._batch;
    if (batch.pending !== 0) this._sortBatch();
    let best = this._size === 0 ? undefined : this._items[0];
    const r = this._runFirst();
    if (r !== null && (best === undefined || before(r, best))) best = r;
    if (this._lanes.live !== 0) {
      const l = this._lanes.first() as DelayedCall;
      if (best === undefined || before(l, best)) best = l;
    }
    if (batch.live !== 0) {
      const b = batch.first() as DelayedCall;
      if (best === undefined || before(b, best)) best = b;
    }
    return best;
  }

  /**
   * Remove and return the earliest call; undefined when empty.
   *
   * @example
   * ```ts no-run
   * const next = heap.pop();
   * ```
   */
  pop(): DelayedCall | undefined {
    return this.popDue(Infinity, Infinity);
  }

  /**
   * Remove and return the earliest call if it is due at `now` and was numbered below `seqLimit`
   * (a call pushed after `nextSeq` was read is numbered at or above it); otherwise undefined.
   * The schedulers' run loops use this: one look at each part per call.
   *
   * @param now - the current time
   * @param seqLimit - `Infinity` for every due call, or a `nextSeq` read earlier
   * @example
   * ```ts no-run
   * for (let c = heap.popDue(now, Infinity); c !== undefined; c = heap.popDue(now, Infinity)) c.func!();
   * ```
   */
  popDue(now: number, seqLimit: number): DelayedCall | undefined {
    if (this._oneCall !== null) this._settle();
    const batch = this._batch;
    if (this._runLive === 0 && this._lanes.live === 0 && batch.live === 0) {
      // Only the heap is in use (a Clock with a few calls): its top's keys are in the flat arrays.
      if (this._size === 0 || this._dues[0] > now || this._seqs[0] >= seqLimit) return undefined;
      return this._popTop();
    }
    if (batch.pending !== 0) this._sortBatch();
    let best = this._size === 0 ? undefined : this._items[0];
    let from = 0; // 0: the heap, 1: the run, 2: the lanes, 3: the batch
    const r = this._runFirst();
    if (r !== null && (best === undefined || before(r, best))) {
      best = r;
      from = 1;
    }
    if (this._lanes.live !== 0) {
      const l = this._lanes.first() as DelayedCall;
      if (best === undefined || before(l, best)) {
        best = l;
        from = 2;
      }
    }
    if (batch.live !== 0) {
      const b = batch.first() as DelayedCall;
      if (best === undefined || before(b, best)) {
        best = b;
        from = 3;
      }
    }
    if (best === undefined || best._due > now || best._seq >= seqLimit) return undefined;
    if (from === 3) {
      batch.shift();
      return best;
    }
    if (from === 2) {
      this._lanes.shift();
      return best;
    }
    if (from === 1) {
      const h = this._runHead;
      this._run[h] = null;
      this._runHead = h + 1;
      best._index = -1;
      if (--this._runLive === 0) this._clearRun();
      return best;
    }
    return this._popTop();
  }

  /** Remove and return the heap's top call. */
  private _popTop(): DelayedCall {
    const items = this._items;
    const top = items[0];
    const size = --this._size;
    const last = items[size];
    items[size] = undefined as unknown as DelayedCall; // drop the reference for the GC
    if (size > 0) {
      items[0] = last;
      this._dues[0] = this._dues[size];
      this._seqs[0] = this._seqs[size];
      this._siftDown(0);
    }
    top._index = -1;
    return top;
  }

  /**
   * Take `call` off the heap (a no-op when it is not queued here).
   *
   * @param call - a queued DelayedCall
   * @example
   * ```ts no-run
   * heap.remove(call); // what heap.canceller does
   * ```
   */
  remove(call: DelayedCall): void {
    const i = call._index;
    if (i === this._lanes.mark) {
      this._lanes.leave(call);
      return;
    }
    if (i <= BATCH_BASE) {
      this._batch.remove(call);
      return;
    }
    if (i <= -2) {
      this._removeFromRun(call);
      return;
    }
    const items = this._items;
    if (i < 0 || i >= this._size || items[i] !== call) return;
    const size = --this._size;
    const last = items[size];
    items[size] = undefined as unknown as DelayedCall;
    call._index = -1;
    if (i === size) return;
    items[i] = last;
    this._dues[i] = this._dues[size];
    this._seqs[i] = this._seqs[size];
    this._resift(i);
  }

  /**
   * Restore order after `call`'s due time changed from `previousTime` (see the essay above for
   * how it is renumbered). A no-op when it is not queued here.
   *
   * @param call - a queued DelayedCall whose `_due` changed
   * @param previousTime - its due time before the change
   * @example
   * ```ts no-run
   * heap.update(call, previousTime); // what heap.resetter does
   * ```
   */
  update(call: DelayedCall, previousTime: number): void {
    if (call._due === previousTime) return;
    const i = call._index;
    const inLane = i === this._lanes.mark;
    const inBatch = !inLane && i <= BATCH_BASE;
    const inRun = !inLane && !inBatch && i <= -2;
    if (!inLane && !inRun && !inBatch && (i < 0 || i >= this._size || this._items[i] !== call)) return;
    if (inRun && !this._inRun(call)) return;
    if (inBatch && !this._batch.has(call)) return;
    let fromDue: number;
    let fromSeq: number;
    if (!this._exact) {
      fromDue = previousTime;
      fromSeq = call._seq;
    } else if (this._oneCall === call) {
      fromDue = this._oneDue;
      fromSeq = this._oneSeq;
    } else if (this._oneCall === null) {
      this._oneCall = call;
      fromDue = this._oneDue = previousTime;
      fromSeq = this._oneSeq = call._seq;
    } else {
      let from = this._moved.get(call);
      if (from === undefined) {
        from = { call, due: previousTime, seq: call._seq };
        this._moved.set(call, from);
      }
      fromDue = from.due;
      fromSeq = from.seq;
    }
    const due = call._due;
    call._seq = due > fromDue ? this._nextLaterSeq-- : due < fromDue ? this._nextSeq++ : fromSeq;
    this._reinsert(call);
  }

  /** Put `call` (queued, its key just changed) back in order. */
  private _reinsert(call: DelayedCall): void {
    const i = call._index;
    if (i === this._lanes.mark) {
      this._lanes.leave(call);
      this._insert(call);
    } else if (i <= BATCH_BASE) {
      this._batch.remove(call);
      this._insert(call);
    } else if (i <= -2) {
      this._removeFromRun(call);
      this._insert(call);
    } else {
      this._dues[i] = call._due;
      this._seqs[i] = call._seq;
      this._resift(i);
    }
  }

  /**
   * The numbers the next sort gives the calls moved the same way onto one time (see the essay):
   * each such group's own numbers, handed out in the order of the calls' keys at the last sort.
   * Only calls whose number changes are listed; null when none does.
   */
  private _regroup(): Map<DelayedCall, number> | null {
    const moved = this._moved;
    if (this._oneCall === null || moved.size === 0) return null;
    // The still-queued calls moved away from their time at the last sort (one back at it has its
    // old number already).
    const list: MovedFrom[] = [];
    const one = this._oneCall;
    if (one._index !== -1 && one._due !== this._oneDue) list.push({ call: one, due: this._oneDue, seq: this._oneSeq });
    for (const from of moved.values()) {
      const c = from.call;
      if (c._index !== -1 && c._due !== from.due) list.push(from);
    }
    if (list.length < 2) return null;
    // Usually no two of them share a due time: check that with a native numeric sort first.
    const dues = new Float64Array(list.length);
    for (let k = 0; k < list.length; k++) dues[k] = list[k].call._due;
    dues.sort();
    let shared = false;
    for (let k = 1; k < dues.length && !shared; k++) shared = dues[k] === dues[k - 1];
    if (!shared) return null;
    // Sort so that each group is a run: by due time, direction, old key.
    list.sort(byGroupThenOldKey);
    let out: Map<DelayedCall, number> | null = null;
    for (let start = 0, end = 1; start < list.length; start = end, end = start + 1) {
      const first = list[start].call;
      const later = first._due > list[start].due;
      while (end < list.length && list[end].call._due === first._due && list[end].call._due > list[end].due === later) end++;
      if (end - start < 2) continue;
      const seqs: number[] = [];
      for (let k = start; k < end; k++) seqs.push(list[k].call._seq);
      seqs.sort((x, y) => x - y);
      for (let k = start; k < end; k++) {
        const c = list[k].call;
        if (c._seq !== seqs[k - start]) (out ??= new Map()).set(c, seqs[k - start]);
      }
    }
    return out;
  }

  /** A sort point (push, pop): apply the regrouping, then forget the moves. */
  private _settle(): void {
    const renumber = this._regroup();
    this._oneCall = null;
    if (this._moved.size !== 0) this._moved.clear();
    if (renumber === null) return;
    for (const call of renumber.keys()) this.remove(call);
    for (const [call, seq] of renumber) {
      call._seq = seq;
      this._insert(call);
    }
  }

  /**
   * The queued calls, in no particular order; a fresh array.
   *
   * @example
   * ```ts no-run
   * heap.toArray().length === heap.size; // true
   * ```
   */
  toArray(): DelayedCall[] {
    const out = this._items.slice(0, this._size);
    const run = this._run;
    for (let i = this._runHead; i < this._runEnd; i++) {
      const c = run[i];
      if (c !== null) out.push(c);
    }
    this._lanes.collect(out);
    this._batch.collect(out);
    return out;
  }

  /**
   * The queued calls in the order they will run; a fresh array.
   *
   * @example
   * ```ts no-run
   * heap.toSortedArray()[0] === heap.peek(); // true
   * ```
   */
  toSortedArray(): DelayedCall[] {
    // In the order the next sort point runs them: moves not yet regrouped are regrouped here.
    const renumber = this._regroup();
    const seq = (c: DelayedCall): number => renumber?.get(c) ?? c._seq;
    return this.toArray().sort((a, b) => a._due - b._due || seq(a) - seq(b));
  }

  /** Order the batch's pending calls: a few go into the heap one by one, more are sorted in the batch. */
  private _sortBatch(): void {
    const batch = this._batch;
    if (batch.pending < SORT_FROM || batch.pending < (batch.live - batch.pending) >> 1) {
      const calls = batch.takePending();
      for (let i = 0; i < calls.length; i++) this._insert(calls[i]);
    } else batch.sort();
  }

  /** Put a numbered call in the run when it sorts after everything there (and the heap is in use), else in the heap. */
  private _insert(call: DelayedCall): void {
    const due = call._due;
    // An empty structure takes the call into the heap: a lone call is cheapest there (a Clock
    // that schedules one call per advance() never touches the run).
    if ((this._size !== 0 || this._runLive !== 0 || this._lanes.live !== 0 || this._batch.live !== 0) && (due > this._runLastDue || (due === this._runLastDue && call._seq > this._runLastSeq))) {
      this._appendToRun(call, due, call._seq);
      return;
    }
    const i = this._size++;
    if (i === this._dues.length) this._grow();
    this._items[i] = call;
    this._dues[i] = due;
    this._seqs[i] = call._seq;
    this._siftUp(i);
  }

  /** Append a call that sorts after the run's last; into an empty structure, it becomes the heap's top (a lone call is cheapest there). */
  private _appendToRun(call: DelayedCall, due: number, seq: number): void {
    if (this._runLive === 0 && this._size === 0 && this._lanes.live === 0 && this._batch.live === 0) {
      this._items[0] = call;
      this._dues[0] = due;
      this._seqs[0] = seq;
      call._index = 0;
      this._size = 1;
      return;
    }
    // A run that never empties drops its consumed front now and then, so it does not grow forever.
    if (this._runHead >= 1024 && 2 * this._runHead >= this._runEnd) this._compactRun();
    const pos = this._runEnd++;
    call._index = -2 - pos;
    this._run[pos] = call;
    this._runLive++;
    this._runLastDue = due;
    this._runLastSeq = seq;
  }

  /** The first live call of the run (skipping holes), or null. */
  private _runFirst(): DelayedCall | null {
    if (this._runLive === 0) return null;
    const run = this._run;
    let h = this._runHead;
    while (run[h] === null) h++;
    this._runHead = h;
    return run[h] as DelayedCall;
  }

  /** True when `call` is the live call at its run position. */
  private _inRun(call: DelayedCall): boolean {
    const pos = -2 - call._index;
    return pos < this._runEnd && this._run[pos] === call;
  }

  private _removeFromRun(call: DelayedCall): boolean {
    const pos = -2 - call._index;
    const run = this._run;
    if (pos >= this._runEnd || run[pos] !== call) return false;
    run[pos] = null;
    call._index = -1;
    if (--this._runLive === 0) this._clearRun();
    else if (this._runEnd - this._runHead > 2 * this._runLive + 1024) this._compactRun();
    return true;
  }

  private _clearRun(): void {
    // Every slot up to _runEnd is null by now (popped or removed); reuse the array in place, as
    // a Clock empties its run on nearly every advance().
    this._runEnd = 0;
    this._runHead = 0;
    this._runLastDue = -Infinity;
    this._runLastSeq = 0;
  }

  /** Drop the holes (many removals from the middle of a long run); O(run length), amortised. */
  private _compactRun(): void {
    const old = this._run;
    const run: DelayedCall[] = [];
    for (let i = this._runHead; i < this._runEnd; i++) {
      const c = old[i];
      if (c !== null) {
        c._index = -2 - run.length;
        run.push(c);
      }
    }
    this._run = run;
    this._runEnd = run.length;
    this._runHead = 0;
  }

  private _grow(): void {
    const dues = new Float64Array(this._dues.length * 2);
    dues.set(this._dues);
    this._dues = dues;
    const seqs = new Float64Array(this._seqs.length * 2);
    seqs.set(this._seqs);
    this._seqs = seqs;
  }

  // The keys of the item at slot i are in place when these run.

  /** Sift the item at slot `i` (its keys in place) up or down to where it belongs. */
  private _resift(i: number): void {
    if (i > 0) {
      const p = (i - 1) >> 1;
      const d = this._dues[i];
      const pd = this._dues[p];
      if (d < pd || (d === pd && this._seqs[i] < this._seqs[p])) {
        this._siftUp(i);
        return;
      }
    }
    this._siftDown(i);
  }

  private _siftUp(i: number): void {
    const items = this._items;
    const dues = this._dues;
    const seqs = this._seqs;
    const item = items[i];
    const due = dues[i];
    const seq = seqs[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pd = dues[parent];
      if (!(due < pd || (due === pd && seq < seqs[parent]))) break;
      const p = items[parent];
      items[i] = p;
      p._index = i;
      dues[i] = pd;
      seqs[i] = seqs[parent];
      i = parent;
    }
    items[i] = item;
    item._index = i;
    dues[i] = due;
    seqs[i] = seq;
  }

  private _siftDown(i: number): void {
    const items = this._items;
    const dues = this._dues;
    const seqs = this._seqs;
    const size = this._size;
    const item = items[i];
    const due = dues[i];
    const seq = seqs[i];
    for (;;) {
      const first = 2 * i + 1;
      if (first >= size) break;
      let best = first;
      let bd = dues[first];
      let bs = seqs[first];
      const right = first + 1;
      if (right < size) {
        const rd = dues[right];
        if (rd < bd || (rd === bd && seqs[right] < bs)) {
          best = right;
          bd = rd;
          bs = seqs[right];
        }
      }
      if (!(bd < due || (bd === due && bs < seq))) break;
      const m = items[best];
      items[i] = m;
      m._index = i;
      dues[i] = bd;
      seqs[i] = bs;
      i = best;
    }
    items[i] = item;
    item._index = i;
    dues[i] = due;
    seqs[i] = seq;
  }
}
