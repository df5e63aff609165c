// Port of InlineCallbacksTests (with the BaseDefgenTests mixin) of twisted/test/test_defgen.py,
// StopIterationReturnTests and CancellationTests of twisted/internet/test/test_inlinecb.py, and
// EnsureDeferredTests of twisted/test/test_defer.py (Twisted 22.4); plus stack depth and the
// JavaScript specifics (promises, `this`, types).
// Python's returnValue() is py-only: a generator's `return v` is the JavaScript form, so
// testReturnValue and test_nonGeneratorReturnValue are ported in that spirit.
import { expect } from 'chai';
import { Failure } from '../../lib/failure/index.js';
import {
  CancelledError,
  Deferred,
  DeferredAsResultError,
  NotACoroutineError,
  ensureDeferred,
  fail,
  inlineCallbacks,
  setDebugging,
  succeed,
} from '../../lib/defer/index.js';
import { reportPending } from '../../lib/defer/debug.js';
import { captureLog } from './support.js';

/** trial's successResultOf (consumes the result). */
function successResultOf<T>(d: Deferred<T>): T {
  const got: unknown[] = [];
  d.addBoth((r) => {
    got.push(r);
  });
  expect(got, 'the Deferred has a result').to.have.length(1);
  if (got[0] instanceof Failure) throw new Error(`expected a success, got ${String(got[0].value)}`);
  return got[0] as T;
}

/** trial's failureResultOf (consumes the result). */
function failureResultOf(d: Deferred<unknown>, type?: abstract new (...a: never[]) => unknown): Failure {
  const got: unknown[] = [];
  d.addBoth((r) => {
    got.push(r);
  });
  expect(got, 'the Deferred has a result').to.have.length(1);
  const f = got[0];
  if (!(f instanceof Failure)) throw new Error(`expected a failure, got ${String(f)}`);
  if (type) expect(f.check(type), `failure ${String(f.type)}`).to.equal(type);
  return f;
}

/** trial's assertNoResult. */
function assertNoResult(d: Deferred<unknown>): void {
  expect(d.called && !(d.result instanceof Deferred), 'the Deferred has no result').to.equal(false);
}

// test_defgen.py's getThing/getOwie fire on the next reactor turn; setImmediate plays that part.
function getThing(): Deferred<string> {
  const d = new Deferred<string>();
  setImmediate(() => d.callback('hi'));
  return d;
}

function getOwie(): Deferred<string> {
  const d = new Deferred<string>();
  setImmediate(() => d.errback(new RangeError('OMG')));
  return d;
}

class TerminalException extends Error {
  constructor(message?: string) {
    super(message);
    this.name = 'TerminalException';
  }
}

