// The time slice: tasklets that switch among themselves for a whole slice let Node's event loop
// have a turn (yieldTurn; eventLoopTurn.ts resumes the yielded tasklet). Covered by
// spec/tasklets/eventLoop.spec.ts.
import { performance } from 'node:perf_hooks';
import { armImmediate, ringInsertBefore } from './ring.js';
import { sched, WATCHDOG } from './state.js';
import type { Tasklet } from '../tasklet.js';

/** @internal A new slice: the tasklets start switching among themselves from plain code or the event loop. */
export function restartSlice(): void {
  sched.slice = sched.sliceSwitches;
  sched.sliceStart = performance.now();
}

/** @internal True when the tasklets have been switching among themselves for a whole time slice. */
export function sliceOver(): boolean {
  sched.slice = sched.sliceSwitches;
  return performance.now() - sched.sliceStart >= sched.sliceMs;
}

/**
 * @internal `t` holds the turn but resumes only after Node's event loop has had a turn (timers, I/O): a
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
