// twistless/channelProcessor: the article "Stackless Event Loops" (Steve Coursen, 2008) on top of
// twistless/tasklets and twistless/defer. Covered by spec/channelProcessor/*.spec.ts.
export { ChannelProcessor } from './channelProcessor.js';
export type { StoppedDetails } from './errors.js';
export type { ActionResult, AnyAction, ProcessorMessage, ProcessorRequest, UntypedAction } from './channelProcessor.js';
export { channelProcessor, functionProcessor, objectProcessor } from './decorator.js';
export type { ChannelProcessed } from './decorator.js';
export { WorkerChannelProcessor } from './worker.js';
export { ChannelProcessorReentryError, ChannelProcessorStopped, InvalidWorkerModule, ActionNotCallable, WorkerActionNotFound, WorkerExited } from './errors.js';
