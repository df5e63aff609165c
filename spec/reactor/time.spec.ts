// Port of twisted/test/test_internet.py (Twisted 22.4): TimeTests and DelayedTests, by name, run
// on Reactor instances with an injected time source and host timers (spec/reactor/fakeHost.ts),
// plus the reactor time semantics of Twisted 22.4 and twistless's one-timer design.
import { expect } from 'chai';
import { Deferred, passthru } from '../../lib/defer/index.js';
import {
  AlreadyCalled,
  AlreadyCancelled,
  DelayedCall,
  InvalidDelayError,
  NotANumberError,
  InvalidPhaseError,
  NotCallableError,
  Reactor,
} from '../../lib/reactor/index.js';
import { FakeHost, fakeReactor } from './fakeHost.js';
import { LogCapture } from './logCapture.js';

describe('TimeTests', function () {
  let reactor: Reactor;
  let host: FakeHost;

  beforeEach(function () {
    ({ reactor, host } = fakeReactor());
  });

  it('test_seconds: seconds() returns something like a number', function () {
    const now = reactor.seconds();
    expect(now - now + now).to.equal(now);
  });

  it("test_callLaterUsesReactorSecondsInDelayedCall: callLater uses the reactor's seconds() for the due time", function () {
    const r = new Reactor({ seconds: () => 100, timers: new FakeHost() });
    const call = r.callLater(5, () => undefined);
    expect(call.getTime()).to.equal(105);
    call.cancel();
  });

  it('test_callLaterUsesReactorSecondsInDelayedCall (patched): replacing reactor.seconds on an instance is honoured too', function () {
    const original = reactor.seconds;
    reactor.seconds = () => 100;
    try {
      const call = reactor.callLater(5, () => undefined);
      expect(call.getTime()).to.equal(105);
      expect(call.seconds()).to.equal(100);
      call.cancel();
    } finally {
      reactor.seconds = original;
    }
  });

  it("test_callLaterUsesReactorSecondsAsDelayedCallSecondsFactory: the DelayedCall reads the reactor's clock", function () {
    const r = new Reactor({ seconds: () => 100, timers: new FakeHost() });
    const call = r.callLater(5, () => undefined);
    expect(call.seconds()).to.equal(100);
    call.cancel();
  });

  it('test_callLater: a DelayedCall calls its function with its arguments', function () {
    const d = new Deferred<unknown>();
    reactor.callLater(0, (x: unknown) => d.callback(x), null);
    let result: unknown = 'not fired';
    d.addCallback((r) => (result = r));
    host.turn();
    expect(result).to.equal(null);
  });

  it('test_callLaterReset: a reset call is scheduled at the new time', function () {
    const call = reactor.callLater(2, passthru, passthru);
    const origTime = call.time;
    call.reset(1);
    expect(call.time).to.not.equal(origTime);
    call.cancel();
  });

  it('test_cancelDelayedCall: a cancelled call does not run', function () {
    const called: null[] = [];
    const call = reactor.callLater(0, () => called.push(null));
    call.cancel();
    let checked = false;
    reactor.callLater(0, () =>
      reactor.callLater(0, () => {
        expect(called).to.deep.equal([]);
        checked = true;
      }),
    );
    host.turn();
    expect(checked).to.equal(true);
  });

  it('test_cancelCancelledDelayedCall: cancelling twice raises AlreadyCancelled', function () {
    const call = reactor.callLater(0, () => undefined);
    call.cancel();
    expect(() => call.cancel()).to.throw(AlreadyCancelled);
  });

  it('test_cancelCalledDelayedCallSynchronous: cancelling a call from inside itself raises AlreadyCalled', function () {
    let raised: unknown = null;
    const call = reactor.callLater(0, () => {
      try {
        call.cancel();
      } catch (e) {
        raised = e;
      }
    });
    host.turn();
    expect(raised).to.be.instanceOf(AlreadyCalled);
  });

  it('test_cancelCalledDelayedCallAsynchronous: cancelling a call after it ran raises AlreadyCalled', function () {
    let raised: unknown = null;
    const call = reactor.callLater(0, () =>
      reactor.callLater(0, () => {
        try {
          call.cancel();
        } catch (e) {
          raised = e;
        }
      }),
    );
    host.turn();
    expect(raised).to.be.instanceOf(AlreadyCalled);
  });

  it('testCallLaterTime: getTime() is seconds() + delay', function () {
    const d = reactor.callLater(10, () => undefined);
    expect(d.getTime() - (reactor.seconds() + 10)).to.be.lessThan(1);
    d.cancel();
  });

  it('testDelayedCallStringification: toString() works at every stage of a call', function () {
    let dc = reactor.callLater(0, (_x: string, _y: { y: number }) => undefined, 'x', { y: 10 });
    String(dc);
    dc.reset(5);
    String(dc);
    dc.cancel();
    expect(String(dc)).to.match(/^<DelayedCall 0x[0-9a-f]+ \[0s\] called=0 cancelled=1>$/); // Twisted's repr shows `time`, not getTime()
    dc = reactor.callLater(0, (..._a: unknown[]) => undefined, ...Array.from({ length: 10 }, (_, i) => i), { x: [[{ hello: 'world' }, 10], reactor] });
    String(dc);
    dc.cancel();
    String(dc);
    const seen: string[] = [];
    const d = new Deferred<void>().addCallback(() => {
      seen.push(String(dc));
    });
    dc = reactor.callLater(0, (x: undefined) => d.callback(x), undefined);
    String(dc);
    host.turn();
    expect(seen).to.have.length(1);
    expect(seen[0]).to.match(/called=1 cancelled=0/);
  });

  it('testDelayedCallSecondsOverride: the seconds function given to a DelayedCall is the one it uses', function () {
    const dc = new DelayedCall(5, () => undefined, [], () => undefined, () => undefined, () => 10);
    expect(dc.getTime()).to.equal(5);
    dc.reset(3);
    expect(dc.getTime()).to.equal(13);
  });
});

