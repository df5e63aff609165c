// Benchmarks of the tasklet scheduler and channels (lib/tasklets), each beside a bare `await
// null` loop and a bare promise hand-off ping-pong measured in the same run. Targets (issue 4):
// a channel message at most 1.5x the bare promise ping-pong, schedule() at most 2x `await null`.
// Stackless 3.7.5 on this kind of machine (stackless.md section 6): schedule 61 ns, channel
// message 71 ns, create + run + finish 816 ns.
import { channel, run, schedule, tasklet, type Channel } from '../lib/tasklets/index.js';
import type { BenchCase, BenchGroup } from './harness.js';

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

/** Bytes per blocked tasklet: 100,000 tasklets each blocked in receive() on its own channel. */
export async function blockedMemory(n = N): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const chans: Channel<number>[] = [];
  for (let i = 0; i < n; i++) {
    const ch = channel<number>();
    chans.push(ch);
    tasklet(async () => {
      await ch.receive();
    }).setup();
  }
  await run();
  gc?.();
  const after = process.memoryUsage().heapUsed;
  for (const ch of chans) await ch.send(0);
  await run();
  return (after - before) / n;
}
