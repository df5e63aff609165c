// The scheduler and Node's event loop. When main holds the turn with runnables waiting, a
// macrotask (setImmediate) runs them as if main had called run() (the automatic turn); tasklets
// that switch among themselves for a whole time slice let the event loop have a turn; and main
// awaiting a call's Deferred runs the step-by-step bodies at once (mainAwaitsCall). Covered by
// spec/tasklets/eventLoop.spec.ts and spec/tasklets/mainAwait.spec.ts.
import { performance } from 'node:perf_hooks';
import { sweepRecent } from '../channelQueue.js';
import { callScheduleCallback } from '../hooks.js';
import { ringInsertBefore, ringUnlink } from './ring.js';
import { NOWHERE, sched, WATCHDOG } from './state.js';
import { leaveTurn, resumeNow, switchTo } from './switch.js';
import { runAsStep } from '../stepBody.js';
import type { Tasklet } from '../tasklet.js';

/** A new slice: the tasklets start switching among themselves from plain code or the event loop. */
export function restartSlice(): void {
  sched.slice = sched.sliceSwitches;
  sched.sliceStart = performance.now();
}

/** True when the tasklets have been switching among themselves for a whole time slice. */
export function sliceOver(): boolean {
  sched.slice = sched.sliceSwitches;
  return performance.now() - sched.sliceStart >= sched.sliceMs;
}

/**
 * `t` holds the turn but resumes only after Node's event loop has had a turn (timers, I/O): a
 * ring that never blocks must not starve Node. The order of the tasklets, and what the schedule
 * callback sees, do not change. Meanwhile, in an automatic turn, main has the turn back (in the
 * ring just before `t`, as before that turn began): its plain code is free, so it must see the
 * state it sees between two automatic turns (runnables waiting), not a main parked in a run() it
 * never called. Otherwise (main awaits run() or an operation) nobody holds the turn, as when every
 * tasklet waits.
 */
export function yieldTurn(t: Tasklet): void {
  sched.yielded = t;
  const main = sched.main;
  if ((main._flags & WATCHDOG) !== 0 && main._res === null && !sched.mainBlocked) {
    const w = sched.watchdogs;
    const i = w.lastIndexOf(main);
    w.splice(i, 1);
    sched.yieldedMainDepth = i;
    main._flags &= ~WATCHDOG;
    ringInsertBefore(main, t);
    sched.head = main;
    sched.current = main;
  } else sched.current = null;
  if (!sched.immediateArmed) armImmediate();
}

/** Node's event loop has had its turn: the yielded tasklet resumes (the ring's head, unless plain code changed the ring meanwhile). */
function resumeYielded(t: Tasklet): void {
  sched.yielded = null;
  restartSlice();
  const depth = sched.yieldedMainDepth;
  if (depth >= 0) {
    sched.yieldedMainDepth = -1;
    const main = sched.main;
    if (sched.current === main && sched.head === main && main._next === t && (main._flags & WATCHDOG) === 0 && depth <= sched.watchdogs.length) {
      // The automatic turn goes on from `t`, main parked where it was, unseen by the schedule callback.
      main._flags |= WATCHDOG;
      sched.watchdogs.splice(depth, 0, main);
      ringUnlink(main);
      sched.head = t;
      sched.current = t;
      resumeNow(t);
    } else automaticTurn();
    return;
  }
  if (sched.current !== null) return;
  if (sched.head === t) {
    sched.current = t;
    resumeNow(t);
  } else leaveTurn(t, false);
}

/**
 * @internal Sets how often the tasklets give Node's event loop a turn (after `switches` switches
 * once `ms` milliseconds have passed) and returns the previous setting; `setTimeSlice(1, 0)` makes
 * every switch yield, so a spec can check that yields change no trace.
 */
export function setTimeSlice(switches: number, ms: number): [number, number] {
  if (!Number.isInteger(switches) || switches < 1 || typeof ms !== 'number' || !(ms >= 0)) throw new RangeError(`setTimeSlice() needs an integer number of switches >= 1 and a time >= 0 ms, got ${switches} and ${ms}`);
  const old: [number, number] = [sched.sliceSwitches, sched.sliceMs];
  sched.sliceSwitches = switches;
  sched.sliceMs = ms;
  restartSlice();
  return old;
}

// The automatic turn is a macrotask (setImmediate): main's awaits of settled promises, however
// many, and every other microtask of plain code all come first. When main ran the tasklets in
// the meantime (mainAwaitsCall, awaiting a call's Deferred), the turn finds nothing to do.
export function armImmediate(): void {
  sched.immediateArmed = true;
  setImmediate(onImmediate);
}

function onImmediate(): void {
  sched.immediateArmed = false;
  if (sched.onStack !== null) return;
  const y = sched.yielded;
  if (y !== null) {
    resumeYielded(y);
    return;
  }
  restartSlice();
  if (sched.chanRecent.length !== 0) sweepRecent();
  automaticTurn();
}

/** Main holds the turn with runnables waiting, or nobody holds it and a tasklet woke: run them. */
function automaticTurn(): void {
  const cur = sched.current;
  if (cur === null) {
    // Idle: a tasklet woke (blockOn) while nobody held the turn.
    const h = sched.head;
    if (h !== null) switchTo(null, h);
    return;
  }
  const main = sched.main;
  if (cur === main && sched.head === main && main._next !== main && !main._watchdog) {
    // Main went back to the event loop with runnables waiting: run them as main's run() would.
    const next = main._next as Tasklet;
    main._watchdog = true;
    sched.watchdogs.push(main);
    ringUnlink(main);
    switchTo(main, next);
    return;
  }
  const check = sched.mainWaitCheck;
  if (check !== null && cur === main && sched.head === main && main._next === main) check();
}

/**
 * @internal Main waits on a call made from plain code (it awaits the call's Deferred): the
 * runnables run now, as main's run() would, for as long as each runs step by step (twistless's
 * own bodies: the ChannelProcessor loop and call tasklets), all inside this call, from a flat
 * delivery loop. The first tasklet that would resume as an async function (user code, whose
 * continuation is a microtask) is left for the automatic turn instead: main gets the turn back
 * at once and keeps it, so plain code never runs while such a tasklet holds the turn.
 */
export function mainAwaitsCall(): void {
  const main = sched.main;
  if (sched.current !== main || sched.head !== main || main._next === main || (main._flags & WATCHDOG) !== 0 || sched.onStack !== null || sched.waitingRun || sched.mainBlocked) return;
  const next = main._next as Tasklet;
  const r = next._res;
  if (r === null || typeof r === 'function') return;
  main._flags |= WATCHDOG;
  sched.watchdogs.push(main);
  ringUnlink(main);
  sched.mainBlocked = true;
  try {
    runAsStep(switchFromMain, next);
  } finally {
    sched.mainBlocked = false;
  }
}

function switchFromMain(next: Tasklet): void {
  switchTo(sched.main, next);
}

/** During mainAwaitsCall: `next` would resume as an async function; main takes the turn back instead. */
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
