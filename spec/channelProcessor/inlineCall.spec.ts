// A call from a tasklet is made by the calling tasklet itself (the article's `__call__` steps
// in the caller, no tasklet per call): the trace, and every way the caller can stop waiting:
// killed at each point, ending first with the call not awaited, its Deferred fired by hand.
// Nothing may leave the loop blocked in its reply send or lose the call's outcome.
import { expect } from 'chai';
import { ChannelProcessor } from '../../lib/channelProcessor/index.js';
import { Deferred } from '../../lib/defer/index.js';
import { TaskletExit, blockOn, getcurrent, run, setChannelCallback, tasklet, type Tasklet } from '../../lib/tasklets/index.js';
import { logged, outcome, runUntil, turns, type Outcome } from './helpers.js';

/** A tasklet that calls `cp(x)` and records the outcome (the call's own rejection, caught). */
function caller(cp: ChannelProcessor<(x: number) => unknown>, x: number, into: Outcome[], i: number): Tasklet {
  return tasklet(async function calling() {
    try {
      into[i] = { ok: true, value: await cp.call(x) };
    } catch (e) {
      into[i] = { ok: false, error: e };
    }
  }).setup();
}

describe('ChannelProcessor: a call made by its calling tasklet', function () {
  it('the 2-client trace is Stackless\'s own, step for step', async function () {
    const log: string[] = [];
    const cp = new ChannelProcessor((x: number) => {
      log.push(`P:act(${x})`);
      return x * 10;
    });
    log.push('M:constructed');
    const done: number[] = [];
    for (const [name, n] of [
      ['C1', 1],
      ['C2', 2],
    ] as const) {
      tasklet(async () => {
        log.push(`${name}:call`);
        const rv = await cp.call(n);
        log.push(`${name}:ret ${rv}`);
        done.push(rv);
      }).setup();
    }
    log.push('M:run');
    await runUntil(run, () => done.length === 2);
    log.push('M:run-returned');
    expect(log).to.deep.equal(['M:constructed', 'M:run', 'C1:call', 'P:act(1)', 'C2:call', 'C1:ret 10', 'P:act(2)', 'C2:ret 20', 'M:run-returned']);
    expect(await cp.stop()).to.equal(2);
  });

  it('makes no tasklet per call: the caller sends the request itself', async function () {
    const seen: Tasklet[] = [];
    const cp = new ChannelProcessor((x: number) => x);
    let me: Tasklet | null = null;
    const old = setChannelCallback((ch, t, sending) => {
      if (ch === cp.channel && sending) seen.push(t);
    });
    try {
      tasklet(async () => {
        me = getcurrent();
        for (let i = 0; i < 3; i++) await cp.call(i);
      }).setup();
      await run();
    } finally {
      setChannelCallback(old);
    }
    expect(seen).to.have.length(3);
    for (const t of seen) expect(t).to.equal(me);
    expect(await cp.stop()).to.equal(3);
  });

  describe('killed caller: the call dies with it (TaskletExit out of its await); the loop goes on', function () {
    it('killed before the loop took its request: the action never runs for it; the calls around it are served', async function () {
      const gate = new Deferred<number>();
      const ran: number[] = [];
      const cp = new ChannelProcessor((x: number) => {
        ran.push(x);
        return x === 1 ? blockOn(gate) : x;
      });
      const got: Outcome[] = [];
      caller(cp, 1, got, 0);
      const second = caller(cp, 2, got, 1);
      caller(cp, 3, got, 2);
      await run();
      expect(cp.channel.balance).to.equal(2);
      const errors = await logged(async () => {
        await second.kill();
        expect(cp.channel.balance).to.equal(1);
        gate.callback(10);
        await runUntil(run, () => got.filter((o) => o !== undefined).length === 3);
      });
      expect(errors).to.deep.equal([]);
      expect(got[0]).to.deep.equal({ ok: true, value: 10 });
      expect((got[1] as { error: unknown }).error).to.be.instanceOf(TaskletExit);
      expect(got[2]).to.deep.equal({ ok: true, value: 3 });
      expect(ran).to.deep.equal([1, 3]);
      expect(await cp.stop()).to.equal(2);
    });

    it('killed while its action runs: the late reply is dropped quietly; the loop goes on', async function () {
      const later = new Deferred<number>();
      const cp = new ChannelProcessor((x: number) => (x === 1 ? later : x));
      const got: Outcome[] = [];
      const first = caller(cp, 1, got, 0);
      await run();
      expect(first.blocked).to.equal(true);
      const errors = await logged(async () => {
        await first.kill();
        await runUntil(run, () => got[0] !== undefined);
        later.callback(5);
        await turns(3);
        const again: Outcome[] = [];
        caller(cp, 2, again, 0);
        await runUntil(run, () => again[0] !== undefined);
        expect(again[0]).to.deep.equal({ ok: true, value: 2 });
      });
      expect(errors).to.deep.equal([]);
      expect((got[0] as { error: unknown }).error).to.be.instanceOf(TaskletExit);
      expect(await cp.stop()).to.equal(2);
    });

    it('killed while the loop waits in its reply send: the loop is released at once and goes on', async function () {
      let loop: Tasklet | null = null;
      const cp = new ChannelProcessor((x: number) => {
        loop = getcurrent();
        return x * 10;
      });
      const got: Outcome[] = [];
      let inReplySend = false;
      const first = caller(cp, 1, got, 0);
      tasklet(async function killer() {
        // The loop ran the action at once and waits for the caller to take the reply.
        const l = loop as Tasklet | null;
        inReplySend = l !== null && l.blocked && cp.channel.balance === 0 && first.alive;
        if (inReplySend) await first.kill();
      }).setup();
      const errors = await logged(async () => {
        await runUntil(run, () => got[0] !== undefined);
      });
      expect(inReplySend).to.equal(true);
      expect(errors).to.deep.equal([]);
      expect((got[0] as { error: unknown }).error).to.be.instanceOf(TaskletExit);
      // The loop left its reply send and waits for the next request.
      expect(cp.channel.balance).to.equal(-1);
      expect(await cp.call(2)).to.equal(20);
      expect(await cp.stop()).to.equal(2);
    });
  });

  describe('caller ending first (the call not awaited): the call goes on without it, its Deferred fires', function () {
    it('a synchronous action: the whole round trip is made inside call(), the Deferred has fired already', async function () {
      const cp = new ChannelProcessor((x: number) => x * 10);
      let d: Deferred<number> | null = null;
      tasklet(() => {
        d = cp.call(1);
      }).setup();
      await run();
      expect(await outcome(d as unknown as Deferred<number>)).to.deep.equal({ ok: true, value: 10 });
      expect(await cp.stop()).to.equal(1);
    });

    for (const how of ['value', 'error'] as const) {
      it(`its request already taken, the reply comes later (${how}): a tasklet of its own takes it; nothing is lost`, async function () {
        const later = new Deferred<number>();
        const cp = new ChannelProcessor((x: number) => (x === 1 ? later : x));
        let d: Deferred<number> | null = null;
        const t = tasklet(() => {
          d = cp.call(1);
        }).setup();
        await run();
        expect(t.alive).to.equal(false);
        const o = outcome(d as unknown as Deferred<number>);
        if (how === 'value') later.callback(7);
        else later.errback(new RangeError('late'));
        const got = await o;
        if (how === 'value') expect(got).to.deep.equal({ ok: true, value: 7 });
        else expect((got as { error: unknown }).error).to.be.instanceOf(RangeError);
        expect(await cp.call(2)).to.equal(2);
        expect(await cp.stop()).to.equal(2);
      });
    }

    it('its request still queued behind a busy loop: sent again by a tasklet of its own, answered in turn', async function () {
      const gate = new Deferred<number>();
      const cp = new ChannelProcessor((x: number) => (x === 1 ? blockOn(gate) : x * 10));
      const got: Outcome[] = [];
      caller(cp, 1, got, 0);
      let d: Deferred<number> | null = null;
      const t = tasklet(() => {
        d = cp.call(2);
      }).setup();
      await run();
      expect(t.alive).to.equal(false);
      const o = outcome(d as unknown as Deferred<number>);
      gate.callback(1);
      expect(await o).to.deep.equal({ ok: true, value: 20 });
      await runUntil(run, () => got[0] !== undefined);
      expect(got[0]).to.deep.equal({ ok: true, value: 1 });
      expect(await cp.stop()).to.equal(2);
    });

    for (const queuedBehind of [false, true]) {
      it(`the caller's body ends later, off its turn (its request ${queuedBehind ? 'still queued' : 'taken'}): the call is still answered`, async function () {
        const gate = new Deferred<number>();
        const later = new Deferred<number>();
        const cp = new ChannelProcessor((x: number) => (x === 1 ? blockOn(gate) : later));
        const got: Outcome[] = [];
        if (queuedBehind) caller(cp, 1, got, 0);
        let d: Deferred<number> | null = null;
        let ended = false;
        const t = tasklet(async () => {
          d = cp.call(2);
          // Not awaited: a foreign wait, then the body ends on the event loop's next turn.
          await new Promise<void>((r) => setImmediate(r));
          ended = true;
        }).setup();
        await runUntil(run, () => ended);
        await turns(2);
        expect(t.alive).to.equal(false);
        const o = outcome(d as unknown as Deferred<number>);
        if (queuedBehind) gate.callback(1);
        later.callback(20);
        expect(await o).to.deep.equal({ ok: true, value: 20 });
        if (queuedBehind) {
          await runUntil(run, () => got[0] !== undefined);
          expect(got[0]).to.deep.equal({ ok: true, value: 1 });
        }
        expect(await cp.stop()).to.equal(queuedBehind ? 2 : 1);
      });
    }

    it('a synchronous action that throws, not awaited: the Deferred fails with it (not lost)', async function () {
      const cp = new ChannelProcessor((x: number): number => {
        throw new RangeError(`bad ${x}`);
      });
      let d: Deferred<number> | null = null;
      tasklet(() => {
        d = cp.call(1);
      }).setup();
      await run();
      const got = await outcome(d as unknown as Deferred<number>);
      expect((got as { error: Error }).error.message).to.equal('bad 1');
      await cp.stop();
    });
  });

  describe('a caller that stops waiting (its Deferred fired by hand)', function () {
    it('with its request still queued: the request is still sent and run, the reply dropped quietly; the loop goes on', async function () {
      const gate = new Deferred<number>();
      const cp = new ChannelProcessor((x: number) => (x === 1 ? blockOn(gate) : x * 10));
      const got: Outcome[] = [];
      caller(cp, 1, got, 0);
      let mine: unknown = null;
      tasklet(async () => {
        const d = cp.call(2); // queued behind the blocked action
        d.callback(99);
        mine = await d;
      }).setup();
      const errors = await logged(async () => {
        await runUntil(run, () => mine !== null);
        gate.callback(1);
        await runUntil(run, () => got[0] !== undefined);
      });
      expect(errors).to.deep.equal([]);
      expect(mine).to.equal(99);
      expect(got[0]).to.deep.equal({ ok: true, value: 1 });
      expect(await cp.call(3)).to.equal(30);
      expect(await cp.stop()).to.equal(3);
    });
  });

  describe('reentrant and nested calls', function () {
    it('a call made in a callback of the caller\'s own call: answered, in order', async function () {
      const cp = new ChannelProcessor((x: number) => x * 10);
      const order: string[] = [];
      let second: Deferred<number> | null = null;
      let done = false;
      tasklet(async () => {
        const first = cp.call(1).addCallback((v: number) => {
          order.push(`first ${v}`);
          second = cp.call(2);
          return v;
        });
        await first;
        order.push(`second ${await (second as unknown as Deferred<number>)}`);
        done = true;
      }).setup();
      await runUntil(run, () => done);
      expect(order).to.deep.equal(['first 10', 'second 20']);
      expect(await cp.stop()).to.equal(2);
    });

    it('a call from a tasklet of another processor\'s loop (an async action after its first await): answered; both loops go on', async function () {
      const inner = new ChannelProcessor((x: number) => x + 1);
      const gate = new Deferred<number>();
      const outer = new ChannelProcessor(async (x: number) => {
        await blockOn(gate);
        // Not inside the action's synchronous part any more: the outer loop's tasklet calls itself.
        return (await inner.call(x)) * 100;
      });
      const got: Outcome[] = [];
      caller(outer as unknown as ChannelProcessor<(x: number) => unknown>, 1, got, 0);
      await run();
      gate.callback(0);
      await runUntil(run, () => got[0] !== undefined);
      expect(got[0]).to.deep.equal({ ok: true, value: 200 });
      const more: Outcome[] = [];
      caller(outer as unknown as ChannelProcessor<(x: number) => unknown>, 2, more, 0);
      await runUntil(run, () => more[0] !== undefined);
      expect(more[0]).to.deep.equal({ ok: true, value: 300 });
      expect(await inner.stop()).to.equal(2);
      expect(await outer.stop()).to.equal(2);
    });

    it('a call from a tasklet of another processor\'s loop whose action is synchronous: sent aside, answered', async function () {
      const inner = new ChannelProcessor((x: number) => x + 1);
      const outer = new ChannelProcessor((x: number) => inner.call(x));
      const got: Outcome[] = [];
      caller(outer as unknown as ChannelProcessor<(x: number) => unknown>, 1, got, 0);
      await runUntil(run, () => got[0] !== undefined);
      expect(got[0]).to.deep.equal({ ok: true, value: 2 });
      expect(await inner.stop()).to.equal(1);
      expect(await outer.stop()).to.equal(1);
    });
  });
});
