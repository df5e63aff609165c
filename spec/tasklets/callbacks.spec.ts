// Tasklet operations made from inside a channel or schedule callback (twistless's own rules; a
// switch is half done while a callback runs): kill, throw and raiseException arm the exception
// as `pending` does, the channel operation in progress goes on from the channel as the callback
// left it (no value lost, balance true), and an operation that would switch is refused.
import { expect } from 'chai';
import {
  RuntimeError,
  TaskletExit,
  channel,
  getcurrent,
  getmain,
  run,
  schedule,
  setChannelCallback,
  setScheduleCallback,
  tasklet,
  type Channel,
  type Tasklet,
} from '../../lib/tasklets/index.js';
import { cleanScheduler } from './helpers.js';

/** A tasklet blocked in `ch.receive()` that logs what it got, or that it was killed. */
function receiver(ch: Channel<string>, log: string[], name: string): Tasklet {
  return tasklet(async () => {
    try {
      log.push(`${name} got ${await ch.receive()}`);
    } catch (e) {
      log.push(`${name} ${e instanceof TaskletExit ? 'killed' : String(e)}`);
      if (e instanceof TaskletExit) throw e;
    }
  }).setup();
}

/** A tasklet blocked in `ch.send(v)`. */
function sender(ch: Channel<string>, v: string, log: string[], name: string): Tasklet {
  return tasklet(async () => {
    try {
      await ch.send(v);
      log.push(`${name} sent ${v}`);
    } catch (e) {
      log.push(`${name} ${e instanceof TaskletExit ? 'killed' : String(e)}`);
      throw e;
    }
  }).setup();
}

describe('tasklets: kill from a channel callback', function () {
  cleanScheduler();

  it('a send callback kills the only waiting receiver: the sender blocks with its value, which the next receiver gets', async function () {
    const ch = channel<string>();
    const log: string[] = [];
    const victim = receiver(ch, log, 'R1');
    await run();
    expect(ch.balance).to.equal(-1);
    let killed = false;
    setChannelCallback((_c, _t, sending) => {
      if (sending && !killed) {
        killed = true;
        void victim.kill();
      }
    });
    const s = sender(ch, 'x', log, 'S');
    await run();
    expect(victim.alive).to.equal(false);
    expect(s.blocked).to.equal(true);
    expect(ch.balance).to.equal(1);
    receiver(ch, log, 'R2');
    await run();
    expect(log).to.deep.equal(['R1 killed', 'R2 got x', 'S sent x']);
    expect(ch.balance).to.equal(0);
  });

  it('a send callback kills the first of two waiting receivers: the value goes to the second at once', async function () {
    const ch = channel<string>();
    const log: string[] = [];
    const r1 = receiver(ch, log, 'R1');
    receiver(ch, log, 'R2');
    await run();
    expect(ch.balance).to.equal(-2);
    setChannelCallback((_c, _t, sending) => {
      if (sending) void r1.kill();
    });
    await ch.send('x');
    setChannelCallback(null);
    await run();
    expect(log).to.have.members(['R1 killed', 'R2 got x']);
    expect(ch.balance).to.equal(0);
  });

  it('main sends and its callback kills the only receiver: main is left sending without a receiver (an error, not a TypeError) and the balance is 0', async function () {
    const ch = channel<string>();
    const log: string[] = [];
    const victim = receiver(ch, log, 'R');
    await run();
    setChannelCallback((_c, _t, sending) => {
      if (sending) void victim.kill();
    });
    let error: unknown = null;
    try {
      await ch.send('x');
    } catch (e) {
      error = e;
    }
    setChannelCallback(null);
    expect(error).to.be.instanceOf(RuntimeError);
    expect((error as Error).message).to.equal('the main tasklet is sending without a receiver available.');
    expect(log).to.deep.equal(['R killed']);
    expect(ch.balance).to.equal(0);
  });

  it('a receive callback kills the only waiting sender: its send raises TaskletExit (the value was never taken) and the receiver blocks', async function () {
    const ch = channel<string>();
    const log: string[] = [];
    const victim = sender(ch, 'x', log, 'S');
    await run();
    expect(ch.balance).to.equal(1);
    setChannelCallback((_c, _t, sending) => {
      if (!sending) void victim.kill();
    });
    const r = receiver(ch, log, 'R');
    await run();
    setChannelCallback(null);
    expect(log).to.deep.equal(['S killed']);
    expect(r.blocked).to.equal(true);
    expect(ch.balance).to.equal(-1);
    await ch.send('y');
    await run();
    expect(log).to.deep.equal(['S killed', 'R got y']);
    expect(ch.balance).to.equal(0);
  });

  it('the callback kills the acting tasklet itself: its operation raises TaskletExit, nothing moves, the partner still waits', async function () {
    for (const sending of [true, false]) {
      const ch = channel<string>();
      const log: string[] = [];
      const partner = sending ? receiver(ch, log, 'P') : sender(ch, 'p', log, 'P');
      await run();
      const before = ch.balance;
      setChannelCallback((_c, t) => {
        if (t !== partner) void t.kill();
      });
      const actor = sending ? sender(ch, 'x', log, 'A') : receiver(ch, log, 'A');
      await run();
      setChannelCallback(null);
      expect(actor.alive).to.equal(false);
      expect(log).to.deep.equal(['A killed']);
      expect(ch.balance).to.equal(before);
      await partner.kill();
      expect(ch.balance).to.equal(0);
    }
  });

  it('raiseException and throw from a callback arm the error the same way', async function () {
    const ch = channel<string>();
    const log: string[] = [];
    const r1 = receiver(ch, log, 'R1');
    const r2 = receiver(ch, log, 'R2');
    receiver(ch, log, 'R3');
    await run();
    let n = 0;
    setChannelCallback((_c, _t, sending) => {
      if (!sending || n++ > 0) return;
      void r1.raiseException(RangeError, 'boom');
      void r2.throw(new TypeError('bang'));
    });
    await ch.send('x');
    setChannelCallback(null);
    await run();
    expect(log).to.include('R3 got x');
    expect(log).to.include('R1 RangeError: boom');
    expect(log).to.include('R2 TypeError: bang');
    expect(ch.balance).to.equal(0);
  });

  it('an operation that would switch, called inside a callback, is refused with "Recursive scheduler call due to callbacks!"', async function () {
    const ch = channel<string>();
    receiver(ch, [], 'R');
    const other = tasklet(async () => undefined).setup();
    const refused: string[] = [];
    const note = (p: Promise<unknown>) => void p.catch((e: unknown) => void refused.push((e as Error).message));
    setChannelCallback(() => {
      note(schedule());
      note(other.run());
      note(run());
    });
    await run();
    setChannelCallback(null);
    expect(refused).to.deep.equal(Array(3).fill('Recursive scheduler call due to callbacks!'));
    expect(other.alive).to.equal(false);
    await ch.send('done');
  });
});

