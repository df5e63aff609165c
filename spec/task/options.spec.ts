// The options-object rule across twistless/task and twistless/reactor (README, "keyword arguments
// become a trailing options object"): where Python has a keyword argument, the options object is
// accepted, unknown names and values of the wrong type are refused with InvalidOptionsError (a
// TypeError) naming the call, and nothing is started or scheduled.
import { expect } from 'chai';
import { InvalidOptionsError, succeed } from '../../lib/defer/index.js';
import { Reactor } from '../../lib/reactor/index.js';
import { Clock, Cooperator, LoopingCall, react } from '../../lib/task/index.js';

describe('Options objects (twistless)', function () {
  it('new Cooperator(options): an unknown name or a started that is not a boolean is refused', function () {
    expect(() => new Cooperator({ startd: false } as never)).to.throw(InvalidOptionsError, /new Cooperator\(options\) has no option "startd"/);
    for (const started of ['no', 0, 1, null, {}]) {
      expect(() => new Cooperator({ started } as never), String(started)).to.throw(InvalidOptionsError, /started must be true or false/);
    }
    expect(() => new Cooperator(false as never)).to.throw(InvalidOptionsError, /an options object/);
    expect(new Cooperator({ started: false }).running).to.equal(false);
    expect(new Cooperator({ started: undefined }).running).to.equal(true);
  });

  it('react(main, argv, options): an argv that is not an array, or an unknown option, is refused before main runs', function () {
    let ran = 0;
    const main = (): ReturnType<typeof succeed> => {
      ran++;
      return succeed(undefined);
    };
    const clock = new Clock();
    expect(() => react(main, { reactor: clock } as never)).to.throw(InvalidOptionsError, /argv must be an array.*react\(main, \[\], \{ reactor \}\)/);
    expect(() => react(main, 'abc' as never)).to.throw(InvalidOptionsError, /argv must be an array/);
    expect(() => react(main, [], { reactr: clock } as never)).to.throw(InvalidOptionsError, /has no option "reactr".*reactor, exit/);
    expect(() => react(main, [], 'fast' as never)).to.throw(InvalidOptionsError, /an options object/);
    expect(ran).to.equal(0);
  });

  it('new Reactor(options): an unknown name is refused, and seconds must be a function', function () {
    expect(() => new Reactor({ second: () => 0 } as never)).to.throw(InvalidOptionsError, /new Reactor\(options\) has no option "second".*seconds, timers/);
    expect(() => new Reactor({ seconds: 5 } as never)).to.throw(TypeError, /seconds/);
    expect(() => new Reactor(true as never)).to.throw(InvalidOptionsError, /an options object/);
  });

  it('LoopingCall.start(interval, now): the keyword form and the positional boolean, nothing else', function () {
    const lc = new LoopingCall(() => undefined);
    lc.clock = new Clock();
    expect(() => lc.start(1, 'yes' as never)).to.throw(InvalidOptionsError);
    expect(lc.running).to.equal(false);
    lc.start(1, { now: false });
    expect(lc.running).to.equal(true);
    lc.stop();
  });
});
