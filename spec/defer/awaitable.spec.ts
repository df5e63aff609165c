// Deferred as a thenable: then/await, asPromise, fromPromise, and the Promises/A+ compliance
// suite (npm promises-aplus-tests, embedded in this mocha run). The AwaitTests block adapts
// twisted/internet/test/test_defer_await.py (Twisted 22.4), whose coroutine `await` becomes
// JavaScript's `await` on a thenable Deferred.
import { expect } from 'chai';
import fc from 'fast-check';
import { CancelledError, Deferred, fail, NotAPromiseError, succeed } from '../../lib/defer/index.js';
import { Failure, isFailure } from '../../lib/failure/index.js';
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

  it('a thenable given to callback() stays the result: await adopts it (JavaScript), the chain does not', async function () {
    const thenable = { then: (resolve: (v: number) => void) => resolve(5) };
    const d = new Deferred<unknown>();
    d.callback(thenable);
    expect(await d).to.equal(5);
    expect(d.result).to.equal(thenable);
    const seen: unknown[] = [];
    d.addCallback((r: unknown) => seen.push(r));
    expect(seen).to.deep.equal([thenable]);
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

// `then` and `asPromise` have their own paths (a fast one for a fired, idle Deferred holding a
// primitive or a Failure; an observer entry in the queue otherwise). The reference below is the
// plain construction they replace, built from public calls: a native Promise settled by an
// addCallbacks pair that passes the result on unchanged. Both must give the same calls, in the
// same order (between thens, callbacks and other microtasks), and leave the same result.
function referenceAsPromise(d: Deferred<unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    d.addCallbacks(
      (v) => {
        resolve(v);
        return v;
      },
      (f) => {
        f.handled = true;
        reject(f.value);
        return f;
      },
    );
  });
}

type ThenOp =
  | { op: 'then' | 'asPromise' | 'native' | 'micro' | 'macro' | 'pause' | 'unpause' | 'fire' | 'fail' }
  | { op: 'add'; does: 'inc' | 'object' | 'throw' | 'recover' | 'firedDeferred' | 'laterDeferred' | 'thenable' };

const thenOpArb: fc.Arbitrary<ThenOp> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<ThenOp>({ op: 'then' }, { op: 'asPromise' }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('add' as const),
      does: fc.constantFrom('inc' as const, 'object' as const, 'throw' as const, 'recover' as const, 'firedDeferred' as const, 'laterDeferred' as const, 'thenable' as const),
    }),
  },
  { weight: 3, arbitrary: fc.constantFrom<ThenOp>({ op: 'native' }, { op: 'micro' }, { op: 'macro' }) },
  { weight: 2, arbitrary: fc.constantFrom<ThenOp>({ op: 'pause' }, { op: 'unpause' }, { op: 'fire' }, { op: 'fail' }) },
);

function show(v: unknown): string {
  if (isFailure(v)) return `!${String((v.value as Error).message)}${v.handled ? '(handled)' : ''}`;
  if (v instanceof Deferred) return 'D';
  if (typeof v === 'object' && v !== null) return `{${String((v as { n?: unknown }).n)}}`;
  return String(v);
}

/** Run `ops` on a new Deferred, observing it with `observe` (the real then, or the reference). */
async function runThenProgram(ops: ThenOp[], real: boolean): Promise<string[]> {
  const log: string[] = [];
  const d = new Deferred<unknown>();
  let pauses = 0;
  const observe = (k: number, viaThen: boolean): void => {
    const onF = (v: unknown): void => void log.push(`t${k}:${show(v)}`);
    const onR = (e: unknown): void => void log.push(`t${k}!${(e as Error).message}`);
    if (!real) void referenceAsPromise(d).then(onF, onR);
    else if (viaThen) void d.then(onF, onR);
    else void d.asPromise().then(onF, onR);
  };
  for (let k = 0; k < ops.length; k++) {
    const o = ops[k];
    switch (o.op) {
      case 'then':
      case 'asPromise':
        observe(k, o.op === 'then');
        break;
      case 'native':
        void Promise.resolve().then(() => log.push(`n${k}`));
        break;
      case 'micro':
        await null;
        break;
      case 'macro':
        await tick();
        break;
      case 'pause':
        d.pause();
        pauses++;
        break;
      case 'unpause':
        if (pauses > 0) {
          pauses--;
          d.unpause();
        }
        break;
      case 'fire':
      case 'fail':
        if (!d.called) {
          if (o.op === 'fire') d.callback(0);
          else d.errback(new Error(`e${k}`));
        }
        break;
      case 'add':
        d.addBoth((r: unknown) => {
          log.push(`c${k}:${show(r)}`);
          switch (o.does) {
            case 'inc':
              return typeof r === 'number' ? r + 1 : 1;
            case 'object':
              return { n: k };
            case 'throw':
              throw new Error(`e${k}`);
            case 'recover':
              return isFailure(r) ? `r${k}` : r;
            case 'firedDeferred':
              return succeed(`f${k}`);
            case 'laterDeferred': {
              const inner = new Deferred<string>();
              queueMicrotask(() => inner.callback(`l${k}`));
              return inner;
            }
            case 'thenable':
              return Promise.resolve(`p${k}`);
          }
        });
        break;
    }
  }
  while (pauses > 0) {
    pauses--;
    d.unpause();
  }
  if (!d.called) d.callback(0);
  await tick();
  await tick();
  log.push(`end:${show(d.result)}`);
  if (isFailure(d.result)) d.result.handled = true; // not reported by the GC later in the run
  return log;
}

