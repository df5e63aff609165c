// Port of twisted/trial/test/test_assertions.py (Twisted 22.4): ResultOfAssertionsTests, by name.
// ResultOfCoroutineAssertionsTests is py-only (a Promise cannot be inspected synchronously).
// The exact messages were checked against trial with /usr/bin/python3.
import { expect } from 'chai';
import { AssertionError } from 'node:assert';
import { Deferred, fail, succeed } from '../../lib/defer/index.js';
import { Failure } from '../../lib/failure/index.js';
import {
  assertNoResult,
  DeferredRequiredError,
  failureResultOf,
  FailTest,
  successResultOf,
} from '../../lib/testing/index.js';

function failTestOf(fn: () => unknown): FailTest {
  try {
    fn();
  } catch (e) {
    if (e instanceof FailTest) return e;
    throw e;
  }
  throw new Error('expected a FailTest, nothing was thrown');
}

class KeyError extends Error {}
class IOError extends Error {}

describe('ResultOfAssertionsTests', function () {
  const result = {};
  let failure: Failure;
  beforeEach(function () {
    failure = new Failure(new Error('Bad times'));
  });

  it('test_withoutResult: successResultOf of a Deferred without a result fails', function () {
    const e = failTestOf(() => successResultOf(new Deferred()));
    expect(e.message).to.match(/^Success result expected on <Deferred at 0x[0-9a-f]+>, found no result instead$/);
  });

  it('test_successResultOfWithFailure: successResultOf of a failed Deferred fails', function () {
    const e = failTestOf(() => successResultOf(fail(failure)));
    expect(e.message).to.match(/^Success result expected on <Deferred at 0x[0-9a-f]+ current result: undefined>, found failure result instead:\n/);
  });

  it('test_successResultOfWithFailureHasTraceback: the message holds the failure traceback', function () {
    const e = failTestOf(() => successResultOf(fail(failure)));
    expect(e.message).to.include(failure.getTraceback());
    expect(e.message.endsWith(failure.getTraceback())).to.equal(true);
  });

  it('test_failureResultOfWithoutResult: failureResultOf of a Deferred without a result fails', function () {
    const e = failTestOf(() => failureResultOf(new Deferred()));
    expect(e.message).to.match(/^Failure result expected on <Deferred at 0x[0-9a-f]+>, found no result instead$/);
  });

  it('test_failureResultOfWithSuccess: failureResultOf of a succeeded Deferred fails, showing the value', function () {
    const e = failTestOf(() => failureResultOf(succeed('s')));
    expect(e.message).to.match(/^Failure result expected on <Deferred at 0x[0-9a-f]+ current result: undefined>, found success result \('s'\) instead$/);
    expect(failTestOf(() => failureResultOf(succeed(result))).message).to.include('found success result ({}) instead');
  });

  it('test_failureResultOfWithWrongFailure: failureResultOf with a type that does not match fails', function () {
    expect(() => failureResultOf(fail(failure), KeyError)).to.throw(FailTest);
  });

  it('test_failureResultOfWithWrongFailureOneExpectedFailure: the message names the expected type', function () {
    const e = failTestOf(() => failureResultOf(fail(failure), KeyError));
    expect(e.message).to.include('Failure of type (KeyError) expected on');
    expect(e.message).to.match(/^Failure of type \(KeyError\) expected on <Deferred at 0x[0-9a-f]+ current result: undefined>, found type <class 'Error'> instead: Traceback/);
  });

  it('test_failureResultOfWithWrongFailureOneExpectedFailureHasTB: the message holds the failure traceback', function () {
    const e = failTestOf(() => failureResultOf(fail(failure), KeyError));
    expect(e.message).to.include(failure.getTraceback());
  });

  it('test_failureResultOfWithWrongFailureMultiExpectedFailures: the message names every expected type', function () {
    const e = failTestOf(() => failureResultOf(fail(failure), KeyError, IOError));
    expect(e.message).to.include('Failure of type (KeyError or IOError) expected on');
    expect(failTestOf(() => failureResultOf(fail(failure), 'KeyError', null)).message).to.include('Failure of type (KeyError or null) expected on');
  });

  it('test_failureResultOfWithWrongFailureMultiExpectedFailuresHasTB: the message holds the failure traceback', function () {
    const e = failTestOf(() => failureResultOf(fail(failure), KeyError, IOError));
    expect(e.message).to.include(failure.getTraceback());
  });

  it('test_successResultOfWithSuccessResult: successResultOf returns the result itself', function () {
    expect(successResultOf(succeed(result))).to.equal(result);
  });

  it('test_failureResultOfWithExpectedFailureResult: failureResultOf returns the Failure itself when its type is expected', function () {
    expect(failureResultOf(fail(failure), Error, KeyError)).to.equal(failure);
  });

  it('test_failureResultOfWithFailureResult: failureResultOf with no type returns the Failure itself', function () {
    expect(failureResultOf(fail(failure))).to.equal(failure);
  });

  it('test_assertNoResultSuccess: assertNoResult of a succeeded Deferred fails, showing the result', function () {
    const d = succeed('s');
    const e = failTestOf(() => assertNoResult(d));
    expect(e.message).to.match(/^No result expected on <Deferred at 0x[0-9a-f]+ current result: 's'>, found 's' instead$/);
    // the success result is left in place
    expect(d.result).to.equal('s');
  });

  it('test_assertNoResultFailure: assertNoResult of a failed Deferred fails, showing the failure', function () {
    const e = failTestOf(() => assertNoResult(fail(failure)));
    expect(e.message).to.match(/^No result expected on <Deferred at 0x[0-9a-f]+ current result: undefined>, found <Failure Error: Bad times> instead$/);
  });

  it('test_assertNoResult: assertNoResult of a Deferred without a result passes', function () {
    assertNoResult(new Deferred());
  });

  it('test_assertNoResultPropagatesSuccess: a later success result still reaches later callbacks', function () {
    const d = new Deferred<object>();
    assertNoResult(d);
    d.callback(result);
    expect(successResultOf(d)).to.equal(result);
  });

  it('test_assertNoResultPropagatesLaterFailure: a later failure result still reaches later errbacks', function () {
    const d = new Deferred();
    assertNoResult(d);
    d.errback(failure);
    expect(failureResultOf(d)).to.equal(failure);
  });

  it('test_assertNoResultSwallowsImmediateFailure: a failure already there is replaced by undefined', function () {
    const d = fail(failure);
    try {
      assertNoResult(d);
    } catch (e) {
      if (!(e instanceof FailTest)) throw e;
    }
    expect(successResultOf(d)).to.equal(undefined);
  });
});

