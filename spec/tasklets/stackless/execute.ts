// Runs a reference-model program (model.ts) on lib/tasklets for the property tests
// (properties.spec.ts): one async function per tasklet, main's operations in the caller, every
// operation logged in the model's trace notation, with balance and one-at-a-time checks at
// every step and, optionally, the schedule and channel callbacks recorded.
import { expect } from 'chai';
import {
  TaskletExit,
  ValueError,
  channel,
  getcurrent,
  getmain,
  getruncount,
  run,
  schedule,
  scheduleRemove,
  setChannelCallback,
  setScheduleCallback,
  type Channel,
  type Tasklet,
} from '../../../lib/tasklets/index.js';
import { MAIN, boom, describeOp, sentMessage, type Op, type Outcome, type Program } from './model.js';
import { tasklet } from './support.js';

/** What a `sendErr` operation throws through the channel. */
export class SentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SentError';
  }
}

export type Timeline = ({ kind: 'switch'; prev: number; next: number } | { kind: 'runs'; who: number })[];

export interface Execution extends Outcome {
  /** With hooks: the schedule callback's switches and the moments tasklet code resumed. */
  timeline: Timeline;
  tasklets: Tasklet[];
  channels: Channel<string>[];
  waitingOn: ({ ch: number; dir: 1 | -1 } | null)[];
  balanceViolations: string[];
  concurrencyViolations: string[];
}

/**
 * Runs program `p`. Main's program ends with `run()`, or with `idle`: main just waits on the
 * event loop (setImmediate turns) until nothing is runnable, as plain code would.
 */
