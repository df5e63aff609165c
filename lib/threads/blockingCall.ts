// blockingCallFromThread for code running in a worker thread of twistless (a ThreadPool's thread
// or a ChannelProcessor.inWorker action): the function named by module and export runs on the
// main thread, and this thread blocks (Atomics.wait) until its result, or its Deferred's, comes
// back. Covered by spec/threads/threads.spec.ts.
import { isMainThread, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { WORKER_CONTEXT_KEY } from './bootstrap.js';
import { decodeError } from './codec.js';
import { BlockingCallInReactorThread, WorkerFunctionNotFound } from './errors.js';

/** What the bootstrap leaves in a worker thread for this function. */
interface WorkerContext {
  parentPort: MessagePort;
  replyPort: MessagePort;
  flag: Int32Array;
}

/** A WorkerFunctionNotFound from the main thread arrives as a plain Error of that name: give it its class back. */
function rebuilt(e: unknown): unknown {
  if (!(e instanceof Error) || e.name !== 'WorkerFunctionNotFound' || e instanceof WorkerFunctionNotFound) return e;
  const own = e as Error & { modulePath?: string; exportName?: string };
  const err = new WorkerFunctionNotFound(own.modulePath ?? '', own.exportName ?? '', '', '', 'blockingCallFromThread');
  err.message = e.message;
  if (e.stack !== undefined) err.stack = e.stack;
  return err;
}

/**
 * Run the function exported as `exportName` by the module at `modulePath` on the main thread (the
 * reactor's), with `args`, and block this worker thread until it returns: its value, or the
 * value its Deferred or promise fires with; a failure is thrown here. Arguments and result are
 * structured-cloned. Port of `twisted.internet.threads.blockingCallFromThread(reactor, f, *args)`,
 * with a named function instead of a callable and no reactor argument (the main thread's is
 * the one).
 *
 * @param modulePath - an absolute path or a file: URL (the main thread loads it: the same module
 *   instance as its own import of that file).
 * @throws BlockingCallInReactorThread on the main thread; WorkerFunctionNotFound when the
 *   function does not exist; InvalidWorkerModule for a relative path; whatever the function threw.
 */
export function blockingCallFromThread<R = unknown>(modulePath: string | URL, exportName: string, ...args: unknown[]): R {
  const ctx = (globalThis as Record<symbol, WorkerContext | undefined>)[Symbol.for(WORKER_CONTEXT_KEY)];
  if (isMainThread || ctx === undefined) throw new BlockingCallInReactorThread();
  const flag = ctx.flag;
  Atomics.store(flag, 0, 0);
  ctx.parentPort.postMessage(['call', modulePath instanceof URL ? modulePath.href : modulePath, exportName, args]);
  Atomics.wait(flag, 0, 0);
  const got = receiveMessageOnPort(ctx.replyPort);
  if (got === undefined) throw new Error('blockingCallFromThread: woken without an answer from the main thread; report this as a twistless bug');
  const [ok, value] = got.message as [boolean, unknown];
  if (ok) return value as R;
  throw rebuilt(decodeError(value));
}
