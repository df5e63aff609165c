// Port of Stackless/unittests/test_channel.py (Stackless 3.7-slp).
//
// Not ported:
// - TestChannels.testInterthreadCommunication: needs OS threads, each with its own scheduler
//   (py-only; JavaScript tasklets live in one thread).
import { expect } from 'chai';
import { Channel, RuntimeError, StopIteration, ValueError, channel, getcurrent, getruncount, run } from '../../../lib/tasklets/index.js';
import { UserValueError, raises, stacklessTestCase, tasklet } from './support.js';

/** Sets the current tasklet's block trap for the duration of `body` (test_channel's block_trap). */
async function withBlockTrap<T>(body: () => Promise<T>, trap = true): Promise<T> {
  const c = getcurrent();
  const old = c.blockTrap;
  c.blockTrap = trap;
  try {
    return await body();
  } finally {
    c.blockTrap = old;
  }
}

describe('test_channel', function () {
  describe('TestChannels', function () {
    stacklessTestCase();

    it('testBlockingSend: a tasklet sending on a channel with no waiting receiver blocks, and balance counts one sender', async function () {
      const ch = channel<number>();
      const t = tasklet(async (testChannel: Channel<number>) => {
        await testChannel.send(1);
      }).setup(ch);
      await t.run();
      expect(t.blocked, 'The tasklet should have been run and have blocked on the channel waiting for a corresponding receiver').to.equal(true);
      expect(ch.balance, 'The channel balance should indicate one blocked sender').to.equal(1);
    });

    it('testBlockingReceive: a tasklet receiving on a channel with no waiting sender blocks, and balance is -1', async function () {
      const ch = channel<number>();
      const t = tasklet(async (testChannel: Channel<number>) => {
        await testChannel.receive();
      }).setup(ch);
      await t.run();
      expect(t.blocked, 'The tasklet should have been run and have blocked on the channel waiting for a corresponding sender').to.equal(true);
      expect(ch.balance, 'The channel balance should indicate one blocked receiver').to.equal(-1);
    });

    it('testNonBlockingSend: sending to a waiting receiver does not block (even under a block trap) and delivers the value', async function () {
      const originalValue = 1;
      const receivedValues: number[] = [];
      const ch = channel<number>();
      const t = tasklet(async (testChannel: Channel<number>) => {
        receivedValues.push(await testChannel.receive());
      }).setup(ch);
      await t.run();
      await withBlockTrap(() => ch.send(originalValue));
      expect(receivedValues).to.deep.equal([originalValue]);
      expect(ch.balance).to.equal(0);
      expect(t.alive).to.equal(false);
    });

    it('testNonBlockingReceive: receiving from a waiting sender does not block (even under a block trap) and returns its value', async function () {
      const originalValue = 1;
      const ch = channel<number>();
      const t = tasklet(async (testChannel: Channel<number>, valueToSend: number) => {
        await testChannel.send(valueToSend);
      }).setup(ch, originalValue);
      await t.run();
      const value = await withBlockTrap(() => ch.receive());
      await t.kill();
      expect(value, 'We received a value, but it was not the one we sent').to.equal(originalValue);
      expect(t.alive).to.equal(false);
      expect(ch.balance).to.equal(0);
    });

    it('testMainTaskletBlockingWithoutASender: the last runnable tasklet (main) cannot block on a channel', async function () {
      expect(getruncount(), 'Leakage from other tests, with tasklets still in the scheduler').to.equal(1);
      const c = channel<number>();
      await raises(() => c.receive(), RuntimeError, /^Deadlock: the last runnable tasklet cannot be blocked\.$/);
      expect(c.balance, 'a refused receive leaves no waiter behind').to.equal(0);
    });

    it('testSendException: sendException(cls, ...args) raises cls(...args) out of the receiver\'s receive()', async function () {
      const f = async (testChannel: Channel<unknown>) => {
        await testChannel.sendException(UserValueError, 1, 2, 3);
      };
      const ch = channel<unknown>();
      let t = tasklet(f).setup(ch);
      await t.run();
      await raises(() => ch.receive(), UserValueError);
      t = tasklet(f).setup(ch);
      await t.run();
      const e = await raises(() => ch.receive(), UserValueError);
      expect((e as UserValueError).args).to.deep.equal([1, 2, 3]);
    });

    it('testSendThrow: sendThrow(error) raises that very error, with the sender\'s stack, out of receive()', async function () {
      function bar(): never {
        throw new UserValueError(1, 2, 3);
      }
      const thrown: unknown[] = [];
      const f = async (testChannel: Channel<unknown>) => {
        try {
          bar();
        } catch (e) {
          thrown.push(e);
          await testChannel.sendThrow(e as Error);
        }
      };
      const ch = channel<unknown>();
      let t = tasklet(f).setup(ch);
      await t.run();
      await raises(() => ch.receive(), UserValueError);

      t = tasklet(f).setup(ch);
      await t.run();
      const e = (await raises(() => ch.receive(), UserValueError)) as UserValueError;
      expect(e.args).to.deep.equal([1, 2, 3]);
      expect(e).to.equal(thrown[1]);
      // the innermost frame of the traceback is the sender's function bar
      const frames = String(e.stack).split('\n').filter((line) => /^\s+at /.test(line));
      expect(frames[0]).to.match(/\bbar\b/);
    });

    it('testBlockTrapSend: with the block trap set, a send that would block throws, in main and in a tasklet', async function () {
      const ch = channel<null>();
      let count = 0;
      const f = async () => {
        await withBlockTrap(async () => {
          await raises(() => ch.send(null), RuntimeError, /^this tasklet does not like to be blocked\.$/);
        });
        expect(ch.balance).to.equal(0);
        count += 1;
      };
      await f();
      tasklet(f).setup();
      await run();
      expect(count).to.equal(2);
    });

    it('testBlockTrapRecv: with the block trap set, a receive that would block throws, in main and in a tasklet', async function () {
      const ch = channel<null>();
      let count = 0;
      const f = async () => {
        await withBlockTrap(async () => {
          await raises(() => ch.receive(), RuntimeError, /^this tasklet does not like to be blocked\.$/);
        });
        expect(ch.balance).to.equal(0);
        count += 1;
      };
      await f();
      tasklet(f).setup();
      await run();
      expect(count).to.equal(2);
    });
  });

  describe('TestClose', function () {
    stacklessTestCase();
    let c: Channel<number | null>;
    beforeEach(function () {
      c = channel<number | null>();
    });

    it('testSequence: close() wakes nobody, so the sender pumps nulls until the iterating receiver has left and the channel is closed', async function () {
      const sender = async () => {
        await c.sendSequence(Array.from({ length: 10 }, (_, i) => i));
        c.close();
        // close does not wake up a receiver, we must pump it
        while (c.closing && !c.closed) await c.send(null);
      };
      const data: (number | null)[] = [];
      const receiver = async () => {
        for await (const i of c) data.push(i);
        // remove the extra "pump" nulls at the end
        while (data[data.length - 1] === null) data.pop();
        data.push(10);
      };
      tasklet(sender).setup();
      tasklet(receiver).setup();
      await run();
      expect(data).to.deep.equal(Array.from({ length: 11 }, (_, i) => i));
      expect(c.closed).to.equal(true);
    });

    it('testSequence2: sendSequence returns the count and a sent StopIteration ends the receiver\'s for-await loop', async function () {
      const lengths: number[] = [];
      const sender = async () => {
        const length = await c.sendSequence(Array.from({ length: 10 }, (_, i) => i));
        lengths.push(length);
        await c.sendException(StopIteration);
        c.close();
      };
      const data: (number | null)[] = [];
      const receiver = async () => {
        for await (const i of c) data.push(i);
      };
      tasklet(sender).setup();
      tasklet(receiver).setup();
      await run();
      expect(lengths).to.deep.equal([10]);
      expect(data).to.deep.equal(Array.from({ length: 10 }, (_, i) => i));
      expect(c.closed).to.equal(true);
    });

    it('testSender: a send that would block on a closed channel throws "Send/receive operation on a closed channel"', async function () {
      c.close();
      await raises(() => c.send(null), ValueError, /^Send\/receive operation on a closed channel$/);
      expect(c.balance).to.equal(0);
      expect(c.closed).to.equal(true);
    });

    it('testReceiver: a receive that would block on a closed channel throws "Send/receive operation on a closed channel"', async function () {
      c.close();
      await raises(() => c.receive(), ValueError, /^Send\/receive operation on a closed channel$/);
      expect(c.balance).to.equal(0);
      expect(c.closed).to.equal(true);
    });

    it('testIterator: iterating a closed channel ends at once, without blocking', async function () {
      c.close();
      const i = c[Symbol.asyncIterator]();
      const n = await i.next();
      expect(n.done).to.equal(true);
      expect(c.balance).to.equal(0);
    });
  });

  describe('Subclassing', function () {
    stacklessTestCase();

    it('test_init: a Channel subclass with its own constructor works without further ado', async function () {
      class MyChannel extends Channel<string> {
        readonly name: string;
        constructor(name: string) {
          super();
          this.name = name;
        }
      }
      const name = 'bong';
      const c = new MyChannel(name);
      expect(c.name).to.equal(name);
      expect(c).to.be.instanceOf(Channel);
      expect(c.balance).to.equal(0);
      const got: string[] = [];
      tasklet(async () => {
        got.push(await c.receive());
      }).setup();
      await c.send('through the subclass');
      expect(got).to.deep.equal(['through the subclass']);
    });
  });
});
