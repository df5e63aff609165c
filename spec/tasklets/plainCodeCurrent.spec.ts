// Plain code run by Node's event loop (a timer, an immediate) is main's: whenever the scheduler
// gives the event loop a turn, no tasklet is left as the current one (Stackless: outside the
// scheduler's run, the current tasklet is main). twistless's own rule; the one exception, a
// tasklet holding the turn in a foreign await, is pinned in scheduler.spec.ts.
import { expect } from 'chai';
import { ChannelProcessor } from '../../lib/channelProcessor/index.js';
import { Deferred } from '../../lib/defer/index.js';
import { blockOn, blockingTasklet, channel, deferredTasklet, getcurrent, run, schedule, tasklet, type Tasklet } from '../../lib/tasklets/index.js';
import { setTimeSlice } from '../../lib/tasklets/scheduler/timeSlice.js';
import { cleanScheduler, until } from './helpers.js';

/** Records who plain code in timers and immediates sees as current, until `stop()`. */
function watchPlainCode(): { seen: Set<string>; stop: () => void } {
  const seen = new Set<string>();
  let on = true;
  const onTimer = (): void => {
    if (!on) return;
    seen.add(String(getcurrent()));
    setTimeout(onTimer, 0);
  };
  const onImmediate = (): void => {
    if (!on) return;
    seen.add(String(getcurrent()));
    setImmediate(onImmediate);
  };
  setTimeout(onTimer, 0);
  setImmediate(onImmediate);
  return { seen, stop: () => void (on = false) };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('tasklets: plain code in event-loop callbacks runs as main', function () {
  cleanScheduler();

  describe('a tasklet waiting for a call it sent aside (made inside an action) waits off the turn', function () {
    for (const how of ['awaits', 'returns']) {
      for (const outcome of ['a value', 'an error']) {
        it(`a helper of an action that ${how} another processor's call, ending with ${outcome}: timers see main and their calls are plain code's; the helper gets the outcome; the others run meanwhile`, async function () {
          const gate = new Deferred<number>();
          const other = new ChannelProcessor(async (x: number) => {
            const v = x + (await blockOn(gate));
            if (outcome === 'an error') throw new RangeError(`bad ${v}`);
            return v;
          });
          let helper: Tasklet | null = null;
          let resumedAs: Tasklet | null = null;
          const cp: ChannelProcessor<(x: number) => Promise<unknown>> = new ChannelProcessor(async (x: number) => {
            if (x === 0) return 'plain';
            const d = deferredTasklet(async () => {
              helper = getcurrent();
              if (how === 'returns') return other.call(x);
              try {
                return await other.call(x);
              } finally {
                resumedAs = getcurrent();
              }
            })();
            try {
              return await blockOn(d);
            } catch (e) {
              return `caught ${String(e)}`;
            }
          });
          const watch = watchPlainCode();
          const log: string[] = [];
          tasklet(async () => {
            for (let i = 0; i < 3; i++) {
              log.push(`other ${i}`);
              await schedule();
            }
          }).setup();
          let fromTimer: Deferred<unknown> | null = null;
          setTimeout(() => (fromTimer = cp.call(0)), 1);
          const first = cp.call(1);
          await sleep(5);
          expect(log).to.deep.equal(['other 0', 'other 1', 'other 2']);
          gate.callback(2);
          const got = await first;
          watch.stop();
          expect([...watch.seen]).to.deep.equal(['<tasklet main>']);
          if (outcome === 'a value') expect(got).to.equal(3);
          else expect(String(got)).to.contain('bad 3');
          if (how === 'awaits') expect(resumedAs).to.equal(helper);
          await until(() => fromTimer !== null);
          expect(await (fromTimer as unknown as Deferred<unknown>)).to.equal('plain');
          await cp.stop();
          await other.stop();
        });
      }
    }
  });

  describe('every way the scheduler gives the event loop a turn leaves main current', function () {
    const cases: Record<string, () => Promise<void>> = {
      'the automatic turn, tasklets runnable and switching': async () => {
        const ch = channel<number>();
        tasklet(async () => {
          for (let i = 0; i < 20; i++) await ch.send(i);
        }).setup();
        tasklet(async () => {
          for (let i = 0; i < 20; i++) await ch.receive();
        }).setup();
        await sleep(5);
      },
      'time-slice yields inside the automatic turn': async () => {
        const old = setTimeSlice(1, 0);
        try {
          const ch = channel<number>();
          tasklet(async () => {
            for (let i = 0; i < 50; i++) await ch.send(i);
          }).setup();
          tasklet(async () => {
            for (let i = 0; i < 50; i++) await ch.receive();
          }).setup();
          await sleep(10);
        } finally {
          setTimeSlice(old[0], old[1]);
        }
      },
      'time-slice yields while main awaits run()': async () => {
        const old = setTimeSlice(1, 0);
        try {
          tasklet(async () => {
            for (let i = 0; i < 50; i++) await schedule();
          }).setup();
          tasklet(async () => {
            for (let i = 0; i < 50; i++) await schedule();
          }).setup();
          await run();
        } finally {
          setTimeSlice(old[0], old[1]);
        }
      },
      'run() returning with tasklets blocked': async () => {
        const ch = channel<number>();
        tasklet(async () => void (await ch.receive())).setup();
        await run();
        await sleep(2);
        await ch.send(1);
      },
      'tasklets waiting in blockOn (nobody holds the turn)': async () => {
        tasklet(async () => void (await blockOn(sleep(3)))).setup();
        tasklet(async () => void (await blockOn(new Promise((r) => setImmediate(r))))).setup();
        await run();
        await sleep(6);
      },
      'a blockingTasklet call from plain code awaited by main': async () => {
        const f = blockingTasklet(async () => blockOn(sleep(3)));
        await f();
      },
      'a ChannelProcessor call from plain code, its action blocking the loop': async () => {
        const cp = new ChannelProcessor(async (x: number) => {
          await blockOn(sleep(3));
          return x;
        });
        expect(await cp.call(1)).to.equal(1);
        await cp.stop();
      },
    };
    for (const [name, body] of Object.entries(cases)) {
      it(`${name}: timers and immediates see main`, async function () {
        const watch = watchPlainCode();
        await body();
        await until(() => true);
        await sleep(2);
        watch.stop();
        expect([...watch.seen]).to.deep.equal(['<tasklet main>']);
      });
    }
  });
});
