// The reactor's thread methods (IReactorThreads): callFromThread's queue, the reactor's thread
// pool, suggestThreadPoolSize and callInThread. Reactor's methods delegate here. Covered by
// spec/threads/threads.spec.ts.
import { Failure } from '../failure/failure.js';
import * as log from '../log/log.js';
import { NotCallableError } from '../reactor/errors.js';
import type { SystemEventTriggerID } from '../reactor/threePhaseEvent.js';
import { ThreadPool } from './threadpool.js';

/**
 * The reactor's thread methods. Port of `twisted.internet.interfaces.IReactorThreads`, with
 * `callInThread` taking a function named by module and export.
 */
export interface IReactorThreads {
  callFromThread<A extends unknown[]>(f: (...args: A) => unknown, ...args: A): void;
  getThreadPool(): ThreadPool;
  suggestThreadPoolSize(size: number): void;
  callInThread(modulePath: string | URL, exportName: string, ...args: unknown[]): void;
}

/** What the thread methods need of a reactor. */
export interface ThreadsHost {
  addSystemEventTrigger(phase: 'during', eventType: 'shutdown', fn: () => void): SystemEventTriggerID;
  removeSystemEventTrigger(id: SystemEventTriggerID): void;
}

/** A reactor's callFromThread queue: function, argument list, function, argument list... */
interface CallQueue {
  q: unknown[];
  armed: boolean;
}

interface ThreadsState {
  calls: CallQueue;
  pool: ThreadPool | null;
  shutdownID: SystemEventTriggerID | null;
}

const states = new WeakMap<ThreadsHost, ThreadsState>();

function stateOf(reactor: ThreadsHost): ThreadsState {
  let s = states.get(reactor);
  if (s === undefined) {
    s = { calls: { q: [], armed: false }, pool: null, shutdownID: null };
    states.set(reactor, s);
  }
  return s;
}

/** Run the calls queued before this turn, in order; those queued meanwhile wait for the next turn. */
function drain(calls: CallQueue): void {
  const q = calls.q;
  calls.q = [];
  calls.armed = false;
  for (let i = 0; i < q.length; i += 2) {
    try {
      (q[i] as (...a: unknown[]) => unknown)(...(q[i + 1] as unknown[]));
    } catch (e) {
      log.err(new Failure(e));
    }
  }
}

/** @internal reactor.callFromThread: `f(...args)` on a later turn, FIFO, never re-entrant. */
export function callFromThread(reactor: ThreadsHost, f: unknown, args: unknown[]): void {
  if (typeof f !== 'function') throw new NotCallableError('reactor.callFromThread(f)', f);
  const calls = stateOf(reactor).calls;
  calls.q.push(f, args);
  if (!calls.armed) {
    calls.armed = true;
    setImmediate(drain, calls);
  }
}

/** @internal reactor.getThreadPool: made on first use (or after it was stopped), started at once, stopped on shutdown. */
export function getThreadPool(reactor: ThreadsHost): ThreadPool {
  const s = stateOf(reactor);
  if (s.pool === null || s.pool.joined) {
    if (s.shutdownID !== null) reactor.removeSystemEventTrigger(s.shutdownID);
    const pool = new ThreadPool(0, 10, 'twisted.internet.reactor');
    s.pool = pool;
    pool.start();
    s.shutdownID = reactor.addSystemEventTrigger('during', 'shutdown', () => stopThreadPool(reactor));
  }
  return s.pool;
}

/** The reactor is shutting down: stop its pool and forget it (a later getThreadPool makes a new one). */
function stopThreadPool(reactor: ThreadsHost): void {
  const s = stateOf(reactor);
  const pool = s.pool;
  s.pool = null;
  s.shutdownID = null;
  if (pool !== null) void pool.stop();
}

/** @internal reactor.suggestThreadPoolSize: the pool's maximum. */
export function suggestThreadPoolSize(reactor: ThreadsHost, size: number): void {
  getThreadPool(reactor).adjustPoolsize(undefined, size);
}
