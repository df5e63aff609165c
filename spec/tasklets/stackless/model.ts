// Reference model for the tasklet property tests (properties.spec.ts): random programs of sends,
// receives, schedules and kills run by several tasklets and by main, and a direct simulation of
// Stackless's scheduler for them. The
// runnables ring is an array whose head is the current tasklet ("the end" is just before the
// current one); channel queues are FIFO arrays of tasklet indices.
import fc from 'fast-check';

// ------------------------------------------------------------------------------- programs

export type Op =
  | { kind: 'send'; ch: number; value: string }
  | { kind: 'sendErr'; ch: number; value: string } // sendThrow(new SentError(sentMessage(ch, value)))
  | { kind: 'recv'; ch: number }
  | { kind: 'schedule' }
  | { kind: 'kill'; target: number }
  | { kind: 'run' }
  | { kind: 'killPending'; target: number }
  | { kind: 'insert'; target: number } // MAIN (-1) for main
  | { kind: 'runTasklet'; target: number } // MAIN (-1) for main
  | { kind: 'switchTasklet'; target: number } // MAIN (-1) for main
  | { kind: 'scheduleRemove' }
  | { kind: 'raise' }
  | { kind: 'close'; ch: number }
  | { kind: 'open'; ch: number };

/** The target index that stands for main. */
export const MAIN = -1;

export interface ChannelSpec {
  preference: -1 | 0 | 1;
  scheduleAll: boolean;
}

/**
 * The tasklets are created (`tasklet(fn).setup()`) in order; then main performs `main` and
 * finally calls `run()`.
 */
export interface Program {
  channels: ChannelSpec[];
  tasklets: Op[][];
  main: Op[];
}

type RawOp =
  | { kind: 'send'; ch: number }
  | { kind: 'sendErr'; ch: number }
  | { kind: 'recv'; ch: number }
  | { kind: 'schedule' }
  | { kind: 'kill'; offset: number }
  | { kind: 'run' }
  | { kind: 'killPending'; offset: number }
  | { kind: 'insert'; offset: number }
  | { kind: 'runTasklet'; offset: number }
  | { kind: 'switchTasklet'; offset: number }
  | { kind: 'scheduleRemove' }
  | { kind: 'raise' }
  | { kind: 'close'; ch: number }
  | { kind: 'open'; ch: number };

export const channelSpecArb: fc.Arbitrary<ChannelSpec> = fc.record({
  preference: fc.constantFrom<-1 | 0 | 1>(-1, 0, 1),
  scheduleAll: fc.boolean(),
});

function rawOpArb(nChannels: number, withKills: boolean, forMain: boolean, extended: boolean, raises: boolean, closing: boolean, nested: boolean, errors: boolean): fc.Arbitrary<RawOp> {
  const ch = fc.integer({ min: 0, max: nChannels - 1 });
  const arbs: fc.WeightedArbitrary<RawOp>[] = [
    { weight: 4, arbitrary: ch.map((c): RawOp => ({ kind: 'send', ch: c })) },
    { weight: 4, arbitrary: ch.map((c): RawOp => ({ kind: 'recv', ch: c })) },
    { weight: 2, arbitrary: fc.constant<RawOp>({ kind: 'schedule' }) },
  ];
  if (withKills) arbs.push({ weight: 1, arbitrary: fc.nat(8).map((o): RawOp => ({ kind: 'kill', offset: o })) });
  if (forMain || nested) arbs.push({ weight: 1, arbitrary: fc.constant<RawOp>({ kind: 'run' }) });
  if (extended) {
    arbs.push(
      { weight: 1, arbitrary: fc.nat(8).map((o): RawOp => ({ kind: 'killPending', offset: o })) },
      { weight: 1, arbitrary: fc.nat(8).map((o): RawOp => ({ kind: 'insert', offset: o })) },
      { weight: 1, arbitrary: fc.nat(8).map((o): RawOp => ({ kind: 'runTasklet', offset: o })) },
      { weight: 1, arbitrary: fc.nat(8).map((o): RawOp => ({ kind: 'switchTasklet', offset: o })) },
      { weight: 1, arbitrary: fc.constant<RawOp>({ kind: 'scheduleRemove' }) },
    );
    if (!forMain && raises) arbs.push({ weight: 1, arbitrary: fc.constant<RawOp>({ kind: 'raise' }) });
  }
  if (errors) arbs.push({ weight: 2, arbitrary: ch.map((c): RawOp => ({ kind: 'sendErr', ch: c })) });
  if (closing) {
    arbs.push(
      { weight: 1, arbitrary: ch.map((c): RawOp => ({ kind: 'close', ch: c })) },
      { weight: 1, arbitrary: ch.map((c): RawOp => ({ kind: 'open', ch: c })) },
    );
  }
  return fc.oneof(...arbs);
}

