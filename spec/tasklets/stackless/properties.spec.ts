// Property tests for lib/tasklets (fast-check): random programs of sends, receives, schedules,
// kills, run(), insert(), scheduleRemove(), close() and thrown errors over several tasklets, main
// and several channels, run on lib/tasklets (execute.ts) and checked against a small reference
// model of Stackless's scheduler (model.ts) and against
// invariants that hold whatever the order: no value lost or duplicated, FIFO per channel,
// balance = waiting senders - waiting receivers at every step, one tasklet at a time, every
// tasklet ends or is reported blocked. The model itself is first checked against the observed
// Stackless 3.7.5 traces of the scheduler and of channels.
import { expect } from 'chai';
import fc from 'fast-check';
import { DeadlockError, blockOn, channel, getruncount, run, schedule, type Channel, type Tasklet } from '../../../lib/tasklets/index.js';
import { cleanUp, execute, type Timeline } from './execute.js';
import { channelSpecArb, model, programArb, type ChannelSpec, type Op, type Program } from './model.js';
import { withForcedYields } from '../helpers.js';
import { UserValueError, raises, stacklessTestCase, tasklet } from './support.js';

/**
 * Between two moments at which tasklet code resumed (a, then b), the schedule callback's
 * switches form a chain from a to b: the first has prev a, each next is the following prev, the
 * last has next b (tasklets killed before they started run no code but are switched through);
 * no switch has prev === next, and none at all when a === b.
 */
function checkSwitchChain(timeline: Timeline): string[] {
  const problems: string[] = [];
  let last = -1;
  let chain: { prev: number; next: number }[] = [];
  for (const e of timeline) {
    if (e.kind === 'switch') {
      if (e.prev === e.next) problems.push(`a switch from ${e.prev} to itself`);
      chain.push(e);
      continue;
    }
    if (last !== -1) {
      if (chain.length === 0) {
        if (last !== e.who) problems.push(`${e.who} resumed after ${last} without a switch`);
      } else {
        if (chain[0].prev !== last) problems.push(`switch from ${chain[0].prev} while ${last} was running`);
        for (let k = 1; k < chain.length; k++) {
          if (chain[k].prev !== chain[k - 1].next) problems.push(`switch chain broken: ${chain[k - 1].next} then ${chain[k].prev}`);
        }
        if (chain[chain.length - 1].next !== e.who) problems.push(`switched to ${chain[chain.length - 1].next} but ${e.who} resumed`);
      }
    }
    last = e.who;
    chain = [];
  }
  return problems;
}

/** Value bookkeeping read off a trace: no duplicates, nothing from nowhere, nothing lost. */
function checkValues(p: Program, trace: string[], final: string[] = []): void {
  const sentOn = new Map<string, number>();
  [...p.tasklets, p.main].forEach((ops) => ops.forEach((op) => (op.kind === 'send' || op.kind === 'sendErr') && sentOn.set(op.value, op.ch)));
  const received = new Map<string, number>();
  const completedSends: string[] = [];
  // a tasklet killed, or hit by another tasklet's error, after it was handed a value but before
  // it resumed to return it, loses the value (Stackless overwrites its tempval)
  // (and a receiver still runnable at the end, when main's run() returned early, has not yet
  // returned its value)
  const killed = trace.some((e) => e.endsWith('!exit') || e.includes('!boom')) || final.includes('runnable');
  for (const e of trace) {
    let m = /<recv\(c(\d+)\):(.*)$/.exec(e) ?? /!sent c(\d+) (.*)$/.exec(e);
    if (m) {
      const v = m[2];
      expect(received.has(v), `value ${v} received twice`).to.equal(false);
      expect(sentOn.get(v), `value ${v} received on c${m[1]} but sent on c${sentOn.get(v)}`).to.equal(Number(m[1]));
      received.set(v, Number(m[1]));
      continue;
    }
    m = /<send\(c(\d+)\):(.*)$/.exec(e);
    if (m) completedSends.push(m[2]);
  }
  // otherwise every completed send was received by someone
  if (!killed) for (const v of completedSends) expect(received.has(v), `value ${v} was sent but never received`).to.equal(true);
}

// ---------------------------------------------------------------------------------------------

/**
 * For random programs from `arb`, lib/tasklets does exactly what the model says (same trace,
 * same final states, same balances), one tasklet at a time, with balance = waiting senders -
 * waiting receivers at every step, and no value duplicated, invented or lost.
 */
