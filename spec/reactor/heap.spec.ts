// The timer heap behind reactor and Clock (lib/reactor/heap.ts): order, O(log n) removal and
// moves, and a fast-check property against a sorted-array model with the same total order.
import { expect } from 'chai';
import fc from 'fast-check';
import { InvalidOptionsError } from '../../lib/defer/index.js';
import { DelayedCall, TimerHeap } from '../../lib/reactor/index.js';
import { applyOp, call, drain, heapOps } from './heapModel.js';

function before(a: DelayedCall, b: DelayedCall): boolean {
  return a._due < b._due || (a._due === b._due && a._seq < b._seq);
}

// toArray() lists the heap part (slots 0..k-1, `_index` = slot) then the sorted run
// (`_index` = -2 - position, positions increasing, calls in run order).
function checkInvariants(heap: TimerHeap): void {
  const items = heap.toArray();
  const inHeap = items.filter((c) => c._index >= 0);
  const inRun = items.filter((c) => c._index <= -2);
  expect(inHeap.length + inRun.length, 'every queued call is in one part').to.equal(items.length);
  inHeap.forEach((c, i) => {
    expect(c._index, 'index bookkeeping').to.equal(i);
    if (i > 0) expect(before(inHeap[(i - 1) >> 1], c), 'heap order').to.equal(true);
  });
  for (let i = 1; i < inRun.length; i++) {
    expect(inRun[i]._index, 'run positions increase').to.be.lessThan(inRun[i - 1]._index);
    expect(before(inRun[i - 1], inRun[i]), 'run order').to.equal(true);
  }
}

