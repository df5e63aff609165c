// Port of twisted/test/test_task.py (Twisted 22.4): ClockTests, by name (test_providesIReactorTime
// is py-only: zope interfaces; the type checker plays its part here), plus the Clock semantics
// Twisted 22.4's Clock shows, each checked against Twisted 22.4 under /usr/bin/python3.
import { expect } from 'chai';
import { Clock } from '../../lib/task/index.js';
import {
  AlreadyCalled,
  AlreadyCancelled,
  DelayedCall,
  InvalidDelayError,
  NotANumberError,
  NotCallableError,
  type IReactorTime,
} from '../../lib/reactor/index.js';

describe('ClockTests', function () {
  it('testSeconds: a new Clock reads 0', function () {
    const c = new Clock();
    expect(c.seconds()).to.equal(0);
  });

  it('testCallLater: callLater hands back an active IDelayedCall due at now + delay', function () {
    const c = new Clock();
    const call = c.callLater(1, (_a: number, _b: number) => undefined, 1, 2);
    expect(call).to.be.instanceOf(DelayedCall);
    expect(call.getTime()).to.equal(1);
    expect(call.active()).to.equal(true);
  });

  it('testCallLaterCancelled: a cancelled call is no longer active', function () {
    const c = new Clock();
    const call = c.callLater(1, (_a: number, _b: number) => undefined, 1, 2);
    call.cancel();
    expect(call.active()).to.equal(false);
  });

  it('test_callLaterOrdering: each callLater returns a new DelayedCall', function () {
    const c = new Clock();
    const call1 = c.callLater(10, (_a: number, _b: number) => undefined, 1, 2);
    const call2 = c.callLater(1, (_a: number, _b: number) => undefined, 3, 4);
    expect(call1).to.not.equal(call2);
  });

  it('testAdvance: advancing the clock fires the calls that became due, and only those', function () {
    const events: null[] = [];
    const c = new Clock();
    const call = c.callLater(2, () => events.push(null));
    c.advance(1);
    expect(events).to.deep.equal([]);
    c.advance(1);
    expect(events).to.deep.equal([null]);
    expect(call.active()).to.equal(false);
  });

  it('testAdvanceCancel: cancelling a call from inside itself raises AlreadyCalled', function () {
    const c = new Clock();
    let raised: unknown = null;
    const call = c.callLater(1, () => {
      try {
        call.cancel();
      } catch (e) {
        raised = e;
      }
    });
    c.advance(1);
    expect(raised).to.be.instanceOf(AlreadyCalled);
  });

  it('testCallLaterDelayed: delay() pushes a call back', function () {
    const events: [number, number][] = [];
    const c = new Clock();
    const call = c.callLater(1, (a: number, b: number) => events.push([a, b]), 1, 2);
    call.delay(1);
    expect(call.getTime()).to.equal(2);
    c.advance(1.5);
    expect(events).to.deep.equal([]);
    c.advance(1.0);
    expect(events).to.deep.equal([[1, 2]]);
  });

  it('testCallLaterResetLater: reset() can move a call later', function () {
    const events: [number, number][] = [];
    const c = new Clock();
    const call = c.callLater(2, (a: number, b: number) => events.push([a, b]), 1, 2);
    c.advance(1);
    call.reset(3);
    expect(call.getTime()).to.equal(4);
    c.advance(2);
    expect(events).to.deep.equal([]);
    c.advance(1);
    expect(events).to.deep.equal([[1, 2]]);
  });

  it('testCallLaterResetSooner: reset() can move a call sooner', function () {
    const events: [number, number][] = [];
    const c = new Clock();
    const call = c.callLater(4, (a: number, b: number) => events.push([a, b]), 1, 2);
    call.reset(3);
    expect(call.getTime()).to.equal(3);
    c.advance(3);
    expect(events).to.deep.equal([[1, 2]]);
  });

  it('test_getDelayedCalls: getDelayedCalls lists every pending call', function () {
    const c = new Clock();
    const call = c.callLater(1, (_x: unknown) => undefined, null);
    const call2 = c.callLater(2, (_x: unknown) => undefined, null);
    const calls = c.getDelayedCalls();
    expect(new Set(calls)).to.deep.equal(new Set([call, call2]));
  });

  it('test_getDelayedCallsEmpty: a new Clock has no delayed calls', function () {
    const c = new Clock();
    expect(c.getDelayedCalls()).to.deep.equal([]);
  });

  it('test_providesIReactorTime: a Clock is an IReactorTime (checked by the compiler)', function () {
    const c: IReactorTime = new Clock();
    expect(typeof c.seconds).to.equal('function');
    expect(typeof c.callLater).to.equal('function');
    expect(typeof c.getDelayedCalls).to.equal('function');
  });

  it('test_callLaterKeepsCallsOrdered: a call reset later runs after a newer call due sooner', function () {
    const result: [string, number][] = [];
    const clock = new Clock();
    const logtime = (n: string) => result.push([n, clock.seconds()]);
    const callA = clock.callLater(1.0, logtime, 'a');
    callA.reset(3.0);
    clock.callLater(2.0, logtime, 'b');
    clock.pump([1, 1, 1]);
    expect(result).to.deep.equal([
      ['b', 2.0],
      ['a', 3.0],
    ]);
  });

  it('test_callLaterResetKeepsCallsOrdered: resetting an older call past a newer one reorders them', function () {
    const result: [string, number][] = [];
    const clock = new Clock();
    const logtime = (n: string) => result.push([n, clock.seconds()]);
    const callA = clock.callLater(1.0, logtime, 'a');
    clock.callLater(2.0, logtime, 'b');
    callA.reset(3.0);
    clock.pump([1, 1, 1]);
    expect(result).to.deep.equal([
      ['b', 2.0],
      ['a', 3.0],
    ]);
  });

  it('test_callLaterResetInsideCallKeepsCallsOrdered: a reset made by a running call is honoured', function () {
    const result: [string, number][] = [];
    const clock = new Clock();
    const logtime = (n: string) => result.push([n, clock.seconds()]);
    const callB = clock.callLater(2.0, logtime, 'b');
    clock.callLater(1.0, () => callB.reset(3.0));
    clock.callLater(3.0, logtime, 'c');
    clock.pump(Array.from({ length: 10 }, () => 0.5));
    expect(result).to.deep.equal([
      ['c', 3.0],
      ['b', 4.0],
    ]);
  });
});

