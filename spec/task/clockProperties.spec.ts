// Property test: twistless's heap-based Clock against a model that is Twisted 22.4's Clock
// algorithm exactly (twisted/internet/task.py: a list stable-sorted by getTime() after every
// callLater and before and after every call advance() runs; reset() and delay() change the times
// without sorting, so the next sort sees the list in its previous order), with DelayedCall's
// reset/delay arithmetic. The pending list is compared in run order: the model's list as the next
// sort will leave it.
import { expect } from 'chai';
import fc from 'fast-check';
import { Clock } from '../../lib/task/index.js';
import { AlreadyCalled, AlreadyCancelled, type DelayedCall } from '../../lib/reactor/index.js';

class ModelCall {
  time: number;
  delayedTime = 0;
  called = false;
  cancelled = false;
  constructor(
    time: number,
    readonly id: number,
    readonly child: number | null,
  ) {
    this.time = time;
  }
  getTime(): number {
    return this.time + this.delayedTime;
  }
}

class ModelClock {
  rightNow = 0;
  calls: ModelCall[] = [];
  log: [number, number][] = [];
  all: ModelCall[] = [];
  /** The pending calls in the order the next sort leaves them (Twisted sorts lazily). */
  runOrder(): ModelCall[] {
    return this.calls.slice().sort((a, b) => a.getTime() - b.getTime());
  }
  private sort(): void {
    this.calls.sort((a, b) => a.getTime() - b.getTime()); // Array.prototype.sort is stable
  }
  callLater(delay: number, child: number | null): ModelCall {
    const c = new ModelCall(this.rightNow + delay, this.all.length, child);
    this.all.push(c);
    this.calls.push(c);
    this.sort();
    return c;
  }
  advance(amount: number): void {
    this.rightNow += amount;
    this.sort();
    while (this.calls.length > 0 && this.calls[0].getTime() <= this.rightNow) {
      const c = this.calls.shift()!;
      c.called = true;
      this.log.push([c.id, this.rightNow]);
      if (c.child !== null) this.callLater(c.child, null);
      this.sort();
    }
  }
  state(c: ModelCall): string | null {
    if (c.cancelled) return 'AlreadyCancelled';
    if (c.called) return 'AlreadyCalled';
    return null;
  }
  cancel(c: ModelCall): string | null {
    const s = this.state(c);
    if (s) return s;
    this.calls.splice(this.calls.indexOf(c), 1);
    c.cancelled = true;
    return null;
  }
  reset(c: ModelCall, s: number): string | null {
    const st = this.state(c);
    if (st) return st;
    const newTime = this.rightNow + s;
    if (newTime < c.time) {
      c.delayedTime = 0;
      c.time = newTime;
    } else {
      c.delayedTime = newTime - c.time;
    }
    return null;
  }
  delay(c: ModelCall, s: number): string | null {
    const st = this.state(c);
    if (st) return st;
    c.delayedTime += s;
    if (c.delayedTime < 0) {
      c.time += c.delayedTime;
      c.delayedTime = 0;
    }
    return null;
  }
}

type Cmd =
  | { op: 'callLater'; delay: number; child: number | null }
  | { op: 'advance'; amount: number }
  | { op: 'reset'; which: number; s: number }
  | { op: 'delay'; which: number; s: number }
  | { op: 'cancel'; which: number };

