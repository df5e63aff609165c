// blockOn handed what a tasklet operation just returned to its caller (`await blockOn(ch.receive())`,
// `await blockOn(cp.call(x))`): the operation parked the caller synchronously, so blockOn runs while
// another tasklet holds the turn. It must wait for the caller's own operation, as `await` would:
// no hang, no other tasklet blocked in its place, no error lost (twistless's own rule: in Python a
// blocking call returns its result, never a Deferred to block on).
import { expect } from 'chai';
import { ChannelProcessor } from '../../lib/channelProcessor/index.js';
import { Deferred } from '../../lib/defer/index.js';
import { blockOn, blockingTasklet, channel, getcurrent, getmain, run, schedule, tasklet, type Tasklet } from '../../lib/tasklets/index.js';
import { cleanScheduler, until } from './helpers.js';

interface Entry {
  /** Sets up what completes the operation (a partner tasklet, a timer); returns the operation. */
  start(): () => PromiseLike<unknown>;
  /** What the caller gets: a value, or an error of this class. */
  expected: unknown;
  /** Clean-up once done (a processor to stop). */
  end?(): PromiseLike<unknown>;
}

class OpFailed extends Error {
  constructor() {
    super('the operation failed');
    this.name = 'OpFailed';
  }
}

function entries(): Record<string, () => Entry> {
  return {
    'ch.receive()': () => {
      const ch = channel<number>();
      tasklet(async () => ch.send(7)).setup();
      return { start: () => () => ch.receive(), expected: 7 };
    },
    'ch.receive() of a sendThrow': () => {
      const ch = channel<number>();
      tasklet(async () => ch.sendThrow(new OpFailed())).setup();
      return { start: () => () => ch.receive(), expected: OpFailed };
    },
    'ch.send(v)': () => {
      const ch = channel<number>();
      tasklet(async () => void (await ch.receive())).setup();
      return { start: () => () => ch.send(3), expected: undefined };
    },
    'schedule(v)': () => ({ start: () => () => schedule('s'), expected: 's' }),
    'other.run()': () => {
      const other = tasklet(async () => undefined).bind(null, []); // alive, paused: run() starts it
      return { start: () => () => other.run(), expected: undefined };
    },
    'a blockingTasklet call': () => {
      const double = blockingTasklet(async (x: number) => {
        await schedule();
        return x * 2;
      });
      return { start: () => () => double(4) as PromiseLike<number>, expected: 8 };
    },
    'a blockingTasklet call that fails': () => {
      const bad = blockingTasklet(async () => {
        await schedule();
        throw new OpFailed();
      });
      return { start: () => () => bad() as PromiseLike<never>, expected: OpFailed };
    },
    'blockOn(promise)': () => ({ start: () => () => blockOn(new Promise((r) => setTimeout(() => r('late'), 2))), expected: 'late' }),
    'cp.call(x) answered later (its action blocks the loop)': () => {
      const gate = new Deferred<number>();
      const cp = new ChannelProcessor(async (x: number) => x + (await blockOn(gate)));
      setTimeout(() => gate.callback(5), 2);
      return { start: () => () => cp.call(1), expected: 6, end: () => cp.stop() };
    },
    'cp.call(x) whose action fails later': () => {
      const gate = new Deferred<number>();
      const cp = new ChannelProcessor(async (_x: number) => {
        await blockOn(gate);
        throw new OpFailed();
      });
      setTimeout(() => gate.callback(0), 2);
      return { start: () => () => cp.call(1), expected: OpFailed, end: () => cp.stop() };
    },
    'cp.call(x) queued behind a busy loop': () => {
      const gate = new Deferred<number>();
      const cp = new ChannelProcessor(async (x: number) => (x === 0 ? blockOn(gate) : x * 10));
      void cp.call(0);
      setTimeout(() => gate.callback(0), 2);
      return { start: () => () => cp.call(2), expected: 20, end: () => cp.stop() };
    },
  };
}

