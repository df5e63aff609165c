// Port of twisted/test/test_defer.py (Twisted 22.4): DeferredCancellerTests.
import { expect } from 'chai';
import { AlreadyCalledError, CancelledError, Deferred, DeferredList, InvalidCallbackError } from '../../lib/defer/index.js';
import { Clock } from '../../lib/task/index.js';
import { Failure } from '../../lib/failure/index.js';
import { GenericError } from './support.js';

describe('DeferredCancellerTests', function () {
  let callbackResults: unknown;
  let errbackResults: Failure | null;
  let callback2Results: unknown;
  let cancellerCallCount: number;
  const cb = (data: unknown): unknown => {
    callbackResults = data;
    return data;
  };
  const eb = (error: Failure): void => {
    errbackResults = error;
  };
  beforeEach(function () {
    callbackResults = null;
    errbackResults = null;
    callback2Results = null;
    cancellerCallCount = 0;
  });
  afterEach(function () {
    expect([0, 1]).to.include(cancellerCallCount);
    expect(callback2Results).to.equal(null);
  });

  it('test_noCanceller: without a canceller, cancel errbacks with CancelledError', function () {
    const d = new Deferred<void>();
    d.addCallbacks(cb, eb);
    d.cancel();
    expect(errbackResults!.type).to.equal(CancelledError);
    expect(callbackResults).to.equal(null);
  });

  it('test_raisesAfterCancelAndCallback: one later callback is swallowed, then AlreadyCalledError', function () {
    const d = new Deferred<void>();
    d.addCallbacks(cb, eb);
    d.cancel();
    d.callback();
    expect(() => d.callback()).to.throw(AlreadyCalledError);
    expect(() => d.errback(new Error())).to.throw(AlreadyCalledError);
  });

  it('test_raisesAfterCancelAndErrback: one later errback is swallowed, then AlreadyCalledError', function () {
    const d = new Deferred<void>();
    d.addCallbacks(cb, eb);
    d.cancel();
    d.errback(new Error());
    expect(() => d.callback()).to.throw(AlreadyCalledError);
    expect(() => d.errback(new Error())).to.throw(AlreadyCalledError);
  });

  it('test_noCancellerMultipleCancelsAfterCancelAndCallback: cancels after the swallowed callback do nothing', function () {
    const d = new Deferred<void>();
    d.addCallbacks(cb, eb);
    d.cancel();
    const current = errbackResults;
    d.callback();
    d.cancel();
    expect(errbackResults).to.equal(current);
  });

  it('test_noCancellerMultipleCancelsAfterCancelAndErrback: cancels after the swallowed errback do nothing', function () {
    const d = new Deferred<void>();
    d.addCallbacks(cb, eb);
    d.cancel();
    expect(errbackResults!.type).to.equal(CancelledError);
    const current = errbackResults;
    d.errback(new GenericError());
    expect(errbackResults!.type).to.equal(CancelledError);
    d.cancel();
    expect(errbackResults).to.equal(current);
  });

  it('test_noCancellerMultipleCancel: a second cancel does nothing', function () {
    const d = new Deferred<void>();
    d.addCallbacks(cb, eb);
    d.cancel();
    expect(errbackResults!.type).to.equal(CancelledError);
    const current = errbackResults;
    d.cancel();
    expect(errbackResults).to.equal(current);
  });

  it('test_cancellerMultipleCancel: the canceller runs once; CancelledError once', function () {
    const d = new Deferred<void>(() => {
      cancellerCallCount++;
    });
    d.addCallbacks(cb, eb);
    d.cancel();
    expect(errbackResults!.type).to.equal(CancelledError);
    const current = errbackResults;
    d.cancel();
    expect(errbackResults).to.equal(current);
    expect(cancellerCallCount).to.equal(1);
  });

  it('test_simpleCanceller: the canceller is called; later calls are NOT swallowed', function () {
    const d = new Deferred<void>(() => {
      cancellerCallCount++;
    });
    d.addCallbacks(cb, eb);
    d.cancel();
    expect(cancellerCallCount).to.equal(1);
    expect(errbackResults!.type).to.equal(CancelledError);
    expect(() => d.callback()).to.throw(AlreadyCalledError);
    expect(() => d.errback(new Error())).to.throw(AlreadyCalledError);
  });

  it('test_cancellerArg: the canceller gets the Deferred', function () {
    let got: unknown = null;
    const d: Deferred<void> = new Deferred<void>((d1) => {
      got = d1;
    });
    d.addCallbacks(cb, eb);
    d.cancel();
    expect(got).to.equal(d);
  });

  it('test_cancelAfterCallback: cancel after callback does nothing', function () {
    const d = new Deferred<string>((self) => {
      cancellerCallCount++;
      self.errback(new GenericError());
    });
    d.addCallbacks(cb, eb);
    d.callback('biff!');
    d.cancel();
    expect(cancellerCallCount).to.equal(0);
    expect(errbackResults).to.equal(null);
    expect(callbackResults).to.equal('biff!');
  });

  it('test_cancelAfterErrback: cancel after errback does nothing', function () {
    const d = new Deferred<void>((self) => {
      cancellerCallCount++;
      self.errback(new GenericError());
    });
    d.addCallbacks(cb, eb);
    d.errback(new GenericError());
    d.cancel();
    expect(cancellerCallCount).to.equal(0);
    expect(errbackResults!.type).to.equal(GenericError);
    expect(callbackResults).to.equal(null);
  });

  it('test_cancellerThatErrbacks: the canceller\'s errback stands', function () {
    const d = new Deferred<void>((self) => {
      cancellerCallCount++;
      self.errback(new GenericError());
    });
    d.addCallbacks(cb, eb);
    d.cancel();
    expect(cancellerCallCount).to.equal(1);
    expect(errbackResults!.type).to.equal(GenericError);
  });

  it('test_cancellerThatCallbacks: the canceller\'s callback stands', function () {
    const d = new Deferred<string>((self) => {
      cancellerCallCount++;
      self.callback('hello!');
    });
    d.addCallbacks(cb, eb);
    d.cancel();
    expect(cancellerCallCount).to.equal(1);
    expect(callbackResults).to.equal('hello!');
    expect(errbackResults).to.equal(null);
  });

  it('test_cancelNestedDeferred: cancelling a Deferred waiting on another cancels the inner one', function () {
    const b = new Deferred<void>(() => {
      cancellerCallCount++;
    });
    const a = new Deferred<void>(() => {
      throw new Error('the outer canceller must not be called');
    });
    a.callback();
    a.addCallback(() => b);
    a.cancel();
    a.addCallbacks(cb, eb);
    expect(cancellerCallCount).to.equal(1);
    expect(errbackResults!.type).to.equal(CancelledError);
  });

  it('cancel goes through a long chain of waiting Deferreds without recursion', function () {
    const n = 100000;
    let innermostCancelled = 0;
    const innermost = new Deferred<number>(() => {
      innermostCancelled++;
    });
    let prev: Deferred<number> = innermost;
    const all: Deferred<number>[] = [innermost];
    for (let i = 0; i < n; i++) {
      const next = prev;
      const d = new Deferred<number>();
      d.addCallback(() => next);
      d.callback(0);
      all.push(d);
      prev = d;
    }
    prev.addErrback(eb);
    prev.cancel();
    expect(innermostCancelled).to.equal(1);
    expect(errbackResults!.type).to.equal(CancelledError);
  });

  it('an error thrown by the canceller escapes cancel() and leaves the Deferred unfired', function () {
    const boom = new GenericError('canceller broke');
    const d = new Deferred<void>(() => {
      throw boom;
    });
    expect(() => d.cancel()).to.throw(boom);
    expect(d.called).to.equal(false);
    d.callback();
    expect(d.called).to.equal(true);
  });

  it('a canceller that is not a function is refused with InvalidCallbackError', function () {
    expect(() => new Deferred(42 as never)).to.throw(InvalidCallbackError, /canceller/);
  });
});