async function holdsForModel(arb: fc.Arbitrary<Program>, numRuns: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arb, async (p) => {
      const expected = model(p);
      const actual = await execute(p);
      try {
        expect(actual.concurrencyViolations).to.deep.equal([]);
        expect(actual.balanceViolations).to.deep.equal([]);
        expect(actual.trace).to.deep.equal(expected.trace);
        expect(actual.final).to.deep.equal(expected.final);
        expect(actual.balances).to.deep.equal(expected.balances);
        checkValues(p, actual.trace, actual.final);
      } finally {
        await cleanUp(actual.tasklets);
      }
    }),
    { numRuns },
  );
}

/** Rewrites a model trace of one producer and one consumer in the notation of the observed Stackless traces. */
function producerConsumerNotation(trace: string[], names: Record<string, string>): string {
  return trace
    .filter((e) => !e.startsWith('M'))
    .map((e) => {
      let m: RegExpExecArray | null;
      if ((m = /^(t\d)>send\(c\d,t\d\.(\d+)\)$/.exec(e))) return `${names[m[1]]}>send${m[2]}`;
      if ((m = /^(t\d)<send\(c\d\):t\d\.(\d+)$/.exec(e))) return `${names[m[1]]}<sent${m[2]}`;
      if ((m = /^(t\d)>recv\(c\d\)$/.exec(e))) return `${names[m[1]]}>recv`;
      if ((m = /^(t\d)<recv\(c\d\):t\d\.(\d+)$/.exec(e))) return `${names[m[1]]}<got${m[2]}`;
      if ((m = /^(t\d)\$$/.exec(e))) return `${names[m[1]]}-end`;
      return e;
    })
    .join(' ');
}

describe('tasklets property reference model', function () {
  stacklessTestCase();
  // The observed Stackless 3.7 channel traces: the model must reproduce them before
  // it may judge lib/tasklets.
  const observed: [string, ChannelSpec, 'P' | 'C', number, string][] = [
    ['-1', { preference: -1, scheduleAll: false }, 'P', 3, 'P>send0 C>recv C<got0 C>recv P<sent0 P>send1 C<got1 C>recv P<sent1 P>send2 C<got2 C-end P<sent2 P-end'],
    ['0', { preference: 0, scheduleAll: false }, 'P', 3, 'P>send0 C>recv C<got0 C>recv P<sent0 P>send1 P<sent1 P>send2 C<got1 C>recv C<got2 C-end P<sent2 P-end'],
    ['1', { preference: 1, scheduleAll: false }, 'P', 3, 'P>send0 C>recv P<sent0 P>send1 C<got0 C>recv P<sent1 P>send2 C<got1 C>recv P<sent2 P-end C<got2 C-end'],
    ['scheduleAll', { preference: -1, scheduleAll: true }, 'P', 3, 'P>send0 C>recv P<sent0 P>send1 C<got0 C>recv P<sent1 P>send2 C<got1 C>recv P<sent2 P-end C<got2 C-end'],
    ['-1', { preference: -1, scheduleAll: false }, 'C', 2, 'C>recv P>send0 C<got0 C>recv P<sent0 P>send1 C<got1 C-end P<sent1 P-end'],
    ['0', { preference: 0, scheduleAll: false }, 'C', 2, 'C>recv P>send0 P<sent0 P>send1 C<got0 C>recv C<got1 C-end P<sent1 P-end'],
    ['1', { preference: 1, scheduleAll: false }, 'C', 2, 'C>recv P>send0 P<sent0 P>send1 C<got0 C>recv P<sent1 P-end C<got1 C-end'],
    ['scheduleAll', { preference: -1, scheduleAll: true }, 'C', 2, 'C>recv P>send0 C<got0 C>recv P<sent0 P>send1 C<got1 C-end P<sent1 P-end'],
  ];
  for (const [label, spec, first, n, expected] of observed) {
    it(`reproduces the observed producer/consumer trace with ${first} created first, preference ${label}`, function () {
      const producerIndex = first === 'P' ? 0 : 1;
      const producer: Op[] = Array.from({ length: n }, (_, j) => ({ kind: 'send', ch: 0, value: `t${producerIndex}.${j}` }));
      const consumer: Op[] = Array.from({ length: n }, () => ({ kind: 'recv', ch: 0 }));
      const p: Program = { channels: [spec], tasklets: first === 'P' ? [producer, consumer] : [consumer, producer], main: [] };
      const names = first === 'P' ? { t0: 'P', t1: 'C' } : { t0: 'C', t1: 'P' };
      expect(producerConsumerNotation(model(p).trace, names)).to.equal(expected);
    });
  }

  for (const [label, spec, first, n, expected] of observed) {
    it(`lib/tasklets gives the observed producer/consumer trace with ${first} created first, preference ${label}`, async function () {
      const producerIndex = first === 'P' ? 0 : 1;
      const producer: Op[] = Array.from({ length: n }, (_, j) => ({ kind: 'send', ch: 0, value: `t${producerIndex}.${j}` }));
      const consumer: Op[] = Array.from({ length: n }, () => ({ kind: 'recv', ch: 0 }));
      const p: Program = { channels: [spec], tasklets: first === 'P' ? [producer, consumer] : [consumer, producer], main: [] };
      const names = first === 'P' ? { t0: 'P', t1: 'C' } : { t0: 'C', t1: 'P' };
      const actual = await execute(p);
      try {
        expect(producerConsumerNotation(actual.trace, names)).to.equal(expected);
      } finally {
        await cleanUp(actual.tasklets);
      }
    });
  }

  it('reproduces the round-robin trace of Stackless 3.7.5 (A0 B0 C0 A1 B1 C1 A-end B-end C-end)', function () {
    const w: Op[] = [{ kind: 'schedule' }, { kind: 'schedule' }];
    const trace = model({ channels: [{ preference: -1, scheduleAll: false }], tasklets: [w, w, w], main: [] }).trace.filter((e) => !e.startsWith('M'));
    const names = ['A', 'B', 'C'];
    const count = [0, 0, 0];
    const short = trace
      .map((e) => {
        const i = Number(e[1]);
        if (e.endsWith('>schedule')) return `${names[i]}${count[i]++}`;
        if (e.endsWith('$')) return `${names[i]}-end`;
        return '';
      })
      .filter((e) => e !== '');
    expect(short.join(' ')).to.equal('A0 B0 C0 A1 B1 C1 A-end B-end C-end');
  });
});

