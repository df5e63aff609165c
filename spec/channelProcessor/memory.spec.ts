// Memory of per-object channel processors (`this.h = channelProcessor(this.h)`): an object
// dropped without stop() is collected with its processor, whose loop tasklet waits on the
// processor's own channel and is reachable only through it. Needs node --expose-gc.
import { expect } from 'chai';
import { channelProcessor } from '../../lib/channelProcessor/index.js';
import type { Deferred } from '../../lib/defer/index.js';
import { run } from '../../lib/tasklets/index.js';
import { settledHeap } from '../defer/support.js';

class Handler {
  readonly data = new Array<number>(64).fill(7);
  constructor() {
    // The processed method returns a Deferred of the action's result (see call below).
    this.h = channelProcessor(this.h) as unknown as (x: number) => number;
  }
  h(x: number): number {
    return x + this.data.length;
  }
}

/** Makes `n` objects, each with a processor started by one call, answered; returns them. */
async function makeMany(n: number, probe: (o: Handler) => void): Promise<Handler[]> {
  const objects: Handler[] = [];
  let answered = 0;
  for (let i = 0; i < n; i++) {
    const o = new Handler();
    objects.push(o);
    if (i === 0) probe(o);
    (o.h(i) as unknown as Deferred<number>).addCallback((v: number) => {
      if (v === i + 64) answered++;
      return v;
    });
  }
  await run();
  for (let i = 0; i < 5 && answered < n; i++) await new Promise((r) => setImmediate(r));
  expect(answered).to.equal(n);
  return objects;
}

describe('channelProcessor: memory of per-object processors', function () {
  it('20,000 objects with a processor each, dropped without stop(), are collected: the heap goes back to its baseline', async function () {
    this.timeout(120000);
    const base = await settledHeap();
    let probe: WeakRef<Handler> | null = null;
    const keep: { objects: Handler[] | null } = { objects: await makeMany(20000, (o) => (probe = new WeakRef(o))) };
    const held = (await settledHeap()) - base;
    expect(keep.objects?.length).to.equal(20000);
    expect((probe as WeakRef<Handler> | null)?.deref()).to.be.instanceOf(Handler);
    keep.objects = null;
    const left = (await settledHeap()) - base;
    expect((probe as WeakRef<Handler> | null)?.deref()).to.equal(undefined);
    expect(held).to.be.greaterThan(10e6);
    expect(left, `held ${held} bytes, ${left} left`).to.be.lessThan(held / 10);
  });
});
