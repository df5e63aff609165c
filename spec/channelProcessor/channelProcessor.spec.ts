// ChannelProcessor's behaviour, from the article "Stackless Event Loops" and the fixes to its
// bugs listed in docs/channelProcessor.md (no upstream test suite exists).
import { expect } from 'chai';
import { ChannelProcessor, ChannelProcessorStopped } from '../../lib/channelProcessor/index.js';
import { NO_KWARGS } from '../../lib/channelProcessor/request.js';
import { Deferred, fail, succeed } from '../../lib/defer/index.js';
import { addObserver, removeObserver, type LogEvent } from '../../lib/log/index.js';
import { Failure } from '../../lib/failure/index.js';
import { Clock, deferLater } from '../../lib/task/index.js';
import { Channel, TaskletExit, blockOn, getcurrent, getmain, run, setChannelCallback, tasklet } from '../../lib/tasklets/index.js';
import { outcome, turns, runUntil } from './helpers.js';

describe('ChannelProcessor', function () {
  describe('construction (__init__)', function () {
    it('creates the channel, stores the action, sets running, and starts the loop, which waits for a request', async function () {
      const action = (x: number) => x + 1;
      const cp = new ChannelProcessor(action);
      expect(cp.action).to.equal(action);
      expect(cp.running).to.equal(true);
      expect(cp.channel).to.be.an('object');
      expect(cp.done).to.be.instanceOf(Deferred);
      expect(cp.done.called).to.equal(false);
      await runUntil(run, () => cp.channel.balance === -1);
      expect(cp.channel.balance).to.equal(-1);
      await cp.stop();
    });
  });

  describe('call (__call__)', function () {
    it('from plain code returns a Deferred of the result', async function () {
      const cp = new ChannelProcessor((a: number, b: number) => a * b);
      const d = cp.call(6, 7);
      expect(d).to.be.instanceOf(Deferred);
      expect(await d).to.equal(42);
      await cp.stop();
    });

    it('from a tasklet blocks the tasklet until the reply comes', async function () {
      const cp = new ChannelProcessor((s: string) => s.toUpperCase());
      const got: string[] = [];
      tasklet(async () => {
        got.push(await cp.call('a'));
        got.push(await cp.call('b'));
      }).setup();
      await runUntil(run, () => got.length === 2);
      expect(got).to.deep.equal(['A', 'B']);
      await cp.stop();
    });

    it('from a tasklet returns a Deferred that fires when the blocked caller gets the turn back, as that caller', async function () {
      const cp = new ChannelProcessor((x: number) => x + 1);
      const seen: string[] = [];
      let caller: unknown = null;
      tasklet(async () => {
        caller = getcurrent();
        const d = cp.call(1);
        expect(d).to.be.instanceOf(Deferred);
        d.addCallback((v: number) => {
          seen.push(`fired ${v} ${getcurrent() === caller ? 'as the caller' : 'elsewhere'}`);
          return v;
        });
        seen.push(`await ${await d}`);
      }).setup();
      await runUntil(run, () => seen.length === 2);
      expect(seen).to.deep.equal(['fired 2 as the caller', 'await 2']);
      await cp.stop();
    });

    it('a tasklet killed while it waits for its reply gets TaskletExit out of its await; the loop goes on', async function () {
      const release = new Deferred<number>();
      const cp = new ChannelProcessor((x: number) => (x === 0 ? release : x));
      let caught: unknown = null;
      const t = tasklet(async () => {
        try {
          await cp.call(0);
        } catch (e) {
          caught = e;
          throw e;
        }
      }).setup();
      await runUntil(run, () => t.blocked);
      await t.kill();
      expect(caught).to.be.instanceOf(TaskletExit);
      expect(t.alive).to.equal(false);
      release.callback(5);
      expect(await cp.call(3)).to.equal(3);
      await cp.stop();
    });

    it('a tasklet caller\'s Deferred fired by hand meanwhile: the caller goes on with it, the late reply is dropped quietly', async function () {
      const gate = new Deferred<number>();
      const cp = new ChannelProcessor((x: number) => (x === 4 ? gate : x * 2));
      const errors: unknown[] = [];
      const observer = (e: LogEvent): void => {
        if (e.isError) errors.push(e.failure?.value);
      };
      addObserver(observer);
      let got: unknown = null;
      try {
        tasklet(async () => {
          const d = cp.call(4);
          d.callback(99);
          got = await d;
        }).setup();
        await runUntil(run, () => got !== null);
        gate.callback(8);
        await turns(3);
      } finally {
        removeObserver(observer);
      }
      expect(got).to.equal(99);
      // The caller ended before its reply came: nobody is left to give it to, nothing to report.
      expect(errors).to.deep.equal([]);
      expect(await cp.call(1)).to.equal(2);
      expect(await cp.stop()).to.equal(2);
    });

    it('an async action that blocks the loop tasklet (blockOn) makes the loop wait for it, as the article\'s loop would', async function () {
      const gate = new Deferred<number>();
      const order: string[] = [];
      const cp = new ChannelProcessor(async (x: number) => {
        order.push(`start ${x}`);
        const g = x === 1 ? await blockOn(gate) : 0;
        order.push(`end ${x}`);
        return x + g;
      });
      const got: number[] = [];
      tasklet(async () => {
        got[0] = await cp.call(1);
      }).setup();
      tasklet(async () => {
        got[1] = await cp.call(2);
      }).setup();
      await run();
      // The loop is blocked inside the first action: the second request waits.
      expect(order).to.deep.equal(['start 1']);
      gate.callback(10);
      await runUntil(run, () => got[0] !== undefined && got[1] !== undefined);
      expect(order).to.deep.equal(['start 1', 'end 1', 'start 2', 'end 2']);
      expect(got).to.deep.equal([11, 2]);
      expect(await cp.stop()).to.equal(2);
    });

    it('a synchronous action that blocks the loop without awaiting: the loop waits until its tasklet is woken, then goes on', async function () {
      const hold = new Deferred<number>();
      const order: string[] = [];
      const cp = new ChannelProcessor(function careless(x: number): number {
        order.push(`act ${x}`);
        if (x === 1) void blockOn(hold); // not awaited: the loop's tasklet is blocked all the same
        return x * 10;
      });
      const first = cp.call(1);
      const second = cp.call(2);
      expect(await first).to.equal(10);
      await turns(3);
      expect(order).to.deep.equal(['act 1']);
      expect(second.called).to.equal(false);
      hold.callback(0);
      expect(await second).to.equal(20);
      expect(order).to.deep.equal(['act 1', 'act 2']);
      expect(await cp.stop()).to.equal(2);
    });

    it('an action that blocks the loop without awaiting and returns a promise settled meanwhile: the loop waits for its tasklet to wake', async function () {
      const hold = new Deferred<number>();
      let settle: (v: number) => void = () => undefined;
      const order: string[] = [];
      const cp = new ChannelProcessor((x: number): number | Promise<number> => {
        order.push(`act ${x}`);
        if (x !== 1) return x * 10;
        void blockOn(hold); // not awaited: the loop's tasklet is blocked
        return new Promise<number>((resolve) => (settle = resolve));
      });
      const first = cp.call(1);
      const second = cp.call(2);
      await turns(3);
      settle(10); // the action is done, but the loop's tasklet still waits on `hold`
      expect(await first).to.equal(10);
      expect(order).to.deep.equal(['act 1']);
      expect(second.called).to.equal(false);
      hold.callback(0);
      expect(await second).to.equal(20);
      expect(order).to.deep.equal(['act 1', 'act 2']);
      expect(await cp.stop()).to.equal(2);
    });

    it('runs the action in the loop tasklet, the same one for every call, never the caller\'s', async function () {
      const seen: unknown[] = [];
      const cp = new ChannelProcessor(() => {
        seen.push(getcurrent());
      });
      await cp.call();
      let caller: unknown;
      tasklet(async () => {
        caller = getcurrent();
        await cp.call();
      }).setup();
      await runUntil(run, () => seen.length === 2);
      expect(seen[0]).to.equal(seen[1]);
      expect(seen[0]).to.not.equal(getmain());
      expect(seen[0]).to.not.equal(caller);
      await cp.stop();
    });

    it('sends the article\'s (c, args, kwargs) request on the channel, with a private reply channel per call', async function () {
      const cp = new ChannelProcessor((x: number) => x);
      const sent: unknown[] = [];
      setChannelCallback((ch, t, sending) => {
        if (ch === cp.channel && sending) sent.push(t.tempval);
      });
      try {
        await cp.call(5);
        await cp.call(6);
      } finally {
        setChannelCallback(null);
      }
      expect(sent).to.have.length(2);
      const [c1, args1, kwargs1] = sent[0] as [unknown, unknown[], unknown];
      const [c2, args2] = sent[1] as [unknown, unknown[], unknown];
      expect(args1).to.deep.equal([5]);
      expect(args2).to.deep.equal([6]);
      expect(kwargs1).to.equal(NO_KWARGS);
      expect(c1).to.be.instanceOf(Channel);
      expect(c2).to.be.instanceOf(Channel);
      expect(c1).to.not.equal(c2);
      await cp.stop();
    });

    it('an action returning an unfired Deferred lets the loop take the next request; its reply comes when it fires', async function () {
      const clock = new Clock();
      const log: string[] = [];
      const cp = new ChannelProcessor((name: string, delay: number) => {
        log.push(`act ${name}`);
        return delay === 0 ? name : deferLater(clock, delay, () => name);
      });
      const slow = cp.call('slow', 1).addCallback((v) => {
        log.push(`reply ${v}`);
      });
      const fast = cp.call('fast', 0).addCallback((v) => {
        log.push(`reply ${v}`);
      });
      await turns();
      expect(log).to.deep.equal(['act slow', 'act fast', 'reply fast']);
      expect(slow.called).to.equal(false);
      clock.advance(1);
      await outcome(slow);
      await outcome(fast);
      expect(log).to.deep.equal(['act slow', 'act fast', 'reply fast', 'reply slow']);
      expect(await cp.stop()).to.equal(2);
    });

    it('an action returning a promise is waited on like a Deferred', async function () {
      const cp = new ChannelProcessor(async (x: number) => {
        await new Promise((r) => setImmediate(r));
        return x * 2;
      });
      expect(await cp.call(21)).to.equal(42);
      await cp.stop();
    });

    it('an action that calls another processor gets its Deferred without blocking its own loop', async function () {
      const inner = new ChannelProcessor((x: number) => x + 1);
      const log: string[] = [];
      const outer = new ChannelProcessor((x: number) => {
        log.push(`outer ${x}`);
        return inner.call(x * 10);
      });
      const results = await Promise.all([outcome(outer.call(1)), outcome(outer.call(2))]);
      expect(results).to.deep.equal([
        { ok: true, value: 11 },
        { ok: true, value: 21 },
      ]);
      expect(log).to.deep.equal(['outer 1', 'outer 2']);
      expect(await outer.stop()).to.equal(2);
      expect(await inner.stop()).to.equal(2);
    });

    it('an action returning an already-fired Deferred replies with its result', async function () {
      const cp = new ChannelProcessor((x: number) => succeed(x + 1));
      expect(await cp.call(1)).to.equal(2);
      await cp.stop();
    });
  });

  describe('failures (fixed: the article\'s _wrapper never delivered them, so the caller hung)', function () {
    it('an action that throws fails its call with the very error thrown, and the loop goes on', async function () {
      const boom = new RangeError('bad event');
      const cp = new ChannelProcessor((x: number) => {
        if (x < 0) throw boom;
        return x;
      });
      const r = await outcome(cp.call(-1));
      expect(r).to.deep.equal({ ok: false, error: boom });
      expect(await cp.call(3)).to.equal(3);
      await cp.stop();
    });

    it('a tasklet caller gets the error thrown out of its call', async function () {
      const cp = new ChannelProcessor(() => {
        throw new TypeError('nope');
      });
      let caught: unknown;
      tasklet(async () => {
        try {
          await cp.call();
        } catch (e) {
          caught = e;
        }
      }).setup();
      await runUntil(run, () => caught !== undefined);
      expect(caught).to.be.instanceOf(TypeError);
      expect((caught as Error).message).to.equal('nope');
      await cp.stop();
    });

    it('a failing Deferred, a returned Failure and a rejected promise each fail the call', async function () {
      const e1 = new Error('deferred');
      const e2 = new Error('failure');
      const e3 = new Error('promise');
      const cp = new ChannelProcessor((k: number): unknown => {
        if (k === 1) return fail(e1);
        if (k === 2) return new Failure(e2);
        return Promise.reject(e3);
      });
      expect(await outcome(cp.call(1))).to.deep.equal({ ok: false, error: e1 });
      expect(await outcome(cp.call(2))).to.deep.equal({ ok: false, error: e2 });
      expect(await outcome(cp.call(3))).to.deep.equal({ ok: false, error: e3 });
      await cp.stop();
    });

    it('an action returning a thenable that is not a promise (an object or a function with then) is chained: the reply comes when it settles', async function () {
      let settleObject: (v: number) => void = () => undefined;
      let rejectFunction: (e: unknown) => void = () => undefined;
      const thenableObject = { then: (ok: (v: number) => void) => void (settleObject = ok) };
      const thenableFunction = Object.assign(() => 0, {
        then: (_ok: unknown, bad: (e: unknown) => void) => void (rejectFunction = bad),
      });
      const cp = new ChannelProcessor((k: number): unknown => (k === 1 ? thenableObject : k === 2 ? thenableFunction : k));
      const first = cp.call(1);
      const second = cp.call(2);
      expect(await cp.call(3)).to.equal(3); // the loop went on past both
      expect(first.called || second.called).to.equal(false);
      const e = new RangeError('thenable function');
      rejectFunction(e);
      settleObject(7);
      expect(await outcome(first)).to.deep.equal({ ok: true, value: 7 });
      expect(await outcome(second)).to.deep.equal({ ok: false, error: e });
      expect(await cp.stop()).to.equal(3);
    });

    it('an action that blocks the loop without awaiting and throws, or returns a Failure: the call fails with it; the loop waits for its tasklet, then goes on', async function () {
      const hold = new Deferred<number>();
      const e1 = new TypeError('thrown');
      const e2 = new RangeError('returned');
      const cp = new ChannelProcessor(function careless(k: number): unknown {
        if (k === 3) return k;
        void blockOn(hold); // not awaited: the loop's tasklet is blocked
        if (k === 1) throw e1;
        return new Failure(e2);
      });
      expect(await outcome(cp.call(1))).to.deep.equal({ ok: false, error: e1 });
      const third = cp.call(3);
      await turns(3);
      expect(third.called).to.equal(false);
      hold.callback(0);
      expect(await third).to.equal(3);
      const again = new Deferred<number>();
      const cp2 = new ChannelProcessor(function careless2(k: number): unknown {
        if (k === 3) return k;
        void blockOn(again);
        return new Failure(e2);
      });
      expect(await outcome(cp2.call(2))).to.deep.equal({ ok: false, error: e2 });
      again.callback(0);
      expect(await cp2.call(3)).to.equal(3);
      expect(await cp.stop()).to.equal(2);
      expect(await cp2.stop()).to.equal(2);
    });

    it('a thrown non-Error value reaches the caller as it was thrown', async function () {
      const cp = new ChannelProcessor(() => {
        throw 'plain string';
      });
      expect(await outcome(cp.call())).to.deep.equal({ ok: false, error: 'plain string' });
      await cp.stop();
    });
  });

  describe('stop', function () {
    it('ends the loop through its own branch (fixed: no swallowed TypeError); done fires with the count', async function () {
      const cp = new ChannelProcessor((x: number) => x);
      await cp.call(1);
      await cp.call(2);
      const done = cp.stop();
      expect(done).to.equal(cp.done);
      expect(cp.running).to.equal(false);
      expect(await outcome(done)).to.deep.equal({ ok: true, value: 2 });
      expect(cp.channel.balance).to.equal(0);
    });

    it('a call after stop() fails at once with ChannelProcessorStopped (fixed: it blocked for ever)', async function () {
      const cp = new ChannelProcessor(function handler(x: number) {
        return x;
      });
      await cp.stop();
      const d = cp.call(1);
      expect(d.called).to.equal(true);
      const r = await outcome(d);
      expect((r as { error: Error }).error).to.be.instanceOf(ChannelProcessorStopped);
      expect((r as { error: Error }).error.message).to.match(/cannot call handler through its ChannelProcessor: the processor was stopped/);
      expect(cp.channel.balance).to.equal(0);
    });

    it('requests queued when stop() is called are all answered, in order, before the loop ends', async function () {
      const handled: number[] = [];
      const cp = new ChannelProcessor((x: number) => {
        handled.push(x);
        return x * 10;
      });
      const ds = [1, 2, 3, 4].map((n) => cp.call(n));
      const done = cp.stop();
      const late = cp.call(5);
      const results = await Promise.all(ds.map((d) => outcome(d)));
      expect(results).to.deep.equal([10, 20, 30, 40].map((value) => ({ ok: true, value })));
      expect(handled).to.deep.equal([1, 2, 3, 4]);
      expect(await outcome(done)).to.deep.equal({ ok: true, value: 4 });
      expect(((await outcome(late)) as { error: Error }).error).to.be.instanceOf(ChannelProcessorStopped);
    });

    it('calls from tasklets that had not sent yet when stop() came fail with ChannelProcessorStopped, never hang', async function () {
      const cp = new ChannelProcessor((x: number) => x);
      const errors: unknown[] = [];
      for (const n of [1, 2]) {
        tasklet(async () => {
          try {
            await cp.call(n);
          } catch (e) {
            errors.push(e);
          }
        }).setup();
      }
      cp.stop();
      await runUntil(run, () => errors.length === 2);
      expect(errors).to.have.length(2);
      for (const e of errors) expect(e).to.be.instanceOf(ChannelProcessorStopped);
      expect(await cp.done).to.equal(0);
    });

    it('stop() twice returns the same done and sends nothing more', async function () {
      const cp = new ChannelProcessor(() => 1);
      const d1 = cp.stop();
      const d2 = cp.stop();
      expect(d1).to.equal(d2);
      expect(await d1).to.equal(0);
      expect(cp.channel.balance).to.equal(0);
    });

    it('any message that is not a request ends the loop cleanly (the article\'s stop() sends 1)', async function () {
      const cp = new ChannelProcessor(() => 1);
      await cp.channel.send('bye');
      expect(await outcome(cp.done)).to.deep.equal({ ok: true, value: 0 });
      expect(cp.running).to.equal(false);
    });
  });
});
