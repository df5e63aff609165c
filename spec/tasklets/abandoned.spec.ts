// The Waiting's `abandoned` notice (internal: a ChannelProcessor call made by its calling
// tasklet): a tasklet that ends while parked on a Waiting tells it, once, instead of leaving it
// uncalled for ever. No upstream suite: Stackless has no step-by-step bodies.
import { expect } from 'chai';
import { channel, run, schedule, tasklet, type Channel, type Tasklet } from '../../lib/tasklets/index.js';
import { BLOCKED, type Waiting } from '../../lib/tasklets/stepBody.js';
import { channelStep } from '../../lib/tasklets/channel.js';
import { TaskletExit } from '../../lib/tasklets/errors.js';
import { cleanScheduler } from './helpers.js';

type Seen = (string | boolean | unknown)[];

/** A Waiting that records what it is told. */
function recorder(seen: Seen[], withNotice = true): Waiting {
  const w: Waiting = {
    callback: (v: never) => void seen.push(['callback', v]),
    errback: (e: unknown) => void seen.push(['errback', e instanceof TaskletExit ? 'TaskletExit' : e]),
  };
  if (withNotice) w.abandoned = (queued: boolean, value: unknown, failed: boolean) => void seen.push(['abandoned', queued, value, failed]);
  return w;
}

/** A tasklet parked step by step in a receive on `ch`, its body waiting a turn of the event loop meanwhile. */
function parkedReceiver(ch: Channel<number>, seen: Seen[]): Tasklet {
  return tasklet(async () => {
    channelStep(ch as never, -1, undefined, recorder(seen));
    await new Promise<void>((r) => setImmediate(r));
  }).setup();
}

describe('tasklets: a Waiting told its tasklet ended (internal: ChannelProcessor.call from a tasklet)', function () {
  cleanScheduler();

  for (const dir of [-1, 1] as const) {
    const op = dir < 0 ? 'receive' : 'send';
    it(`the body returns while parked in a channel ${op}: told once, queued; the channel holds nobody`, async function () {
      const ch = channel<number>();
      const seen: Seen[] = [];
      const t = tasklet(() => {
        // Parked step by step, and the body returns without waiting for it.
        expect(channelStep(ch as never, dir, 7, recorder(seen))).to.equal(BLOCKED);
      }).setup();
      await run();
      expect(t.alive).to.equal(false);
      expect(seen).to.deep.equal([['abandoned', true, undefined, false]]);
      expect(ch.balance).to.equal(0);
    });
  }

  it('the body ends after its operation completed, before the Waiting was called: told with the value', async function () {
    const ch = channel<number>();
    ch.preference = 0;
    const seen: Seen[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const a = tasklet(async () => {
      expect(channelStep(ch as never, -1, undefined, recorder(seen))).to.equal(BLOCKED);
      await gate;
    }).setup();
    tasklet(async () => {
      await ch.send(5); // neither side preferred: the sender goes on, the receiver is runnable
      release();
      // Holds the turn (a foreign await) while the receiver's body ends.
      await new Promise<void>((r) => setImmediate(r));
    }).setup();
    await run();
    await new Promise<void>((r) => setImmediate(r));
    await run();
    expect(a.alive).to.equal(false);
    expect(seen).to.deep.equal([['abandoned', false, 5, false]]);
  });

  it('a paused tasklet parked with its outcome, rebound: told with the value', async function () {
    const ch = channel<number>();
    ch.preference = 0;
    const seen: Seen[] = [];
    const a = tasklet(async () => {
      expect(channelStep(ch as never, -1, undefined, recorder(seen))).to.equal(BLOCKED);
      await new Promise<void>(() => undefined); // its frame is dropped by the rebind
    });
    a.setup();
    tasklet(async () => {
      await ch.send(6); // the receiver is runnable again, its outcome not yet delivered
      a.remove();
      a.bind(null);
    }).setup();
    await run();
    expect(seen).to.deep.equal([['abandoned', false, 6, false]]);
  });

  it('an operation that completes calls callback, never abandoned', async function () {
    const ch = channel<number>();
    const seen: Seen[] = [];
    const t = parkedReceiver(ch, seen);
    tasklet(async () => {
      await ch.send(3);
    }).setup();
    await run();
    await new Promise<void>((r) => setImmediate(r));
    await run();
    expect(t.alive).to.equal(false);
    expect(seen).to.deep.equal([['callback', 3]]);
  });

  it('a kill while parked goes to errback (the tasklet resumes with it), not to abandoned', async function () {
    const ch = channel<number>();
    const seen: Seen[] = [];
    const t = parkedReceiver(ch, seen);
    await run();
    await t.kill();
    await schedule();
    expect(seen).to.deep.equal([['errback', 'TaskletExit']]);
  });

  it('a Waiting without the notice is left as before', async function () {
    const ch = channel<number>();
    const seen: Seen[] = [];
    const t = tasklet(() => {
      channelStep(ch as never, 1, 1, recorder(seen, false));
    }).setup();
    await run();
    expect(t.alive).to.equal(false);
    expect(seen).to.deep.equal([]);
    expect(ch.balance).to.equal(0);
  });
});
