// Port of Stackless/unittests/test_chan_cb.py (Stackless 3.7-slp).
import { expect } from 'chai';
import {
  channel,
  getChannelCallback,
  getmain,
  setChannelCallback,
  type Channel,
  type Tasklet,
} from '../../../lib/tasklets/index.js';
import { stacklessTestCase, tasklet } from './support.js';

type Entry = [Channel<unknown>, Tasklet, boolean, boolean, unknown];

/** A channel monitor acting as a callback for setChannelCallback(). */
class ChannelMonitor {
  readonly history: Entry[] = [];
  readonly callback = (ch: Channel<unknown>, t: Tasklet, isSending: unknown, willBlock: unknown): void => {
    this.history.push([ch, t, Boolean(isSending), Boolean(willBlock), t.tempval]);
  };
}

describe('test_chan_cb', function () {
  describe('ChannelCallbackTestCase', function () {
    stacklessTestCase();

    it('test0: the callback sees main\'s send before it happens, with the value being sent in main\'s tempval', async function () {
      // create players
      const chan = channel<number>();
      const main = getmain(); // implicit sender
      const receiver = tasklet(async (ch: Channel<number>) => {
        await ch.receive();
      }).setup(chan);
      // send a value to a monitored channel
      const chanMon = new ChannelMonitor();
      setChannelCallback(chanMon.callback);
      const val = 42;
      try {
        await chan.send(val);
      } finally {
        setChannelCallback(null);
      }
      // compare the sent value with the monitored one
      expect(chanMon.history.length).to.be.greaterThan(0);
      const found = chanMon.history[0][4];
      expect(found).to.equal(val);
      // main sent first and had to block (the receiver had not run yet); then the receiver
      // received without blocking
      expect(chanMon.history.map(([c, t, s, b]) => [c === chan, t, s, b])).to.deep.equal([
        [true, main, true, true],
        [true, receiver, false, false],
      ]);
    });

    it('testGetCallback: setChannelCallback returns the previous callback and getChannelCallback reads it', function () {
      const mon = new ChannelMonitor().callback;
      expect(getChannelCallback()).to.equal(null);
      let old = setChannelCallback(mon);
      expect(old).to.equal(null);
      expect(getChannelCallback()).to.equal(mon);
      old = setChannelCallback(null);
      expect(old).to.equal(mon);
      expect(getChannelCallback()).to.equal(null);
    });
  });
});
