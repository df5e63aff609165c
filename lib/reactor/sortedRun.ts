// The sorted run of the timer heap (lib/reactor/heap.ts): calls that arrive in order are appended
// to a sorted array beside the binary heap (lib/reactor/keyedHeap.ts) instead of sifted into it.
// No Python original. Covered by spec/reactor/heap.spec.ts (the run, its compaction and growth
// bound) and, through reactor and Clock, spec/reactor and spec/task.
//
// How and why
// -----------
// Most calls arrive in order: a reactor's `callLater(d, f)` with the same d, moments apart, is due
// after every call scheduled before it. Node's timers exploit this with one list per duration
// (appending keeps each list sorted for free); the timer heap keeps one sorted array:
//
//      run:    [ null | c7 | c9 | null | c12 | ... ]  sorted; head index skips popped/removed
//      call._index === -2 - its position in the run
//
// A pushed call that sorts after the run's last call is appended (O(1)). The earliest call is the
// smaller of the heap's top and the run's first live call, so popping from the run is O(1) too.
// Cancelling from the run leaves a null hole (O(1)); when holes outnumber live calls the run is
// compacted, when it empties it is reused in place, and a run that never empties drops its
// consumed front now and then. With the run, 100,000 reactor calls scheduled in a loop cost no
// heap work at all.
import type { DelayedCall } from './delayedCall.js';
import { KeyedHeap } from './keyedHeap.js';
import { grown, released } from './slots.js';
import { KEY_MIN } from './timeKey.js';

/** The binary heap with the sorted run beside it; its members are internal to lib/reactor. */
export class SortedRun extends KeyedHeap {
  // Calls in (due, seq) order from _runHead on; removed ones leave a null hole.
  /** @internal */ protected _run: (DelayedCall | null)[];
  /** @internal */ protected _runEnd: number; // the run's logical length; slots past it are stale nulls, reused
  /** @internal */ protected _runHead: number;
  /** @internal */ protected _runLive: number;
  // The key (lib/reactor/timeKey.ts) and number of the run's last call.
  /** @internal */ protected _runLastHi: number;
  /** @internal */ protected _runLastLo: number;
  /** @internal */ protected _runLastSeq: number;

  constructor() {
    super();
    this._run = [];
    this._runEnd = 0;
    this._runHead = 0;
    this._runLive = 0;
    this._runLastHi = KEY_MIN;
    this._runLastLo = KEY_MIN;
    this._runLastSeq = 0;
  }

  /** @internal True when `call` (numbered) sorts after the run's last call. */
  protected _sortsLast(call: DelayedCall): boolean {
    const h = call._dueHi;
    const lastHi = this._runLastHi;
    if (h !== lastHi) return h > lastHi;
    const l = call._dueLo;
    const lastLo = this._runLastLo;
    return l > lastLo || (l === lastLo && call._seq > this._runLastSeq);
  }

  /** @internal Append a numbered call that sorts after the run's last. */
  protected _runAppend(call: DelayedCall): void {
    // A run that never empties drops its consumed front now and then, so it does not grow forever.
    if (this._runHead >= 1024 && 2 * this._runHead >= this._runEnd) this._compactRun();
    const pos = this._runEnd++;
    call._index = -2 - pos;
    if (pos === this._run.length) this._run = grown(this._run, pos + 1, null);
    this._run[pos] = call;
    this._runLive++;
    this._runLastHi = call._dueHi;
    this._runLastLo = call._dueLo;
    this._runLastSeq = call._seq;
  }

  /** @internal The first live call of the run (skipping holes), or null. */
  protected _runFirst(): DelayedCall | null {
    if (this._runLive === 0) return null;
    const run = this._run;
    let h = this._runHead;
    while (run[h] === null) h++;
    this._runHead = h;
    return run[h] as DelayedCall;
  }

  /** @internal Take off the call `_runFirst()` just returned. */
  protected _runShift(call: DelayedCall): void {
    const h = this._runHead;
    this._run[h] = null;
    this._runHead = h + 1;
    call._index = -1;
    if (--this._runLive === 0) this._clearRun();
  }

  /** @internal True when `call` is the live call at its run position. */
  protected _inRun(call: DelayedCall): boolean {
    const pos = -2 - call._index;
    return pos >= 0 && pos < this._runEnd && this._run[pos] === call;
  }

  /** @internal Take `call` out of the run (a hole is left); false when it is not there. */
  protected _removeFromRun(call: DelayedCall): boolean {
    const pos = -2 - call._index;
    const run = this._run;
    if (pos < 0 || pos >= this._runEnd || run[pos] !== call) return false;
    run[pos] = null;
    call._index = -1;
    if (--this._runLive === 0) this._clearRun();
    else if (this._runEnd - this._runHead > 2 * this._runLive + 1024) this._compactRun();
    return true;
  }

  /** @internal Push the run's live calls onto `out`. */
  protected _collectRun(out: DelayedCall[]): void {
    const run = this._run;
    for (let i = this._runHead; i < this._runEnd; i++) {
      const c = run[i];
      if (c !== null) out.push(c);
    }
  }

  private _clearRun(): void {
    // Every slot up to _runEnd is null by now (popped or removed); a short array is reused in
    // place, as a Clock empties its run on nearly every advance(); a long one is offered as a spare.
    this._run = released(this._run);
    this._runEnd = 0;
    this._runHead = 0;
    this._runLastHi = KEY_MIN;
    this._runLastLo = KEY_MIN;
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
}
