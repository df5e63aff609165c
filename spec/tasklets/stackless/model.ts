// Reference model for the tasklet property tests (properties.spec.ts): random programs of sends,
// receives, schedules and kills, and a direct simulation of Stackless's scheduler for them
// (stackless.md sections 1.5, 2.1-2.3, 3.1-3.2). The runnables ring is an array whose head is the
// current tasklet ("the end" is just before the current one); channel queues are FIFO arrays.
import fc from 'fast-check';

// Programs

export type Op =
  | { kind: 'send'; ch: number; value: string }
  | { kind: 'recv'; ch: number }
  | { kind: 'schedule' }
  | { kind: 'kill'; target: number };

export interface ChannelSpec {
  preference: -1 | 0 | 1;
  scheduleAll: boolean;
}

export interface Program {
  channels: ChannelSpec[];
  tasklets: Op[][];
}

type RawOp =
  | { kind: 'send'; ch: number }
  | { kind: 'recv'; ch: number }
  | { kind: 'schedule' }
  | { kind: 'kill'; offset: number };

export const channelSpecArb: fc.Arbitrary<ChannelSpec> = fc.record({
  preference: fc.constantFrom<-1 | 0 | 1>(-1, 0, 1),
  scheduleAll: fc.boolean(),
});

function rawOpArb(nChannels: number, withKills: boolean): fc.Arbitrary<RawOp> {
  const ch = fc.integer({ min: 0, max: nChannels - 1 });
  const arbs: fc.WeightedArbitrary<RawOp>[] = [
    { weight: 4, arbitrary: ch.map((c): RawOp => ({ kind: 'send', ch: c })) },
    { weight: 4, arbitrary: ch.map((c): RawOp => ({ kind: 'recv', ch: c })) },
    { weight: 2, arbitrary: fc.constant<RawOp>({ kind: 'schedule' }) },
  ];
  if (withKills) arbs.push({ weight: 1, arbitrary: fc.nat(8).map((o): RawOp => ({ kind: 'kill', offset: o })) });
  return fc.oneof(...arbs);
}

/** Random programs; every sent value is unique ("t<tasklet>.<op>"), no tasklet kills itself. */
export function programArb(withKills: boolean): fc.Arbitrary<Program> {
  return fc
    .record({ nChannels: fc.integer({ min: 1, max: 3 }), nTasklets: fc.integer({ min: 2, max: 5 }) })
    .chain(({ nChannels, nTasklets }) =>
      fc.record({
        channels: fc.array(channelSpecArb, { minLength: nChannels, maxLength: nChannels }),
        tasklets: fc.array(fc.array(rawOpArb(nChannels, withKills), { maxLength: 8 }), {
          minLength: nTasklets,
          maxLength: nTasklets,
        }),
      }),
    )
    .map(({ channels, tasklets }) => ({
      channels,
      tasklets: tasklets.map((ops, i) =>
        ops.map((op, j): Op => {
          if (op.kind === 'send') return { kind: 'send', ch: op.ch, value: `t${i}.${j}` };
          if (op.kind === 'kill') return { kind: 'kill', target: (i + 1 + (op.offset % (tasklets.length - 1))) % tasklets.length };
          return op;
        }),
      ),
    }));
}

export function describeOp(op: Op): string {
  switch (op.kind) {
    case 'send':
      return `send(c${op.ch},${op.value})`;
    case 'recv':
      return `recv(c${op.ch})`;
    case 'schedule':
      return 'schedule';
    case 'kill':
      return `kill(t${op.target})`;
  }
}

export type Final = 'dead' | 'blocked' | 'runnable';

export interface Outcome {
  trace: string[];
  final: Final[];
  balances: number[];
}

// ---------------------------------------------------------------------------------------------
// The model

interface ModelTasklet {
  name: string;
  ops: Op[];
  pc: number;
  started: boolean;
  dead: boolean;
  blockedOn: number; // channel index, -1 when not blocked
  dir: 1 | -1 | 0;
  value: string;
  resume: string; // the log line written when the suspended operation returns
  pendingExit: boolean;
}