const halves = (max: number) => fc.integer({ min: 0, max: max * 2 }).map((n) => n / 2);
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('callLater' as const), delay: halves(3), child: fc.option(halves(2), { freq: 4 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('advance' as const), amount: halves(2) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('reset' as const), which: fc.nat(), s: halves(3) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delay' as const), which: fc.nat(), s: fc.integer({ min: -4, max: 4 }).map((n) => n / 2) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('cancel' as const), which: fc.nat() }) },
);

function errorName(f: () => void): string | null {
  try {
    f();
    return null;
  } catch (e) {
    if (e instanceof AlreadyCalled) return 'AlreadyCalled';
    if (e instanceof AlreadyCancelled) return 'AlreadyCancelled';
    throw e;
  }
}

// Many moves between sorts, onto few times: several calls moved sooner, later, or back, onto
// one time in one epoch, beside calls inserted at equal times.
const moveCmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('callLater' as const), delay: fc.integer({ min: 0, max: 3 }), child: fc.option(fc.integer({ min: 0, max: 2 }), { freq: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('advance' as const), amount: fc.integer({ min: 0, max: 1 }) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('reset' as const), which: fc.nat(), s: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delay' as const), which: fc.nat(), s: fc.integer({ min: -2, max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('cancel' as const), which: fc.nat() }) },
);

/** Run `cmds` on a Clock and on the model, comparing after each command. */
function check(cmds: Cmd[]): void {
    const model = new ModelClock();
    const clock = new Clock();
    const log: [number, number][] = [];
    const calls: DelayedCall[] = [];
    const ids = new Map<DelayedCall, number>();
    const schedule = (delay: number, child: number | null): void => {
      const id = calls.length;
      const call = clock.callLater(delay, () => {
        log.push([id, clock.seconds()]);
        if (child !== null) schedule(child, null);
      });
      calls.push(call);
      ids.set(call, id);
    };
    for (const c of cmds) {
      if (c.op === 'callLater') {
        model.callLater(c.delay, c.child);
        schedule(c.delay, c.child);
      } else if (c.op === 'advance') {
        model.advance(c.amount);
        clock.advance(c.amount);
      } else if (calls.length > 0) {
        const i = c.which % calls.length;
        const m = model.all[i];
        const t = calls[i];
        if (c.op === 'cancel') expect(errorName(() => t.cancel())).to.equal(model.cancel(m));
        else if (c.op === 'reset') expect(errorName(() => t.reset(c.s))).to.equal(model.reset(m, c.s));
        else expect(errorName(() => t.delay(c.s))).to.equal(model.delay(m, c.s));
      }
      expect(log).to.deep.equal(model.log);
      expect(clock.getDelayedCalls().map((d) => ids.get(d))).to.deep.equal(model.runOrder().map((m) => m.id));
      expect(clock.getDelayedCalls().map((d) => d.getTime())).to.deep.equal(model.runOrder().map((m) => m.getTime()));
      expect(calls.map((d) => d.active())).to.deep.equal(model.all.map((m) => !(m.called || m.cancelled)));
    }
}

describe('Clock properties (against a model of Twisted\'s Clock)', function () {
  it('runs the same calls at the same times in the same order, with the same pending list and errors', function () {
    fc.assert(fc.property(fc.array(cmd, { maxLength: 60 }), check), { numRuns: 300 });
  });

  it('the same when many calls are moved onto few times between sorts (sooner, later, back, several onto one time)', function () {
    fc.assert(fc.property(fc.array(moveCmd, { maxLength: 80 }), check), { numRuns: 500 });
  });

  it('the same with hundreds of calls pending (the timer heap sorts a batch of them at once)', function () {
    const bulk = fc.array(fc.record({ op: fc.constant('callLater' as const), delay: halves(60), child: fc.constant(null) }), { minLength: 280, maxLength: 400 });
    fc.assert(fc.property(bulk, fc.array(moveCmd, { maxLength: 60 }), (first, rest) => check([...first, ...rest])), { numRuns: 30 });
  });

  it('the traces of the issue: dc1 moved sooner then later onto dc0\'s time runs after dc0; calls moved the same way onto one time keep their old order', function () {
    const run = (script: (mk: (name: string, d: number) => DelayedCall) => void): string[] => {
      const clock = new Clock();
      const trace: string[] = [];
      script((name, d) => clock.callLater(d, () => trace.push(name)));
      clock.advance(10);
      return trace;
    };
    expect(run((mk) => {
      mk('dc0', 1);
      const dc1 = mk('dc1', 3);
      dc1.reset(0.5);
      dc1.reset(1);
    })).to.deep.equal(['dc0', 'dc1']);
    expect(run((mk) => {
      mk('dc0', 1);
      const a = mk('a', 3);
      const b = mk('b', 2);
      b.reset(1);
      a.reset(1);
    })).to.deep.equal(['dc0', 'b', 'a']);
    expect(run((mk) => {
      mk('dc0', 1);
      const a = mk('a', 0.25);
      const b = mk('b', 0.5);
      b.reset(1);
      a.reset(1);
    })).to.deep.equal(['a', 'b', 'dc0']);
    expect(run((mk) => {
      mk('dc0', 1);
      const a = mk('a', 0.25);
      const b = mk('b', 0.5);
      a.reset(1);
      b.reset(1);
    })).to.deep.equal(['a', 'b', 'dc0']);
    expect(run((mk) => {
      const a = mk('a', 1);
      mk('b', 1);
      a.delay(1);
      a.delay(-1);
    })).to.deep.equal(['a', 'b']);
  });
});
