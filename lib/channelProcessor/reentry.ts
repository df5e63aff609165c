// A call to a ChannelProcessor from inside its own running action can never be answered: the
// call waits for the loop, the loop for the action, the action for the call. Such a call is
// refused at once. Covered by spec/channelProcessor/reentry.spec.ts.
import { getcurrent } from '../tasklets/operations.js';
import { RING } from '../tasklets/scheduler/state.js';
import type { Tasklet } from '../tasklets/tasklet.js';
import { ChannelProcessorReentryError } from './errors.js';
import { ACTING, actingLoop } from './loop.js';
import type { AnyAction } from './request.js';
import type { ChannelProcessor } from './channelProcessor.js';

/** A blockingTasklet's job, as the bridge keeps it on its tasklet (`_fn`): the caller blocked on it. */
interface BlockingJob {
  waiter: Tasklet | null;
}

/**
 * True when `waiter` is `t`, or waits for `t` to finish through a chain of blockingTasklet calls
 * (however deep): each caller in the chain is blocked on the tasklet of its call, or is about to
 * be (that call still runs synchronously on its caller's stack). Other waits (blockOn of another
 * tasklet's Deferred, a channel) cannot be followed.
 */
function waitsOn(waiter: Tasklet, t: Tasklet): boolean {
  let cur: Tasklet | null = t;
  for (let hops = 0; cur !== null && hops < 1_000_000; hops++) {
    if (cur === waiter) return true;
    const job: unknown = cur._job;
    if (job === null || typeof job !== 'object' || !('waiter' in job)) return false;
    const w: Tasklet | null = (job as BlockingJob).waiter;
    if (w === null) {
      // Started synchronously, its caller right behind it in the ring: the caller blocks on it
      // as soon as it returns.
      if (cur._where !== RING) return false;
      cur = cur._next;
    } else {
      if (w._blockOnToken !== job) return false;
      cur = w;
    }
  }
  return false;
}

/**
 * @internal The error a call to `cp` made now must fail with because it can never be answered
 * (made from inside its running action, or by a tasklet that action waits on), else null.
 */
export function selfCallError(cp: ChannelProcessor<AnyAction>): ChannelProcessorReentryError | null {
  const loop = cp._loop;
  // Inside an action of this processor (running on the loop's stack, or blocked in it): a
  // call from the loop's tasklet, or from a tasklet the loop waits on, can never be answered.
  if (loop === null || (loop !== actingLoop() && loop.step !== ACTING)) return null;
  const caller = getcurrent();
  return waitsOn(loop.me, caller) ? new ChannelProcessorReentryError(cp.action.name, caller, caller === loop.me) : null;
}
