// Stackless's misuse errors: exact texts, error classes, and nothing lost.
import { expect } from 'chai';
import {
  RuntimeError,
  TaskletExit,
  ValueError,
  channel,
  getcurrent,
  getmain,
  run,
  schedule,
  tasklet,
} from '../../lib/tasklets/index.js';
import { cleanScheduler } from './helpers.js';

async function rejects(action: () => unknown): Promise<Error> {
  try {
    await action();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}

describe('tasklets misuse errors', function () {
  cleanScheduler();

  it('insert/run/switch a dead or never-bound tasklet: "You cannot run an unbound(dead) tasklet"', async function () {
    const t = tasklet(async () => undefined);
    expect(() => t.insert()).to.throw(RuntimeError, /^You cannot run an unbound\(dead\) tasklet$/);
    expect((await rejects(() => t.run())).message).to.equal('You cannot run an unbound(dead) tasklet');
    expect((await rejects(() => t.switch())).message).to.equal('You cannot run an unbound(dead) tasklet');
  });

  it('a blocked tasklet: "You cannot run a blocked tasklet", "You cannot remove a blocked tasklet."; the channel keeps its waiter', async function () {
    const ch = channel<number>();
    const t = tasklet(async () => void (await ch.receive())).setup();
    await run();
    expect(() => t.insert()).to.throw(RuntimeError, /^You cannot run a blocked tasklet$/);
    expect((await rejects(() => t.run())).message).to.equal('You cannot run a blocked tasklet');
    expect(() => t.remove()).to.throw(RuntimeError, /^You cannot remove a blocked tasklet\.$/);
    expect(ch.balance).to.equal(-1);
    await ch.send(1);
    await run();
  });

  it('remove the current tasklet: "The current tasklet cannot be removed."; bind it: "can\'t (re)bind the current tasklet"', function () {
    expect(() => getcurrent().remove()).to.throw(RuntimeError, /^The current tasklet cannot be removed\.$/);
    expect(() => getmain().bind(null)).to.throw(RuntimeError, /^can't \(re\)bind the current tasklet$/);
  });

  it('bind a scheduled tasklet: "tasklet is scheduled"; a non-callable: TypeError "tasklet function must be a callable or None"', async function () {
    const t = tasklet(async () => undefined).setup();
    expect(() => t.bind(async () => undefined)).to.throw(RuntimeError, /^tasklet is scheduled$/);
    expect(() => tasklet(42 as never)).to.throw(TypeError, /^tasklet function must be a callable or None$/);
    await run();
  });

  it('setup twice: "tasklet is alive"; setup unbound: "the tasklet was not bound to a function"', async function () {
    const t = tasklet(async () => undefined).setup();
    expect(() => t.setup()).to.throw(RuntimeError, /^tasklet is alive$/);
    await run();
    expect(() => t.setup()).to.throw(RuntimeError, /^the tasklet was not bound to a function$/);
  });

  it('throw to a dead tasklet: "You cannot throw to a dead tasklet"; TaskletExit to it is a no-op', async function () {
    const t = tasklet(async () => undefined).setup();
    await run();
    expect((await rejects(() => t.throw(new Error('x')))).message).to.equal('You cannot throw to a dead tasklet');
    expect((await rejects(() => t.raiseException(Error, 'x'))).message).to.equal('You cannot throw to a dead tasklet');
    await t.throw(new TaskletExit());
    await t.kill();
  });

  it('block trap: "this tasklet does not like to be blocked."; non-blocking operations still work', async function () {
    const ch = channel<number>();
    const m = getmain();
    tasklet(async () => await ch.send(5)).setup();
    await run();
    m.blockTrap = true;
    try {
      expect(await ch.receive()).to.equal(5);
      expect((await rejects(() => ch.receive())).message).to.equal('this tasklet does not like to be blocked.');
    } finally {
      m.blockTrap = false;
    }
    expect(ch.balance).to.equal(0);
    await run();
  });

  it('preference: clamps to -1/0/1, true is 1, a non-number is TypeError "preference must be set to an integer"', function () {
    const ch = channel();
    ch.preference = 5;
    expect(ch.preference).to.equal(1);
    ch.preference = -9;
    expect(ch.preference).to.equal(-1);
    ch.preference = true as never;
    expect(ch.preference).to.equal(1);
    expect(() => (ch.preference = 'x' as never)).to.throw(TypeError, /^preference must be set to an integer$/);
    expect(ch.preference).to.equal(1);
  });

  it('sendException() and raiseException() with no arguments: "... takes at least 1 argument"', async function () {
    const ch = channel();
    expect((await rejects(() => (ch.sendException as () => Promise<void>)())).message).to.equal('send_exception() takes at least 1 argument');
    const t = tasklet(async () => undefined).setup();
    expect((await rejects(() => (t.raiseException as () => Promise<void>)())).message).to.equal('raise_exception() takes at least 1 argument');
    await run();
  });

  it('a closed empty channel: send, receive and sendException fail with ValueError; iteration ends at once', async function () {
    const ch = channel<number>();
    ch.close();
    for (const op of [() => ch.send(1), () => ch.receive(), () => ch.sendException(Error)]) {
      const e = await rejects(op);
      expect(e).to.be.instanceOf(ValueError);
      expect(e.message).to.equal('Send/receive operation on a closed channel');
    }
    const seen: number[] = [];
    for await (const v of ch) seen.push(v);
    expect(seen).to.deep.equal([]);
    expect(ch.balance).to.equal(0);
    ch.open();
    expect(ch.closing).to.equal(false);
  });

  it('schedule(retval) returns its argument; schedule() returns the current tasklet', async function () {
    expect(await schedule(42)).to.equal(42);
    expect(await schedule()).to.equal(getmain());
  });
});
