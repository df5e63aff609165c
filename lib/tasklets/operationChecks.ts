// What an operation checks before it switches, and how it refuses: a pending exception thrown
// in while away, switch_trap, a channel or schedule callback in progress, a blocked or dead
// target. Part of the port of Stackless's scheduler (Stackless 3.7:
// Stackless/module/stacklessmodule.c); covered by spec/tasklets/scheduler.spec.ts and
// spec/tasklets/hooks.spec.ts.
import { RuntimeError } from './errors.js';
import { BLOCK_ON, CHANNEL, sched } from './scheduler/state.js';
import type { Tasklet } from './tasklet.js';

/** @internal A pending exception (thrown in while away) is raised by the next operation. */
export function takePending(t: Tasklet): Promise<never> {
  const e = t._err;
  t._err = undefined;
  t._hasErr = false;
  return Promise.reject(e);
}

/** @internal A real switch while the switch trap is set: Stackless's "switch_trap" error. */
export function trapped(): Promise<never> {
  return Promise.reject(new RuntimeError('switch_trap'));
}

/** @internal A target that is blocked or dead cannot run. */
export function checkRunnable(t: Tasklet): void {
  if (t._where === CHANNEL || t._where === BLOCK_ON) throw new RuntimeError('You cannot run a blocked tasklet');
  if (!t._alive) throw new RuntimeError('You cannot run an unbound(dead) tasklet');
}

/** @internal A switching operation called from inside a channel or schedule callback. */
export function inCallbackError(): RuntimeError | null {
  return sched.inCallback !== 0 ? new RuntimeError('Recursive scheduler call due to callbacks!') : null;
}
