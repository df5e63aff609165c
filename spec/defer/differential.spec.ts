// Minimal programs where a differential run against Twisted 22.4 found twistless behaving
// differently (issue 9, items 20 and 24 to 26). Each expectation is what the same program printed
// on Twisted 22.4, except where docs/defer.md lists a difference on purpose (item 26).
import { expect } from 'chai';
import {
  CancelledError,
  Deferred,
  DeferredList,
  FirstError,
  gatherResults,
  inlineCallbacks,
  MalformedListResultError,
  passthru,
  succeed,
} from '../../lib/defer/index.js';
import { Failure, isFailure } from '../../lib/failure/index.js';

/** Python-like text of a result: lists, pairs, `F(TypeName)` for a Failure, `None`. */
function show(r: unknown): string {
  if (Array.isArray(r)) return `[${r.map(show).join(', ')}]`;
  if (isFailure(r)) return `F(${(r.type as { name: string }).name})`;
  if (r === undefined) return 'None';
  if (isDeferredLike(r)) return 'Deferred';
  return JSON.stringify(r);
}

function isDeferredLike(r: unknown): boolean {
  return typeof r === 'object' && r !== null && typeof (r as { addCallback?: unknown }).addCallback === 'function';
}

describe('Cancelling through a chain of waiting Deferreds (issue 9, item 20)', function () {
  it("a Deferred waiting on a DeferredList: cancel() runs the list's own cancel, which cancels its input", function () {
    // Twisted: ['d0 canceller'] True Failure / [(False, 'CancelledError')]
    const log: string[] = [];
    const d0 = new Deferred(() => {
      log.push('d0 canceller');
    });
    const d1 = new DeferredList([d0]);
    const d2 = succeed(1).addCallback(() => d1);
    d2.cancel();
    expect(log).to.deep.equal(['d0 canceller']);
    expect(show(d0.result)).to.equal('F(CancelledError)');
    expect(show(d2.result)).to.equal('[[false, F(CancelledError)]]');
    d0.addErrback(() => null);
  });

  it('a DeferredList that has fired and waits on D0: cancelling a Deferred waiting on the list cancels nothing', function () {
    // Twisted: [] False True True <DeferredList ... waiting on Deferred ...>
    const log: string[] = [];
    const e0 = new Deferred(() => {
      log.push('e0 canceller');
    });
    const e1 = new DeferredList([succeed(1)]).addCallback(() => e0);
    const e2 = succeed(1).addCallback(() => e1);
    e2.cancel();
    expect(log).to.deep.equal([]);
    expect(e0.called).to.equal(false);
    expect(e2.paused).to.equal(1);
    e1.cancel();
    expect(e0.called).to.equal(false);
  });

  it('two plain Deferreds waiting in a row on a DeferredList: the list is cancelled through its own cancel', function () {
    // Twisted: A ['c0'] [(False, F(CancelledError))] None None
    const log: string[] = [];
    const d0 = new Deferred(() => {
      log.push('c0');
    });
    const dl = new DeferredList([d0], { consumeErrors: true });
    const d2 = succeed(0).addCallback(() => dl);
    const d3 = succeed(0).addCallback(() => d2);
    d3.cancel();
    expect(log).to.deep.equal(['c0']);
    expect(show(d3.result)).to.equal('[[false, F(CancelledError)]]');
    expect(show(d2.result)).to.equal('None');
    expect(show(dl.result)).to.equal('None');
  });

  it('a Deferred waiting on gatherResults: every input is cancelled, and it fails with FirstError', function () {
    // Twisted: B ['c0', 'c1'] F(FirstError)
    const log: string[] = [];
    const e0 = new Deferred(() => {
      log.push('c0');
    });
    const e1 = new Deferred(() => {
      log.push('c1');
    });
    const g = gatherResults([e0, e1], true);
    const e2 = succeed(0).addCallback(() => g);
    e2.cancel();
    expect(log).to.deep.equal(['c0', 'c1']);
    expect(show(e2.result)).to.equal('F(FirstError)');
    expect(((e2.result as Failure).value as FirstError).subFailure.check(CancelledError)).to.equal(CancelledError);
    e2.addErrback(() => null);
  });

  it('an inlineCallbacks call waiting on a chain that ends on a DeferredList: cancelling it cancels the list', function () {
    // Twisted: C ['c0'] ('got', [(False, F(CancelledError))])
    const log: string[] = [];
    const f0 = new Deferred(() => {
      log.push('c0');
    });
    const fl = new DeferredList([f0], { consumeErrors: true });
    const f2 = succeed(0).addCallback(() => fl);
    const gen = inlineCallbacks(function* () {
      const r: unknown = yield f2;
      return ['got', r];
    });
    const f3 = gen();
    f3.cancel();
    expect(log).to.deep.equal(['c0']);
    expect(show(f3.result)).to.equal('["got", [[false, F(CancelledError)]]]');
  });
});

