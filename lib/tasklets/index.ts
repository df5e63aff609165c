// twistless/tasklets: the public face of the port of Stackless Python's tasklets, channels and
// scheduler (Stackless 3.7), and of the "Stackless Python meets Twisted Matrix" bridge.
// Covered by spec/tasklets/*.spec.ts and spec/tasklets/stackless/*.spec.ts.
export {
  Tasklet,
  tasklet,
  getcurrent,
  getmain,
  getruncount,
  schedule,
  scheduleRemove,
  run,
  setScheduleCallback,
  getScheduleCallback,
  switchTrap,
  setErrorHandler,
  atomic,
} from './tasklet.js';
export type { TaskletFunction, ScheduleCallback, ErrorHandler, ThrowOptions } from './tasklet.js';
export { Channel, channel, setChannelCallback, getChannelCallback } from './channel.js';
export type { ChannelCallback } from './channel.js';
export { TaskletExit, RuntimeError, ValueError, DeadlockError, StopIteration, UnboundChannelMethodError } from './errors.js';
export type { BlockedEntry } from './errors.js';
export { deferredTasklet, blockingTasklet, blockOn } from './bridge.js';