describe('DelayedTests', function () {
  it('testGetDelayedCalls: getDelayedCalls lists every pending call, through runs and cancels', function () {
    const { reactor, host } = fakeReactor();
    const timers = new Map<number, DelayedCall>();
    let counter = 0;
    let finished = false;
    const checkTimers = (): void => {
      const l2 = reactor.getDelayedCalls();
      for (const dc of timers.values()) expect(l2).to.include(dc);
      expect(l2.filter((dc) => dc.cancelled)).to.deep.equal([]);
    };
    const callback = (tag: number): void => {
      timers.delete(tag);
      checkTimers();
    };
    const addTimer = (when: number, cb: (tag: number) => void): void => {
      timers.set(counter, reactor.callLater(when * 0.01, cb, counter));
      counter++;
      checkTimers();
    };
    const addCallback = (tag: number): void => {
      callback(tag);
      addTimer(15, callback);
    };
    const done = (tag: number): void => {
      finished = true;
      callback(tag);
    };
    checkTimers();
    addTimer(35, done);
    addTimer(20, callback);
    addTimer(30, callback);
    const which = counter;
    addTimer(29, callback);
    addTimer(25, addCallback);
    addTimer(26, callback);
    timers.get(which)!.cancel();
    timers.delete(which);
    checkTimers();
    for (let i = 0; i < 50 && !finished; i++) host.advance(0.01);
    expect(finished).to.equal(true);
    checkTimers();
    for (let i = 0; i < 50 && timers.size > 0; i++) host.advance(0.01);
    expect(reactor.getDelayedCalls()).to.deep.equal([]);
  });

  it('test_active: active() is false once the call has run', function () {
    const { reactor, host } = fakeReactor();
    const dcall = reactor.callLater(0.01, () => undefined);
    expect(dcall.active()).to.equal(true);
    host.advance(0.01);
    expect(dcall.active()).to.equal(false);
  });
});

