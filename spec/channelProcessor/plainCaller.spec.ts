// When a call made from plain code fires its Deferred (no upstream suite: the article's callers
// were tasklets; plain code raised "Cannot block in reactor task").
import { expect } from 'chai';
import { ChannelProcessor } from '../../lib/channelProcessor/index.js';
import type { Deferred } from '../../lib/defer/index.js';
import { getcurrent, getmain, tasklet } from '../../lib/tasklets/index.js';

describe('ChannelProcessor called from plain code', function () {
  it('fires the Deferred with no tasklet holding the turn, so its callback may call again at once', async function () {
    const cp = new ChannelProcessor((x: number) => x + 1);
    const heldBy: unknown[] = [];
    const chain = (x: number): Deferred<number> | number =>
      x >= 50
        ? x
        : cp.call(x).addCallback((y: number) => {
            heldBy.push(getcurrent());
            return chain(y);
          });
    const last = await (chain(0) as Deferred<number>);
    expect(last).to.equal(50);
    expect(heldBy).to.have.length(50);
    for (const t of heldBy) expect(t).to.equal(getmain());
    await cp.stop();
  });

  it('answers calls made in turn from await continuations (each call waits for the previous reply)', async function () {
    const cp = new ChannelProcessor((x: number) => x * 2);
    let sum = 0;
    for (let i = 0; i < 200; i++) {
      sum += await cp.call(i);
      expect(getcurrent()).to.equal(getmain());
    }
    expect(sum).to.equal(199 * 200);
    expect(await cp.stop()).to.equal(200);
  });

  it('still fires the Deferred when a tasklet keeps the turn in a foreign await after the reply', async function () {
    const cp = new ChannelProcessor((x: number) => x * 3);
    const d = cp.call(5);
    // Runnable after the loop and the call's tasklet: holds the turn across a timer.
    let released = false;
    tasklet(async () => {
      await new Promise((r) => setTimeout(r, 5));
      released = true;
    }).setup();
    expect(await d).to.equal(15);
    await new Promise((r) => setTimeout(r, 10));
    expect(released).to.equal(true);
    await cp.stop();
  });
});
