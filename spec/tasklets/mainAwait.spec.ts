// Main awaiting a blockingTasklet call is main blocking on it (twistless's own rule, as
// `await ch.receive()` from main): a call that can never finish (no runnable tasklet, no run()
// caller, nobody waiting on a promise) fails with the DeadlockError main's own blocking raises.
import { expect } from 'chai';
import { addObserver, removeObserver, type LogEvent } from '../../lib/log/index.js';
import { DeadlockError, blockOn, blockingTasklet, channel, run, schedule, tasklet } from '../../lib/tasklets/index.js';
import { cleanScheduler, tick } from './helpers.js';

async function raised(p: PromiseLike<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  return 'no error';
}

describe('tasklets bridge: main awaiting a blockingTasklet call', function () {
  cleanScheduler();

  it('a call blocked on a channel nobody can send on raises DeadlockError in main, with the report of the blocked call', async function () {
    const ch = channel<number>('never');
    const f = blockingTasklet(async function waiter() {
      return ch.receive();
    });
    const e = await raised(f());
    expect(e).to.be.instanceOf(DeadlockError);
    const d = e as DeadlockError;
    expect(d.message).to.equal('Deadlock: the last runnable tasklet cannot be blocked.');
    expect(d.report).to.contain("<tasklet main> awaits the blockingTasklet call waiter, and it is the last runnable tasklet.");
    expect(d.report).to.match(/<tasklet \d+ 'waiter'> receiving on <channel \d+ 'never'>/);
    expect(d.blocked.map((x) => x.waiting)).to.deep.equal(['receiving']);
    // Sending later completes the orphaned call quietly.
    await ch.send(1);
    await run();
  });

  it('the same when the deadlock comes only after other tasklets have run and blocked', async function () {
    const ch = channel<number>();
    const other = channel<number>();
    tasklet(async () => {
      for (let i = 0; i < 3; i++) await schedule();
      await other.receive();
    }).setup();
    const f = blockingTasklet(async () => {
      await schedule();
      return ch.receive();
    });
    const e = await raised(f());
    expect(e).to.be.instanceOf(DeadlockError);
    expect((e as DeadlockError).blocked.length).to.equal(2);
    await other.send(0);
    await ch.send(0);
    await run();
  });

  it('every call main awaits at once fails (Promise.all)', async function () {
    const ch = channel<number>();
    const f = blockingTasklet(async () => ch.receive());
    const results = await Promise.allSettled([f(), f()]);
    expect(results.map((r) => r.status)).to.deep.equal(['rejected', 'rejected']);
    for (const r of results) expect((r as PromiseRejectedResult).reason).to.be.instanceOf(DeadlockError);
    await ch.send(1);
    await ch.send(2);
    await run();
  });

  it('no deadlock while a tasklet waits on a promise: the call finishes when the timer fires', async function () {
    const f = blockingTasklet(async () => blockOn(new Promise<number>((r) => setTimeout(() => r(7), 20))));
    expect(await f()).to.equal(7);
  });

  it('no deadlock when another tasklet answers the call after a while', async function () {
    const ch = channel<number>();
    tasklet(async () => {
      for (let i = 0; i < 5; i++) await schedule();
      await ch.send(42);
    }).setup();
    const f = blockingTasklet(async () => ch.receive());
    expect(await f()).to.equal(42);
  });

  it('a deadlocked call that fails later, once something sends to it, is reported as an unhandled error, not thrown', async function () {
    const events: LogEvent[] = [];
    const obs = (e: LogEvent) => void events.push(e);
    addObserver(obs);
    try {
      const ch = channel<number>();
      const f = blockingTasklet(async () => {
        await ch.receive();
        throw new RangeError('late');
      });
      expect(await raised(f())).to.be.instanceOf(DeadlockError);
      await ch.send(1);
      await run();
      await tick();
      await tick();
    } finally {
      removeObserver(obs);
    }
    expect(events.some((e) => e.isError && e.failure?.value instanceof RangeError)).to.equal(true);
  });
});
