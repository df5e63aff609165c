// Port of twisted/test/test_threadpool.py (Twisted 22.4): ThreadPool on Node worker threads, each
// piece of work a function named by module and export. Tests of Python-only machinery (pickling,
// thread creation arguments, threadable.synchronize, the context of the callback thread, the
// memory-backed coordinator) are left out; docs/threads.md says why.
import { expect } from 'chai';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { Deferred } from '../../lib/defer/index.js';
import type { Failure } from '../../lib/failure/index.js';
import { addObserver, removeObserver, type LogEvent } from '../../lib/log/index.js';
import { ThreadPool, WorkerThreadExited, deferToWorkerPool } from '../../lib/threads/index.js';

const plain = join(__dirname, 'fixtures', 'plain.mjs');

/** Log error events seen while `f` runs. */
async function loggedErrors(f: () => Promise<void>): Promise<LogEvent[]> {
  const events: LogEvent[] = [];
  const obs = (e: LogEvent): void => {
    if (e.isError) events.push(e);
  };
  addObserver(obs);
  try {
    await f();
  } finally {
    removeObserver(obs);
  }
  return events;
}

describe('ThreadPoolTests', function () {
  this.timeout(20000);
  let pools: ThreadPool[] = [];
  function pool(min?: number, max?: number): ThreadPool {
    const p = new ThreadPool(min, max);
    pools.push(p);
    return p;
  }
  afterEach(async function () {
    for (const p of pools) await p.stop();
    for (const p of pools) expect(p.threads).to.have.length(0);
    pools = [];
  });

  it('test_attributes: min and max are the values given to the constructor', function () {
    const p = new ThreadPool(12, 22);
    expect(p.min).to.equal(12);
    expect(p.max).to.equal(22);
    const dflt = new ThreadPool();
    expect([dflt.min, dflt.max]).to.deep.equal([5, 20]);
  });

  it('test_start: start creates the minimum number of threads', function () {
    const p0 = pool(0, 5);
    p0.start();
    expect(p0.threads).to.have.length(0);
    const p3 = pool(3, 10);
    expect(p3.threads).to.have.length(0);
    p3.start();
    expect(p3.threads).to.have.length(3);
  });

  it('test_adjustingWhenPoolStopped: adjustPoolsize on a stopped pool changes the size and starts nothing', async function () {
    const p = pool(0, 5);
    p.start();
    await p.stop();
    p.adjustPoolsize(2);
    expect(p.threads).to.have.length(0);
    expect(p.min).to.equal(2);
  });

  it('test_callInThread: ten calls from callInThread all run in worker threads', async function () {
    const p = pool();
    p.start();
    const seen: number[] = [];
    const all = new Deferred<void>();
    for (let i = 0; i < 10; i++) {
      p.callInThreadWithCallback(
        (ok, tid) => {
          if (ok) seen.push(tid as number);
          if (seen.length === 10) all.callback(undefined);
        },
        plain,
        'whichThread',
      );
    }
    await all;
    expect(seen.every((t) => t !== threadId)).to.equal(true);
  });

  it('test_callInThreadException: callInThread logs the error the function raised', async function () {
    const p = pool(0, 1);
    const errors = await loggedErrors(async () => {
      p.callInThread(plain, 'raiseError');
      p.start();
      await p.stop();
    });
    expect(errors).to.have.length(1);
    expect((errors[0].failure as Failure).value).to.have.property('name', 'NewError');
  });

  it('test_callInThreadWithCallback: onResult gets (true, result)', async function () {
    const p = pool(0, 1);
    const results = new Deferred<unknown[]>();
    p.callInThreadWithCallback((success, result) => results.callback([success, result]), plain, 'test');
    p.start();
    expect(await results).to.deep.equal([true, 'test']);
  });

  it('test_callInThreadWithCallbackExceptionInCallback: onResult gets (false, failure) of the error raised', async function () {
    const p = pool(0, 1);
    const results = new Deferred<unknown[]>();
    p.callInThreadWithCallback((success, result) => results.callback([success, result]), plain, 'raiseError');
    p.start();
    const [success, f] = await results;
    expect(success).to.equal(false);
    expect((f as Failure).value).to.have.property('name', 'NewError');
  });

  it('test_callInThreadWithCallbackExceptionInOnResult: an error raised by onResult is logged', async function () {
    const p = pool(0, 1);
    const results: unknown[] = [];
    const errors = await loggedErrors(async () => {
      const released = new Deferred<void>();
      p.callInThreadWithCallback(
        (success, result) => {
          results.push(success, result);
          throw new Error('NewError');
        },
        plain,
        'noop',
      );
      p.callInThreadWithCallback(() => released.callback(undefined), plain, 'noop');
      p.start();
      await released;
    });
    expect(errors).to.have.length(1);
    expect(results).to.deep.equal([true, null]);
  });

  it('test_existingWork: work given before start runs once the pool starts', async function () {
    const p = pool(0, 1);
    const d = deferToWorkerPool(null, p, plain, 'test');
    expect(p.pending).to.equal(1);
    p.start();
    expect(await d).to.equal('test');
  });

  it('stop lets the work already given finish, then ends every thread', async function () {
    const p = pool(0, 2);
    p.start();
    const ds = [0, 1, 2, 3].map(() => deferToWorkerPool(null, p, plain, 'busy', 20));
    const stopped = p.stop();
    expect(p.joined).to.equal(true);
    const tids = await Promise.all(ds);
    expect(tids.every((t) => typeof t === 'number')).to.equal(true);
    await stopped;
    expect(p.threads).to.have.length(0);
  });

  it('a thread that exits fails its call with WorkerThreadExited; the pool goes on with another thread', async function () {
    const p = pool(0, 1);
    p.start();
    const bad = deferToWorkerPool(null, p, plain, 'exits', 3);
    const good = deferToWorkerPool(null, p, plain, 'test');
    const err = await bad.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(WorkerThreadExited);
    expect((err as WorkerThreadExited).exitCode).to.equal(3);
    expect(await good).to.equal('test');
  });

  it('adjustPoolsize on a started pool grows to the new minimum and ends idle threads above the new maximum', async function () {
    const p = pool(0, 4);
    p.start();
    p.adjustPoolsize(3, 4);
    expect(p.threads).to.have.length(3);
    p.adjustPoolsize(0, 1);
    expect(p.threads).to.have.length(1);
    expect(() => p.adjustPoolsize(2, 1)).to.throw(RangeError);
  });
});

describe('MemoryBackedTests', function () {
  this.timeout(20000);

  it('test_workBeforeStarting: work given before start gets enough threads once started', async function () {
    const p = new ThreadPool(0, 10);
    const ds = Array.from({ length: 5 }, () => deferToWorkerPool(null, p, plain, 'noop'));
    expect(p.threads).to.have.length(0);
    p.start();
    expect(p.threads).to.have.length(5);
    await Promise.all(ds);
    await p.stop();
  });

  it('test_tooMuchWorkBeforeStarting: more work than max before start gets max threads', async function () {
    const p = new ThreadPool(0, 10);
    const ds = Array.from({ length: 50 }, () => deferToWorkerPool(null, p, plain, 'noop'));
    expect(p.threads).to.have.length(0);
    p.start();
    expect(p.threads).to.have.length(p.max);
    await Promise.all(ds);
    await p.stop();
  });
});
