// Every caller of a ChannelProcessor is answered, whatever happens to the processor's own
// tasklets: killed at each of its blocking points (the loop waiting for a request, inside an
// action, in its reply send; a call's tasklet waiting to be received or waiting for its reply),
// and stop() with replies still outstanding. No upstream suite: the
// article's callers hung in all of these cases.
import { expect } from 'chai';
import { ChannelProcessor, ChannelProcessorStopped } from '../../lib/channelProcessor/index.js';
import { Deferred } from '../../lib/defer/index.js';
import { TaskletExit, blockOn, getcurrent, run, schedule, setChannelCallback, tasklet, type Tasklet } from '../../lib/tasklets/index.js';
import { logged, outcome, runUntil, turns, type Outcome } from './helpers.js';

/** The error of a failed outcome (and fails the spec for a success). */
function errorOf(o: Outcome): Error & { cause?: unknown } {
  expect(o.ok, `expected a failure, got ${JSON.stringify(o)}`).to.equal(false);
  return (o as { error: Error & { cause?: unknown } }).error;
}

/** A processor whose action 'block' blocks the loop's tasklet on `gate` (an async action awaiting blockOn). */
function blockingProcessor(gate: Deferred<number>, seen: { loop: Tasklet | null }): ChannelProcessor<(what: string, x: number) => Promise<number>> {
  return new ChannelProcessor(async function act(what: string, x: number): Promise<number> {
    seen.loop = getcurrent();
    if (what === 'block') return x + (await blockOn(gate));
    return x;
  });
}