describe('tasklets: kill from a schedule callback', function () {
  cleanScheduler();

  it('the callback kills a tasklet blocked on a channel: it leaves the channel (balance true) and dies at its next turn', async function () {
    const ch = channel<string>();
    const log: string[] = [];
    const victim = receiver(ch, log, 'V');
    await run();
    expect(ch.balance).to.equal(-1);
    let done = false;
    setScheduleCallback(() => {
      if (!done) {
        done = true;
        void victim.kill();
      }
    });
    tasklet(async () => {
      log.push('other');
    }).setup();
    await run();
    setScheduleCallback(null);
    expect(victim.alive).to.equal(false);
    expect(log).to.deep.equal(['other', 'V killed']);
    expect(ch.balance).to.equal(0);
  });

  it('the callback kills the tasklet being switched to, or the one being left: each gets TaskletExit at its suspension point', async function () {
    for (const which of ['next', 'prev'] as const) {
      const log: string[] = [];
      const a = tasklet(async () => {
        try {
          await schedule();
          log.push('a after');
        } catch (e) {
          log.push(`a ${e instanceof TaskletExit ? 'killed' : String(e)}`);
        }
      }).setup();
      const b = tasklet(async () => {
        log.push('b');
      }).setup();
      let done = false;
      setScheduleCallback((prev, next) => {
        if (done) return;
        if (which === 'next' && next === a && prev === b) {
          done = true;
          void a.kill();
        }
        if (which === 'prev' && prev === a && next === b) {
          done = true;
          void a.kill();
        }
      });
      await run();
      setScheduleCallback(null);
      expect(a.alive).to.equal(false);
      expect(b.alive).to.equal(false);
      expect(log).to.deep.equal(['b', 'a killed']);
      expect(getcurrent()).to.equal(getmain());
    }
  });
});
