// twistless/tasklets: the public face of the port of Stackless Python's tasklets, channels and
// scheduler (Stackless 3.7), and of the "Stackless Python meets Twisted Matrix" bridge.
// Covered by spec/tasklets/*.spec.ts and spec/tasklets/stackless/*.spec.ts.
//
// How the scheduler works, file by file (read them in this order; each file imports only files
// above it in this list, and none imports itself back):
// - scheduler/state.ts: the process-wide state (`sched`) and the flag bits every file reads; also
//   two late-bound slots (`runBody`, `onImmediate`) through which a lower file calls an upper one
//   (tasklet.ts fills them when it loads).
// - scheduler/ring.ts: the ring of runnables, threaded through the tasklets, head = current; and
//   the arming of the automatic turn (a setImmediate) when a newcomer joins main.
// - scheduler/timeSlice.ts: after a whole time slice of switches a tasklet yields to Node's event
//   loop before it resumes (yieldTurn).
// - scheduler/resolve.ts: resolveNow, the hot end of every switch: the suspended tasklet's promise
//   resolved with its operation's outcome (it goes on one microtask later); the body's end hook.
// - stepBody.ts: bodies of twistless's own run step by step (no async function per call): they
//   wait on a Waiting that the scheduler calls synchronously (deliverWaiting, runAsStep).
// - scheduler/switch.ts: switchTo resumes exactly one tasklet: resolves its promise, or starts its
//   body, or delivers to its Waiting; leaveTurn when the caller left the ring.
// - scheduler/lifecycle.ts: a body's start (runBody) and end (endTasklet: the tasklet leaves the
//   ring, an uncaught error goes to the watchdog, the turn moves on through leaveTurn).
// - scheduler/eventLoopTurn.ts: main and Node's event loop (the automatic turn that runs the
//   runnables when main goes back to the event loop, the yielded tasklet's resumption,
//   mainAwaitsCall).
// - operationChecks.ts: what an operation checks before it switches (pending error, switch_trap).
// - tasklet.ts: the Tasklet class and its switches (run, switch, kill, throw). A tasklet body is an
//   async function; it suspends only by awaiting a promise that a tasklet operation returned, whose
//   resolve function the scheduler keeps on the tasklet (`_res`) and calls itself, so the
//   scheduler always knows who holds the turn. A foreign await (a timer, a plain promise) keeps the
//   turn; blockOn lets others run. Loading it installs main.
// - operations.ts: schedule, scheduleRemove, run, getcurrent..., tasklet(): each does the ring
//   bookkeeping, takes a fresh promise for the caller (suspend) and hands the turn on (switchTo, or
//   leaveTurn when the caller left the ring).
// - channel.ts with channelQueue.ts: send/receive, a rendezvous or a wait in the channel's queue.
// - scheduler/deadlock.ts and scheduler/blockedList.ts: the last runnable tasklet may not block;
//   reports list the blocked tasklets. hooks.ts: the callbacks, switchTrap, atomic.
// - bridge.ts (deferredTasklet, blockingTasklet, blockOn) over jobs.ts and plainCalls.ts.
export { Tasklet } from './tasklet.js';
export type { TaskletFunction, ThrowOptions } from './tasklet.js';
export { tasklet, getcurrent, getmain, getruncount, schedule, scheduleRemove, run } from './operations.js';
export { setScheduleCallback, getScheduleCallback, setChannelCallback, getChannelCallback, switchTrap, setErrorHandler, atomic } from './hooks.js';
export type { ScheduleCallback, ErrorHandler, ChannelCallback } from './hooks.js';
export { Channel, channel } from './channel.js';
export { TaskletExit, RuntimeError, ValueError, DeadlockError, StopIteration, UnboundChannelMethodError } from './errors.js';
export type { BlockedEntry } from './errors.js';
export { deferredTasklet, blockingTasklet, blockOn } from './bridge.js';
