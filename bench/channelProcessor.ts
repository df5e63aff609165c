// Benchmarks of twistless/channelProcessor (the article "Stackless Event Loops"): a call round
// trip through a ChannelProcessor from plain code and from another tasklet, beside a direct
// function call and a bare promise ping-pong; 10,000 events fanned out to 10 observers; and the
// worker-thread form, per call and for a CPU-heavy action across both cores.
import { join } from 'node:path';
import { ChannelProcessor, channelProcessor, type WorkerChannelProcessor } from '../lib/channelProcessor/index.js';
import type { Deferred } from '../lib/defer/index.js';
import { blockingTasklet, channel, run, tasklet } from '../lib/tasklets/index.js';
import type { BenchGroup } from './harness.js';

const N = 2000;
const tenfold = (x: number): number => x * 10;

/** A bare promise ping-pong: a server loop and a client handing values back and forth by promises. */
function promisePingPong(n: number): Promise<number> {
  let wakeServer: (x: number) => void = () => undefined;
  let reply: (x: number) => void = () => undefined;
  const server = async (): Promise<void> => {
    for (;;) {
      const x = await new Promise<number>((r) => {
        wakeServer = r;
      });
      if (x < 0) return;
      reply(tenfold(x));
    }
  };
  void server();
  return (async () => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const p = new Promise<number>((r) => {
        reply = r;
      });
      wakeServer(i);
      sum += await p;
    }
    wakeServer(-1);
    return sum;
  })();
}

let sink = 0;

// The floor a round trip from a tasklet stands on, measured in the same run: the article's new
// tasklet per call blocking its caller (`blockingTasklet`), without any channel.
const tenfoldTasklet = blockingTasklet(async (x: number) => tenfold(x)) as (x: number) => Promise<number>;

const fromPlain = new ChannelProcessor(tenfold);
const fromTasklet = new ChannelProcessor(tenfold);
const direct = new ChannelProcessor(tenfold);

const observers = Array.from({ length: 10 }, (_, k) =>
  channelProcessor(function observer(e: number): number {
    return e + k;
  }),
);

const actions = join(__dirname, '..', 'spec', 'channelProcessor', 'fixtures', 'workerActions.mjs');
let worker: WorkerChannelProcessor<(x: number) => { value: number }> | undefined;
let crunchers: WorkerChannelProcessor<(n: number) => number>[] | undefined;
function crunch(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += (i * i) % 7;
  return s;
}
const CRUNCH = 3_000_000;
const JOBS = 8;

