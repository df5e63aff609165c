// Ports of twisted/test/test_threads.py and twisted/internet/test/test_threads.py (Twisted 22.4):
// the tests that have a meaning when a worker thread runs a function named by module and export
// (a closure cannot cross to it). Tests that need a closure in another thread are adapted to a
// named function; the reasons for the rest are in docs/threads.md.
import { expect } from 'chai';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { ChannelProcessor } from '../../lib/channelProcessor/index.js';
import { Deferred, DeferredList } from '../../lib/defer/index.js';
import type { Failure } from '../../lib/failure/index.js';
import { addObserver, removeObserver, type LogEvent } from '../../lib/log/index.js';
import { Reactor, reactor } from '../../lib/reactor/index.js';
import {
  BlockingCallInReactorThread,
  InvalidWorkerModule,
  ThreadPool,
  WorkerFunctionNotFound,
  blockingCallFromThread,
  deferToWorker,
  deferToWorkerPool,
} from '../../lib/threads/index.js';
import type * as Work from './fixtures/work.js';

const work = join(__dirname, 'fixtures', 'work.ts');

/** What a Deferred ended with, without letting a failure escape. */
function outcome<T>(d: Deferred<T>): Promise<{ ok: true; value: T } | { ok: false; error: Error }> {
  return new Promise((resolve) => {
    d.addCallbacks(
      (value: T) => {
        resolve({ ok: true, value });
        return undefined;
      },
      (f: Failure) => {
        resolve({ ok: false, error: f.value as Error });
        return undefined;
      },
    );
  });
}

/** A fresh reactor's run until `f` stops it, bounded in time. */
async function runReactor(r: Reactor, seconds = 10): Promise<void> {
  const guard = r.callLater(seconds, () => {
    if (r.running) r.stop();
  });
  await r.run();
  if (guard.active()) guard.cancel();
}

/** Nothing left running: the global reactor's pool ends its threads (a later use makes a new one). */
async function stopReactorPool(): Promise<void> {
  await reactor.getThreadPool().stop();
}

