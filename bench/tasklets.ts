// Benchmarks of the tasklet scheduler and channels (lib/tasklets), each beside a bare `await
// null` loop and a bare promise hand-off ping-pong measured in the same run. Targets (issue 4):
// a channel message at most 1.5x the bare promise ping-pong, schedule() at most 2x `await null`.
// Stackless 3.7.5 on this kind of machine (docs/performance.md): schedule 61 ns, channel
// message 71 ns, create + run + finish 816 ns.
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as tasklets from '../lib/tasklets/index.js';
import type { Channel } from '../lib/tasklets/index.js';
import type { BenchCase, BenchGroup, BenchReport } from './harness.js';

// Read once: under tsx every use of an imported name is a chain of getters (esbuild's CommonJS
// re-exports, ~30 ns per call here) that neither the published ESM nor the CJS build has.
const { channel, run, schedule, tasklet } = tasklets;

/** `await null` n times: the cost of one microtask tick. */
function awaitNull(n: number): BenchCase {
  return {
    name: 'bare `await null` loop',
    ops: n,
    fn: async () => {
      for (let i = 0; i < n; i++) await null;
    },
  };
}

/**
 * Two async functions alternating n times by promise hand-off: each resolves the other's promise
 * and awaits a fresh one of its own (no scheduler, microtask order). One op is one hand-off.
 */
function handOff(n: number, name = 'bare promise hand-off ping-pong (per hand-off)'): BenchCase {
  return {
    name,
    ops: n,
    fn: async () => {
      let wakeA: () => void = () => undefined;
      let wakeB: () => void = () => undefined;
      const half = n >> 1;
      const a = async () => {
        for (let i = 0; i < half; i++) {
          const p = new Promise<void>((r) => (wakeA = r));
          wakeB();
          await p;
        }
        wakeB();
      };
      const b = async () => {
        for (let i = 0; i < half; i++) {
          const p = new Promise<void>((r) => (wakeB = r));
          wakeA();
          await p;
        }
        wakeA();
      };
      await Promise.all([b(), a()]);
    },
  };
}

/** A naive unbuffered promise channel: one message = a send hand-off and a receive hand-off. */
function handOffMessages(n: number): BenchCase {
  const c = handOff(2 * n, 'bare promise hand-off ping-pong (two hand-offs = one message)');
  return { name: c.name, ops: n, fn: c.fn };
}

const N = 100_000;

const scheduleGroup: BenchGroup = {
  name: 'tasklets: schedule() between two tasklets (per schedule)',
  subject: {
    name: 'twistless schedule()',
    ops: N,
    fn: async () => {
      const body = async () => {
        for (let i = 0; i < N / 2; i++) await schedule();
      };
      tasklet(body).setup();
      tasklet(body).setup();
      await run();
    },
  },
  baselines: [awaitNull(N), handOff(N)],
  note: 'target: at most 2x `await null`; Stackless 3.7.5: 61 ns',
};

const channelGroup: BenchGroup = {
  name: 'tasklets: a channel message between two tasklets (send + receive)',
  subject: {
    name: 'twistless ch.send / ch.receive',
    ops: N,
    fn: async () => {
      const ch = channel<number>();
      let sum = 0;
      tasklet(async () => {
        for (let i = 0; i < N; i++) await ch.send(i);
      }).setup();
      tasklet(async () => {
        for (let i = 0; i < N; i++) sum += await ch.receive();
      }).setup();
      await run();
      if (sum !== (N * (N - 1)) / 2) throw new Error('lost messages');
    },
  },
  baselines: [awaitNull(N), handOff(N), handOffMessages(N)],
  note: 'target: at most 1.5x the bare promise ping-pong; Stackless 3.7.5: 71 ns',
};

const RING = 1000;
const ringGroup: BenchGroup = {
  name: `tasklets: a ${RING.toLocaleString('en-US')}-tasklet ring passing ${N.toLocaleString('en-US')} messages (per message)`,
  subject: {
    name: 'twistless ring of channels',
    ops: N,
    fn: async () => {
      const chans: Channel<number>[] = [];
      for (let i = 0; i < RING; i++) chans.push(channel<number>());
      for (let i = 0; i < RING; i++) {
        const inbox = chans[i];
        const outbox = chans[(i + 1) % RING];
        tasklet(async () => {
          for (;;) {
            const v = await inbox.receive();
            if (v >= N) {
              if (v < N + RING - 1) await outbox.send(v + 1);
              return;
            }
            await outbox.send(v + 1);
          }
        }).setup();
      }
      await run(); // every member now waits in receive()
      await chans[0].send(1);
      await run();
    },
  },
  baselines: [awaitNull(N), handOff(N)],
  note: 'Stackless 3.1 ring (1,000 x 10,000, 2007 Mac Pro): ~1.7 us per message',
};

