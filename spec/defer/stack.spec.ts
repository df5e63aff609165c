// Port of twisted/test/test_defer.py (Twisted 22.4): DeferredTests.test_boundedStackDepth, plus
// the long chains that must run in constant JavaScript stack (issue 2: 100,000 nested Deferreds
// fired innermost-first and outermost-first, 1,000,000 callbacks, 100,000 chainDeferred links;
// Twisted itself overflows on chainDeferred).
import { expect } from 'chai';
import { Deferred, succeed } from '../../lib/defer/index.js';

function stackDepth(): number {
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = Infinity;
  const depth = (new Error().stack ?? '').split('\n').length;
  Error.stackTraceLimit = saved;
  return depth;
}

describe('DeferredTests (stack depth)', function () {
  it('test_boundedStackDepth: callbacks run at the same stack depth however many Deferreds are chained', function () {
    function chainDeferreds(howMany: number): number {
      const stack: number[] = [];
      const top = new Deferred<void>();
      const innerDeferreds: Deferred<void>[] = [];
      for (let i = 0; i < howMany; i++) innerDeferreds.push(new Deferred<void>());
      const originalInners = innerDeferreds.slice();
      const last = new Deferred<void>();
      let inner = innerDeferreds.pop()!;
      const first = inner;
      top.addCallback(() => first);
      top.addCallback(() => {
        stack.push(stackDepth());
      });
      while (innerDeferreds.length > 0) {
        const newInner = innerDeferreds.pop()!;
        inner.addCallback(() => newInner);
        inner = newInner;
      }
      inner.addCallback(() => last);
      top.callback();
      for (const d of originalInners) d.callback();
      expect(stack).to.deep.equal([]);
      last.callback();
      return stack[0];
    }
    expect(chainDeferreds(1)).to.equal(chainDeferreds(2));
    expect(chainDeferreds(1)).to.equal(chainDeferreds(1000));
  });

  it('100,000 nested Deferreds fired outermost-first: the innermost result climbs all levels', function () {
    const n = 100000;
    const ds: Deferred<number>[] = [];
    for (let i = 0; i < n; i++) ds.push(new Deferred<number>());
    for (let i = 0; i < n - 1; i++) {
      const next = ds[i + 1];
      ds[i].addCallback(() => next);
    }
    let seen: number | null = null;
    ds[0].addCallback((v) => {
      seen = v;
      return v;
    });
    for (let i = 0; i < n - 1; i++) ds[i].callback(0);
    expect(seen).to.equal(null);
    ds[n - 1].callback(42);
    expect(seen).to.equal(42);
    expect(ds[0].result).to.equal(42);
    expect(ds[1].result).to.equal(undefined);
  });

  it('100,000 nested Deferreds fired innermost-first: each steals the already-fired inner result', function () {
    const n = 100000;
    const ds: Deferred<number>[] = [];
    for (let i = 0; i < n; i++) ds.push(new Deferred<number>());
    ds[n - 1].callback(7);
    for (let i = n - 2; i >= 0; i--) {
      const next = ds[i + 1];
      ds[i].addCallback(() => next);
      ds[i].callback(0);
    }
    expect(ds[0].result).to.equal(7);
  });

  it('100,000 Deferreds each waiting on the previous, with a callback after the wait, innermost fired last', function () {
    const n = 100000;
    const innermost = new Deferred<string>();
    let count = 0;
    const ds: Deferred<string>[] = [innermost];
    for (let i = 0; i < n; i++) {
      const inner = ds[ds.length - 1];
      const d = new Deferred<string>();
      d.addCallback(() => inner).addCallback((v) => {
        count++;
        return v;
      });
      d.callback('x');
      ds.push(d);
    }
    innermost.callback('done');
    expect(count).to.equal(n);
    expect(ds[n].result).to.equal('done');
  });

  it('1,000,000 callbacks on one Deferred, added before and after firing', function () {
    const n = 1000000;
    const d = new Deferred<number>();
    for (let i = 0; i < n; i++) d.addCallback((x) => x + 1);
    d.callback(0);
    expect(d.result).to.equal(n);
    const e = succeed(0);
    for (let i = 0; i < n; i++) e.addCallback((x) => x + 1);
    expect(e.result).to.equal(n);
  });

  it('100,000 chainDeferred links forward the result without growing the stack', function () {
    const n = 100000;
    const cs: Deferred<number>[] = [];
    for (let i = 0; i < n; i++) cs.push(new Deferred<number>());
    for (let i = 0; i < n - 1; i++) cs[i].chainDeferred(cs[i + 1]);
    let got: number | null = null;
    cs[n - 1].addCallback((v) => {
      got = v;
    });
    cs[0].callback(9);
    expect(got).to.equal(9);
    expect(cs[0].result).to.equal(undefined);
  });

  it('100,000 chainDeferred links made after the source fired', function () {
    const n = 100000;
    const first = succeed(3);
    let prev = first;
    for (let i = 0; i < n; i++) {
      const next = new Deferred<number>();
      prev.chainDeferred(next);
      prev = next;
    }
    expect(prev.result).to.equal(3);
  });

  it('an alternating throw/recover chain of 100,000 steps', function () {
    const d = new Deferred<number>();
    for (let i = 0; i < 50000; i++) {
      d.addCallback(() => {
        throw new RangeError('x');
      });
      d.addErrback(() => 1);
    }
    d.callback(0);
    expect(d.result).to.equal(1);
  });
});
