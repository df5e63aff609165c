// Deferred as a thenable: then/await, asPromise, fromPromise, and the Promises/A+ compliance
// suite (npm promises-aplus-tests, embedded in this mocha run). The AwaitTests block adapts
// twisted/internet/test/test_defer_await.py (Twisted 22.4), whose coroutine `await` becomes
// JavaScript's `await` on a thenable Deferred.
import { expect } from 'chai';
import { CancelledError, Deferred, fail, NotAPromiseError, succeed } from '../../lib/defer/index.js';
import { Failure } from '../../lib/failure/index.js';
import { failureOf, successOf } from './support.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const aplus = require('promises-aplus-tests') as { mocha(adapter: unknown): void };

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('Promises/A+ compliance (promises-aplus-tests) of Deferred.then', function () {
  this.timeout(2000);
  // resolved = succeed, rejected = fail, deferred = a new Deferred with callback/errback.
  // Two bridges, both about Promise resolution rather than Deferred semantics:
  // - A Promise's resolve functions ignore calls after the first; a Deferred throws
  //   AlreadyCalledError instead, so the adapter ignores them as a Promise would.
  // - Resolving a Promise with a thenable adopts it; a Deferred's callback() refuses a
  //   Deferred (DeferredAsResultError), and the Deferred way to adopt is to return the thenable
  //   from a callback, which the adapter does.
  // Rejections the suite never observes are marked handled so that garbage collection does
  // not print "Unhandled error in Deferred" for them in the middle of the spec run.
  // An object goes through a callback (so a thenable is adopted, its `then` read once only).
  const isObject = (v: unknown): boolean => (typeof v === 'object' && v !== null) || typeof v === 'function';
  const adopt = (value: unknown): Deferred<unknown> => succeed<unknown>(undefined).addCallback(() => value);
  const handled = <T>(d: Deferred<T>): Deferred<T> => {
    if (d.result instanceof Failure) d.result.handled = true;
    return d;
  };
  aplus.mocha({
    resolved: (value: unknown) => (isObject(value) ? adopt(value) : succeed(value)),
    rejected: (reason: unknown) => handled(fail(reason)),
    deferred: () => {
      const d = new Deferred<unknown>();
      return {
        promise: d,
        resolve: (value: unknown) => {
          if (d.called) return;
          if (isObject(value)) adopt(value).chainDeferred(d);
          else d.callback(value);
        },
        reject: (reason: unknown) => {
          if (d.called) return;
          d.errback(reason);
          handled(d);
        },
      };
    },
  });
});

describe('Deferred.then / await', function () {
  it('await gives the result', async function () {
    expect(await succeed(42)).to.equal(42);
  });

  it('await of a Deferred fired later gives its result', async function () {
    const d = new Deferred<string>();
    setImmediate(() => d.callback('later'));
    expect(await d).to.equal('later');
  });

  it('await rethrows exactly the value thrown, whatever it is', async function () {
    for (const v of [new RangeError('r'), 'a string', null, undefined, 0]) {
      const d = succeed(1).addCallback(() => {
        throw v;
      });
      let caught: unknown = 'nothing';
      try {
        await d;
      } catch (e) {
        caught = e;
      }
      expect(caught).to.equal(v);
    }
  });

  it('then observes without consuming: the result stays on the Deferred, a failure is marked handled', async function () {
    const d = succeed(5);
    expect(await d).to.equal(5);
    expect(d.result).to.equal(5);
    const e = fail(new RangeError('x'));
    await e.then(
      () => undefined,
      () => undefined,
    );
    const f = e.result as Failure;
    expect(f).to.be.instanceOf(Failure);
    expect(f.handled).to.equal(true);
    expect(e._debugInfo?.failResult ?? null).to.equal(null);
  });

  it('then sees the result where the chain was when then was called; later callbacks are not seen', async function () {
    const d = new Deferred<number>();
    const p = d.then((v) => v);
    d.addCallback((v) => v * 10);
    d.callback(1);
    expect(await p).to.equal(1);
    expect(d.result).to.equal(10);
  });

  it('then callbacks run asynchronously, never inside callback()', async function () {
    const d = new Deferred<number>();
    const seen: number[] = [];
    void d.then((v) => seen.push(v));
    d.callback(3);
    expect(seen).to.deep.equal([]);
    await tick();
    expect(seen).to.deep.equal([3]);
  });

  it('several thens each get the same value, in registration order', async function () {
    const d = new Deferred<string>();
    const order: string[] = [];
    const a = d.then((v) => order.push('a' + v));
    const b = d.then((v) => order.push('b' + v));
    d.callback('!');
    await Promise.all([a, b]);
    expect(order).to.deep.equal(['a!', 'b!']);
  });

  it('a paused Deferred settles the promise only when unpaused', async function () {
    const d = succeed(1);
    d.pause();
    let settled = false;
    const p = d.then(() => {
      settled = true;
    });
    await tick();
    expect(settled).to.equal(false);
    d.unpause();
    await p;
    expect(settled).to.equal(true);
  });

  it('asPromise resolves with the value / rejects with the failure value, leaving the Deferred as it was', async function () {
    const d = succeed('v');
    expect(await d.asPromise()).to.equal('v');
    expect(d.result).to.equal('v');
    const err = new RangeError('no');
    const e = fail(err);
    let caught: unknown = null;
    await e.asPromise().catch((x: unknown) => {
      caught = x;
    });
    expect(caught).to.equal(err);
  });

  it('Promise.all and Promise.race accept Deferreds', async function () {
    expect(await Promise.all([succeed(1), Promise.resolve(2), succeed(3)])).to.deep.equal([1, 2, 3]);
    const slow = new Deferred<string>();
    expect(await Promise.race([slow, succeed('fast')])).to.equal('fast');
  });
});