export function model(p: Program): Outcome {
  const trace: string[] = [];
  const ts: ModelTasklet[] = p.tasklets.map((ops, i) => ({
    name: `t${i}`,
    ops,
    pc: 0,
    started: false,
    dead: false,
    blockedOn: -1,
    dir: 0,
    value: '',
    resume: '',
    pendingExit: false,
  }));
  const queues: number[][] = p.channels.map(() => []);
  const balance = (c: number) => (queues[c].length === 0 ? 0 : queues[c].length * ts[queues[c][0]].dir);
  // main called run(): it left the ring; the tasklets are in creation order
  const ring: number[] = ts.map((_, i) => i);
  const yieldCurrent = () => ring.push(ring.shift() as number);
  const switchTo = (idx: number) => {
    const at = ring.indexOf(idx);
    ring.push(...ring.splice(0, at));
  };

  let guard = 0;
  while (ring.length > 0) {
    if (++guard > 10000) throw new Error('model does not terminate');
    const cur = ring[0];
    const t = ts[cur];
    if (t.pendingExit) {
      if (t.started) trace.push(`${t.name}!exit`);
      t.dead = true;
      ring.shift();
      continue;
    }
    if (!t.started) {
      t.started = true;
    } else {
      trace.push(t.resume);
      t.pc++;
    }
    for (;;) {
      if (t.pc >= t.ops.length) {
        trace.push(`${t.name}$`);
        t.dead = true;
        ring.shift();
        break;
      }
      const op = t.ops[t.pc];
      trace.push(`${t.name}>${describeOp(op)}`);
      if (op.kind === 'schedule') {
        t.resume = `${t.name}<schedule`;
        yieldCurrent();
        break;
      }
      if (op.kind === 'kill') {
        const v = ts[op.target];
        if (v.dead) {
          trace.push(`${t.name}<kill`);
          t.pc++;
          continue;
        }
        t.resume = `${t.name}<kill`;
        v.pendingExit = true;
        if (v.blockedOn >= 0) {
          const q = queues[v.blockedOn];
          q.splice(q.indexOf(op.target), 1);
          v.blockedOn = -1;
          ring.push(op.target); // just before the killer...
          switchTo(op.target); // ...and run it now: the killer is next after it
        } else {
          switchTo(op.target); // a runnable victim keeps its place in the ring
        }
        break;
      }
      const spec = p.channels[op.ch];
      const q = queues[op.ch];
      const sending = op.kind === 'send';
      const partnerWaiting = sending ? balance(op.ch) < 0 : balance(op.ch) > 0;
      if (!partnerWaiting) {
        q.push(cur);
        t.blockedOn = op.ch;
        t.dir = sending ? 1 : -1;
        if (sending) t.value = op.value;
        ring.shift();
        break;
      }
      const partnerIdx = q.shift() as number;
      const partner = ts[partnerIdx];
      partner.blockedOn = -1;
      let value: string;
      if (sending) {
        value = op.value;
        partner.resume = `${partner.name}<recv(c${op.ch}):${value}`;
      } else {
        value = partner.value;
        partner.resume = `${partner.name}<send(c${op.ch}):${value}`;
      }
      const done = sending ? `${t.name}<send(c${op.ch}):${value}` : `${t.name}<recv(c${op.ch}):${value}`;
      // who runs next (stackless.md 3.2)
      const partnerRunsNow = !spec.scheduleAll && (sending ? spec.preference === -1 : spec.preference === 1);
      if (spec.scheduleAll) {
        ring.push(partnerIdx);
        t.resume = done;
        yieldCurrent();
        break;
      }
      if (partnerRunsNow) {
        ring.splice(1, 0, partnerIdx);
        t.resume = done;
        yieldCurrent();
        break;
      }
      ring.push(partnerIdx);
      trace.push(done);
      t.pc++;
    }
  }
  return {
    trace,
    final: ts.map((t) => (t.dead ? 'dead' : t.blockedOn >= 0 ? 'blocked' : 'runnable')),
    balances: p.channels.map((_, c) => balance(c)),
  };
}

