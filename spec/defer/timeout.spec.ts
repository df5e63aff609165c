// Port of twisted/test/test_defer.py (Twisted 22.4): DeferredAddTimeoutTests. The clock is the
// minimal IReactorTime of ./support.ts (Deferred.addTimeout needs only callLater).
import { expect } from 'chai';
import {
  CancelledError,
  Deferred,
  InvalidCallbackError,
  InvalidClockError,
  InvalidTimeoutError,
  TimeoutError,
} from '../../lib/defer/index.js';
import { Failure } from '../../lib/failure/index.js';
import { assertNoResult, FakeClock, failureOf, successOf } from './support.js';

const overrideFunc = (): string => 'OVERRIDDEN';

describe('DeferredAddTimeoutTests', function () {
  it('test_timeoutChainable: addTimeout returns the Deferred itself', function () {
    const d = new Deferred<void>();
    expect(d.addTimeout(5, new FakeClock())).to.equal(d);
    const e = d.addCallback(() => 'done');
    d.callback();
    expect(successOf(e)).to.equal('done');
  });

  for (const custom of [false, true]) {
    const sfx = custom ? 'Custom' : '';
    it(`test_successResultBeforeTimeout${sfx}: firing in time cancels the timer; nothing is cancelled later`, function () {
      const clock = new FakeClock();
      const d = new Deferred<string>();
      d.addTimeout(10, clock, custom ? overrideFunc : undefined);
      const inner = new Deferred<void>();
      let got: string | null = null;
      d.addCallback((r) => {
        got = r;
        return inner;
      });
      d.callback('results');
      expect(got).to.equal('results');
      expect(clock.getDelayedCalls()).to.deep.equal([]);
      clock.advance(15);
      assertNoResult(inner);
    });

    it(`test_failureBeforeTimeout${sfx}: failing in time keeps the failure; nothing is cancelled later`, function () {
      const clock = new FakeClock();
      const d = new Deferred<void>();
      d.addTimeout(10, clock, custom ? overrideFunc : undefined);
      const inner = new Deferred<void>();
      let got: Failure | null = null;
      const error = new RangeError('fail');
      d.addErrback((f) => {
        got = f;
        return inner;
      });
      d.errback(error);
      expect(got!.value).to.equal(error);
      clock.advance(15);
      assertNoResult(inner);
    });

    it(`test_cancelBeforeTimeout${sfx}: a manual cancel keeps CancelledError and the timer is cancelled`, function () {
      const clock = new FakeClock();
      const d = new Deferred<void>();
      d.addTimeout(10, clock, custom ? overrideFunc : undefined);
      const inner = new Deferred<void>();
      let got: Failure | null = null;
      d.addErrback((f) => {
        got = f;
        return inner;
      });
      d.cancel();
      expect(got!.type).to.equal(CancelledError);
      clock.advance(15);
      assertNoResult(inner);
    });
  }

  it('test_timedOut: by default it fails with TimeoutError(timeout, "Deferred")', function () {
    const clock = new FakeClock();
    const d = new Deferred<void>();
    d.addTimeout(10, clock);
    assertNoResult(d);
    clock.advance(15);
    const f = failureOf(d, TimeoutError);
    const e = f.value as TimeoutError;
    expect(e.args).to.deep.equal([10, 'Deferred']);
    expect(e.timeout).to.equal(10);
    expect(e.message).to.equal('Deferred timed out after 10 seconds');
  });

  it('test_timedOutCustom: onTimeoutCancel can return a value', function () {
    const clock = new FakeClock();
    const d = new Deferred<void>();
    d.addTimeout(10, clock, overrideFunc);
    assertNoResult(d);
    clock.advance(15);
    expect(successOf(d)).to.equal('OVERRIDDEN');
  });

  it('test_timedOutProvidedCancelSuccess: a canceller that succeeds gives its value', function () {
    const clock = new FakeClock();
    const d = new Deferred<string>((c) => c.callback('I was cancelled!'));
    d.addTimeout(10, clock);
    assertNoResult(d);
    clock.advance(15);
    expect(successOf(d)).to.equal('I was cancelled!');
  });

  it('test_timedOutProvidedCancelFailure: a canceller that fails with another error keeps it', function () {
    const clock = new FakeClock();
    const error = new RangeError('what!');
    const d = new Deferred<void>((c) => c.errback(error));
    d.addTimeout(10, clock);
    clock.advance(15);
    expect(failureOf(d, RangeError).value).to.equal(error);
  });

  it('test_providedCancelCalledBeforeTimeoutCustom: onTimeoutCancel handles a canceller failure', function () {
    const clock = new FakeClock();
    const d = new Deferred<void>((c) => c.errback(new RangeError('what!')));
    d.addTimeout(10, clock, overrideFunc);
    clock.advance(15);
    expect(successOf(d)).to.equal('OVERRIDDEN');
  });

  it('test_errbackAddedBeforeTimeout: an errback added before sees CancelledError; after, TimeoutError', function () {
    const clock = new FakeClock();
    const d = new Deferred<void>();
    let got: Failure | null = null;
    d.addErrback((f) => {
      got = f;
      return f;
    });
    d.addTimeout(10, clock);
    clock.advance(15);
    expect(got!.value).to.be.instanceOf(CancelledError);
    failureOf(d, TimeoutError);
  });

  it('test_errbackAddedBeforeTimeoutSuppressesCancellation: an errback before that recovers gives success', function () {
    const clock = new FakeClock();
    const d = new Deferred<void>();
    let got: Failure | null = null;
    d.addErrback((f) => {
      got = f;
      f.trap(CancelledError);
    });
    d.addTimeout(10, clock);
    clock.advance(15);
    expect(got!.value).to.be.instanceOf(CancelledError);
    successOf(d);
  });

  it('test_errbackAddedBeforeTimeoutCustom: onTimeoutCancel runs on the failure passed on', function () {
    const clock = new FakeClock();
    const d = new Deferred<void>();
    let got: Failure | null = null;
    d.addErrback((f) => {
      got = f;
      return f;
    });
    d.addTimeout(10, clock, overrideFunc);
    clock.advance(15);
    expect(got!.value).to.be.instanceOf(CancelledError);
    expect(successOf(d)).to.equal('OVERRIDDEN');
  });

  it('test_errbackAddedBeforeTimeoutSuppressesCancellationCustom: onTimeoutCancel runs on the recovered value', function () {
    const clock = new FakeClock();
    const d = new Deferred<void>();
    let got: Failure | null = null;
    d.addErrback((f) => {
      got = f;
    });
    d.addTimeout(10, clock, overrideFunc);
    clock.advance(15);
    expect(got!.value).to.be.instanceOf(CancelledError);
    expect(successOf(d)).to.equal('OVERRIDDEN');
  });

  it('test_callbackAddedToCancelerBeforeTimeout: a canceller that succeeds runs callbacks added before', function () {
    const clock = new FakeClock();
    const success = 'success';
    const d = new Deferred<string>((self) => self.callback(success));
    let got: string | null = null;
    d.addCallback((v) => {
      got = v;
      return v;
    });
    d.addTimeout(10, clock);
    clock.advance(15);
    expect(got).to.equal(success);
    expect(successOf(d)).to.equal(success);
  });

  it('test_callbackAddedToCancelerBeforeTimeoutCustom: ... and onTimeoutCancel still runs', function () {
    const clock = new FakeClock();
    const d = new Deferred<string>((self) => self.callback('success'));
    let got: string | null = null;
    d.addCallback((v) => {
      got = v;
      return v;
    });
    d.addTimeout(10, clock, overrideFunc);
    clock.advance(15);
    expect(got).to.equal('success');
    expect(successOf(d)).to.equal('OVERRIDDEN');
  });

  it('onTimeoutCancel gets the value and the timeout', function () {
    const clock = new FakeClock();
    const seen: unknown[] = [];
    const d = new Deferred<void>();
    d.addTimeout(2.5, clock, (v, t) => {
      seen.push((v as Failure).type, t);
      return 'x';
    });
    clock.advance(2.5);
    expect(seen).to.deep.equal([CancelledError, 2.5]);
  });

  it('bad input: negative, NaN and infinite timeouts, a non-clock and a non-function are refused; nothing is scheduled or added', function () {
    const clock = new FakeClock();
    const d = new Deferred<number>();
    for (const bad of [-1, NaN, Infinity, '5' as unknown as number]) {
      expect(() => d.addTimeout(bad, clock)).to.throw(InvalidTimeoutError, /finite number >= 0/);
    }
    expect(() => d.addTimeout(1, {} as never)).to.throw(InvalidClockError, /IReactorTime/);
    expect(() => d.addTimeout(1, clock, 'x' as never)).to.throw(InvalidCallbackError, /onTimeoutCancel/);
    expect(clock.getDelayedCalls()).to.deep.equal([]);
    d.addCallback((n) => n + 1);
    d.callback(1);
    expect(d.result).to.equal(2);
  });
});
