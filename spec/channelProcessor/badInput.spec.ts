// Bad input to ChannelProcessor and channelProcessor: each a named error with a message saying
// what to do, losing nothing already queued. (The article has no checks.)
import { expect } from 'chai';
import { ChannelProcessor, ChannelProcessorStopped, channelProcessor, ActionNotCallable } from '../../lib/channelProcessor/index.js';
import { outcome } from './helpers.js';

describe('ChannelProcessor bad input', function () {
  it('a non-function action is a ActionNotCallable (a TypeError) saying what was given and what to pass', function () {
    for (const bad of [42, 'f', null, undefined, {}, [1]]) {
      expect(() => new ChannelProcessor(bad as never)).to.throw(ActionNotCallable, /ChannelProcessor needs a function as its action, got .*: pass the function that handles each call/);
      expect(() => channelProcessor(bad as never)).to.throw(TypeError, /channelProcessor needs a function/);
    }
    try {
      new ChannelProcessor(7 as never);
    } catch (e) {
      expect((e as ActionNotCallable).value).to.equal(7);
      expect((e as Error).message).to.contain('number 7');
      expect((e as Error).name).to.equal('ActionNotCallable');
    }
  });

  it('a call after stop() fails at once, and the calls queued before it are still answered', async function () {
    const cp = new ChannelProcessor((x: number) => x + 1);
    const before = [cp.call(1), cp.call(2)];
    cp.stop();
    const after = cp.call(3);
    expect(after.called).to.equal(true);
    const err = ((await outcome(after)) as { error: ChannelProcessorStopped }).error;
    expect(err).to.be.instanceOf(ChannelProcessorStopped);
    expect(err.message).to.match(/stopped; create a new ChannelProcessor/);
    expect(await Promise.all(before.map((d) => outcome(d)))).to.deep.equal([
      { ok: true, value: 2 },
      { ok: true, value: 3 },
    ]);
    expect(await cp.done).to.equal(2);
  });

  it('a decorated function whose processor was stopped fails its calls with ChannelProcessorStopped', async function () {
    const f = channelProcessor((x: number) => x);
    expect(await f(1)).to.equal(1);
    await f._cp!.stop();
    const r = await outcome(f(2));
    expect((r as { error: Error }).error).to.be.instanceOf(ChannelProcessorStopped);
  });
});
