// Port of twisted/internet/test/test_base.py (Twisted 22.4): DelayedCallMixin's test_str and
// test_repr under DelayedCallNoDebugTests and DelayedCallDebugTests, by name (test_lt, test_le,
// test_gt, test_ge, test_eq, test_ne are py-only: Python operator overloading; the heap's order is
// covered by spec/reactor/heap.spec.ts), plus DelayedCall's state rules in Twisted 22.4.
import { expect } from 'chai';
import { AlreadyCalled, AlreadyCancelled, DelayedCall, InvalidDelayError } from '../../lib/reactor/index.js';

function nothing(): void {}

function idOf(dc: DelayedCall): string {
  return /^<DelayedCall (0x[0-9a-f]+) /.exec(String(dc))![1];
}

function delayedCallMixin(debug: boolean): void {
  let saved: boolean;
  beforeEach(function () {
    saved = DelayedCall.debug;
    DelayedCall.debug = debug;
  });
  afterEach(function () {
    DelayedCall.debug = saved;
  });

  it('test_str: the string shows the id, the time left, the state, the function and its arguments', function () {
    const dc = new DelayedCall(12, nothing, [3, { A: 5 }], null, null, () => 1.5);
    const head = `<DelayedCall ${idOf(dc)} [10.5s] called=0 cancelled=0 nothing(3, { A: 5 })`;
    if (debug) {
      expect(String(dc).startsWith(`${head}\n\ntraceback at creation: \n\n`)).to.equal(true);
      expect(String(dc).endsWith('>')).to.equal(true);
    } else {
      expect(String(dc)).to.equal(`${head}>`);
    }
  });

  it('test_repr: util.inspect shows the same text as String()', async function () {
    const { inspect } = await import('node:util');
    const dc = new DelayedCall(13, nothing, [6, { A: 9 }], null, null, () => 1.6);
    expect(inspect(dc)).to.equal(String(dc));
    // Twisted: '<DelayedCall 0x... [11.4s] called=0 cancelled=0 nothing(6, A=9)>'
    const head = `<DelayedCall ${idOf(dc)} [11.4s] called=0 cancelled=0 nothing(6, { A: 9 })`;
    expect(inspect(dc).startsWith(debug ? `${head}\n\ntraceback at creation: \n\n` : `${head}>`)).to.equal(true);
  });
}

describe('DelayedCallNoDebugTests', function () {
  delayedCallMixin(false);
});

describe('DelayedCallDebugTests', function () {
  delayedCallMixin(true);
});

describe('DelayedCall (Twisted 22.4 state rules)', function () {
  let now: number;
  const seconds = (): number => now;
  let cancels: DelayedCall[];
  let resets: [DelayedCall, number][];
  const make = (time: number): DelayedCall =>
    new DelayedCall(time, nothing, [], (c) => cancels.push(c), (c, prev) => resets.push([c, prev]), seconds);

  beforeEach(function () {
    now = 0;
    cancels = [];
    resets = [];
  });

  it('starts active, neither called nor cancelled, with getTime() equal to time', function () {
    const dc = make(5);
    expect([dc.active(), dc.called, dc.cancelled, dc.getTime(), dc.time, dc.delayedTime]).to.deep.equal([true, false, false, 5, 5, 0]);
  });

  it('cancel() tells the canceller, marks the call cancelled and drops the function and arguments', function () {
    const dc = make(5);
    dc.cancel();
    expect(cancels).to.deep.equal([dc]);
    expect(dc.cancelled).to.equal(true);
    expect(dc.func).to.equal(null);
    expect(dc.args).to.equal(null);
    expect(String(dc)).to.match(/ called=0 cancelled=1>$/);
  });

  it('reset() to a later time only grows delayedTime; to a sooner time it rewrites time', function () {
    const dc = make(5);
    now = 1;
    dc.reset(10);
    expect([dc.time, dc.delayedTime, dc.getTime()]).to.deep.equal([5, 6, 11]);
    dc.reset(2);
    expect([dc.time, dc.delayedTime, dc.getTime()]).to.deep.equal([3, 0, 3]);
    expect(resets).to.deep.equal([
      [dc, 5],
      [dc, 11],
    ]);
  });

  it('reset() to the time it already has does not tell the resetter', function () {
    const dc = make(5);
    dc.reset(5);
    expect(resets).to.deep.equal([]);
  });

  it('delay() adds to delayedTime; a negative total is folded into time', function () {
    const dc = make(5);
    dc.delay(2);
    expect([dc.time, dc.delayedTime]).to.deep.equal([5, 2]);
    dc.delay(-3);
    expect([dc.time, dc.delayedTime, dc.getTime()]).to.deep.equal([4, 0, 4]);
  });

  it('the state errors carry Twisted\'s messages, extra arguments appended', function () {
    expect(new AlreadyCalled().message).to.equal('Tried to cancel an already-called event.');
    expect(new AlreadyCancelled().message).to.equal('Tried to cancel an already-cancelled event.');
    expect(new AlreadyCalled('a', 1).message).to.equal('Tried to cancel an already-called event: a 1.');
    expect(new AlreadyCalled().name).to.equal('AlreadyCalled');
  });

  it('cancel, reset and delay check "cancelled" before "called", as Twisted does', function () {
    const dc = make(5);
    dc.called = true;
    dc.cancelled = true;
    expect(() => dc.cancel()).to.throw(AlreadyCancelled);
    expect(() => dc.reset(1)).to.throw(AlreadyCancelled);
    expect(() => dc.delay(1)).to.throw(AlreadyCancelled);
  });

  it('a bad reset() or delay() amount is an InvalidDelayError and changes nothing', function () {
    const dc = make(5);
    for (const bad of [-1, NaN, Infinity]) expect(() => dc.reset(bad)).to.throw(InvalidDelayError, /DelayedCall\.reset/);
    for (const bad of [NaN, Infinity, -Infinity]) expect(() => dc.delay(bad)).to.throw(InvalidDelayError, /DelayedCall\.delay/);
    expect([dc.time, dc.delayedTime]).to.deep.equal([5, 0]);
    expect(resets).to.deep.equal([]);
  });

  it('toString() names anonymous functions <anonymous> and survives arguments that cannot be inspected', function () {
    const hostile = new Proxy({}, { get() { throw new Error('no'); }, ownKeys() { throw new Error('no'); } });
    const dc = new DelayedCall(1, (() => (_x: unknown) => undefined)(), [hostile, 'x'], null, null, () => 0);
    expect(String(dc)).to.match(/ <anonymous>\(.*, 'x'\)>$/);
  });
});
