// When a call made from plain code fires its Deferred (no upstream suite: the article's callers
// were tasklets; plain code raised "Cannot block in reactor task").
import { expect } from 'chai';
import { ChannelProcessor } from '../../lib/channelProcessor/index.js';
import { Deferred } from '../../lib/defer/index.js';
import { blockOn, getcurrent, getmain, tasklet } from '../../lib/tasklets/index.js';
import { turns } from './helpers.js';

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

  it('awaiting the call is main blocking on it: with only step-by-step tasklets runnable the reply comes inside the await', async function () {
    const cp = new ChannelProcessor((x: number) => x * 7);
    await null; // from here on this code runs in a microtask: a nextTick waits for the queue to drain
    let ticked = false;
    process.nextTick(() => (ticked = true));
    expect(await cp.call(6)).to.equal(42);
    // No event-loop turn was needed: the loop and the call's tasklet ran inside the await.
    expect(ticked).to.equal(false);
    expect(getcurrent()).to.equal(getmain());
    expect(await cp.stop()).to.equal(1);
  });

  it('the tasklets main runs while it awaits a call stop short of any async tasklet: that one waits for the automatic turn', async function () {
    const signal = new Deferred<string>();
    const seen: string[] = [];
    tasklet(async function listener() {
      seen.push(`listener got ${await blockOn(signal)} as ${String(getcurrent().label)}`);
    }).setup();
    await turns(1); // the listener now waits in blockOn
    const cp = new ChannelProcessor((x: number) => {
      signal.callback(`event ${x}`); // makes the listener (an async tasklet) runnable: it must not run inside main's await
      return x;
    });
    await null;
    const plain = new Set<string>();
    // Plain code running in microtasks meanwhile: it must never see a tasklet holding the turn.
    let p: Promise<unknown> = Promise.resolve();
    for (let i = 0; i < 20; i++) p = p.then(() => plain.add(String(getcurrent())));
    expect(await cp.call(1)).to.equal(1);
    await p;
    expect(getcurrent()).to.equal(getmain());
    await turns(2);
    expect(seen).to.deep.equal(['listener got event 1 as listener']);
    expect([...plain]).to.deep.equal(['<tasklet main>']);
    expect(await cp.stop()).to.equal(1);
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
    // The tasklet's own timer still ends its wait (bounded: a loaded machine delays timers).
    for (let i = 0; i < 400 && !released; i++) await new Promise((r) => setTimeout(r, 5));
    expect(released).to.equal(true);
    await cp.stop();
  });
});
