// twisted.internet.testing.MemoryReactorClock (Twisted 22.4): MemoryReactor's core recorders plus
// Clock. Twisted's own tests only check interfaces (ReactorTests.test_memoryReactorProvides); the
// behaviour below was checked against MemoryReactorClock under /usr/bin/python3.
import { expect } from 'chai';
import { Deferred } from '../../lib/defer/index.js';
import {
  InvalidPhaseError,
  InvalidTriggerError,
  NotCallableError,
  ReactorAlreadyRunning,
  ReactorNotRestartable,
} from '../../lib/reactor/index.js';
import { Clock } from '../../lib/task/index.js';
import { MemoryReactorClock, successResultOf } from '../../lib/testing/index.js';
import { deferLater } from '../../lib/task/index.js';

describe('ReactorTests', function () {
  it('test_memoryReactorProvides: MemoryReactorClock is a Clock (IReactorTime) with the reactor core methods', function () {
    const r = new MemoryReactorClock();
    expect(r).to.be.instanceOf(Clock);
    for (const name of ['seconds', 'callLater', 'getDelayedCalls', 'advance', 'run', 'stop', 'crash', 'callWhenRunning', 'addSystemEventTrigger', 'removeSystemEventTrigger', 'fireSystemEvent', 'install']) {
      expect(r[name as keyof MemoryReactorClock], name).to.be.a('function');
    }
  });
});

describe('MemoryReactorClock', function () {
  it('starts not running, at time 0, with nothing recorded', function () {
    const r = new MemoryReactorClock();
    expect([r.running, r.hasRun, r.hasStopped, r.hasCrashed, r.hasInstalled]).to.deep.equal([false, false, false, false, false]);
    expect(r.seconds()).to.equal(0);
    expect(r.whenRunningHooks).to.deep.equal([]);
    expect(r.triggers).to.deep.equal({});
  });

  it('install() records installation', function () {
    const r = new MemoryReactorClock();
    r.install();
    expect(r.hasInstalled).to.equal(true);
  });

  it('callWhenRunning records the calls; run() makes them in order while running, then stops', function () {
    const r = new MemoryReactorClock();
    const seen: unknown[] = [];
    const hook = (a: string, b: number): void => {
      seen.push([a, b, r.running]);
    };
    r.callWhenRunning(hook, 'x', 1);
    r.callWhenRunning(() => seen.push('second'));
    expect(r.whenRunningHooks[0]).to.deep.equal([hook, ['x', 1]]);
    r.run();
    expect(seen).to.deep.equal([['x', 1, true], 'second']);
    expect([r.running, r.hasRun, r.hasStopped]).to.deep.equal([false, true, true]);
  });

  it('stop() and crash() only set flags; crash leaves running null, as Twisted does', function () {
    const r = new MemoryReactorClock();
    r.stop();
    expect([r.running, r.hasStopped]).to.deep.equal([false, true]);
    r.crash();
    expect([r.running, r.hasCrashed]).to.deep.equal([null, true]);
  });

  it('run() while running is ReactorAlreadyRunning; after crash() it is ReactorNotRestartable (Twisted asserts)', function () {
    const r = new MemoryReactorClock();
    let inner: unknown;
    r.callWhenRunning(() => {
      try {
        r.run();
      } catch (e) {
        inner = e;
      }
    });
    r.run();
    expect(inner).to.be.instanceOf(ReactorAlreadyRunning);
    r.crash();
    expect(() => r.run()).to.throw(ReactorNotRestartable, /after crash\(\)/);
  });

  it('addSystemEventTrigger records into triggers[phase][eventType] without running anything', function () {
    const r = new MemoryReactorClock();
    const f = (..._args: unknown[]): void => undefined;
    r.addSystemEventTrigger('before', 'shutdown', f, 'x');
    r.addSystemEventTrigger('before', 'shutdown', f);
    r.addSystemEventTrigger('after', 'startup', f);
    expect(r.triggers).to.deep.equal({
      before: { shutdown: [[f, ['x']], [f, []]] },
      after: { startup: [[f, []]] },
    });
    r.run();
    r.stop();
  });

  it('addSystemEventTrigger with an unknown phase is an InvalidPhaseError and records nothing', function () {
    const r = new MemoryReactorClock();
    expect(() => r.addSystemEventTrigger('middle' as never, 'shutdown', () => undefined)).to.throw(InvalidPhaseError);
    expect(r.triggers).to.deep.equal({});
  });

  it('a non-function given to callWhenRunning or addSystemEventTrigger is a NotCallableError; nothing is recorded and run() still works', function () {
    const r = new MemoryReactorClock();
    const ran: string[] = [];
    r.callWhenRunning(() => ran.push('hook'));
    expect(() => r.callWhenRunning(42 as never)).to.throw(NotCallableError, /MemoryReactorClock\.callWhenRunning/);
    expect(() => r.addSystemEventTrigger('before', 'shutdown', undefined as never)).to.throw(NotCallableError);
    expect(r.whenRunningHooks).to.have.length(1);
    expect(r.triggers).to.deep.equal({});
    r.run();
    expect(ran).to.deep.equal(['hook']);
    expect([r.running, r.hasRun, r.hasStopped]).to.deep.equal([false, true, true]);
  });

  it('removeSystemEventTrigger removes the trigger from the record and from firing', function () {
    const r = new MemoryReactorClock();
    const calls: string[] = [];
    const keep = r.addSystemEventTrigger('during', 'shutdown', () => calls.push('keep'));
    const drop = r.addSystemEventTrigger('during', 'shutdown', () => calls.push('drop'));
    r.removeSystemEventTrigger(drop);
    expect(r.triggers.during!.shutdown).to.have.length(1);
    expect(() => r.removeSystemEventTrigger(drop)).to.throw(InvalidTriggerError);
    expect(() => r.removeSystemEventTrigger({} as never)).to.throw(InvalidTriggerError);
    r.fireSystemEvent('shutdown');
    expect(calls).to.deep.equal(['keep']);
    expect(keep.phase).to.equal('during');
  });

  it('fireSystemEvent runs before, during, after; a Deferred from a before trigger holds the rest', function () {
    const r = new MemoryReactorClock();
    const calls: string[] = [];
    const hold = new Deferred<void>();
    r.addSystemEventTrigger('after', 'shutdown', () => calls.push('after'));
    r.addSystemEventTrigger('during', 'shutdown', () => calls.push('during'));
    r.addSystemEventTrigger('before', 'shutdown', () => {
      calls.push('before');
      return hold;
    });
    r.fireSystemEvent('shutdown');
    expect(calls).to.deep.equal(['before']);
    hold.callback(undefined);
    expect(calls).to.deep.equal(['before', 'during', 'after']);
    r.fireSystemEvent('no such event'); // nothing registered: nothing happens
  });

  it('is a Clock: callLater and advance drive time-dependent code', function () {
    const r = new MemoryReactorClock();
    const d = deferLater(r, 2, () => 'done');
    r.advance(1);
    expect(r.getDelayedCalls()).to.have.length(1);
    r.advance(1);
    expect(successResultOf(d)).to.equal('done');
    expect(r.seconds()).to.equal(2);
  });
});
