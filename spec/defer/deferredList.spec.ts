// Port of twisted/test/test_defer.py (Twisted 22.4): the DeferredList and gatherResults tests of
// DeferredTests, FirstErrorTests and DeferredListEmptyTests; plus bad input and a fast-check
// property against a reference model of DeferredList's rules.
import { expect } from 'chai';
import fc from 'fast-check';
import { Failure } from '../../lib/failure/index.js';
import { addObserver, removeObserver, type LogEvent } from '../../lib/log/index.js';
import {
  CancelledError,
  Deferred,
  DeferredList,
  FAILURE,
  FirstError,
  InvalidOptionsError,
  NotADeferredError,
  NotIterableError,
  race,
  SUCCESS,
  fail,
  gatherResults,
  setDebugging,
  succeed,
  type DeferredListResult,
} from '../../lib/defer/index.js';
import { collectGarbage } from './support.js';

class GenericError extends Error {
  constructor(message?: string) {
    super(message);
    this.name = 'GenericError';
  }
}

/** trial's successResultOf: the result, which must be a success (consumed, as in trial). */
function successResultOf<T>(d: Deferred<T>): T {
  const got: unknown[] = [];
  d.addBoth((r) => {
    got.push(r);
  });
  expect(got, 'the Deferred has a result').to.have.length(1);
  if (got[0] instanceof Failure) throw new Error(`expected a success, got ${String(got[0].value)}`);
  return got[0] as T;
}

/** trial's failureResultOf: the Failure, which must match one of `types` (consumed). */
function failureResultOf(d: Deferred<unknown>, ...types: (abstract new (...a: never[]) => unknown)[]): Failure {
  const got: unknown[] = [];
  d.addBoth((r) => {
    got.push(r);
  });
  expect(got, 'the Deferred has a result').to.have.length(1);
  const f = got[0];
  if (!(f instanceof Failure)) throw new Error(`expected a failure, got ${String(f)}`);
  if (types.length > 0) expect(f.check(...types), `failure type ${String(f.type)}`).to.not.equal(null);
  return f;
}

/** trial's assertNoResult. */
function assertNoResult(d: Deferred<unknown>): void {
  const got: unknown[] = [];
  d.addBoth((r) => {
    got.push(r);
    return r;
  });
  expect(got, 'the Deferred has no result').to.have.length(0);
}

function fakeCallbackCanceller(d: Deferred<string>): void {
  d.callback('Callback Result');
}