describe('tasklets bridge: blockOn of what an operation just returned to its parked caller', function () {
  cleanScheduler();

  for (const [name, make] of Object.entries(entries())) {
    for (const beside of ['another tasklet runnable beside it', 'no other tasklet runnable']) {
      it(`blockOn(${name}), ${beside}: the caller gets its own outcome, as itself; nobody else is blocked`, async function () {
        const e = make();
        const op = e.start();
        const log: string[] = [];
        let got: unknown = 'nothing';
        let as: Tasklet | null = null;
        let finished = false;
        if (beside.startsWith('another')) {
          tasklet(async () => {
            for (let i = 0; i < 3; i++) {
              log.push(`bystander ${i}`);
              await schedule();
            }
            log.push('bystander done');
          }).setup();
        }
        const caller = tasklet(async () => {
          try {
            got = await blockOn(op());
          } catch (err) {
            got = err;
          }
          as = getcurrent();
          finished = true;
        }).setup();
        await until(() => finished && (log.length === 0 || log.includes('bystander done')));
        if (typeof e.expected === 'function') expect(got).to.be.instanceOf(e.expected as new () => unknown);
        else expect(got).to.equal(e.expected);
        expect(as).to.equal(caller);
        if (beside.startsWith('another')) expect(log).to.deep.equal(['bystander 0', 'bystander 1', 'bystander 2', 'bystander done']);
        expect(getcurrent()).to.equal(getmain());
        if (e.end !== undefined) await e.end();
      });
    }
  }

  it('blockOn(blockOn(p)) nested three deep: the caller gets p\'s value', async function () {
    let got: unknown = null;
    tasklet(async () => {
      got = await blockOn(blockOn(blockOn(new Promise((r) => setTimeout(() => r('deep'), 2)))));
    }).setup();
    await until(() => got !== null);
    expect(got).to.equal('deep');
  });

  describe('another tasklet blocking on the same thenable is still blocked in its turn', function () {
    for (const what of ['a cp.call Deferred', 'a ch.receive() promise']) {
      it(`${what}: resumed by the very operation, blockOn first thing: both get the outcome; the others run meanwhile`, async function () {
        const gate = new Deferred<number>();
        const cp = new ChannelProcessor(async (n: number) => n + (await blockOn(gate)));
        const ch = channel<number>();
        let shared: PromiseLike<number> | null = null;
        const got: string[] = [];
        // Set up first: it yields, the caller makes its operation and parks, and it is resumed by that switch.
        tasklet(async () => {
          await schedule();
          got.push(`other ${await blockOn(shared as PromiseLike<number>)}`);
        }).setup();
        tasklet(async () => {
          shared = what.startsWith('a cp') ? cp.call(1) : ch.receive();
          got.push(`caller ${await shared}`);
        }).setup();
        tasklet(async () => {
          await schedule();
          got.push('third ran');
        }).setup();
        await until(() => got.includes('third ran'));
        expect(got).to.deep.equal(['third ran']);
        if (what.startsWith('a cp')) gate.callback(4);
        else await ch.send(5);
        await until(() => got.length === 3);
        expect(got.slice(1).sort()).to.deep.equal(['caller 5', 'other 5']);
        await cp.stop();
      });
    }

    it('plain code blocking on a call its tasklet made gets the outcome too', async function () {
      const gate = new Deferred<number>();
      const cp = new ChannelProcessor(async (n: number) => n + (await blockOn(gate)));
      let shared: PromiseLike<number> | null = null;
      let caller = 0;
      tasklet(async () => {
        shared = cp.call(1);
        caller = await shared;
      }).setup();
      await run();
      setTimeout(() => gate.callback(2), 2);
      expect(await blockOn(shared as unknown as PromiseLike<number>)).to.equal(3);
      await until(() => caller === 3);
      await cp.stop();
    });
  });
});