describe('trial helpers: behaviour checked against trial', function () {
  it('FailTest is an AssertionError named FailTest', function () {
    const e = failTestOf(() => successResultOf(new Deferred()));
    expect(e).to.be.instanceOf(AssertionError);
    expect(e.name).to.equal('FailTest');
  });

  it('successResultOf consumes the result: the Deferred is left with undefined', function () {
    const d = succeed(3);
    expect(successResultOf(d)).to.equal(3);
    expect(d.result).to.equal(undefined);
    const f = fail(new Error('x'));
    failTestOf(() => successResultOf(f));
    expect(f.result).to.equal(undefined);
  });

  it('successResultOf on a Deferred with no result leaves a callback that swallows the later result', function () {
    const d = new Deferred<number>();
    failTestOf(() => successResultOf(d));
    d.callback(5);
    expect(d.result).to.equal(undefined);
  });

  it('failureResultOf consumes the failure, so it is not left unhandled', function () {
    const d = fail(new Error('x'));
    failureResultOf(d);
    expect(d.result).to.equal(undefined);
  });

  it('a paused Deferred with a result counts as having no result; assertNoResult passes and keeps it', function () {
    const d = new Deferred<number>();
    d.pause();
    d.callback(1);
    expect(failTestOf(() => successResultOf(d)).message).to.match(/current result: 1>, found no result instead$/);
    assertNoResult(d);
    expect(d.paused).to.equal(1);
    expect(d.result).to.equal(1);
  });

  it('a Deferred waiting on another has no result; the message says what it waits on', function () {
    const inner = new Deferred();
    const outer = new Deferred<number>();
    outer.addCallback(() => inner);
    outer.callback(1);
    expect(failTestOf(() => successResultOf(outer)).message).to.match(
      /^Success result expected on <Deferred at 0x[0-9a-f]+ waiting on Deferred at 0x[0-9a-f]+>, found no result instead$/,
    );
    assertNoResult(outer);
  });

  it('assertNoResult of a Deferred whose result is undefined still fails (a result is a result)', function () {
    expect(failTestOf(() => assertNoResult(succeed(undefined))).message).to.match(/found undefined instead$/);
  });

  it('failureResultOf matches non-Error values as Failure.check does', function () {
    const d = new Deferred();
    d.errback('a string');
    expect(failureResultOf(d, String).value).to.equal('a string');
    const n = new Deferred();
    n.errback(null);
    expect(failTestOf(() => failureResultOf(n, Error)).message).to.match(/^Failure of type \(Error\) expected on .*, found type <class 'null'> instead: Traceback \(most recent call last\):\nFailure: null: null\n$/);
  });

  it('the helpers reject what is not a Deferred with DeferredRequiredError (a TypeError)', function () {
    const p = Promise.resolve(1);
    expect(() => successResultOf(p as never)).to.throw(DeferredRequiredError, /successResultOf needs a Deferred, got a promise/);
    expect(() => failureResultOf(1 as never)).to.throw(TypeError, /failureResultOf needs a Deferred, got number/);
    expect(() => assertNoResult(null as never)).to.throw(DeferredRequiredError, /assertNoResult needs a Deferred, got null/);
  });
});
