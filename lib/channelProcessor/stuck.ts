// A processor whose action blocks its loop on a wait twistless cannot follow (blockOn of another
// tasklet's Deferred, a channel), while a tasklet that wait leads to calls the processor: the
// call waits for the loop, the loop for the action, the action for the call. Such a cycle is
// found once nothing else can happen: when Node's event loop runs out of work ('beforeExit'),
// no timer, I/O or promise is left to wake a blocked loop, so a loop still blocked in an action
// with calls queued from tasklets is deadlocked. The newest such call fails with
// ChannelProcessorReentryError (the cycle's call is made during the action); if the loop is
// still stuck at the next 'beforeExit', the next newest, and so on. Covered by
// spec/channelProcessor/reentry.spec.ts.
import { getcurrent, run } from '../tasklets/operations.js';
import type { Tasklet } from '../tasklets/tasklet.js';
import * as log from '../log/log.js';
import { ChannelProcessorReentryError } from './errors.js';
import type { LoopSteps } from './loop.js';

// Weak: a dropped processor, blocked for ever or not, stays collectable.
let watched: WeakRef<LoopSteps>[] = [];
const WATCH_MIN = 64;
let watchLimit = WATCH_MIN;
let listening = false;

/** @internal The loop's action blocked it: watch it until it ends. Once per loop. */
export function watchStuck(loop: LoopSteps): void {
  if (loop.watchRef !== null) return;
  loop.watchRef = new WeakRef(loop);
  watched.push(loop.watchRef);
  if (watched.length >= watchLimit) {
    // Drop the collected and the ended loops now and then, so the list never grows with the
    // number of processors ever made (a server never reaches 'beforeExit').
    watched = watched.filter((r) => {
      const l = r.deref();
      return l !== undefined && l.cp._loop === l;
    });
    watchLimit = Math.max(WATCH_MIN, 2 * watched.length);
  }
  if (!listening) {
    listening = true;
    process.on('beforeExit', failStuckCalls);
  }
}

/**
 * @internal A call made by a tasklet running synchronously inside `loop`'s own action (sent
 * aside: its sender is now the newest on the channel): remembered while that action runs, as a
 * call the action may wait on.
 */
export function noteAsideCall(loop: LoopSteps, ch: object): void {
  const sender = (ch as { _tail: Tasklet | null })._tail;
  const caller = getcurrent();
  if (sender !== null && sender._chan === ch && sender._dir > 0) loop.asideCalls.push(sender, caller);
}

/** The queued call a stuck loop's action may wait on: the newest made from a tasklet (not plain code). */
function newestTaskletCall(loop: LoopSteps): { sender: Tasklet; caller: Tasklet } | null {
  const ch = loop.cp.channel as unknown as { _tail: Tasklet | null };
  const aside = loop.asideCalls;
  for (let t = ch._tail; t !== null; t = t._prev) {
    const job: unknown = t._job;
    // A call from a tasklet blocks its caller on the call's job (blockingTasklet); one from plain code does not.
    if (job !== null && typeof job === 'object' && 'waiter' in job) {
      const caller = (job as { waiter: Tasklet | null }).waiter;
      if (caller !== null) return { sender: t, caller };
    }
    // A call made by its calling tasklet itself (call.ts's InlineCall, the one step object with
    // the caller's Deferred `out`; a plain-code call's own tasklet has none): the sender is the caller.
    const res: unknown = t._res;
    if (res !== null && typeof res === 'object' && 'out' in res && (res as { cp?: unknown }).cp === loop.cp) return { sender: t, caller: t };
    const i = aside.indexOf(t);
    if (i >= 0 && i % 2 === 0) return { sender: t, caller: aside[i + 1] };
  }
  return null;
}

function failStuckCalls(): void {
  const alive: WeakRef<LoopSteps>[] = [];
  let woke = false;
  for (const ref of watched) {
    const loop = ref.deref();
    if (loop === undefined || loop.cp._loop !== loop) continue;
    alive.push(ref);
    if (!loop.isActing()) continue;
    const found = newestTaskletCall(loop);
    if (found === null) continue;
    const err = new ChannelProcessorReentryError(
      loop.cp.action.name,
      found.caller,
      false,
      'Found when nothing was left to run (the event loop was empty) while the action still blocked the loop, with this call queued behind it: neither could ever go on.',
    );
    void found.sender.throw(err, { pending: true });
    woke = true;
  }
  watched = alive;
  // Plain code hands the turn to the tasklets given the failures (the event loop is empty: nothing else would).
  if (woke) run().catch((e: unknown) => log.err(e, 'Unhandled error in tasklet:'));
}