describe('cancel() of a ring through a DeferredList (twistless: Twisted recurses until RecursionError)', function () {
  it('an input whose callback returns the list itself: cancel ends, each input is cancelled once', function () {
    for (const width of [1, 3, 10]) {
      let cancels = 0;
      const d0 = new Deferred<unknown>(() => cancels++);
      // Once cancelled, d0 waits on the list that waits on d0 (its callbacks come after this one).
      d0.addBoth(() => list);
      const list = new DeferredList([...Array(width)].map(() => d0), { fireOnOneCallback: true });
      list.cancel();
      expect(cancels, `width ${width}`).to.equal(1);
      expect(d0.called).to.equal(true);
      expect(d0.paused).to.equal(1); // waiting on the list for ever, as the ring can never fire
      list.cancel(); // again, through the ring: still ends
      d0.cancel();
      expect(cancels).to.equal(1);
    }
  });

  it('the same ring reached from a timeout on the list (the differential harness program) ends', function () {
    const clock = new Clock();
    const d0 = new Deferred<unknown>();
    d0.addBoth(() => list);
    const list = new DeferredList([d0, d0, d0], { fireOnOneCallback: true });
    list.addTimeout(0.5, clock);
    clock.advance(10);
    expect(d0.called).to.equal(true);
    expect(list.called).to.equal(false);
  });
});

