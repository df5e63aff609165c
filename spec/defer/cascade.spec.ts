// Cascades of Deferreds each waiting on the previous one (issue 9, item 1): inlineCallbacks calls,
// ensureDeferred generators, DeferredLists, gatherResults, races, thenables and mixes of them,
// 1,500 to 100,000 deep, in the cascade form (each made from the previous) and the recursive form
// (`walk(n - 1)` inside `walk(n)`). Each must deliver the right result in bounded JavaScript stack;
// the shallow orders were taken from Twisted 22.4 running the same program.
import { expect } from 'chai';
import {
  Deferred,
  DeferredList,
  ensureDeferred,
  gatherResults,
  inlineCallbacks,
  maybeDeferred,
  race,
  succeed,
  CancelledError,
} from '../../lib/defer/index.js';
import { START_DEPTH } from '../../lib/defer/inlineCallbacks.js';
import { Failure } from '../../lib/failure/index.js';

const DEPTHS = [1500, 10000, 100000];

type Step = (prev: Deferred<number>, i: number) => Deferred<number>;

/** Build `n` levels on an unfired gate, fire it with 0, and return the last level. */
function cascade(n: number, step: Step): Deferred<number> {
  const gate = new Deferred<number>();
  let d: Deferred<number> = gate;
  for (let i = 0; i < n; i++) d = step(d, i);
  expect(d.called && d.paused === 0).to.equal(false); // not fired, or waiting
  gate.callback(0);
  return d;
}

const plusOne = inlineCallbacks(function* (prev: Deferred<number>) {
  return ((yield prev) as number) + 1;
});

const STEPS: [string, Step][] = [
  ['inlineCallbacks', (p) => plusOne(p)],
  ['ensureDeferred(generator)', (p) => ensureDeferred((function* (): Generator<unknown, number, never> {
    return ((yield p) as number) + 1;
  })())],
  ['gatherResults', (p) => gatherResults([p]).addCallback(([v]) => v + 1)],
  ['DeferredList', (p) => new DeferredList([p]).addCallback((r) => (r[0][1] as number) + 1)],
  ['race', (p) => race([p]).addCallback(([, v]) => v + 1)],
  ['a callback returning the previous', (p) => succeed(0).addCallback(() => p).addCallback((v) => v + 1)],
  ['chainDeferred', (p) => {
    const d = new Deferred<number>();
    p.chainDeferred(d);
    return d.addCallback((v) => v + 1);
  }],
  ['maybeDeferred', (p) => maybeDeferred(() => p).addCallback((v) => v + 1)],
  ['a thenable settled from the previous one\'s callback', (p) =>
    Deferred.fromPromise<number>({
      then(ok: (v: number) => void, bad: (e: unknown) => void): void {
        p.addCallbacks((v) => ok(v + 1), (f: Failure) => bad(f.value));
      },
    } as unknown as PromiseLike<number>)],
];