/**
 * Random programs; every sent value is unique ("t<tasklet>.<op>", "M.<op>"), no tasklet targets
 * itself and nobody targets main. With `mainOps` false main only calls `run()`; `extended` adds
 * pending kills, `insert()`, `t.run()` and `scheduleRemove()`; `raises` lets tasklets throw errors;
 * `closing` adds `close()` / `open()` of channels; `nested` lets tasklets call `run()` and target
 * main with `insert()` / `t.run()`; `errors` adds sends of errors (`sendThrow`), which the
 * receivers catch.
 */
export function programArb(withKills: boolean, mainOps = false, extended = false, raises = false, closing = false, nested = false, errors = false): fc.Arbitrary<Program> {
  return fc
    .record({ nChannels: fc.integer({ min: 1, max: 3 }), nTasklets: fc.integer({ min: 2, max: 5 }) })
    .chain(({ nChannels, nTasklets }) =>
      fc.record({
        channels: fc.array(channelSpecArb, { minLength: nChannels, maxLength: nChannels }),
        tasklets: fc.array(fc.array(rawOpArb(nChannels, withKills, false, extended, raises, closing, nested, errors), { maxLength: 8 }), {
          minLength: nTasklets,
          maxLength: nTasklets,
        }),
        main: mainOps ? fc.array(rawOpArb(nChannels, withKills, true, extended, raises, closing, nested, errors), { maxLength: 6 }) : fc.constant<RawOp[]>([]),
      }),
    )
    .map(({ channels, tasklets, main }) => {
      const n = tasklets.length;
      return {
        channels,
        tasklets: tasklets.map((ops, i) =>
          ops.map((op, j): Op => {
            if (op.kind === 'send' || op.kind === 'sendErr') return { kind: op.kind, ch: op.ch, value: `t${i}.${j}` };
            // with `nested`, insert() and t.run() may target main too (index n)
            if ((op.kind === 'insert' || op.kind === 'runTasklet' || op.kind === 'switchTasklet') && nested) {
              const target = (i + 1 + (op.offset % n)) % (n + 1);
              return { kind: op.kind, target: target === n ? MAIN : target };
            }
            if ('offset' in op) return { kind: op.kind, target: (i + 1 + (op.offset % (n - 1))) % n };
            return op as Op;
          }),
        ),
        main: main.map((op, j): Op => {
          if (op.kind === 'send' || op.kind === 'sendErr') return { kind: op.kind, ch: op.ch, value: `M.${j}` };
          if ('offset' in op) return { kind: op.kind, target: op.offset % n };
          return op as Op;
        }),
      };
    });
}

export function describeOp(op: Op): string {
  switch (op.kind) {
    case 'send':
      return `send(c${op.ch},${op.value})`;
    case 'sendErr':
      return `sendThrow(c${op.ch},${op.value})`;
    case 'recv':
      return `recv(c${op.ch})`;
    case 'schedule':
      return 'schedule';
    case 'kill':
      return `kill(t${op.target})`;
    case 'run':
      return 'run';
    case 'killPending':
      return `kill(t${op.target},pending)`;
    case 'insert':
      return `insert(${op.target === MAIN ? 'M' : `t${op.target}`})`;
    case 'runTasklet':
      return `run(${op.target === MAIN ? 'M' : `t${op.target}`})`;
    case 'switchTasklet':
      return `switch(${op.target === MAIN ? 'M' : `t${op.target}`})`;
    case 'scheduleRemove':
      return 'scheduleRemove';
    case 'raise':
      return 'raise';
    case 'close':
      return `close(c${op.ch})`;
    case 'open':
      return `open(c${op.ch})`;
  }
}

