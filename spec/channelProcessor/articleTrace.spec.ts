// The article "Stackless Event Loops" (Steve Coursen, 2008), step by step: the observed 2-client
// trace of the article's two-client run (two client tasklets C1 and C2 each
// call `cp(n)` with action `x * 10`), and the article's class A example.
import { expect } from 'chai';
import { ChannelProcessor, channelProcessor } from '../../lib/channelProcessor/index.js';
import { runUntil } from './helpers.js';
import { getcurrent, getmain, run, tasklet, type Tasklet } from '../../lib/tasklets/index.js';

describe('ChannelProcessor (article: Stackless Event Loops)', function () {
  describe('the 2-client trace', function () {
    it('gives each client its result, runs the actions one at a time in call order, and C1 finishes before C2', async function () {
      const log: string[] = [];
      const actors: (Tasklet | undefined)[] = [];
      const cp = new ChannelProcessor((x: number) => {
        log.push(`P:act(${x})`);
        actors.push(getcurrent());
        return x * 10;
      });
      log.push('M:constructed');
      const results: Record<string, number> = {};
      const client = (name: string, n: number) =>
        tasklet(async () => {
          log.push(`${name}:call`);
          const rv = await cp.call(n);
          results[name] = rv;
          log.push(`${name}:ret ${rv}`);
        });
      const c1 = client('C1', 1).setup();
      const c2 = client('C2', 2).setup();
      log.push('M:run');
      await runUntil(run, () => results.C2 !== undefined);
      log.push('M:run-returned');

      // Results.
      expect(results).to.deep.equal({ C1: 10, C2: 20 });
      // The observable steps of the Stackless trace, exactly: a call from a tasklet is made by
      // that tasklet itself (it used to have a tasklet of its own, which woke its caller at the
      // end of the ring, so P:act(2) came before C1:ret 10 and only the members were checked).
      expect(log).to.deep.equal(['M:constructed', 'M:run', 'C1:call', 'P:act(1)', 'C2:call', 'C1:ret 10', 'P:act(2)', 'C2:ret 20', 'M:run-returned']);
      // Both actions ran in the processor's own loop tasklet: not main, not a client.
      expect(actors[0]).to.equal(actors[1]);
      expect(actors[0]).to.not.equal(getmain());
      expect(actors[0]).to.not.equal(c1);
      expect(actors[0]).to.not.equal(c2);
      // The loop is left blocked in receive() when run() returns.
      expect(cp.channel.balance).to.equal(-1);
      expect(cp.running).to.equal(true);
      expect(await cp.stop()).to.equal(2);
    });

    it('serialises actions: the second action starts only after the first has returned', async function () {
      const log: string[] = [];
      let inside = 0;
      const cp = new ChannelProcessor((x: number) => {
        inside++;
        log.push(`start ${x} (inside ${inside})`);
        let s = 0;
        for (let i = 0; i < 1000; i++) s += i;
        log.push(`end ${x}`);
        inside--;
        return s + x;
      });
      for (const n of [1, 2, 3]) {
        tasklet(async () => {
          await cp.call(n);
        }).setup();
      }
      await runUntil(run, () => log.length === 6);
      expect(log).to.deep.equal(['start 1 (inside 1)', 'end 1', 'start 2 (inside 1)', 'end 2', 'start 3 (inside 1)', 'end 3']);
      await cp.stop();
    });
  });

  describe('the article\'s class A example', function () {
    it('self.func = channel_processor(self.func): each object gets its own loop, kept as func_cp', async function () {
      const printed: string[] = [];
      class A {
        constructor() {
          this.func = channelProcessor(this.func);
        }
        func(...args: unknown[]): void {
          printed.push(`Here i am with arg list: ${JSON.stringify(args)}`);
        }
      }
      const a = new A();
      const b = new A();
      tasklet(async () => {
        await a.func(1, 2);
        await b.func('x');
        await a.func(3);
      }).setup();
      await runUntil(run, () => printed.length === 3);
      expect(printed).to.deep.equal(['Here i am with arg list: [1,2]', 'Here i am with arg list: ["x"]', 'Here i am with arg list: [3]']);
      const aCp = (a as unknown as { func_cp: ChannelProcessor }).func_cp;
      const bCp = (b as unknown as { func_cp: ChannelProcessor }).func_cp;
      expect(aCp).to.be.instanceOf(ChannelProcessor);
      expect(bCp).to.be.instanceOf(ChannelProcessor);
      expect(aCp).to.not.equal(bCp);
      expect(await aCp.stop()).to.equal(2);
      expect(await bCp.stop()).to.equal(1);
    });
  });
});
