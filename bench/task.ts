// Benchmarks for twistless/task: LoopingCall ticks on a Clock and Cooperator.coiterate, each
// beside baselines measured in the same run (see bench/harness.ts). The same LoopingCall and
// coiterate cases on Twisted 22.4 / CPython: bench/python/task_bench.py.
import type { BenchGroup } from './harness.js';
import { Clock, Cooperator, LoopingCall } from '../lib/task/index.js';

const TICKS = 100_000;
const STEPS = 100_000;

let sink = 0;
function work(): void {
  sink += 1;
}

/** LoopingCall.start(1) on a Clock, then advance(1) TICKS times: one call per advance. */
function loopingCallTicks(): void {
  const clock = new Clock();
  const lc = new LoopingCall(work);
  lc.clock = clock;
  lc.start(1, false);
  for (let i = 0; i < TICKS; i++) clock.advance(1);
  lc.stop();
}

/** The same ticks as a function that re-arms itself with clock.callLater(1) (the bare Clock cost). */
function clockReArm(): void {
  const clock = new Clock();
  const tick = (): void => {
    work();
    clock.callLater(1, tick);
  };
  clock.callLater(1, tick);
  for (let i = 0; i < TICKS; i++) clock.advance(1);
}

/** The function alone, TICKS times. */
function plainCalls(): void {
  for (let i = 0; i < TICKS; i++) work();
}

function* steps(n: number): Generator<undefined> {
  for (let i = 0; i < n; i++) {
    sink += 1;
    yield undefined;
  }
}

/**
 * coiterate over STEPS steps on a Cooperator whose scheduler queues ticks that the bench runs
 * at once (no timer), with the default termination predicate (10 ms slices, one
 * performance.now() per step).
 */
function coiterateStepped(): void {
  const pending: (() => void)[] = [];
  const coop = new Cooperator({
    scheduler: (tick) => {
      pending.push(tick);
      return { cancel() {} };
    },
  });
  let done = false;
  coop.coiterate(steps(STEPS)).addCallback(() => {
    done = true;
  });
  for (let i = 0; i < pending.length; i++) pending[i]();
  if (!done) throw new Error('coiterate did not finish');
}

/** The same, with a predicate that never ends a tick: the Cooperator's own cost per step. */
function coiterateNoClock(): void {
  const pending: (() => void)[] = [];
  const coop = new Cooperator({
    scheduler: (tick) => {
      pending.push(tick);
      return { cancel() {} };
    },
    terminationPredicateFactory: () => () => false,
  });
  coop.coiterate(steps(STEPS));
  for (let i = 0; i < pending.length; i++) pending[i]();
}

/** The same generator drained by a plain for-of loop. */
function plainGenerator(): void {
  for (const _ of steps(STEPS)) {
    // nothing: the generator's own step is the work
  }
}

/** coiterate on the default Cooperator setup: ticks on the reactor (callLater(1e-8)), 10 ms slices. */
function coiterateOnReactor(): PromiseLike<unknown> {
  return new Cooperator().coiterate(steps(STEPS));
}

export const groups: BenchGroup[] = [
  {
    name: 'task: LoopingCall ticks on a Clock (100,000 advance(1) calls)',
    subject: { name: 'LoopingCall.start(1) + Clock.advance(1)', ops: TICKS, fn: loopingCallTicks },
    baselines: [
      { name: 'callLater(1) re-arming itself + advance(1)', ops: TICKS, fn: clockReArm },
      { name: 'plain function call', ops: TICKS, fn: plainCalls },
    ],
    note: 'per tick; LoopingCall adds its state checks and grid arithmetic (a float modulo) to the Clock re-arm',
  },
  {
    name: 'task: coiterate 100,000 steps, scheduler stepped by hand',
    subject: { name: 'Cooperator.coiterate (default 10 ms slices)', ops: STEPS, fn: coiterateStepped },
    baselines: [
      { name: 'Cooperator.coiterate, predicate never true', ops: STEPS, fn: coiterateNoClock },
      { name: 'for-of over the same generator', ops: STEPS, fn: plainGenerator },
    ],
    note: 'per step; the default predicate reads performance.now() after every step, as Twisted reads time.time(). The Cooperator cases share one tick loop, and how well V8 optimises it depends on the predicates it has seen: expect 60-300 ns/step from run to run',
  },
  {
    name: 'task: coiterate 100,000 steps on the reactor',
    subject: { name: 'new Cooperator().coiterate (reactor ticks)', ops: STEPS, fn: coiterateOnReactor },
    baselines: [{ name: 'for-of over the same generator', ops: STEPS, fn: plainGenerator }],
    note: 'per step, including the reactor timer between 10 ms slices',
  },
];

export function sinkValue(): number {
  return sink;
}
