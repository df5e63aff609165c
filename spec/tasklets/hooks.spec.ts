// Port of the portable parts of test_sched_cb.py / test_chan_cb.py (Stackless 3.7), plus the
// JavaScript-side details: each setter returns the previous callback; a throwing callback is
// reported through log.err and ignored.
import { expect } from 'chai';
import { addObserver, removeObserver, type LogEvent } from '../../lib/log/index.js';
import {
  channel,
  getChannelCallback,
  getScheduleCallback,
  getmain,
  run,
  setChannelCallback,
  setScheduleCallback,
  tasklet,
  type Tasklet,
} from '../../lib/tasklets/index.js';
import { cleanScheduler } from './helpers.js';

describe('tasklets hooks', function () {
  cleanScheduler();

  it('setScheduleCallback returns the previous one; for one tasklet under run() it sees main->t and t->main', async function () {
    const seen: [Tasklet | null, Tasklet | null][] = [];
    const cb = (p: Tasklet | null, n: Tasklet | null) => void seen.push([p, n]);
    expect(setScheduleCallback(cb)).to.equal(null);
    expect(getScheduleCallback()).to.equal(cb);
    const t = tasklet(async () => undefined).setup();
    await run();
    expect(setScheduleCallback(null)).to.equal(cb);
    expect(seen).to.deep.equal([
      [getmain(), t],
      [t, getmain()],
    ]);
  });

  it('setChannelCallback sees (receiver, receiving, will block) then (main, sending, will not block), tempval the value', async function () {
    const seen: unknown[][] = [];
    const cb = (ch: unknown, t: Tasklet, sending: boolean, willBlock: boolean) => void seen.push([t, sending, willBlock, sending ? t.tempval : null]);
    expect(setChannelCallback(cb)).to.equal(null);
    expect(getChannelCallback()).to.equal(cb);
    const ch = channel<number>();
    const r = tasklet(async () => void (await ch.receive())).setup();
    await run();
    await ch.send(9);
    await run();
    expect(setChannelCallback(null)).to.equal(cb);
    expect(seen).to.deep.equal([
      [r, false, true, null],
      [getmain(), true, false, 9],
    ]);
  });

  it('a throwing callback is reported through log.err and ignored; a channel operation inside the channel callback is refused', async function () {
    const events: LogEvent[] = [];
    const obs = (e: LogEvent) => void events.push(e);
    addObserver(obs);
    let inner: unknown = null;
    const ch = channel<number>();
    try {
      setScheduleCallback(() => {
        throw new Error('schedule cb');
      });
      setChannelCallback((c) => {
        (c as typeof ch).send(1).catch((e: unknown) => (inner = e));
        throw new Error('channel cb');
      });
      tasklet(async () => void (await ch.receive())).setup();
      await run();
      await ch.send(2);
      await run();
    } finally {
      removeObserver(obs);
    }
    expect(events.some((e) => String(e.why).includes('schedule callback'))).to.equal(true);
    expect(events.some((e) => String(e.why).includes('channel callback'))).to.equal(true);
    expect((inner as Error).message).to.equal('Recursive channel call due to callbacks!');
    expect(ch.balance).to.equal(0);
  });
});
