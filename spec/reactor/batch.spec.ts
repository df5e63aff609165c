// The timer heap's batch (lib/reactor/batch.ts): calls pushed out of order while the heap holds
// hundreds wait unsorted and are radix-sorted when the heap is next read. Order, removal and moves
// of waiting and sorted calls, against a sorted-array model with the heap's total order.
import { expect } from 'chai';
import fc from 'fast-check';
import { DelayedCall, TimerHeap } from '../../lib/reactor/index.js';
import { applyOp, byKey, call, drain, heapOps } from './heapModel.js';

/** True when `c` is in the heap's batch (`_index` at or below the batch's base). */
function inBatch(c: DelayedCall): boolean {
  return c._index <= -(2 ** 29) && c._index > -(2 ** 30);
}

describe('TimerHeap batch', function () {
  it('thousands of calls pushed at scrambled times (many equal, negative, -0 and fractions) pop in (due, seq) order', function () {
    for (const viaDelay of [false, true]) {
      const heap = new TimerHeap();
      const calls: DelayedCall[] = [];
      for (let i = 0; i < 3000; i++) {
        const t = i % 7 === 0 ? -((i * 31) % 50) / 4 : i % 11 === 0 ? -0 : ((i * 7919) % 997) / 8;
        const c = call(heap, t);
        if (viaDelay) heap.pushDelayed(c, i); // distinct delays: no lanes
        else heap.push(c);
        calls.push(c);
      }
      expect(calls.filter(inBatch).length, 'most calls wait in the batch').to.be.above(2000);
      expect(heap.size).to.equal(3000);
      expect(heap.toArray()).to.have.members(calls);
      expect(drain(heap)).to.deep.equal(calls.slice().sort(byKey));
      expect(heap.size).to.equal(0);
    }
  });

  it('cancel, reset and delay of calls waiting in the batch, and of calls sorted there, keep the order', function () {
    const heap = new TimerHeap({ exactMoveOrder: false });
    const calls: DelayedCall[] = [];
    for (let i = 0; i < 1000; i++) {
      const c = call(heap, (i * 7919) % 500);
      heap.push(c);
      calls.push(c);
    }
    for (let i = 300; i < 1000; i += 3) calls[i].cancel(); // waiting, unsorted
    calls[400].reset(3);
    calls[401].delay(-100);
    expect(heap.peek()).to.equal(calls.filter((c) => c.active()).sort(byKey)[0]); // sorts the batch
    expect(calls.filter(inBatch).length, 'sorted calls stay in the batch').to.be.above(300);
    for (let i = 301; i < 1000; i += 3) calls[i].cancel(); // sorted
    calls[500].reset(250);
    calls[503].delay(0.5);
    for (let i = 0; i < 200; i++) {
      const c = call(heap, (i * 13) % 300); // pending beside sorted ones
      heap.push(c);
      calls.push(c);
    }
    const live = calls.filter((c) => c.active());
    expect(heap.size).to.equal(live.length);
    expect(heap.toArray()).to.have.members(live);
    expect(drain(heap)).to.deep.equal(live.sort(byKey));
  });

  it('calls that are all cancelled empty the batch; it is used again afterwards', function () {
    const heap = new TimerHeap();
    const keep: DelayedCall[] = [];
    for (let i = 0; i < 400; i++) {
      const c = call(heap, 1000 - i);
      heap.push(c);
      keep.push(c);
    }
    const gone = keep.splice(300);
    expect(gone.every(inBatch)).to.equal(true);
    for (const c of gone) c.cancel();
    expect(heap.size).to.equal(300);
    const again = call(heap, 0);
    heap.push(again);
    expect(inBatch(again)).to.equal(true);
    expect(drain(heap)).to.deep.equal([again, ...keep.sort(byKey)]);
  });

  it('property: hundreds of pushes, then pushes, pops, cancels, resets and delays, pop in (due, seq) order', function () {
    const op = heapOps(-4, 40, 8, 3, 2);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 260, maxLength: 600 }), fc.array(op, { maxLength: 300 }), (first, ops) => {
        // Without exact move order the heap's order is (due, seq) with seq renewed on a move.
        const heap = new TimerHeap({ exactMoveOrder: false });
        const live: DelayedCall[] = [];
        for (const t of first) {
          const c = call(heap, t / 2);
          heap.push(c);
          live.push(c);
        }
        for (const o of ops) applyOp(heap, live, o, 1 / 2);
        expect(heap.toArray()).to.have.members(live);
        expect(drain(heap)).to.deep.equal(live.sort(byKey));
      }),
      { numRuns: 60 },
    );
  });
});