withForcedYields('tasklets properties (fast-check)', function () {
  stacklessTestCase();
  this.timeout(120000);

  it('random programs of sends, receives and schedules run exactly as the Stackless model says, one tasklet at a time', async function () {
    await holdsForModel(programArb(false), 300);
  });

  it('random programs with kills as well: kill is synchronous, blocked victims leave their channel, the model still holds', async function () {
    await holdsForModel(programArb(true), 300);
  });

  it('random programs where main takes part (sends, receives, schedules, kills, run()): same order, same results and the same deadlock errors as the model', async function () {
    await holdsForModel(programArb(true, true), 400);
  });

  it('random programs with pending kills, insert(), t.run() and scheduleRemove() too, main taking part: the model still holds', async function () {
    await holdsForModel(programArb(true, true, true), 400);
  });

  it('random programs that also close and reopen channels: close() wakes nobody, only an operation that would block fails, as the model says', async function () {
    await holdsForModel(programArb(true, true, true, false, true), 400);
  });

  it('hooks over random programs: the schedule callback sees every switch as a chain from the tasklet that stopped to the one that runs; the channel callback sees every send and receive before it acts, with the right direction, willBlock and tempval', async function () {
    await fc.assert(
      fc.asyncProperty(programArb(true, true, true, false, false), async (p) => {
        const expected = model(p);
        const actual = await execute(p, true);
        try {
          expect(actual.trace).to.deep.equal(expected.trace);
          expect(actual.channelCalls).to.deep.equal(expected.channelCalls);
          expect(checkSwitchChain(actual.timeline)).to.deep.equal([]);
          expect(actual.timeline.some((e) => e.kind === 'switch') || actual.timeline.every((e) => e.kind === 'runs' && e.who === p.tasklets.length)).to.equal(true);
        } finally {
          await cleanUp(actual.tasklets);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('random programs that also send errors (sendThrow): they follow the rules of send and are raised out of the receiver\'s receive(), as the model says', async function () {
    await holdsForModel(programArb(true, true, true, false, true, false, true), 400);
  });

  it('state over random programs: at every operation getruncount() and each tasklet\'s alive / blocked / scheduled / paused are those of the model', async function () {
    await fc.assert(
      fc.asyncProperty(programArb(true, true, true, false, true, false, true), async (p) => {
        const expected = model(p);
        const actual = await execute(p);
        try {
          expect(actual.trace).to.deep.equal(expected.trace);
          expect(actual.states).to.deep.equal(expected.states);
        } finally {
          await cleanUp(actual.tasklets);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('random programs whose main ends by returning to the event loop instead of calling run(): the automatic event-loop turn runs the tasklets exactly as run() would', async function () {
    await fc.assert(
      fc.asyncProperty(programArb(true, true, true, false, true, false, true), async (p) => {
        const expected = model(p);
        // without the final run() main logs neither its M>run nor its M<run
        const trace = [...expected.trace];
        trace.splice(trace.lastIndexOf('M<run'), 1);
        trace.splice(trace.lastIndexOf('M>run'), 1);
        const actual = await execute(p, false, true);
        try {
          expect(actual.concurrencyViolations).to.deep.equal([]);
          expect(actual.balanceViolations).to.deep.equal([]);
          expect(actual.trace).to.deep.equal(trace);
          expect(actual.final).to.deep.equal(expected.final);
          expect(actual.balances).to.deep.equal(expected.balances);
        } finally {
          await cleanUp(actual.tasklets);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('random programs where tasklets call run() too (nested run(), woken by the ring emptying or by being switched to): the model holds', async function () {
    await holdsForModel(programArb(true, true, true, false, true, true), 400);
  });

  it('random programs where tasklets also throw: each uncaught error goes to main at once, raised where main is suspended, and the others stay queued, as the model says', async function () {
    await holdsForModel(programArb(true, true, true, true), 400);
  });

  it('after run() every tasklet has ended or is blocked on a channel, balance counts the blocked ones, and a deadlock error reports each with its channel', async function () {
    await fc.assert(
      fc.asyncProperty(programArb(true), async (p) => {
        const actual = await execute(p);
        try {
          for (let i = 0; i < actual.tasklets.length; i++) {
            const t = actual.tasklets[i];
            expect(actual.final[i], `t${i} neither ended nor blocked`).to.not.equal('runnable');
            expect(t.scheduled, `t${i} scheduled iff blocked`).to.equal(t.blocked);
          }
          expect(getruncount()).to.equal(1);
          const blocked = actual.final.filter((f) => f === 'blocked').length;
          const waiting = actual.channels.reduce((n, c) => n + Math.abs(c.balance), 0);
          expect(waiting).to.equal(blocked);
          // main blocking now is a deadlock, and the error reports every blocked tasklet with
          // the channel it waits on and its direction
          const error = await raises(() => channel<string>().receive(), DeadlockError, /^Deadlock: the last runnable tasklet cannot be blocked\.$/);
          const reported = (error as DeadlockError).blocked.map((entry) => {
            const i = actual.tasklets.indexOf(entry.tasklet as Tasklet);
            return `t${i} ${entry.waiting} c${actual.channels.indexOf(entry.channel as Channel<string>)}`;
          });
          const expectedReport = actual.tasklets
            .map((t, i) => ({ t, i, w: actual.waitingOn[i] }))
            .filter(({ t }) => t.blocked)
            .map(({ i, w }) => `t${i} ${w?.dir === 1 ? 'sending' : 'receiving'} c${w?.ch}`);
          expect([...reported].sort()).to.deep.equal([...expectedReport].sort());
          for (const entry of (error as DeadlockError).blocked) {
            expect((error as DeadlockError).report).to.include((entry.tasklet as Tasklet).toString());
          }
        } finally {
          await cleanUp(actual.tasklets);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('FIFO per channel: blocked senders are served in the order they blocked, also after kills among them', async function () {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        channelSpecArb,
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        async (k, spec, killMask) => {
          const ch = channel<number>();
          ch.preference = spec.preference;
          ch.scheduleAll = spec.scheduleAll;
          const ts = Array.from({ length: k }, (_, i) =>
            tasklet(async () => {
              await ch.send(i);
            }).setup(),
          );
          try {
            await run();
            expect(ch.balance).to.equal(k);
            let waiting = k;
            for (let i = 0; i < k; i++) {
              if (killMask[i]) {
                await ts[i].kill();
                waiting -= 1;
                expect(ch.balance).to.equal(waiting);
                expect(ts[i].alive).to.equal(false);
              }
            }
            const got: number[] = [];
            while (ch.balance > 0) {
              got.push(await ch.receive());
              waiting -= 1;
              expect(ch.balance).to.equal(waiting);
            }
            expect(got).to.deep.equal(ts.map((_, i) => i).filter((i) => !killMask[i]));
            await run();
            for (const t of ts) expect(t.alive).to.equal(false);
          } finally {
            await cleanUp(ts);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('FIFO per channel: blocked receivers get the values in the order they blocked, also after kills among them', async function () {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        channelSpecArb,
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        async (k, spec, killMask) => {
          const ch = channel<string>();
          ch.preference = spec.preference;
          ch.scheduleAll = spec.scheduleAll;
          const got: (string | null)[] = Array.from({ length: k }, () => null);
          const ts = Array.from({ length: k }, (_, i) =>
            tasklet(async () => {
              got[i] = await ch.receive();
            }).setup(),
          );
          try {
            await run();
            expect(ch.balance).to.equal(-k);
            let waiting = k;
            for (let i = 0; i < k; i++) {
              if (killMask[i]) {
                await ts[i].kill();
                waiting -= 1;
                expect(ch.balance).to.equal(-waiting);
              }
            }
            let n = 0;
            while (ch.balance < 0) {
              await ch.send(`v${n++}`);
              waiting -= 1;
              expect(ch.balance).to.equal(-waiting);
            }
            await run();
            const survivors = ts.map((_, i) => i).filter((i) => !killMask[i]);
            expect(survivors.map((i) => got[i])).to.deep.equal(survivors.map((_, j) => `v${j}`));
            for (let i = 0; i < k; i++) if (killMask[i]) expect(got[i]).to.equal(null);
            for (const t of ts) expect(t.alive).to.equal(false);
          } finally {
            await cleanUp(ts);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('blockOn over promises settling in any order (fast-check scheduler): a settling promise never resumes a tasklet by itself; the event-loop turn resumes them in settling order, one at a time, each with its own result', async function () {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.record({ value: fc.integer(), fail: fc.boolean(), extraSchedules: fc.nat(2) }), { minLength: 1, maxLength: 6 }),
        async (s, specs) => {
          const results: unknown[] = specs.map(() => undefined);
          const settled: number[] = [];
          const resumedOrder: number[] = [];
          const violations: string[] = [];
          let active = -1;
          let steps = 0;
          const enter = (i: number) => {
            if (active !== -1) violations.push(`t${i} runs while t${active} is running`);
            active = i;
            steps += 1;
          };
          const leave = (i: number) => {
            if (active !== i) violations.push(`t${i} leaves but t${active} was running`);
            active = -1;
          };
          const ts = specs.map((spec, i) =>
            tasklet(async () => {
              enter(i);
              const p = s.schedule(spec.fail ? Promise.reject(new UserValueError(spec.value)) : Promise.resolve(spec.value), `p${i}`);
              p.then(
                () => settled.push(i),
                () => settled.push(i),
              );
              leave(i);
              try {
                const v = await blockOn(p);
                enter(i);
                results[i] = v;
              } catch (e) {
                enter(i);
                results[i] = e;
              }
              resumedOrder.push(i);
              for (let k = 0; k < spec.extraSchedules; k++) {
                leave(i);
                await schedule();
                enter(i);
              }
              leave(i);
            }).setup(),
          );
          try {
            await run(); // every tasklet starts and waits in blockOn
            expect(steps).to.equal(specs.length);
            while (s.count() > 0) {
              const before = steps;
              await s.waitOne();
              for (let k = 0; k < 10; k++) await null;
              expect(steps, 'a settling promise resumed a tasklet without the scheduler').to.equal(before);
            }
            for (let k = 0; k < 1000 && ts.some((t) => t.alive); k++) await new Promise((r) => setImmediate(r));
            expect(violations).to.deep.equal([]);
            for (const t of ts) expect(t.alive).to.equal(false);
            expect(resumedOrder).to.deep.equal(settled);
            specs.forEach((spec, i) => {
              if (spec.fail) {
                expect(results[i]).to.be.instanceOf(UserValueError);
                expect((results[i] as UserValueError).args).to.deep.equal([spec.value]);
              } else {
                expect(results[i]).to.equal(spec.value);
              }
            });
          } finally {
            await cleanUp(ts);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('main awaiting settled promises never lets a spawned tasklet run; only run() (or an event-loop turn) does', async function () {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 50 }), async (n, awaits) => {
        const ran: number[] = [];
        const ts = Array.from({ length: n }, (_, i) =>
          tasklet(async () => {
            ran.push(i);
          }).setup(),
        );
        try {
          for (let k = 0; k < awaits; k++) await (k % 2 === 0 ? null : Promise.resolve(k));
          expect(ran).to.deep.equal([]);
          expect(getruncount()).to.equal(n + 1);
          await run();
          expect(ran).to.deep.equal(ts.map((_, i) => i));
        } finally {
          await cleanUp(ts);
        }
      }),
      { numRuns: 100 },
    );
  });
});