/** What the trace says about a tasklet at the end: 'runnable' must never happen after run(). */
export type Final = 'dead' | 'blocked' | 'paused' | 'runnable';

export interface Outcome {
  /**
   * Events in order: `t0>op` before an operation, `t0<op...` when it returns (with the value
   * sent or received), `t0!message` when it raised, `t0!exit` for TaskletExit, `t0$` at the end.
   * Main is `M`.
   */
  trace: string[];
  final: Final[];
  balances: number[];
  /**
   * What a channel callback sees, one entry per send/receive attempted, before it acts:
   * `t0 c1 send block t0.3` (the acting tasklet, the channel, the direction, whether it will
   * block, and for a send the value in its tempval).
   */
  channelCalls: string[];
  /**
   * At the start of every operation: `getruncount()`, then one letter per tasklet and last main:
   * d dead, b blocked, r runnable (scheduled, not blocked), p paused (alive, not scheduled).
   */
  states: string[];
}

export const DEADLOCK = 'Deadlock: the last runnable tasklet cannot be blocked.';
export const RUN_BLOCKED = 'You cannot run a blocked tasklet';
export const RUN_DEAD = 'You cannot run an unbound(dead) tasklet';
export const boom = (name: string) => `boom in ${name}`;
export const CLOSED = 'Send/receive operation on a closed channel';
/** The message of the error a `sendErr` sends. */
export const sentMessage = (ch: number, value: string) => `sent c${ch} ${value}`;
export const mainNoPartner = (dir: number) =>
  dir > 0 ? 'the main tasklet is sending without a receiver available.' : 'the main tasklet is receiving without a sender available.';

// ---------------------------------------------------------------------------------- the model

interface ModelTasklet {
  name: string;
  ops: Op[];
  pc: number;
  started: boolean;
  dead: boolean;
  blockedOn: number; // channel index, -1 when not blocked
  dir: 1 | -1 | 0;
  value: string;
  valueIsErr: boolean;
  resume: string; // the log line written when the suspended operation returns
  resumeError: string | null; // an error raised out of the suspended operation instead
  pendingExit: boolean;
}

