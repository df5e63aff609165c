// Port of twisted/test/test_defer.py (Twisted 22.4): DeferredTests, the Deferred-core tests
// (DeferredList/gatherResults ones are in spec/defer/deferredList*.spec.ts).
import { expect } from 'chai';
import {
  CircularChainError,
  Deferred,
  DeferredAsResultError,
  isDeferred,
  execute,
  fail,
  maybeDeferred,
  passthru,
  succeed,
} from '../../lib/defer/index.js';
import { Failure, isFailure } from '../../lib/failure/index.js';
import { failureOf, GenericError, successOf } from './support.js';

describe('DeferredTests', function () {
  let callbackResults: unknown[] | null;
  let errbackResults: unknown[] | null;
  let callback2Results: unknown[] | null;
  const cb = (...args: unknown[]): string => {
    callbackResults = args;
    return args[0] as string;
  };
  const cb2 = (...args: unknown[]): void => {
    callback2Results = args;
  };
  const eb = (...args: unknown[]): void => {
    errbackResults = args;
  };
  beforeEach(function () {
    callbackResults = errbackResults = callback2Results = null;
  });

  it('testCallbackWithoutArgs: a callback gets the result alone', function () {
    const d = new Deferred<string>();
    d.addCallback(cb);
    d.callback('hello');
    expect(errbackResults).to.equal(null);
    expect(callbackResults).to.deep.equal(['hello']);
  });

  it('testCallbackWithArgs: extra args are passed after the result', function () {
    const d = new Deferred<string>();
    d.addCallback(cb, 'world');
    d.callback('hello');
    expect(callbackResults).to.deep.equal(['hello', 'world']);
  });

  it('testCallbackWithKwArgs: (keyword args become trailing args) several extra args in order', function () {
    const d = new Deferred<string>();
    d.addCallback(cb, 'world', { x: 1 });
    d.callback('hello');
    expect(callbackResults).to.deep.equal(['hello', 'world', { x: 1 }]);
  });

  it('testTwoCallbacks: each callback gets the previous return', function () {
    const d = new Deferred<string>();
    d.addCallback(cb);
    d.addCallback(cb2);
    d.callback('hello');
    expect(errbackResults).to.equal(null);
    expect(callbackResults).to.deep.equal(['hello']);
    expect(callback2Results).to.deep.equal(['hello']);
  });

  it('test_addCallbacksNoneErrback: a null errback passes failures on', function () {
    const d = new Deferred<string>();
    d.addCallbacks(cb, null);
    d.callback('hello');
    expect(callbackResults).to.deep.equal(['hello']);
    const e = new Deferred<string>();
    e.addCallbacks(cb, null);
    e.addErrback(eb);
    e.errback(new GenericError('x'));
    expect(callbackResults).to.deep.equal(['hello']);
    expect((errbackResults![0] as Failure).value).to.be.instanceOf(GenericError);
  });

  it('test_addCallbacksNoneCallbackArgs: null callbackArgs means no extra args', function () {
    const d = new Deferred<string>();
    d.addCallbacks(cb, eb, null, ['x']);
    d.callback('hello');
    expect(callbackResults).to.deep.equal(['hello']);
  });

  it('test_addCallbacksNoneErrbackArgs: null errbackArgs means no extra args', function () {
    const d = new Deferred<string>();
    d.addCallbacks(cb, eb, ['x'], null);
    d.errback(new GenericError());
    expect(errbackResults).to.have.length(1);
    expect(isFailure(errbackResults![0])).to.equal(true);
  });

  it('addCallbacks passes callbackArgs and errbackArgs after the result', function () {
    const seen: unknown[] = [];
    succeed(2).addCallbacks((n, a: string, b: number) => seen.push([n, a, b]), null, ['a', 3]);
    fail(new GenericError('e')).addCallbacks(
      () => seen.push('no'),
      (f, tag: string) => seen.push([f.getErrorMessage(), tag]),
      null,
      ['tag'],
    );
    expect(seen).to.deep.equal([[2, 'a', 3], ['e', 'tag']]);
  });

  it('addBoth gets the result and the failure, with its args', function () {
    const seen: unknown[] = [];
    succeed(1).addBoth((r, x: string) => seen.push([r, x]), 'x');
    fail(new GenericError('boom')).addBoth((r, x: string) => seen.push([isFailure(r), x]), 'y');
    expect(seen).to.deep.equal([[1, 'x'], [true, 'y']]);
  });

  it('an errback returning a value recovers; a callback returning a Failure fails', function () {
    const d = fail(new GenericError('e'))
      .addErrback(() => 'recovered')
      .addCallback((s) => s + '!');
    expect(successOf(d)).to.equal('recovered!');
    const f = new Failure(new GenericError('returned'));
    const d2 = succeed(1).addCallback(() => f);
    expect(failureOf(d2)).to.equal(f);
  });

  it('callback(aFailure) behaves as errback(aFailure)', function () {
    const d = new Deferred<number>();
    const f = new Failure(new GenericError('x'));
    const seen: unknown[] = [];
    d.addCallbacks(
      () => seen.push('cb'),
      (g) => seen.push(g),
    );
    d.callback(f);
    expect(seen).to.deep.equal([f]);
  });

  it('testImmediateSuccess: succeed() runs a callback added later at once', function () {
    const l: string[] = [];
    succeed('success').addCallback((s) => l.push(s));
    expect(l).to.deep.equal(['success']);
  });

  it('testImmediateFailure: fail() runs an errback added later at once', function () {
    const l: Failure[] = [];
    fail(new GenericError('fail')).addErrback((f) => l.push(f));
    expect((l[0].value as Error).message).to.equal('fail');
  });

  it('testPausedFailure: a paused failed Deferred runs its errback on unpause', function () {
    const l: Failure[] = [];
    const d = fail(new GenericError('fail'));
    d.pause();
    d.addErrback((f) => l.push(f));
    expect(l).to.deep.equal([]);
    d.unpause();
    expect((l[0].value as Error).message).to.equal('fail');
  });

  it('testCallbackErrors: a thrown error and a returned Failure both go to the errback', function () {
    let l: Failure[] = [];
    const d = new Deferred<number>()
      .addCallback(() => {
        throw new RangeError('zero');
      })
      .addErrback((f) => l.push(f));
    d.callback(1);
    expect(l[0].value).to.be.instanceOf(RangeError);
    l = [];
    const d2 = new Deferred<number>().addCallback(() => new Failure(new RangeError('z'))).addErrback((f) => l.push(f));
    d2.callback(1);
    expect(l[0].value).to.be.instanceOf(RangeError);
  });

  it('testUnpauseBeforeCallback: pause, add, unpause before firing is harmless', function () {
    const d = new Deferred<void>();
    d.pause();
    d.addCallback(cb);
    d.unpause();
    expect(callbackResults).to.equal(null);
    d.callback();
    expect(callbackResults).to.deep.equal([undefined]);
  });

  it('testReturnDeferred: a callback returning a paused Deferred waits for its unpause', function () {
    const d1 = new Deferred<number>();
    const d2 = new Deferred<number>();
    d2.pause();
    d1.addCallback(() => d2);
    d1.addCallback(cb);
    d1.callback(1);
    expect(callbackResults).to.equal(null);
    d2.callback(2);
    expect(callbackResults).to.equal(null);
    d2.unpause();
    expect(callbackResults).to.deep.equal([2]);
  });

  it('test_chainedPausedDeferredWithResult: a paused fired Deferred returned from a callback is waited on', function () {
    const expected = {};
    const paused = new Deferred<object>();
    paused.callback(expected);
    paused.pause();
    const chained = new Deferred<void>();
    chained.addCallback(() => paused);
    chained.callback();
    const result: unknown[] = [];
    chained.addCallback((r) => result.push(r));
    expect(result).to.deep.equal([]);
    paused.unpause();
    expect(result[0]).to.equal(expected);
  });

  it('test_pausedDeferredChained: a paused outer does not stop the inner running its later callbacks', function () {
    const first = new Deferred<void>();
    const second = new Deferred<void>();
    first.addCallback(() => second);
    first.callback();
    first.pause();
    second.callback();
    const result: unknown[] = [];
    second.addCallback((r) => result.push(r));
    expect(result).to.deep.equal([undefined]);
  });

  it('test_maybeDeferredSync: maybeDeferred wraps a plain return', function () {
    const result = {};
    const results: unknown[] = [];
    const errors: unknown[] = [];
    maybeDeferred(() => result).addCallbacks(
      (r) => results.push(r),
      (f) => errors.push(f),
    );
    expect(errors).to.deep.equal([]);
    expect(results).to.have.length(1);
    expect(results[0]).to.equal(result);
  });

  it('test_maybeDeferredSyncWithArgs: maybeDeferred passes the arguments', function () {
    const results: number[] = [];
    maybeDeferred((x: number) => x + 5, 10).addCallback((r) => results.push(r));
    expect(results).to.deep.equal([15]);
  });

  it('test_maybeDeferredSyncException: maybeDeferred turns a throw into a failure', function () {
    const errors: Failure[] = [];
    maybeDeferred((x: string) => (null as unknown as { f(): void }).f() ?? x, '10').addErrback((f) => errors.push(f));
    expect(errors).to.have.length(1);
    expect(errors[0].value).to.be.instanceOf(TypeError);
  });

  it('test_maybeDeferredSyncFailure: maybeDeferred fails with a returned Failure, the same object', function () {
    const expected = new Failure(new TypeError('x'));
    const errors: Failure[] = [];
    maybeDeferred(() => expected).addErrback((f) => errors.push(f));
    expect(errors).to.have.length(1);
    expect(errors[0]).to.equal(expected);
  });

  it('test_maybeDeferredAsync: maybeDeferred returns a returned Deferred itself', function () {
    const d1 = new Deferred<string>();
    const d2 = maybeDeferred(() => d1);
    expect(d2).to.equal(d1);
    d1.callback('Success');
    const result: string[] = [];
    d2.addCallback((r) => result.push(r));
    expect(result).to.deep.equal(['Success']);
  });

  it('test_maybeDeferredAsyncError: maybeDeferred keeps a returned Deferred failure', function () {
    const d1 = new Deferred<void>();
    const d2 = maybeDeferred(() => d1);
    d1.errback(new Failure(new RangeError('x')));
    failureOf(d2, RangeError);
  });

  it('maybeDeferred waits on a returned Promise (an extension: Twisted 22.4 does not unwrap coroutines)', async function () {
    const d = maybeDeferred(async (x: number) => x * 2, 4);
    expect(d.called).to.equal(false);
    expect(await d).to.equal(8);
  });

  it('test_innerCallbacksPreserved: the middle Deferred runs its callbacks before the outer gets the result', function () {
    const results: unknown[] = [];
    const failures: Failure[] = [];
    const inner = new Deferred<string>();
    const cbOuter = (result: string): Deferred<string> => {
      results.push(['start-of-cb', result]);
      const d = succeed('inner');
      d.addCallback(() => {
        results.push(['firstCallback', 'inner']);
        return inner;
      }).addCallback((r: string) => {
        results.push(['secondCallback', r]);
        return r + r;
      });
      d.addErrback((f) => failures.push(f));
      return d as unknown as Deferred<string>;
    };
    const outer = succeed('outer');
    outer.addCallback(cbOuter);
    inner.callback('orange');
    outer.addCallback((r) => results.push(r));
    inner.addErrback((f) => failures.push(f));
    outer.addErrback((f) => failures.push(f));
    expect(failures).to.deep.equal([]);
    expect(results).to.deep.equal([
      ['start-of-cb', 'outer'],
      ['firstCallback', 'inner'],
      ['secondCallback', 'orange'],
      'orangeorange',
    ]);
  });

  // gatherResults([a]) in the original; a Deferred fired by a's callback with [result] stands in.
  function gatherOne<T>(a: Deferred<T>): Deferred<T[]> {
    const g = new Deferred<T[]>();
    a.addCallbacks(
      (r) => g.callback([r]),
      (f) => g.errback(f),
    );
    return g;
  }

  it('test_continueCallbackNotFirst: the continuation need not be the first callback', function () {
    const results: unknown[] = [];
    const failures: Failure[] = [];
    const a = new Deferred<string>();
    const cbOuter = (result: string): Deferred<unknown> => {
      results.push(['cb', result]);
      const d = new Deferred<void>();
      d.addCallback((r) => {
        results.push(['firstCallback', r]);
        return gatherOne(a);
      });
      d.addCallback((r) => {
        results.push(['secondCallback', r]);
      });
      d.addErrback((f) => failures.push(f));
      d.callback();
      return d;
    };
    const outer = succeed('outer');
    outer.addCallback(cbOuter);
    outer.addErrback((f) => failures.push(f));
    expect(results).to.deep.equal([
      ['cb', 'outer'],
      ['firstCallback', undefined],
    ]);
    a.callback('withers');
    expect(failures).to.deep.equal([]);
    expect(results).to.deep.equal([
      ['cb', 'outer'],
      ['firstCallback', undefined],
      ['secondCallback', ['withers']],
    ]);
  });

  it('test_callbackOrderPreserved: a callback added after the chaining one runs after the inner callbacks', function () {
    const results: unknown[] = [];
    const failures: Failure[] = [];
    const a = new Deferred<string>();
    const cbOuter = (result: string): Deferred<unknown> => {
      results.push(['cb', result]);
      const d = new Deferred<void>();
      d.addCallback((r) => {
        results.push(['firstCallback', r]);
        return gatherOne(a);
      });
      d.addCallback((r) => {
        results.push(['secondCallback', r]);
      });
      d.addErrback((f) => failures.push(f));
      d.callback();
      return d;
    };
    const outer = new Deferred<string>();
    outer.addCallback(cbOuter);
    outer.addCallback(() => results.push(['final', undefined]));
    outer.addErrback((f) => failures.push(f));
    outer.callback('outer');
    expect(results).to.deep.equal([
      ['cb', 'outer'],
      ['firstCallback', undefined],
    ]);
    a.callback('withers');
    expect(failures).to.deep.equal([]);
    expect(results).to.deep.equal([
      ['cb', 'outer'],
      ['firstCallback', undefined],
      ['secondCallback', ['withers']],
      ['final', undefined],
    ]);
  });

  it('test_reentrantRunCallbacks: a callback added by a callback goes to the end of the chain', function () {
    const deferred = new Deferred<void>();
    const called: number[] = [];
    deferred.addCallback(() => {
      called.push(1);
      deferred.addCallback(() => called.push(3));
    });
    deferred.addCallback(() => called.push(2));
    deferred.callback();
    expect(called).to.deep.equal([1, 2, 3]);
  });

  it('test_nonReentrantCallbacks: a callback added by a running callback waits for it to return', function () {
    const deferred = new Deferred<void>();
    const called: number[] = [];
    deferred.addCallback(() => {
      called.push(1);
      deferred.addCallback(() => called.push(2));
      expect(called).to.deep.equal([1]);
    });
    deferred.callback();
    expect(called).to.deep.equal([1, 2]);
  });

  it('test_reentrantRunCallbacksWithFailure: a throw in a late-added callback becomes the failure', function () {
    const deferred = new Deferred<void>();
    deferred.addCallback(() => {
      deferred.addCallback(() => {
        throw new Error('callback raised exception');
      });
    });
    deferred.callback();
    const f = failureOf(deferred, Error);
    expect((f.value as Error).message).to.equal('callback raised exception');
  });

  it('test_synchronousImplicitChain: a fired Deferred returned from a callback gives its result and keeps undefined', function () {
    const result = {};
    const first = succeed(result);
    const second = new Deferred<void>();
    second.addCallback(() => first);
    second.callback();
    const results: unknown[] = [];
    first.addCallback((r) => results.push(r));
    expect(results[0]).to.equal(undefined);
    second.addCallback((r) => results.push(r));
    expect(results[1]).to.equal(result);
  });

  it('test_asynchronousImplicitChain: an unfired Deferred returned from a callback hands over its result later', function () {
    const first = new Deferred<object>();
    const second = new Deferred<void>();
    second.addCallback(() => first);
    second.callback();
    const firstResult: unknown[] = [];
    first.addCallback((r) => firstResult.push(r));
    const secondResult: unknown[] = [];
    second.addCallback((r) => secondResult.push(r));
    expect(firstResult).to.deep.equal([]);
    expect(secondResult).to.deep.equal([]);
    const result = {};
    first.callback(result);
    expect(firstResult).to.deep.equal([undefined]);
    expect(secondResult[0]).to.equal(result);
  });

  it('test_synchronousImplicitErrorChain: a failed Deferred returned from a callback gives its failure and keeps undefined', function () {
    const first = fail(new RangeError("First Deferred's Failure"));
    const second = new Deferred<void>();
    second.addCallback(() => first);
    second.callback();
    const firstResult: unknown[] = [];
    first.addCallback((r) => firstResult.push(r));
    expect(firstResult[0]).to.equal(undefined);
    failureOf(second, RangeError);
  });

  it('test_asynchronousImplicitErrorChain: a later failure of the inner goes to the outer, the inner keeps undefined', function () {
    const first = new Deferred<void>();
    const second = new Deferred<void>();
    second.addCallback(() => first);
    second.callback();
    const secondError: Failure[] = [];
    second.addErrback((f) => secondError.push(f));
    const firstResult: unknown[] = [];
    first.addCallback((r) => firstResult.push(r));
    const secondResult: unknown[] = [];
    second.addCallback((r) => secondResult.push(r));
    expect(firstResult).to.deep.equal([]);
    expect(secondResult).to.deep.equal([]);
    first.errback(new RangeError("First Deferred's Failure"));
    expect(secondError[0].check(RangeError)).to.equal(RangeError);
    expect(firstResult).to.deep.equal([undefined]);
    expect(secondResult).to.have.length(1);
  });

  it('test_doubleAsynchronousImplicitChaining: chaining is transitive', function () {
    const first = new Deferred<object>();
    const second = new Deferred<void>();
    second.addCallback(() => first);
    const third = new Deferred<void>();
    third.addCallback(() => second);
    const thirdResult: unknown[] = [];
    third.addCallback((r) => thirdResult.push(r));
    const result = {};
    second.callback();
    third.callback();
    expect(thirdResult).to.deep.equal([]);
    first.callback(result);
    expect(thirdResult[0]).to.equal(result);
  });

  function nested(withExtra: boolean): { results: unknown[]; failures: Failure[]; inner: Deferred<string>; outer: Deferred<unknown> } {
    const results: unknown[] = [];
    const failures: Failure[] = [];
    const inner = new Deferred<string>();
    const cbOuter = (result: string): Deferred<unknown> => {
      results.push(['start-of-cb', result]);
      const d = succeed('inner');
      d.addCallback((r) => {
        results.push(['firstCallback', withExtra ? r : 'inner']);
        return withExtra ? (inner.addCallback((x) => [x]) as unknown as Deferred<string>) : inner;
      });
      d.addCallback((r: unknown) => {
        results.push(['secondCallback', r]);
        return Array.isArray(r) ? [...r, ...r] : String(r) + String(r);
      });
      d.addErrback((f) => failures.push(f));
      return d;
    };
    const outer = succeed('outer') as Deferred<unknown>;
    (outer as Deferred<string>).addCallback(cbOuter);
    outer.addCallback((r) => results.push(r));
    return { results, failures, inner, outer };
  }

  it('test_nestedAsynchronousChainedDeferreds: callbacks returning Deferreds continue when the inner fires', function () {
    const { results, failures, inner, outer } = nested(false);
    expect(results).to.deep.equal([
      ['start-of-cb', 'outer'],
      ['firstCallback', 'inner'],
    ]);
    inner.callback('orange');
    inner.addErrback((f) => failures.push(f));
    outer.addErrback((f) => failures.push(f));
    expect(failures).to.deep.equal([]);
    expect(results).to.deep.equal([
      ['start-of-cb', 'outer'],
      ['firstCallback', 'inner'],
      ['secondCallback', 'orange'],
      'orangeorange',
    ]);
  });

  it('test_nestedAsynchronousChainedDeferredsWithExtraCallbacks: callbacks added to the inner before it is returned apply', function () {
    const { results, failures, inner, outer } = nested(true);
    expect(results).to.deep.equal([
      ['start-of-cb', 'outer'],
      ['firstCallback', 'inner'],
    ]);
    inner.callback('withers');
    outer.addErrback((f) => failures.push(f));
    inner.addErrback((f) => failures.push(f));
    expect(failures).to.deep.equal([]);
    expect(results).to.deep.equal([
      ['start-of-cb', 'outer'],
      ['firstCallback', 'inner'],
      ['secondCallback', ['withers']],
      ['withers', 'withers'],
    ]);
  });

  it('test_chainDeferredRecordsExplicitChain: chainDeferred records the chain', function () {
    const a = new Deferred<void>();
    const b = new Deferred<void>();
    b.chainDeferred(a);
    expect(a._chainedTo).to.equal(b);
  });

  it('test_explicitChainClearedWhenResolved: the record is cleared once the source fires', function () {
    const a = new Deferred<void>();
    const b = new Deferred<void>();
    b.chainDeferred(a);
    b.callback();
    expect(a._chainedTo).to.equal(null);
  });

  it('test_chainDeferredRecordsImplicitChain: returning a Deferred from a callback records the chain', function () {
    const a = new Deferred<void>();
    const b = new Deferred<void>();
    a.addCallback(() => b);
    a.callback();
    expect(a._chainedTo).to.equal(b);
  });

  it('test_circularChainWarning: a callback returning its own Deferred makes a CircularChainError failure (Twisted warns, then hangs)', function () {
    const d = new Deferred<string>();
    d.addCallback(() => d);
    d.callback('foo');
    const f = failureOf(d, CircularChainError);
    expect((f.value as Error).message).to.match(/Callback returned the Deferred it was attached to/);
    expect(d.paused).to.equal(0);
  });

  it('test_circularChainException: the error is the failure result and can be trapped', function () {
    const d = new Deferred<string>();
    d.addCallback(() => d);
    d.callback('foo');
    const f = failureOf(d);
    expect(f.trap(CircularChainError)).to.equal(CircularChainError);
  });

  it('test_repr: an unfired Deferred shows its class and id', function () {
    const d = new Deferred<void>();
    expect(String(d)).to.match(/^<Deferred at 0x[0-9a-f]+>$/);
  });

  it('test_reprWithResult: a fired Deferred shows its result', function () {
    const d = new Deferred<string>();
    d.callback('orange');
    expect(String(d)).to.match(/^<Deferred at 0x[0-9a-f]+ current result: 'orange'>$/);
  });

  it('test_reprWithChaining: a Deferred waiting on another says so', function () {
    const a = new Deferred<void>();
    const b = new Deferred<void>();
    b.chainDeferred(a);
    const idB = /0x([0-9a-f]+)/.exec(String(b))![1];
    expect(String(a)).to.match(new RegExp(`^<Deferred at 0x[0-9a-f]+ waiting on Deferred at 0x${idB}>$`));
  });

  it('test_reprWithChaining (fired by hand): the target of a chainDeferred fired by hand shows its own result, with or without callbacks; paused, it still shows its source', function () {
    const shown = (prepare: (a: Deferred<string>) => void): string => {
      const a = new Deferred<string>();
      const b = new Deferred<string>();
      b.chainDeferred(a);
      prepare(a);
      a.callback('own');
      return String(a).replace(/0x[0-9a-f]+/g, 'ID');
    };
    expect(shown(() => undefined)).to.equal("<Deferred at ID current result: 'own'>");
    expect(shown((a) => a.addCallback((r) => `${r}!`))).to.equal("<Deferred at ID current result: 'own!'>");
    expect(shown((a) => a.pause())).to.equal('<Deferred at ID waiting on Deferred at ID>');
  });

  it('test_resultOfDeferredResultOfDeferredOfFiredDeferredCalled: callbacks on the middle run once the last fires', function () {
    const first = new Deferred<void>();
    const second = new Deferred<void>();
    const third = new Deferred<void>();
    first.addCallback(() => second);
    second.addCallback(() => third);
    second.callback();
    first.callback();
    third.callback();
    const results: unknown[] = [];
    second.addCallback((r) => results.push(r));
    expect(results).to.deep.equal([undefined]);
  });

  it('test_errbackWithNoArgs (adapted): errback() with no argument at all throws NoCurrentExceptionError; errback(undefined) fails with undefined', function () {
    const d = new Deferred<void>();
    expect(() => d.errback()).to.throw(TypeError).with.property('name', 'NoCurrentExceptionError');
    expect(d.called).to.equal(false);
    d.errback(undefined);
    expect(failureOf(d).value).to.equal(undefined);
    expect(() => fail()).to.throw(TypeError).with.property('name', 'NoCurrentExceptionError');
    expect(failureOf(fail(undefined)).value).to.equal(undefined);
  });

  it('a Failure wraps any thrown value: a string, null, undefined, 0', function () {
    for (const v of ['str', null, undefined, 0]) {
      const d = succeed(1).addCallback(() => {
        throw v;
      });
      expect(failureOf(d).value).to.equal(v);
    }
  });

  it('callback(aDeferred) throws DeferredAsResultError and leaves the Deferred unfired', function () {
    const d = new Deferred<unknown>();
    expect(() => d.callback(new Deferred())).to.throw(DeferredAsResultError, /Cannot pass a Deferred to callback\(\)/);
    expect(d.called).to.equal(false);
    expect(() => succeed(new Deferred())).to.throw(DeferredAsResultError);
  });

  it('the inner Deferred is left with undefined after handing its result over', function () {
    const inner = new Deferred<number>();
    const outer = succeed(0).addCallback(() => inner);
    inner.callback(5);
    expect(outer.result).to.equal(5);
    expect(inner.result).to.equal(undefined);
  });

  it('a pause inside a callback does not stop the callbacks already queued in that run (as in Twisted)', function () {
    const d = new Deferred<number>();
    const l: unknown[] = [];
    d.addCallback((r) => {
      l.push(['a', r]);
      d.pause();
      return r + 1;
    });
    d.addCallback((r) => l.push(['b', r]));
    d.callback(1);
    expect(l).to.deep.equal([
      ['a', 1],
      ['b', 2],
    ]);
    expect(d.paused).to.equal(1);
  });

  it('unpause() is not clamped: an extra unpause leaves paused at -1 and the chain stopped', function () {
    const d = new Deferred<number>();
    d.unpause();
    expect(d.paused).to.equal(-1);
    const l: number[] = [];
    d.addCallback((r) => l.push(r));
    d.callback(1);
    expect(l).to.deep.equal([]);
    d.pause();
    expect(l).to.deep.equal([]);
    d.pause();
    d.unpause();
    expect(l).to.deep.equal([1]);
  });

  it('pause is counted: two pauses need two unpauses', function () {
    const l: number[] = [];
    const d = succeed(1);
    d.pause();
    d.pause();
    d.addCallback((r) => l.push(r));
    d.unpause();
    expect(l).to.deep.equal([]);
    d.unpause();
    expect(l).to.deep.equal([1]);
  });

  it('chainDeferred forwards the result and leaves the source with undefined', function () {
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    const seen: number[] = [];
    b.addCallback((r) => seen.push(r));
    a.chainDeferred(b);
    a.callback(3);
    expect(seen).to.deep.equal([3]);
    expect(a.result).to.equal(undefined);
    const c = new Deferred<number>();
    const e = new Deferred<number>();
    c.chainDeferred(e);
    c.errback(new RangeError('r'));
    failureOf(e, RangeError);
    expect(c.result).to.equal(undefined);
  });

  it('chainDeferred to an already fired target makes the source fail with AlreadyCalledError', function () {
    const a = new Deferred<number>();
    const b = succeed(1);
    a.chainDeferred(b);
    a.callback(2);
    failureOf(a).trap('AlreadyCalledError');
    expect(b.result).to.equal(1);
  });

  it('chainDeferred: the target runs its whole chain before the source goes on (the order of Twisted\'s recursion)', function () {
    const order: string[] = [];
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    const inner = new Deferred<number>();
    b.addCallback(() => {
      order.push('b1');
      return inner;
    });
    b.addCallback(() => order.push('b2'));
    a.chainDeferred(b);
    a.addCallback(() => order.push('a-after'));
    a.callback(1);
    expect(order).to.deep.equal(['b1', 'a-after']);
    inner.callback(0);
    expect(order).to.deep.equal(['b1', 'a-after', 'b2']);
  });

  it('chainDeferred into a target whose waiting outer is paused: only the target stops, the source goes on', function () {
    const order: string[] = [];
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    const outer = new Deferred<void>();
    outer.addCallback(() => b);
    outer.callback();
    outer.pause(); // user pause on the Deferred waiting on b
    outer.addCallback((r) => order.push(`outer ${r}`));
    b.addCallback((r) => order.push(`b-late ${r}`)); // added after the continuation: parked
    a.chainDeferred(b);
    a.addCallback(() => order.push('a-after'));
    a.callback(7);
    expect(order).to.deep.equal(['a-after']);
    outer.unpause();
    expect(order).to.deep.equal(['a-after', 'outer 7']);
  });

  it('chainDeferred: a target callback that pauses the source does not stop the source\'s callbacks already queued (as Twisted\'s nested call)', function () {
    // Checked against Twisted 22.4: the source's loop goes on after d2.callback returns.
    const order: unknown[] = [];
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    a.chainDeferred(b);
    b.addCallback((r) => {
      order.push(`b ${r}`);
      a.pause();
    });
    a.addCallback((r) => {
      order.push(`a2 ${String(r)}`);
      return 'x';
    });
    a.addCallback((r) => {
      order.push(`a3 ${r}`);
      return 'y';
    });
    a.callback(1);
    expect(order).to.deep.equal(['b 1', 'a2 undefined', 'a3 x']);
    expect(a.paused).to.equal(1);
    expect(a.result).to.equal('y');
    a.addCallback((r) => order.push(`a4 ${r}`)); // added while paused: parked
    expect(order).to.have.length(3);
    a.unpause();
    expect(order).to.deep.equal(['b 1', 'a2 undefined', 'a3 x', 'a4 y']);
  });

  it('chainDeferred: a pause of every source made deep in a chain of links stops none of their queued callbacks', function () {
    const order: string[] = [];
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    const c = new Deferred<number>();
    a.chainDeferred(b);
    b.chainDeferred(c);
    c.addCallback(() => {
      order.push('c1');
      a.pause();
      b.pause();
      c.pause(); // its own pause does not stop c's queued callbacks either (as in Twisted)
      return 'c';
    });
    c.addCallback(() => order.push('c2'));
    b.addCallback(() => order.push('b2'));
    a.addCallback(() => order.push('a2'));
    a.callback(1);
    expect(order).to.deep.equal(['c1', 'c2', 'b2', 'a2']);
    expect([a.paused, b.paused, c.paused]).to.deep.equal([1, 1, 1]);
    c.addCallback(() => order.push('c3')); // added while paused: parked until unpause
    expect(order).to.have.length(4);
    c.unpause();
    expect(order).to.deep.equal(['c1', 'c2', 'b2', 'a2', 'c3']);
  });

  // The next four were found by running random programs on Twisted 22.4 and on twistless side
  // by side; each expectation is what Twisted does.
  it('chainDeferred: the source keeps its result while the target runs, so a target callback returning the source takes it', function () {
    const a = new Deferred<string>();
    const b = new Deferred<string>();
    a.chainDeferred(b);
    b.addCallback(() => a);
    a.callback('v');
    const seen: unknown[] = [];
    a.addBoth((r) => seen.push(r));
    expect(b.result).to.equal('v');
    expect(b.paused).to.equal(0);
    expect(seen).to.deep.equal([undefined]);
  });

  it('a pass-through slot meeting a Deferred result (left by an extra unpause) waits on it again, as Twisted\'s passthru does', function () {
    const inner = new Deferred<number>();
    const outer = new Deferred<number>();
    outer.addCallback(() => inner);
    outer.callback(1);
    outer.unpause(); // an extra unpause: paused 0 with the inner Deferred as result
    expect([outer.paused, isDeferred(outer.result)]).to.deep.equal([0, true]);
    outer.addErrback((f) => f); // pass-through on success: chains on inner again
    expect(outer.paused).to.equal(1);
    const seen: unknown[] = [];
    outer.addCallback((r) => seen.push(r));
    inner.callback(5);
    // Two hand-overs: 5, then the inner's undefined; the second unpauses once too often.
    expect(seen).to.deep.equal([5]);
    expect([outer.paused, outer.result, inner.result]).to.deep.equal([-1, undefined, undefined]);
  });

  it('a callback added to a fired Deferred that pauses it still lets the loop hand its result to a Deferred chained meanwhile', function () {
    const d2 = succeed('x');
    const d1 = new Deferred<string>();
    d1.addErrback(() => {
      d2.pause();
      return d2; // d2 is paused: d1 waits on it (a continuation goes on d2's queue)
    });
    d2.addCallback(() => {
      d1.errback(new Error('e1'));
      return 't6';
    });
    // Twisted's loop goes on past the pause: the continuation runs and d1 gets 't6'.
    expect([d1.result, d1.paused, d2.result, d2.paused]).to.deep.equal(['t6', 0, undefined, 1]);
  });

  it('chainDeferred of a source whose result is a Deferred fails the source with DeferredAsResultError (Twisted: AssertionError); the target stays unfired', function () {
    const inner = new Deferred<number>();
    const a = new Deferred<number>();
    a.addCallback(() => inner);
    a.callback(1);
    a.unpause(); // an extra unpause: paused 0 with the inner Deferred as result
    const b = new Deferred<number>();
    a.chainDeferred(b as never);
    failureOf(a, DeferredAsResultError);
    expect(b.called).to.equal(false);
    expect(a.paused).to.equal(0);
  });

  it('a result climbing a chain stops at a Deferred paused meanwhile by a callback further up, even one with nothing left to run', function () {
    const log: string[] = [];
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    const c = new Deferred<number>();
    b.addCallback(() => c);
    b.callback(0); // b waits on c
    a.addCallback(() => b);
    a.callback(0); // a waits on b
    c.addCallback((r) => {
      log.push(`c-late ${String(r)}`); // after c's continuation
    });
    a.addCallback((r) => {
      log.push(`a ${r}`);
      b.pause();
    });
    c.callback(7);
    // Twisted returns when it comes back down to the paused b: c's later callback stays parked.
    expect(log).to.deep.equal(['a 7']);
    expect([a.paused, b.paused, c.paused]).to.deep.equal([0, 1, 0]);
    c.addCallback((r) => log.push(`c-new ${String(r)}`)); // runs c again: the parked one first
    expect(log).to.deep.equal(['a 7', 'c-late undefined', 'c-new undefined']);
  });

  it('execute: a return succeeds, a throw fails, a returned Deferred throws DeferredAsResultError', function () {
    expect(successOf(execute((a: number, b: number) => a + b, 1, 2))).to.equal(3);
    failureOf(
      execute(() => {
        throw new RangeError('x');
      }),
      RangeError,
    );
    expect(() => execute(() => new Deferred())).to.throw(DeferredAsResultError);
  });

  it('passthru returns its argument', function () {
    const o = {};
    expect(passthru(o)).to.equal(o);
  });

  it('a callback returning a thenable is waited on like a Deferred (twistless extension)', async function () {
    const d = succeed(1).addCallback((n) => Promise.resolve(n + 1));
    expect(d.paused).to.equal(1);
    await new Promise((r) => setImmediate(r));
    expect(successOf(d)).to.equal(2);
    const e = succeed(1).addCallback(() => Promise.reject(new RangeError('no')));
    await new Promise((r) => setImmediate(r));
    failureOf(e, RangeError);
    const custom = { then: (ok: (v: string) => void) => ok('custom') };
    const f = succeed(0).addCallback(() => custom);
    await new Promise((r) => setImmediate(r));
    expect(successOf(f)).to.equal('custom');
  });

  it('a callback returning an object whose then getter throws fails with that error', function () {
    const boom = new RangeError('getter');
    const bad = Object.defineProperty({}, 'then', {
      get() {
        throw boom;
      },
    });
    const d = succeed(0).addCallback(() => bad);
    expect(failureOf(d).value).to.equal(boom);
  });

  it('the fast path (addCallback on a fired idle Deferred) keeps re-entrancy, failures and chaining', function () {
    const d = succeed(1);
    const order: unknown[] = [];
    d.addCallback((r) => {
      order.push(r);
      d.addCallback((x) => order.push(['late', x]));
      return 2;
    });
    expect(order).to.deep.equal([1, ['late', 2]]);
    d.addCallback(() => {
      throw new RangeError('x');
    });
    failureOf(d, RangeError);
    d.addErrback(() => 'ok');
    expect(d.result).to.equal('ok');
    const inner = new Deferred<string>();
    d.addCallback(() => inner);
    expect(d.paused).to.equal(1);
    inner.callback('in');
    expect(d.result).to.equal('in');
    expect(d.paused).to.equal(0);
  });

  it('called, paused and result are read-only', function () {
    const d = succeed(1);
    expect(() => {
      (d as unknown as { result: number }).result = 2;
    }).to.throw(TypeError);
    expect(() => {
      (d as unknown as { called: boolean }).called = false;
    }).to.throw(TypeError);
    expect(() => {
      (d as unknown as { paused: number }).paused = 3;
    }).to.throw(TypeError);
  });
});
