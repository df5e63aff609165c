// Benchmarks for lib/defer's extras: DeferredList, gatherResults, inlineCallbacks, DeferredLock,
// DeferredQueue, each beside native-Promise (or plain-array) baselines measured in the same run.
// The same cases on Twisted/CPython: bench/python/extras_bench.py.
import {
  Deferred,
  DeferredList,
  DeferredLock,
  DeferredQueue,
  gatherResults,
  inlineCallbacks,
  succeed,
} from '../lib/defer/index.js';
import type { BenchCase, BenchGroup } from './harness.js';

const N = 100_000;

// Inputs made once: a fired Deferred given to a DeferredList keeps its result (the list's
// callback passes it on), and a settled promise can be awaited again, so each run sees the same
// inputs and only the collecting is timed (as in Twisted's baseline script).
const fired: Deferred<number>[] = [];
const resolved: Promise<number>[] = [];
for (let i = 0; i < N; i++) {
  fired.push(succeed(i));
  resolved.push(Promise.resolve(i));
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`bench self-check failed: ${what}`);
}

const icbFired = inlineCallbacks(function* (n: number) {
  let total = 0;
  // A fresh fired Deferred per yield: yielding consumes a Deferred's result (it is left undefined).
  for (let i = 0; i < n; i++) total += (yield succeed(i)) as number;
  return total;
});

const icbPlain = inlineCallbacks(function* (n: number) {
  let total = 0;
  for (let i = 0; i < n; i++) total += (yield i) as number;
  return total;
});

async function asyncAwaitValues(n: number): Promise<number> {
  let total = 0;
  for (let i = 0; i < n; i++) total += await i;
  return total;
}

async function asyncAwaitResolved(n: number): Promise<number> {
  let total = 0;
  for (let i = 0; i < n; i++) total += await resolved[i];
  return total;
}

function* plainGenerator(n: number): Generator<number, number, number> {
  let total = 0;
  for (let i = 0; i < n; i++) total += yield i;
  return total;
}

const expectedSum = (N * (N - 1)) / 2;

/** The baseline of the lock cases: a mutex made of one promise chain. */
const promiseMutex: BenchCase = {
  name: 'promise-chain mutex: prev = prev.then(f) x N',
  ops: N,
  fn: async () => {
    let count = 0;
    const f = (): void => {
      count++;
    };
    let prev: Promise<void> = Promise.resolve();
    for (let i = 0; i < N; i++) prev = prev.then(f);
    await prev;
    check(count === N, 'promise mutex');
  },
};

