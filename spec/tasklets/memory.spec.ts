// Memory of blocked tasklets (twistless's own rule, as Stackless's collector): nothing
// process-wide holds a blocked tasklet; it is reachable only through what it waits on (its
// channel, the Deferred or promise of its blockOn, the callee of its blockingTasklet call), so
// dropping that frees the tasklet, its body and everything they hold. Needs node --expose-gc
// (set in .mocharc.json).
import { expect } from 'chai';
import { Deferred } from '../../lib/defer/index.js';
import { DeadlockError, blockOn, blockingTasklet, channel, run, tasklet, type Channel, type Tasklet } from '../../lib/tasklets/index.js';
import { cleanScheduler, tick } from './helpers.js';
import { settledHeap } from '../defer/support.js';


/** Blocks `n` tasklets in receive() or send(), half on channels of their own, half on shared ones; returns the channels. */
async function blockMany(n: number, probe: (t: Tasklet) => void): Promise<Channel<number>[]> {
  const channels: Channel<number>[] = [];
  let shared = channel<number>();
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) channels.push(channel<number>());
    else if (i % 100 === 1) channels.push((shared = channel<number>()));
    const ch = i % 2 === 0 ? channels[channels.length - 1] : shared;
    const payload = { i, data: [i, i + 1, i + 2] };
    const t = tasklet(async () => {
      if (i % 4 === 0) await ch.send(payload.i);
      else await ch.receive();
      return payload;
    }).setup();
    if (i === 0) probe(t);
  }
  await run();
  return channels;
}

/** Blocks `n` tasklets in blockOn, on Deferreds (and every tenth on a pending promise) that only the returned array holds. */
async function blockManyOnDeferreds(n: number, probe: (t: Tasklet) => void): Promise<unknown[]> {
  const waited: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const payload = { i, data: [i, i + 1, i + 2] };
    const d: PromiseLike<unknown> = i % 10 === 3 ? new Promise<unknown>((resolve) => waited.push(resolve)) : new Deferred<unknown>();
    if (i % 10 !== 3) waited.push(d);
    const t = tasklet(async () => {
      await blockOn(d);
      return payload;
    }).setup();
    if (i === 0) probe(t);
  }
  await run();
  return waited;
}

/** Blocks `n` tasklets on blockingTasklet calls whose callees wait on channels that only the returned array holds. */
async function blockManyOnCalls(n: number, probe: (t: Tasklet) => void): Promise<Channel<number>[]> {
  const channels: Channel<number>[] = [];
  const wait = blockingTasklet(async (ch: Channel<number>, payload: { i: number }) => (await ch.receive()) + payload.i);
  for (let i = 0; i < n; i++) {
    const ch = channel<number>();
    channels.push(ch);
    const payload = { i, data: [i, i + 1, i + 2] };
    const t = tasklet(async () => {
      await wait(ch, payload);
      return payload;
    }).setup();
    if (i === 0) probe(t);
  }
  await run();
  return channels;
}

