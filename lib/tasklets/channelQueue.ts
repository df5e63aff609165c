// A channel's queue of blocked tasklets as the scheduler sees it, and the weak list of channels
// with waiters that deadlock reports read. Part of the port of stackless.channel (Stackless 3.7:
// Stackless/module/channelobject.c); covered by spec/tasklets/stackless/channel.spec.ts and
// spec/tasklets/memory.spec.ts.
//
// The queue is a FIFO threaded through the tasklets themselves (the `_next`/`_prev` links the
// ring uses: a tasklet is in one chain at a time). A channel that gets a waiter is held strongly
// among the recent ones; only if it still has waiters at the next sweep is it listed weakly, so
// that an unreachable channel frees its waiters.
import { CHAN_REFS_MIN, CHANNEL, DIR_RECV, DIR_SEND, NOWHERE, RECENT_MAX, sched } from './scheduler/state.js';
import type { Tasklet } from './tasklet.js';

/** @internal What a channel looks like to the scheduler: a FIFO of blocked tasklets and a balance. */
export interface ChannelQueue {
  /** @internal */ _head: Tasklet | null;
  /** @internal */ _tail: Tasklet | null;
  /** @internal */ _balance: number;
  /** @internal Its entry in the scheduler's weak list of channels with waiters; true while only in the list of recent ones; null when in neither. */
  _wref: WeakRef<ChannelQueue> | true | null;
  toString(): string;
}

/** @internal Appends `t` to a channel's queue (the caller has unlinked it from the ring). */
export function chanEnqueue(ch: ChannelQueue, t: Tasklet, dir: number): void {
  const tail = ch._tail;
  t._prev = tail;
  t._next = null;
  if (tail === null) ch._head = t;
  else tail._next = t;
  ch._tail = t;
  t._chan = ch;
  t._flags = (t._flags & ~(DIR_SEND | DIR_RECV)) | (dir > 0 ? DIR_SEND : DIR_RECV);
  t._where = CHANNEL;
  ch._balance += dir;
  t._seq = sched.blockSeq++;
  if (ch._wref === null) noteChannel(ch);
}

/**
 * A channel got a waiter: noted strongly, and listed weakly only if it still has waiters when
 * the recent ones are swept (when RECENT_MAX are noted, or the scheduler waits on the event loop).
 * Most never are: a reply channel is empty again at once and leaves the list (chanRemove).
 */
function noteChannel(ch: ChannelQueue): void {
  ch._wref = true;
  const recent = sched.chanRecent;
  recent.push(ch);
  if (recent.length >= RECENT_MAX) sweepRecent();
}

/** @internal Moves the recent channels that still have waiters to the weak list; forgets the others. */
export function sweepRecent(): void {
  const recent = sched.chanRecent;
  for (let i = 0; i < recent.length; i++) {
    const c = recent[i];
    if (c._wref !== true) continue;
    if (c._head === null) c._wref = null;
    else listChannel(c);
  }
  recent.length = 0;
}

/** Adds `ch` to the weak list of channels with waiters; drops the dead and empty entries now and then. */
function listChannel(ch: ChannelQueue): void {
  const ref = new WeakRef(ch);
  ch._wref = ref;
  const refs = sched.chanRefs;
  refs.push(ref);
  if (refs.length < sched.chanRefsLimit) return;
  let k = 0;
  for (let i = 0; i < refs.length; i++) {
    const r = refs[i];
    const c = r.deref();
    if (c === undefined) continue;
    if (c._head === null) {
      c._wref = null;
      continue;
    }
    refs[k++] = r;
  }
  refs.length = k;
  sched.chanRefsLimit = Math.max(CHAN_REFS_MIN, 2 * k);
}

/** @internal Takes `t` off its channel's queue, moving the balance back toward 0. */
export function chanRemove(t: Tasklet): void {
  const ch = t._chan as ChannelQueue;
  const p = t._prev;
  const n = t._next;
  if (p === null) ch._head = n;
  else p._next = n;
  if (n === null) ch._tail = p;
  else n._prev = p;
  const f = t._flags;
  ch._balance -= (f & DIR_SEND) !== 0 ? 1 : -1;
  t._prev = null;
  t._next = null;
  t._chan = null;
  t._flags = f & ~(DIR_SEND | DIR_RECV);
  t._where = NOWHERE;
  if (n === null && p === null && ch._wref === true) forgetRecent(ch);
}

/** `ch`, noted as recent, has no waiter any more: it leaves the list if it is the last noted. */
function forgetRecent(ch: ChannelQueue): void {
  const recent = sched.chanRecent;
  if (recent[recent.length - 1] !== ch) return;
  recent.pop();
  ch._wref = null;
}
