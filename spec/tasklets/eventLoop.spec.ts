// Tasklets share the thread with Node (twistless's own rule; in the article's world the reactor
// tasklet gets a turn each lap): a ring that keeps switching without ever blocking still lets
// Node's event loop run its timers and I/O, and the order among the tasklets does not change.
import { expect } from 'chai';
import { reactor } from '../../lib/reactor/index.js';
import { channel, getcurrent, run, schedule, setScheduleCallback, tasklet, type Tasklet } from '../../lib/tasklets/index.js';
import { cleanScheduler } from './helpers.js';

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
});
