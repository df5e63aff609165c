// The JavaScript side of the model: the automatic event-loop turn,
// main's settled awaits, foreign awaits, where uncaught errors go, deadlocks and their reports.
import { expect } from 'chai';
import { addObserver, removeObserver, type LogEvent } from '../../lib/log/index.js';
import {
  DeadlockError,
  RuntimeError,
  TaskletExit,
  ValueError,
  blockOn,
  channel,
  getcurrent,
  getmain,
  getruncount,
  run,
  schedule,
  scheduleRemove,
  tasklet,
} from '../../lib/tasklets/index.js';
import { cleanScheduler, tick } from './helpers.js';

describe('tasklets scheduler: main and the event loop', function () {
  cleanScheduler();

  it("main's awaits of settled promises let no tasklet run (the automatic turn is a macrotask)", async function () {
    const log: string[] = [];
    for (let i = 0; i < 5; i++) tasklet(async () => void log.push(`t${i}`)).setup();
    for (let i = 0; i < 1000; i++) {
      await null;
      await Promise.resolve(i);
      await new Promise<void>((resolve) => resolve());
      queueMicrotask(() => undefined);
    }
    expect(log).to.deep.equal([]);
    expect(getruncount()).to.equal(6);
    await tick();
    expect(log).to.deep.equal(['t0', 't1', 't2', 't3', 't4']);
  });

  it('the automatic turn is a macrotask: every microtask and tick of plain code runs first, and a setImmediate queued before', async function () {
    const log: string[] = [];
    setImmediate(() => log.push('immediate queued first'));
    tasklet(async () => {
      log.push('tasklet');
    }).setup();
    // Plain code keeps the microtask queue busy in two chains: the tasklet waits for both.
    const chain = async (name: string): Promise<void> => {
      for (let i = 0; i < 50; i++) await null;
      log.push(name);
    };
    void chain('chain a');
    process.nextTick(() => log.push('plain nextTick'));
    await chain('chain b');
    expect(log).to.deep.equal(['plain nextTick', 'chain a', 'chain b']);
    await tick();
    expect(log).to.deep.equal(['plain nextTick', 'chain a', 'chain b', 'immediate queued first', 'tasklet']);
    // A setImmediate queued after the tasklet was made runnable comes after the turn.
    const later: string[] = [];
    tasklet(async () => void later.push('tasklet')).setup();
    setImmediate(() => later.push('immediate queued after'));
    await tick();
    await tick();
    expect(later).to.deep.equal(['tasklet', 'immediate queued after']);
  });

  it('a tasklet started from plain code runs on the next turn of the event loop, in Stackless order', async function () {
    const log: string[] = [];
    const ch = channel<number>();
    tasklet(async () => {
      for (let i = 0; i < 3; i++) log.push(`got ${await ch.receive()}`);
    }).setup();
    tasklet(async () => {
      for (let i = 0; i < 3; i++) await ch.send(i);
      log.push('sent all');
    }).setup();
    await tick();
    expect(log).to.deep.equal(['got 0', 'got 1', 'got 2', 'sent all']);
    expect(getcurrent()).to.equal(getmain());
  });

  it('getcurrent() is the very object tasklet(fn) returned; getmain() outside any tasklet', async function () {
    let seen: unknown = null;
    const t = tasklet(async () => {
      seen = getcurrent();
    }).setup();
    expect(getcurrent()).to.equal(getmain());
    expect(getmain().isMain).to.equal(true);
    await run();
    expect(seen).to.equal(t);
    expect(t.isCurrent).to.equal(false);
  });

  it('a foreign await holds the turn: no other tasklet runs until the tasklet reaches a tasklet operation', async function () {
    const log: string[] = [];
    tasklet(async () => {
      log.push('a1');
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.push('a2');
      await schedule();
      log.push('a3');
    }).setup();
    tasklet(async () => {
      log.push('b1');
    }).setup();
    await run();
    expect(log).to.deep.equal(['a1', 'a2', 'b1', 'a3']);
  });

  it('blockOn(promise) lets the others run while waiting, then resumes the tasklet in its turn', async function () {
    const log: string[] = [];
    tasklet(async () => {
      log.push('a1');
      const v = await blockOn(new Promise<string>((resolve) => setTimeout(() => resolve('late'), 5)));
      log.push(`a2 ${v}`);
    }).setup();
    tasklet(async () => {
      log.push('b1');
      await schedule();
      log.push('b2');
    }).setup();
    await run();
    expect(log).to.deep.equal(['a1', 'b1', 'b2']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(log).to.deep.equal(['a1', 'b1', 'b2', 'a2 late']);
  });

  it('run() returns when every other tasklet is blocked; later sends resume them (balance -2)', async function () {
    const ch = channel<number>();
    const got: number[] = [];
    tasklet(async () => void got.push(await ch.receive())).setup();
    tasklet(async () => void got.push(await ch.receive())).setup();
    await run();
    expect(ch.balance).to.equal(-2);
    await ch.send(1);
    await ch.send(2);
    await run();
    expect(got).to.deep.equal([1, 2]);
  });

  it('nested run(): the inner caller wakes first when the ring empties', async function () {
    const log: string[] = [];
    tasklet(async () => {
      tasklet(async () => {
        log.push('inner');
        await schedule();
        log.push('inner2');
      }).setup();
      await run();
      log.push('outer after run');
    }).setup();
    await run();
    expect(log).to.deep.equal(['inner', 'inner2', 'outer after run']);
  });
});

describe('tasklets scheduler: uncaught errors', function () {
  cleanScheduler();

  it('an uncaught error rejects main\'s run(); the other runnables stay queued (G1.0 B, then G2.0 G1.1 G2.1)', async function () {
    const log: string[] = [];
    const g = (name: string) => async () => {
      for (let i = 0; i < 2; i++) {
        log.push(`${name}.${i}`);
        await schedule();
      }
    };
    tasklet(g('G1')).setup();
    tasklet(async () => {
      log.push('B');
      throw new RangeError('division by zero');
    }).setup();
    tasklet(g('G2')).setup();
    let caught: unknown = null;
    await run().catch((e: unknown) => (caught = e));
    expect(caught).to.be.instanceOf(RangeError);
    expect(log.join(' ')).to.equal('G1.0 B');
    expect(getruncount()).to.equal(3);
    await run();
    expect(log.join(' ')).to.equal('G1.0 B G2.0 G1.1 G2.1');
  });

  it('an uncaught error is raised out of the receive() main is blocked in, and main leaves the channel', async function () {
    const ch = channel<number>();
    tasklet(async () => {
      await schedule();
      throw new Error('boom');
    }).setup();
    let caught: unknown = null;
    await ch.receive().catch((e: unknown) => (caught = e));
    expect((caught as Error).message).to.equal('boom');
    expect(ch.balance).to.equal(0);
  });

  it('TaskletExit dies silently', async function () {
    tasklet(async () => {
      throw new TaskletExit();
    }).setup();
    await run();
  });

  it('an error during the automatic turn (nobody awaiting) is reported through log.err', async function () {
    const events: LogEvent[] = [];
    const obs = (e: LogEvent) => void events.push(e);
    addObserver(obs);
    try {
      tasklet(async () => {
        throw new Error('nobody listens');
      }).setup();
      await tick();
    } finally {
      removeObserver(obs);
    }
    expect(events.length).to.equal(1);
    expect(events[0].isError).to.equal(true);
    expect(String(events[0].why)).to.match(/Unhandled error in tasklet/);
  });
});

describe('tasklets scheduler: deadlocks', function () {
  cleanScheduler();

  it('main receiving with nothing else runnable: Stackless\'s text, and a report naming the blocked tasklets and channels', async function () {
    const jobs = channel<number>('jobs');
    const w = tasklet(async function worker() {
      await jobs.send(1);
    }).setup();
    await run();
    const replies = channel<number>('replies');
    let err: unknown = null;
    await replies.receive().catch((e: unknown) => (err = e));
    expect(err).to.be.instanceOf(DeadlockError);
    expect(err).to.be.instanceOf(RuntimeError);
    const d = err as DeadlockError;
    expect(d.message).to.equal('Deadlock: the last runnable tasklet cannot be blocked.');
    expect(d.blocked).to.deep.equal([{ tasklet: w, channel: jobs, waiting: 'sending' }]);
    expect(d.report).to.contain("<tasklet main> tried to receive from <channel");
    expect(d.report).to.contain(`<tasklet ${w.id} 'worker'> sending on <channel ${jobs.id} 'jobs'>`);
    expect(d.stack).to.contain('Blocked tasklets (1):');
    expect(replies.balance).to.equal(0);
    await jobs.receive();
  });

  it('main blocked receiving and the last tasklet ends: "the main tasklet is receiving without a sender available."', async function () {
    const ch = channel<number>();
    tasklet(async () => undefined).setup();
    let err: unknown = null;
    await ch.receive().catch((e: unknown) => (err = e));
    expect((err as Error).message).to.equal('the main tasklet is receiving without a sender available.');
    expect(ch.balance).to.equal(0);
  });

  it('main blocked sending and the last tasklet ends: "the main tasklet is sending without a receiver available."', async function () {
    const ch = channel<number>();
    tasklet(async () => undefined).setup();
    let err: unknown = null;
    await ch.send(1).catch((e: unknown) => (err = e));
    expect((err as Error).message).to.equal('the main tasklet is sending without a receiver available.');
  });

  it('a tasklet blocking while main is blocked gets "Deadlock" itself; uncaught, it then reaches main', async function () {
    const a = channel<number>();
    const b = channel<number>();
    let inTasklet: unknown = null;
    tasklet(async () => {
      try {
        await b.receive();
      } catch (e) {
        inTasklet = e;
        throw e;
      }
    }).setup();
    let inMain: unknown = null;
    await a.receive().catch((e: unknown) => (inMain = e));
    expect(inTasklet).to.be.instanceOf(DeadlockError);
    expect(inMain).to.equal(inTasklet);
    expect((inMain as DeadlockError).blocked.map((x) => x.tasklet)).to.deep.equal([getmain()]);
  });

  it('closed channel: only an operation that would block fails, with ValueError, and balance stays right', async function () {
    const ch = channel<number>();
    tasklet(async () => await ch.send(1)).setup();
    tasklet(async () => await ch.send(2)).setup();
    await run();
    ch.close();
    expect([ch.closing, ch.closed]).to.deep.equal([true, false]);
    expect(await ch.receive()).to.equal(1);
    expect(await ch.receive()).to.equal(2);
    expect(ch.closed).to.equal(true);
    let err: unknown = null;
    await ch.receive().catch((e: unknown) => (err = e));
    expect(err).to.be.instanceOf(ValueError);
    expect((err as Error).message).to.equal('Send/receive operation on a closed channel');
    expect(ch.balance).to.equal(0);
    await run();
  });

  it('scheduleRemove as the last runnable while main is blocked raises Deadlock in the tasklet', async function () {
    const ch = channel<number>();
    let seen: unknown = null;
    tasklet(async () => {
      await scheduleRemove().catch((e: unknown) => (seen = e));
      await ch.send(0);
    }).setup();
    expect(await ch.receive()).to.equal(0);
    expect(seen).to.be.instanceOf(DeadlockError);
  });
});
