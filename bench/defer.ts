// Benchmarks of the Deferred core (lib/defer/deferred.ts, callbackLoop.ts), each beside a native Promise and a
// plain array-of-functions loop measured in the same run. The same cases on Twisted/CPython are
// in bench/python/defer_bench.py. Targets (issue 2): a callback on a fired chain costs at most
// 2x the plain loop and at least 3x less than `.then`; throw/recover per-step cost stays flat.
// The await groups put `await d` beside `await` of a native promise in the same state.
import { Deferred, fail, succeed } from '../lib/defer/index.js';
import type { BenchGroup } from './harness.js';

const inc = (x: number): number => x + 1;

const prebuiltArrays = new Map<number, ((x: number) => number)[]>();
/** An array of n `inc`s, built once, outside the timed region. */
function prebuilt(n: number): ((x: number) => number)[] {
  let a = prebuiltArrays.get(n);
  if (a === undefined) {
    a = new Array<(x: number) => number>(n).fill(inc);
    prebuiltArrays.set(n, a);
  }
  return a;
}

function firedChain(n: number): BenchGroup {
  return {
    name: `defer: ${n.toLocaleString('en-US')} addCallback on a fired Deferred (per callback)`,
    subject: {
      name: 'twistless succeed(0) + addCallback(inc)',
      ops: n,
      fn: () => {
        const d = succeed(0);
        for (let i = 0; i < n; i++) d.addCallback(inc);
        if (d.result !== n) throw new Error('wrong result');
      },
    },
    baselines: [
      {
        name: 'plain loop: push fns, then call each',
        ops: n,
        fn: () => {
          const fns: ((x: number) => number)[] = [];
          for (let i = 0; i < n; i++) fns.push(inc);
          let v = 0;
          for (let i = 0; i < fns.length; i++) v = fns[i](v);
          if (v !== n) throw new Error('wrong result');
        },
      },
      {
        name: 'plain loop, prebuilt array (calls only, inlined)',
        ops: n,
        fn: () => {
          const fns = prebuilt(n);
          let v = 0;
          for (let i = 0; i < fns.length; i++) v = fns[i](v);
          if (v !== n) throw new Error('wrong result');
        },
      },
      {
        name: 'native Promise.resolve(0).then(inc)...',
        ops: n,
        fn: async () => {
          let p: Promise<number> = Promise.resolve(0);
          for (let i = 0; i < n; i++) p = p.then(inc);
          if ((await p) !== n) throw new Error('wrong result');
        },
      },
    ],
    note: 'target: <= 2x the plain loop, >= 3x faster than .then',
  };
}

function unfiredChain(n: number): BenchGroup {
  return {
    name: `defer: ${n.toLocaleString('en-US')} callbacks added, then callback() (per callback)`,
    subject: {
      name: 'twistless new Deferred, addCallback x n, callback(0)',
      ops: n,
      fn: () => {
        const d = new Deferred<number>();
        for (let i = 0; i < n; i++) d.addCallback(inc);
        d.callback(0);
        if (d.result !== n) throw new Error('wrong result');
      },
    },
    baselines: [
      {
        name: 'plain loop: push fns, then call each',
        ops: n,
        fn: () => {
          const fns: ((x: number) => number)[] = [];
          for (let i = 0; i < n; i++) fns.push(inc);
          let v = 0;
          for (let i = 0; i < fns.length; i++) v = fns[i](v);
          if (v !== n) throw new Error('wrong result');
        },
      },
      {
        name: 'native new Promise, .then x n, resolve(0)',
        ops: n,
        fn: async () => {
          let resolve!: (v: number) => void;
          const p0 = new Promise<number>((r) => {
            resolve = r;
          });
          let p = p0;
          for (let i = 0; i < n; i++) p = p.then(inc);
          resolve(0);
          if ((await p) !== n) throw new Error('wrong result');
        },
      },
    ],
  };
}

function nested(n: number): BenchGroup {
  return {
    name: `defer: ${n.toLocaleString('en-US')} nested chained Deferreds (per level)`,
    subject: {
      name: 'twistless ds[i] callback returns ds[i+1]',
      ops: n,
      fn: () => {
        const ds: Deferred<number>[] = [];
        for (let i = 0; i < n; i++) ds.push(new Deferred<number>());
        for (let i = 0; i < n - 1; i++) {
          const next = ds[i + 1];
          ds[i].addCallback(() => next);
        }
        for (let i = 0; i < n - 1; i++) ds[i].callback(0);
        ds[n - 1].callback(1);
        if (ds[0].result !== 1) throw new Error('wrong result');
      },
    },
    baselines: [
      {
        name: 'plain loop: n closures, value climbs them',
        ops: n,
        fn: () => {
          const fns: ((x: number) => number)[] = [];
          for (let i = 0; i < n; i++) fns.push((x: number) => x);
          let v = 1;
          for (let i = n - 1; i >= 0; i--) v = fns[i](v);
          if (v !== 1) throw new Error('wrong result');
        },
      },
      {
        name: 'native: ps[i] resolves with ps[i+1]',
        ops: n,
        fn: async () => {
          const resolvers: ((v: number | Promise<number>) => void)[] = [];
          const ps: Promise<number>[] = [];
          for (let i = 0; i < n; i++) ps.push(new Promise<number>((r) => resolvers.push(r)));
          for (let i = 0; i < n - 1; i++) resolvers[i](ps[i + 1]);
          resolvers[n - 1](1);
          if ((await ps[0]) !== 1) throw new Error('wrong result');
        },
      },
    ],
  };
}

