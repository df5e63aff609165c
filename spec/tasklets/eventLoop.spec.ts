// Tasklets share the thread with Node (twistless's own rule; in the article's world the reactor
// tasklet gets a turn each lap): a ring that keeps switching without ever blocking still lets
// Node's event loop run its timers and I/O, and the order among the tasklets does not change.
import { expect } from 'chai';
import { reactor } from '../../lib/reactor/index.js';
import { channel, getcurrent, getruncount, run, schedule, setScheduleCallback, tasklet, type Tasklet } from '../../lib/tasklets/index.js';
import { setTimeSlice } from '../../lib/tasklets/scheduler/timeSlice.js';
import { cleanScheduler, tick } from './helpers.js';

/** Stop a busy ring after this long at most (a bound for the spec, not a timing assertion). */
const GIVE_UP_MS = 10000;

describe('tasklets: sharing the thread with Node', function () {
  cleanScheduler();

  it('a ping-pong on a channel that never blocks lets reactor.callLater(0.05) and a setTimeout fire before it is stopped', async function () {
    this.timeout(GIVE_UP_MS + 10000);
    const fired: string[] = [];
    reactor.callLater(0.05, () => void fired.push('callLater'));
    setTimeout(() => void fired.push('setTimeout'), 50);
    const ch = channel<number>();
    const start = Date.now();
    let stoppedBecause = '';
    let rounds = 0;
    tasklet(async function ping() {
      for (;;) {
        if (fired.length === 2 || Date.now() - start > GIVE_UP_MS) {
          stoppedBecause = fired.length === 2 ? 'both fired' : 'gave up';
          await ch.send(-1);
          return;
        }
        await ch.send(rounds++);
      }
    }).setup();
    tasklet(async function pong() {
      while ((await ch.receive()) >= 0);
    }).setup();
    await run();
    expect(stoppedBecause).to.equal('both fired');
    expect(fired).to.have.members(['callLater', 'setTimeout']);
    expect(rounds).to.be.greaterThan(0);
  });

  it('a lone tasklet looping on schedule() lets a setTimeout fire', async function () {
    this.timeout(GIVE_UP_MS + 10000);
    let fired = false;
    setTimeout(() => (fired = true), 20);
    const start = Date.now();
    let stoppedBecause = '';
    tasklet(async () => {
      for (;;) {
        if (fired || Date.now() - start > GIVE_UP_MS) {
          stoppedBecause = fired ? 'fired' : 'gave up';
          return;
        }
        await schedule();
      }
    }).setup();
    await run();
    expect(stoppedBecause).to.equal('fired');
  });

  it('a ring of three scheduling tasklets keeps its order and its schedule-callback trace across the turns given to Node', async function () {
    this.timeout(GIVE_UP_MS + 10000);
    let fired = false;
    setTimeout(() => (fired = true), 20);
    const start = Date.now();
    const order: string[] = [];
    const switches: [Tasklet | null, Tasklet | null][] = [];
    setScheduleCallback((prev, next) => void switches.push([prev, next]));
    let laps = 0;
    let done = false;
    const names = ['a', 'b', 'c'];
    const ts = names.map((name) =>
      tasklet(async () => {
        while (!done) {
          order.push(name);
          if (name === 'c') {
            laps++;
            if (fired || Date.now() - start > GIVE_UP_MS) done = true;
          }
          await schedule();
        }
      }).setup(),
    );
    await run();
    setScheduleCallback(null);
    expect(fired).to.equal(true);
    expect(laps).to.be.greaterThan(1);
    // Strict round robin from the first switch to the last.
    for (let i = 0; i < order.length; i++) expect(order[i]).to.equal(names[i % 3]);
    // Every switch hands the turn from the one that ran to the next in the ring: no switch to or from nobody.
    for (let i = 1; i < switches.length - 1; i++) {
      const [prev, next] = switches[i];
      expect(prev).to.not.equal(null);
      expect(next).to.not.equal(null);
      expect(next).to.equal(ts[(ts.indexOf(prev as Tasklet) + 1) % 3]);
    }
    expect(getcurrent().isMain).to.equal(true);
  });

  describe('a yield inside an automatic turn (every switch yielding)', function () {
    let old: [number, number] = [0, 0];
    beforeEach(function () {
      old = setTimeSlice(1, 0);
    });
    afterEach(function () {
      setTimeSlice(old[0], old[1]);
    });

    /** Runs `program` with main going back to the event loop, then waits until only main is runnable; returns its log. */
    async function idleRun(program: (log: string[]) => void): Promise<string[]> {
      const log: string[] = [];
      setScheduleCallback((prev, next) => void log.push(`${prev?.label ?? 'none'}->${next?.label ?? 'none'}`));
      program(log);
      for (let k = 0; k < 1000 && getruncount() > 1; k++) await tick();
      setScheduleCallback(null);
      return log;
    }

    it('hands main the turn while Node runs: plain code sees main current and counted among the runnables, and the turn goes on in the same order', async function () {
      const seen: string[] = [];
      const program = (log: string[]) => {
        for (const name of ['a', 'b']) {
          tasklet(async function body() {
            for (let i = 0; i < 3; i++) {
              log.push(`${name}${i}`);
              await schedule();
            }
          }).setup().label = name;
        }
      };
      // Plain code on every turn of the event loop while the tasklets run.
      let spying = true;
      const spy = () => {
        if (!spying) return;
        seen.push(`${String(getcurrent().isMain)}:${getruncount()}`);
        setImmediate(spy);
      };
      setImmediate(spy);
      const yielded = await idleRun(program);
      spying = false;
      setTimeSlice(old[0], old[1]);
      const plain = await idleRun(program);
      expect(yielded).to.deep.equal(plain);
      // a and b runnable beside main until a ends, then b alone beside main, then main alone
      expect(seen.every((s) => ['true:3', 'true:2', 'true:1'].includes(s)), seen.join(' ')).to.equal(true);
      expect(seen.filter((s) => s === 'true:3').length).to.be.greaterThan(3);
    });

    it('a tasklet in run() inside the automatic turn: main is parked below it again after each yield, so the order and the switches are those of the unyielded run', async function () {
      const program = (log: string[]) => {
        const inner = tasklet(async function inner() {
          for (let i = 0; i < 2; i++) {
            log.push(`i${i}`);
            await schedule();
          }
        });
        inner.label = 'i';
        tasklet(async function outer() {
          log.push('o>run');
          inner.setup();
          tasklet(async () => void log.push('x')).setup().label = 'x';
          await run();
          log.push('o<run');
          await schedule();
          log.push('o$');
        }).setup().label = 'o';
        tasklet(async () => {
          log.push('p0');
          await schedule();
          log.push('p1');
        }).setup().label = 'p';
      };
      const yielded = await idleRun(program);
      setTimeSlice(old[0], old[1]);
      const plain = await idleRun(program);
      expect(yielded).to.deep.equal(plain);
      expect(plain).to.include('o<run');
    });
  });
});