describe('InlineCallbacksTests', function () {
  const genBasics = inlineCallbacks(function* () {
    const x: string = yield getThing();
    expect(x).to.equal('hi');
    try {
      yield getOwie();
    } catch (e) {
      expect((e as Error).message).to.equal('OMG');
    }
    return 'WOOSH';
  });

  const genBuggy = inlineCallbacks(function* () {
    yield getThing();
    throw new RangeError('division by zero');
  });

  // eslint-disable-next-line require-yield
  const genNothing = inlineCallbacks(function* () {
    return undefined;
  });

  const genHandledTerminalFailure = inlineCallbacks(function* () {
    try {
      yield fail(new TerminalException('Handled Terminal Failure'));
    } catch (e) {
      if (!(e instanceof TerminalException)) throw e;
    }
  });

  const genHandledTerminalAsyncFailure = inlineCallbacks(function* (d: Deferred<unknown>) {
    try {
      yield d;
    } catch (e) {
      if (!(e instanceof TerminalException)) throw e;
    }
  });

  const genStackUsage = inlineCallbacks(function* () {
    for (let x = 0; x < 5000; x++) yield succeed(1);
    return 0;
  });

  const genStackUsage2 = inlineCallbacks(function* () {
    for (let x = 0; x < 5000; x++) yield 1;
    return 0;
  });

  it('testBasics: yields of Deferreds that call back and errback, and a returned value', async function () {
    expect(await genBasics()).to.equal('WOOSH');
  });

  it('testBuggy: an exception in the generator fails its Deferred', async function () {
    const d = genBuggy();
    let caught: unknown = null;
    try {
      await d;
    } catch (e) {
      caught = e;
    }
    expect(caught).to.be.instanceOf(RangeError);
  });

  it('testNothing: a generator that never yields gives undefined', function () {
    expect(successResultOf(genNothing())).to.equal(undefined);
  });

  it('testHandledTerminalFailure: a failed Deferred caught in the generator does not fail its Deferred', function () {
    expect(successResultOf(genHandledTerminalFailure())).to.equal(undefined);
  });

  it('testHandledTerminalAsyncFailure: the same with a Deferred that fails later', function () {
    const d = new Deferred<unknown>();
    const result = genHandledTerminalAsyncFailure(d);
    d.errback(new TerminalException('Handled Terminal Failure'));
    expect(successResultOf(result)).to.equal(undefined);
  });

  it('testStackUsage: 5,000 yields of fired Deferreds do not blow the stack', function () {
    expect(successResultOf(genStackUsage())).to.equal(0);
  });

  it('testStackUsage2: 5,000 yields of plain values do not blow the stack', function () {
    expect(successResultOf(genStackUsage2())).to.equal(0);
  });

  it('testYieldNonDeferred: yielding a plain value gives it back', function () {
    const test = inlineCallbacks(function* () {
      const v: number = yield 5;
      return v;
    });
    expect(successResultOf(test())).to.equal(5);
  });

  it('testReturnNoValue: a bare return gives undefined', function () {
    const noReturn = inlineCallbacks(function* () {
      yield 5;
      return;
    });
    expect(successResultOf(noReturn())).to.equal(undefined);
  });

  it('testReturnValue: return gives the value (Python: returnValue(6))', function () {
    const ret = inlineCallbacks(function* () {
      yield 5;
      return 6;
    });
    expect(successResultOf(ret())).to.equal(6);
  });

  it('test_nonGeneratorReturn: a function that returns a non-generator throws NotACoroutineError (a TypeError) naming inlineCallbacks', function () {
    const noYield = inlineCallbacks((() => 5) as never);
    expect(() => noYield()).to.throw(TypeError, /inlineCallbacks requires .* to produce a generator; instead got number 5/);
    expect(() => noYield()).to.throw(NotACoroutineError);
  });

  it('test_nonGeneratorReturnValue: a non-generator that throws propagates its error synchronously', function () {
    const noYield = inlineCallbacks((() => {
      throw new RangeError('not a generator');
    }) as never);
    expect(() => noYield()).to.throw(RangeError, 'not a generator');
  });
});

describe('StopIterationReturnTests', function () {
  it('test_returnWithValue: return after a yield gives the Deferred its value', function () {
    const f = inlineCallbacks(function* (d: Deferred<unknown>) {
      yield d;
      return 14;
    });
    const d1 = new Deferred<unknown>();
    const d2 = f(d1);
    d1.callback(undefined);
    expect(successResultOf(d2)).to.equal(14);
  });
});

class UntranslatedError extends Error {
  constructor() {
    super('untranslated');
    this.name = 'UntranslatedError';
  }
}
class TranslatedError extends Error {
  constructor() {
    super('translated');
    this.name = 'TranslatedError';
  }
}
class DontFail extends Error {
  actualValue: number;
  constructor(actual: number) {
    super('dont fail');
    this.name = 'DontFail';
    this.actualValue = actual;
  }
}

