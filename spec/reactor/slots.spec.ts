// The long slot arrays and sort arrays the timer heap's parts reuse (lib/reactor/slots.ts and the
// sort of lib/reactor/batch.ts): a part that empties hands its long arrays on, and the next part
// that grows takes them. Several heaps in use at once, each filled, sorted, drained and cancelled
// from in turn, must each still pop their own calls in (due, seq) order, against a sorted model.
import { expect } from 'chai';
import { DelayedCall, TimerHeap } from '../../lib/reactor/index.js';
import { call } from './heapModel.js';
import { Clock } from '../../lib/task/index.js';
import { settledHeap } from '../defer/support.js';

/** A small deterministic generator (the same sequence on every run). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const byDueThenSeq = (a: DelayedCall, b: DelayedCall): number => a.getTime() - b.getTime() || a._seq - b._seq;

interface Tracked {
  heap: TimerHeap;
  // The live calls in run order from `head` on (re-sorted after pushes and cancels).
  model: DelayedCall[];
  head: number;
}

function popAndCheck(t: Tracked, count: number): void {
  for (let i = 0; i < count && t.head < t.model.length; i++) {
    const got = t.heap.pop();
    expect(got, 'the model\'s next call').to.equal(t.model[t.head++]);
    (got as DelayedCall).called = true;
  }
  expect(t.heap.size).to.equal(t.model.length - t.head);
}

describe('TimerHeap slot and sort arrays', function () {
  it('three heaps filled with thousands of scrambled calls, drained, cancelled from and refilled in turn each pop their own calls in order', function () {
    const next = lcg(13);
    const heaps: Tracked[] = [0, 1, 2].map((k) => ({ heap: new TimerHeap({ exactMoveOrder: k !== 1 }), model: [], head: 0 }));
    for (let step = 0; step < 60; step++) {
      const t = heaps[Math.floor(next() * heaps.length)];
      const action = next();
      if (action < 0.45) {
        // A bulk of scrambled calls (whole, fractional, many equal): the batch, past the heap's first 256.
        const k = 1000 + Math.floor(next() * 7000);
        const live = t.model.slice(t.head);
        for (let i = 0; i < k; i++) {
          const due = next() < 0.5 ? Math.floor(next() * 500) : next() * 1000;
          const c = call(t.heap, due);
          if (next() < 0.3) t.heap.pushDelayed(c, 1 + (i % 3));
          else t.heap.push(c);
          live.push(c);
        }
        t.model = live.sort(byDueThenSeq);
        t.head = 0;
      } else if (action < 0.7) {
        popAndCheck(t, Math.floor(next() * 3000));
      } else if (action < 0.85) {
        // Cancel a few live calls, anywhere in the order.
        const live = t.model.slice(t.head);
        for (let i = 0; i < 40 && live.length > 0; i++) {
          const c = live.splice(Math.floor(next() * live.length), 1)[0];
          c.cancel();
        }
        t.model = live;
        t.head = 0;
        expect(t.heap.size).to.equal(live.length);
      } else {
        // Drain: the emptied parts hand their long arrays on.
        popAndCheck(t, Infinity);
        expect(t.heap.size).to.equal(0);
      }
    }
    for (const t of heaps) popAndCheck(t, Infinity);
  });

  it('a heap emptied while another is half drained: the other keeps its calls and order, and the first refills from the arrays handed on', function () {
    const a = new TimerHeap();
    const b = new TimerHeap();
    const fill = (heap: TimerHeap, n: number, offset: number): DelayedCall[] => {
      const calls: DelayedCall[] = [];
      for (let i = 0; i < n; i++) {
        const c = call(heap, ((i * 7919) % n) + offset);
        heap.push(c);
        calls.push(c);
      }
      return calls.sort(byDueThenSeq);
    };
    const inA = fill(a, 20_000, 0.5);
    const inB = fill(b, 20_000, 0.25);
    for (let i = 0; i < 10_000; i++) expect(b.pop()).to.equal(inB[i]);
    for (let i = 0; i < 20_000; i++) expect(a.pop()).to.equal(inA[i]); // a's batch empties: its arrays are handed on
    const again = fill(a, 20_000, 0.75);
    for (let i = 10_000; i < 20_000; i++) expect(b.pop()).to.equal(inB[i]);
    for (let i = 0; i < 20_000; i++) expect(a.pop()).to.equal(again[i]);
    expect([a.size, b.size]).to.deep.equal([0, 0]);
  });

  it('the arrays kept for reuse are freed by the next full collection once every Clock that used them is dropped', async function () {
    // A drained Clock of 200,000 scrambled calls leaves long slot arrays, sort keys and order
    // arrays behind for the next one (about 8 MB): held weakly, none of it outlives the Clocks.
    const before = await settledHeap();
    for (let round = 0; round < 2; round++) {
      const clock = new Clock();
      let ran = 0;
      for (let i = 0; i < 200_000; i++) clock.callLater((i * 7919) % 100_003, () => ran++);
      clock.advance(200_000);
      expect(ran).to.equal(200_000);
    }
    const after = await settledHeap();
    expect(after - before, 'bytes still held').to.be.below(1 << 20);
  });
});