describe('DeferredTests (DeferredList and gatherResults)', function () {
  it('testDeferredList: results are [success, value-or-Failure] pairs in input order', function () {
    const defr1 = new Deferred<string>();
    const defr2 = new Deferred<string>();
    const defr3 = new Deferred<string>();
    const dl = new DeferredList([defr1, defr2, defr3]);
    const result: unknown[] = [];
    const cb = (resultList: unknown): void => {
      result.push(...(resultList as unknown[]));
    };
    dl.addCallbacks(cb, cb);
    defr1.callback('1');
    defr2.addErrback(() => undefined);
    defr2.errback(new GenericError('2'));
    defr3.callback('3');
    expect(result).to.have.length(3);
    expect(result[0]).to.deep.equal([SUCCESS, '1']);
    const second = result[1] as [boolean, Failure];
    expect([second[0], (second[1].value as Error).message]).to.deep.equal([FAILURE, '2']);
    expect(result[2]).to.deep.equal([SUCCESS, '3']);
  });

  it('testEmptyDeferredList: [] fires at once with []; with fireOnOneCallback it never fires', function () {
    const result: unknown[] = [];
    const dl1 = new DeferredList([]);
    dl1.addCallbacks((r) => {
      result.push(r);
    });
    expect(result).to.deep.equal([[]]);

    result.length = 0;
    const dl2 = new DeferredList([], { fireOnOneCallback: true });
    dl2.addCallbacks((r) => {
      result.push(r);
    });
    expect(result).to.deep.equal([]);
    expect(dl2.called).to.equal(false);
  });

  it('testDeferredListFireOnOneError: the first failure fails the list with FirstError(failure, index)', function () {
    const defr1 = new Deferred<string>();
    const defr2 = new Deferred<string>();
    const defr3 = new Deferred<string>();
    const dl = new DeferredList([defr1, defr2, defr3], { fireOnOneErrback: true });
    const result: Failure[] = [];
    dl.addErrback((f) => {
      result.push(f);
    });
    defr2.addErrback(() => undefined);

    defr1.callback('1');
    expect(result).to.deep.equal([]);

    defr2.errback(new GenericError('from def2'));
    expect(result).to.have.length(1);
    const aFailure = result[0];
    expect(aFailure.check(FirstError)).to.equal(FirstError);
    const firstError = aFailure.value as FirstError;
    expect(firstError.subFailure.type).to.equal(GenericError);
    expect((firstError.subFailure.value as Error).message).to.equal('from def2');
    expect(firstError.index).to.equal(1);
    defr3.callback('3');
  });

  it('testDeferredListDontConsumeErrors: without consumeErrors the input keeps its Failure for later errbacks', function () {
    const d1 = new Deferred<undefined>();
    const dl = new DeferredList([d1]);
    const errorTrap: Failure[] = [];
    d1.addErrback((f) => {
      errorTrap.push(f);
    });
    const resultLists: unknown[][] = [];
    dl.addCallback((r) => {
      resultLists.push(r);
    });
    d1.errback(new GenericError('Bang'));
    expect((errorTrap[0].value as Error).message).to.equal('Bang');
    expect(resultLists).to.have.length(1);
    const firstResult = resultLists[0][0] as [boolean, Failure];
    expect((firstResult[1].value as Error).message).to.equal('Bang');
  });

  it('testDeferredListConsumeErrors: with consumeErrors later errbacks on the input see nothing', function () {
    const d1 = new Deferred<undefined>();
    const dl = new DeferredList([d1], { consumeErrors: true });
    const errorTrap: Failure[] = [];
    d1.addErrback((f) => {
      errorTrap.push(f);
    });
    const resultLists: unknown[][] = [];
    dl.addCallback((r) => {
      resultLists.push(r);
    });
    d1.errback(new GenericError('Bang'));
    expect(errorTrap).to.deep.equal([]);
    expect(resultLists).to.have.length(1);
    const firstResult = resultLists[0][0] as [boolean, Failure];
    expect((firstResult[1].value as Error).message).to.equal('Bang');
    expect(d1.result).to.equal(undefined);
  });

  it('testDeferredListFireOnOneErrorWithAlreadyFiredDeferreds: an input failed before construction fails the list during construction', function () {
    const d1 = new Deferred<undefined>();
    const d2 = new Deferred<undefined>();
    d1.errback(new GenericError('Bang'));
    const dl = new DeferredList([d1, d2], { fireOnOneErrback: true });
    const result: Failure[] = [];
    dl.addErrback((f) => {
      result.push(f);
    });
    expect(result).to.have.length(1);
    d1.addErrback(() => undefined);
  });

  it('testDeferredListWithAlreadyFiredDeferreds: inputs fired before construction are taken in at once', function () {
    const d1 = new Deferred<number>();
    const d2 = new Deferred<number>();
    d1.errback(new GenericError('Bang'));
    d2.callback(2);
    const dl = new DeferredList([d1, d2]);
    const result: unknown[] = [];
    dl.addCallback((r) => {
      result.push(r);
    });
    expect(result).to.have.length(1);
    d1.addErrback(() => undefined);
  });

  it('test_cancelDeferredList: cancelling an unfired list cancels every input', function () {
    const deferredOne = new Deferred<undefined>();
    const deferredTwo = new Deferred<undefined>();
    const deferredList = new DeferredList([deferredOne, deferredTwo]);
    deferredList.cancel();
    failureResultOf(deferredOne, CancelledError);
    failureResultOf(deferredTwo, CancelledError);
  });

  it('test_cancelDeferredListCallback: without flags the cancelled list succeeds with its pairs', function () {
    const deferredOne = new Deferred<string>(fakeCallbackCanceller);
    const deferredTwo = new Deferred<string>();
    const deferredList = new DeferredList([deferredOne, deferredTwo]);
    deferredList.cancel();
    failureResultOf(deferredTwo, CancelledError);
    const result = successResultOf(deferredList);
    expect(result[0][0]).to.equal(true);
    expect(result[0][1]).to.equal('Callback Result');
    expect(result[1][0]).to.equal(false);
    expect((result[1][1] as Failure).check(CancelledError)).to.equal(CancelledError);
  });

  it('test_cancelDeferredListWithFireOnOneCallback: cancelling cancels every input', function () {
    const deferredOne = new Deferred<undefined>();
    const deferredTwo = new Deferred<undefined>();
    const deferredList = new DeferredList([deferredOne, deferredTwo], { fireOnOneCallback: true });
    deferredList.cancel();
    failureResultOf(deferredOne, CancelledError);
    failureResultOf(deferredTwo, CancelledError);
  });

  it('test_cancelDeferredListWithFireOnOneCallbackAndDeferredCallback: a canceller that succeeds gives [value, index]', function () {
    const deferredOne = new Deferred<string>(fakeCallbackCanceller);
    const deferredTwo = new Deferred<string>();
    const deferredList = new DeferredList([deferredOne, deferredTwo], { fireOnOneCallback: true });
    deferredList.cancel();
    failureResultOf(deferredTwo, CancelledError);
    expect(successResultOf(deferredList)).to.deep.equal(['Callback Result', 0]);
  });

  it('test_cancelDeferredListWithFireOnOneErrback: cancelling fails the list with FirstError of a CancelledError', function () {
    const deferredOne = new Deferred<undefined>();
    const deferredTwo = new Deferred<undefined>();
    const deferredList = new DeferredList([deferredOne, deferredTwo], { fireOnOneErrback: true });
    deferredList.cancel();
    failureResultOf(deferredOne, CancelledError);
    failureResultOf(deferredTwo, CancelledError);
    const deferredListFailure = failureResultOf(deferredList, FirstError);
    const firstError = deferredListFailure.value as FirstError;
    expect(firstError.subFailure.check(CancelledError)).to.equal(CancelledError);
    expect(firstError.index).to.equal(0);
  });

  it('test_cancelDeferredListWithFireOnOneErrbackAllDeferredsCallback: cancellers that succeed give the pair list', function () {
    const deferredOne = new Deferred<string>(fakeCallbackCanceller);
    const deferredTwo = new Deferred<string>(fakeCallbackCanceller);
    const deferredList = new DeferredList([deferredOne, deferredTwo], { fireOnOneErrback: true });
    deferredList.cancel();
    const result = successResultOf(deferredList);
    expect(result).to.deep.equal([
      [true, 'Callback Result'],
      [true, 'Callback Result'],
    ]);
  });

  it('test_cancelDeferredListWithOriginalDeferreds: the list copies its input; later additions are not cancelled', function () {
    const deferredOne = new Deferred<undefined>();
    const deferredTwo = new Deferred<undefined>();
    const argumentList = [deferredOne, deferredTwo];
    const deferredList = new DeferredList(argumentList);
    const deferredThree = new Deferred<undefined>();
    argumentList.push(deferredThree);
    deferredList.cancel();
    failureResultOf(deferredOne, CancelledError);
    failureResultOf(deferredTwo, CancelledError);
    assertNoResult(deferredThree);
  });

  it('test_cancelDeferredListWithException: a canceller that throws is logged and the others are still cancelled', function () {
    const events: LogEvent[] = [];
    const observer = (e: LogEvent): void => {
      events.push(e);
    };
    addObserver(observer);
    try {
      const deferredOne = new Deferred<undefined>(() => {
        throw new RangeError('test');
      });
      const deferredTwo = new Deferred<undefined>();
      const deferredList = new DeferredList([deferredOne, deferredTwo]);
      deferredList.cancel();
      failureResultOf(deferredTwo, CancelledError);
      assertNoResult(deferredOne);
    } finally {
      removeObserver(observer);
    }
    const errors = events.filter((e) => e.isError && e.failure?.check(RangeError));
    expect(errors).to.have.length(1);
    expect(errors[0].why).to.equal('Exception raised from user supplied canceller');
  });

  it('test_cancelFiredOnOneCallbackDeferredList: cancelling a list that fired on one callback does nothing', function () {
    const deferredOne = new Deferred<undefined>();
    const deferredTwo = new Deferred<undefined>();
    const deferredList = new DeferredList([deferredOne, deferredTwo], { fireOnOneCallback: true });
    deferredOne.callback(undefined);
    deferredList.cancel();
    assertNoResult(deferredTwo);
  });

  it('test_cancelFiredOnOneErrbackDeferredList: cancelling a list that fired on one errback does nothing', function () {
    const deferredOne = new Deferred<undefined>();
    const deferredTwo = new Deferred<undefined>();
    const deferredList = new DeferredList([deferredOne, deferredTwo], { fireOnOneErrback: true });
    deferredOne.errback(new GenericError('test'));
    deferredList.cancel();
    assertNoResult(deferredTwo);
    failureResultOf(deferredOne, GenericError);
    failureResultOf(deferredList, FirstError);
  });

  it('test_gatherResults: a list of the values; a failure gives a Failure', function () {
    const results: number[][] = [];
    gatherResults([succeed(1), succeed(2)]).addCallback((r) => {
      results.push(r);
    });
    expect(results).to.deep.equal([[1, 2]]);
    const errors: Failure[] = [];
    const dl = [succeed(1), fail(new RangeError())];
    gatherResults(dl).addErrback((f) => {
      errors.push(f);
    });
    expect(errors).to.have.length(1);
    expect(errors[0]).to.be.instanceOf(Failure);
    dl[1].addErrback(() => 1);
  });

  it('test_gatherResultsWithConsumeErrors: with consumeErrors the failed input is left with undefined', function () {
    const dgood = succeed(1);
    const dbad = fail(new RangeError('oh noes'));
    const d = gatherResults([dgood, dbad], true);
    const unconsumedErrors: Failure[] = [];
    dbad.addErrback((f) => {
      unconsumedErrors.push(f);
    });
    const gatheredErrors: Failure[] = [];
    d.addErrback((f) => {
      gatheredErrors.push(f);
    });
    expect([unconsumedErrors.length, gatheredErrors.length]).to.deep.equal([0, 1]);
    expect(gatheredErrors[0].value).to.be.instanceOf(FirstError);
    const firstError = (gatheredErrors[0].value as FirstError).subFailure;
    expect(firstError.value).to.be.instanceOf(RangeError);
  });

  it('test_cancelGatherResults: cancelling cancels every input and fails with FirstError of a CancelledError', function () {
    const deferredOne = new Deferred<undefined>();
    const deferredTwo = new Deferred<undefined>();
    const result = gatherResults([deferredOne, deferredTwo]);
    result.cancel();
    failureResultOf(deferredOne, CancelledError);
    failureResultOf(deferredTwo, CancelledError);
    const gatherResultsFailure = failureResultOf(result, FirstError);
    const firstError = gatherResultsFailure.value as FirstError;
    expect(firstError.subFailure.check(CancelledError)).to.equal(CancelledError);
  });

  it('test_cancelGatherResultsWithAllDeferredsCallback: cancellers that succeed give the values', function () {
    const deferredOne = new Deferred<string>(fakeCallbackCanceller);
    const deferredTwo = new Deferred<string>(fakeCallbackCanceller);
    const result = gatherResults([deferredOne, deferredTwo]);
    result.cancel();
    const callbackResult = successResultOf(result);
    expect(callbackResult[0]).to.equal('Callback Result');
    expect(callbackResult[1]).to.equal('Callback Result');
  });
});