describe('CancellationTests', function () {
  let deferredsOutstanding: Deferred<unknown>[] = [];

  const getDeferred = (): Deferred<unknown> => {
    const d = new Deferred<unknown>();
    deferredsOutstanding.push(d);
    return d;
  };

  const deferredGotten = (result?: unknown): void => {
    (deferredsOutstanding.shift() as Deferred<unknown>).callback(result);
  };

  const sampleInlineCB = inlineCallbacks(function* (getChildDeferred?: () => Deferred<unknown>) {
    const get = getChildDeferred ?? getDeferred;
    let x: number;
    try {
      x = yield get();
    } catch (e) {
      if (e instanceof UntranslatedError) throw new TranslatedError();
      if (e instanceof DontFail) x = e.actualValue - 2;
      else throw e;
    }
    return x + 1;
  });

  beforeEach(function () {
    deferredsOutstanding = [];
  });
  afterEach(function () {
    while (deferredsOutstanding.length > 0) deferredGotten();
  });

  it('test_cascadeCancellingOnCancel: cancelling D cancels C at once', function () {
    let childResult: unknown = 'FAILURE';
    const getChildDeferred = (): Deferred<unknown> => {
      const d = new Deferred<unknown>();
      d.addErrback((result) => {
        childResult = result.check(CancelledError);
        return result;
      });
      return d;
    };
    const d = sampleInlineCB(getChildDeferred);
    d.addErrback(() => undefined);
    d.cancel();
    expect(childResult, 'no cascade cancelling occurs').to.equal(CancelledError);
  });

  it('test_errbackCancelledErrorOnCancel: the CancelledError from C fails D', function () {
    const d = sampleInlineCB();
    d.cancel();
    expect(() => failureResultOf(d).raiseException()).to.throw(CancelledError);
  });

  it('test_errorToErrorTranslation: the generator may turn C\'s cancellation error into another error', function () {
    const a = new Deferred<unknown>((it) => it.errback(new UntranslatedError()));
    const d = sampleInlineCB(() => a);
    d.cancel();
    expect(() => failureResultOf(d).raiseException()).to.throw(TranslatedError);
  });

  it('test_errorToSuccessTranslation: the generator may turn C\'s cancellation error into a value', function () {
    const a = new Deferred<unknown>((it) => it.errback(new DontFail(4321)));
    const d = sampleInlineCB(() => a);
    const results: unknown[] = [];
    d.addCallback((r) => {
      results.push(r);
    });
    d.cancel();
    expect(results).to.deep.equal([4320]);
  });

  it('test_asynchronousCancellation: D\'s callbacks wait until C reaches the generator after cancellation', function () {
    const moreDeferred = new Deferred<unknown>();
    const deferMe = (): Deferred<unknown> => {
      const d = new Deferred<unknown>();
      d.addErrback((result) => {
        result.trap(CancelledError);
        return moreDeferred;
      });
      return d;
    };
    const d = sampleInlineCB(deferMe);
    d.cancel();
    assertNoResult(d);
    moreDeferred.callback(6543);
    expect(successResultOf(d)).to.equal(6544);
  });
});

describe('EnsureDeferredTests', function () {
  it('test_passesThroughDeferreds: a Deferred is returned unchanged', function () {
    const d1 = new Deferred<undefined>();
    expect(ensureDeferred(d1)).to.equal(d1);
  });

  it('test_willNotAllowNonDeferredOrCoroutine: anything else throws NotACoroutineError (a TypeError)', function () {
    expect(() => ensureDeferred('something' as never)).to.throw(NotACoroutineError, /the string "something" is not a coroutine or a Deferred/);
    expect(() => ensureDeferred(42 as never)).to.throw(TypeError);
    expect(() => ensureDeferred(null as never)).to.throw(TypeError);
  });

  it('test_ensureDeferredCoroutine: the promise of an async function becomes a Deferred of its result', async function () {
    const run = async (): Promise<string> => {
      const res = await succeed('foo');
      return res;
    };
    const r = run();
    expect(r).to.be.instanceOf(Promise);
    const d = ensureDeferred(r);
    expect(d).to.be.instanceOf(Deferred);
    // A promise settles a microtask later: the Deferred cannot be inspected synchronously.
    expect(d.called).to.equal(false);
    expect(await d).to.equal('foo');
    expect(successResultOf(d)).to.equal('foo');
  });

  it('test_ensureDeferredGenerator: a generator object is driven like inlineCallbacks, synchronously', function () {
    function* run(): Generator<unknown, string, string> {
      const res = yield succeed('foo');
      return res;
    }
    const r = run();
    const d: Deferred<string> = ensureDeferred(r);
    expect(d).to.be.instanceOf(Deferred);
    expect(successResultOf(d)).to.equal('foo');
  });
});

