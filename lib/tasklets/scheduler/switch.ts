// Switching: giving the turn to a tasklet and delivering the outcome of the operation it waits
// in. A switch is the ring bookkeeping, then resolving exactly one waiting tasklet's promise (one
// microtask later its body continues), the caller getting a fresh promise of its own. Covered by
// spec/tasklets/scheduler.spec.ts and spec/tasklets/traces.spec.ts.
import { RuntimeError } from '../errors.js';
import { chanRemove, sweepRecent } from '../channelQueue.js';
import { callScheduleCallback } from '../hooks.js';
import { anyForeignWait } from './blockedList.js';
import { resolveNow } from './resolve.js';
import { armImmediate, detach, removeWatchdog, ringAppend, ringInsertBefore, ringUnlink } from './ring.js';
import { CHANNEL, NOWHERE, RING, sched, WATCHDOG } from './state.js';
import { restartSlice, sliceOver, yieldTurn } from './timeSlice.js';
import { deliverWaiting, runAsStep } from '../stepBody.js';
import type { Tasklet } from '../tasklet.js';
import { err as logErr } from '../../log/log.js';

/** @internal The caller's promise: its resolver is kept on the tasklet for the scheduler alone. */
export function suspend(t: Tasklet): Promise<unknown> {
  // An executor written inline: TurboFan inlines it into the Promise constructor (and the
  // closure never escapes), which a shared module-level executor does not get (measured).
  return new Promise<unknown>((res) => {
    t._res = res;
  });
}

/**
 * @internal An operation has parked its caller and returns `on` (its promise, or the Waiting it
 * parked on): recorded after its switch, so that the outermost operation is recorded last.
 */
export function noteParked(on: unknown): void {
  sched.parkedOn = on;
  sched.parkSeq++;
  const cur = sched.current;
  if (cur === null || cur === sched.main) forgetParked();
}

/**
 * Main or nobody has the turn: no later operation may overwrite the record, which must not keep
 * the parked tasklet's promise (and all it reaches) alive past the caller's synchronous code.
 */
function forgetParked(): void {
  // Inside mainAwaitsCall, which clears it itself when main gets the turn back.
  if (sched.parkedOn !== null && !sched.parkedClearArmed && !sched.mainBlocked) {
    sched.parkedClearArmed = true;
    queueMicrotask(clearParked);
  }
}

function clearParked(): void {
  sched.parkedClearArmed = false;
  sched.parkedOn = null;
}

/** @internal Gives the turn to `next` (already linked in the ring) and resumes it. */
export function switchTo(prev: Tasklet | null, next: Tasklet): void {
  if (sched.mainBlocked && (next._res === null || typeof next._res === 'function') && next !== sched.main) {
    handBackToMain(prev, next);
    return;
  }
  sched.head = next;
  sched.current = next;
  if (next === sched.main) {
    // Main has the turn back (plain code may drop channels now): no channel stays held strongly.
    if (sched.chanRecent.length !== 0) sweepRecent();
    forgetParked();
    // With others runnable: if main goes back to the event loop, they run then (alone, while it
    // awaits calls: the event loop checks whether they can still finish).
    if (!sched.immediateArmed && (next._next !== next || sched.mainWaitCheck !== null)) armImmediate();
  }
  if (sched.scheduleCallback !== null && prev !== next) callScheduleCallback(prev, next);
  resume(next);
}

/** @internal During mainAwaitsCall: `next` would resume as an async function; main takes the turn back instead. */
export function handBackToMain(prev: Tasklet | null, next: Tasklet): void {
  const main = sched.main;
  sched.mainBlocked = false;
  main._flags &= ~WATCHDOG;
  const w = sched.watchdogs;
  const i = w.lastIndexOf(main);
  if (i >= 0) w.splice(i, 1);
  if (main._where === NOWHERE) ringInsertBefore(main, next);
  sched.head = main;
  sched.current = main;
  if (sched.scheduleCallback !== null && prev !== main) callScheduleCallback(prev, main);
  if (!sched.immediateArmed) armImmediate();
}

