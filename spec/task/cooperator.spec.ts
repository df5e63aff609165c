// Port of twisted/test/test_cooperator.py (Twisted 22.4): CooperatorTests, AliasTests,
// RunStateTests. Twisted runs most CooperatorTests on the real reactor; here they run on a
// Clock through the scheduler option (the default scheduler, the reactor, is kept for
// testUnexpectedError and AliasTests, which take a few milliseconds).
import { expect } from 'chai';
import { Deferred, fail, succeed } from '../../lib/defer/index.js';
import { Failure } from '../../lib/failure/index.js';
import { NotCallableError, reactor } from '../../lib/reactor/index.js';
import { theCooperator } from '../../lib/task/cooperator.js';
import {
  Clock,
  CooperativeTask,
  Cooperator,
  NotAnIteratorError,
  NotPaused,
  SchedulerError,
  SchedulerStopped,
  TaskDone,
  TaskFailed,
  TaskFinished,
  TaskStopped,
  cooperate,
  coiterate,
} from '../../lib/task/index.js';
import type { SchedulerCall } from '../../lib/task/index.js';
import { failureResultOf, flushLoggedErrors, installLoggedErrorHooks, successResultOf } from '../../lib/testing/index.js';

/** Port of test_cooperator.py's FakeDelayedCall. */
class FakeDelayedCall implements SchedulerCall {
  cancelled = false;
  constructor(readonly func: () => void) {}
  cancel(): void {
    this.cancelled = true;
  }
}

/** Port of test_cooperator.py's FakeScheduler: collects ticks; pump() runs those pending now. */
class FakeScheduler {
  work: FakeDelayedCall[] = [];
  readonly schedule = (thunk: () => void): FakeDelayedCall => {
    const unit = new FakeDelayedCall(thunk);
    this.work.push(unit);
    return unit;
  };
  pump(): void {
    const work = this.work;
    this.work = [];
    for (const unit of work) if (!unit.cancelled) unit.func();
  }
}

/** A Cooperator ticking on a Clock the way the default one ticks on the reactor. */
function onClock(options: { terminationPredicateFactory?: () => () => boolean } = {}): { clock: Clock; coop: Cooperator } {
  const clock = new Clock();
  const coop = new Cooperator({ ...options, scheduler: (tick) => clock.callLater(1e-8, tick) });
  return { clock, coop };
}

/** Run the Clock until nothing is scheduled (at most `limit` steps). */
function drain(clock: Clock, limit = 10000): void {
  for (let i = 0; i < limit; i++) {
    const calls = clock.getDelayedCalls();
    if (calls.length === 0) return;
    clock.advance(Math.max(0, calls[0].getTime() - clock.seconds()));
  }
  expect.fail('the Clock still has calls after the step limit');
}

const RESULT = 'done';
function ebIter(err: Failure): string {
  err.trap(SchedulerStopped);
  return RESULT;
}
function cbIter(): never {
  expect.fail('the coiterate() Deferred must not succeed');
}