export async function execute(p: Program, hooks = false, idle = false): Promise<Execution> {
  const trace: string[] = [];
  const channelCalls: string[] = [];
  const states: string[] = [];
  const timeline: Timeline = [];
  const balanceViolations: string[] = [];
  const concurrencyViolations: string[] = [];
  const chans = p.channels.map((spec) => {
    const ch = channel<string>();
    ch.preference = spec.preference;
    ch.scheduleAll = spec.scheduleAll;
    return ch;
  });
  const n = p.tasklets.length;
  // what each tasklet (index n: main) is doing on which channel, while in send/receive
  const waitingOn: ({ ch: number; dir: 1 | -1 } | null)[] = [...p.tasklets.map(() => null), null];
  const ts: Tasklet[] = [];
  const who = (i: number) => (i === n ? getmain() : ts[i]);
  const nameOf = (i: number) => (i === n ? 'M' : `t${i}`);
  let active = n; // whose code runs now (exactly one at a time); main to begin with

  const check = (where: string) => {
    for (let c = 0; c < chans.length; c++) {
      let expected = 0;
      for (let j = 0; j <= n; j++) {
        const w = waitingOn[j];
        if (w !== null && w.ch === c && who(j).blocked) expected += w.dir;
      }
      if (chans[c].balance !== expected) {
        balanceViolations.push(`${where}: c${c}.balance is ${chans[c].balance}, waiting senders - receivers is ${expected}`);
      }
    }
  };
  const indexOf = (t: Tasklet | null) => (t === null ? -2 : t === getmain() ? n : ts.indexOf(t));
  const resumed = (i: number, where: string) => {
    if (hooks) timeline.push({ kind: 'runs', who: i });
    if (active !== -1) concurrencyViolations.push(`${where}: ${nameOf(i)} resumed while ${nameOf(active)} was running`);
    if (getcurrent() !== who(i)) concurrencyViolations.push(`${where}: getcurrent() is not ${nameOf(i)}`);
    active = i;
  };
  const suspending = (i: number) => {
    if (active !== i) concurrencyViolations.push(`${nameOf(i)} suspends but ${active === -1 ? 'nobody' : nameOf(active)} was marked running`);
    active = -1;
  };

  /** One operation by tasklet i (or main); the trace entries of its return are written here. */
  const perform = async (i: number, op: Op) => {
    const name = nameOf(i);
    check(`${name} before ${describeOp(op)}`);
    const all = [...ts, getmain()];
    states.push(`${getruncount()}:${all.map((x) => (!x.alive ? 'd' : x.blocked ? 'b' : x.scheduled ? 'r' : x.paused ? 'p' : '?')).join('')}`);
    trace.push(`${name}>${describeOp(op)}`);
    suspending(i);
    try {
      switch (op.kind) {
        case 'send':
        case 'sendErr':
          waitingOn[i] = { ch: op.ch, dir: 1 };
          if (op.kind === 'send') await chans[op.ch].send(op.value);
          else await chans[op.ch].sendThrow(new SentError(sentMessage(op.ch, op.value)));
          waitingOn[i] = null;
          resumed(i, `${name} after ${describeOp(op)}`);
          trace.push(`${name}<send(c${op.ch}):${op.value}`);
          break;
        case 'recv': {
          waitingOn[i] = { ch: op.ch, dir: -1 };
          const v = await chans[op.ch].receive();
          waitingOn[i] = null;
          resumed(i, `${name} after ${describeOp(op)}`);
          trace.push(`${name}<recv(c${op.ch}):${v}`);
          break;
        }
        case 'schedule':
          await schedule();
          resumed(i, `${name} after schedule`);
          trace.push(`${name}<schedule`);
          break;
        case 'kill':
          await ts[op.target].kill();
          resumed(i, `${name} after ${describeOp(op)}`);
          trace.push(`${name}<kill`);
          break;
        case 'run':
          await run();
          resumed(i, `${name} after run`);
          trace.push(`${name}<run`);
          break;
        case 'killPending':
          await ts[op.target].kill({ pending: true });
          resumed(i, `${name} after ${describeOp(op)}`);
          trace.push(`${name}<kill`);
          break;
        case 'insert':
          who(op.target === MAIN ? n : op.target).insert();
          resumed(i, `${name} after ${describeOp(op)}`);
          trace.push(`${name}<insert`);
          break;
        case 'runTasklet':
          await who(op.target === MAIN ? n : op.target).run();
          resumed(i, `${name} after ${describeOp(op)}`);
          trace.push(`${name}<run`);
          break;
        case 'switchTasklet':
          await who(op.target === MAIN ? n : op.target).switch();
          resumed(i, `${name} after ${describeOp(op)}`);
          trace.push(`${name}<switch`);
          break;
        case 'scheduleRemove':
          await scheduleRemove();
          resumed(i, `${name} after scheduleRemove`);
          trace.push(`${name}<scheduleRemove`);
          break;
        case 'raise':
          throw new Error(boom(name));
        case 'close':
          chans[op.ch].close();
          resumed(i, `${name} after close`);
          trace.push(`${name}<close`);
          break;
        case 'open':
          chans[op.ch].open();
          resumed(i, `${name} after open`);
          trace.push(`${name}<open`);
          break;
      }
    } catch (e) {
      waitingOn[i] = null;
      resumed(i, `${name} raised`);
      trace.push(`${name}!${e instanceof TaskletExit ? 'exit' : String((e as Error).message)}`);
      // main logs every error and goes on; a tasklet goes on after a refused insert()/run() or
      // a refused operation on a closed channel, and dies of anything else (of TaskletExit
      // silently)
      const goOn = i === n || e instanceof ValueError || e instanceof SentError || (!(e instanceof TaskletExit) && (op.kind === 'insert' || op.kind === 'runTasklet' || op.kind === 'switchTasklet'));
      if (!goOn) {
        suspending(i);
        throw e;
      }
    }
    check(`${name} after ${describeOp(op)}`);
  };

  p.tasklets.forEach((ops, i) => {
    ts.push(
      tasklet(async () => {
        resumed(i, `t${i} start`);
        for (const op of ops) await perform(i, op);
        trace.push(`t${i}$`);
        suspending(i);
      }),
    );
  });
  for (const t of ts) t.setup();
  if (hooks) {
    setScheduleCallback((prev, next) => {
      timeline.push({ kind: 'switch', prev: indexOf(prev), next: indexOf(next) });
    });
    setChannelCallback((ch, t, sending, willBlock) => {
      const c = chans.indexOf(ch as Channel<string>);
      channelCalls.push(`${nameOf(indexOf(t))} c${c} ${sending ? 'send' : 'recv'} ${willBlock ? 'block' : 'go'}${sending ? ` ${String(t.tempval)}` : ''}`);
    });
  }
  try {
    for (const op of p.main) await perform(n, op);
    if (!idle) {
      await perform(n, { kind: 'run' });
    } else {
      check('M before going idle');
      suspending(n);
      for (let k = 0; k < 1000 && getruncount() > 1; k++) await new Promise((r) => setImmediate(r));
      resumed(n, 'M back from the event loop');
    }
  } finally {
    if (hooks) {
      setScheduleCallback(null);
      setChannelCallback(null);
    }
  }
  check('at the end');
  return {
    trace,
    final: ts.map((t) => (!t.alive ? 'dead' : t.blocked ? 'blocked' : t.paused ? 'paused' : 'runnable')),
    balances: chans.map((c) => c.balance),
    channelCalls,
    states,
    timeline,
    tasklets: ts,
    channels: chans,
    waitingOn,
    balanceViolations,
    concurrencyViolations,
  };
}

/** Kills whatever a program left blocked, so the next run starts from a clean scheduler. */
export async function cleanUp(ts: Tasklet[]): Promise<void> {
  for (let round = 0; round < 5 && ts.some((t) => t.alive); round++) {
    for (const t of ts) {
      if (!t.alive) continue;
      try {
        await t.kill();
      } catch {
        // a leftover that ran on while we killed another one threw, and its error reached main
      }
    }
  }
  expect(getruncount()).to.equal(1);
}