describe('Cancelling an inlineCallbacks call that a callback of its awaited Deferred returns (issue 9, item 24)', function () {
  // Twisted 22.4 printed: ['d0 callback gets CancelledError', 'generator gets
  // _InternalInlineCallbacksCancelledError'] True 0 None True 0 _InternalInlineCallbacksCancelledError
  for (const catching of [false, true]) {
    it(`D0's callback returns D1, D1 waits on D0, D1.cancel(): D1 fails at once${catching ? ' (the generator catches only CancelledError)' : ''}`, function () {
      const log: string[] = [];
      const d0 = new Deferred<number>();
      let d1: Deferred<number> | null = null;
      d0.addBoth((r) => {
        log.push(`d0 callback gets ${isFailure(r) ? (r.type as { name: string }).name : String(r)}`);
        return d1 as Deferred<number>;
      });
      const f = inlineCallbacks(function* () {
        try {
          return (yield d0) as number;
        } catch (e) {
          log.push(`generator gets ${(e as Error).name}`);
          if (catching && e instanceof CancelledError) return -1;
          throw e;
        }
      });
      d1 = f();
      d1.cancel();
      expect(log).to.deep.equal(['d0 callback gets CancelledError', 'generator gets InlineCallbacksCancelled']);
      expect([d0.called, d0.paused, d0.result]).to.deep.equal([true, 0, undefined]);
      expect([d1.called, d1.paused]).to.deep.equal([true, 0]);
      expect(((d1.result as Failure).value as Error).name).to.equal('InlineCallbacksCancelled');
      d1.addErrback(() => null);
    });
  }

  it('a cancelled call whose generator rethrows the cancellation later is failed by it, not cancelled again', function () {
    // The marker reaches the fresh completion Deferred as an ordinary failure (Twisted: the
    // completion Deferreds other than the cancelled one have no handleCancel).
    const d0 = new Deferred<number>();
    let d1: Deferred<number> | null = null;
    d0.addBoth(() => d1 as Deferred<number>);
    d1 = inlineCallbacks(function* () {
      return (yield d0) as number;
    })();
    d1.cancel();
    d1.cancel();
    expect(d1.paused).to.equal(0);
    expect(isFailure(d1.result)).to.equal(true);
    d1.addErrback(() => null);
  });
});