export function model(p: Program): Outcome {
  const trace: string[] = [];
  const channelCalls: string[] = [];
  const states: string[] = [];
  const n = p.tasklets.length;
  const mk = (name: string, ops: Op[]): ModelTasklet => ({
    name,
    ops,
    pc: 0,
    started: false,
    dead: false,
    blockedOn: -1,
    dir: 0,
    value: '',
    valueIsErr: false,
    resume: '',
    resumeError: null,
    pendingExit: false,
  });
  const ts: ModelTasklet[] = p.tasklets.map((ops, i) => mk(`t${i}`, ops));
  const M = mk('M', [...p.main, { kind: 'run' }]);
  ts.push(M);
  const queues: number[][] = p.channels.map(() => []);
  const closingFlags: boolean[] = p.channels.map(() => false);
  const balance = (c: number) => (queues[c].length === 0 ? 0 : queues[c].length * ts[queues[c][0]].dir);
  const unblock = (i: number) => {
    const q = queues[ts[i].blockedOn];
    q.splice(q.indexOf(i), 1);
    ts[i].blockedOn = -1;
  };
  // main holds the turn; the tasklets follow in creation order
  const ring: number[] = [n, ...p.tasklets.map((_, i) => i)];
  // the run() callers, innermost last (Stackless's watchdog stack)
  const stack: number[] = [];
  const yieldCurrent = () => ring.push(ring.shift() as number);
  const switchTo = (idx: number) => {
    const at = ring.indexOf(idx);
    ring.push(...ring.splice(0, at));
  };
  const result = (): Outcome => ({
    trace,
    final: ts.slice(0, n).map((t, i) => (t.dead ? 'dead' : t.blockedOn >= 0 ? 'blocked' : ring.includes(i) ? 'runnable' : 'paused')),
    balances: p.channels.map((_, c) => balance(c)),
    channelCalls,
    states,
  });

  /**
   * An uncaught error of a dying tasklet goes to the innermost run() caller, else main, which is
   * switched to at once: pulled off its channel or out of its run()/scheduleRemove() and put
   * first, or, when runnable, switched to in its place (slp_tasklet_end ->
   * slp_schedule_task); the error is raised where it is suspended.
   */
  const deliver = (err: string) => {
    const target = stack.length > 0 ? stack[stack.length - 1] : n;
    if (ts[target].blockedOn >= 0) unblock(target);
    if (ring.includes(target)) switchTo(target);
    else ring.unshift(target);
    ts[target].resumeError = err;
  };
  /** Tasklet t (current) dies of an error it did not catch. */
  const dies = (t: ModelTasklet, err: string) => {
    t.dead = true;
    ring.shift();
    deliver(err);
  };
  /** The deadlock error raised in tasklet t: uncaught, it kills t and goes on to the blocked main. */
  const deadlockInTasklet = (t: ModelTasklet) => {
    trace.push(`${t.name}!${DEADLOCK}`);
    dies(t, DEADLOCK);
  };
  /**
   * May the current tasklet `cur`, the last runnable one, leave the ring? When nobody is parked
   * in run() the one to wake is main: a blocked main means deadlock (schedule_task_block).
   */
  const lastMayLeave = (cur: number) => stack.length > 0 || (cur !== n && M.blockedOn < 0);

  for (let guard = 0; guard < 100000; guard++) {
    if (ring.length === 0) {
      // nobody is runnable: the innermost run() caller wakes; without one, a paused main
      // wakes, and a blocked main learns that the last tasklet ended
      if (stack.length > 0) {
        ring.push(stack[stack.length - 1]);
      } else if (M.blockedOn >= 0) {
        M.resumeError = mainNoPartner(M.dir);
        unblock(n);
        ring.push(n);
      } else {
        ring.push(n);
      }
    }
    const cur = ring[0];
    const t = ts[cur];
    if (stack.includes(cur)) {
      // a run() caller wakes: it takes itself and every deeper run() caller off the stack,
      // making those runnable again (PyStackless_RunWatchdogEx)
      for (;;) {
        const popped = stack.pop() as number;
        if (popped === cur) break;
        if (!ring.includes(popped) && ts[popped].blockedOn < 0) ring.push(popped);
      }
    }
    if (t.pendingExit) {
      if (t.started) trace.push(`${t.name}!exit`);
      t.dead = true;
      ring.shift();
      continue;
    }
    if (t.resumeError !== null) {
      const err = t.resumeError;
      t.resumeError = null;
      trace.push(`${t.name}!${err}`);
      if (cur !== n) {
        dies(t, err); // tasklets here do not catch it
        continue;
      }
      t.pc++; // main logs it and goes on
    } else if (!t.started) {
      t.started = true;
    } else {
      trace.push(t.resume);
      t.pc++;
    }
    for (;;) {
      if (t.pc >= t.ops.length) {
        if (cur === n) return result(); // main's program is over
        trace.push(`${t.name}$`);
        t.dead = true;
        ring.shift();
        break;
      }
      const op = t.ops[t.pc];
      states.push(`${ring.length}:${ts.map((x, i) => (x.dead ? 'd' : x.blockedOn >= 0 ? 'b' : ring.includes(i) ? 'r' : 'p')).join('')}`);
      trace.push(`${t.name}>${describeOp(op)}`);
      if (op.kind === 'run') {
        t.resume = `${t.name}<run`;
        if (ring.length === 1) {
          // nothing else is runnable: run() returns at once
          trace.push(t.resume);
          t.pc++;
          continue;
        }
        stack.push(cur);
        ring.shift();
        break;
      }
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
        if (v.blockedOn >= 0) unblock(op.target);
        // a blocked or paused victim goes just before the killer, so the killer is next after
        // it; a runnable victim keeps its place in the ring
        if (!ring.includes(op.target)) ring.push(op.target);
        switchTo(op.target);
        break;
      }
      if (op.kind === 'killPending') {
        const v = ts[op.target];
        if (!v.dead) {
          v.pendingExit = true;
          if (v.blockedOn >= 0) unblock(op.target);
          if (!ring.includes(op.target)) ring.push(op.target);
        }
        trace.push(`${t.name}<kill`);
        t.pc++;
        continue;
      }
      if (op.kind === 'insert' || op.kind === 'runTasklet' || op.kind === 'switchTasklet') {
        const target = op.target === MAIN ? n : op.target;
        const v = ts[target];
        const refused = v.blockedOn >= 0 ? RUN_BLOCKED : v.dead ? RUN_DEAD : null;
        if (refused !== null) {
          // misuse errors are caught by the program and logged
          trace.push(`${t.name}!${refused}`);
          t.pc++;
          continue;
        }
        if (!ring.includes(target)) ring.push(target); // at the end: just before the caller
        if (op.kind === 'insert') {
          trace.push(`${t.name}<insert`);
          t.pc++;
          continue;
        }
        if (op.kind === 'switchTasklet') {
          // as t.run(), but the caller leaves the ring (paused) until someone inserts it
          t.resume = `${t.name}<switch`;
          ring.shift();
          switchTo(target);
          break;
        }
        t.resume = `${t.name}<run`;
        switchTo(target); // the caller keeps its place; the ring carries on from the target
        break;
      }
      if (op.kind === 'raise') {
        // uncaught: the tasklet dies and its error goes to the innermost run() caller or main
        trace.push(`${t.name}!${boom(t.name)}`);
        dies(t, boom(t.name));
        break;
      }
      if (op.kind === 'scheduleRemove') {
        t.resume = `${t.name}<scheduleRemove`;
        if (ring.length === 1 && stack.length === 0) {
          if (cur === n) {
            // main alone returns at once
            trace.push(t.resume);
            t.pc++;
            continue;
          }
          if (!lastMayLeave(cur)) {
            deadlockInTasklet(t);
            break;
          }
        }
        ring.shift();
        break;
      }
      if (op.kind === 'close' || op.kind === 'open') {
        // close() only marks the channel; it wakes nobody
        closingFlags[op.ch] = op.kind === 'close';
        trace.push(`${t.name}<${op.kind}`);
        t.pc++;
        continue;
      }
      const spec = p.channels[op.ch];
      const q = queues[op.ch];
      const sending = op.kind !== 'recv';
      const isErr = op.kind === 'sendErr';
      const partnerWaiting = sending ? balance(op.ch) < 0 : balance(op.ch) > 0;
      channelCalls.push(`${t.name} c${op.ch} ${sending ? 'send' : 'recv'} ${partnerWaiting ? 'go' : 'block'}${sending ? ` ${op.value}` : ''}`);
      if (!partnerWaiting && closingFlags[op.ch]) {
        // only an operation that would block fails; the program catches the ValueError
        trace.push(`${t.name}!${CLOSED}`);
        t.pc++;
        continue;
      }
      if (!partnerWaiting) {
        // the last runnable tasklet cannot block unless someone waits in run() or main is
        // paused
        if (ring.length === 1 && !lastMayLeave(cur)) {
          if (cur === n) {
            trace.push(`M!${DEADLOCK}`);
            t.pc++;
            continue;
          }
          deadlockInTasklet(t);
          break;
        }
        q.push(cur);
        t.blockedOn = op.ch;
        t.dir = sending ? 1 : -1;
        if (sending) {
          t.value = op.value;
          t.valueIsErr = isErr;
        }
        ring.shift();
        break;
      }
      const partnerIdx = q.shift() as number;
      const partner = ts[partnerIdx];
      partner.blockedOn = -1;
      // a sent error is raised out of the receiver's receive() (the programs catch it)
      const got = (name: string, value: string, err: boolean) =>
        err ? `${name}!${sentMessage(op.ch, value)}` : `${name}<recv(c${op.ch}):${value}`;
      let value: string;
      let done: string;
      if (sending) {
        value = op.value;
        partner.resume = got(partner.name, value, isErr);
        done = `${t.name}<send(c${op.ch}):${value}`;
      } else {
        value = partner.value;
        partner.resume = `${partner.name}<send(c${op.ch}):${value}`;
        done = got(t.name, value, partner.valueIsErr);
      }
      // who runs next
      if (spec.scheduleAll) {
        ring.push(partnerIdx);
        t.resume = done;
        yieldCurrent();
        break;
      }
      if (sending ? spec.preference === -1 : spec.preference === 1) {
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
  throw new Error('model does not terminate');
}