function throwRecover(n: number): BenchGroup {
  const boom = (): number => {
    throw new Error('boom');
  };
  const recover = (): number => 1;
  return {
    name: `defer: alternating throw/recover chain, ${n.toLocaleString('en-US')} steps (per step)`,
    subject: {
      name: 'twistless addCallback(throw) / addErrback(recover)',
      ops: n,
      fn: () => {
        const d = new Deferred<number>();
        for (let i = 0; i < n; i += 2) {
          d.addCallback(boom);
          d.addErrback(recover);
        }
        d.callback(0);
        if (d.result !== 1) throw new Error('wrong result');
      },
    },
    baselines: [
      {
        name: 'plain loop: try { throw } catch { recover }',
        ops: n,
        fn: () => {
          let v = 0;
          for (let i = 0; i < n; i += 2) {
            try {
              v = boom();
            } catch {
              v = recover();
            }
          }
          if (v !== 1) throw new Error('wrong result');
        },
      },
      {
        name: 'native .then(throw).catch(recover)',
        ops: n,
        fn: async () => {
          let resolve!: (v: number) => void;
          let p = new Promise<number>((r) => {
            resolve = r;
          });
          for (let i = 0; i < n; i += 2) p = p.then(boom).catch(recover);
          resolve(0);
          if ((await p) !== 1) throw new Error('wrong result');
        },
      },
    ],
    note: 'per-step cost should stay flat from 1,000 to 100,000 steps',
  };
}

const AWAITS = 10000;

function awaitUnfired(n: number): BenchGroup {
  return {
    name: `defer: await of an unfired Deferred fired a microtask later, ${n.toLocaleString('en-US')} awaits (per await)`,
    subject: {
      name: 'twistless new Deferred, fired from a microtask',
      ops: n,
      fn: async () => {
        let sum = 0;
        for (let i = 0; i < n; i++) {
          const d = new Deferred<number>();
          queueMicrotask(() => d.callback(1));
          sum += await d;
        }
        if (sum !== n) throw new Error('wrong result');
      },
    },
    baselines: [
      {
        name: 'native new Promise, resolved from a microtask',
        ops: n,
        fn: async () => {
          let sum = 0;
          for (let i = 0; i < n; i++) {
            let resolve!: (v: number) => void;
            const p = new Promise<number>((r) => {
              resolve = r;
            });
            queueMicrotask(() => resolve(1));
            sum += await p;
          }
          if (sum !== n) throw new Error('wrong result');
        },
      },
    ],
  };
}

function awaitFired(n: number): BenchGroup {
  return {
    name: `defer: await of a fired Deferred, ${n.toLocaleString('en-US')} awaits (per await)`,
    subject: {
      name: 'twistless await succeed(1) (one Deferred)',
      ops: n,
      fn: async () => {
        const d = succeed(1);
        let sum = 0;
        for (let i = 0; i < n; i++) sum += await d;
        if (sum !== n) throw new Error('wrong result');
      },
    },
    baselines: [
      {
        name: 'native await Promise.resolve(1) (one promise)',
        ops: n,
        fn: async () => {
          const p = Promise.resolve(1);
          let sum = 0;
          for (let i = 0; i < n; i++) sum += await p;
          if (sum !== n) throw new Error('wrong result');
        },
      },
    ],
  };
}

function awaitFailed(n: number): BenchGroup {
  const err = new Error('boom');
  return {
    name: `defer: await of a failed Deferred in try/catch, ${n.toLocaleString('en-US')} awaits (per await)`,
    subject: {
      name: 'twistless await fail(err) (one Deferred)',
      ops: n,
      fn: async () => {
        const d = fail(err);
        let caught = 0;
        for (let i = 0; i < n; i++) {
          try {
            await d;
          } catch {
            caught++;
          }
        }
        if (caught !== n) throw new Error('wrong result');
      },
    },
    baselines: [
      {
        name: 'native await Promise.reject(err)',
        ops: n,
        fn: async () => {
          let caught = 0;
          for (let i = 0; i < n; i++) {
            try {
              await Promise.reject(err);
            } catch {
              caught++;
            }
          }
          if (caught !== n) throw new Error('wrong result');
        },
      },
    ],
  };
}

export const groups: BenchGroup[] = [
  firedChain(100000),
  unfiredChain(100000),
  nested(10000),
  throwRecover(1000),
  throwRecover(10000),
  throwRecover(100000),
  awaitUnfired(AWAITS),
  awaitFired(AWAITS),
  awaitFailed(AWAITS),
];
