// What a processor keeps alive once its loop has ended (stopped, or its tasklet killed): nothing
// of the channelProcessor module may hold the object of a per-object processor
// (`this.h = channelProcessor(this.h)`). Needs --expose-gc (see .mocharc.json).
import { expect } from 'chai';
import { channelProcessor, type ChannelProcessed, type ChannelProcessor } from '../../lib/channelProcessor/index.js';
import { getcurrent, type Tasklet } from '../../lib/tasklets/index.js';
import { outcome, turns } from './helpers.js';

class Handler {
  readonly h: ChannelProcessed<Handler['handle']>;
  loop: Tasklet | null = null;
  constructor() {
    this.h = channelProcessor(this.handle);
  }
  handle(x: number): number {
    this.loop = getcurrent();
    return x + 1;
  }
}

async function collect(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run the specs with --expose-gc (see .mocharc.json)');
  for (let i = 0; i < 8; i++) {
    gc();
    await turns(1);
  }
}

describe('channelProcessor per-object processors and memory', function () {
  for (const end of ['stop()', 'kill() of the loop'] as const) {
    it(`objects whose processor ended by ${end} are collected once dropped`, async function () {
      const refs: WeakRef<object>[] = [];
      await (async () => {
        for (let i = 0; i < 300; i++) {
          const o = new Handler();
          expect(await o.h(1)).to.equal(2);
          const pending = o.h(2); // a call in flight when the loop ends
          const cp = (o as unknown as { handle_cp: ChannelProcessor }).handle_cp;
          if (end === 'stop()') await cp.stop();
          else {
            await (o.loop as Tasklet).kill();
            await outcome(cp.done);
          }
          await outcome(pending);
          refs.push(new WeakRef(o));
        }
      })();
      await collect();
      expect(refs.filter((r) => r.deref() !== undefined)).to.have.length(0);
    });
  }
});
