// The scheduler's operations: stackless.getcurrent, getmain, getruncount, schedule,
// schedule_remove, run and tasklet (tasklet.run/switch/kill/throw are in tasklet.ts) (Stackless 3.7:
// Stackless/module/stacklessmodule.c, taskletobject.c). Covered by spec/tasklets/scheduler.spec.ts
// and spec/tasklets/stackless/miscell.spec.ts.
import { RuntimeError } from './errors.js';
import { inCallbackError, takePending, trapped } from './operationChecks.js';
import { deadlockFor } from './scheduler/deadlock.js';
import { ringUnlink } from './scheduler/ring.js';
import { HAS_ERR, RET_TEMPVAL, sched } from './scheduler/state.js';
import { leaveTurn, noteParked, suspend, switchTo } from './scheduler/switch.js';
import { restartSlice, sliceOver, yieldTurn } from './scheduler/timeSlice.js';
import { Tasklet, type TaskletFunction } from './tasklet.js';

/** @internal The tasklet calling an operation: the one holding the turn, else main. */
export function caller(): Tasklet {
  return sched.current ?? sched.main;
}

/** @internal The error for an operation that must suspend main while main already waits. */
export function idleError(op: string): RuntimeError {
  return new RuntimeError(`${op} cannot suspend here: no tasklet holds the turn and the main tasklet is already blocked (this is plain code running while every tasklet waits); do it from a tasklet`);
}

/**
 * The tasklet holding the turn; for code outside any tasklet, the main tasklet. It is the very
 * object `tasklet(fn)` returned. Port of `stackless.getcurrent()`.
 * @example
 * ```ts
 * console.log(getcurrent() === getmain()); // true outside any tasklet
 * ```
 */
export function getcurrent(): Tasklet {
  return sched.current ?? sched.main;
}

/**
 * The main tasklet: the one of all code outside tasklets. Port of `stackless.getmain()`.
 * @example
 * ```ts
 * console.log(getmain().isMain); // true
 * ```
 */
export function getmain(): Tasklet {
  return sched.main;
}

/**
 * The number of runnable tasklets, the current one included (main is not counted while it is
 * parked in `run()` or blocked). Port of `stackless.getruncount()`.
 * @example
 * ```ts
 * tasklet(async () => {}).setup();
 * console.log(getruncount()); // 2
 * ```
 */
export function getruncount(): number {
  return sched.runcount;
}

/**
 * Moves the current tasklet to the end of the runnables and lets the next one run; resolves to
 * `retval` (by default the current tasklet, Stackless's default) when its turn comes back.
 * Port of `stackless.schedule(retval)`.
 * @example
 * ```ts
 * tasklet(async () => { console.log('a'); }).setup();
 * await schedule(); // a
 * ```
 */
export function schedule<R = Tasklet>(retval?: R): Promise<R> {
  const current = sched.current;
  if (current === null) return Promise.resolve((arguments.length > 0 ? retval : sched.main) as R);
  if ((current._flags & HAS_ERR) !== 0) return takePending(current);
  current.tempval = arguments.length > 0 ? retval : current;
  if (current._next === current) {
    // The only runnable tasklet: no switch, but Node's event loop still gets its turns.
    if (--sched.slice > 0 || sched.inCallback !== 0 || !sliceOver()) return Promise.resolve(current.tempval as R);
    current._flags |= RET_TEMPVAL;
    const p = suspend(current);
    yieldTurn(current);
    noteParked(p);
    return p as Promise<R>;
  }
  if (sched.switchTrap > 0) return trapped();
  if (sched.inCallback !== 0) return Promise.reject(inCallbackError());
  current._flags |= RET_TEMPVAL;
  const p = suspend(current);
  switchTo(current, current._next as Tasklet);
  noteParked(p);
  return p as Promise<R>;
}

/**
 * Like `schedule`, but the current tasklet is paused until someone `insert()`s it; resolves to
 * its `tempval` then (set `t.tempval` before `t.insert()` to pass a value). Main alone returns
 * at once. Port of `stackless.schedule_remove(retval)`.
 * @throws DeadlockError when the caller is the last runnable tasklet and main is blocked.
 * @example
 * ```ts
 * const w = tasklet(async () => console.log('got', await scheduleRemove())).setup();
 * await schedule();          // w parks
 * w.tempval = 'val'; w.insert();
 * await run();               // got val
 * ```
 */
export function scheduleRemove<R = unknown>(retval?: unknown): Promise<R> {
  const current = sched.current;
  if (current === null) return Promise.reject(idleError('scheduleRemove()'));
  if (current._hasErr) return takePending(current);
  if (sched.inCallback !== 0) return Promise.reject(inCallbackError());
  current.tempval = arguments.length > 0 ? retval : current;
  if (current._next === current) {
    if (current === sched.main && sched.watchdogs.length === 0) return Promise.resolve(current.tempval as R);
    const dl = deadlockFor(current, 'scheduleRemove()');
    if (dl !== null) return Promise.reject(dl);
  }
  if (sched.switchTrap > 0) return trapped();
  ringUnlink(current);
  current._retTempval = true;
  const p = suspend(current);
  leaveTurn(current, false);
  noteParked(p);
  return p as Promise<R>;
}

/**
 * Runs the other tasklets until none is runnable (all ended or blocked), then resolves. The
 * caller is parked meanwhile (it becomes the watchdog: uncaught tasklet errors reject this
 * promise). Nested calls are allowed; only the innermost wakes when the ring empties.
 * Port of `stackless.run()` (no pre-emption arguments).
 * @example
 * ```ts
 * tasklet(async () => console.log('ran')).setup();
 * await run(); // ran
 * ```
 */
export function run(): Promise<void> {
  const current = sched.current;
  if (current === null) return Promise.resolve();
  if (current._hasErr) return takePending(current);
  if (current._next === current) return Promise.resolve();
  if (sched.switchTrap > 0) return trapped();
  if (sched.inCallback !== 0) return Promise.reject(inCallbackError());
  const next = current._next as Tasklet;
  current._watchdog = true;
  sched.watchdogs.push(current);
  ringUnlink(current);
  current._val = undefined;
  const p = suspend(current);
  if (current._isMain) restartSlice();
  switchTo(current, next);
  noteParked(p);
  return p as Promise<void>;
}

/**
 * Creates a tasklet bound to `fn`; `tasklet(fn).setup(...args)` makes it runnable, as Stackless's
 * `tasklet(fn)(*args)`. Port of `stackless.tasklet(func)`.
 * @throws TypeError "tasklet function must be a callable or None".
 * @example
 * ```ts
 * const t = tasklet(async (n: number) => console.log(n)).setup(1);
 * ```
 */
export function tasklet<A extends unknown[]>(fn?: TaskletFunction<A> | null): Tasklet<A> {
  return new Tasklet<A>(fn);
}