describe('tasklets: memory of blocked tasklets', function () {
  cleanScheduler();

  it('100,000 tasklets blocked on channels nobody can reach are collected: the heap goes back to its baseline', async function () {
    this.timeout(120000);
    const base = await settledHeap();
    let probe: WeakRef<Tasklet> | null = null;
    const keep: { channels: Channel<number>[] | null } = { channels: await blockMany(100000, (t) => (probe = new WeakRef(t))) };
    const held = (await settledHeap()) - base;
    expect(keep.channels?.length).to.be.greaterThan(50000);
    expect((probe as WeakRef<Tasklet> | null)?.deref()?.blocked).to.equal(true);
    keep.channels = null;
    const left = (await settledHeap()) - base;
    expect((probe as WeakRef<Tasklet> | null)?.deref()).to.equal(undefined);
    // Blocked, they held tens of megabytes; dropped, a few percent of that is left (allocator noise).
    expect(held).to.be.greaterThan(20e6);
    expect(left, `held ${held} bytes, ${left} left`).to.be.lessThan(held / 10);
  });

  for (const n of [1, 3, 40]) {
    for (const how of ['run()', 'the automatic turn', 'a tasklet that goes on running'] as const) {
      it(`${n} tasklet(s) blocked on channels of their own, run by ${how}, are collected once nobody can reach the channels`, async function () {
        const probes: WeakRef<Tasklet>[] = [];
        let channels: Channel<number>[] | null = [];
        for (let i = 0; i < n; i++) {
          const ch = channel<number>();
          channels.push(ch);
          probes.push(new WeakRef(tasklet(async () => void (await ch.receive())).setup()));
        }
        let other: Tasklet | null = null;
        let stop = false;
        if (how === 'a tasklet that goes on running') {
          other = tasklet(async () => {
            while (!stop) await blockOn(new Promise((r) => setImmediate(r)));
          }).setup();
        }
        if (how === 'the automatic turn') await tick();
        else await run();
        expect(probes.every((p) => p.deref()?.blocked === true)).to.equal(true);
        channels = null;
        await settledHeap();
        const left = probes.filter((p) => p.deref() !== undefined).length;
        stop = true;
        if (other !== null) for (let k = 0; k < 100 && other.alive; k++) await tick();
        expect(channels).to.equal(null);
        expect(left, `${left} of ${n} blocked tasklets still held`).to.equal(0);
      });
    }
  }

  it('round after round, unreachable blocked tasklets do not accumulate', async function () {
    this.timeout(120000);
    await blockMany(20000, () => undefined);
    const first = await settledHeap();
    for (let r = 0; r < 4; r++) await blockMany(20000, () => undefined);
    const last = await settledHeap();
    expect(last - first).to.be.lessThan(5e6);
  });

  it('100,000 tasklets blocked in blockOn on Deferreds and promises nobody can reach are collected: the heap goes back to its baseline', async function () {
    this.timeout(120000);
    const base = await settledHeap();
    let probe: WeakRef<Tasklet> | null = null;
    const keep: { waited: unknown[] | null } = { waited: await blockManyOnDeferreds(100000, (t) => (probe = new WeakRef(t))) };
    const held = (await settledHeap()) - base;
    expect(keep.waited?.length).to.equal(100000);
    expect((probe as WeakRef<Tasklet> | null)?.deref()?.blocked).to.equal(true);
    keep.waited = null;
    const left = (await settledHeap()) - base;
    expect((probe as WeakRef<Tasklet> | null)?.deref()).to.equal(undefined);
    expect(held).to.be.greaterThan(20e6);
    expect(left, `held ${held} bytes, ${left} left`).to.be.lessThan(held / 10);
  });

  it('100,000 tasklets blocked on blockingTasklet calls whose callees wait on unreachable channels are collected, callers and callees', async function () {
    this.timeout(120000);
    const base = await settledHeap();
    let probe: WeakRef<Tasklet> | null = null;
    const keep: { channels: Channel<number>[] | null } = { channels: await blockManyOnCalls(100000, (t) => (probe = new WeakRef(t))) };
    const held = (await settledHeap()) - base;
    expect((probe as WeakRef<Tasklet> | null)?.deref()?.blocked).to.equal(true);
    keep.channels = null;
    const left = (await settledHeap()) - base;
    expect((probe as WeakRef<Tasklet> | null)?.deref()).to.equal(undefined);
    expect(held).to.be.greaterThan(40e6);
    expect(left, `held ${held} bytes, ${left} left`).to.be.lessThan(held / 10);
  });

  it('round after round, unreachable tasklets blocked in blockOn do not accumulate', async function () {
    this.timeout(120000);
    await blockManyOnDeferreds(20000, () => undefined);
    const first = await settledHeap();
    for (let r = 0; r < 4; r++) await blockManyOnDeferreds(20000, () => undefined);
    const last = await settledHeap();
    expect(last - first).to.be.lessThan(5e6);
  });

  it('once the tasklets waiting in blockOn on unreachable Deferreds are collected, main blocking on a channel is a deadlock again', async function () {
    const kept = channel<number>('kept');
    const a = tasklet(async function a() {
      await kept.receive();
    }).setup();
    await run();
    await blockManyOnDeferreds(1000, () => undefined);
    await blockManyOnCalls(1000, () => undefined);
    await settledHeap();
    let error: unknown = null;
    try {
      await channel<number>('nobody').receive();
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(DeadlockError);
    const d = error as DeadlockError;
    expect(d.blocked.map((x) => x.tasklet)).to.deep.equal([a]);
    expect(d.report).to.contain('Blocked tasklets (1):');
    await kept.send(1);
    await run();
  });

  it('a tasklet waiting in blockOn on a Deferred that can still fire is no deadlock, with collected waiters around it', async function () {
    const gate = new Deferred<number>();
    const ch = channel<number>('late');
    const waiter = tasklet(async function waiter() {
      await ch.send(await blockOn(gate));
    }).setup();
    await run();
    await blockManyOnDeferreds(1000, () => undefined);
    await settledHeap();
    setImmediate(() => gate.callback(5));
    expect(await ch.receive()).to.equal(5);
    await run();
    expect(waiter.alive).to.equal(false);
  });

  it('deadlock reports still list every blocked tasklet that can be reached, in the order they blocked', async function () {
    const kept = channel<number>('kept');
    const other = channel<number>('other');
    const a = tasklet(async function a() {
      await kept.receive();
    }).setup();
    const b = tasklet(async function b() {
      await other.send(1);
    }).setup();
    const c = tasklet(async function c() {
      await kept.receive();
    }).setup();
    await run();
    await blockMany(1000, () => undefined);
    await settledHeap();
    let error: unknown = null;
    try {
      await channel<number>().receive();
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(DeadlockError);
    const d = error as DeadlockError;
    expect(d.blocked.map((x) => x.tasklet)).to.deep.equal([a, b, c]);
    expect(d.blocked.map((x) => x.waiting)).to.deep.equal(['receiving', 'sending', 'receiving']);
    expect(d.report).to.contain('Blocked tasklets (3):');
    await kept.send(1);
    await kept.send(2);
    await other.receive();
    await run();
  });
});
