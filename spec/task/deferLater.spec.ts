// Port of twisted/test/test_task.py (Twisted 22.4): DeferLaterTests.
import { expect } from 'chai';
import { CancelledError, Deferred } from '../../lib/defer/index.js';
import { InvalidDelayError } from '../../lib/reactor/index.js';
import { Clock, deferLater } from '../../lib/task/index.js';
import { assertNoResult, failureResultOf, successResultOf } from '../../lib/testing/index.js';

class TestException extends Error {
  constructor(message?: string) {
    super(message);
    this.name = 'TestException';
  }
}

describe('DeferLaterTests', function () {
  it('test_callback: the Deferred fires after the delay with the function\'s result', function () {
    const results: [string, string][] = [];
    const flag = {};
    const clock = new Clock();
    const d = deferLater(
      clock,
      3,
      (foo: string, bar: string) => {
        results.push([foo, bar]);
        return flag;
      },
      'foo',
      'bar',
    );
    clock.advance(2);
    expect(results).to.deep.equal([]);
    assertNoResult(d);
    clock.advance(1);
    expect(results).to.deep.equal([['foo', 'bar']]);
    expect(successResultOf(d)).to.equal(flag);
  });

  it('test_errback: the Deferred fails when the function throws', function () {
    const clock = new Clock();
    const d = deferLater(clock, 1, () => {
      throw new TestException();
    });
    clock.advance(1);
    failureResultOf(d, TestException);
  });

  it('test_cancel: cancelling the Deferred cancels the delayed call and fails with CancelledError', function () {
    const called: null[] = [];
    const clock = new Clock();
    const d = deferLater(
      clock,
      1,
      (x: null) => {
        called.push(x);
      },
      null,
    );
    d.cancel();
    failureResultOf(d, CancelledError);
    expect(clock.getDelayedCalls()).to.deep.equal([]);
    expect(called).to.deep.equal([]);
    clock.advance(1);
    expect(called).to.deep.equal([]);
  });

  it('test_noCallback: without a function the Deferred fires with undefined', function () {
    const clock = new Clock();
    const d = deferLater(clock, 2.0);
    assertNoResult(d);
    clock.advance(2.0);
    expect(successResultOf(d)).to.equal(undefined);
  });
});

describe('DeferLaterTests (twistless additions)', function () {
  it('a function returning a Deferred: deferLater\'s Deferred waits for it and fires with its result', function () {
    const clock = new Clock();
    const inner = new Deferred<string>();
    const d = deferLater(clock, 1, () => inner);
    clock.advance(1);
    assertNoResult(d);
    inner.callback('inner');
    expect(successResultOf(d)).to.equal('inner');
  });

  it('a non-function is a NotCallableError (a TypeError) and nothing is scheduled', function () {
    const clock = new Clock();
    expect(() => deferLater(clock, 1, 'nope' as never)).to.throw(TypeError, /not callable/);
    expect(clock.getDelayedCalls()).to.have.length(0);
  });

  it('a negative or non-finite delay is the clock\'s InvalidDelayError; calls already scheduled are kept', function () {
    const clock = new Clock();
    const earlier = deferLater(clock, 1, () => 'kept');
    for (const bad of [-1, NaN, Infinity]) {
      expect(() => deferLater(clock, bad, () => 'never')).to.throw(InvalidDelayError);
    }
    expect(clock.getDelayedCalls()).to.have.length(1);
    clock.advance(1);
    expect(successResultOf(earlier)).to.equal('kept');
  });

  it('a function returning a promise: the Deferred waits for it, and fails when it rejects', async function () {
    const clock = new Clock();
    let release!: (v: string) => void;
    const d = deferLater(clock, 1, () => new Promise<string>((resolve) => (release = resolve)));
    const bad = deferLater(clock, 1, () => Promise.reject(new TestException('rejected')));
    clock.advance(1);
    assertNoResult(d);
    release('settled');
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(successResultOf(d)).to.equal('settled');
    failureResultOf(bad, TestException);
  });

  it('cancelling after it fired does nothing', function () {
    const clock = new Clock();
    const d = deferLater(clock, 1, () => 5);
    clock.advance(1);
    d.cancel();
    expect(successResultOf(d)).to.equal(5);
  });

  it('is awaitable', async function () {
    const clock = new Clock();
    const d = deferLater(clock, 1, (a: number, b: number) => a + b, 1, 2);
    clock.advance(1);
    expect(await d).to.equal(3);
  });
});