describe('ReactorThreadsTests', function () {
  this.timeout(20000);
  after(stopReactorPool);

  it('test_suggestThreadPoolSize: suggestThreadPoolSize sets the maximum of the reactor pool', function () {
    reactor.suggestThreadPoolSize(34);
    expect(reactor.getThreadPool().max).to.equal(34);
    reactor.suggestThreadPoolSize(4);
    expect(reactor.getThreadPool().max).to.equal(4);
  });

  it('test_callInThread: callInThread runs the named function in a thread that is not the main one', async function () {
    const d = new Deferred<number>();
    reactor.getThreadPool().callInThreadWithCallback((ok, tid) => (ok ? d.callback(tid as number) : d.errback(tid as Failure)), work, 'whichThread');
    reactor.callInThread(work, 'whichThread');
    const tid = await d;
    expect(tid).to.be.a('number').and.not.equal(threadId);
  });

  it('test_callFromThread: callFromThread from the main thread and from a worker result handler both run', async function () {
    const firedByReactorThread = new Deferred<null>();
    const firedByOtherThread = new Deferred<null>();
    reactor.getThreadPool().callInThreadWithCallback(() => reactor.callFromThread(() => firedByOtherThread.callback(null)), work, 'nothing');
    reactor.callFromThread(() => firedByReactorThread.callback(null));
    const r = await new DeferredList([firedByReactorThread, firedByOtherThread], { fireOnOneErrback: true });
    expect(r).to.deep.equal([
      [true, null],
      [true, null],
    ]);
  });

  it('test_wakerOverflow: a hundred thousand queued callFromThread calls all run, and none fails', async function () {
    let ran = 0;
    for (let i = 0; i < 100000; i++) reactor.callFromThread(() => ran++);
    expect(ran).to.equal(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(ran).to.equal(100000);
  });

  async function blockingCall(name: string): Promise<{ results: unknown[]; errors: { name: string; message: string }[] }> {
    return (await deferToWorker<typeof Work.callMain>(work, 'callMain', name)) as { results: unknown[]; errors: { name: string; message: string }[] };
  }

  it('test_blockingCallFromThread: the worker gets the value of the Deferred the main thread returns', async function () {
    const r = await blockingCall('foo');
    expect(r.results).to.deep.equal(['foo']);
    expect(r.errors).to.deep.equal([]);
  });

  it('test_asyncBlockingCallFromThread: the worker waits for a Deferred that fires later', async function () {
    const r = await blockingCall('egg');
    expect(r.results).to.deep.equal(['egg']);
  });

  it('test_errorBlockingCallFromThread: a failed Deferred is thrown in the worker with its class name and message', async function () {
    const r = await blockingCall('bar');
    expect(r.results).to.deep.equal([]);
    expect(r.errors).to.deep.equal([{ name: 'RuntimeError', message: 'bar' }]);
  });

  it('test_asyncErrorBlockingCallFromThread: a Deferred that fails later is thrown in the worker', async function () {
    const r = await blockingCall('spam');
    expect(r.errors).to.deep.equal([{ name: 'RuntimeError', message: 'spam' }]);
  });
});

describe('blockingCallFromThread (twistless)', function () {
  this.timeout(20000);
  after(stopReactorPool);

  it('on the main thread it raises BlockingCallInReactorThread at once (Twisted: RuntimeError)', function () {
    expect(() => blockingCallFromThread(work, 'add', 1)).to.throw(BlockingCallInReactorThread, /must not be called in the reactor thread/);
  });

  it('a plain value crosses back; the main thread loaded the same module instance each time', async function () {
    const seen = (await deferToWorker<typeof Work.countOnMain>(work, 'countOnMain', 3)) as number[];
    expect(seen).to.have.length(3);
    expect(seen[1] - seen[0]).to.equal(1);
    expect(seen[2] - seen[1]).to.equal(1);
  });

  it('an export that does not exist on the main side is a WorkerFunctionNotFound in the worker', async function () {
    const r = await blockingCall('nothere');
    expect(r.errors).to.have.length(1);
    expect(r.errors[0].name).to.equal('WorkerFunctionNotFound');
    expect(r.errors[0].message).to.match(/^blockingCallFromThread\(.*"nothere"\): the module has no export named "nothere"/);
  });

  it('works from a ChannelProcessor.inWorker action too (the same worker machinery)', async function () {
    const cp = ChannelProcessor.inWorker<typeof Work.callMain>(work, 'callMain');
    try {
      expect(await cp.call('egg')).to.deep.equal({ results: ['egg'], errors: [] });
    } finally {
      await cp.stop();
    }
  });

  it('a relative path is an InvalidWorkerModule in the worker', async function () {
    expect(await deferToWorker(work, 'callMainRelative')).to.equal('InvalidWorkerModule');
  });

  async function blockingCall(name: string): Promise<{ results: unknown[]; errors: { name: string; message: string }[] }> {
    return (await deferToWorker(work, 'callMain', name)) as { results: unknown[]; errors: { name: string; message: string }[] };
  }
});

describe('DeferredResultTests', function () {
  this.timeout(20000);
  after(stopReactorPool);
  beforeEach(function () {
    reactor.suggestThreadPoolSize(8);
  });
  afterEach(function () {
    reactor.suggestThreadPoolSize(0);
  });

  it('test_deferredResult: deferToWorker runs the named function with positional and keyword (options) arguments', async function () {
    expect(await deferToWorker<typeof Work.add>(work, 'add', 3, { y: 4 })).to.equal(7);
  });

  it('test_deferredFailure: a function that throws fails the Deferred with an error of its name', async function () {
    const r = await outcome(deferToWorker(work, 'raiseError'));
    expect(r.ok).to.equal(false);
    expect((r as { error: Error }).error.name).to.equal('NewError');
  });

  it('test_deferredFailureAfterSuccess: a success then a failing call: the failure arrives', async function () {
    const d = deferToWorker(work, 'nothing').addCallback(() => deferToWorker(work, 'divideByZero'));
    const r = await outcome(d);
    expect((r as { error: Error }).error).to.be.instanceOf(RangeError);
  });

  it('a function that does not exist fails the Deferred with WorkerFunctionNotFound; a missing file too; a relative path throws', async function () {
    const r = await outcome(deferToWorker(work, 'nothere'));
    expect((r as { error: Error }).error).to.be.instanceOf(WorkerFunctionNotFound);
    expect((r as { error: Error }).error.message).to.match(/no export named "nothere"; export the function under that name \(the module exports: .*add/);
    const missing = await outcome(deferToWorker(join(__dirname, 'nowhere.mjs'), 'f'));
    expect((missing as { error: Error }).error).to.be.instanceOf(WorkerFunctionNotFound);
    expect(() => deferToWorker('fixtures/work.ts', 'add', 1)).to.throw(InvalidWorkerModule, /deferToWorker needs an absolute file path/);
  });
});

describe('DeferToThreadPoolTests', function () {
  this.timeout(20000);
  after(stopReactorPool);
  let tp: ThreadPool;
  beforeEach(function () {
    tp = new ThreadPool(0, 8);
    tp.start();
  });
  afterEach(async function () {
    await tp.stop();
  });

  it('test_deferredResult: deferToWorkerPool runs the named function in the given pool', async function () {
    expect(await deferToWorkerPool(reactor, tp, work, 'add', 3, { y: 4 })).to.equal(7);
  });

  it('test_deferredFailure: a function that throws fails the Deferred', async function () {
    const r = await outcome(deferToWorkerPool(reactor, tp, work, 'raiseError'));
    expect((r as { error: Error }).error.name).to.equal('NewError');
  });
});

describe('ThreadTestsBuilder', function () {
  this.timeout(20000);
  after(stopReactorPool);

  it('test_getThreadPool: getThreadPool gives a started ThreadPool; it is joined once the reactor has stopped (started at once: differs)', async function () {
    const r = new Reactor();
    const pool = r.getThreadPool();
    expect(pool).to.be.instanceOf(ThreadPool);
    const state: boolean[] = [];
    r.callWhenRunning(() => {
      state.push(pool.started, pool.joined);
      r.stop();
    });
    await runReactor(r, 2);
    expect(state).to.deep.equal([true, false]);
    expect(pool.joined).to.equal(true);
    await pool.stop();
  });

  it('test_suggestThreadPoolSize: suggestThreadPoolSize sets the maximum of the pool', async function () {
    const r = new Reactor();
    r.suggestThreadPoolSize(17);
    expect(r.getThreadPool().max).to.equal(17);
    await r.getThreadPool().stop();
  });

  it('test_delayedCallFromThread: callFromThread from a delayed call runs in the next turn', async function () {
    const r = new Reactor();
    r.callLater(0, () => r.callFromThread(() => r.stop()));
    const before = r.seconds();
    await runReactor(r, 60);
    expect(r.seconds() - before).to.be.below(30);
  });

  it('test_callFromThread: a function scheduled from a worker result handler runs on the main thread', async function () {
    const r = new Reactor();
    const result: number[] = [];
    r.callLater(0, () =>
      r.getThreadPool().callInThreadWithCallback(
        () =>
          r.callFromThread(() => {
            result.push(threadId);
            r.stop();
          }),
        work,
        'nothing',
      ),
    );
    await runReactor(r, 5);
    expect(result).to.deep.equal([threadId]);
  });

  it('test_stopThreadPool: the reactor drops its pool on stop (a later getThreadPool makes a new one)', async function () {
    const r = new Reactor();
    const pool = r.getThreadPool();
    r.callWhenRunning(() => r.stop());
    await runReactor(r);
    expect(pool.joined).to.equal(true);
    const again = r.getThreadPool();
    expect(again).to.not.equal(pool);
    await again.stop();
    await pool.stop();
  });

  it('test_stopThreadPoolWhenStartedAfterReactorRan: a pool made while running is also stopped and dropped', async function () {
    const r = new Reactor();
    const pools: ThreadPool[] = [];
    r.callWhenRunning(() => {
      pools.push(r.getThreadPool());
      r.stop();
    });
    await runReactor(r);
    expect(pools[0].joined).to.equal(true);
    expect(r.getThreadPool()).to.not.equal(pools[0]);
    await r.getThreadPool().stop();
  });

  it('test_cleanUpThreadPoolEvenBeforeReactorIsRun: a shutdown event before run() stops the pool', async function () {
    const r = new Reactor();
    const pool = r.getThreadPool();
    r.fireSystemEvent('shutdown');
    expect(pool.joined).to.equal(true);
    await pool.stop();
  });
});

describe('callFromThread (twistless)', function () {
  this.timeout(20000);
  after(stopReactorPool);

  it('test_threadsAreRunInScheduledOrder: calls run in the order they were scheduled, with their arguments', async function () {
    const order: number[] = [];
    const done = new Deferred<void>();
    for (let i = 0; i < 5; i++) reactor.callFromThread((n: number) => order.push(n), i);
    reactor.callFromThread(() => done.callback(undefined));
    await done;
    expect(order).to.deep.equal([0, 1, 2, 3, 4]);
  });

  it('test_lotsOfThreadsAreScheduledCorrectly: a hundred calls, each scheduling another, all run', async function () {
    let count = 0;
    const done = new Deferred<void>();
    const step = (): void => {
      count++;
      if (count === 200) done.callback(undefined);
    };
    for (let i = 0; i < 100; i++) reactor.callFromThread(() => reactor.callFromThread(step) === undefined && step());
    await done;
    expect(count).to.equal(200);
  });

  it('is never re-entrant: a call queued by a running call waits for the next turn, after the timers due', async function () {
    const trace: string[] = [];
    const done = new Deferred<void>();
    reactor.callFromThread(() => {
      trace.push('first');
      reactor.callFromThread(() => {
        trace.push('queued from first');
        done.callback(undefined);
      });
      trace.push('first returns');
    });
    reactor.callFromThread(() => trace.push('second'));
    await done;
    expect(trace).to.deep.equal(['first', 'first returns', 'second', 'queued from first']);
  });

  it('never starves timers: a call that requeues itself for ever still lets a 20 ms timer fire', async function () {
    let spins = 0;
    let stop = false;
    const spin = (): void => {
      spins++;
      if (!stop && spins < 1_000_000) reactor.callFromThread(spin);
    };
    reactor.callFromThread(spin);
    await new Promise<void>((resolve) => setTimeout(resolve, 20));
    stop = true;
    expect(spins).to.be.above(0).and.below(1_000_000);
  });

  it('an error in a call is logged and the next calls still run; a non-function is refused', async function () {
    const events: LogEvent[] = [];
    const obs = (e: LogEvent): void => void events.push(e);
    addObserver(obs);
    const done = new Deferred<void>();
    try {
      reactor.callFromThread(() => {
        throw new Error('boom');
      });
      reactor.callFromThread(() => done.callback(undefined));
      await done;
    } finally {
      removeObserver(obs);
    }
    expect(events.filter((e) => e.isError)).to.have.length(1);
    expect(() => reactor.callFromThread(42 as never)).to.throw(TypeError, /reactor.callFromThread\(f\): 42 is not callable/);
  });
});