describe('reactor time semantics (Twisted 22.4) and the one host timer', function () {
  let reactor: Reactor;
  let host: FakeHost;
  let capture: LogCapture;

  beforeEach(function () {
    ({ reactor, host } = fakeReactor());
    capture = new LogCapture().start();
  });

  afterEach(function () {
    capture.stop();
    DelayedCall.debug = false;
  });

  it('delayed calls fire on the host loop whether or not run() was called', function () {
    const ran: string[] = [];
    reactor.callLater(1, () => ran.push('late'));
    expect(reactor.running).to.equal(false);
    host.advance(1);
    expect(ran).to.deep.equal(['late']);
  });

  it('calls due at the same time run in the order they were scheduled (Twisted\'s heap does not promise this)', function () {
    const order: number[] = [];
    for (let i = 0; i < 12; i++) reactor.callLater(1, (n: number) => order.push(n), i);
    host.advance(1);
    expect(order).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('an exception from a delayed call is logged with log.err and the other due calls still run', function () {
    class Boom extends Error {}
    const ran: string[] = [];
    reactor.callLater(0, () => ran.push('a'));
    reactor.callLater(0, () => {
      throw new Boom('delayed call failed');
    });
    reactor.callLater(0, () => ran.push('b'));
    host.turn();
    expect(ran).to.deep.equal(['a', 'b']);
    const errors = capture.errors(Boom);
    expect(errors).to.have.length(1);
    expect(errors[0].failure!.getErrorMessage()).to.equal('delayed call failed');
  });

  it('a thrown non-Error value is logged as a Failure too', function () {
    reactor.callLater(0, () => {
      throw 'a string';
    });
    host.turn();
    expect(capture.errors()).to.have.length(1);
    expect(capture.errors()[0].failure!.value).to.equal('a string');
  });

  it('with DelayedCall.debug, the creation stack is logged after the exception', function () {
    DelayedCall.debug = true;
    const call = reactor.callLater(0, function createdForTheSpec() {
      throw new Error('x');
    });
    expect(String(call)).to.match(/createdForTheSpec\(\)\n\ntraceback at creation: \n\n/);
    host.turn();
    const msgs = capture.events.filter((e) => !e.isError).map((e) => String(e.message[0]));
    expect(msgs).to.have.length(1);
    expect(msgs[0]).to.match(/^\n C: previous exception occurred in a DelayedCall created here:\n C:/);
  });

  it('a call scheduled while calls run waits for the next pass, even when already due (no callLater(0) spin)', function () {
    let n = 0;
    const tick = (): void => {
      n++;
      reactor.callLater(0, tick);
    };
    reactor.callLater(0, tick);
    host.fireNow(); // one pass
    expect(n).to.equal(1);
    host.fireNow();
    expect(n).to.equal(2);
    reactor.getDelayedCalls()[0].cancel();
  });

  it('ONE host timer is armed for the earliest call, whatever the number of calls', function () {
    reactor.callLater(5, () => undefined);
    expect(host.sets).to.equal(1);
    expect(host.armed!.ms).to.equal(5000);
    for (let i = 0; i < 100; i++) reactor.callLater(6 + i, () => undefined);
    expect(host.sets).to.equal(1);
    reactor.callLater(1, () => undefined); // earlier: re-armed
    expect(host.sets).to.equal(2);
    expect(host.armed!.ms).to.equal(1000);
  });

  it('reset() sooner re-arms the timer; cancelling the earliest call leaves it to fire early and re-arm', function () {
    const a = reactor.callLater(5, () => undefined);
    const b = reactor.callLater(8, () => undefined);
    a.reset(2);
    expect(host.armed!.ms).to.equal(2000);
    a.cancel();
    expect(host.armed!.ms).to.equal(2000); // not re-armed on cancel
    host.advance(2); // fires early, nothing due, re-arms for b
    expect(host.armed!.at).to.equal(b.getTime());
    b.delay(1);
    host.advance(6);
    expect(b.active()).to.equal(true);
    expect(host.armed!.at).to.equal(b.getTime());
    host.advance(1);
    expect(b.active()).to.equal(false);
  });

  it('when no call is left the host timer is cleared, so pending calls keep the process alive only while they exist', function () {
    const a = reactor.callLater(5, () => undefined);
    const b = reactor.callLater(6, () => undefined);
    a.cancel();
    expect(host.armed).to.not.equal(null);
    b.cancel();
    expect(host.armed).to.equal(null);
    reactor.callLater(1, () => undefined);
    host.advance(1);
    expect(host.armed).to.equal(null);
    expect(host.holds).to.equal(0);
  });

  it('a timer that fires before the earliest call is due re-arms instead of running it', function () {
    let ran = false;
    reactor.callLater(0.0105, () => (ran = true)); // armed for ceil(10.5) = 11 ms
    expect(host.armed!.ms).to.equal(11);
    host.now += 0.01;
    host.fireNow(); // fired early, as a host timer may
    expect(ran).to.equal(false);
    expect(host.armed).to.not.equal(null);
    host.advance(0.001);
    expect(ran).to.equal(true);
  });

  it('getDelayedCalls() lists pending calls, not cancelled or called ones', function () {
    const a = reactor.callLater(1, () => undefined);
    const b = reactor.callLater(2, () => undefined);
    const c = reactor.callLater(3, () => undefined);
    b.cancel();
    host.advance(1);
    expect(reactor.getDelayedCalls()).to.deep.equal([c]);
    expect(a.active()).to.equal(false);
  });

  it('a negative or non-finite delay is an InvalidDelayError (Twisted: AssertionError) and schedules nothing', function () {
    for (const bad of [-1, NaN, Infinity]) {
      expect(() => reactor.callLater(bad, () => undefined)).to.throw(InvalidDelayError, /reactor\.callLater/);
    }
    expect(reactor.getDelayedCalls()).to.deep.equal([]);
    expect(host.armed).to.equal(null);
  });

  it('bad input loses nothing already scheduled: the pending calls, their order and the armed timer survive', function () {
    const ran: string[] = [];
    const a = reactor.callLater(1, () => ran.push('a'));
    const b = reactor.callLater(2, () => ran.push('b'));
    const c = reactor.callLater(2, () => ran.push('c'));
    const armed = host.armed;
    for (const bad of [-1, NaN, Infinity, '1' as unknown as number]) {
      const type = typeof bad === 'number' ? InvalidDelayError : NotANumberError;
      expect(() => reactor.callLater(bad, () => ran.push('bad'))).to.throw(type);
      expect(() => b.reset(bad)).to.throw(type);
    }
    expect(() => reactor.callLater(1, null as never)).to.throw(NotCallableError);
    expect(() => c.delay(NaN)).to.throw(InvalidDelayError);
    expect(() => reactor.addSystemEventTrigger('later' as never, 'shutdown', () => undefined)).to.throw(InvalidPhaseError);
    expect(host.armed).to.equal(armed);
    expect(host.sets).to.equal(1);
    expect(reactor.getDelayedCalls()).to.have.members([a, b, c]);
    expect([b.getTime(), c.getTime()]).to.deep.equal([a.getTime() + 1, a.getTime() + 1]);
    host.advance(1);
    expect(ran).to.deep.equal(['a']);
    host.advance(1);
    expect(ran).to.deep.equal(['a', 'b', 'c']);
    expect(reactor.getDelayedCalls()).to.deep.equal([]);
  });

  it('a non-function is a NotCallableError and schedules nothing', function () {
    expect(() => reactor.callLater(0, {} as never)).to.throw(NotCallableError, /is not callable; pass a function/);
    expect(() => reactor.callWhenRunning(undefined as never)).to.throw(NotCallableError);
    expect(reactor.getDelayedCalls()).to.deep.equal([]);
  });

  it('a delay beyond what setTimeout accepts is clamped; the timer fires early and re-arms', function () {
    const call = reactor.callLater(30 * 24 * 3600, () => undefined);
    expect(host.armed!.ms).to.equal(2147483647);
    call.cancel();
  });
});

describe('reactor order of calls moved by reset()/delay() (docs/reactor.md)', function () {
  it('each move is measured from the call\'s time just before it: moved later, it runs before the calls already at its new time; moved sooner, after them', function () {
    const cases: [string, (mk: (name: string, d: number) => DelayedCall) => void, string[]][] = [
      ['moved later', (mk) => {
        mk('dc0', 1);
        mk('dc1', 0.5).reset(1);
      }, ['dc1', 'dc0']],
      ['moved sooner', (mk) => {
        mk('dc0', 1);
        mk('dc1', 3).reset(1);
      }, ['dc0', 'dc1']],
      ['two moved sooner', (mk) => {
        mk('dc0', 1);
        const a = mk('a', 3);
        const b = mk('b', 2);
        b.reset(1);
        a.reset(1);
      }, ['dc0', 'b', 'a']],
      // Where the Clock differs (it measures from the last sort): the last move decides here.
      ['sooner then later', (mk) => {
        mk('dc0', 1);
        const dc1 = mk('dc1', 3);
        dc1.reset(0.5);
        dc1.reset(1);
      }, ['dc1', 'dc0']],
      ['two moved later: the one moved last first', (mk) => {
        mk('dc0', 1);
        const a = mk('a', 0.25);
        const b = mk('b', 0.5);
        a.reset(1);
        b.reset(1);
      }, ['b', 'a', 'dc0']],
      ['moved away and back: behind', (mk) => {
        const a = mk('a', 1);
        mk('b', 1);
        a.delay(1);
        a.delay(-1);
      }, ['b', 'a']],
    ];
    for (const [what, script, expected] of cases) {
      const { reactor, host } = fakeReactor();
      const trace: string[] = [];
      script((name, d) => reactor.callLater(d, () => trace.push(name)));
      host.advance(5);
      expect(trace, what).to.deep.equal(expected);
    }
  });
});
