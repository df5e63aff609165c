// A call to a processor from inside its own action, by every entry point: the call can only be
// taken once the running action is done, and the action waits for it, so it fails at once with
// ChannelProcessorReentryError instead of hanging. No upstream suite: in the article such a
// call deadlocks silently.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ChannelProcessor, ChannelProcessorReentryError, channelProcessor, type ChannelProcessed } from '../../lib/channelProcessor/index.js';
import { Deferred, succeed } from '../../lib/defer/index.js';
import { DeadlockError, blockOn, blockingTasklet, getcurrent, run, schedule, tasklet, type Tasklet } from '../../lib/tasklets/index.js';
import { outcome, runUntil, turns } from './helpers.js';

/** What an action's own call gave it: the error's name, or the value. */
async function attempt(call: () => PromiseLike<unknown>): Promise<string> {
  try {
    return `value ${String(await call())}`;
  } catch (e) {
    return (e as Error).name;
  }
}

describe('ChannelProcessor', function () {
  describe('a call from inside its own action (deadlock by construction)', function () {
    it('await blockOn(cp.call()) in the action fails at once with ChannelProcessorReentryError, a DeadlockError', async function () {
      let caught: unknown = null;
      let loop: Tasklet | null = null;
      const cp: ChannelProcessor<(n: number) => Promise<number>> = new ChannelProcessor(async function countdown(n: number): Promise<number> {
        loop = getcurrent();
        if (n === 0) return 0;
        try {
          return 1 + (await blockOn(cp.call(n - 1)));
        } catch (e) {
          caught = e;
          return -1;
        }
      });
      expect(await outcome(cp.call(3))).to.deep.equal({ ok: true, value: -1 });
      expect(caught).to.be.instanceOf(ChannelProcessorReentryError);
      expect(caught).to.be.instanceOf(DeadlockError);
      const e = caught as ChannelProcessorReentryError;
      expect(e.name).to.equal('ChannelProcessorReentryError');
      expect(e.actionName).to.equal('countdown');
      expect(e.caller).to.equal(loop);
      expect(e.message).to.match(/^Deadlock: cannot call countdown through its ChannelProcessor from inside its own action; return the value instead/);
      expect(e.report).to.match(/countdown's own action \(in the loop's tasklet\) called countdown/);
      // The loop is not stuck: it serves the next call.
      expect(await cp.call(0)).to.equal(0);
      expect(await cp.stop()).to.equal(2);
    });

    it('the call fails at once (its Deferred has fired when call() returns), from a synchronous action too', async function () {
      const seen: boolean[] = [];
      const cp: ChannelProcessor<(x: number) => unknown> = new ChannelProcessor((x: number) => {
        if (x > 0) {
          const d = cp.call(x - 1);
          seen.push(d.called);
          return d;
        }
        return 'bottom';
      });
      const r = await outcome(cp.call(1));
      expect(seen).to.deep.equal([true]);
      expect((r as { error: Error }).error).to.be.instanceOf(ChannelProcessorReentryError);
      await cp.stop();
    });

    it('a call made after the action blocked the loop (awaiting a tasklet operation) fails the same way', async function () {
      const gate = new Deferred<number>();
      const cp: ChannelProcessor<(x: number) => Promise<string>> = new ChannelProcessor(async (x: number): Promise<string> => {
        if (x === 0) return 'inner';
        await blockOn(gate);
        return attempt(() => cp.call(0));
      });
      const d = cp.call(1);
      await turns(2);
      gate.callback(0);
      expect(await outcome(d)).to.deep.equal({ ok: true, value: 'ChannelProcessorReentryError' });
      await cp.stop();
    });

    for (const when of ['at once', 'after blocking first'] as const) {
      it(`through a blockingTasklet wrapper the action waits on (the wrapper calls ${when})`, async function () {
        const cp: ChannelProcessor<(x: number) => Promise<string>> = new ChannelProcessor(async (x: number): Promise<string> => {
          if (x === 0) return 'inner';
          return attempt(() => viaWrapper(0));
        });
        const viaWrapper = blockingTasklet(async (x: number): Promise<string> => {
          if (when === 'after blocking first') await schedule();
          return cp.call(x);
        });
        expect(await outcome(cp.call(1))).to.deep.equal({ ok: true, value: 'ChannelProcessorReentryError' });
        await cp.stop();
      });
    }

    it('through blockingTasklet wrappers nested three deep, the call made after each blocked', async function () {
      let caught: unknown = null;
      const cp: ChannelProcessor<(x: number) => Promise<string>> = new ChannelProcessor(async (x: number): Promise<string> => {
        if (x === 0) return 'inner';
        try {
          return await outer(0);
        } catch (e) {
          caught = e;
          return (e as Error).name;
        }
      });
      const inner = blockingTasklet(async (x: number): Promise<string> => {
        await schedule();
        return cp.call(x);
      });
      const middle = blockingTasklet(async (x: number): Promise<string> => {
        await schedule();
        return inner(x);
      });
      const outer = blockingTasklet(async (x: number): Promise<string> => middle(x));
      expect(await outcome(cp.call(1))).to.deep.equal({ ok: true, value: 'ChannelProcessorReentryError' });
      expect((caught as ChannelProcessorReentryError).report).to.match(/a tasklet that .*running action waits on/);
      await cp.stop();
    });

    for (const hops of [1, 2, 10]) {
      for (const entry of ['cp.call', 'the per-function wrapper'] as const) {
        it(`through ${hops} blockingTasklet hop(s), each blocking before the next, the innermost calling by ${entry}`, async function () {
          let caught: unknown = null;
          const action = async function relay(x: number): Promise<string> {
            if (x === 0) return 'inner';
            try {
              return await chain[hops - 1](0);
            } catch (e) {
              caught = e;
              return (e as Error).name;
            }
          };
          const cp: ChannelProcessor<(x: number) => Promise<string>> = new ChannelProcessor(action);
          const wrapped: ChannelProcessed<(x: number) => Promise<string>> = channelProcessor(action);
          const innermost = (x: number): PromiseLike<string> => (entry === 'cp.call' ? cp.call(x) : wrapped(x));
          const chain: ((x: number) => Promise<string>)[] = [];
          for (let k = 0; k < hops; k++) {
            const next = k;
            chain.push(
              blockingTasklet(async (x: number): Promise<string> => {
                await schedule();
                return next === 0 ? innermost(x) : chain[next - 1](x);
              }) as (x: number) => Promise<string>,
            );
          }
          const viaEntry = entry === 'cp.call' ? cp.call(1) : wrapped(1);
          expect(await outcome(viaEntry)).to.deep.equal({ ok: true, value: 'ChannelProcessorReentryError' });
          expect(caught).to.be.instanceOf(ChannelProcessorReentryError);
          await cp.stop();
          if (wrapped._cp) await wrapped._cp.stop();
        });
      }
    }

    it('through the per-function decorator form', async function () {
      // (The function's own name would refer to the function itself, not to the wrapper.)
      const walk: ChannelProcessed<(n: number) => Promise<string>> = channelProcessor(async function step(n: number): Promise<string> {
        if (n === 0) return 'bottom';
        return attempt(() => blockOn(walk(n - 1)));
      });
      expect(await walk(2)).to.equal('ChannelProcessorReentryError');
      await walk._cp!.stop();
    });

    it('through the per-object form (this.h = channelProcessor(this.h)) and the method decorator', async function () {
      class Node {
        readonly h: ChannelProcessed<Node['handle']>;
        constructor() {
          this.h = channelProcessor(this.handle);
        }
        async handle(n: number): Promise<string> {
          if (n === 0) return 'bottom';
          return attempt(() => blockOn(this.h(n - 1)));
        }
      }
      class Decorated {
        @channelProcessor
        visit(n: number): Deferred<string> {
          if (n === 0) return succeed('bottom');
          return this.visit(n - 1);
        }
      }
      const node = new Node();
      expect(await node.h(1)).to.equal('ChannelProcessorReentryError');
      const dec = new Decorated();
      expect(((await outcome(dec.visit(1))) as { error: Error }).error).to.be.instanceOf(ChannelProcessorReentryError);
      await (node as unknown as { handle_cp: ChannelProcessor }).handle_cp.stop();
      await (dec as unknown as { visit_cp: ChannelProcessor }).visit_cp.stop();
    });

    it('a call from a tasklet the action starts but does not wait on is not refused: it is served after the action', async function () {
      const order: string[] = [];
      const cp: ChannelProcessor<(x: string) => string> = new ChannelProcessor((x: string) => {
        order.push(`act ${x}`);
        if (x === 'first') {
          tasklet(async () => {
            order.push(`follow-up got ${await cp.call('follow-up')}`);
          }).setup();
        }
        return x;
      });
      expect(await cp.call('first')).to.equal('first');
      await runUntil(run, () => order.length === 3);
      expect(order).to.deep.equal(['act first', 'act follow-up', 'follow-up got follow-up']);
      await cp.stop();
    });

    it('calls from other tasklets while an action blocks the loop are not refused: they wait their turn', async function () {
      const gate = new Deferred<number>();
      const cp = new ChannelProcessor(async (x: number) => (x === 1 ? x + (await blockOn(gate)) : x));
      const got: number[] = [];
      for (const [i, x] of [1, 2].entries()) {
        tasklet(async () => {
          got[i] = await cp.call(x);
        }).setup();
      }
      await run();
      gate.callback(10);
      await runUntil(run, () => got[0] !== undefined && got[1] !== undefined);
      expect(got).to.deep.equal([11, 2]);
      await cp.stop();
    });

    it('an action calling another processor is not refused', async function () {
      const other = new ChannelProcessor((x: number) => succeed(x * 2));
      const cp = new ChannelProcessor(async (x: number) => blockOn(other.call(x)));
      expect(await cp.call(4)).to.equal(8);
      await cp.stop();
      await other.stop();
    });
  });
});