export const groups: BenchGroup[] = [
  {
    name: 'DeferredList of 100,000 fired Deferreds (per item)',
    subject: {
      name: 'new DeferredList(fired)',
      ops: N,
      fn: () => {
        const dl = new DeferredList(fired);
        check((dl.result as unknown[]).length === N, 'DeferredList length');
      },
    },
    baselines: [
      { name: 'await Promise.allSettled(resolved)', ops: N, fn: async () => check((await Promise.allSettled(resolved)).length === N, 'allSettled') },
      { name: 'await Promise.all(resolved)', ops: N, fn: async () => check((await Promise.all(resolved)).length === N, 'all') },
    ],
    note: 'Twisted 22.4 on CPython: see bench/python/extras_bench.py',
  },
  {
    name: 'gatherResults of 100,000 fired Deferreds (per item)',
    subject: {
      name: 'gatherResults(fired)',
      ops: N,
      fn: () => {
        const d = gatherResults(fired);
        check((d.result as number[])[N - 1] === N - 1, 'gatherResults');
      },
    },
    baselines: [
      { name: 'await Promise.all(resolved)', ops: N, fn: async () => check((await Promise.all(resolved))[N - 1] === N - 1, 'all') },
      { name: 'await Promise.allSettled(resolved)', ops: N, fn: async () => check((await Promise.allSettled(resolved)).length === N, 'allSettled') },
    ],
  },  {
    name: 'gatherResults of 100,000 fired Deferreds made in the run with succeed(i) (per item)',
    subject: {
      name: 'succeed(i) x N, gatherResults',
      ops: N,
      fn: () => {
        const ds = new Array<Deferred<number>>(N);
        for (let i = 0; i < N; i++) ds[i] = succeed(i);
        const d = gatherResults(ds);
        check((d.result as number[])[N - 1] === N - 1, 'gatherResults made');
      },
    },
    baselines: [
      {
        name: 'Promise.resolve(i) x N, await Promise.all',
        ops: N,
        fn: async () => {
          const ps = new Array<Promise<number>>(N);
          for (let i = 0; i < N; i++) ps[i] = Promise.resolve(i);
          check((await Promise.all(ps))[N - 1] === N - 1, 'all made');
        },
      },
    ],
  },
  {
    name: 'DeferredList of 100,000 pending Deferreds, made and fired in the run (per item)',
    subject: {
      name: 'new Deferred x N, DeferredList, callback each',
      ops: N,
      fn: () => {
        const ds: Deferred<number>[] = new Array(N);
        for (let i = 0; i < N; i++) ds[i] = new Deferred<number>();
        const dl = new DeferredList(ds);
        for (let i = 0; i < N; i++) ds[i].callback(i);
        check((dl.result as unknown[]).length === N, 'pending DeferredList');
      },
    },
    baselines: [
      {
        name: 'Promise.withResolvers-style x N, allSettled, resolve each',
        ops: N,
        fn: async () => {
          const resolvers: ((v: number) => void)[] = new Array(N);
          const ps: Promise<number>[] = new Array(N);
          for (let i = 0; i < N; i++) ps[i] = new Promise<number>((r) => (resolvers[i] = r));
          const all = Promise.allSettled(ps);
          for (let i = 0; i < N; i++) resolvers[i](i);
          check((await all).length === N, 'pending allSettled');
        },
      },
    ],
  },
  {
    name: 'inlineCallbacks: 100,000 yields of fired Deferreds, succeed(i) made in the loop (per yield)',
    subject: {
      name: 'inlineCallbacks yield fired Deferred',
      ops: N,
      fn: () => check(icbFired(N).result === expectedSum, 'icb fired'),
    },
    baselines: [
      { name: 'async function: await a plain value', ops: N, fn: async () => check((await asyncAwaitValues(N)) === expectedSum, 'await values') },
      { name: 'async function: await a resolved Promise', ops: N, fn: async () => check((await asyncAwaitResolved(N)) === expectedSum, 'await resolved') },
      {
        name: 'bare generator driven by a for loop',
        ops: N,
        fn: () => {
          const g = plainGenerator(N);
          let r = g.next(0);
          while (r.done !== true) r = g.next(r.value);
          check(r.value === expectedSum, 'bare generator');
        },
      },
    ],
  },
  {
    name: 'inlineCallbacks: 100,000 yields of plain values (per yield)',
    subject: {
      name: 'inlineCallbacks yield plain value',
      ops: N,
      fn: () => check(icbPlain(N).result === expectedSum, 'icb plain'),
    },
    baselines: [{ name: 'async function: await a plain value', ops: N, fn: async () => check((await asyncAwaitValues(N)) === expectedSum, 'await values') }],
  },
  {
    name: 'DeferredLock: 100,000 run() queued behind a held lock, then released (per run)',
    subject: {
      name: 'lock.run(f) x N, release',
      ops: N,
      fn: () => {
        const lock = new DeferredLock();
        lock.acquire();
        let count = 0;
        const f = (): void => {
          count++;
        };
        for (let i = 0; i < N; i++) lock.run(f);
        lock.release();
        check(count === N && !lock.locked, 'lock');
      },
    },
    baselines: [
      promiseMutex,
    ],
    paired: true, // both sides keep 100,000 waiters alive: their cost swings with the collector's state
    note: 'Twisted 22.4 overflows the stack here at about 120 waiters',
  },
  {
    name: 'DeferredLock: 100 run() queued then released, 1,000 times (per run)',
    subject: {
      name: '(lock.run(f) x 100, release) x 1,000',
      ops: N,
      fn: () => {
        let count = 0;
        const f = (): void => {
          count++;
        };
        for (let k = 0; k < N / 100; k++) {
          const lock = new DeferredLock();
          lock.acquire();
          for (let i = 0; i < 100; i++) lock.run(f);
          lock.release();
        }
        check(count === N, 'lock x100');
      },
    },
    baselines: [
      promiseMutex,
    ],
    note: 'the largest contended case Twisted 22.4 survives; bench/python/extras_bench.py has the same',
  },
  {
    name: 'DeferredLock: run(f) on a free lock, 100,000 times (per run)',
    subject: {
      name: 'lock.run(f) x N, uncontended',
      ops: N,
      fn: () => {
        const lock = new DeferredLock();
        let count = 0;
        const f = (): void => {
          count++;
        };
        for (let i = 0; i < N; i++) lock.run(f);
        check(count === N && !lock.locked, 'free lock');
      },
    },
    baselines: [
      promiseMutex,
    ],
  },
  {
    name: 'DeferredQueue: 100,000 puts, then 100,000 gets (per item)',
    subject: {
      name: 'q.put x N, q.get x N',
      ops: N,
      fn: () => {
        const q = new DeferredQueue<number>();
        for (let i = 0; i < N; i++) q.put(i);
        let last: unknown;
        for (let i = 0; i < N; i++) last = q.get().result;
        check(last === N - 1, 'queue put/get');
      },
    },
    baselines: [
      {
        name: 'plain array push x N, read by index x N',
        ops: N,
        fn: () => {
          const a: number[] = [];
          for (let i = 0; i < N; i++) a.push(i);
          let last = -1;
          for (let i = 0; i < N; i++) last = a[i];
          check(last === N - 1, 'array');
        },
      },
    ],
  },
  {
    name: 'DeferredQueue: get then put, 100,000 times (waiting path, per item)',
    subject: {
      name: 'q.get(), q.put(i) x N',
      ops: N,
      fn: () => {
        const q = new DeferredQueue<number>();
        let total = 0;
        const add = (v: number): void => {
          total += v;
        };
        for (let i = 0; i < N; i++) {
          q.get().addCallback(add);
          q.put(i);
        }
        check(total === expectedSum, 'queue waiting path');
      },
    },
    baselines: [
      {
        name: 'new Promise + resolve + then, N times',
        ops: N,
        fn: async () => {
          let total = 0;
          const add = (v: number): void => {
            total += v;
          };
          let last: Promise<void> = Promise.resolve();
          for (let i = 0; i < N; i++) {
            let resolve!: (v: number) => void;
            const p = new Promise<number>((r) => (resolve = r));
            last = p.then(add);
            resolve(i);
          }
          await last;
          check(total === expectedSum, 'promise waiting path');
        },
      },
    ],
  },
];