describe('Deferred.fromPromise', function () {
  it('fires with the promise value after it resolves', async function () {
    const d = Deferred.fromPromise(Promise.resolve(7));
    expect(d.called).to.equal(false);
    await tick();
    expect(successOf(d)).to.equal(7);
  });

  it('fails with the rejection reason, as is', async function () {
    const reason = { not: 'an error' };
    const d = Deferred.fromPromise(Promise.reject(reason));
    await tick();
    expect(failureOf(d).value).to.equal(reason);
  });

  it('accepts any thenable', async function () {
    const d = Deferred.fromPromise({ then: (ok: (v: number) => void) => ok(9) } as unknown as PromiseLike<number>);
    await tick();
    expect(successOf(d)).to.equal(9);
  });

  it('cancelling fails it with CancelledError at once and ignores the later outcome', async function () {
    let resolve!: (v: number) => void;
    const p = new Promise<number>((r) => {
      resolve = r;
    });
    const d = Deferred.fromPromise(p);
    d.cancel();
    failureOf(d, CancelledError);
    resolve(1);
    await tick();
    failureOf(d, CancelledError);
  });

  it('returns a Deferred as it is, and refuses a non-thenable with NotAPromiseError', function () {
    const d = succeed(1);
    expect(Deferred.fromPromise(d)).to.equal(d);
    expect(() => Deferred.fromPromise(42 as never)).to.throw(NotAPromiseError, /Promise or another thenable/);
    expect(() => Deferred.fromPromise(null as never)).to.throw(NotAPromiseError);
  });
});

describe('AwaitTests', function () {
  it('test_basic: an async function awaiting a Deferred gets its result', async function () {
    const d = new Deferred<number>();
    const run = (async () => {
      const r = await d;
      return r + 1;
    })();
    d.callback(1);
    expect(await run).to.equal(2);
  });

  it('test_exception: a failing Deferred throws into the awaiting function, which can catch it', async function () {
    const run = (async () => {
      try {
        await fail(new RangeError('oh no'));
        return 'not reached';
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(await run).to.equal('oh no');
  });

  it('test_twoDeep: an async function awaiting a Deferred that waits on an async function', async function () {
    const inner = async (): Promise<string> => {
      await new Promise((r) => setImmediate(r));
      return 'deep';
    };
    const d = succeed(0).addCallback(() => inner());
    const run = (async () => (await d) + '!')();
    expect(await run).to.equal('deep!');
  });

  it('test_reraise: an error rethrown from an async function fails the Deferred made from it', async function () {
    const d = Deferred.fromPromise(
      (async () => {
        try {
          await fail(new RangeError('first'));
        } catch (e) {
          (e as Error).message += ' (seen)';
          throw e;
        }
      })(),
    );
    await tick();
    expect((failureOf(d, RangeError).value as Error).message).to.equal('first (seen)');
  });

  it('test_chained: a Deferred chained on another is awaited through', async function () {
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    a.chainDeferred(b);
    const run = (async () => await b)();
    a.callback(11);
    expect(await run).to.equal(11);
  });
});
