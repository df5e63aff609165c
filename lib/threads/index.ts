// twistless/threads: twisted.internet.threads and twisted.python.threadpool on Node worker
// threads (functions named by module and export), plus the reactor's thread methods
// (callFromThread, getThreadPool, suggestThreadPoolSize, callInThread on Reactor). Covered by
// spec/threads/*.spec.ts.
export { deferToWorker, deferToWorkerPool } from './threads.js';
export type { WorkerResult } from './threads.js';
export { blockingCallFromThread } from './blockingCall.js';
export { ThreadPool } from './threadpool.js';
export { WorkerFunctionNotFound, BlockingCallInReactorThread, WorkerThreadExited } from './errors.js';
export { InvalidWorkerModule } from '../channelProcessor/errors.js';