describe('inlineCallbacks (twistless specifics)', function () {
  it('100,000 yields of fired Deferreds run with no stack growth', function () {
    const saved = Error.stackTraceLimit;
    Error.stackTraceLimit = Infinity;
    try {
      const depths: number[] = [];
      const depth = (): number => (new Error().stack ?? '').split('\n').length;
      const f = inlineCallbacks(function* () {
        let total = 0;
        for (let i = 0; i < 100000; i++) {
          if (i === 1 || i === 99999) depths.push(depth());
          total += (yield succeed(1)) as number;
        }
        return total;
      });
      expect(successResultOf(f())).to.equal(100000);
      expect(depths).to.have.length(2);
      expect(depths[1]).to.equal(depths[0]);
    } finally {
      Error.stackTraceLimit = saved;
    }
  });

  it('100,000 yields of plain values and of fired failures caught in the generator complete', function () {
    this.timeout(120000); // 100,000 Errors built and thrown in: slow on a loaded machine
    const f = inlineCallbacks(function* () {
      let caught = 0;
      for (let i = 0; i < 100000; i++) {
        yield i;
        try {
          yield fail(new RangeError('x'));
        } catch {
          caught++;
        }
      }
      return caught;
    });
    expect(successResultOf(f())).to.equal(100000);
  });

  it('the generator runs synchronously up to the first yield of an unfired Deferred, and resumes inside callback()', function () {
    const log: string[] = [];
    const d = new Deferred<string>();
    const f = inlineCallbacks(function* () {
      log.push('start');
      const v: string = yield d;
      log.push(`resumed with ${v}`);
      return v.length;
    });
    const result = f();
    log.push('returned');
    d.callback('abc');
    log.push('after callback');
    expect(log).to.deep.equal(['start', 'returned', 'resumed with abc', 'after callback']);
    expect(successResultOf(result)).to.equal(3);
  });

  it('an awaited Deferred\'s result is consumed: it is left with undefined', function () {
    const d = succeed('value');
    const later = new Deferred<string>();
    const f = inlineCallbacks(function* () {
      yield d;
      yield later;
    });
    const r = f();
    later.callback('x');
    expect(d.result).to.equal(undefined);
    expect(later.result).to.equal(undefined);
    successResultOf(r);
  });

  it('a yielded Failure is thrown in at the yield', function () {
    const f = inlineCallbacks(function* () {
      try {
        yield new Failure(new RangeError('thrown in'));
      } catch (e) {
        return (e as Error).message;
      }
      return 'not thrown';
    });
    expect(successResultOf(f())).to.equal('thrown in');
  });

  it('yields a promise and gets its value; a rejected promise is thrown in with its exact value', async function () {
    const f = inlineCallbacks(function* () {
      const a: number = yield Promise.resolve(2);
      try {
        yield Promise.reject(0);
      } catch (e) {
        return [a, e];
      }
    });
    expect(await f()).to.deep.equal([2, 0]);
  });

  it('the thrown value reaches the Deferred exactly (even undefined)', function () {
    const f = inlineCallbacks(function* () {
      yield 1;
      throw undefined;
    });
    const fl = failureResultOf(f());
    expect(fl.value).to.equal(undefined);
  });

  it('keeps `this` and the arguments, and types the result from the return', function () {
    class Counter {
      base = 10;
      add = inlineCallbacks(function* (this: Counter, n: number) {
        const m: number = yield succeed(n);
        return this.base + m;
      });
    }
    const c = new Counter();
    const d: Deferred<number> = c.add(5);
    expect(successResultOf(d)).to.equal(15);
    expect(c.add.name).to.equal('');
    const named = inlineCallbacks(function* fetchThing() {
      yield 1;
    });
    expect(named.name).to.equal('fetchThing');
  });

  it('returning a Deferred fails the call with DeferredAsResultError (Twisted: AssertionError, never fires)', function () {
    const f = inlineCallbacks(function* () {
      yield 1;
      return succeed(1);
    });
    const fl = failureResultOf(f(), DeferredAsResultError);
    expect(fl.getErrorMessage()).to.match(/returned a Deferred.*Yield it first/);
  });

  it('cancelling while waiting on a promise throws CancelledError in at the yield', function () {
    const never = new Promise<never>(() => undefined);
    const seen: unknown[] = [];
    const f = inlineCallbacks(function* () {
      try {
        yield never;
      } catch (e) {
        seen.push(e);
        throw e;
      }
    });
    const d = f();
    d.cancel();
    expect(seen[0]).to.be.instanceOf(CancelledError);
    failureResultOf(d, CancelledError);
  });

  it('cancelling twice while the awaited Deferred keeps waiting reaches what it waits on', function () {
    let cancels = 0;
    const c = new Deferred<number>(() => {
      cancels++;
    });
    c.addErrback(() => new Deferred<number>());
    const f = inlineCallbacks(function* () {
      const v: number = yield c;
      return v;
    });
    const d = f();
    d.cancel();
    expect(cancels).to.equal(1);
    assertNoResult(d);
    d.cancel();
    // c now waits on the Deferred its errback returned; the second cancel reaches that one, whose
    // CancelledError is thrown in at the yield (Twisted 22.4 gives the same).
    expect(cancels).to.equal(1);
    failureResultOf(d, CancelledError);
  });

  it('an error thrown before the first yield fails the Deferred (it is not thrown to the caller)', function () {
    const f = inlineCallbacks(function* () {
      throw new RangeError('early');
      yield 1;
    });
    const fl = failureResultOf(f(), RangeError);
    expect(fl.getErrorMessage()).to.equal('early');
  });

  it('inlineCallbacks of a non-function throws NotACoroutineError', function () {
    expect(() => inlineCallbacks(5 as never)).to.throw(NotACoroutineError, /needs a generator function/);
  });

  it('works as a thenable: awaiting the result of an inlineCallbacks call', async function () {
    const f = inlineCallbacks(function* (ms: number) {
      const d = new Deferred<string>();
      setTimeout(() => d.callback('late'), ms);
      return (yield d) as string;
    });
    expect(await f(1)).to.equal('late');
  });
});