describe('FirstErrorTests', function () {
  function failureOf(e: unknown): Failure {
    return new Failure(e);
  }

  it('test_repr: the message holds the index and the sub-failure value', function () {
    const exc = new RangeError('some text');
    const error = new FirstError(failureOf(exc), 3);
    expect(error.message).to.equal('FirstError[#3, RangeError: some text]');
    expect(error.name).to.equal('FirstError');
    expect(error).to.be.instanceOf(Error);
    expect(error.args[1]).to.equal(3);
  });

  it('test_str: toString() is FirstError[#index, <str of the sub-failure>]', function () {
    const f = failureOf(new RangeError('some text'));
    const error = new FirstError(f, 5);
    expect(String(error)).to.equal(`FirstError[#5, ${String(f)}]`);
  });

  it('test_comparison: equal iff same index and same sub-failure; never equal to other types', function () {
    const firstFailure = failureOf(new RangeError('div'));
    const one = new FirstError(firstFailure, 13);
    const anotherOne = new FirstError(firstFailure, 13);
    const secondFailure = failureOf(new TypeError('bar'));
    const another = new FirstError(secondFailure, 9);
    expect(one.equals(anotherOne)).to.equal(true);
    expect(one.equals(another)).to.equal(false);
    expect(one.equals(new FirstError(firstFailure, 12))).to.equal(false);
    expect(one.equals(10)).to.equal(false);
  });
});