// Clock semantics, each run against Twisted 22.4's Clock first.
describe('Clock semantics (Twisted 22.4)', function () {
  it('calls due at the same time run in the order they were scheduled', function () {
    const c = new Clock();
    const order: number[] = [];
    for (let i = 0; i < 12; i++) c.callLater(1, (n: number) => order.push(n), i);
    c.advance(1);
    expect(order).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('a call scheduled during advance() that is already due runs in the same advance()', function () {
    const c = new Clock();
    const order: string[] = [];
    c.callLater(1, () => {
      order.push('first');
      c.callLater(0, () => order.push('zero-delay'));
      c.callLater(0.5, () => order.push('not yet'));
    });
    c.callLater(1, () => order.push('second'));
    c.advance(1);
    expect(order).to.deep.equal(['first', 'second', 'zero-delay']);
    c.advance(0.5);
    expect(order).to.deep.equal(['first', 'second', 'zero-delay', 'not yet']);
  });

  it('a callLater(0) loop spins inside one advance() until it stops itself', function () {
    const c = new Clock();
    let n = 0;
    const tick = (): void => {
      n++;
      if (n < 1000) c.callLater(0, tick);
    };
    c.callLater(0, tick);
    c.advance(0);
    expect(n).to.equal(1000);
    expect(c.getDelayedCalls()).to.deep.equal([]);
  });

  it('calls run with the clock reading their own due time when advanced step by step, and the final time otherwise', function () {
    const c = new Clock();
    const seen: number[] = [];
    c.callLater(1, () => seen.push(c.seconds()));
    c.callLater(2, () => seen.push(c.seconds()));
    c.advance(5);
    expect(seen).to.deep.equal([5, 5]);
  });

  it('an exception thrown by a call escapes advance() at once; time has moved and the rest wait for the next advance()', function () {
    // Twisted 22.4: ['a', 'boom', 'raised'], seconds() == 1.0, one call left; advance(0) runs 'b'.
    const c = new Clock();
    const events: string[] = [];
    c.callLater(1, () => events.push('a'));
    c.callLater(1, () => {
      events.push('boom');
      throw new Error('x');
    });
    c.callLater(1, () => events.push('b'));
    expect(() => c.advance(1)).to.throw(Error, 'x');
    expect(events).to.deep.equal(['a', 'boom']);
    expect(c.seconds()).to.equal(1);
    expect(c.getDelayedCalls()).to.have.length(1);
    c.advance(0);
    expect(events).to.deep.equal(['a', 'boom', 'b']);
  });

  it('a call that threw has been called: it is inactive and cannot be cancelled', function () {
    const c = new Clock();
    const call = c.callLater(1, () => {
      throw new Error('x');
    });
    expect(() => c.advance(1)).to.throw('x');
    expect(call.active()).to.equal(false);
    expect(() => call.cancel()).to.throw(AlreadyCalled);
  });

  it('a cancelled call is removed from getDelayedCalls() at once and never runs', function () {
    const c = new Clock();
    let ran = false;
    const call = c.callLater(1, () => (ran = true));
    const other = c.callLater(2, () => undefined);
    call.cancel();
    expect(c.getDelayedCalls()).to.deep.equal([other]);
    c.advance(10);
    expect(ran).to.equal(false);
  });

  it('getDelayedCalls() lists calls in the order they will run', function () {
    const c = new Clock();
    const a = c.callLater(3, () => undefined);
    const b = c.callLater(1, () => undefined);
    const d = c.callLater(2, () => undefined);
    const e = c.callLater(1, () => undefined);
    expect(c.getDelayedCalls()).to.deep.equal([b, e, d, a]);
  });

  it('a call reset later onto the time of another call runs before it; moved sooner, it runs after (as Twisted\'s stable re-sort leaves them)', function () {
    // Twisted 22.4: A(1), B(2), A.reset(2) -> ['A', 'B']; B(1), A(2), B.reset(2) -> ['B', 'A'];
    // B(3), A(2), B.reset(2) -> ['A', 'B'].
    const run = (setup: (c: Clock, log: (n: string) => void) => void): string[] => {
      const c = new Clock();
      const out: string[] = [];
      setup(c, (n) => out.push(n));
      c.advance(2);
      return out;
    };
    expect(run((c, log) => { const a = c.callLater(1, log, 'A'); c.callLater(2, log, 'B'); a.reset(2); })).to.deep.equal(['A', 'B']);
    expect(run((c, log) => { const b = c.callLater(1, log, 'B'); c.callLater(2, log, 'A'); b.reset(2); })).to.deep.equal(['B', 'A']);
    expect(run((c, log) => { const b = c.callLater(3, log, 'B'); c.callLater(2, log, 'A'); b.reset(2); })).to.deep.equal(['A', 'B']);
  });

  it('delay() with a negative amount moves a call sooner', function () {
    const c = new Clock();
    const events: string[] = [];
    const call = c.callLater(3, () => events.push('x'));
    call.delay(-2);
    expect(call.getTime()).to.equal(1);
    c.advance(1);
    expect(events).to.deep.equal(['x']);
  });

  it('a call may move the clock itself; advance() keeps reading the current time', function () {
    const c = new Clock();
    const events: string[] = [];
    c.callLater(1, () => {
      events.push('first');
      c.rightNow += 5;
    });
    c.callLater(4, () => events.push('pulled in'));
    c.advance(1);
    expect(events).to.deep.equal(['first', 'pulled in']);
  });

  it('pump() advances by each amount in turn', function () {
    const c = new Clock();
    const seen: number[] = [];
    c.callLater(1, () => seen.push(c.seconds()));
    c.callLater(2.5, () => seen.push(c.seconds()));
    c.pump([0.5, 0.5, 1, 1]);
    expect(seen).to.deep.equal([1, 3]);
    expect(c.seconds()).to.equal(3);
  });

  it('arguments reach the function; keyword arguments become a trailing object', function () {
    const c = new Clock();
    const got: unknown[] = [];
    c.callLater(0, (a: number, opts: { b: number }) => got.push(a, opts.b), 1, { b: 2 });
    c.advance(0);
    expect(got).to.deep.equal([1, 2]);
  });

  it('100,000 calls at distinct times run in time order, ties in scheduling order', function () {
    const c = new Clock();
    const n = 100_000;
    let last = -1;
    let lastSeq = -1;
    let ok = true;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const t = (i * 7919) % 1000; // many ties, scrambled insertion order
      c.callLater(t, (time: number, seq: number) => {
        if (time < last || (time === last && seq < lastSeq)) ok = false;
        last = time;
        lastSeq = seq;
        count++;
      }, t, i);
    }
    c.advance(1000);
    expect(count).to.equal(n);
    expect(ok).to.equal(true);
  });
});

describe('Clock bad input', function () {
  it('a negative, NaN or infinite delay is an InvalidDelayError and schedules nothing (Twisted\'s Clock accepts a negative delay)', function () {
    const c = new Clock();
    const keep = c.callLater(1, () => undefined);
    for (const bad of [-1, -0.001, NaN, Infinity, -Infinity]) {
      expect(() => c.callLater(bad, () => undefined), String(bad)).to.throw(InvalidDelayError, /Clock\.callLater.*expected a finite number of seconds >= 0/);
    }
    expect(() => c.callLater('1' as unknown as number, () => undefined)).to.throw(NotANumberError, /got the string "1"/);
    expect(c.getDelayedCalls()).to.deep.equal([keep]);
  });

  it('a non-function is a NotCallableError and schedules nothing', function () {
    const c = new Clock();
    expect(() => c.callLater(1, 'nope' as unknown as () => void)).to.throw(NotCallableError, /"nope" is not callable/);
    expect(c.getDelayedCalls()).to.deep.equal([]);
  });

  it('advance() with a negative or non-finite amount is an InvalidDelayError and time does not move', function () {
    const c = new Clock();
    c.advance(2);
    for (const bad of [-1, NaN, Infinity]) expect(() => c.advance(bad)).to.throw(InvalidDelayError, /Clock\.advance/);
    expect(c.seconds()).to.equal(2);
  });

  it('reset() and delay() on a called or cancelled call raise AlreadyCalled / AlreadyCancelled', function () {
    const c = new Clock();
    const called = c.callLater(1, () => undefined);
    c.advance(1);
    expect(() => called.reset(1)).to.throw(AlreadyCalled, 'Tried to reset an already-called event.');
    expect(() => called.delay(1)).to.throw(AlreadyCalled);
    const cancelled = c.callLater(1, () => undefined);
    cancelled.cancel();
    expect(() => cancelled.reset(1)).to.throw(AlreadyCancelled, 'Tried to reset an already-cancelled event.');
    expect(() => cancelled.delay(1)).to.throw(AlreadyCancelled);
    expect(() => cancelled.cancel()).to.throw(AlreadyCancelled);
  });
});