describe('inlineCallbacks: yield of a Deferred that has fired', function () {
  const { errorsAbout: reportedAbout } = captureLog();

  it('a failed one, caught at the yield, is consumed and never reported as unhandled', function () {
    const message = `icb-fired-failure-${process.pid}`;
    const d = fail(new RangeError(message));
    const f = inlineCallbacks(function* () {
      try {
        yield d;
      } catch (e) {
        return (e as Error).message;
      }
      return 'not thrown';
    });
    expect(successResultOf(f())).to.equal(message);
    expect(d.result).to.equal(undefined);
    reportPending();
    expect(reportedAbout(message)).to.have.length(0);
  });

  it('the same with debugging on (the Deferred has a debug record)', function () {
    setDebugging(true);
    const message = `icb-fired-failure-debug-${process.pid}`;
    const ok = succeed(5);
    const bad = fail(new RangeError(message));
    const f = inlineCallbacks(function* () {
      const n: number = yield ok;
      try {
        yield bad;
      } catch (e) {
        return `${n} ${(e as Error).message}`;
      }
    });
    expect(successResultOf(f())).to.equal(`5 ${message}`);
    expect([ok.result, bad.result]).to.deep.equal([undefined, undefined]);
    reportPending();
    expect(reportedAbout(message)).to.have.length(0);
  });

  it('a paused one is waited on until it is unpaused', function () {
    const d = succeed('later');
    d.pause();
    const log: string[] = [];
    const f = inlineCallbacks(function* () {
      log.push(`got ${(yield d) as string}`);
      return log.length;
    });
    const r = f();
    log.push('unpausing');
    d.unpause();
    expect(log).to.deep.equal(['unpausing', 'got later']);
    expect(successResultOf(r)).to.equal(2);
    expect(d.result).to.equal(undefined);
  });

  it('one with callbacks of its own runs them first, and the generator gets what they return', function () {
    const d = succeed(2).addCallback((n) => n * 10);
    const f = inlineCallbacks(function* () {
      return ((yield d) as number) + 1;
    });
    expect(successResultOf(f())).to.equal(21);
  });

  it('one whose result is a Deferred left there by an extra unpause() gives that Deferred, as Twisted\'s gotResult is called with it', function () {
    const inner = new Deferred<string>();
    const outer = succeed(0).addCallback(() => inner);
    outer.unpause(); // unbalanced: outer's result is now the Deferred it waits on
    const f = inlineCallbacks(function* () {
      const got: unknown = yield outer;
      return got === inner;
    });
    expect(successResultOf(f())).to.equal(true);
  });

  it('yielded from inside a callback of the same Deferred, it is waited on (not taken while running)', function () {
    const d = succeed(1);
    const got: unknown[] = [];
    d.addCallback((n: number) => {
      inlineCallbacks(function* () {
        got.push(yield d);
      })();
      return n + 1;
    });
    expect(got).to.deep.equal([2]);
    expect(d.result).to.equal(undefined);
  });
});

