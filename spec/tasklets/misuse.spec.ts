// Misuse that must give a named error saying what to do, and Python-style exception arguments
// (twistless's own rules; Python binds methods and gives every exception its `args`).
import { expect } from 'chai';
import {
  DeadlockError,
  RuntimeError,
  StopIteration,
  Tasklet,
  TaskletExit,
  UnboundChannelMethodError,
  ValueError,
  channel,
  getruncount,
  run,
  tasklet,
} from '../../lib/tasklets/index.js';
import { cleanScheduler } from './helpers.js';

async function rejection(f: () => PromiseLike<unknown>): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('tasklets: misuse gives a named error', function () {
  cleanScheduler();

  it('a channel method passed on as a plain function (tasklet(ch.send)) fails with UnboundChannelMethodError, saying to bind it', async function () {
    const ch = channel<number>();
    const methods = ['send', 'receive', 'sendException', 'sendThrow', 'sendSequence'] as const;
    for (const m of methods) {
      const f = ch[m] as (...args: unknown[]) => Promise<unknown>;
      const e = await rejection(() => f(RangeError));
      expect(e, m).to.be.instanceOf(UnboundChannelMethodError);
      expect(e).to.be.instanceOf(TypeError);
      expect((e as Error).name).to.equal('UnboundChannelMethodError');
      expect((e as Error).message).to.contain(`ch.${m}.bind(ch)`);
    }
    expect(ch.balance).to.equal(0);
  });

  it('the Stackless idiom tasklet(ch.send).setup(v) fails in the tasklet with UnboundChannelMethodError; the bound form works', async function () {
    const ch = channel<number>();
    const errors: unknown[] = [];
    tasklet(ch.send).setup(1);
    await run().catch((e: unknown) => void errors.push(e));
    expect(errors).to.have.length(1);
    expect(errors[0]).to.be.instanceOf(UnboundChannelMethodError);
    tasklet(ch.send.bind(ch)).setup(2);
    expect(await ch.receive()).to.equal(2);
  });

  it("Python's call style tasklet(f)(1) is refused at once, before anything is scheduled; setup(1) binds the arguments", async function () {
    let ran: number[] = [];
    const body = async (n: number) => void ran.push(n);
    for (const make of [() => tasklet(body), () => new Tasklet(body)]) {
      ran = [];
      const t = make();
      expect(typeof t).to.equal('object');
      expect(() => (t as unknown as (n: number) => unknown)(1)).to.throw(TypeError);
      expect(t.alive).to.equal(false);
      expect(getruncount()).to.equal(1);
      t.setup(1);
      await run();
      expect(ran).to.deep.equal([1]);
    }
  });

  it('sendSequence of a non-iterable fails with a TypeError naming what it got', async function () {
    const ch = channel<number>();
    for (const bad of [42, null, undefined, {}]) {
      const e = await rejection(() => ch.sendSequence(bad as unknown as number[]));
      expect(e).to.be.instanceOf(TypeError);
      expect((e as Error).message).to.match(/^send_sequence\(\) needs an iterable or an async iterable, got /);
    }
    expect(ch.balance).to.equal(0);
  });
});

describe('tasklets: exceptions carry their arguments', function () {
  cleanScheduler();

  it('RuntimeError, ValueError, StopIteration, TaskletExit and DeadlockError keep their constructor arguments in args', function () {
    expect(new ValueError(7).args).to.deep.equal([7]);
    expect(new ValueError(7).message).to.equal('7');
    expect(new ValueError(1, 2, 3).args).to.deep.equal([1, 2, 3]);
    expect(new RuntimeError('x', 2).args).to.deep.equal(['x', 2]);
    expect(new RuntimeError().message).to.equal('');
    expect(new StopIteration('done').args).to.deep.equal(['done']);
    expect(new TaskletExit(3).args).to.deep.equal([3]);
    expect(new DeadlockError('m', [], 'r').args).to.deep.equal(['m']);
  });

  it('send_exception(ValueError, 1, 2, 3): the receiver gets a ValueError whose args are (1, 2, 3)', async function () {
    const ch = channel<number>();
    let got: unknown = null;
    tasklet(async () => {
      try {
        await ch.receive();
      } catch (e) {
        got = e;
      }
    }).setup();
    await run();
    await ch.sendException(ValueError, 1, 2, 3);
    await run();
    expect(got).to.be.instanceOf(ValueError);
    expect((got as ValueError).args).to.deep.equal([1, 2, 3]);
  });

  it('sendException and raiseException with a class of JavaScript give the error its args too', async function () {
    const ch = channel<number>();
    const got: unknown[] = [];
    const r = tasklet(async () => {
      for (let i = 0; i < 2; i++) {
        try {
          await ch.receive();
        } catch (e) {
          got.push(e);
        }
      }
    }).setup();
    await run();
    await ch.sendException(RangeError, 'out');
    await run();
    await r.raiseException(TypeError, 'bad');
    await run();
    expect(got.map((e) => (e as { args: unknown[] }).args)).to.deep.equal([['out'], ['bad']]);
    expect(got.map((e) => (e as Error).message)).to.deep.equal(['out', 'bad']);
  });
});
