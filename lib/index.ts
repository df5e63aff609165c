// twistless: Twisted's Deferred, reactor and task module, and Stackless Python's tasklets, for Node.
// Every public name of every module, re-exported from the package root.
export type { IDelayedCall, IReactorTime } from './defer/interfaces.js';
export * from './failure/index.js';
export { log } from './log/index.js';
export type { LogEvent, LogObserver } from './log/index.js';
export * from './reactor/index.js';
export * from './defer/index.js';
export * from './testing/index.js';
export * from './task/index.js';
export * from './channelProcessor/index.js';
export * from './tasklets/index.js';