function resume(t: Tasklet): void {
  if ((t._flags & WATCHDOG) !== 0) removeWatchdog(t);
  const onStack = sched.onStack;
  // A synchronous caller below us continues by returning; anyone else waits until it has.
  if (onStack !== null) return;
  const res = t._res;
  if (res === null) {
    if (!t._started) {
      t._started = true;
      // A new body starts one microtask later, after the switching tasklet has suspended
      // (lifecycle.ts's runBody, through the state: lifecycle.ts switches, so it sits above).
      void Promise.resolve(t).then(sched.runBody);
    } else if (t._hasErr && t._isMain) {
      // Main is plain code (the automatic turn): it awaits nothing of ours, so report.
      const e = t._err;
      t._err = undefined;
      t._hasErr = false;
      logErr(e, 'Unhandled error in tasklet:');
    }
    // Otherwise the tasklet is in a foreign await: it holds the turn and comes back by itself.
    return;
  }
  if (typeof res === 'function') {
    if (t._isMain) {
      // Main is plain code taking the turn back: the tasklets' slice starts again from here.
      restartSlice();
      resolveNow(t, res);
    } else if (--sched.slice <= 0 && sliceOver()) yieldTurn(t);
    else resolveNow(t, res);
    return;
  }
  // A Waiting (a Deferred the tasklet awaits, or a body of twistless's own run step by step):
  // it is called now, synchronously, the tasklet holding the turn. What it runs may switch to
  // another such tasklet: that one is delivered by the loop, not by a nested call, so the
  // JavaScript stack stays flat however many of them hand the turn on.
  if (sched.waitingRun) {
    if (sched.waitingNext === null) sched.waitingNext = t;
    else sched.waitingMore.push(t);
    return;
  }
  runAsStep(deliverWaiting, t);
}

/** @internal Resumes `t` at once, with no new count of the slice (it has just had its yield). */
export function resumeNow(t: Tasklet): void {
  const res = t._res;
  if (typeof res === 'function') resolveNow(t, res);
  else resume(t);
}

/** @internal Called by the ring walker when the synchronous caller of a synchronous start gets back control. */
export function syncCallerResumes(caller: Tasklet): void {
  // After a synchronous start the turn may have been handed to someone else whose resumption
  // was held back: the caller keeps running (it cannot be stopped) and that tasklet runs next.
  const cur = sched.current;
  if (cur === caller) {
    if (caller === sched.main && !sched.immediateArmed && caller._next !== caller) armImmediate();
    return;
  }
  if (caller._where === RING) ringUnlink(caller);
  else detach(caller);
  if (cur === null || sched.head === null) ringAppend(caller);
  else ringInsertBefore(caller, sched.head);
  sched.head = caller;
  sched.current = caller;
  if (caller === sched.main && !sched.immediateArmed && caller._next !== caller) armImmediate();
}

/**
 * @internal `prev` has left the ring (blocked, paused or ended): give the turn to the next
 * runnable, or revive the innermost run() caller, or main, or go idle. `ended` selects the
 * "main tasklet is receiving without a sender" rule.
 */
export function leaveTurn(prev: Tasklet, ended: boolean): void {
  const h = sched.head;
  if (h !== null) {
    switchTo(prev, h);
    return;
  }
  const w = sched.watchdogs;
  if (w.length > 0) {
    const t = w.pop() as Tasklet;
    t._watchdog = false;
    ringAppend(t);
    switchTo(prev, t);
    return;
  }
  const main = sched.main;
  if (main !== prev && main._where === NOWHERE) {
    ringAppend(main);
    switchTo(prev, main);
    return;
  }
  if (ended && main._where === CHANNEL && !anyForeignWait()) {
    const dir = main._dir;
    chanRemove(main);
    main._err = new RuntimeError(dir > 0 ? 'the main tasklet is sending without a receiver available.' : 'the main tasklet is receiving without a sender available.');
    main._hasErr = true;
    ringAppend(main);
    switchTo(prev, main);
    return;
  }
  // Every tasklet waits on the event loop (blockOn): nothing runs until a promise settles.
  sched.current = null;
  if (sched.chanRecent.length !== 0) sweepRecent();
  forgetParked();
  if (sched.scheduleCallback !== null) callScheduleCallback(prev, null);
}
