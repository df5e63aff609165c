// Calls nested without limit (twistless's own rule; Stackless has no depth limit): a
// blockingTasklet or deferredTasklet call made inside another, tens of thousands deep, gives the
// right result. The synchronous start of a call runs on top of its caller's JavaScript stack up
// to a bounded depth; deeper, the scheduler starts the new tasklet next.
import { expect } from 'chai';
import type { Deferred } from '../../lib/defer/index.js';
import { blockOn, blockingTasklet, channel, deferredTasklet, run, schedule, tasklet } from '../../lib/tasklets/index.js';
import { cleanScheduler } from './helpers.js';

type Depth = (n: number) => Promise<number> | Deferred<number>;

describe('tasklets bridge: nested calls', function () {
  cleanScheduler();

  for (const depth of [1500, 10000, 100000]) {
    it(`blockingTasklet calls nested ${depth} deep from a tasklet return the right result`, async function () {
      this.timeout(120000);
      const f: Depth = blockingTasklet(async (n: number): Promise<number> => (n === 0 ? 0 : 1 + (await f(n - 1))));
      let out: unknown = null;
      tasklet(async () => {
        out = await f(depth);
      }).setup();
      await run();
      expect(out).to.equal(depth);
    });
  }

  it('blockingTasklet calls nested 10,000 deep, called from main, whose innermost call blocks on a channel', async function () {
    this.timeout(60000);
    const ch = channel<number>();
    const f: Depth = blockingTasklet(async (n: number): Promise<number> => (n === 0 ? ch.receive() : 1 + (await f(n - 1))));
    const d = f(10000) as Deferred<number>;
    tasklet(async () => {
      await ch.send(5);
    }).setup();
    expect(await d).to.equal(10005);
  });

  it('blockingTasklet calls nested 10,000 deep where every level schedules before and after its call', async function () {
    this.timeout(60000);
    const f: Depth = blockingTasklet(async (n: number): Promise<number> => {
      await schedule();
      const r = n === 0 ? 0 : 1 + (await f(n - 1));
      await schedule();
      return r;
    });
    let out: unknown = null;
    tasklet(async () => {
      out = await f(10000);
    }).setup();
    await run();
    expect(out).to.equal(10000);
  });

  it('deferredTasklet calls nested 10,000 deep, each waiting on the next in blockOn', async function () {
    this.timeout(60000);
    const g = deferredTasklet(async (n: number): Promise<number> => (n === 0 ? 0 : 1 + (await blockOn(g(n - 1)))));
    let out: unknown = null;
    tasklet(async () => {
      out = await blockOn(g(10000));
    }).setup();
    await run();
    expect(out).to.equal(10000);
  });

  it('a failure 10,000 deep reaches the outermost caller', async function () {
    this.timeout(60000);
    const f: Depth = blockingTasklet(async (n: number): Promise<number> => {
      if (n === 0) throw new RangeError('at the bottom');
      return 1 + (await f(n - 1));
    });
    let out: unknown = null;
    tasklet(async () => {
      try {
        await f(10000);
      } catch (e) {
        out = e;
      }
    }).setup();
    await run();
    expect(out).to.be.instanceOf(RangeError);
    expect((out as Error).message).to.equal('at the bottom');
  });
});
