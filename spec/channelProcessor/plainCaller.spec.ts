// When a call made from plain code fires its Deferred (no upstream suite: the article's callers
// were tasklets; plain code raised "Cannot block in reactor task").
import { expect } from 'chai';
import { ChannelProcessor, ChannelProcessorStopped } from '../../lib/channelProcessor/index.js';
import { CancelledError, Deferred, fail, succeed } from '../../lib/defer/index.js';
import { Failure } from '../../lib/failure/index.js';
import { TaskletExit, blockOn, deferredTasklet, getcurrent, getmain, run, setChannelCallback, setScheduleCallback, tasklet, type Tasklet } from '../../lib/tasklets/index.js';
import { logged, outcome, runUntil, turns, type Outcome } from './helpers.js';

/** The id the next tasklet made will get: two readings that differ by one mean no tasklet was made between them. */
function nextTaskletId(): number {
  return tasklet(() => undefined).id;
}

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

  describe('to a loop waiting in its receive, main holding the turn alone: no tasklet of its own', function () {
    const boom = new RangeError('boom');
    const cases: [string, () => unknown, Outcome][] = [
      ['a value', () => 7, { ok: true, value: 7 }],
      ['undefined', () => undefined, { ok: true, value: undefined }],
      ['a thrown error', () => {
        throw boom;
      }, { ok: false, error: boom }],
      ['a thrown non-Error value', () => {
        throw 'text';
      }, { ok: false, error: 'text' }],
      ['a returned Failure', () => new Failure(boom), { ok: false, error: boom }],
      ['a fired Deferred', () => succeed(8), { ok: true, value: 8 }],
      ['a failed Deferred', () => fail(boom), { ok: false, error: boom }],
    ];
    for (const [what, act, expected] of cases) {
      it(`answers inside call() for an action whose outcome is there when it returns (${what}): the Deferred has fired when call() returns`, async function () {
        const ran: (Tasklet | null)[] = [];
        const cp = new ChannelProcessor(() => {
          ran.push(getcurrent());
          return act();
        });
        const before = nextTaskletId();
        const d = cp.call();
        const after = nextTaskletId();
        expect(d.called).to.equal(true);
        // The request went on the channel and the loop ran the action, in its own tasklet.
        expect(ran).to.have.length(1);
        expect(ran[0]).to.not.equal(getmain());
        expect(after - before).to.equal(1);
        expect(getcurrent()).to.equal(getmain());
        expect(cp.channel.balance).to.equal(-1);
        expect(await outcome(d)).to.deep.equal(expected);
        expect(await cp.stop()).to.equal(1);
      });
    }

    it('a callback that calls again, 100,000 times in a row: no stack overflow, every call answered in order', async function () {
      const cp = new ChannelProcessor((x: number) => x + 1);
      const done = new Deferred<number>();
      let firedAtOnce = 0;
      const next = (i: number): void => {
        if (i === 100_000) {
          done.callback(i);
          return;
        }
        const d = cp.call(i);
        if (d.called) firedAtOnce++;
        d.addCallback((v: number) => next(v)).addErrback((f: Failure) => done.errback(f));
      };
      next(0);
      expect(await done).to.equal(100_000);
      // Most are answered inside call(); a few, deep in one synchronous stretch, a microtask later.
      expect(firedAtOnce).to.be.greaterThan(90_000);
      expect(firedAtOnce).to.be.lessThan(100_000);
      expect(await cp.stop()).to.equal(100_000);
    });

    it('many calls made in one synchronous stretch: all answered in order; the first inside call(), the last ones once the stack has unwound', async function () {
      const seen: number[] = [];
      const cp = new ChannelProcessor((x: number) => {
        seen.push(x);
        return -x;
      });
      await null;
      const ds: Deferred<number>[] = [];
      for (let i = 0; i < 1000; i++) ds.push(cp.call(i));
      expect(seen).to.have.length(1000);
      expect(ds[0].called).to.equal(true);
      expect(ds[999].called).to.equal(false);
      const got = await Promise.all(ds);
      expect(got).to.deep.equal(seen.map((x) => -x));
      expect(seen).to.deep.equal([...Array(1000).keys()]);
      expect(await cp.stop()).to.equal(1000);
    });

    it('an action that raises TaskletExit fails the call with ChannelProcessorStopped, at once, as when a reply is received', async function () {
      let calls = 0;
      const cp = new ChannelProcessor(() => {
        if (calls++ === 0) throw new TaskletExit();
        return 'next';
      });
      const d = cp.call();
      expect(d.called).to.equal(true);
      const o = await outcome(d);
      expect(o.ok).to.equal(false);
      const e = (o as { error: Error & { cause?: unknown } }).error;
      expect(e).to.be.instanceOf(ChannelProcessorStopped);
      expect(e.cause).to.be.instanceOf(TaskletExit);
      // The action raised it: the loop's tasklet goes on.
      expect(await cp.call()).to.equal('next');
      expect(await cp.stop()).to.equal(2);
    });

    for (const how of ['an unfired Deferred', 'a promise', 'blockOn in the loop (the action blocks it)'] as const) {
      it(`an action whose outcome comes later (${how}): the loop takes the request at once, a tasklet of its own receives the reply; the calls behind are answered in turn`, async function () {
        const gate = new Deferred<number>();
        const order: string[] = [];
        const cp = new ChannelProcessor((name: string): unknown => {
          order.push(name);
          if (name !== 'slow') return name;
          if (how === 'an unfired Deferred') return gate.addCallback((v: number) => `slow ${v}`);
          if (how === 'a promise') return Promise.resolve(gate).then((v) => `slow ${v}`);
          return (async () => `slow ${await blockOn(gate)}`)();
        });
        const slow = cp.call('slow');
        expect(slow.called).to.equal(false);
        expect(order).to.deep.equal(['slow']);
        const fast = cp.call('fast');
        if (how === 'blockOn in the loop (the action blocks it)') {
          // The loop waits for the action: the next request queues, sent by a tasklet of its own.
          expect(fast.called).to.equal(false);
          expect(cp.channel.balance).to.equal(1);
        } else {
          expect(fast.called).to.equal(true);
          expect(cp.channel.balance).to.equal(-1);
        }
        gate.callback(5);
        expect(await outcome(slow)).to.deep.equal({ ok: true, value: 'slow 5' });
        expect(await outcome(fast)).to.deep.equal({ ok: true, value: 'fast' });
        expect(order).to.deep.equal(['slow', 'fast']);
        expect(await cp.stop()).to.equal(2);
      });
    }

    it('calls from plain code and from tasklets, made while an action blocks the loop, are served in the order made (FIFO on the channel)', async function () {
      const gate = new Deferred<number>();
      const order: string[] = [];
      const cp = new ChannelProcessor(async (name: string): Promise<string> => {
        order.push(name);
        if (name === 'block') await blockOn(gate);
        return name;
      });
      const got: Record<string, unknown> = {};
      const first = cp.call('block');
      const fromTasklet = (name: string): void => {
        tasklet(async () => {
          got[name] = await cp.call(name);
        }).setup();
      };
      fromTasklet('t1');
      await turns(2);
      const p1 = cp.call('p1');
      fromTasklet('t2');
      await turns(2);
      const p2 = cp.call('p2');
      expect(cp.channel.balance).to.equal(4);
      gate.callback(0);
      expect(await outcome(first)).to.deep.equal({ ok: true, value: 'block' });
      expect(await outcome(p1)).to.deep.equal({ ok: true, value: 'p1' });
      expect(await outcome(p2)).to.deep.equal({ ok: true, value: 'p2' });
      await runUntil(run, () => got.t2 !== undefined);
      expect(got).to.deep.equal({ t1: 't1', t2: 't2' });
      expect(order).to.deep.equal(['block', 't1', 'p1', 't2', 'p2']);
      expect(await cp.stop()).to.equal(5);
    });

    for (const why of ['another tasklet is runnable beside main', 'a channel callback is set', 'a schedule callback is set'] as const) {
      it(`when ${why}, the call has a tasklet of its own, as before, and is answered the same`, async function () {
        const cp = new ChannelProcessor((x: number) => x * 2);
        const senders: Tasklet[] = [];
        let undo = (): void => undefined;
        if (why === 'another tasklet is runnable beside main') tasklet(() => undefined).setup();
        else if (why === 'a channel callback is set') {
          const old = setChannelCallback((ch, t, sending) => {
            if (ch === cp.channel && sending) senders.push(t);
          });
          undo = () => void setChannelCallback(old);
        } else {
          const old = setScheduleCallback(() => undefined);
          undo = () => void setScheduleCallback(old);
        }
        let d: Deferred<number>;
        try {
          const before = nextTaskletId();
          d = cp.call(4);
          // The call's own tasklet was made (the runnable's probe, then the call's).
          expect(nextTaskletId() - before).to.equal(2);
          expect(d.called).to.equal(false);
          expect(await d).to.equal(8);
        } finally {
          undo();
        }
        if (why === 'a channel callback is set') {
          expect(senders).to.have.length(1);
          expect(senders[0]).to.not.equal(getmain());
        }
        await turns(2);
        expect(await cp.stop()).to.equal(1);
      });
    }

    it('an action that leaves a tasklet holding the turn in a foreign await: plain code goes on as main, the next calls are answered', async function () {
      let helperDone = false;
      const cp = new ChannelProcessor((x: number) => {
        if (x === 1) {
          void deferredTasklet(async () => {
            await new Promise((r) => setTimeout(r, 2));
            helperDone = true;
          })();
        }
        return x * 10;
      });
      const d = cp.call(1);
      expect(getcurrent()).to.equal(getmain());
      expect(await d).to.equal(10);
      expect(await cp.call(2)).to.equal(20);
      for (let i = 0; i < 400 && !helperDone; i++) await new Promise((r) => setTimeout(r, 5));
      expect(helperDone).to.equal(true);
      expect(await cp.call(3)).to.equal(30);
      expect(await cp.stop()).to.equal(3);
    });

    it('an error thrown into main by the action is reported as an unhandled error in a tasklet, and the call is answered', async function () {
      const boom = new Error('raised in main');
      const cp = new ChannelProcessor((x: number) => {
        void getmain().throw(boom, { pending: true });
        return x;
      });
      let got: unknown;
      const errors = await logged(async () => {
        got = await cp.call(3);
      });
      expect(got).to.equal(3);
      expect(errors).to.deep.equal([boom]);
      expect(await cp.stop()).to.equal(1);
    });

    it('cancelled while its reply comes later: the caller gets CancelledError, the late reply is dropped quietly, the loop goes on', async function () {
      const later = new Deferred<number>();
      const cp = new ChannelProcessor((x: number) => (x === 1 ? later : x));
      const d = cp.call(1);
      const errors = await logged(async () => {
        d.cancel();
        const o = await outcome(d);
        expect((o as { error: unknown }).error).to.be.instanceOf(CancelledError);
        later.callback(9);
        await turns(3);
        expect(await cp.call(2)).to.equal(2);
      });
      expect(errors).to.deep.equal([]);
      // A Deferred answered inside call() is fired: cancelling it changes nothing.
      const answered = cp.call(3);
      answered.cancel();
      expect(await answered).to.equal(3);
      expect(await cp.stop()).to.equal(3);
    });
  });
});