describe('ChannelProcessor', function () {
  describe('kill() of the loop tasklet: every caller is answered', function () {
    it('killed while it waits for a request: done fails with the TaskletExit; later calls fail at once with ChannelProcessorStopped', async function () {
      let loop: Tasklet | null = null;
      const cp = new ChannelProcessor(function act(x: number) {
        loop = getcurrent();
        return x;
      });
      expect(await cp.call(1)).to.equal(1);
      const errors = await logged(async () => {
        await (loop as unknown as Tasklet).kill();
        expect((loop as unknown as Tasklet).alive).to.equal(false);
        expect(cp.running).to.equal(false);
        const late = errorOf(await outcome(cp.call(2)));
        expect(late).to.be.instanceOf(ChannelProcessorStopped);
        expect(late.message).to.match(/cannot call act through its ChannelProcessor: its loop tasklet was killed/);
        expect(errorOf(await outcome(cp.done))).to.be.instanceOf(TaskletExit);
        expect(cp.stop()).to.equal(cp.done);
      });
      // Killing is deliberate: done's failure is there for whoever asks, never logged.
      expect(errors).to.deep.equal([]);
    });

    for (const from of ['plain code', 'tasklets'] as const) {
      it(`killed inside an action (calls from ${from}): the call in flight and the calls queued behind it fail with ChannelProcessorStopped`, async function () {
        const gate = new Deferred<number>();
        const seen: { loop: Tasklet | null } = { loop: null };
        const cp = blockingProcessor(gate, seen);
        const results: Outcome[] = [];
        const calls: [string, number][] = [
          ['block', 1],
          ['echo', 2],
          ['echo', 3],
        ];
        if (from === 'plain code') {
          const ds = calls.map(([w, x]) => cp.call(w, x));
          await turns(3);
          await seen.loop!.kill();
          for (const d of ds) results.push(await outcome(d));
        } else {
          for (const [i, [w, x]] of calls.entries()) {
            tasklet(async () => {
              try {
                results[i] = { ok: true, value: await cp.call(w, x) };
              } catch (e) {
                results[i] = { ok: false, error: e };
              }
            }).setup();
          }
          await run();
          expect(seen.loop!.blocked).to.equal(true);
          await seen.loop!.kill();
          await runUntil(run, () => results.filter((r) => r !== undefined).length === 3);
        }
        expect(results).to.have.length(3);
        const inFlight = errorOf(results[0]);
        expect(inFlight).to.be.instanceOf(ChannelProcessorStopped);
        expect(inFlight.message).to.match(/its loop tasklet was killed/);
        expect(inFlight.cause).to.be.instanceOf(TaskletExit);
        for (const r of results.slice(1)) expect(errorOf(r)).to.be.instanceOf(ChannelProcessorStopped);
        expect(errorOf(await outcome(cp.done))).to.be.instanceOf(TaskletExit);
        expect(cp.channel.balance).to.equal(0);
        gate.callback(0); // too late: nobody is waiting any more, nothing is reported
        await turns(2);
      });
    }

    it('an action that catches the TaskletExit goes on: its caller gets its result and the loop keeps serving', async function () {
      const gate = new Deferred<number>();
      let loop: Tasklet | null = null;
      const cp = new ChannelProcessor(async (x: number) => {
        loop = getcurrent();
        if (x !== 1) return x;
        try {
          return await blockOn(gate);
        } catch (e) {
          return e instanceof TaskletExit ? -1 : -2;
        }
      });
      const first = cp.call(1);
      await turns(3);
      await (loop as unknown as Tasklet).kill();
      expect(await outcome(first)).to.deep.equal({ ok: true, value: -1 });
      expect(await cp.call(5)).to.equal(5);
      expect(await cp.stop()).to.equal(2);
    });

    it('killed in its reply send: the caller gets its result; a call queued behind it fails with ChannelProcessorStopped', async function () {
      let loop: Tasklet | null = null;
      const cp = new ChannelProcessor((x: number) => {
        loop = getcurrent();
        return x * 10;
      });
      const got: Outcome[] = [];
      let killedInReply = false;
      tasklet(async function caller() {
        try {
          got[0] = { ok: true, value: await cp.call(1) };
        } catch (e) {
          got[0] = { ok: false, error: e };
        }
      }).setup();
      tasklet(async function killer() {
        // The loop ran the action and now waits for the caller to take the reply.
        const l = loop as Tasklet | null;
        if (l !== null && l.blocked && cp.channel.balance === 0) {
          // A second caller's request queues behind the reply (run() comes back here next).
          const second = tasklet(async function second() {
            try {
              got[1] = { ok: true, value: await cp.call(2) };
            } catch (e) {
              got[1] = { ok: false, error: e };
            }
          }).setup();
          await second.run();
          expect(cp.channel.balance).to.equal(1);
          expect(l.blocked).to.equal(true);
          await l.kill();
          killedInReply = true;
        }
      }).setup();
      await runUntil(run, () => got[0] !== undefined && got[1] !== undefined);
      expect(killedInReply).to.equal(true);
      expect(got[0]).to.deep.equal({ ok: true, value: 10 });
      expect(errorOf(got[1])).to.be.instanceOf(ChannelProcessorStopped);
      expect((loop as unknown as Tasklet).alive).to.equal(false);
      expect(errorOf(await outcome(cp.done))).to.be.instanceOf(TaskletExit);
    });

    it('killed after a request was handed to it, before it ran the action: that call fails with ChannelProcessorStopped', async function () {
      let loop: Tasklet | null = null;
      const ran: number[] = [];
      const cp = new ChannelProcessor((x: number) => {
        loop = getcurrent();
        ran.push(x);
        return x;
      });
      expect(await cp.call(1)).to.equal(1);
      // The loop waits in its receive. With another tasklet runnable beside main, a call from
      // plain code has a tasklet of its own, which hands the request straight into the loop's
      // tasklet; the loop has not run yet when it is killed. (Main alone, the loop would run
      // the action inside call().)
      const other = tasklet(() => undefined).setup();
      const handed = cp.call(2);
      expect(handed.called).to.equal(false);
      expect(cp.channel.balance).to.equal(0);
      await (loop as unknown as Tasklet).kill();
      expect(other.alive).to.equal(false);
      const e = errorOf(await outcome(handed));
      expect(e).to.be.instanceOf(ChannelProcessorStopped);
      expect(e.message).to.match(/its loop tasklet was killed/);
      expect(ran).to.deep.equal([1]);
      expect(errorOf(await outcome(cp.done))).to.be.instanceOf(TaskletExit);
    });

    it('killed after its caller took the reply but before it resumed from the send: the reply is not sent twice; done fires', async function () {
      let loop: Tasklet | null = null;
      const cp = new ChannelProcessor((x: number) => {
        loop = getcurrent();
        return x * 10;
      });
      let taken = false;
      let killed = false;
      const got: Outcome[] = [];
      const old = setChannelCallback((ch, t, sending) => {
        // The call's tasklet receiving its reply from the loop, blocked in its send.
        if (ch !== cp.channel && !sending && loop !== null && ch.balance > 0 && ch.queue === loop) taken = true;
      });
      try {
        tasklet(async function caller() {
          got.push(await outcome(cp.call(1)));
        }).setup();
        tasklet(async function killer() {
          for (let i = 0; i < 20 && !taken; i++) await schedule();
          const l = loop as Tasklet | null;
          if (taken && l !== null && l.alive && !l.blocked) {
            await l.kill();
            killed = true;
          }
        }).setup();
        await runUntil(run, () => got.length === 1);
      } finally {
        setChannelCallback(old);
      }
      expect(killed).to.equal(true);
      expect(got).to.deep.equal([{ ok: true, value: 10 }]);
      expect(errorOf(await outcome(cp.done))).to.be.instanceOf(TaskletExit);
    });

    it('killed with an action\'s Deferred outstanding: that caller still gets its result, and done waits for it', async function () {
      const later = new Deferred<number>();
      let loop: Tasklet | null = null;
      const cp = new ChannelProcessor((x: number) => {
        loop = getcurrent();
        return x === 1 ? later : x;
      });
      const slow = cp.call(1);
      expect(await cp.call(2)).to.equal(2);
      await (loop as unknown as Tasklet).kill();
      await turns(2);
      expect(cp.done.called).to.equal(false);
      later.callback(7);
      expect(await outcome(slow)).to.deep.equal({ ok: true, value: 7 });
      expect(errorOf(await outcome(cp.done))).to.be.instanceOf(TaskletExit);
    });
  });

  describe('kill() of a call\'s own tasklet: its caller is answered, the loop goes on', function () {
    /** The call tasklets (they send the requests on the processor's channel), in order. */
    function watchCalls(cp: ChannelProcessor<never>): { calls: Tasklet[]; stop: () => void } {
      const calls: Tasklet[] = [];
      const old = setChannelCallback((ch, t, sending) => {
        if (ch === cp.channel && sending && !calls.includes(t)) calls.push(t);
      });
      return { calls, stop: () => setChannelCallback(old) };
    }

    it('killed while its request waits to be received: the call fails with ChannelProcessorStopped; the others are served', async function () {
      const gate = new Deferred<number>();
      const seen: { loop: Tasklet | null } = { loop: null };
      const cp = blockingProcessor(gate, seen);
      const w = watchCalls(cp as unknown as ChannelProcessor<never>);
      let first: Deferred<number>, second: Deferred<number>, third: Deferred<number>;
      try {
        first = cp.call('block', 1);
        second = cp.call('echo', 2);
        third = cp.call('echo', 3);
        await turns(3);
      } finally {
        w.stop();
      }
      expect(w.calls).to.have.length(3);
      expect(w.calls[1].blocked).to.equal(true); // waiting to be received behind the blocked action
      await w.calls[1].kill();
      const killed = errorOf(await outcome(second));
      expect(killed).to.be.instanceOf(ChannelProcessorStopped);
      expect(killed.message).to.match(/the call's own tasklet was killed/);
      expect(killed.cause).to.be.instanceOf(TaskletExit);
      gate.callback(10);
      expect(await outcome(first)).to.deep.equal({ ok: true, value: 11 });
      expect(await outcome(third)).to.deep.equal({ ok: true, value: 3 });
      expect(await cp.stop()).to.equal(2);
    });

    it('killed while it waits for its reply: the call fails at once; the late reply neither blocks the loop nor is logged', async function () {
      const later = new Deferred<number>();
      const cp = new ChannelProcessor((x: number) => (x === 1 ? later : x));
      const w = watchCalls(cp as unknown as ChannelProcessor<never>);
      let first: Deferred<number>;
      try {
        first = cp.call(1);
        await turns(2);
      } finally {
        w.stop();
      }
      const errors = await logged(async () => {
        await w.calls[0].kill();
        expect(errorOf(await outcome(first))).to.be.instanceOf(ChannelProcessorStopped);
        later.callback(5);
        await turns(3);
        expect(await cp.call(2)).to.equal(2);
      });
      expect(errors).to.deep.equal([]);
      expect(await cp.stop()).to.equal(2);
    });

    it('a synchronous action\'s reply to a killed call does not block the loop', async function () {
      let loop: Tasklet | null = null;
      const cp = new ChannelProcessor((x: number) => {
        loop = getcurrent();
        return x;
      });
      const w = watchCalls(cp as unknown as ChannelProcessor<never>);
      const got: Outcome[] = [];
      try {
        tasklet(async function caller() {
          await outcome(cp.call(1)).then((o) => got.push(o));
        }).setup();
        tasklet(async function killer() {
          // The loop waits in its reply send; the call's tasklet has not taken it yet.
          const l = loop as Tasklet | null;
          if (l !== null && l.blocked && w.calls.length === 1) await w.calls[0].kill();
        }).setup();
        await runUntil(run, () => got.length === 1);
      } finally {
        w.stop();
      }
      // A call from a tasklet is made by that tasklet itself (no tasklet of its own): the
      // sender watched here is the caller, and killing it kills the call, whose Deferred fails
      // with the TaskletExit (it used to be a call tasklet, and ChannelProcessorStopped).
      expect(w.calls[0].alive).to.equal(false);
      expect(errorOf(got[0])).to.be.instanceOf(TaskletExit);
      expect(await cp.call(2)).to.equal(2);
      expect(await cp.stop()).to.equal(2);
    });
  });

  describe('stop(): done fires after every caller is answered', function () {
    it('with an action\'s Deferred outstanding, done waits for its reply', async function () {
      const gate = new Deferred<number>();
      const order: string[] = [];
      const cp = new ChannelProcessor((x: number) => (x === 1 ? gate : x));
      const first = cp.call(1).addCallback((v: number) => void order.push(`call 1 -> ${v}`));
      const second = cp.call(2).addCallback((v: number) => void order.push(`call 2 -> ${v}`));
      const done = cp.stop().addCallback((n: number) => {
        order.push(`done ${n}`);
        return n;
      });
      await turns(5);
      expect(order).to.deep.equal(['call 2 -> 2']);
      expect(done.called).to.equal(false);
      gate.callback(10);
      expect(await outcome(done)).to.deep.equal({ ok: true, value: 2 });
      expect(first.called && second.called).to.equal(true);
      expect(order).to.deep.equal(['call 2 -> 2', 'call 1 -> 10', 'done 2']);
    });

    it('with outstanding promises and failures, and tasklet callers: done comes last', async function () {
      let settle: (v: number) => void = () => undefined;
      const failing = new Deferred<number>();
      const order: string[] = [];
      const cp = new ChannelProcessor((x: number): number | Promise<number> | Deferred<number> => {
        if (x === 1) return new Promise<number>((resolve) => (settle = resolve));
        if (x === 2) return failing;
        return x;
      });
      for (const x of [1, 2, 3]) {
        tasklet(async () => {
          try {
            order.push(`call ${x} -> ${await cp.call(x)}`);
          } catch (e) {
            order.push(`call ${x} failed: ${(e as Error).message}`);
          }
        }).setup();
      }
      await run();
      const done = cp.stop().addCallback((n: number) => {
        order.push(`done ${n}`);
        return n;
      });
      await turns(3);
      expect(done.called).to.equal(false);
      failing.errback(new Error('no'));
      await turns(3);
      expect(done.called).to.equal(false);
      settle(1);
      await runUntil(run, () => order.length === 4);
      expect(await outcome(done)).to.deep.equal({ ok: true, value: 3 });
      expect(order.slice(0, 3)).to.have.members(['call 1 -> 1', 'call 2 failed: no', 'call 3 -> 3']);
      expect(order[3]).to.equal('done 3');
    });

    it('callers from plain code see their Deferreds fire before done, even with nothing outstanding', async function () {
      const order: string[] = [];
      const cp = new ChannelProcessor((x: number) => x);
      const ds = [1, 2, 3].map((x) => cp.call(x).addCallback((v: number) => void order.push(`call ${v}`)));
      const done = cp.stop().addCallback((n: number) => {
        order.push(`done ${n}`);
        return n;
      });
      await outcome(done);
      expect(ds.every((d) => d.called)).to.equal(true);
      expect(order).to.deep.equal(['call 1', 'call 2', 'call 3', 'done 3']);
    });
  });
});