describe('cancel() of a DeferredList re-entered from its inputs\' callbacks (as Twisted)', function () {
  it('an input\'s errback that cancels the list: the inner cancel() cancels the other inputs at once, before the input\'s next callback', function () {
    // Twisted 22.4 logs f2, f1, f3 for the same program (found by the differential harness).
    const log: string[] = [];
    const d0 = new Deferred<string>();
    const d1 = new Deferred<string>(() => log.push('f1 (canceller of d1)'));
    const list = new DeferredList([d0, d1]);
    d1.addErrback(() => null); // after the list's own callbacks: d1's failure is handled
    d0.addErrback((f: Failure) => {
      log.push('f2 (errback of d0)');
      list.cancel();
      return f;
    });
    d0.addBoth((r: unknown) => {
      log.push('f3 (next callback of d0)');
      return r instanceof Failure ? null : r;
    });
    list.cancel();
    expect(log).to.deep.equal(['f2 (errback of d0)', 'f1 (canceller of d1)', 'f3 (next callback of d0)']);
    expect(list.called).to.equal(true);
    expect((list.result as [boolean, unknown][]).map(([ok]) => ok)).to.deep.equal([false, false]);
    for (const [, f] of list.result as [boolean, Failure][]) expect(f.check(CancelledError)).to.equal(CancelledError);
  });

  it('the list cancelled from an inlineCallbacks-like chain: a Deferred waiting on the list, cancelled by an input\'s callback, re-enters it the same way', function () {
    const log: string[] = [];
    const d0 = new Deferred<string>();
    const d1 = new Deferred<string>(() => log.push('canceller of d1'));
    const list = new DeferredList([d0, d1]);
    d1.addErrback(() => null);
    const waiter = new Deferred<unknown>();
    waiter.callback(null);
    waiter.addCallback(() => list); // waits on the list
    d0.addErrback(() => {
      log.push('errback of d0');
      waiter.cancel(); // walks to the list: cancel() re-entered
      return null;
    });
    d0.addCallback(() => log.push('next callback of d0'));
    list.cancel();
    expect(log).to.deep.equal(['errback of d0', 'canceller of d1', 'next callback of d0']);
    expect(list.called).to.equal(true);
    expect(waiter.paused).to.equal(0);
  });

  it('a ring through two lists (each one\'s input waits on the other list) ends, each canceller called once (twistless: Twisted recurses until RecursionError)', function () {
    let cancels = 0;
    const a = new Deferred<unknown>(() => cancels++);
    const b = new Deferred<unknown>(() => cancels++);
    // Once cancelled, each input waits on the other list (its callbacks come before the lists').
    a.addBoth(() => l2);
    b.addBoth(() => l1);
    const l1 = new DeferredList([a, a]);
    const l2 = new DeferredList([b, b]);
    l1.cancel();
    l2.cancel();
    expect(cancels).to.equal(2);
    expect(a.paused).to.equal(1);
    expect(b.paused).to.equal(1);
    expect(l1.called || l2.called).to.equal(false);
  });

  it('a canceller that cancels its own list again re-enters up to 100 nested list cancel()s, then ends (twistless: Twisted recurses until RecursionError)', function () {
    let calls = 0;
    const d = new Deferred<unknown>(() => {
      calls++;
      list.cancel();
    });
    const list = new DeferredList([d], { consumeErrors: true });
    list.cancel();
    expect(calls).to.equal(100);
    expect(d.called).to.equal(true);
    expect(d.result).to.equal(undefined); // its CancelledError went to the list (consumeErrors)
    expect(list.called).to.equal(true);
    expect(((list.result as [boolean, Failure][])[0][1]).check(CancelledError)).to.equal(CancelledError);
  });
});

