// A DelayedCall keeps its times as integer keys (lib/reactor/timeKey.ts), never as a double field:
// every float given must read back exactly (-0, subnormals, extremes, Infinity), the keys must
// order as the floats do, and the timer heap must pop calls at any float times in (due, seq)
// order in each of its parts, against a sorted-array model.
import { expect } from 'chai';
import fc from 'fast-check';
import { DelayedCall, NotANumberError, TimerHeap } from '../../lib/reactor/index.js';
import { call, drain } from './heapModel.js';

const nothing = (): void => undefined;
const at = (time: number): DelayedCall => new DelayedCall(time, nothing, [], null, null, () => 0);
// Floats of every kind: NaN is left out (schedulers reject NaN delays before a call is made).
const anyTime = fc.oneof(
  fc.double({ noNaN: true }),
  fc.constantFrom(0, -0, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, 0.1, 0.2, 0.30000000000000004),
  fc.integer({ min: -1000, max: 1000 }).map((n) => n / 8),
);

/** -1, 0 or 1 as the key of `a` compares with the key of `b`. */
function keyOrder(a: DelayedCall, b: DelayedCall): number {
  if (a._dueHi !== b._dueHi) return a._dueHi < b._dueHi ? -1 : 1;
  return a._dueLo === b._dueLo ? 0 : a._dueLo < b._dueLo ? -1 : 1;
}

describe('DelayedCall times', function () {
  it('time, delayedTime and getTime() read back exactly the floats given, through the constructor, the setters, reset() and delay()', function () {
    fc.assert(
      fc.property(anyTime, anyTime, (t, d) => {
        const dc = at(t);
        expect(Object.is(dc.time, t), 'time').to.equal(true);
        expect(Object.is(dc.delayedTime, 0), 'delayedTime').to.equal(true);
        expect(Object.is(dc.getTime(), t + 0), 'getTime()').to.equal(true);
        dc.delayedTime = d;
        expect(Object.is(dc.time, t) && Object.is(dc.delayedTime, d) && Object.is(dc.getTime(), t + d)).to.equal(true);
        dc.time = d;
        expect(Object.is(dc.time, d) && Object.is(dc.delayedTime, d) && Object.is(dc.getTime(), d + d)).to.equal(true);
      }),
      { numRuns: 500 },
    );
  });

  it('reset() and delay() compute time and delayedTime as the float arithmetic of Twisted does', function () {
    fc.assert(
      fc.property(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.double({ noNaN: true, min: 0, max: 1e6 }), fc.double({ noNaN: true, min: -1e6, max: 1e6 }), (t, later, by) => {
        const now = t / 3;
        const dc = new DelayedCall(t, nothing, [], null, null, () => now);
        dc.reset(later);
        const newTime = now + later;
        let [time, delayed] = newTime < t ? [newTime, 0] : [t, newTime - t];
        expect([dc.time, dc.delayedTime, dc.getTime()]).to.deep.equal([time, delayed, time + delayed]);
        dc.delay(by);
        delayed += by;
        if (delayed < 0) [time, delayed] = [time + delayed, 0];
        expect([dc.time, dc.delayedTime, dc.getTime()]).to.deep.equal([time, delayed, time + delayed]);
      }),
      { numRuns: 300 },
    );
  });

  it('a time of -0 reads back -0, while getTime() gives +0 (the sum -0 + 0); toString() shows the time left', function () {
    const dc = at(-0);
    expect(Object.is(dc.time, -0)).to.equal(true);
    expect(Object.is(dc.getTime(), 0)).to.equal(true);
    expect(String(dc)).to.match(/ \[0s\] /);
    dc.delayedTime = -0;
    expect(Object.is(dc.getTime(), -0)).to.equal(true);
  });

  it('the keys the heap compares order as the due times do, -0 equal to +0', function () {
    fc.assert(
      fc.property(anyTime, anyTime, (a, b) => {
        const order = a < b ? -1 : a > b ? 1 : 0;
        expect(keyOrder(at(a), at(b))).to.equal(order);
      }),
      { numRuns: 1000 },
    );
    expect(keyOrder(at(-0), at(0))).to.equal(0);
    expect(keyOrder(at(-Infinity), at(-Number.MAX_VALUE))).to.equal(-1);
    expect(keyOrder(at(Number.MAX_VALUE), at(Infinity))).to.equal(-1);
    expect(keyOrder(at(-Number.MIN_VALUE), at(0))).to.equal(-1);
  });

  it('a time that is not a number (constructor, `time =`, `delayedTime =`) is a NotANumberError and changes nothing', function () {
    expect(() => new DelayedCall('5' as never, nothing, [], null, null, () => 0)).to.throw(NotANumberError, /new DelayedCall\(time, \.\.\.\): time must be a number of seconds.*the string "5"/);
    const dc = at(1.5);
    expect(() => {
      dc.time = undefined as never;
    }).to.throw(NotANumberError, /DelayedCall\.time = value/);
    expect(() => {
      dc.delayedTime = null as never;
    }).to.throw(NotANumberError, /DelayedCall\.delayedTime = value/);
    expect([dc.time, dc.delayedTime, dc.getTime()]).to.deep.equal([1.5, 0, 1.5]);
  });
});

