// A failure whose waiter went away (its caller killed, or woken by an error, while it waited) is
// never lost (twistless's own rule; in the article's bridge it stayed in a Deferred nobody
// listened to): it is reported through the log as an unhandled error, or stays in its Deferred.
import { expect } from 'chai';
import { Deferred } from '../../lib/defer/index.js';
import { isFailure } from '../../lib/failure/index.js';
import { addObserver, removeObserver, type LogEvent } from '../../lib/log/index.js';
import { TaskletExit, blockOn, blockingTasklet, channel, run, tasklet } from '../../lib/tasklets/index.js';
import { cleanScheduler, tick } from './helpers.js';

/** Runs `body` and returns the error events logged meanwhile. */
async function logged(body: () => Promise<void>): Promise<LogEvent[]> {
  const events: LogEvent[] = [];
  const obs = (e: LogEvent) => void (e.isError && events.push(e));
  addObserver(obs);
  try {
    await body();
    await tick();
  } finally {
    removeObserver(obs);
  }
  return events;
}

describe('tasklets bridge: failures whose waiter went away', function () {
  cleanScheduler();

  for (const how of ['killed', 'woken by raiseException'] as const) {
    it(`a blockingTasklet callee that fails after its caller was ${how} is reported as an unhandled error`, async function () {
      const ch = channel<string>();
      const lost = new Error('lost');
      const f = blockingTasklet(async () => {
        await ch.receive();
        throw lost;
      });
      let callerSaw: unknown = null;
      const events = await logged(async () => {
        const caller = tasklet(async () => {
          try {
            await f();
          } catch (e) {
            callerSaw = e;
          }
        }).setup();
        await run();
        expect(caller.blocked).to.equal(true);
        if (how === 'killed') await caller.kill();
        else await caller.raiseException(TypeError, 'go away');
        await ch.send('go');
        await run();
      });
      expect(events).to.have.length(1);
      expect(events[0].failure?.value).to.equal(lost);
      expect(events[0].why).to.equal('Unhandled error in Deferred:');
      expect(callerSaw).to.be.instanceOf(how === 'killed' ? TaskletExit : TypeError);
    });
  }

  it('a callee that returns, or is killed, after its caller was killed reports nothing', async function () {
    for (const end of ['returns', 'killed'] as const) {
      const ch = channel<string>();
      const f = blockingTasklet(async () => {
        await ch.receive();
        return 1;
      });
      const events = await logged(async () => {
        const caller = tasklet(async () => void (await f())).setup();
        await run();
        await caller.kill();
        if (end === 'returns') await ch.send('go');
        else {
          // the callee is the one blocked on ch
          const blocked = ch.queue;
          expect(blocked).to.not.equal(null);
          await blocked?.kill();
        }
        await run();
      });
      expect(events, end).to.have.length(0);
    }
  });

  it('blockOn(Deferred) failing after its waiter was killed: the failure stays in the Deferred, unhandled', async function () {
    const d = new Deferred<number>();
    const t = tasklet(async () => void (await blockOn(d))).setup();
    await run();
    await t.kill();
    const err = new RangeError('later');
    d.errback(err);
    expect(isFailure(d.result)).to.equal(true);
    let seen: unknown = null;
    d.addErrback((f) => {
      seen = f.value;
      return null;
    });
    expect(seen).to.equal(err);
  });

  it('blockOn(promise) rejecting after its waiter was killed is reported as an unhandled error', async function () {
    let reject: (e: unknown) => void = () => undefined;
    const p = new Promise<number>((_res, rej) => (reject = rej));
    const err = new RangeError('later');
    const events = await logged(async () => {
      const t = tasklet(async () => void (await blockOn(p))).setup();
      await run();
      await t.kill();
      reject(err);
      await tick();
    });
    expect(events).to.have.length(1);
    expect(events[0].failure?.value).to.equal(err);
  });
});
