// What the timer heap specs share: making a call on a heap, draining it, the heap's total order,
// and one random operation applied to the heap and to a plain list of the live calls (the model).
import { expect } from 'chai';
import fc from 'fast-check';
import { DelayedCall, TimerHeap } from '../../lib/reactor/index.js';

export function call(heap: TimerHeap, time: number, now = 0): DelayedCall {
  return new DelayedCall(time, () => undefined, [], heap.canceller, heap.resetter, () => now);
}

/** Pop every call, marking each called, in pop order. */
export function drain(heap: TimerHeap): DelayedCall[] {
  const out: DelayedCall[] = [];
  for (let c = heap.pop(); c !== undefined; c = heap.pop()) {
    c.called = true;
    out.push(c);
  }
  return out;
}

/** The heap's order without exact move order: (due, seq), seq renewed on a move. */
export const byKey = (a: DelayedCall, b: DelayedCall): number => a._due - b._due || a._seq - b._seq;

export type HeapOp = { k: 'push'; t: number } | { k: 'pop' } | { k: 'cancel'; i: number } | { k: 'reset'; i: number; t: number } | { k: 'delay'; i: number; t: number };

/** Random operations with times in [min, max]; a delay moves a call by up to `shift` either way. */
export function heapOps(min: number, max: number, shift: number, pushWeight = 1, popWeight = 1): fc.Arbitrary<HeapOp> {
  return fc.oneof(
    { weight: pushWeight, arbitrary: fc.record({ k: fc.constant('push' as const), t: fc.integer({ min, max }) }) },
    { weight: popWeight, arbitrary: fc.record({ k: fc.constant('pop' as const) }) },
    fc.record({ k: fc.constant('cancel' as const), i: fc.nat() }),
    fc.record({ k: fc.constant('reset' as const), i: fc.nat(), t: fc.integer({ min: 0, max }) }),
    fc.record({ k: fc.constant('delay' as const), i: fc.nat(), t: fc.integer({ min: -shift, max: shift }) }),
  );
}

/** Apply `o` (times multiplied by `scale`) to the heap and to `live`; a pop must give the model's first call. */
export function applyOp(heap: TimerHeap, live: DelayedCall[], o: HeapOp, scale = 1): void {
  if (o.k === 'push') {
    const c = call(heap, o.t * scale);
    heap.push(c);
    live.push(c);
  } else if (o.k === 'pop') {
    const got = heap.pop();
    expect(got).to.equal(live.slice().sort(byKey)[0]);
    if (got) {
      got.called = true;
      live.splice(live.indexOf(got), 1);
    }
  } else if (live.length > 0) {
    const c = live[o.i % live.length];
    if (o.k === 'cancel') {
      c.cancel();
      live.splice(live.indexOf(c), 1);
    } else if (o.k === 'reset') c.reset(o.t * scale);
    else c.delay(o.t * scale);
  }
  expect(heap.size).to.equal(live.length);
}
