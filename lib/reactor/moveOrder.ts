// The order of calls moved by reset()/delay() in the timer heap (lib/reactor/heap.ts), exactly as
// Twisted's Clock orders them (twisted.internet.task.Clock sorts its list lazily). Covered by
// spec/task/clockProperties.spec.ts (a model of Twisted's Clock, many moves between sorts) and
// spec/reactor/heap.spec.ts (the exactMoveOrder option).
//
// How and why
// -----------
// Twisted's Clock does not sort when a time changes: it sorts its list (stably, by time) at every
// callLater and before and after each call advance() runs. So among calls due at the same time, a
// moved call lands where its place in the list at the last sort puts it: its key then, (due then,
// seq). The timer heap reproduces that exactly. Its pushes and popDue()s are the sorts; between
// two of them (an "epoch") this log notes each moved call's key at the start of the epoch (the
// first in three fields, any others in a Map), and the heap renumbers the call at once:
//
//   now later than at the last sort   -> next number of a decreasing counter: ahead of every
//                                        call that was already at the new time (it was before
//                                        them in the list)
//   now sooner than at the last sort  -> next number of the increasing counter: behind them
//   back at its time of the last sort -> its number of the last sort
//
// That is exact against every call not moved in the epoch. Several calls moved the same way onto
// one time in one epoch would be ordered by when they moved, not by their old keys; so the next
// sort first puts each such group in old-key order, by handing the group's own numbers
// (consecutive in their counter, so no other call sits between them) back out in that order.
// Each move costs O(log n); from the second call moved in an epoch on, also a Map entry, and the
// next sort a check of their due times (and the regrouping, O(k log n), when two share one).
// A Clock in a test does not notice; a server resetting thousands of timeouts between two timer
// passes would, so the reactor passes `exactMoveOrder: false` and keeps the simple rule (each
// move measured from the call's time just before it), which is the Clock's whenever at most one
// call moves between two sorts. Twisted's reactor heap orders equal times arbitrarily anyway.
import type { DelayedCall } from './delayedCall.js';

/** A moved call and its key at the last sort. */
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

/** The calls moved since the last sort, with their keys at that sort (see the essay above). */
export class MoveLog {
  /** The first call moved since the last sort (no allocation for the common single move), or null. */
  oneCall: DelayedCall | null;
  /** The key at the last sort of the call `note()` was last given. */
  fromDue: number;
  fromSeq: number;
  private _oneDue: number;
  private _oneSeq: number;
  private readonly _moved: Map<DelayedCall, MovedFrom>;

  constructor() {
    this.oneCall = null;
    this.fromDue = 0;
    this.fromSeq = 0;
    this._oneDue = 0;
    this._oneSeq = 0;
    this._moved = new Map();
  }

  /** Note that `call` (numbered, due at `previousTime` before this move) moved; sets fromDue/fromSeq. */
  note(call: DelayedCall, previousTime: number): void {
    if (this.oneCall === call) {
      this.fromDue = this._oneDue;
      this.fromSeq = this._oneSeq;
    } else if (this.oneCall === null) {
      this.oneCall = call;
      this.fromDue = this._oneDue = previousTime;
      this.fromSeq = this._oneSeq = call._seq;
    } else {
      let from = this._moved.get(call);
      if (from === undefined) {
        from = { call, due: previousTime, seq: call._seq };
        this._moved.set(call, from);
      }
      this.fromDue = from.due;
      this.fromSeq = from.seq;
    }
  }

  /**
   * The numbers the next sort gives the calls moved the same way onto one time: each such
   * group's own numbers, handed out in the order of the calls' keys at the last sort. Only calls
   * whose number changes are listed; null when none does.
   */
  regroup(): Map<DelayedCall, number> | null {
    const moved = this._moved;
    if (this.oneCall === null || moved.size === 0) return null;
    // The still-queued calls moved away from their time at the last sort (one back at it has its
    // old number already).
    const list: MovedFrom[] = [];
    const one = this.oneCall;
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

  /** Forget the moves (a sort point). */
  clear(): void {
    this.oneCall = null;
    if (this._moved.size !== 0) this._moved.clear();
  }
}
