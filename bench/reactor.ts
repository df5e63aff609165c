// Benchmarks for lib/reactor and the Clock of lib/task: the timer heap under the real reactor
// (beside Node's own timers, in the same run) and under Clock (beside a plain array-of-functions
// loop). The same Clock cases for Twisted 22.4's Clock under CPython: bench/python/clock_bench.py.
import { Reactor } from '../lib/reactor/index.js';
import { Clock } from '../lib/task/index.js';
import type { BenchGroup } from './harness.js';

const N = 100_000;
const PENDING = 10_000;

let sink = 0;
function tick(): void {
  sink++;
}

const real = new Reactor();

/** Schedule N reactor calls due now and resolve when the last one has run. */
function reactorFire(): Promise<void> {
  return new Promise<void>((resolve) => {
    for (let i = 1; i < N; i++) real.callLater(0, tick);
    real.callLater(0, resolve);
  });
}

/** The same with N setTimeout(fn, 0) calls. */
function setTimeoutFire(): Promise<void> {
  return new Promise<void>((resolve) => {
    for (let i = 1; i < N; i++) setTimeout(tick, 0);
    setTimeout(resolve, 0);
  });
}

/** The same with N setImmediate calls (Node's cheapest "later"). */
function setImmediateFire(): Promise<void> {
  return new Promise<void>((resolve) => {
    for (let i = 1; i < N; i++) setImmediate(tick);
    setImmediate(resolve);
  });
}

/**
 * N reactor calls cycling over `k` distinct delays spread over 0 to 9 ms; resolves when all ran.
 * Node keeps one list per duration; the reactor keeps one timer for everything.
 */
function reactorMixed(k: number): () => Promise<void> {
  const step = k === 1 ? 0 : 9 / (k - 1) / 1000;
  return () =>
    new Promise<void>((resolve) => {
      let left = N;
      const done = (): void => {
        if (--left === 0) resolve();
      };
      for (let i = 0; i < N; i++) real.callLater((i % k) * step, done);
    });
}

/** The same with setTimeout over the same delays (in ms). */
function setTimeoutMixed(k: number): () => Promise<void> {
  const step = k === 1 ? 0 : 9 / (k - 1);
  return () =>
    new Promise<void>((resolve) => {
      let left = N;
      const done = (): void => {
        if (--left === 0) resolve();
      };
      for (let i = 0; i < N; i++) setTimeout(done, (i % k) * step);
    });
}

/** PENDING calls far in the future, N reset()s to scattered times, then cancel them all. */
function reactorResets(): void {
  const calls = [];
  for (let i = 0; i < PENDING; i++) calls.push(real.callLater(1000 + i, tick));
  for (let i = 0; i < N; i++) calls[(i * 7919) % PENDING].reset(1000 + ((i * 104729) % 5000));
  for (let i = 0; i < PENDING; i++) calls[i].cancel();
}

/** PENDING Node timers far in the future, N refresh()es (Node's reset), then clear them all. */
function nodeRefreshes(): void {
  const timers = [];
  for (let i = 0; i < PENDING; i++) timers.push(setTimeout(tick, 1_000_000 + i));
  for (let i = 0; i < N; i++) timers[(i * 7919) % PENDING].refresh();
  for (let i = 0; i < PENDING; i++) clearTimeout(timers[i]);
}

/** Twisted's bench case (f): callLater(1, f) then advance(1), N times. */
function clockInterleaved(): void {
  const clock = new Clock();
  for (let i = 0; i < N; i++) {
    clock.callLater(1, tick);
    clock.advance(1);
  }
}

/** Twisted's case (f') at full size: N callLater at distinct, scrambled times, then one advance. */
function clockBulk(n: number): () => void {
  return () => {
    const clock = new Clock();
    for (let i = 0; i < n; i++) clock.callLater((i * 7919) % n, tick);
    clock.advance(n);
  };
}

/** N callLater at scrambled times with many equal ones (`distinct` times, N / distinct calls each), then one advance. */
function clockBulkEqual(distinct: number): () => void {
  return () => {
    const clock = new Clock();
    for (let i = 0; i < N; i++) clock.callLater((i * 7919) % distinct, tick);
    clock.advance(distinct);
  };
}

/** Baseline: a plain array of functions, filled then run with a head index. */
function arrayLoop(): void {
  const fns: (() => void)[] = [];
  for (let i = 0; i < N; i++) fns.push(tick);
  for (let i = 0; i < fns.length; i++) fns[i]();
}