describe('TimerHeap at any float times', function () {
  it('property: hundreds of calls at any float times (heap, run, lanes and batch), cancelled and moved at random, pop in (due, seq) order', function () {
    type Op = { k: 'push'; t: number; d: number | null } | { k: 'cancel'; i: number } | { k: 'reset'; i: number; t: number } | { k: 'delay'; i: number; t: number } | { k: 'pop' };
    const finite = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }), fc.integer({ min: -50, max: 50 }).map((n) => n / 4));
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 16, arbitrary: fc.record({ k: fc.constant("push" as const), t: anyTime, d: fc.option(fc.constantFrom(0.25, 1, 3), { nil: null, freq: 2 }) }) },
      fc.record({ k: fc.constant('cancel' as const), i: fc.nat() }),
      fc.record({ k: fc.constant('reset' as const), i: fc.nat(), t: fc.double({ noNaN: true, min: 0, max: 1e6 }) }),
      fc.record({ k: fc.constant('delay' as const), i: fc.nat(), t: finite }),
      fc.record({ k: fc.constant('pop' as const) }),
    );
    const seen = { lanes: false, batch: false };
    fc.assert(
      fc.property(fc.array(op, { minLength: 500, maxLength: 900 }), (ops) => {
        const heap = new TimerHeap({ exactMoveOrder: false });
        const live: DelayedCall[] = [];
        for (const o of ops) {
          if (o.k === 'push') {
            const c = call(heap, o.t);
            if (o.d === null) heap.push(c);
            else heap.pushDelayed(c, o.d);
            live.push(c);
            if (c._index <= -(2 ** 29)) seen[c._index <= -(2 ** 30) ? 'lanes' : 'batch'] = true;
          } else if (o.k === 'pop') {
            const got = heap.pop();
            expect(got).to.equal(live.slice().sort(byKeyAt)[0]);
            if (got !== undefined) {
              got.called = true;
              live.splice(live.indexOf(got), 1);
            }
          } else if (live.length > 0) {
            const c = live[o.i % live.length];
            if (o.k === 'cancel') {
              c.cancel();
              live.splice(live.indexOf(c), 1);
            } else if (Number.isFinite(c.time) && Number.isFinite(c.getTime())) {
              // (an infinite time moved could sum to NaN, as in float arithmetic anywhere)
              if (o.k === 'reset') c.reset(o.t);
              else c.delay(o.t);
            }
          }
        }
        expect(heap.size).to.equal(live.length);
        expect(drain(heap)).to.deep.equal(live.slice().sort(byKeyAt));
      }),
      { numRuns: 60 },
    );
    expect(seen, 'calls went to the lanes and to the batch').to.deep.equal({ lanes: true, batch: true });
  });
});

/** The heap's order, (due, seq), with infinite due times compared without subtracting them. */
function byKeyAt(a: DelayedCall, b: DelayedCall): number {
  const da = a.getTime();
  const db = b.getTime();
  return da < db ? -1 : da > db ? 1 : a._seq - b._seq;
}