describe('DeferredListEmptyTests', function () {
  it('testDeferredListEmpty: an empty DeferredList calls back with []', function () {
    let callbackRan = false;
    const dl = new DeferredList([]);
    dl.addCallback((res) => {
      callbackRan = true;
      expect(res).to.deep.equal([]);
    });
    expect(callbackRan).to.equal(true);
  });
});

describe('DeferredList (twistless specifics)', function () {
  it('the full result is the same array as resultList, and a failure pair holds the input\'s own Failure', function () {
    const d1 = new Deferred<number>();
    const d2 = new Deferred<number>();
    const dl = new DeferredList([d1, d2], { consumeErrors: true });
    expect(dl.resultList).to.deep.equal([null, null]);
    d2.errback(new RangeError('x'));
    const f = (dl.resultList[1] as [false, Failure])[1];
    expect(f).to.be.instanceOf(Failure);
    d1.callback(1);
    expect(dl.finishedCount).to.equal(2);
    expect(dl.result).to.equal(dl.resultList);
  });

  it('fireOnOneCallback where every input fails fires with the full list', function () {
    const d1 = fail(new RangeError('a'));
    const d2 = new Deferred<number>();
    const dl = new DeferredList([d1, d2], { fireOnOneCallback: true, consumeErrors: true });
    d2.errback(new RangeError('b'));
    const r = successResultOf(dl) as unknown as [boolean, Failure][];
    expect(r.map((p) => [p[0], p[1].getErrorMessage()])).to.deep.equal([
      [false, 'a'],
      [false, 'b'],
    ]);
  });

  it('fireOnOneErrback with an empty list fires with []', function () {
    expect(successResultOf(new DeferredList([], { fireOnOneErrback: true }))).to.deep.equal([]);
  });

  it('callbacks added to an input before the list change what the list sees; after, they see what the list returns', function () {
    const d = new Deferred<number>();
    d.addCallback((n) => n * 10);
    const dl = new DeferredList([d]);
    const after: unknown[] = [];
    d.addCallback((r) => {
      after.push(r);
      return r;
    });
    d.callback(4);
    expect(successResultOf(dl)).to.deep.equal([[true, 40]]);
    expect(after).to.deep.equal([40]);
  });

  it('cancelling a list that has fired does nothing, even when it waits on a Deferred', function () {
    const inner = new Deferred<string>();
    const dl = new DeferredList([succeed(1)]);
    dl.addCallback(() => inner);
    dl.cancel();
    assertNoResult(inner);
  });

  it('gatherResults of an array infers a typed tuple, and of [] gives []', function () {
    const d = gatherResults([succeed(1), succeed('two')]);
    const [a, b] = successResultOf(d);
    const n: number = a;
    const s: string = b;
    expect([n, s]).to.deep.equal([1, 'two']);
    expect(successResultOf(gatherResults([]))).to.deep.equal([]);
  });

  it('gatherResults reports only the first failure; later ones stay on their inputs', function () {
    const d1 = new Deferred<number>();
    const d2 = new Deferred<number>();
    const g = gatherResults([d1, d2]);
    d2.errback(new RangeError('second'));
    d1.errback(new RangeError('first'));
    const f = failureResultOf(g, FirstError);
    expect((f.value as FirstError).index).to.equal(1);
    expect(failureResultOf(d1, RangeError).getErrorMessage()).to.equal('first');
    failureResultOf(d2, RangeError);
  });

  it('bad input: a non-Deferred throws NotADeferredError and nothing is attached to the other inputs', function () {
    const d = new Deferred<number>();
    expect(() => new DeferredList([d, Promise.resolve(1) as never])).to.throw(NotADeferredError, /input 1 is an object \(Promise\).*Deferred\.fromPromise/);
    expect(() => gatherResults([d, 5 as never])).to.throw(NotADeferredError, /gatherResults needs Deferreds, but input 1 is number 5/);
    expect(() => new DeferredList(42 as never)).to.throw(NotIterableError, /DeferredList needs an iterable .* but got number 42: pass \[d\]/);
    expect(() => gatherResults(d as never)).to.throw(NotIterableError, /gatherResults needs an iterable/);
    expect(() => race(null as never)).to.throw(NotIterableError, /race\(\) needs an iterable/);
    expect(new NotIterableError('x', 1)).to.be.instanceOf(TypeError);
    expect(() => new DeferredList([d], true as never)).to.throw(InvalidOptionsError, /options must be an object/);
    expect(() => new DeferredList([d], { consumeError: true } as never)).to.throw(InvalidOptionsError, /no option "consumeError": the options are/);
    expect(new InvalidOptionsError('m', 1)).to.be.instanceOf(TypeError);
    expect(new InvalidOptionsError('m', 1).name).to.equal('InvalidOptionsError');
    d.callback(7);
    // Nothing was attached: the result is still the plain value.
    expect(d.result).to.equal(7);
  });

  it('accepts any iterable of Deferreds (a Set, a generator)', function () {
    const set = new Set([succeed(1), succeed(2)]);
    expect(successResultOf(gatherResults(set))).to.deep.equal([1, 2]);
    function* gen(): Generator<Deferred<number>> {
      yield succeed(3);
      yield succeed(4);
    }
    expect(successResultOf(gatherResults(gen()))).to.deep.equal([3, 4]);
  });

  it('is a Deferred subclass whose toString names DeferredList', function () {
    const dl = new DeferredList([new Deferred()]);
    expect(dl).to.be.instanceOf(Deferred);
    expect(String(dl)).to.match(/^<DeferredList at 0x[0-9a-f]+>$/);
  });
});