export const groups: BenchGroup[] = [
  {
    name: 'reactor.callLater: 100,000 calls due now, fired on the loop',
    paired: true, // setTimeout's cost swings with the collector's state (docs/performance.md)
    subject: { name: 'twistless reactor.callLater(0, f) x 100,000', ops: N, fn: reactorFire },
    baselines: [
      { name: 'setTimeout(f, 0) x 100,000', ops: N, fn: setTimeoutFire },
      { name: 'setImmediate(f) x 100,000', ops: N, fn: setImmediateFire },
    ],
    note: 'target: no slower than setTimeout; one Node timer serves every reactor call',
  },
  {
    name: 'reactor.callLater with mixed delays: 100,000 calls over 10 distinct delays (0 to 9 ms), fired on the loop',
    paired: true, // setTimeout's cost swings with the collector's state (docs/performance.md)
    subject: { name: 'twistless reactor.callLater(d, f) x 100,000', ops: N, fn: reactorMixed(10) },
    baselines: [{ name: 'setTimeout(f, d) x 100,000', ops: N, fn: setTimeoutMixed(10) }],
    note: 'target: at most 1x setTimeout',
  },
  {
    name: 'reactor.callLater with mixed delays: 100,000 calls over 1,000 distinct delays (0 to 9 ms), fired on the loop',
    paired: true, // setTimeout's cost swings with the collector's state (docs/performance.md)
    subject: { name: 'twistless reactor.callLater(d, f) x 100,000', ops: N, fn: reactorMixed(1000) },
    baselines: [{ name: 'setTimeout(f, d) x 100,000', ops: N, fn: setTimeoutMixed(1000) }],
  },
  {
    name: 'reactor reset(): 100,000 resets among 10,000 pending calls',
    subject: { name: 'twistless DelayedCall.reset x 100,000', ops: N, fn: reactorResets },
    baselines: [{ name: 'Node Timeout.refresh() x 100,000', ops: N, fn: nodeRefreshes }],
    note: 'includes scheduling and cancelling the 10,000 calls/timers; reset is O(log n) in the heap',
  },
  {
    name: 'Clock: callLater(1) + advance(1), 100,000 times (Twisted case f)',
    subject: { name: 'twistless Clock', ops: N, fn: clockInterleaved },
    baselines: [{ name: 'plain array of functions, push then run', ops: N, fn: arrayLoop }],
    note: "Twisted 22.4's Clock under CPython: bench/python/clock_bench.py",
  },
  {
    name: "Clock: 100,000 callLater at scrambled times, then one advance (Twisted case f', full size)",
    subject: { name: 'twistless Clock', ops: N, fn: clockBulk(N) },
    baselines: [{ name: 'plain array of functions, push then run', ops: N, fn: arrayLoop }],
    note: "Twisted's Clock re-sorts per call (quadratic); bench/python/clock_bench.py runs this at 2,000 and 20,000",
  },
  {
    name: 'Clock: 100,000 callLater at scrambled times, 100 calls per time (1,000 distinct), then one advance',
    subject: { name: 'twistless Clock', ops: N, fn: clockBulkEqual(1000) },
    baselines: [{ name: 'plain array of functions, push then run', ops: N, fn: arrayLoop }],
    note: 'target: under 500 ns per call',
  },
  {
    name: 'Clock: 100,000 callLater at scrambled times, 10 calls per time (10,000 distinct), then one advance',
    subject: { name: 'twistless Clock', ops: N, fn: clockBulkEqual(10_000) },
    baselines: [{ name: 'plain array of functions, push then run', ops: N, fn: arrayLoop }],
    note: 'target: under 500 ns per call',
  },
  {
    name: "Clock: 2,000 callLater at scrambled times, then one advance (Twisted case f')",
    subject: { name: 'twistless Clock', ops: 2000, fn: clockBulk(2000) },
    baselines: [{ name: 'plain array of functions, push then run', ops: N, fn: arrayLoop }],
  },
  {
    name: "Clock: 20,000 callLater at scrambled times, then one advance (Twisted case f')",
    subject: { name: 'twistless Clock', ops: 20_000, fn: clockBulk(20_000) },
    baselines: [{ name: 'plain array of functions, push then run', ops: N, fn: arrayLoop }],
  },
];

export function _sink(): number {
  return sink;
}