describe('Cascades of waiting Deferreds (stack depth)', function () {
  for (const n of DEPTHS) {
    for (const [name, step] of STEPS) {
      it(`a cascade of ${n.toLocaleString('en-US')} ${name}, each waiting on the previous, fires with ${n}`, function () {
        const d = cascade(n, step);
        expect(d.called).to.equal(true);
        expect(d.result).to.equal(n);
      });
    }

    it(`a cascade of ${n.toLocaleString('en-US')} levels mixing every form fires with ${n}`, function () {
      const d = cascade(n, (p, i) => STEPS[i % STEPS.length][1](p, i));
      expect(d.result).to.equal(n);
    });

    it(`a failure goes down a cascade of ${n.toLocaleString('en-US')} inlineCallbacks, each catching and rethrowing it`, function () {
      const rethrow = inlineCallbacks(function* (prev: Deferred<number>) {
        try {
          return (yield prev) as number;
        } catch (e) {
          (e as { levels: number }).levels++;
          throw e;
        }
      });
      const gate = new Deferred<number>();
      let d: Deferred<number> = gate;
      for (let i = 0; i < n; i++) d = rethrow(d);
      const error = Object.assign(new Error('deep'), { levels: 0 });
      gate.errback(error);
      let seen: unknown = null;
      d.addErrback((f: Failure) => {
        seen = f.value;
      });
      expect(seen).to.equal(error);
      expect(error.levels).to.equal(n);
    });

    it(`the recursive form: walk(${n.toLocaleString('en-US')}) calls walk(n - 1) down to a base fired later`, function () {
      const base = new Deferred<number>();
      const walk: (k: number) => Deferred<number> = inlineCallbacks(function* (k: number) {
        if (k === 0) return (yield base) as number;
        return ((yield walk(k - 1)) as number) + 1;
      });
      const d = walk(n);
      expect(d.called).to.equal(false);
      base.callback(0);
      expect(d.result).to.equal(n);
    });

    it(`the recursive form with a base already fired: walk(${n.toLocaleString('en-US')}) fires before it returns`, function () {
      const walk: (k: number) => Deferred<number> = inlineCallbacks(function* (k: number) {
        if (k === 0) return (yield succeed(0)) as number;
        return ((yield walk(k - 1)) as number) + 1;
      });
      expect(walk(n).result).to.equal(n);
    });

    it(`the recursive form through gatherResults and ensureDeferred, ${n.toLocaleString('en-US')} deep`, function () {
      const base = new Deferred<number>();
      const walk = (k: number): Deferred<number> => {
        if (k === 0) return base;
        if (k % 2 === 0) return gatherResults([walk(k - 1)]).addCallback(([v]) => v + 1);
        return ensureDeferred((function* (): Generator<unknown, number, never> {
          return ((yield walk(k - 1)) as number) + 1;
        })());
      };
      // The gatherResults levels recurse in plain JavaScript here; keep them under the stack.
      const depth = Math.min(n, 1500);
      const d = walk(depth);
      base.callback(0);
      expect(d.result).to.equal(depth);
    });
  }

  it('the order of a shallow cascade is Twisted 22.4\'s (each level resumes inside the previous one\'s callback)', function () {
    // The same program on Twisted 22.4 printed exactly these lines.
    const lines: string[] = [];
    const show = (r: unknown): string => (r === undefined ? 'None' : String(r));
    const f = inlineCallbacks(function* (prev: Deferred<number>, i: number) {
      const v = (yield prev) as number;
      lines.push(`gen ${i} ${v}`);
      return v + 1;
    });
    const gate = new Deferred<number>();
    const ds: Deferred<number>[] = [];
    let d: Deferred<number> = gate;
    for (let i = 0; i < 5; i++) {
      d = f(d, i);
      ds.push(d);
      if (i % 2 === 0) d.addBoth((r) => (lines.push(`early ${i} ${show(r)}`), r));
    }
    ds.forEach((x, i) => x.addBoth((r) => (lines.push(`log ${i} ${show(r)}`), r)));
    gate.callback(0);
    expect(lines).to.deep.equal([
      'gen 0 0', 'early 0 1', 'gen 1 1', 'gen 2 2', 'early 2 3', 'gen 3 3', 'gen 4 4', 'early 4 5',
      'log 4 5', 'log 3 None', 'log 2 None', 'log 1 None', 'log 0 None',
    ]);
  });

  it('a deep cascade keeps that order: every generator resumes before any later callback of the levels it came through', function () {
    const n = 100000;
    const order: number[] = [];
    const f = inlineCallbacks(function* (prev: Deferred<number>, i: number) {
      const v = (yield prev) as number;
      order.push(i);
      return v + 1;
    });
    const gate = new Deferred<number>();
    const ds: Deferred<number>[] = [];
    let d: Deferred<number> = gate;
    for (let i = 0; i < n; i++) ds.push((d = f(d, i)));
    ds.forEach((x, i) => x.addBoth((r) => (order.push(-1 - i), r)));
    gate.callback(0);
    expect(order.length).to.equal(2 * n);
    for (let i = 0; i < n; i++) expect(order[i]).to.equal(i);
    for (let i = 0; i < n; i++) expect(order[n + i]).to.equal(-n + i);
  });

  it('a call made past the start depth and cancelled before it starts fails with CancelledError and never runs', function () {
    let leafRan = false;
    const leaf = inlineCallbacks(function* () {
      leafRan = true;
      return (yield succeed(1)) as number;
    });
    let caught: unknown = null;
    // walk(START_DEPTH - 1) has START_DEPTH generators on the stack when walk(0) calls leaf().
    const walk: (k: number) => Deferred<number> = inlineCallbacks(function* (k: number) {
      if (k > 0) return (yield walk(k - 1)) as number;
      const q = leaf();
      expect(q.called).to.equal(false);
      q.cancel();
      try {
        return (yield q) as number;
      } catch (e) {
        caught = e;
        return -1;
      }
    });
    expect(walk(START_DEPTH - 1).result).to.equal(-1);
    expect(caught).to.be.instanceOf(CancelledError);
    expect(leafRan).to.equal(false);
  });

  it('a call made past the start depth starts, and fires, before the outermost call returns', function () {
    const log: string[] = [];
    const leaf = inlineCallbacks(function* () {
      log.push('leaf');
      return (yield succeed(1)) as number;
    });
    const walk: (k: number) => Deferred<number> = inlineCallbacks(function* (k: number) {
      if (k > 0) return ((yield walk(k - 1)) as number) + 1;
      const q = leaf();
      log.push(`queued ${String(q.called)}`);
      return (yield q) as number;
    });
    const d = walk(START_DEPTH - 1);
    expect(log).to.deep.equal(['queued false', 'leaf']);
    expect(d.result).to.equal(START_DEPTH);
  });
});