describe('A gatherResults Deferred fired by hand (issue 9, item 25)', function () {
  // Twisted: TypeError 'int' object is not iterable; [1]: TypeError; [[1]] and 'ab': ValueError;
  // [(True, 5)] gives [5].
  for (const bad of [0, 'ab', [1], [[1]], null, { length: 1 }]) {
    it(`gatherResults([d]).callback(${JSON.stringify(bad)}) fails with MalformedListResultError (a TypeError)`, function () {
      const g = gatherResults([new Deferred<number>()]);
      g.callback(bad as never);
      expect(isFailure(g.result)).to.equal(true);
      const f = g.result as Failure;
      expect(f.value).to.be.instanceOf(MalformedListResultError);
      expect(f.value).to.be.instanceOf(TypeError);
      expect((f.value as MalformedListResultError).value).to.equal(bad);
      g.addErrback(() => null);
    });
  }

  it('a list of [success, value] pairs given by hand is collected, as in Twisted', function () {
    const g = gatherResults([new Deferred<number>()]);
    g.callback([[true, 5]] as never);
    expect(g.result).to.deep.equal([5]);
  });
});

describe('A gatherResults Deferred fired by hand with a failed pair (issue 9, the last differential class)', function () {
  // Twisted's parser asserts each pair's success flag: AssertionError, never a Failure as a value.
  /** Fail the gatherResults Deferred `g` with `pairs`, expect the refusal at `index`, handle it. */
  function expectRefused(g: Deferred<unknown>, pairs: unknown, index: number): void {
    expect(isFailure(g.result)).to.equal(true);
    const f = g.result as Failure;
    expect(f.value).to.be.instanceOf(MalformedListResultError);
    const e = f.value as MalformedListResultError;
    expect(e.value).to.equal(pairs);
    expect(e.index).to.equal(index);
    expect(e.failedPair).to.equal(true);
    expect(e.message).to.contain(`item ${index} is a failed pair`);
    g.addErrback(() => null);
  }

  it('fired through chainDeferred by a DeferredList with consumeErrors that holds a failure', function () {
    const dl = new DeferredList<number>([succeed(1), failWith(new RangeError('E1'))], { consumeErrors: true });
    const pairs = dl.result;
    expect(show(pairs)).to.equal('[[true, 1], [false, F(RangeError)]]');
    const g = gatherResults([new Deferred<number>()]);
    dl.chainDeferred(g as never);
    expectRefused(g as Deferred<unknown>, pairs, 1);
  });

  for (const [what, pairs, index] of [
    ['the only pair failed', () => [[false, new Failure(new RangeError('x'))]], 0],
    ['the second of three pairs failed', () => [[true, 1], [false, new Failure(new RangeError('x'))], [true, 3]], 1],
    ['the last pair has a false success flag and a plain value', () => [[true, 1], [false, 2]], 1],
    ['a success flag of 0 (falsy, as Python asserts truthiness)', () => [[0, 1]], 0],
  ] as [string, () => unknown[], number][]) {
    it(`callback() by hand: ${what}`, function () {
      const g = gatherResults([new Deferred<number>()]);
      const list = pairs();
      g.callback(list as never);
      expectRefused(g as Deferred<unknown>, list, index);
    });
  }

  it('returned from a callback of a fired Deferred that the gatherResults Deferred waits on', function () {
    const list = [[false, new Failure(new RangeError('x'))]];
    const g = gatherResults([new Deferred<number>()]);
    const src = new Deferred<unknown>();
    src.chainDeferred(g as never);
    succeed(0).addCallback(() => src.callback(list));
    expectRefused(g as Deferred<unknown>, list, 0);
  });
});

function failWith(error: Error): Deferred<never> {
  const d = new Deferred<never>();
  d.errback(error);
  return d;
}

describe('addCallbacks with a null errback and errback arguments (issue 9, item 26)', function () {
  it('the failure passes on unchanged and the arguments are ignored (Twisted: TypeError; a documented difference)', function () {
    const d = new Deferred<number>();
    d.addCallbacks(passthru, null, [], [1]);
    const error = new RangeError('x');
    d.errback(error);
    expect((d.result as Failure).value).to.equal(error);
    d.addErrback(() => null);
  });

  it('with a success the callback gets its own (empty) arguments', function () {
    const d = new Deferred<number>();
    d.addCallbacks(passthru, null, [], [1]);
    d.callback(5);
    expect(d.result).to.equal(5);
  });
});
