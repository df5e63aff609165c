// twistless/task: the public face of the port of twisted.internet.task (Twisted 22.4).
// Covered by spec/task/*.spec.ts.
export { Clock } from './clock.js';
export { LoopingCall } from './loopingCall.js';
export type { LoopingCallStartOptions } from './loopingCall.js';
export { deferLater } from './deferLater.js';
export { react } from './react.js';
export type { ReactOptions, ReactReactor } from './react.js';
export { Cooperator, cooperate, coiterate } from './cooperator.js';
export type { CooperatorOptions, Scheduler, SchedulerCall, TerminationPredicateFactory } from './cooperator.js';
export { CooperativeTask } from './cooperativeTask.js';
export type { Cooperable } from './cooperativeTask.js';
export {
  SchedulerError,
  SchedulerStopped,
  TaskFinished,
  TaskDone,
  TaskStopped,
  TaskFailed,
  NotPaused,
  LoopingCallAlreadyRunning,
  LoopingCallNotRunning,
  InvalidLoopingCallInterval,
  SystemExit,
  NotAnIteratorError,
} from './errors.js';