describe('Deferred.then / asPromise against the plain construction they replace', function () {
  it('any mix of thens, callbacks, pauses, firing and other microtasks gives the same calls in the same order', async function () {
    await fc.assert(
      fc.asyncProperty(fc.array(thenOpArb, { maxLength: 14 }), async (ops) => {
        const real = await runThenProgram(ops, true);
        const reference = await runThenProgram(ops, false);
        expect(real).to.deep.equal(reference);
      }),
      { numRuns: 250 },
    );
  });

  it('then on a fired Deferred and on one fired later call their handlers in registration order, between callbacks added later', async function () {
    for (const firedFirst of [true, false]) {
      const log: string[] = [];
      const d = firedFirst ? succeed(1) : new Deferred<number>();
      void d.then((v) => log.push(`a${v}`));
      d.addCallback((v) => v + 1);
      void d.then((v) => log.push(`b${v}`));
      void Promise.resolve().then(() => log.push('native'));
      d.addCallback((v) => v + 1);
      void d.then((v) => log.push(`c${v}`));
      if (!firedFirst) d.callback(1);
      await tick();
      // Fired first: each then settles as it is called, before the native reaction; fired later,
      // all three settle inside callback(), after it.
      expect(log).to.deep.equal(firedFirst ? ['a1', 'b2', 'native', 'c3'] : ['native', 'a1', 'b2', 'c3']);
      expect(d.result).to.equal(3);
    }
  });

  it('then on a fired failing Deferred rejects, marks the Failure handled and leaves it the result; later errbacks still see it', async function () {
    const err = new RangeError('r');
    const d = fail(err);
    const seen: unknown[] = [];
    const p = d.then(
      () => 'not reached',
      (e: unknown) => e,
    );
    expect((d.result as Failure).handled).to.equal(true);
    d.addErrback((f) => {
      seen.push(f.value);
      return 'recovered';
    });
    expect(await p).to.equal(err);
    expect(seen).to.deep.equal([err]);
    expect(d.result).to.equal('recovered');
  });

  it('then on a fired Deferred holding an object settles with that very object, and the result stays', async function () {
    const o = { n: 1 };
    const d = succeed(o);
    expect(await d).to.equal(o);
    expect(d.result).to.equal(o);
  });

  it('then on a paused, fired Deferred waits for unpause, then keeps its place among the callbacks', async function () {
    const log: string[] = [];
    const d = succeed(1);
    d.pause();
    void d.then((v) => log.push(`a${v}`));
    d.addCallback((v) => v + 1);
    void d.then((v) => log.push(`b${v}`));
    await tick();
    expect(log).to.deep.equal([]);
    d.unpause();
    await tick();
    expect(log).to.deep.equal(['a1', 'b2']);
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

  it('passes its thenable two unnamed handlers: only the first call counts, a throw after it is ignored', async function () {
    // Unnamed: handlers written as `const onFulfilled = ...` get an Object.defineProperty each
    // under a transform with keepNames (tsx), which made fromPromise several times slower.
    let names: string[] = [];
    const d = Deferred.fromPromise({
      then(ok: (v: number) => void, no: (e: unknown) => void) {
        names = [ok.name, no.name];
        ok(1);
        no(new Error('ignored'));
        ok(2);
        throw new Error('ignored too');
      },
    } as unknown as PromiseLike<number>);
    expect(names).to.deep.equal(['', '']);
    expect(successOf(d)).to.equal(1);
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
