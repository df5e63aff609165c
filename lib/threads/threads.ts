// Port of twisted.internet.threads (Twisted 22.4) on Node worker threads: deferToThread's
// analogue runs a function named by module and export (a closure cannot cross to a worker
// thread) in the reactor's pool, or in a given ThreadPool, and returns a Deferred of its result.
// Covered by spec/threads/threads.spec.ts.
import type { Deferred } from '../defer/deferred.js';
import { reactor as globalReactor } from '../reactor/reactor.js';
import type { ThreadPool } from './threadpool.js';

/** A function's result as a worker gives it back: promises unwrapped. */
export type WorkerResult<F> = F extends (...args: never[]) => infer R ? Awaited<R> : unknown;

/**
 * Run the function exported as `exportName` by the module at `modulePath` in a thread of the
 * reactor's pool (`reactor.getThreadPool()`), with `args` (structured-cloned), and return a
 * Deferred of its result. The analogue of `twisted.internet.threads.deferToThread(f, *args)`:
 * named differently because it takes a module and an export, not a function.
 *
 * @typeParam F - the function's type, e.g. `typeof import('./work.js').fib`, for the result type.
 * @returns a Deferred firing with the result (a promise's value), or failing with the error
 *   rebuilt on this side; WorkerFunctionNotFound when the module or the export does not exist.
 * @throws InvalidWorkerModule for a relative path.
 * @example
 * ```ts no-run
 * const d = deferToWorker<typeof import('./work.js').fib>(new URL('./work.js', import.meta.url), 'fib', 30);
 * ```
 */
export function deferToWorker<F = unknown>(modulePath: string | URL, exportName: string, ...args: unknown[]): Deferred<WorkerResult<F>> {
  return globalReactor.getThreadPool().defer(modulePath, exportName, args) as Deferred<WorkerResult<F>>;
}

/**
 * deferToWorker in the given pool. The analogue of
 * `twisted.internet.threads.deferToThreadPool(reactor, threadpool, f, *args)`.
 *
 * @param _reactor - the reactor (kept for Twisted's signature; the result is delivered on the
 *   main thread's event loop either way).
 */
export function deferToWorkerPool<F = unknown>(_reactor: unknown, threadpool: ThreadPool, modulePath: string | URL, exportName: string, ...args: unknown[]): Deferred<WorkerResult<F>> {
  return threadpool.defer(modulePath, exportName, args) as Deferred<WorkerResult<F>>;
}
