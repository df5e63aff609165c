// Stackless's ring of runnable tasklets: a circular doubly-linked list threaded through the
// tasklets themselves (`_next`/`_prev`, no arrays), whose head is the current tasklet; "the end
// of the ring" is just before the head. Also where a tasklet is unlinked from whatever holds it,
// and the watchdog stack of run() callers, and the arming of the automatic turn a newcomer beside
// main needs (eventLoopTurn.ts runs it). Covered by spec/tasklets/scheduler.spec.ts.
import { chanRemove } from '../channelQueue.js';
import { BLOCK_ON, CHANNEL, NOWHERE, RING, sched } from './state.js';
import type { Tasklet } from '../tasklet.js';

/** @internal Links `t` just before `ref` in the ring. */
export function ringInsertBefore(t: Tasklet, ref: Tasklet): void {
  const p = ref._prev as Tasklet;
  t._prev = p;
  t._next = ref;
  p._next = t;
  ref._prev = t;
  t._where = RING;
  sched.runcount++;
  // Linked in beside main while main holds the turn (a rendezvous where main goes on): the event
  // loop must give the newcomer its turn. (ringAppend checks the other cases.)
  if (ref === sched.main && sched.current === ref && !sched.immediateArmed) armImmediate();
}

/** @internal Appends `t` at the end of the ring (just before the head). */
export function ringAppend(t: Tasklet): void {
  const h = sched.head;
  if (h === null) {
    t._next = t;
    t._prev = t;
    t._where = RING;
    sched.head = t;
    sched.runcount++;
  } else ringInsertBefore(t, h);
  // Main holds the turn (or nobody does): the event loop must give the newcomer its turn.
  if (!sched.immediateArmed && (sched.current === null || sched.current === sched.main)) armImmediate();
}

/** @internal Unlinks `t` from the ring. */
export function ringUnlink(t: Tasklet): void {
  const n = t._next as Tasklet;
  if (n === t) sched.head = null;
  else {
    const p = t._prev as Tasklet;
    p._next = n;
    n._prev = p;
    if (sched.head === t) sched.head = n;
  }
  t._next = null;
  t._prev = null;
  t._where = NOWHERE;
  sched.runcount--;
}

/** @internal Takes `t` out of wherever it is linked (ring, channel, blockOn, watchdog stack). */
export function detach(t: Tasklet): void {
  switch (t._where) {
    case RING:
      ringUnlink(t);
      break;
    case CHANNEL:
      chanRemove(t);
      break;
    case BLOCK_ON:
      t._blockOnToken = null;
      t._where = NOWHERE;
      sched.foreignWaits--;
      break;
  }
  // A run() caller stays on the watchdog stack until it resumes: resume() takes it (and the
  // deeper ones) off then, as Stackless does when its run() returns.
}

/** @internal */
export function removeWatchdog(t: Tasklet): void {
  t._watchdog = false;
  const w = sched.watchdogs;
  const i = w.lastIndexOf(t);
  if (i < 0) return;
  // A run() caller that wakes takes every deeper run() caller off the stack too and makes the
  // paused ones runnable (PyStackless_RunWatchdogEx); their run() then returns in their turn.
  for (let k = w.length - 1; k > i; k--) {
    const d = w[k];
    d._watchdog = false;
    if (d._where === NOWHERE) {
      if (sched.head === null) ringAppend(d);
      else ringInsertBefore(d, sched.head);
    }
  }
  w.length = i;
}

/**
 * @internal Arms the automatic turn, a macrotask (setImmediate): main's awaits of settled
 * promises, however many, and every other microtask of plain code all come first. When main ran
 * the tasklets in the meantime (mainAwaitsCall, awaiting a call's Deferred), the turn finds
 * nothing to do.
 */
export function armImmediate(): void {
  sched.immediateArmed = true;
  // Through the state: eventLoopTurn.ts, which runs the turn, switches, and so sits above the ring.
  setImmediate(sched.onImmediate);
}
