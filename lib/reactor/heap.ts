// The timer heap shared by the reactor (lib/reactor/reactorBase.ts) and Clock (lib/task/clock.ts).
// It replaces Twisted's two structures: the reactor's heapq of DelayedCalls (twisted.internet.base
// ReactorBase._pendingTimedCalls) and Clock's list re-sorted on every call (twisted.internet.task
// Clock.calls). Covered by spec/reactor/heap.spec.ts and spec/reactor/batch.spec.ts (including
// property tests against a sorted-list model) and, through its users, spec/task/clock*.spec.ts
// and spec/reactor/*.spec.ts.
//
// How and why
// -----------
// A scheduler needs four operations: insert a call, find the earliest, remove the earliest (it
// runs), and remove or move an arbitrary call (cancel, reset, delay). Twisted's Clock keeps a
// list and sorts it after every insert and every call it runs, so n calls cost O(n^2 log n);
// its reactor keeps a binary heap but finds a call to move sooner with a linear `index()` and
// leaves cancelled calls in the heap until it compacts them.
//
// The timer heap keeps every queued call in exactly one of four parts, each told by the call's
// `_index`, and merges them by one total order:
//
//   part                                        file            push      pop       _index
//   binary heap, keys in flat arrays            keyedHeap.ts    O(log n)  O(log n)  >= 0 (slot)
//   sorted run: calls that arrive in order      sortedRun.ts    O(1)      O(1)      -2 - position
//   lanes: one sorted list per repeated delay   lanes.ts        O(1)      O(log k)  the lanes' mark
//   batch: out of order while the heap is big   batch.ts        O(1)      O(1) *    BATCH_BASE - position
//   (* after one radix sort per batch, when the heap is next read)
//
// A fresh call goes to the run when it sorts after the run's last call (a loop of callLater(0));
// else, pushed by reactor.callLater or Clock.callLater with a delay seen before, to that delay's
// lane (10 timeouts of different lengths, over and over); else to the heap while it holds fewer
// than BATCH_FROM calls, and to the batch beyond (100,000 calls at scrambled times, then one
// advance). A new lane opens only while the heap is small and few lanes hold calls: past that,
// one sort of the batch is cheaper than popping through a queue of thousands of lanes. A call moved by reset/delay is re-inserted into the run or the heap. An empty
// structure takes a call into the heap: a lone call is cheapest there. The earliest call is the
// smallest of the heap's top and the first of the run, the lanes and the batch.
//
// Order is total: due time (`getTime()`), then a sequence number (`_seq`). The due time is
// compared as its key, two small integers kept on the call (`_dueHi`, `_dueLo`; lib/reactor/
// timeKey.ts says why: a double would be boxed per call), so no part handles a float.
// The run and the batch hand their long slot arrays on when they empty, and the batch's sort
// keeps its working arrays (lib/reactor/slots.ts, batch.ts): a new Clock maps no fresh ones.
// They are held through WeakRefs, so the next full collection frees those no part has taken.
// A new call takes the next number from an increasing counter, so calls due at the same time run
// in the order they were scheduled, as Twisted's Clock gets from its stable sort. Calls moved by
// reset/delay are renumbered to land where Twisted's Clock puts them (lib/reactor/moveOrder.ts).

import { InvalidOptionsError } from '../defer/errors.js';
import type { DelayedCall, DelayedCallCanceller, DelayedCallResetter } from './delayedCall.js';
import { checkOptionNames } from './errors.js';
import { DelayLanes } from './lanes.js';
import { BATCH_BASE, CallBatch } from './batch.js';
import { MoveLog } from './moveOrder.js';
import { SortedRun } from './sortedRun.js';
import { keyDueBy } from './timeKey.js';
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

/** True when `a` must run before `b`: the keys of their due times (lib/reactor/timeKey.ts), then their numbers. */
function before(a: DelayedCall, b: DelayedCall): boolean {
  const ah = a._dueHi;
  const bh = b._dueHi;
  if (ah !== bh) return ah < bh;
  const al = a._dueLo;
  const bl = b._dueLo;
  return al < bl || (al === bl && a._seq < b._seq);
}

