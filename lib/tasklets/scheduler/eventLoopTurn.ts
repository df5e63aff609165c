// The scheduler and Node's event loop. When main holds the turn with runnables waiting, a
// macrotask (setImmediate, armed by ring.ts) runs them as if main had called run() (the
// automatic turn); a tasklet that yielded at the end of its time slice (timeSlice.ts) resumes
// here; and main awaiting a call's Deferred runs the step-by-step bodies at once
// (mainAwaitsCall). Covered by spec/tasklets/eventLoop.spec.ts and spec/tasklets/mainAwait.spec.ts.
import { sweepRecent } from '../channelQueue.js';
import { ringUnlink } from './ring.js';
import { sched, WATCHDOG } from './state.js';
import { leaveTurn, resumeNow, switchTo } from './switch.js';
import { restartSlice } from './timeSlice.js';
import { runAsStep } from '../stepBody.js';
import type { Tasklet } from '../tasklet.js';

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

/** @internal The automatic turn's macrotask (armImmediate in ring.ts schedules it through `sched.onImmediate`). */
export function onImmediate(): void {
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
    // No tasklet's code runs on after its operation here: main's await is what called this.
    sched.parkedOn = null;
  }
}

function switchFromMain(next: Tasklet): void {
  switchTo(sched.main, next);
}