describe('cancel() without a canceller swallows one later fire (twistless specifics of where that is kept)', function () {
  // The swallow-one-fire mark lives in the canceller field once cancel() has fired the Deferred;
  // these pin every way a later fire can arrive, as Twisted 22.4 behaves.
  it('through chainDeferred: the forwarded fire is swallowed, the source goes on with undefined, a second fire is AlreadyCalledError', function () {
    const log: unknown[] = [];
    const d1 = new Deferred<string>();
    const d2 = new Deferred<string>();
    d2.addErrback((f: Failure) => {
      log.push(['d2 eb', f.check(CancelledError) !== null]);
    });
    d1.chainDeferred(d2);
    d2.cancel();
    d1.callback('x');
    log.push(['d1 result', d1.result]);
    expect(() => d2.callback('again')).to.throw(AlreadyCalledError);
    expect(log).to.deep.equal([['d2 eb', true], ['d1 result', undefined]]);
  });

  it('with a canceller that does not fire: the later fire is AlreadyCalledError, directly and through chainDeferred', function () {
    let ran = 0;
    const d3 = new Deferred<string>(() => {
      ran++;
    });
    d3.addErrback(() => null);
    d3.cancel();
    expect(ran).to.equal(1);
    expect(() => d3.callback('late')).to.throw(AlreadyCalledError);
    const d4 = new Deferred<string>();
    const d5 = new Deferred<string>(() => undefined);
    d5.addErrback(() => null);
    d4.chainDeferred(d5);
    d5.cancel();
    d4.callback('y');
    expect((d4.result as Failure).check(AlreadyCalledError)).to.equal(AlreadyCalledError);
    d4.addErrback(() => null);
  });

  it('the swallowed fire is one only, by errback as by callback, and cancel() afterwards does nothing', function () {
    for (const fire of [(d: Deferred<string>): void => d.callback('v'), (d: Deferred<string>): void => d.errback(new Error('e'))]) {
      const d = new Deferred<string>();
      const seen: unknown[] = [];
      d.addBoth((r: unknown) => {
        seen.push(r instanceof Failure ? r.type : r);
        return null;
      });
      d.cancel();
      fire(d);
      d.cancel();
      expect(() => d.callback('twice')).to.throw(AlreadyCalledError);
      expect(seen).to.deep.equal([CancelledError]);
    }
  });

  it('toString() numbers each Deferred once, on first use, and the number stays', function () {
    const a = new Deferred();
    const b = new Deferred();
    const first = a.toString();
    expect(b.toString()).to.not.equal(first);
    expect(a.toString()).to.equal(first);
    expect(first).to.match(/^<Deferred at 0x[0-9a-f]+>$/);
  });
});