const createGroup: BenchGroup = {
  name: 'tasklets: create, run and finish 100,000 tasklets (per tasklet)',
  subject: {
    name: 'twistless tasklet(fn).setup() + run()',
    ops: N,
    fn: async () => {
      let count = 0;
      const body = async () => {
        count++;
      };
      for (let i = 0; i < N; i++) tasklet(body).setup();
      await run();
      if (count !== N) throw new Error('not all ran');
    },
  },
  baselines: [
    awaitNull(N),
    handOff(N),
    {
      name: 'bare: call an async function and await it',
      ops: N,
      fn: async () => {
        let count = 0;
        const body = async () => {
          count++;
        };
        for (let i = 0; i < N; i++) await body();
        if (count !== N) throw new Error('not all ran');
      },
    },
  ],
  note: 'Stackless 3.7.5: 816 ns',
};

export const groups: BenchGroup[] = [scheduleGroup, channelGroup, ringGroup, createGroup];

/** `global.gc`, or one obtained through V8's flags (tsx runs without --expose-gc), or null. */
function getGc(): (() => void) | null {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return g;
  try {
    v8.setFlagsFromString('--expose-gc');
    const f = vm.runInNewContext('gc') as unknown;
    return typeof f === 'function' ? (f as () => void) : null;
  } catch {
    return null;
  }
}

/**
 * Bytes of heap per blocked tasklet: `n` tasklets each blocked in receive(). With `ownChannel`
 * each has its own channel and its own closure (the channel's ~90 bytes and the closure's ~100
 * are counted too); otherwise they share one body function and wait on one channel.
 */
export async function blockedMemory(n = N, ownChannel = true, gc = getGc()): Promise<number> {
  gc?.();
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const chans: Channel<number>[] = [];
  const shared = channel<number>();
  const body = async (ch: Channel<number>) => {
    await ch.receive();
  };
  for (let i = 0; i < n; i++) {
    if (ownChannel) {
      const ch = channel<number>();
      chans.push(ch);
      tasklet(async () => {
        await ch.receive();
      }).setup();
    } else tasklet(body).setup(shared);
  }
  await run();
  gc?.();
  gc?.();
  const after = process.memoryUsage().heapUsed;
  if (ownChannel) for (const ch of chans) await ch.send(0);
  else for (let i = 0; i < n; i++) await shared.send(0);
  await run();
  return (after - before) / n;
}

/**
 * The floor under any blocked tasklet, V8 alone: bytes of heap per bare async function suspended
 * on a pending promise of its own whose resolve function is kept (what the scheduler needs to
 * resume exactly one of them), with no tasklet, channel or end hook at all.
 */
export async function bareAsyncMemory(n = N, gc = getGc()): Promise<number> {
  gc?.();
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const resolvers: ((v: number) => void)[] = new Array<(v: number) => void>(n);
  const body = async (i: number): Promise<void> => {
    await new Promise<number>((resolve) => {
      resolvers[i] = resolve;
    });
  };
  for (let i = 0; i < n; i++) void body(i);
  gc?.();
  gc?.();
  const after = process.memoryUsage().heapUsed;
  for (let i = 0; i < n; i++) resolvers[i](0);
  await null;
  // The resolvers array's own 8 bytes per slot are part of what a scheduler keeps too.
  return (after - before) / n;
}

export const reports: BenchReport[] = [
  {
    name: `tasklets: heap of ${N.toLocaleString('en-US')} blocked tasklets (each waiting in receive())`,
    run: async () => {
      const gc = getGc();
      if (gc === null) return 'needs gc: run node with --expose-gc (V8 refused to expose it here)';
      await blockedMemory(10_000, false, gc); // warm-up: code and feedback are not per tasklet
      await blockedMemory(10_000, true, gc);
      await bareAsyncMemory(10_000, gc);
      const shared = await blockedMemory(N, false, gc);
      const own = await blockedMemory(N, true, gc);
      const floor = await bareAsyncMemory(N, gc);
      const line = (what: string, b: number) => `${what.padEnd(52)} ${((b * N) / 1e6).toFixed(1).padStart(6)} MB  ${b.toFixed(0).padStart(5)} bytes/tasklet`;
      return [
        line('one body function, all waiting on one channel', shared),
        line('each with its own closure and its own channel', own),
        line('floor, V8 alone: bare async fns on own promises', floor),
        '(target: well under 100 MB; the floor is what V8 keeps for an async function suspended on a promise',
        ' of its own that something can resolve, before any tasklet bookkeeping)',
      ].join('\n');
    },
  },
];