export const groups: BenchGroup[] = [
  {
    name: 'channelProcessor: call round trip from plain code',
    subject: {
      name: 'await cp.call(x) (ChannelProcessor)',
      ops: N,
      fn: async () => {
        for (let i = 0; i < N; i++) sink += await fromPlain.call(i);
      },
    },
    baselines: [
      {
        name: 'direct call tenfold(x)',
        ops: N,
        fn: () => {
          for (let i = 0; i < N; i++) sink += tenfold(i);
        },
      },
      { name: 'bare promise ping-pong (server loop)', ops: N, fn: () => promisePingPong(N) },
      {
        name: 'a tasklet per call: await blockingTasklet(async x => x * 10)(x) from plain code (what a call that must wait pays on top of the loop; no channel)',
        ops: N,
        fn: async () => {
          for (let i = 0; i < N; i++) sink += await tenfoldTasklet(i);
        },
      },
    ],
    note: 'target: a round trip at most 5x the bare promise ping-pong; the loop waiting, main makes the call itself (no tasklet per call)',
  },
  {
    name: 'channelProcessor: call round trip from another tasklet',
    subject: {
      name: 'await cp.call(x) inside a tasklet',
      ops: N,
      fn: async () => {
        tasklet(async () => {
          for (let i = 0; i < N; i++) sink += await fromTasklet.call(i);
        }).setup();
        await run();
      },
    },
    baselines: [
      {
        name: 'direct call tenfold(x)',
        ops: N,
        fn: () => {
          for (let i = 0; i < N; i++) sink += tenfold(i);
        },
      },
      { name: 'bare promise ping-pong (server loop)', ops: N, fn: () => promisePingPong(N) },
      {
        name: 'floor: await blockingTasklet(async x => x * 10)(x) inside a tasklet (the new tasklet per call, no channel)',
        ops: N,
        fn: async () => {
          tasklet(async () => {
            for (let i = 0; i < N; i++) sink += await tenfoldTasklet(i);
          }).setup();
          await run();
        },
      },
      {
        name: "floor: the loop's round trip alone: a tasklet sends the (c, args, kwargs) request and receives the reply itself (no tasklet per call)",
        ops: N,
        fn: async () => {
          tasklet(async () => {
            for (let i = 0; i < N; i++) {
              const c = channel<number>();
              await direct.channel.send([c, [i], {}]);
              sink += await c.receive();
            }
          }).setup();
          await run();
        },
      },
    ],
    note: 'target: a round trip at most 5x the bare promise ping-pong; the two floors add up to what the article\'s structure needs',
  },
  {
    name: 'channelProcessor: 10,000 events fanned out to 10 observers',
    subject: {
      name: '10 channelProcessor observers, per delivery',
      ops: 100_000,
      fn: async () => {
        const ds: Deferred<number>[] = new Array(100_000);
        let k = 0;
        for (let e = 0; e < 10_000; e++) for (let o = 0; o < 10; o++) ds[k++] = observers[o](e);
        for (let i = 0; i < ds.length; i++) sink += await ds[i];
      },
    },
    baselines: [
      {
        name: 'plain loop over 10 functions, per delivery',
        ops: 100_000,
        fn: () => {
          for (let e = 0; e < 10_000; e++) for (let o = 0; o < 10; o++) sink += e + o;
        },
      },
      {
        name: 'Promise.resolve().then(observer), per delivery',
        ops: 100_000,
        fn: async () => {
          const ps: Promise<number>[] = new Array(100_000);
          let k = 0;
          for (let e = 0; e < 10_000; e++) for (let o = 0; o < 10; o++) ps[k++] = Promise.resolve(e).then((x) => x + o);
          for (let i = 0; i < ps.length; i++) sink += await ps[i];
        },
      },
    ],
  },
  {
    name: 'channelProcessor: worker form, per call',
    subject: {
      name: 'await inWorker(...).call(x)',
      ops: 500,
      fn: async () => {
        worker ??= ChannelProcessor.inWorker(actions, 'tenfold');
        for (let i = 0; i < 500; i++) sink += (await worker.call(i)).value;
      },
    },
    baselines: [
      {
        name: 'await cp.call(x) (in-thread ChannelProcessor)',
        ops: 500,
        fn: async () => {
          for (let i = 0; i < 500; i++) sink += await fromPlain.call(i);
        },
      },
      { name: 'bare promise ping-pong (server loop)', ops: 500, fn: () => promisePingPong(500) },
    ],
  },
  {
    name: 'channelProcessor: worker form, CPU-heavy action on both cores',
    subject: {
      name: `${JOBS} crunch(${CRUNCH}) jobs on 2 worker processors, per job`,
      ops: JOBS,
      fn: async () => {
        crunchers ??= [ChannelProcessor.inWorker(actions, 'crunch'), ChannelProcessor.inWorker(actions, 'crunch')];
        const ds: Deferred<number>[] = [];
        for (let j = 0; j < JOBS; j++) ds.push(crunchers[j % 2].call(CRUNCH));
        for (const d of ds) sink += await d;
      },
    },
    baselines: [
      {
        name: `the same jobs in the main thread, per job`,
        ops: JOBS,
        fn: () => {
          for (let j = 0; j < JOBS; j++) sink += crunch(CRUNCH);
        },
      },
    ],
    note: 'below 1x means the worker form pays: the jobs run on both cores at once',
  },
];

export function sinkValue(): number {
  return sink;
}