describe('ChannelProcessor', function () {
  describe('a call from a tasklet the action waits on through blockOn or a channel (found when nothing is left to run)', function () {
    this.timeout(60000);
    // Each case needs Node's event loop to run out of work, so the cases run in a child process,
    // one after the other (spec/channelProcessor/fixtures/stuckCycles.ts); each line is one case.
    let lines: Map<string, string>;
    before(async function () {
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'stuckCycles.ts')], { timeout: 50000 });
      lines = new Map(
        stdout
          .trim()
          .split('\n')
          .map((l) => [l.slice(0, l.lastIndexOf(': ')), l.slice(l.lastIndexOf(': ') + 2)]),
      );
    });

    for (const wait of ['blockOn of a deferredTasklet', 'a channel']) {
      for (const hops of [1, 2, 10]) {
        for (const entry of ['cp.call', 'wrapper', 'per-object']) {
          for (const blockFirst of [false, true]) {
            const name = `${wait}, ${hops} hop(s), ${entry}${blockFirst ? ', each hop blocking first' : ''}`;
            it(`${name}: the innermost call fails with ChannelProcessorReentryError and the action gets it`, function () {
              expect(lines.get(name)).to.equal('caught ChannelProcessorReentryError');
            });
          }
        }
      }
    }

    it('a plain-code call queued behind the stuck action is served once the cycle is broken', function () {
      expect(lines.get('bystander')).to.equal('caught ChannelProcessorReentryError; then served 2');
    });

    it('an action waiting on a timer, with a tasklet call queued meanwhile, is not a cycle: nothing is refused', function () {
      expect(lines.get('timer')).to.equal('timer (a call queued meanwhile)');
    });
  });
});