/**
 * The queued DelayedCalls of a scheduler, ordered by due time, then by scheduling order: a binary
 * min-heap with a sorted run, lanes per repeated delay and a batch sorted when read beside it
 * (see the essay above); the one timer structure behind both `reactor` and `Clock`. Give a DelayedCall the heap's `canceller` and `resetter` so that `cancel()`,
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
export class TimerHeap extends SortedRun {
  /** Pass to `new DelayedCall(...)`: takes a cancelled call off this heap. */
  readonly canceller: DelayedCallCanceller;
  /** Pass to `new DelayedCall(...)`: moves a call whose due time changed. */
  readonly resetter: DelayedCallResetter;
  private _nextSeq: number;
  private _nextLaterSeq: number;
  private readonly _exact: boolean;
  // The calls moved since the last sort, with their keys then (lib/reactor/moveOrder.ts).
  private readonly _moves: MoveLog;
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
    super();
    this._exact = exact ?? true;
    this._nextSeq = 1;
    this._nextLaterSeq = -1;
    this._moves = new MoveLog();
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
    if (this._moves.oneCall !== null) this._settle();
    call._seq = this._nextSeq++;
    if (this._size < BATCH_FROM) this._insert(call);
    else if (this._sortsLast(call)) this._runAppend(call);
    else this._batch.add(call);
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
    if (this._moves.oneCall !== null) this._settle();
    call._seq = this._nextSeq++;
    // The sorted run first (a loop of callLater(0) costs nothing more), then the delay's lane.
    if (this._sortsLast(call)) this._appendToRun(call);
    else this._placeOutOfOrder(call, delay);
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
    if (this._moves.oneCall !== null) this._settle();
    const batch = this._batch;
    if (this._runLive === 0 && this._lanes.live === 0 && batch.live === 0) {
      // Only the heap is in use (a Clock with a few calls): its top's keys are in the flat arrays.
      if (this._size === 0 || this._seqs[0] >= seqLimit || !keyDueBy(this._keys[0], this._keys[1], now)) return undefined;
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
    if (best === undefined || best._seq >= seqLimit || !keyDueBy(best._dueHi, best._dueLo, now)) return undefined;
    if (from === 0) return this._popTop();
    if (from === 1) this._runShift(best);
    else if (from === 2) this._lanes.shift();
    else batch.shift();
    return best;
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
    if (i >= 0) {
      if (this._inHeap(call)) this._heapRemove(call);
    } else if (i === this._lanes.mark) this._lanes.leave(call);
    else if (i <= BATCH_BASE) this._batch.remove(call);
    else if (i <= -2) this._removeFromRun(call);
  }

  /**
   * Restore order after `call`'s due time changed from `previousTime` (lib/reactor/moveOrder.ts says
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
    if (call._due === previousTime || !this._holds(call)) return;
    let fromDue = previousTime;
    let fromSeq = call._seq;
    if (this._exact) {
      const moves = this._moves;
      moves.note(call, previousTime);
      fromDue = moves.fromDue;
      fromSeq = moves.fromSeq;
    }
    const due = call._due;
    call._seq = due > fromDue ? this._nextLaterSeq-- : due < fromDue ? this._nextSeq++ : fromSeq;
    if (call._index >= 0) this._heapRekey(call);
    else {
      this.remove(call);
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
    this._collectRun(out);
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
    const renumber = this._moves.regroup();
    const seq = (c: DelayedCall): number => renumber?.get(c) ?? c._seq;
    return this.toArray().sort((a, b) => a._due - b._due || seq(a) - seq(b));
  }

  /** True when `call` is queued in one of the parts. */
  private _holds(call: DelayedCall): boolean {
    const i = call._index;
    if (i >= 0) return this._inHeap(call);
    if (i === this._lanes.mark) return true;
    if (i <= BATCH_BASE) return this._batch.has(call);
    return i <= -2 && this._inRun(call);
  }

  /** A sort point (push, pop): apply the regrouping of the moved calls, then forget the moves. */
  private _settle(): void {
    const renumber = this._moves.regroup();
    this._moves.clear();
    if (renumber === null) return;
    for (const call of renumber.keys()) this.remove(call);
    for (const [call, seq] of renumber) {
      call._seq = seq;
      this._insert(call);
    }
  }

  /** True when nothing is queued. */
  private _empty(): boolean {
    return this._size === 0 && this._runLive === 0 && this._lanes.live === 0 && this._batch.live === 0;
  }

  /** Append a call that sorts after the run's last; into an empty structure, it becomes the heap's top (a lone call is cheapest there). */
  private _appendToRun(call: DelayedCall): void {
    if (this._runLive === 0 && this._empty()) this._heapInsert(call);
    else this._runAppend(call);
  }

  /**
   * A fresh call that sorts before the run's last: its delay's lane, else the heap while small,
   * else the batch. Once the heap is large no new lane opens: a one-off sort of the batch beats
   * thousands of lanes (100,000 calls over 10,000 times, then one advance).
   */
  private _placeOutOfOrder(call: DelayedCall, delay: number): void {
    const small = this._size < BATCH_FROM;
    if (this._lanes.append(call, delay, small)) return;
    if (small) this._insert(call);
    else this._batch.add(call);
  }

  /** Put a numbered call in the run when it sorts after everything there (and the structure is in use), else in the heap. */
  private _insert(call: DelayedCall): void {
    if (!this._empty() && this._sortsLast(call)) this._runAppend(call);
    else this._heapInsert(call);
  }

  /** Order the batch's pending calls: a few go into the heap one by one, more are sorted in the batch. */
  private _sortBatch(): void {
    const batch = this._batch;
    if (batch.pending < SORT_FROM || batch.pending < (batch.live - batch.pending) >> 1) {
      const calls = batch.takePending();
      for (let i = 0; i < calls.length; i++) this._insert(calls[i]);
    } else batch.sort();
  }
}