// A reference model of DeferredList's rules (Twisted 22.4), checked over random inputs,
// random firing orders and random options.
type Plan = { ok: boolean; before: boolean };

describe('DeferredList property: result shapes against a reference model', function () {
  const arbCase = fc.record({
    plans: fc.array(fc.record({ ok: fc.boolean(), before: fc.boolean() }), { maxLength: 7 }),
    order: fc.array(fc.nat(), { maxLength: 7 }),
    fireOnOneCallback: fc.boolean(),
    fireOnOneErrback: fc.boolean(),
    consumeErrors: fc.boolean(),
  });

  /** The firing order: inputs fired before construction first (index order), then a permutation. */
  function events(plans: Plan[], order: number[]): number[] {
    const before = plans.map((p, i) => (p.before ? i : -1)).filter((i) => i >= 0);
    const after = plans.map((p, i) => (p.before ? -1 : i)).filter((i) => i >= 0);
    for (let k = 0; k < after.length; k++) {
      const j = k + ((order[k] ?? 0) % (after.length - k));
      [after[k], after[j]] = [after[j], after[k]];
    }
    return [...before, ...after];
  }

  function model(plans: Plan[], seq: number[], o: { fireOnOneCallback: boolean; fireOnOneErrback: boolean }): unknown {
    const n = plans.length;
    if (n === 0) return o.fireOnOneCallback ? 'no result' : [];
    const list: unknown[] = new Array(n).fill(null);
    let count = 0;
    let out: unknown = 'no result';
    for (const i of seq) {
      list[i] = plans[i].ok ? [true, `v${i}`] : [false, `e${i}`];
      count++;
      if (out !== 'no result') continue;
      if (plans[i].ok && o.fireOnOneCallback) out = ['single', `v${i}`, i];
      else if (!plans[i].ok && o.fireOnOneErrback) out = ['first', `e${i}`, i];
      else if (count === n) out = list;
    }
    return out;
  }

  function observe(d: Deferred<unknown>): unknown {
    const got: unknown[] = [];
    d.addBoth((r) => {
      got.push(r);
      return r;
    });
    if (got.length === 0) return 'no result';
    const r = got[0];
    if (r instanceof Failure) {
      const fe = r.value as FirstError;
      return ['first', fe.subFailure.getErrorMessage(), fe.index];
    }
    const arr = r as unknown[];
    if (arr.length === 2 && typeof arr[1] === 'number' && !Array.isArray(arr[0])) return ['single', arr[0], arr[1]];
    return arr.map((p) => {
      const [ok, v] = p as [boolean, unknown];
      return ok ? [true, v] : [false, (v as Failure).getErrorMessage()];
    });
  }

  it('DeferredList gives the model\'s outcome, and leaves each input with its result (or undefined when consumed)', function () {
    fc.assert(
      fc.property(arbCase, ({ plans, order, fireOnOneCallback, fireOnOneErrback, consumeErrors }) => {
        const ds = plans.map(() => new Deferred<string>());
        const fire = (i: number): void => {
          if (plans[i].ok) ds[i].callback(`v${i}`);
          else ds[i].errback(new RangeError(`e${i}`));
        };
        plans.forEach((p, i) => p.before && fire(i));
        const dl = new DeferredList(ds, { fireOnOneCallback, fireOnOneErrback, consumeErrors });
        const seq = events(plans, order);
        for (const i of seq) if (!plans[i].before) fire(i);
        expect(observe(dl)).to.deep.equal(model(plans, seq, { fireOnOneCallback, fireOnOneErrback }));
        plans.forEach((p, i) => {
          if (p.ok) expect(ds[i].result).to.equal(`v${i}`);
          else if (consumeErrors) expect(ds[i].result).to.equal(undefined);
          else {
            expect((ds[i].result as Failure).getErrorMessage()).to.equal(`e${i}`);
            ds[i].addErrback(() => undefined);
          }
        });
        if (dl.result instanceof Failure) dl.addErrback(() => undefined);
      }),
      { numRuns: 300 },
    );
  });

  it('gatherResults gives the values in input order, or FirstError of the first failure to fire', function () {
    fc.assert(
      fc.property(arbCase, ({ plans, order, consumeErrors }) => {
        const ds = plans.map(() => new Deferred<string>());
        const fire = (i: number): void => {
          if (plans[i].ok) ds[i].callback(`v${i}`);
          else ds[i].errback(new RangeError(`e${i}`));
        };
        plans.forEach((p, i) => p.before && fire(i));
        const g = gatherResults(ds, consumeErrors);
        const seq = events(plans, order);
        for (const i of seq) if (!plans[i].before) fire(i);
        const firstFailed = seq.find((i) => !plans[i].ok);
        const got: unknown[] = [];
        g.addBoth((r) => {
          got.push(r);
        });
        expect(got).to.have.length(1);
        if (firstFailed === undefined) {
          expect(got[0]).to.deep.equal(plans.map((_, i) => `v${i}`));
        } else {
          const fe = (got[0] as Failure).value as FirstError;
          expect([fe.index, fe.subFailure.getErrorMessage()]).to.deep.equal([firstFailed, `e${firstFailed}`]);
        }
        plans.forEach((p, i) => {
          if (!p.ok && !consumeErrors) ds[i].addErrback(() => undefined);
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('Unhandled failures left on DeferredList inputs', function () {
  let events: LogEvent[];
  let tag = 0;
  const observer = (e: LogEvent): void => {
    events.push(e);
  };
  const unique = (): string => `deferredList-spec-${process.pid}-${++tag}`;
  const about = (m: string): LogEvent[] =>
    events.filter((e) => e.isError && e.why === 'Unhandled error in Deferred:' && (e.failure?.value as Error)?.message === m);
  beforeEach(function () {
    events = [];
    addObserver(observer);
  });
  afterEach(function () {
    removeObserver(observer);
  });

  /** gatherResults over one failing input, everything dropped; the gather's own failure handled. */
  function gatherAndDrop(m: string, consumeErrors: boolean): void {
    gatherResults([succeed(1), fail(new RangeError(m))], consumeErrors).addErrback(() => undefined);
  }

  it('without consumeErrors the failed input keeps its Failure and reports it when collected', async function () {
    const m = unique();
    gatherAndDrop(m, false);
    await collectGarbage(() => about(m).length > 0);
    expect(about(m)).to.have.length(1);
  });

  it('with consumeErrors the failed input is left with undefined and nothing is reported', async function () {
    const m = unique();
    const control = unique();
    gatherAndDrop(m, true);
    gatherAndDrop(control, false);
    await collectGarbage(() => about(control).length > 0);
    expect(about(control)).to.have.length(1);
    expect(about(m)).to.have.length(0);
  });
});

describe('DeferredList, gatherResults and race types (the @ts-expect-error lines must stay errors)', function () {
  it('the result type follows fireOnOneCallback; gatherResults and race infer from their inputs', function () {
    const one = new DeferredList([succeed(1)], { fireOnOneCallback: true });
    const pair: [number, number] = successResultOf(one);
    expect(pair).to.deep.equal([1, 0]);
    const pairs: DeferredListResult<number> = successResultOf(new DeferredList([succeed(2)]));
    expect(pairs).to.deep.equal([[true, 2]]);
    // @ts-expect-error without fireOnOneCallback the result is the list of pairs
    const _wrong: [number, number] = successResultOf(new DeferredList([succeed(3)]));
    const mixed: (number | string)[] = successResultOf(gatherResults(new Set([succeed(1), succeed('a')])));
    expect(mixed).to.deep.equal([1, 'a']);
    // @ts-expect-error gatherResults of an array is a typed tuple
    const _swapped: Deferred<[string, number]> = gatherResults([succeed(1), succeed('a')]);
    // @ts-expect-error an input must be a Deferred
    expect(() => gatherResults([Promise.resolve(1)])).to.throw(NotADeferredError);
    // @ts-expect-error options are an object of boolean flags (refused at run time too)
    expect(() => new DeferredList([succeed(1)], { fireOnOneCallback: 'yes' })).to.throw(InvalidOptionsError);
  });
});

describe('DeferredListFiredInputs', function () {
  // Inputs that fired with a value and are idle are taken in without a collecting pair; the
  // list, the inputs and gatherResults must read exactly as through the pair (which inputs made
  // while debugging is on still take, since they carry debug information).
  type Kind = 'value' | 'failure' | 'unfired' | 'paused' | 'queued';
  function make(kind: Kind, i: number): Deferred<number> {
    const d = new Deferred<number>();
    if (kind === 'unfired') return d;
    if (kind === 'paused') d.pause();
    if (kind === 'queued') d.addCallback((x) => x);
    if (kind === 'failure') d.errback(new RangeError(`e${i}`));
    else d.callback(i);
    return d;
  }
  function show(r: unknown): unknown {
    if (Array.isArray(r)) return r.map(show);
    if (r instanceof Failure) return `F(${(r.value as Error).message})`;
    return r;
  }
  function outcome(kinds: Kind[], debug: boolean, opts: { fireOnOneCallback: boolean; fireOnOneErrback: boolean; consumeErrors: boolean }, gather: boolean): unknown {
    setDebugging(debug);
    let ds: Deferred<number>[];
    try {
      ds = kinds.map(make);
    } finally {
      setDebugging(false);
    }
    const dl = gather ? gatherResults(ds, opts.consumeErrors) : new DeferredList(ds, opts);
    const list = dl as unknown as DeferredList<number>;
    const before = [show(dl.result), show(list.resultList), list.finishedCount, ds.map((d) => [d.called, d.paused, show(d.result)])];
    // Then release the rest: unpause and fire what was waiting.
    ds.forEach((d, i) => {
      if (kinds[i] === 'paused') d.unpause();
      if (kinds[i] === 'unfired') d.callback(100 + i);
    });
    const after = [show(dl.result), show(list.resultList), list.finishedCount, ds.map((d) => [d.called, d.paused, show(d.result)])];
    dl.addErrback(() => null);
    ds.forEach((d) => d.addErrback(() => null));
    return [before, after];
  }

  it('test_firedInputsFastPath: every mix of inputs and options reads the same as through the collecting pair', function () {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom<Kind>('value', 'value', 'failure', 'unfired', 'paused', 'queued'), { maxLength: 8 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (kinds, fireOnOneCallback, fireOnOneErrback, consumeErrors, gather) => {
          const opts = { fireOnOneCallback, fireOnOneErrback, consumeErrors };
          expect(outcome(kinds, false, opts, gather)).to.deep.equal(outcome(kinds, true, opts, gather));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('test_allFiredInputs: a list or gatherResults of inputs that all fired with values fires at once, reads as through the pairs, and cancel() does nothing', function () {
    for (const gather of [false, true]) {
      for (const n of [1, 2, 5]) {
        const values = Array.from({ length: n }, (_, i) => ({ i }));
        const fast = values.map((v) => succeed(v));
        setDebugging(true);
        let slow: Deferred<{ i: number }>[];
        try {
          slow = values.map((v) => succeed(v));
        } finally {
          setDebugging(false);
        }
        const a = gather ? gatherResults(fast) : new DeferredList(fast);
        const b = gather ? gatherResults(slow) : new DeferredList(slow);
        expect(a.called).to.equal(true);
        expect(a.result).to.deep.equal(b.result);
        // The same values, not copies: each pair holds the input's own result.
        const first = (a.result as unknown[])[0];
        expect(gather ? first : (first as [boolean, unknown])[1]).to.equal(values[0]);
        const la = a as unknown as DeferredList<{ i: number }>;
        const lb = b as unknown as DeferredList<{ i: number }>;
        expect(la.resultList).to.deep.equal(lb.resultList);
        expect(la.resultList[n - 1]?.[1]).to.equal(values[n - 1]);
        expect(la.finishedCount).to.equal(n);
        if (!gather) expect(la.result).to.equal(la.resultList);
        // Cancelling a fired list does nothing; the inputs keep their values for later callbacks.
        let cancelled = 0;
        const guard = new Deferred<number>(() => cancelled++);
        a.addCallback(() => guard);
        a.cancel();
        expect(cancelled).to.equal(0);
        guard.callback(0);
        expect(fast.map((d) => d.result)).to.deep.equal(values);
        fast[0].addCallback((v) => expect(v).to.equal(values[0]));
      }
    }
  });

  it('test_gatheredResultList: resultList of a gatherResults made of fired inputs is the pairs, made once, and can be replaced', function () {
    const g = gatherResults([succeed(1), succeed(2)]) as unknown as DeferredList<number>;
    const pairs = g.resultList;
    expect(pairs).to.deep.equal([
      [true, 1],
      [true, 2],
    ]);
    expect(g.resultList).to.equal(pairs);
    const mine: DeferredListResult<number> = [[true, 3]];
    g.resultList = mine;
    expect(g.resultList).to.equal(mine);
  });
});