describe('inlineCallbacks types (the @ts-expect-error lines must stay errors)', function () {
  it('the Deferred is typed by the generator\'s return, the function by its parameters', function () {
    const f = inlineCallbacks(function* (n: number) {
      const s: string = yield succeed('ab');
      return s.length + n;
    });
    const d: Deferred<number> = f(1);
    expect(successResultOf(d)).to.equal(3);
    // @ts-expect-error the result is a number
    const _s: Deferred<string> = f(1);
    // @ts-expect-error the parameter is a number
    f('one').addErrback(() => undefined);
    const e: Deferred<string> = ensureDeferred(Promise.resolve('p'));
    e.addErrback(() => undefined);
  });

  it('an unannotated yield is never, not any: using it without an annotation does not compile', function () {
    const g = inlineCallbacks(function* () {
      const v = yield succeed(2);
      // @ts-expect-error a yield's type is never: annotate it (const v: number = yield d)
      return v.toFixed(1);
    });
    const h = inlineCallbacks(function* () {
      const v: number = yield succeed(2);
      return v.toFixed(1);
    });
    expect(successResultOf(h())).to.equal('2.0');
    expect(successResultOf(g())).to.equal('2.0');
  });
});

describe('inlineCallbacks and ensureDeferred: async generators are refused', function () {
  it('an async generator function given to inlineCallbacks throws NotACoroutineError when called', function () {
    const f = inlineCallbacks((async function* () {
      yield 1;
    }) as never);
    expect(() => f()).to.throw(NotACoroutineError, /to produce a generator; instead got an async generator\. Declare it with function\* \(not async function\*\)/);
  });

  it('ensureDeferred of an async generator object throws NotACoroutineError', function () {
    async function* gen(): AsyncGenerator<number> {
      yield 1;
    }
    expect(() => ensureDeferred(gen() as never)).to.throw(NotACoroutineError, /^an async generator is not a coroutine or a Deferred/);
  });
});

describe('ensureDeferred of a hand-written iterator', function () {
  it('an iterator whose next() returns a non-object fails the Deferred with NotACoroutineError', function () {
    const iterator = {
      next: (): unknown => 5,
      throw: (e: unknown): never => {
        throw e;
      },
      return: (): unknown => ({ done: true, value: undefined }),
    };
    const d = ensureDeferred(iterator as never as Generator<unknown, unknown, unknown>);
    const f = failureResultOf(d, NotACoroutineError);
    expect(f.getErrorMessage()).to.match(/next\(\) returned number 5, not an iterator result/);
  });
});