describe('TimerHeap', function () {
  it('pops calls by due time, equal times in insertion order', function () {
    const heap = new TimerHeap();
    const calls = [3, 1, 2, 1, 3, 0].map((t) => call(heap, t));
    for (const c of calls) heap.push(c);
    expect(drain(heap)).to.deep.equal([calls[5], calls[1], calls[3], calls[2], calls[0], calls[4]]);
    expect(heap.size).to.equal(0);
    expect(heap.peek()).to.equal(undefined);
    expect(heap.pop()).to.equal(undefined);
  });

  it('cancel() removes a call from the middle; the rest keep their order', function () {
    const heap = new TimerHeap();
    const calls = Array.from({ length: 20 }, (_, i) => call(heap, (i * 7) % 20));
    for (const c of calls) heap.push(c);
    calls[7].cancel();
    calls[0].cancel();
    checkInvariants(heap);
    expect(calls[7]._index).to.equal(-1);
    expect(drain(heap).map((c) => c.getTime())).to.deep.equal(
      calls.filter((c) => !c.cancelled).map((c) => c.getTime()).sort((a, b) => a - b),
    );
  });

  it('reset() and delay() move a call up or down', function () {
    const heap = new TimerHeap();
    const a = call(heap, 1);
    const b = call(heap, 2);
    const c = call(heap, 3);
    for (const x of [a, b, c]) heap.push(x);
    a.reset(5);
    c.delay(-2.5);
    expect(drain(heap)).to.deep.equal([c, b, a]);
  });

  it('remove() and update() of a call that is not queued do nothing', function () {
    const heap = new TimerHeap();
    const a = call(heap, 1);
    heap.remove(a);
    heap.update(a, 0);
    expect(heap.size).to.equal(0);
    const other = new TimerHeap();
    other.push(a);
    heap.remove(a);
    expect(other.size).to.equal(1);
  });

  it('the first call goes to the heap, later ones that arrive in order to the sorted run, out-of-order ones to the heap; pops merge both', function () {
    const heap = new TimerHeap();
    const inOrder = [1, 2, 2, 3].map((t) => call(heap, t));
    for (const c of inOrder) heap.push(c);
    expect(inOrder.map((c) => c._index)).to.deep.equal([0, -2, -3, -4]);
    const early = call(heap, 1.5);
    heap.push(early);
    expect(early._index).to.equal(1);
    inOrder[1].reset(10); // leaves the run, re-enters at its end
    checkInvariants(heap);
    expect(drain(heap)).to.deep.equal([inOrder[0], early, inOrder[2], inOrder[3], inOrder[1]]);
  });

  it('a long run with many calls cancelled from its middle is compacted and stays in order', function () {
    const heap = new TimerHeap();
    const calls = Array.from({ length: 5000 }, (_, i) => call(heap, i));
    for (const c of calls) heap.push(c);
    for (let i = 0; i < 5000; i++) if (i % 5 !== 0) calls[i].cancel();
    checkInvariants(heap);
    expect(heap.size).to.equal(1000);
    expect(drain(heap)).to.deep.equal(calls.filter((_, i) => i % 5 === 0));
  });

  it('toSortedArray() lists the calls in run order without removing them', function () {
    const heap = new TimerHeap();
    const calls = [2, 0, 1].map((t) => call(heap, t));
    for (const c of calls) heap.push(c);
    expect(heap.toSortedArray()).to.deep.equal([calls[1], calls[2], calls[0]]);
    expect(heap.size).to.equal(3);
  });

  it('property: any sequence of push, pop, cancel, reset and delay keeps the heap valid and pops in (due, seq) order', function () {
    const op = heapOps(0, 8, 4);
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const heap = new TimerHeap({ exactMoveOrder: false }); // the per-move rule: (due, seq) with seq renewed on a move
        const live: DelayedCall[] = [];
        for (const o of ops) {
          applyOp(heap, live, o);
          checkInvariants(heap);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('TimerHeap options', function () {
  it('exactMoveOrder (default true) regroups calls moved the same way onto one time by their old keys; false keeps the order of the moves; bad options are an InvalidOptionsError', function () {
    const order = (heap: TimerHeap): string[] => {
      const names = new Map<DelayedCall, string>();
      const a = call(heap, 0.25);
      const b = call(heap, 0.5);
      heap.push(a);
      heap.push(b);
      names.set(a, 'a').set(b, 'b');
      a.reset(1);
      b.reset(1);
      return drain(heap).map((c) => names.get(c) as string);
    };
    expect(order(new TimerHeap())).to.deep.equal(['a', 'b']);
    expect(order(new TimerHeap({ exactMoveOrder: true }))).to.deep.equal(['a', 'b']);
    expect(order(new TimerHeap({ exactMoveOrder: false }))).to.deep.equal(['b', 'a']);
    expect(() => new TimerHeap({ exactMoveOrder: 'yes' } as never)).to.throw(InvalidOptionsError, /exactMoveOrder must be true or false/);
    expect(() => new TimerHeap({ exact: true } as never)).to.throw(InvalidOptionsError, /has no option "exact"/);
  });
});

describe('TimerHeap lanes', function () {
  // pushDelayed(call, delay): how reactor.callLater and Clock.callLater queue a call.
  function delayed(heap: TimerHeap, now: number, delay: number): DelayedCall {
    const c = new DelayedCall(now + delay, () => undefined, [], heap.canceller, heap.resetter, () => now);
    heap.pushDelayed(c, delay);
    return c;
  }

  it('calls pushed with repeated delays pop in (due, seq) order, interleaved with the heap and the run', function () {
    const heap = new TimerHeap();
    const calls: DelayedCall[] = [];
    for (let i = 0; i < 300; i++) calls.push(delayed(heap, i / 10, [0, 3, 1, 7, 3][i % 5]));
    expect(heap.size).to.equal(300);
    expect(heap.toArray()).to.have.members(calls);
    const mark = (heap as unknown as { _lanes: { mark: number } })._lanes.mark;
    const parts = [calls.filter((c) => c._index >= 0), calls.filter((c) => c._index <= -2 && c._index !== mark), calls.filter((c) => c._index === mark)];
    expect(parts.map((p) => p.length > 0), 'calls in the heap, the run and the lanes').to.deep.equal([true, true, true]);
    const model = calls.slice().sort((a, b) => a._due - b._due || a._seq - b._seq);
    expect(drain(heap)).to.deep.equal(model);
    expect(heap.size).to.equal(0);
  });

  it('property: pushes with delays from a small set, a clock that may go back, pops, cancels, resets and delays keep (due, seq) order', function () {
    type Op = { k: 'push'; d: number; back: boolean } | { k: 'pop' } | { k: 'cancel'; i: number } | { k: 'reset'; i: number; t: number } | { k: 'delay'; i: number; t: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 4, arbitrary: fc.record({ k: fc.constant('push' as const), d: fc.constantFrom(0, 0.5, 1, 2, 5), back: fc.boolean() }) },
      fc.record({ k: fc.constant('pop' as const) }),
      fc.record({ k: fc.constant('cancel' as const), i: fc.nat() }),
      fc.record({ k: fc.constant('reset' as const), i: fc.nat(), t: fc.integer({ min: 0, max: 8 }) }),
      fc.record({ k: fc.constant('delay' as const), i: fc.nat(), t: fc.integer({ min: -4, max: 4 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), fc.boolean(), (ops, exact) => {
        const heap = new TimerHeap({ exactMoveOrder: exact });
        const live: DelayedCall[] = [];
        let now = 0;
        for (const o of ops) {
          if (o.k === 'push') {
            now = o.back ? now - 0.25 : now + 0.25; // a clock that goes back forces the heap
            live.push(delayed(heap, now, o.d));
          } else if (o.k === 'pop') {
            const got = heap.pop();
            if (live.length === 0) expect(got).to.equal(undefined);
            else {
              const c = got as DelayedCall;
              expect(live.every((x) => x === c || c._due < x._due || (c._due === x._due && c._seq <= x._seq)), 'the earliest call').to.equal(true);
              c.called = true;
              live.splice(live.indexOf(c), 1);
            }
          } else if (live.length > 0) {
            const c = live[o.i % live.length];
            if (o.k === 'cancel') {
              c.cancel();
              live.splice(live.indexOf(c), 1);
            } else if (o.k === 'reset') c.reset(o.t);
            else c.delay(o.t);
          }
          expect(heap.size).to.equal(live.length);
          expect(heap.toArray()).to.have.members(live);
        }
        const rest = drain(heap);
        for (let i = 1; i < rest.length; i++) expect(before(rest[i - 1], rest[i]), 'drained in order').to.equal(true);
        expect(rest).to.have.members(live);
      }),
      { numRuns: 300 },
    );
  });

  it('many calls cancelled in lanes are let go: the lanes compact and the rest stay in order', function () {
    const heap = new TimerHeap();
    const calls: DelayedCall[] = [];
    for (let i = 0; i < 6000; i++) calls.push(delayed(heap, i, [10, 20][i % 2]));
    for (let i = 0; i < 6000; i++) if (i % 3 !== 0) calls[i].cancel();
    expect(heap.size).to.equal(2000);
    const lanes = (heap as unknown as { _lanes: { _stale: number } })._lanes;
    expect(lanes._stale, 'skipped slots are compacted away').to.be.at.most(heap.size + 1024);
    expect(drain(heap)).to.deep.equal(calls.filter((_, i) => i % 3 === 0).sort((a, b) => a._due - b._due || a._seq - b._seq));
  });

  it('a run or a lane that never empties does not grow without bound', function () {
    // One call always pending while calls are pushed and popped in order (a busy server's
    // timeouts): the consumed front of the run, and of a lane, is dropped now and then.
    for (const useLanes of [false, true]) {
      const heap = new TimerHeap();
      let now = 0;
      const push = (): void => {
        if (useLanes) delayed(heap, now, 30);
        else heap.push(call(heap, now + 30));
      };
      for (let i = 0; i < 10; i++) push();
      for (let i = 0; i < 50_000; i++) {
        now += 1;
        push();
        const c = heap.pop() as DelayedCall;
        c.called = true;
      }
      expect(heap.size).to.equal(10);
      const inner = heap as unknown as { _run: unknown[]; _lanes: { _queue: { calls: unknown[] }[] } };
      const longest = Math.max(inner._run.length, ...inner._lanes._queue.map((l) => l.calls.length));
      expect(longest, useLanes ? 'lane' : 'run').to.be.below(5000);
    }
  });
});
