// Scale: many calls in flight at once, from tasklets and from plain code. Each call tasklet runs
// step by step (no async frame) and a blocked caller waits on a Deferred: the scheduler delivers
// both from a flat loop, so call tasklets handing the turn to one another never deepen the stack.
import { expect } from 'chai';
import { ChannelProcessor } from '../../lib/channelProcessor/index.js';
import type { Deferred } from '../../lib/defer/index.js';
import { getruncount, run, tasklet } from '../../lib/tasklets/index.js';

const N = 30_000;

describe('ChannelProcessor at scale (the flat delivery loop)', function () {
  this.timeout(20_000);

  it(`${N.toLocaleString('en-US')} tasklets each awaiting a call: every reply right, no stack growth`, async function () {
    const cp = new ChannelProcessor((x: number) => x * 2);
    const got = new Array<number>(N).fill(-1);
    for (let i = 0; i < N; i++) {
      tasklet(async () => {
        got[i] = await cp.call(i);
      }).setup();
    }
    // The call tasklets queue up behind one another: each resumes from its request, finds no
    // reply yet and blocks, handing the turn straight to the next one, N times in a row.
    await run();
    expect(got.every((v, i) => v === 2 * i)).to.equal(true);
    expect(getruncount()).to.equal(1);
    expect(await cp.stop()).to.equal(N);
  });

  it(`${N.toLocaleString('en-US')} calls from plain code at once: every Deferred fires with its reply`, async function () {
    const cp = new ChannelProcessor((x: number) => x + 1);
    const ds: Deferred<number>[] = [];
    for (let i = 0; i < N; i++) ds.push(cp.call(i));
    const got = await Promise.all(ds);
    expect(got.every((v, i) => v === i + 1)).to.equal(true);
    expect(await cp.stop()).to.equal(N);
  });
});
