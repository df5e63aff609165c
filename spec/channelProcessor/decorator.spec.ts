// The channel_processor decorator of "Stackless Event Loops" (reconstructed from the article's prose):
// per-function processors kept as `_cp`, per-object processors kept as `<name>_cp`, the
// article's `self.func = channel_processor(self.func)` form and the TC39 method decorator.
import { expect } from 'chai';
import { ChannelProcessor, channelProcessor, type ChannelProcessed } from '../../lib/channelProcessor/index.js';
import { Deferred, succeed } from '../../lib/defer/index.js';
import { runUntil } from './helpers.js';
import { getcurrent, run, tasklet, type Tasklet } from '../../lib/tasklets/index.js';

describe('channelProcessor', function () {
  describe('per function', function () {
    it('creates one ChannelProcessor on first use and keeps it on the function as _cp', async function () {
      function scale(x: number, k: number): number {
        return x * k;
      }
      const wrapped = channelProcessor(scale);
      expect((scale as { _cp?: unknown })._cp).to.equal(undefined);
      expect(wrapped._cp).to.equal(undefined);
      expect(await wrapped(2, 3)).to.equal(6);
      const cp = (scale as { _cp?: ChannelProcessor })._cp;
      expect(cp).to.be.instanceOf(ChannelProcessor);
      expect(wrapped._cp).to.equal(cp);
      expect(await wrapped(4, 5)).to.equal(20);
      expect((scale as { _cp?: unknown })._cp).to.equal(cp);
      // Wrapping the same function again shares its processor, as the article's f._cp does.
      const again = channelProcessor(scale);
      expect(await again(1, 1)).to.equal(1);
      expect(again._cp).to.equal(cp);
      expect(Object.keys(scale)).to.deep.equal([]);
      expect(await cp!.stop()).to.equal(3);
    });

    it('keeps the name and length of the function', function () {
      const wrapped = channelProcessor(function handleEvent(_a: number, _b: string) {
        return 1;
      });
      expect(wrapped.name).to.equal('handleEvent');
      expect(wrapped.length).to.equal(2);
    });

    it('is typed as the function with a Deferred result', async function () {
      const wrapped = channelProcessor((x: number) => String(x));
      const d: Deferred<string> = wrapped(1);
      // @ts-expect-error the parameter types are kept
      void wrapped('not a number');
      const s: string = await d;
      expect(s).to.equal('1');
      const asyncWrapped: ChannelProcessed<(x: number) => Promise<boolean>> = channelProcessor(async (x: number) => x > 0);
      const b: Deferred<boolean> = asyncWrapped(1);
      expect(await b).to.equal(true);
      await wrapped._cp!.stop();
      await asyncWrapped._cp!.stop();
    });

    it('serialises the calls of every caller through the one loop', async function () {
      const log: string[] = [];
      const record = channelProcessor((who: string, n: number) => {
        log.push(`${who}${n}`);
      });
      for (const who of ['a', 'b']) {
        tasklet(async () => {
          await record(who, 1);
          await record(who, 2);
        }).setup();
      }
      await runUntil(run, () => log.length === 4);
      expect(log).to.have.members(['a1', 'a2', 'b1', 'b2']);
      expect(log.indexOf('a1')).to.be.lessThan(log.indexOf('a2'));
      expect(log.indexOf('b1')).to.be.lessThan(log.indexOf('b2'));
      await record._cp!.stop();
    });
  });

  describe('per object: this.func = channelProcessor(this.func)', function () {
    class Counter {
      count = 0;
      readonly threads: (Tasklet | undefined)[] = [];
      constructor(readonly label: string) {
        this.bump = channelProcessor(this.bump);
      }
      bump(by: number): void {
        this.count += by;
        this.threads.push(getcurrent());
      }
    }

    it('gives each object its own processor, kept on it as <name>_cp, running with this = the object', async function () {
      const a = new Counter('a');
      const b = new Counter('b');
      await a.bump(1);
      await a.bump(2);
      await b.bump(10);
      expect(a.count).to.equal(3);
      expect(b.count).to.equal(10);
      const aCp = (a as unknown as { bump_cp: ChannelProcessor }).bump_cp;
      const bCp = (b as unknown as { bump_cp: ChannelProcessor }).bump_cp;
      expect(aCp).to.be.instanceOf(ChannelProcessor);
      expect(bCp).to.be.instanceOf(ChannelProcessor);
      expect(aCp).to.not.equal(bCp);
      expect(aCp.self).to.equal(a);
      // One loop tasklet per object: each object's actions ran in its own tasklet.
      expect(a.threads[0]).to.equal(a.threads[1]);
      expect(a.threads[0]).to.not.equal(b.threads[0]);
      // Not enumerable: the object's own data is unchanged.
      expect(Object.keys(a)).to.not.include('bump_cp');
      // The prototype's function got no per-function processor.
      expect((Counter.prototype.bump as { _cp?: unknown })._cp).to.equal(undefined);
      expect(await aCp.stop()).to.equal(2);
      expect(await bCp.stop()).to.equal(1);
    });
  });

  describe('method decorator', function () {
    class Tally {
      total = 0;
      @channelProcessor
      add(n: number): Deferred<number> {
        this.total += n;
        return succeed(this.total);
      }
    }

    it('keeps one processor per object and method as <name>_cp', async function () {
      const t1 = new Tally();
      const t2 = new Tally();
      expect(await t1.add(2)).to.equal(2);
      expect(await t1.add(3)).to.equal(5);
      expect(await t2.add(7)).to.equal(7);
      const cp1 = (t1 as unknown as { add_cp: ChannelProcessor }).add_cp;
      const cp2 = (t2 as unknown as { add_cp: ChannelProcessor }).add_cp;
      expect(cp1).to.be.instanceOf(ChannelProcessor);
      expect(cp1).to.not.equal(cp2);
      expect(Tally.prototype.add.name).to.equal('add');
      expect(Tally.prototype.add.length).to.equal(1);
      await cp1.stop();
      await cp2.stop();
    });
  });

  describe('per function vs per object', function () {
    it('the same wrapper is per function when called plainly and per object when called as a method', async function () {
      const seen: unknown[] = [];
      function note(this: unknown, x: number): number {
        seen.push(this);
        return x;
      }
      const wrapped = channelProcessor(note);
      const holder = { note: wrapped };
      await wrapped(1);
      await holder.note(2);
      expect(seen[0]).to.not.equal(holder);
      expect(seen[1]).to.equal(holder);
      const fnCp = wrapped._cp!;
      const objCp = (holder as unknown as { note_cp: ChannelProcessor }).note_cp;
      expect(fnCp).to.not.equal(objCp);
      await fnCp.stop();
      await objCp.stop();
    });
  });
});