describe('CooperatorTests', function () {
  it('testStoppedRejectsNewTasks: a stopped Cooperator finishes new tasks at once with SchedulerStopped', function () {
    const testwith = (stuff: Deferred<Iterator<never>> | undefined): void => {
      const c = new Cooperator();
      c.stop();
      const d = c.coiterate([][Symbol.iterator](), stuff).addCallbacks(cbIter, ebIter);
      expect(successResultOf(d)).to.equal(RESULT);
    };
    testwith(undefined);
    testwith(new Deferred<Iterator<never>>());
  });

  it('testStopRunning: a running iterator does not run to completion when the Cooperator is stopped', function () {
    const { clock, coop: c } = onClock();
    let value = -1;
    function* myiter(): Generator<number> {
      for (let i = 0; i < 3; i++) {
        value = i;
        yield i;
      }
    }
    const d = c.coiterate(myiter()).addCallbacks(cbIter, ebIter);
    c.stop();
    drain(clock);
    expect(successResultOf(d)).to.equal(RESULT);
    expect(value).to.equal(-1);
  });

  it('testStopOutstanding: a task waiting on a yielded Deferred fails with SchedulerStopped when the Cooperator stops', function () {
    const { clock, coop: c } = onClock();
    const testControlD = new Deferred<void>();
    const outstandingD = new Deferred<string>();
    function* myiter(): Generator<Deferred<string>> {
      clock.callLater(0, () => testControlD.callback(undefined));
      yield outstandingD;
      expect.fail('the iterator must not be resumed');
    }
    const d = c.coiterate(myiter());
    testControlD.addCallback(() => {
      c.stop();
      outstandingD.callback('arglebargle');
    });
    d.addCallbacks(cbIter, ebIter);
    drain(clock);
    expect(successResultOf(d)).to.equal(RESULT);
  });

  it('testUnexpectedError: an iterator that throws fails the coiterate() Deferred with its error (on the reactor)', async function () {
    const c = new Cooperator();
    function* myiter(): Generator<undefined> {
      if (c.running) throw new RangeError('unexpected');
      yield undefined;
    }
    let caught: unknown;
    try {
      await c.coiterate(myiter());
    } catch (e) {
      caught = e;
    }
    expect(caught).to.be.instanceOf(RangeError);
  });

  it('testUnexpectedErrorActuallyLater: a yielded Deferred that fails later fails the task with its error', function () {
    const { clock, coop: c } = onClock();
    function* myiter(): Generator<Deferred<void>> {
      const D = new Deferred<void>();
      clock.callLater(0, () => D.errback(new RangeError('later')));
      yield D;
    }
    const d = c.coiterate(myiter());
    drain(clock);
    failureResultOf(d, RangeError);
  });

  it('testUnexpectedErrorNotActuallyLater: a yielded Deferred that has already failed fails the task with its error', function () {
    const { clock, coop: c } = onClock();
    function* myiter(): Generator<Deferred<void>> {
      yield fail(new RangeError('now'));
    }
    const d = c.coiterate(myiter());
    drain(clock);
    failureResultOf(d, RangeError);
  });

  it('testCooperation: tasks take turns, one step each, round-robin', function () {
    const { clock, coop: c } = onClock();
    const L: unknown[] = [];
    function* myiter(things: Iterable<unknown>): Generator<undefined> {
      for (const th of things) {
        L.push(th);
        yield undefined;
      }
    }
    const groupsOfThings: unknown[][] = [['a', 'b', 'c'], [1, 2, 3], ['d', 'e', 'f'], [4, 5, 6]];
    const tasks = groupsOfThings.map((stuff) => c.coiterate(myiter(stuff)));
    drain(clock);
    for (const t of tasks) successResultOf(t);
    // sum(zip(*groupsOfThings), ())
    expect(L).to.deep.equal(['a', 1, 'd', 4, 'b', 2, 'e', 5, 'c', 3, 'f', 6]);
  });

  it('testResourceExhaustion: a tick ends when the termination predicate says so', function () {
    const output: number[] = [];
    const TPF = { stopped: false };
    function* myiter(): Generator<number> {
      for (let i = 0; i < 100; i++) {
        output.push(i);
        if (i === 9) TPF.stopped = true;
        yield i;
      }
    }
    const c = new Cooperator({ terminationPredicateFactory: () => () => TPF.stopped });
    c.coiterate(myiter()).addErrback(ebIter);
    (c._delayedCall as SchedulerCall).cancel();
    // A private method, as in Twisted: only this test drives a tick by hand.
    c._tick();
    c.stop();
    expect(TPF.stopped).to.equal(true);
    expect(output).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('testCallbackReCoiterate: coiterate() from a completion callback schedules only one tick at a time', function () {
    const calls: FakeDelayedCall[] = [];
    const sched = (f: () => void): FakeDelayedCall => {
      expect(calls, `a tick is already scheduled: ${calls.length}`).to.have.length(0);
      const call = new FakeDelayedCall(f);
      calls.push(call);
      return call;
    };
    const c = new Cooperator({ scheduler: sched, terminationPredicateFactory: () => () => true });
    const d = c.coiterate([][Symbol.iterator]());
    const done: unknown[] = [];
    d.addCallback(() => {
      c.coiterate([][Symbol.iterator]()).addBoth((r) => {
        done.push(r);
      });
    });
    let work = 0;
    while (done.length === 0) {
      work += 1;
      while (calls.length > 0) {
        (calls.shift() as FakeDelayedCall).func();
        work += 1;
      }
      if (work > 50) expect.fail('Cooperator took too long');
    }
  });

  it('test_removingLastTaskStopsScheduledCall: removing the last task cancels the pending tick', function () {
    const calls: (FakeDelayedCall | null)[] = [null];
    const sched = (f: () => void): FakeDelayedCall => {
      calls[0] = new FakeDelayedCall(f);
      return calls[0];
    };
    const coop = new Cooperator({ scheduler: sched });
    const task1 = coop.cooperate([1, 2]);
    const task2 = coop.cooperate([1, 2]);
    expect(calls[0]?.func).to.equal(coop._tick);
    task1.stop();
    expect(calls[0]?.cancelled).to.equal(false);
    expect(coop._delayedCall).to.equal(calls[0]);
    task2.stop();
    expect(calls[0]?.cancelled).to.equal(true);
    expect(coop._delayedCall).to.equal(null);
    coop.cooperate([1, 2]);
    expect(calls[0]?.cancelled).to.equal(false);
    expect(coop._delayedCall).to.equal(calls[0]);
  });

  it('test_runningWhenStarted: running is true for a Cooperator started on creation', function () {
    const c = new Cooperator();
    expect(c.running).to.equal(true);
  });

  it('test_runningWhenNotStarted: running is false for a Cooperator created with started: false', function () {
    const c = new Cooperator({ started: false });
    expect(c.running).to.equal(false);
  });

  it('test_runningWhenRunning: running is true after start()', function () {
    const c = new Cooperator({ started: false });
    c.start();
    try {
      expect(c.running).to.equal(true);
    } finally {
      c.stop();
    }
  });

  it('test_runningWhenStopped: running is false after stop()', function () {
    const c = new Cooperator({ started: false });
    c.start();
    c.stop();
    expect(c.running).to.equal(false);
  });
});

describe('CooperatorTests (twistless additions)', function () {
  it('stop() finishes every task with SchedulerStopped (Twisted 22.4 skips every second one)', function () {
    const s = new FakeScheduler();
    const c = new Cooperator({ scheduler: s.schedule, terminationPredicateFactory: () => () => true });
    const tasks = [0, 1, 2, 3].map(() => c.cooperate([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    const res: string[] = [];
    tasks.forEach((t, i) =>
      t.whenDone().addErrback((f: Failure) => {
        f.trap(SchedulerStopped);
        res.push(`task ${i} stopped`);
      }),
    );
    s.pump();
    c.stop();
    expect(res).to.deep.equal(['task 0 stopped', 'task 1 stopped', 'task 2 stopped', 'task 3 stopped']);
    expect(c._tasks).to.have.length(0);
    expect(() => tasks[1].pause()).to.throw(SchedulerStopped);
  });

  it('a task paused when the Cooperator stops finishes with SchedulerStopped when resumed', function () {
    const s = new FakeScheduler();
    const c = new Cooperator({ scheduler: s.schedule, terminationPredicateFactory: () => () => true });
    const t = c.cooperate([1, 2, 3]);
    t.pause();
    const r: Failure[] = [];
    t.whenDone().addErrback((f: Failure) => {
      r.push(f);
    });
    c.stop();
    expect(r).to.have.length(0);
    t.resume();
    expect(r).to.have.length(1);
    expect(r[0].check(SchedulerStopped)).to.equal(SchedulerStopped);
  });

  it('started: false queues the tasks until start(); start() after stop() accepts tasks again', function () {
    const s = new FakeScheduler();
    const c = new Cooperator({ scheduler: s.schedule, started: false });
    const d = c.coiterate([1, 2, 3]);
    expect(s.work).to.have.length(0);
    c.start();
    expect(s.work).to.have.length(1);
    s.pump();
    expect(successResultOf(d)).to.deep.equal([1, 2, 3]);
    c.stop();
    failureResultOf(c.coiterate([1]), SchedulerStopped);
    c.start();
    const d2 = c.coiterate([1]);
    s.pump();
    expect(successResultOf(d2)).to.deep.equal([1]);
  });

  it('accepts arrays, Sets and strings (iterables); whenDone fires with the object given', function () {
    const s = new FakeScheduler();
    // One pump must finish all three: a tick that never ends early (the 10 ms slice is wall time).
    const c = new Cooperator({ scheduler: s.schedule, terminationPredicateFactory: () => () => false });
    const arr = [1, 2];
    const set = new Set([1]);
    const da = c.coiterate(arr);
    const ds = c.coiterate(set);
    const dstr = c.coiterate('ab');
    s.pump();
    expect(successResultOf(da)).to.equal(arr);
    expect(successResultOf(ds)).to.equal(set);
    expect(successResultOf(dstr)).to.equal('ab');
  });

  it('a non-iterable is a NotAnIteratorError (a TypeError) and schedules nothing', function () {
    const s = new FakeScheduler();
    const c = new Cooperator({ scheduler: s.schedule });
    for (const bad of [42, null, undefined, {}, { next: 1 }]) {
      expect(() => c.cooperate(bad as never)).to.throw(NotAnIteratorError, /is neither an iterator nor iterable/);
    }
    expect(() => c.coiterate(42 as never)).to.throw(TypeError);
    expect(s.work).to.have.length(0);
    expect(c._tasks).to.have.length(0);
  });

  it('an async generator is a NotAnIteratorError saying to yield promises from a generator instead', function () {
    const s = new FakeScheduler();
    const c = new Cooperator({ scheduler: s.schedule });
    async function* agen(): AsyncGenerator<number> {
      yield 1;
    }
    expect(() => c.cooperate(agen() as never)).to.throw(NotAnIteratorError, /is an async iterator: a Cooperator steps synchronous iterators/);
    expect(s.work).to.have.length(0);
  });

  it('an iterator whose next() returns a non-object or a promise fails its task with a TypeError', function () {
    const s = new FakeScheduler();
    // A tick that never ends early: the default 10 ms slice could end before both tasks stepped on a loaded machine.
    const c = new Cooperator({ scheduler: s.schedule, terminationPredicateFactory: () => () => false });
    const d1 = c.coiterate({ next: () => 42 } as never);
    const d2 = c.coiterate({ next: () => Promise.resolve({ value: 1, done: false }) } as never);
    s.pump();
    expect(failureResultOf(d1, TypeError).getErrorMessage()).to.equal('Iterator result 42 is not an object: next() must return { value, done }');
    expect(failureResultOf(d2, TypeError).getErrorMessage()).to.equal('Iterator result is a promise, not an object: next() must return { value, done }');
  });

  it('a yielded promise pauses the task until it settles; a rejection fails the task', async function () {
    const s = new FakeScheduler();
    const c = new Cooperator({ scheduler: s.schedule, terminationPredicateFactory: () => () => true });
    const seen: string[] = [];
    let release!: (v: string) => void;
    function* gen(): Generator<unknown> {
      seen.push('start');
      yield new Promise<string>((resolve) => {
        release = resolve;
      });
      seen.push('after promise');
      yield Promise.reject(new RangeError('rejected'));
      seen.push('never');
    }
    const d = c.coiterate(gen());
    s.pump();
    expect(seen).to.deep.equal(['start']);
    s.pump();
    expect(seen).to.deep.equal(['start']);
    release('x');
    await new Promise<void>((resolve) => setImmediate(resolve));
    s.pump();
    expect(seen).to.deep.equal(['start', 'after promise']);
    await new Promise<void>((resolve) => setImmediate(resolve));
    failureResultOf(d, RangeError);
    expect(seen).to.deep.equal(['start', 'after promise']);
  });

  it('a yielded Deferred failing after the task was stopped leaves its failure on that Deferred', function () {
    const s = new FakeScheduler();
    const c = new Cooperator({ scheduler: s.schedule, terminationPredicateFactory: () => () => true });
    const d = new Deferred<void>();
    function* it(): Generator<Deferred<void>> {
      yield d;
    }
    const t = c.cooperate(it());
    const r: Failure[] = [];
    t.whenDone().addErrback((f: Failure) => {
      r.push(f);
    });
    s.pump();
    t.stop();
    d.errback(new RangeError('late'));
    expect(r).to.have.length(1);
    expect(r[0].check(TaskStopped)).to.equal(TaskStopped);
    expect(() => t.stop()).to.throw(TaskStopped);
    failureResultOf(d, RangeError);
  });

  it('a scheduler or termination predicate factory that is not a function is a NotCallableError at construction', function () {
    expect(() => new Cooperator({ scheduler: 42 as never })).to.throw(NotCallableError, /new Cooperator\(\{ scheduler \}\): 42 is not callable/);
    expect(() => new Cooperator({ terminationPredicateFactory: 'x' as never })).to.throw(NotCallableError, /terminationPredicateFactory/);
    // undefined means the default, as an omitted option does
    expect(new Cooperator({ scheduler: undefined, terminationPredicateFactory: undefined }).running).to.equal(true);
  });

  it('the error classes form Twisted\'s hierarchy', function () {
    expect(new SchedulerStopped()).to.be.instanceOf(SchedulerError);
    expect(new NotPaused()).to.be.instanceOf(SchedulerError);
    for (const E of [TaskDone, TaskStopped, TaskFailed]) {
      const e = new E();
      expect(e).to.be.instanceOf(TaskFinished);
      expect(e).to.be.instanceOf(SchedulerError);
      expect(e.name).to.equal(E.name);
    }
  });

  it('the default termination predicate ends a tick once 10 ms of monotonic time have passed, not before', function () {
    const factory = new Cooperator()._terminationPredicateFactory;
    const t0 = performance.now();
    const predicate = factory();
    const early = predicate();
    const t1 = performance.now();
    // Only when this thread was not held up for 10 ms can "not yet" be required (a loaded
    // machine may pause it); the "yes" after 10 ms holds whatever the load.
    if (t1 - t0 < 9) expect(early).to.equal(false);
    while (performance.now() - t1 < 10.5) {
      // busy-wait past the slice
    }
    expect(predicate()).to.equal(true);
    const t2 = performance.now();
    const fresh = factory()();
    if (performance.now() - t2 < 9) expect(fresh, 'each tick gets a fresh 10 ms slice').to.equal(false);
  });

  it('a tick with the default predicate steps tasks until the slice ends; every step runs', function () {
    const s = new FakeScheduler();
    const c = new Cooperator({ scheduler: s.schedule });
    let n = 0;
    function* gen(): Generator<undefined> {
      for (let i = 0; i < 1000; i++) {
        n += 1;
        yield undefined;
      }
    }
    const d = c.coiterate(gen());
    for (let ticks = 0; s.work.length > 0; ticks++) {
      expect(ticks, 'a tick must run at least one step').to.be.lessThan(1001);
      s.pump();
    }
    expect(n).to.equal(1000);
    successResultOf(d);
  });
});

describe('AliasTests', function () {
  it('test_cooperate: the module-level cooperate() runs the generator on the global Cooperator', async function () {
    const d = new Deferred<string>();
    function* doit(): Generator<number> {
      yield 1;
      yield 2;
      yield 3;
      d.callback('yay');
    }
    const it = doit();
    const theTask = cooperate(it);
    expect(theCooperator()._tasks).to.include(theTask);
    expect(await d).to.equal('yay');
  });

  it('coiterate() on the global Cooperator fires with the iterator; one Cooperator per process', async function () {
    const arr = [1, 2, 3];
    expect(await coiterate(arr)).to.equal(arr);
    expect(theCooperator()).to.equal(theCooperator());
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('twistless.cooperator')]).to.equal(theCooperator());
    expect(reactor.getDelayedCalls().length).to.be.at.least(0);
  });
});

describe('RunStateTests', function () {
  let doDeferNext: boolean;
  let doStopNext: boolean;
  let doDieNext: boolean;
  let work: unknown[];
  let scheduler: FakeScheduler;
  let cooperator: Cooperator;
  let task: CooperativeTask<Generator<unknown>>;

  class UnhandledException extends Error {
    constructor() {
      super('an exception that should go unhandled');
      this.name = 'UnhandledException';
    }
  }

  function* worker(): Generator<unknown> {
    let i = 0;
    while (true) {
      i += 1;
      if (doDeferNext) {
        doDeferNext = false;
        const d = new Deferred<unknown>();
        work.push(d);
        yield d;
      } else if (doStopNext) {
        return;
      } else if (doDieNext) {
        throw new UnhandledException();
      } else {
        work.push(i);
        yield i;
      }
    }
  }

  beforeEach(function () {
    doDeferNext = false;
    doStopNext = false;
    doDieNext = false;
    work = [];
    scheduler = new FakeScheduler();
    cooperator = new Cooperator({ scheduler: scheduler.schedule, terminationPredicateFactory: () => () => true });
    task = cooperator.cooperate(worker());
    cooperator.start();
  });

  it('test_pauseResume: a paused task does no work; resume() itself does none either', function () {
    scheduler.pump();
    expect(work).to.deep.equal([1]);
    scheduler.pump();
    expect(work).to.deep.equal([1, 2]);
    task.pause();
    scheduler.pump();
    expect(work).to.deep.equal([1, 2]);
    task.resume();
    expect(work).to.deep.equal([1, 2]);
    scheduler.pump();
    expect(work).to.deep.equal([1, 2, 3]);
  });

  it('test_resumeNotPaused: resume() on a task that is not paused throws NotPaused', function () {
    expect(() => task.resume()).to.throw(NotPaused);
    task.pause();
    task.resume();
    expect(() => task.resume()).to.throw(NotPaused, /resume\(\) was called on a task that is not paused/);
  });

  it('test_pauseTwice: pauses nest; two pauses need two resumes', function () {
    task.pause();
    scheduler.pump();
    expect(work).to.deep.equal([]);
    task.pause();
    scheduler.pump();
    expect(work).to.deep.equal([]);
    task.resume();
    scheduler.pump();
    expect(work).to.deep.equal([]);
    task.resume();
    scheduler.pump();
    expect(work).to.deep.equal([1]);
  });

  it('test_pauseWhileDeferred: a task paused while waiting needs both the Deferred and resume()', function () {
    doDeferNext = true;
    scheduler.pump();
    expect(work).to.have.length(1);
    expect(work[0]).to.be.instanceOf(Deferred);
    scheduler.pump();
    expect(work).to.have.length(1);
    task.pause();
    scheduler.pump();
    expect(work).to.have.length(1);
    task.resume();
    scheduler.pump();
    expect(work).to.have.length(1);
    (work[0] as Deferred<string>).callback('STUFF!');
    scheduler.pump();
    expect(work).to.have.length(2);
    expect(work[1]).to.equal(2);
  });

  it('test_whenDone: each whenDone() is a new Deferred firing with the iterator', function () {
    const deferred1 = task.whenDone();
    const deferred2 = task.whenDone();
    const results1: unknown[] = [];
    const results2: unknown[] = [];
    const final1: unknown[] = [];
    const final2: unknown[] = [];
    deferred1.addCallback((result) => {
      results1.push(result);
      return 1;
    });
    deferred2.addCallback((result) => {
      results2.push(result);
      return 2;
    });
    deferred1.addCallback((r) => {
      final1.push(r);
    });
    deferred2.addCallback((r) => {
      final2.push(r);
    });
    doStopNext = true;
    scheduler.pump();
    expect(results1).to.have.length(1);
    expect(results2).to.have.length(1);
    expect(results1[0]).to.equal(task._iterator);
    expect(results2[0]).to.equal(task._iterator);
    expect(final1).to.deep.equal([1]);
    expect(final2).to.deep.equal([2]);
  });

  it('test_whenDoneError: whenDone() fails with the iterator\'s error', function () {
    const deferred1 = task.whenDone();
    const results: Failure[] = [];
    deferred1.addErrback((f: Failure) => {
      results.push(f);
    });
    doDieNext = true;
    scheduler.pump();
    expect(results).to.have.length(1);
    expect(results[0].check(UnhandledException)).to.equal(UnhandledException);
  });

  it('test_whenDoneStop: whenDone() fails with TaskStopped after stop()', function () {
    const deferred1 = task.whenDone();
    const errors: Failure[] = [];
    deferred1.addErrback((f: Failure) => {
      errors.push(f);
    });
    task.stop();
    expect(errors).to.have.length(1);
    expect(errors[0].check(TaskStopped)).to.equal(TaskStopped);
  });

  it('test_whenDoneAlreadyDone: whenDone() on a finished task has already fired', function () {
    doStopNext = true;
    scheduler.pump();
    const results: unknown[] = [];
    task.whenDone().addCallback((r) => {
      results.push(r);
    });
    expect(results).to.deep.equal([task._iterator]);
  });

  it('test_stopStops: a stopped task does no more work, and stop() or pause() then throw TaskStopped', function () {
    task.stop();
    scheduler.pump();
    expect(work).to.have.length(0);
    expect(() => task.stop()).to.throw(TaskStopped);
    expect(() => task.pause()).to.throw(TaskStopped);
    scheduler.pump();
    expect(work).to.deep.equal([]);
  });

  it('test_pauseStopResume: resume() on a paused, stopped task does nothing and throws nothing', function () {
    task.pause();
    task.stop();
    task.resume();
    scheduler.pump();
    expect(work).to.deep.equal([]);
  });

  it('test_stopDeferred: a task stopped while waiting stays stopped when the Deferred fires, which it consumes', function () {
    doDeferNext = true;
    scheduler.pump();
    const d = work.pop() as Deferred<unknown>;
    expect(task._pauseCount).to.equal(1);
    const results: unknown[] = [];
    d.addBoth((r) => {
      results.push(r);
    });
    scheduler.pump();
    task.stop();
    scheduler.pump();
    d.callback(7);
    scheduler.pump();
    expect(results).to.deep.equal([undefined]);
    expect(work).to.deep.equal([]);
  });

  it('test_stopExhausted: stop() on an exhausted task throws TaskDone', function () {
    doStopNext = true;
    scheduler.pump();
    expect(() => task.stop()).to.throw(TaskDone);
  });

  it('test_stopErrored: stop() on a failed task throws TaskFailed', function () {
    doDieNext = true;
    scheduler.pump();
    expect(() => task.stop()).to.throw(TaskFailed);
  });

  it('test_stopCooperatorReentrancy: a whenDone() callback may stop the Cooperator; the task has already left it', function () {
    const callbackPhases: unknown[] = [];
    task.whenDone().addCallback((result) => {
      callbackPhases.push(result);
      cooperator.stop();
      callbackPhases.push('done');
    });
    doStopNext = true;
    scheduler.pump();
    expect(callbackPhases).to.deep.equal([task._iterator, 'done']);
  });
});

describe('RunStateTests (twistless additions)', function () {
  it('a yielded Deferred that has already fired resumes the task at the end of the round', function () {
    const s = new FakeScheduler();
    const c = new Cooperator({ scheduler: s.schedule, terminationPredicateFactory: () => () => false });
    const order: string[] = [];
    function* a(): Generator<unknown> {
      order.push('a1');
      yield succeed(1);
      order.push('a2');
    }
    function* b(): Generator<unknown> {
      order.push('b1');
      yield undefined;
      order.push('b2');
    }
    c.coiterate(a());
    c.coiterate(b());
    s.pump();
    // Like Python's list iterator: pausing a removes it (b shifts under the cursor and waits
    // a round), and the resume appends a at the end.
    expect(order).to.deep.equal(['a1', 'a2', 'b1', 'b2']);
  });
});

describe('CooperatorTests (a bad iterator fails its own task only)', function () {
  installLoggedErrorHooks({ beforeEach, afterEach });

  /** An iterator whose next() returns `result()` once, then is exhausted. */
  function badOnce(result: () => unknown): Iterator<unknown> {
    let first = true;
    return {
      next: () => {
        if (!first) return { done: true, value: undefined };
        first = false;
        return result() as IteratorResult<unknown>;
      },
    };
  }

  const boom = (): never => {
    throw new Error('x');
  };
  const bad: [string, () => unknown][] = [
    ['a throwing done getter', () => ({ get done(): boolean { return boom(); }, value: 1 })],
    ['a throwing value getter', () => ({ done: false, get value(): unknown { return boom(); } })],
    ['a step whose then getter throws', () => ({ get then(): unknown { return boom(); }, done: false, value: 1 })],
    ['a value whose then getter throws', () => ({ done: false, value: { get then(): unknown { return boom(); } } })],
    ['a value whose then() throws', () => ({ done: false, value: { then: boom } })],
  ];

  for (const [what, result] of bad) {
    it(`${what}: that task fails with the error, the other tasks of the tick go on and finish`, function () {
      const { clock, coop } = onClock({ terminationPredicateFactory: () => () => false });
      const before = coop.coiterate([1, 2, 3]);
      const badDone = coop.coiterate(badOnce(result));
      const after = coop.coiterate([4, 5, 6]);
      drain(clock);
      expect(failureResultOf(badDone, Error).getErrorMessage()).to.equal('x');
      expect(successResultOf(before)).to.deep.equal([1, 2, 3]);
      expect(successResultOf(after)).to.deep.equal([4, 5, 6]);
      expect(coop._tasks).to.have.length(0);
      // The Cooperator still works afterwards.
      const later = coop.coiterate([7]);
      drain(clock);
      expect(successResultOf(later)).to.deep.equal([7]);
    });
  }

  it('the global Cooperator keeps working after a bad iterator: the bad task fails, a later coiterate([1]) fires', async function () {
    const results: string[] = [];
    const badDone = coiterate(badOnce(bad[0][1]));
    const other = coiterate([1]);
    await badDone.then(
      () => results.push('bad succeeded'),
      (e: unknown) => results.push(`bad failed: ${(e as Error).message}`),
    );
    await other;
    const later = await coiterate([1]);
    expect(later).to.deep.equal([1]);
    expect(results).to.deep.equal(['bad failed: x']);
  });

  it('a throwing termination predicate does not wedge the Cooperator: the tick\'s error goes to the scheduler, and the next tick is scheduled', function () {
    const s = new FakeScheduler();
    let calls = 0;
    const c = new Cooperator({
      scheduler: s.schedule,
      terminationPredicateFactory: () => () => {
        calls++;
        if (calls === 1) throw new Error('predicate');
        return true;
      },
    });
    const d = c.coiterate([1, 2]);
    expect(() => s.pump()).to.throw(Error, 'predicate');
    for (let i = 0; i < 5 && s.work.length > 0; i++) s.pump();
    expect(successResultOf(d)).to.deep.equal([1, 2]);
  });
});

describe('CooperatorTests (return() closes the iterator of a task that will not run again)', function () {
  installLoggedErrorHooks({ beforeEach, afterEach });

  /** A generator that records its steps and its finally. */
  function* recorded(log: string[], n = 10): Generator<number> {
    try {
      for (let i = 0; i < n; i++) {
        log.push(`step ${i}`);
        yield i;
      }
    } finally {
      log.push('finally');
    }
  }

  function oneStepCoop(): { s: FakeScheduler; c: Cooperator } {
    const s = new FakeScheduler();
    return { s, c: new Cooperator({ scheduler: s.schedule, terminationPredicateFactory: () => () => true }) };
  }

  it('CooperativeTask.stop() calls return(): the generator\'s finally runs before whenDone() fails with TaskStopped', function () {
    const { s, c } = oneStepCoop();
    const log: string[] = [];
    const t = c.cooperate(recorded(log));
    t.whenDone().addErrback((f: Failure) => {
      f.trap(TaskStopped);
      log.push('whenDone failed');
    });
    s.pump();
    t.stop();
    expect(log).to.deep.equal(['step 0', 'finally', 'whenDone failed']);
  });

  it('stop() before the first step and stop() of a paused task close the generator too', function () {
    for (const pauseFirst of [false, true]) {
      const { c } = oneStepCoop();
      const log: string[] = [];
      const t = c.cooperate(recorded(log));
      if (pauseFirst) t.pause();
      t.stop();
      // A generator never started has no finally to run; return() ends it so it never runs.
      expect(log).to.deep.equal([]);
      const gen = t._stepper as Generator<number>;
      expect(gen.next()).to.deep.equal({ done: true, value: undefined });
    }
  });

  it('Cooperator.stop() closes every running task\'s generator; a paused one is closed when it is resumed', function () {
    const { s, c } = oneStepCoop();
    const logs: string[][] = [[], [], []];
    const tasks = logs.map((log) => c.cooperate(recorded(log)));
    for (const t of tasks) t.whenDone().addErrback((f: Failure) => f.trap(SchedulerStopped));
    for (let i = 0; i < 3; i++) s.pump();
    tasks[2].pause();
    c.stop();
    expect(logs[0].at(-1)).to.equal('finally');
    expect(logs[1].at(-1)).to.equal('finally');
    expect(logs[2]).to.not.include('finally');
    tasks[2].resume();
    expect(logs[2].at(-1)).to.equal('finally');
  });

  it('coiterate on a stopped Cooperator closes the generator at once', function () {
    const { c } = oneStepCoop();
    c.stop();
    const log: string[] = [];
    const gen = recorded(log);
    const d = c.coiterate(gen);
    failureResultOf(d, SchedulerStopped);
    expect(gen.next()).to.deep.equal({ done: true, value: undefined });
  });

  it('a yielded Deferred that fails closes the generator (its finally runs), and coiterate() fails with the error', function () {
    const { s, c } = oneStepCoop();
    const log: string[] = [];
    const wait = new Deferred<void>();
    function* waits(): Generator<unknown> {
      try {
        log.push('waiting');
        yield wait;
        log.push('resumed');
      } finally {
        log.push('finally');
      }
    }
    const d = c.coiterate(waits());
    s.pump();
    wait.errback(new Error('wait failed'));
    expect(log).to.deep.equal(['waiting', 'finally']);
    expect(failureResultOf(d, Error).getErrorMessage()).to.equal('wait failed');
  });

  it('a task stopped from inside its own step is closed once the step has returned (no "generator is already running")', function () {
    const { s, c } = oneStepCoop();
    const log: string[] = [];
    let task: CooperativeTask | null = null;
    function* selfStopping(): Generator<number> {
      try {
        log.push('step');
        (task as CooperativeTask).stop();
        log.push('after stop');
        yield 1;
        log.push('never');
      } finally {
        log.push('finally');
      }
    }
    task = c.cooperate(selfStopping());
    task.whenDone().addErrback((f: Failure) => f.trap(TaskStopped));
    s.pump();
    expect(log).to.deep.equal(['step', 'after stop', 'finally']);
  });

  it('an iterator exhausted, or whose next() threw, is not closed (the iteration protocol closes only an abandoned iterator)', function () {
    const { s, c } = oneStepCoop();
    let returns = 0;
    const make = (throwAt: number): Iterator<number> => {
      let i = 0;
      return {
        next: () => {
          if (i === throwAt) throw new Error('next threw');
          return i < 2 ? { done: false, value: i++ } : { done: true, value: undefined };
        },
        return: () => {
          returns++;
          return { done: true, value: undefined };
        },
      };
    };
    const ok = c.coiterate(make(-1));
    const failed = c.coiterate(make(1));
    for (let i = 0; i < 10; i++) s.pump();
    successResultOf(ok);
    failureResultOf(failed, Error);
    expect(returns).to.equal(0);
  });

  it('a return() that throws is logged, and the task still finishes with TaskStopped; an iterator without return() is fine', function () {
    const { c } = oneStepCoop();
    const throwing = c.cooperate({ next: () => ({ done: false, value: 1 }), return: () => { throw new Error('return threw'); } });
    const plain = c.cooperate({ next: () => ({ done: false, value: 1 }) });
    const outcomes: string[] = [];
    for (const t of [throwing, plain]) t.whenDone().addErrback((f: Failure) => { f.trap(TaskStopped); outcomes.push('stopped'); });
    throwing.stop();
    plain.stop();
    expect(outcomes).to.have.length(2);
    const logged = flushLoggedErrors(Error);
    expect(logged.map((f) => f.getErrorMessage())).to.deep.equal(['return threw']);
  });
});
