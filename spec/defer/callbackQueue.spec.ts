// The callback queue of lib/defer/callbackQueue.ts and callbackLoop.ts, through its internals (`_cbs`, `_next`): no
// queue until an entry is added, one or two entries kept without an array, slots cleared as they are taken,
// and the field back to null once the queue drains, so a queue used again starts afresh.
// No upstream counterpart (Twisted's `callbacks` is a Python list it pops from).
import { expect } from 'chai';
import { Deferred, succeed } from '../../lib/defer/index.js';
import { Failure } from '../../lib/failure/index.js';
import { settledHeap } from './support.js';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/** True when nothing is queued on d. */
function drained(d: Deferred<unknown>): boolean {
  return d._cbs === null && d._next === 0;
}

/** d's queue as an array of three or more (fails the spec otherwise). */
function queueArray(d: Deferred<unknown>): unknown[] {
  const q = d._cbs;
  if (!Array.isArray(q)) throw new Error(`expected a queue array, got ${String(q)}`);
  return q;
}

describe('Deferred callback queue', function () {
  it('a run clears each slot it takes: a drained Deferred keeps no callback, errback or args alive', function () {
    const d = new Deferred<number>();
    const seen: unknown[] = [];
    d.addCallback((v) => v + 1)
      .addCallbacks((v, k: string) => seen.push(v, k), null, ['arg'])
      .addErrback(() => 0);
    const q = queueArray(d);
    expect(q.length).to.equal(3);
    d.callback(1);
    expect(seen).to.deep.equal([2, 'arg']);
    expect(drained(d)).to.equal(true);
    expect(q).to.deep.equal([null, null, null]);
  });

  it('a failing run clears its slots too, errbacks and pass-through slots alike', function () {
    const d = new Deferred<number>();
    d.addCallback((v) => v)
      .addCallback(() => {
        throw new RangeError('x');
      })
      .addCallback((v) => v)
      .addErrback((f) => f.value);
    d.callback(0);
    expect(d.result).to.be.instanceOf(RangeError);
    expect(drained(d)).to.equal(true);
  });

  it('a then observer is cleared once it has settled its promise, on success and on failure', async function () {
    const ok = new Deferred<{ n: number }>();
    const pOk = ok.then((v) => v.n);
    const bad = new Deferred<number>();
    const pBad = bad.then(
      () => 'no',
      (e: unknown) => (e as Error).message,
    );
    expect(Array.isArray(ok._cbs)).to.equal(false);
    expect(ok._cbs).to.not.equal(null);
    ok.callback({ n: 4 });
    bad.errback(new Error('boom'));
    expect(drained(ok)).to.equal(true);
    expect(drained(bad)).to.equal(true);
    expect(await pOk).to.equal(4);
    expect(await pBad).to.equal('boom');
    expect((bad.result as Failure).handled).to.equal(true);
  });

  it('a queue is dropped as soon as it drains, long or short', function () {
    for (const n of [1, 2, 3, 100]) {
      const d = new Deferred<number>();
      for (let i = 0; i < n; i++) d.addCallback((v) => v + 1);
      d.callback(0);
      expect(d.result).to.equal(n);
      expect(d._cbs).to.equal(null);
      expect(d._next).to.equal(0);
    }
  });

  it('one entry is kept in the field itself and a second in `_next`, with no array; a third makes an array of exactly three', function () {
    const d = new Deferred<number>();
    const f = (v: number): number => v + 1;
    d.addCallback(f);
    expect(d._cbs).to.equal(f);
    expect(d._next).to.equal(0);
    const g = (v: number): number => v * 3;
    d.addCallback(g);
    expect(d._cbs).to.equal(f);
    expect(d._next).to.equal(g);
    const h = (v: number): number => v - 2;
    d.addCallback(h);
    expect(queueArray(d)).to.deep.equal([f, g, h]);
    expect(d._next).to.equal(0);
    d.callback(1);
    expect(d.result).to.equal(4);
    expect(drained(d)).to.equal(true);
  });

  it('a pending Deferred with two callbacks keeps no queue array: 10,000 retain under 110 B apiece (with an array, over 140)', async function () {
    // Callbacks shared by all, so the figure is the Deferred and its queue.
    const inc = (v: number): number => v + 1;
    const kept: Deferred<number>[] = new Array<Deferred<number>>(10_000);
    const before = await settledHeap();
    for (let i = 0; i < 10_000; i++) kept[i] = new Deferred<number>().addCallback(inc).addCallback(inc);
    const perItem = ((await settledHeap()) - before) / kept.length;
    expect(perItem, 'bytes per Deferred with two entries').to.be.below(110);
    for (const d of kept) d.callback(1);
    expect(kept.every((d) => d.result === 3 && drained(d))).to.equal(true);
  });

  it('two entries run in order and the second moves up as the first is taken: a callback queued then is third', function () {
    const log: string[] = [];
    const d = new Deferred<number>();
    d.addCallback((v) => {
      // Taken: the second entry is now the first, and this one queues behind it.
      expect(d._cbs).to.not.equal(null);
      expect(Array.isArray(d._cbs)).to.equal(false);
      expect(d._next).to.equal(0);
      d.addCallback((w) => {
        log.push(`third ${w}`);
        return w;
      });
      log.push(`first ${v}`);
      return v + 1;
    });
    d.addCallback((v) => {
      log.push(`second ${v}`);
      return v * 2;
    });
    d.callback(1);
    expect(log).to.deep.equal(['first 1', 'second 2', 'third 4']);
    expect(drained(d)).to.equal(true);
  });

  it('a Deferred waiting on one with a callback queued is its second entry, with no array, and gets the result after that callback', function () {
    const inner = new Deferred<number>();
    const g = (v: number): number => v * 10;
    inner.addCallback(g);
    const outer = new Deferred<number>();
    outer.addCallback(() => inner);
    outer.callback(0);
    expect(inner._cbs).to.equal(g);
    expect(inner._next).to.equal(outer);
    inner.callback(4);
    expect(outer.result).to.equal(40);
    expect(drained(inner)).to.equal(true);
    expect(drained(outer)).to.equal(true);
  });

  it('a callback adding to its own Deferred while an array queue runs: the new entry is appended and runs in the same run', function () {
    const log: string[] = [];
    const d = new Deferred<number>();
    d.addCallback((v) => {
      d.addCallback((w) => {
        log.push(`added ${w}`);
        return w + 100;
      });
      log.push(`first ${v}`);
      return v + 1;
    });
    d.addCallback((v) => {
      log.push(`second ${v}`);
      return v * 2;
    }).addCallback((v) => {
      log.push(`third ${v}`);
      return v + 1;
    });
    expect(queueArray(d).length).to.equal(3);
    d.callback(1);
    expect(log).to.deep.equal(['first 1', 'second 2', 'third 4', 'added 5']);
    expect(d.result).to.equal(105);
    expect(drained(d)).to.equal(true);
  });

  it('a drained Deferred used again (paused, then callbacks added) runs them in order on a fresh, short queue, and does not grow', function () {
    const d = new Deferred<number>();
    d.addCallback((v) => v + 1).addCallback((v) => v + 1);
    d.callback(0);
    expect(drained(d)).to.equal(true);
    for (let round = 0; round < 500; round++) {
      d.pause();
      d.addCallback((v) => v * 2).addCallback((v) => v - 1).addCallback((v) => v);
      expect(d._next).to.equal(0);
      expect(queueArray(d).length).to.equal(3);
      d.unpause();
      expect(drained(d)).to.equal(true);
    }
    let v = 2;
    for (let round = 0; round < 500; round++) v = v * 2 - 1;
    expect(d.result).to.equal(v);
  });

  it('a callback adding to its own Deferred when the queue is drained: the new callback runs in the same run', function () {
    const log: string[] = [];
    // The queued way: the callback is the last entry, so the queue is drained while it runs.
    const d = new Deferred<number>();
    d.addCallback((v) => {
      d.addCallback((w) => {
        log.push(`inner ${w}`);
        return w * 10;
      });
      log.push(`outer ${v}`);
      return v + 1;
    });
    d.callback(1);
    expect(log).to.deep.equal(['outer 1', 'inner 2']);
    expect(d.result).to.equal(20);
    expect(drained(d)).to.equal(true);
    // The fast way: a fired, idle Deferred runs the callback at once, its queue never used.
    log.length = 0;
    const e = succeed(1);
    e.addCallback((v) => {
      e.addCallback((w) => {
        log.push(`inner ${w}`);
        return w * 10;
      });
      log.push(`outer ${v}`);
      return v + 1;
    });
    expect(log).to.deep.equal(['outer 1', 'inner 2']);
    expect(e.result).to.equal(20);
  });

  it('chainDeferred and a waiting Deferred queue their markers on a drained queue, and both still hand the result on', function () {
    const a = succeed(1);
    a.addCallback((v) => v + 1); // fast path: queue untouched
    const a2 = new Deferred<number>();
    a2.addCallback((v) => v + 1);
    a2.callback(1); // drained
    for (const src of [a, a2]) {
      src.pause();
      const target = new Deferred<number>();
      src.chainDeferred(target);
      expect(target.called).to.equal(false);
      src.unpause();
      expect(target.result).to.equal(2);
      expect(src.result).to.equal(undefined);
    }
    const inner = new Deferred<number>();
    inner.addCallback((v) => v);
    inner.callback(5); // drained
    inner.pause();
    const outer = succeed(0).addCallback(() => inner);
    expect(outer.paused).to.equal(1);
    inner.unpause();
    expect(outer.result).to.equal(5);
    expect(drained(inner)).to.equal(true);
  });

  it('a Deferred that never queued anything has no queue, and callbacks added to a fired, idle one never make one', async function () {
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    expect(a._cbs).to.equal(null);
    a.addCallback((v) => v);
    void a.then(() => undefined);
    const c = succeed(3);
    c.addCallback((v) => v + 1); // fast path
    expect(c._cbs).to.equal(null);
    await c;
    expect(a._cbs).to.not.equal(null);
    expect(a._next).to.not.equal(0); // two entries: the callback and the then observer
    expect(b._cbs).to.equal(null);
    a.callback(1);
    await tick();
    expect(drained(a)).to.equal(true);
    expect(c._cbs).to.equal(null);
  });

  it('a Deferred waiting on another is queued on it as itself (no marker object), and the slot is cleared when it gets the result', function () {
    const inner = new Deferred<number>();
    const outer = succeed(0).addCallback(() => inner);
    expect(inner._cbs).to.equal(outer);
    inner.callback(5);
    expect(outer.result).to.equal(5);
    expect(drained(inner)).to.equal(true);
  });

  it('two Deferreds waiting on one: the first gets its result, the second what is left (undefined), in the order they began to wait', function () {
    const inner = new Deferred<string>();
    const got: unknown[] = [];
    const first = succeed(0).addCallback(() => inner);
    const second = succeed(0).addCallback(() => inner);
    first.addCallback((v) => got.push(['first', v]));
    second.addCallback((v) => got.push(['second', v]));
    inner.addCallback((v) => got.push(['inner', v]));
    inner.callback('x');
    expect(got).to.deep.equal([['first', 'x'], ['second', undefined], ['inner', undefined]]);
  });

  it('a waiter between callbacks of the inner Deferred gets the result those before it made', function () {
    const inner = new Deferred<number>();
    inner.addCallback((n) => n + 1);
    const outer = succeed(0).addCallback(() => inner);
    inner.addCallback((v) => (v === undefined ? 'handed on' : v));
    inner.callback(1);
    expect([outer.result, inner.result]).to.deep.equal([2, 'handed on']);
  });

  it('a subclass of Deferred with fields of its own (even one named kind) waits like any Deferred', function () {
    class Tagged<T> extends Deferred<T> {
      kind = 0;
      tag = 'tagged';
    }
    const inner = new Deferred<number>();
    const outer = new Tagged<number>();
    outer.addCallback(() => inner);
    outer.callback(0);
    expect(outer.paused).to.equal(1);
    inner.callback(7);
    expect([outer.result, outer.paused]).to.deep.equal([7, 0]);
  });

  it('a failure handed to a waiting Deferred is handled there, not reported where it came from', function () {
    const inner = new Deferred<number>();
    const outer = succeed(0).addCallback(() => inner);
    const seen: string[] = [];
    outer.addErrback((f: Failure) => seen.push(f.getErrorMessage()));
    inner.errback(new RangeError('passed up'));
    expect(seen).to.deep.equal(['passed up']);
    expect(inner.result).to.equal(undefined);
  });
});
