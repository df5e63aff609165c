// Scale: many calls in flight at once, from tasklets and from plain code. Each call tasklet runs
// step by step (no async frame) and a blocked caller waits on a Deferred: the scheduler delivers
// both from a flat loop, so call tasklets handing the turn to one another never deepen the stack.
import { expect } from 'chai';
import { ChannelProcessor } from '../../lib/channelProcessor/index.js';
import { NO_KWARGS } from '../../lib/channelProcessor/request.js';
import type { Deferred } from '../../lib/defer/index.js';
import { channel, getruncount, run, tasklet } from '../../lib/tasklets/index.js';

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

describe('tasklet end hooks attached on the first resumption (memory of blocked tasklets)', function () {
  it('a tasklet resumed during its own synchronous start (by a step-by-step loop) still ends when its body returns', async function () {
    const cp = new ChannelProcessor((x: number) => x + 1);
    const reply = channel<unknown>();
    let got: unknown = null;
    // Its first operation hands the request to the processor's loop, which runs at once (step by
    // step), answers on `reply` and gives the turn back before the body has even returned.
    const t = tasklet(async function rawClient() {
      await cp.channel.send([reply, [41], NO_KWARGS]);
      got = await reply.receive();
    }).setup();
    await run();
    expect(got).to.equal(42);
    expect(t.alive).to.equal(false);
    expect(getruncount()).to.equal(1);
    expect(await cp.stop()).to.equal(1);
  });

  it('a tasklet blocked from its first operation ends normally once woken, by a value or by kill()', async function () {
    const ch = channel<number>();
    const done: string[] = [];
    const a = tasklet(async function first() {
      done.push(`a got ${await ch.receive()}`);
    }).setup();
    const b = tasklet(async function second() {
      try {
        await ch.receive();
      } finally {
        done.push('b finally');
      }
    }).setup();
    await run();
    expect(a.blocked && b.blocked).to.equal(true);
    await ch.send(7);
    await run();
    await b.kill();
    expect(done).to.deep.equal(['a got 7', 'b finally']);
    expect(a.alive || b.alive).to.equal(false);
    expect(getruncount()).to.equal(1);
  });
});
