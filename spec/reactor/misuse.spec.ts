// Misuse of the time API (issue 9): each gives a named error that says what to pass, or works.
// Runs on Clock and on Reactor instances with injected timers (spec/reactor/fakeHost.ts).
import { expect } from 'chai';
import { AlreadyCalled, AlreadyCancelled, InvalidDelayError, NotANumberError, NotCallableError, type Reactor } from '../../lib/reactor/index.js';
import { Clock } from '../../lib/task/index.js';
import { MemoryReactorClock } from '../../lib/testing/index.js';
import { fakeReactor, type FakeHost } from './fakeHost.js';

function noop(): void {}

describe('callLater and DelayedCall misuse (twistless)', function () {
  let reactor: Reactor;
  let host: FakeHost;

  beforeEach(function () {
    ({ reactor, host } = fakeReactor());
  });

  const schedulers = (): [string, { callLater: Clock['callLater']; getDelayedCalls(): unknown[] }][] => [
    ['Clock.callLater', new Clock()],
    ['reactor.callLater', reactor],
  ];

  it('callLater(undefined, f), callLater(undefined) and a delay of another type: a NotANumberError (a TypeError) that says to pass seconds first', function () {
    for (const [where, s] of schedulers()) {
      const keep = s.callLater(1, noop);
      const call = s.callLater as (...args: unknown[]) => unknown;
      const cases: [unknown[], RegExp][] = [
        [[undefined, noop], /got undefined \(no delay was given\)/],
        [[undefined], /got undefined \(no delay was given\)/],
        [[], /got undefined \(no delay was given\)/],
        [['1', noop], /got the string "1"/],
        [[null, noop], /got null/],
        [[{}, noop], /got an object/],
        [[1n, noop], /got the bigint 1/],
      ];
      for (const [args, message] of cases) {
        const what = `${where}(${args.map(String).join(', ')})`;
        expect(() => call.apply(s, args), what).to.throw(NotANumberError, message);
        expect(() => call.apply(s, args), what).to.throw(TypeError, new RegExp(`^${where.replace('.', '\\.')}\\(delay, fn\\): delay must be a number of seconds, e\\.g\\. callLater\\(1\\.5, fn\\)`));
      }
      expect(s.getDelayedCalls(), where).to.deep.equal([keep]);
    }
  });

  it('callLater(fn, 1), the setTimeout order: a NotANumberError that says the delay comes first', function () {
    for (const [where, s] of schedulers()) {
      expect(() => (s.callLater as (...args: unknown[]) => unknown)(noop, 1), where).to.throw(NotANumberError, /got function noop: the delay comes first, then the function: callLater\(seconds, fn, \.\.\.args\)/);
    }
  });

  it('a number out of range is still an InvalidDelayError, and a non-function with a good delay a NotCallableError', function () {
    for (const [where, s] of schedulers()) {
      expect(() => s.callLater(-1, noop), where).to.throw(InvalidDelayError);
      expect(() => s.callLater(1, undefined as never), where).to.throw(NotCallableError);
    }
  });

  it('Clock.advance(), DelayedCall.reset() and delay() with a non-number: NotANumberError; nothing moves', function () {
    const clock = new Clock();
    const dc = clock.callLater(5, noop);
    expect(() => clock.advance(undefined as never)).to.throw(NotANumberError, /^Clock\.advance\(amount\): amount must be a number of seconds.*got undefined/);
    expect(() => dc.reset('2' as never)).to.throw(NotANumberError, /^DelayedCall\.reset\(secondsFromNow\): secondsFromNow must be a number of seconds.*got the string "2"/);
    expect(() => dc.delay(undefined as never)).to.throw(NotANumberError, /^DelayedCall\.delay\(secondsLater\): secondsLater must be a number of seconds/);
    expect([clock.seconds(), dc.getTime()]).to.deep.equal([0, 5]);
  });

  it('reset() and delay() on a called or cancelled call: AlreadyCalled / AlreadyCancelled saying reset or delay, and what to do; cancel() keeps Twisted\'s words', function () {
    for (const [where, s] of schedulers()) {
      const called = s.callLater(0, noop);
      if (s instanceof Clock) s.advance(0);
      else host.advance(0);
      expect(called.active(), where).to.equal(false);
      expect(() => called.reset(1)).to.throw(AlreadyCalled, /^Tried to reset an already-called event\. It has run: schedule a new call with callLater\(\)\.$/);
      expect(() => called.delay(1)).to.throw(AlreadyCalled, /^Tried to delay an already-called event\. It has run: schedule a new call with callLater\(\)\.$/);
      expect(() => called.cancel()).to.throw(AlreadyCalled, /^Tried to cancel an already-called event\.$/);
      const cancelled = s.callLater(1, noop);
      cancelled.cancel();
      expect(() => cancelled.reset(1)).to.throw(AlreadyCancelled, /^Tried to reset an already-cancelled event\. It was cancelled: schedule a new call with callLater\(\)\.$/);
      expect(() => cancelled.delay(1)).to.throw(AlreadyCancelled, /^Tried to delay an already-cancelled event\. It was cancelled: schedule a new call with callLater\(\)\.$/);
      expect(() => cancelled.cancel()).to.throw(AlreadyCancelled, /^Tried to cancel an already-cancelled event\.$/);
    }
  });

  it('callLater and seconds passed alone, unbound (const cl = clock.callLater): they work, on Clock, MemoryReactorClock and Reactor', function () {
    const ran: string[] = [];
    const clock = new Clock();
    const memory = new MemoryReactorClock();
    for (const [name, s, advance] of [
      ['clock', clock, (t: number) => clock.advance(t)],
      ['memory', memory, (t: number) => memory.advance(t)],
      ['reactor', reactor, (t: number) => host.advance(t)],
    ] as const) {
      const cl = s.callLater;
      const seconds = s.seconds;
      const due = seconds() + 1;
      const call = cl(1, (who: string) => ran.push(`${who} at ${seconds() === due}`), name);
      expect(call.getTime()).to.equal(due);
      advance(1);
    }
    expect(ran).to.deep.equal(['clock at true', 'memory at true', 'reactor at true']);
  });
});
