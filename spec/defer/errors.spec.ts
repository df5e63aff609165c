// Bad input to the Deferred core: named error classes whose messages say what was wrong and
// what to do, and nothing already queued or fired is lost. (Twisted raises bare AssertionErrors.)
import { expect } from 'chai';
import {
  AlreadyCalledError,
  CancelledError,
  Deferred,
  DeferredAsResultError,
  execute,
  InvalidCallbackError,
  maybeDeferred,
  succeed,
  TimeoutError,
} from '../../lib/defer/index.js';

describe('Deferred bad input', function () {
  const bad: unknown[] = [42, 'str', null, undefined, {}, [1]];

  it('addCallback/addErrback/addBoth refuse a non-function with InvalidCallbackError; the chain is intact', function () {
    const d = new Deferred<number>();
    const seen: number[] = [];
    d.addCallback((n) => seen.push(n));
    for (const v of bad) {
      expect(() => d.addCallback(v as never)).to.throw(InvalidCallbackError, /addCallback needs a function as its callback, but got/);
      expect(() => d.addErrback(v as never)).to.throw(InvalidCallbackError, /addErrback needs a function/);
      expect(() => d.addBoth(v as never)).to.throw(InvalidCallbackError, /addBoth needs a function/);
    }
    d.callback(1);
    expect(seen).to.deep.equal([1]);
  });

  it('addCallbacks refuses a bad callback, errback, callbackArgs or errbackArgs; nothing is added', function () {
    const d = succeed(1);
    expect(() => d.addCallbacks(1 as never)).to.throw(InvalidCallbackError, /callback/);
    expect(() => d.addCallbacks((x) => x, 'e' as never)).to.throw(InvalidCallbackError, /errback/);
    expect(() => d.addCallbacks((x) => x, null, 'args' as never)).to.throw(InvalidCallbackError, /callbackArgs/);
    expect(() => d.addCallbacks((x) => x, null, null, 5 as never)).to.throw(InvalidCallbackError, /errbackArgs/);
    expect(d.result).to.equal(1);
  });

  it('the error describes what it got', function () {
    expect(() => succeed(1).addCallback('abc' as never)).to.throw(/the string "abc"/);
    expect(() => succeed(1).addCallback(null as never)).to.throw(/but got null/);
    expect(() => succeed(1).addCallback(new Map() as never)).to.throw(/an object \(Map\)/);
    try {
      succeed(1).addCallback(7 as never);
    } catch (e) {
      expect(e).to.be.instanceOf(TypeError);
      expect((e as InvalidCallbackError).name).to.equal('InvalidCallbackError');
      expect((e as InvalidCallbackError).value).to.equal(7);
    }
  });

  it('chainDeferred refuses a non-Deferred', function () {
    const d = new Deferred<number>();
    expect(() => d.chainDeferred({} as never)).to.throw(InvalidCallbackError, /chainDeferred/);
    d.callback(1);
    expect(d.result).to.equal(1);
  });

  it('maybeDeferred and execute refuse a non-function', function () {
    expect(() => maybeDeferred(3 as never)).to.throw(InvalidCallbackError, /maybeDeferred/);
    expect(() => execute(3 as never)).to.throw(InvalidCallbackError, /execute/);
  });

  it('callback(aDeferred) names the fix', function () {
    expect(() => new Deferred().callback(new Deferred())).to.throw(DeferredAsResultError, /return it from a callback/);
  });

  it('a second callback loses nothing: the first result stays', function () {
    const d = succeed('first');
    expect(() => d.callback('second')).to.throw(AlreadyCalledError);
    expect(d.result).to.equal('first');
  });

  it('the error classes have Twisted\'s names and the right bases', function () {
    expect(new AlreadyCalledError().name).to.equal('AlreadyCalledError');
    expect(new CancelledError().name).to.equal('CancelledError');
    expect(new TimeoutError(3, 'Deferred').name).to.equal('TimeoutError');
    expect(new TimeoutError().args).to.deep.equal([]);
    expect(new InvalidCallbackError('m', 'r', 1)).to.be.instanceOf(TypeError);
    expect(new DeferredAsResultError()).to.be.instanceOf(TypeError);
  });
});
