// Port of twisted/internet/test/test_core.py (Twisted 22.4): SystemEventTestsBuilder, by name
// (test_signalHandlersInstalledDuringStartup is py-only: no signal handlers are installed), run on
// Reactor instances with an injected time source and host timers, plus the run/stop/crash
// semantics of Twisted 22.4's reactor.
import { expect } from 'chai';
import { Deferred } from '../../lib/defer/index.js';
import {
  ReactorAlreadyRunning,
  ReactorNotRestartable,
  ReactorNotRunning,
  ReactorBase,
  type Reactor,
} from '../../lib/reactor/index.js';
import { FakeHost, fakeReactor, runReactor } from './fakeHost.js';
import { LogCapture } from './logCapture.js';

describe('SystemEventTestsBuilder', function () {
  let reactor: Reactor;
  let host: FakeHost;
  let capture: LogCapture;

  beforeEach(function () {
    ({ reactor, host } = fakeReactor());
    capture = new LogCapture().start();
  });

  afterEach(function () {
    capture.stop();
  });

  it('test_stopWhenNotStarted: stop() before run() raises ReactorNotRunning', function () {
    expect(() => reactor.stop()).to.throw(ReactorNotRunning, "Can't stop reactor that isn't running.");
  });

  it('test_stopWhenAlreadyStopped: stop() after the reactor stopped raises ReactorNotRunning', function () {
    reactor.callWhenRunning(() => reactor.stop());
    runReactor(reactor, host);
    expect(() => reactor.stop()).to.throw(ReactorNotRunning);
  });

  it('test_callWhenRunningOrder: callWhenRunning functions run in the order they were given', function () {
    const events: string[] = [];
    reactor.callWhenRunning((x: string) => events.push(x), 'first');
    reactor.callWhenRunning((x: string) => events.push(x), 'second');
    reactor.callWhenRunning(() => reactor.stop());
    runReactor(reactor, host);
    expect(events).to.deep.equal(['first', 'second']);
  });

  it("test_runningForStartupEvents: running is false in 'before' startup triggers and true in 'during' and 'after'", function () {
    const state: Record<string, boolean> = {};
    reactor.addSystemEventTrigger('before', 'startup', () => (state.before = reactor.running));
    reactor.addSystemEventTrigger('during', 'startup', () => (state.during = reactor.running));
    reactor.addSystemEventTrigger('after', 'startup', () => (state.after = reactor.running));
    reactor.callWhenRunning(() => reactor.stop());
    expect(state).to.deep.equal({});
    runReactor(reactor, host);
    expect(state).to.deep.equal({ before: false, during: true, after: true });
  });

  it('test_stopShutDownEvents: stop() fires all three shutdown phases before run() completes', function () {
    const events: [string, string][] = [];
    reactor.addSystemEventTrigger('before', 'shutdown', () => events.push(['before', 'shutdown']));
    reactor.addSystemEventTrigger('during', 'shutdown', () => events.push(['during', 'shutdown']));
    reactor.addSystemEventTrigger('after', 'shutdown', () => events.push(['after', 'shutdown']));
    reactor.callWhenRunning(() => reactor.stop());
    let atStop: number | null = null;
    reactor.run().addCallback(() => {
      atStop = events.length;
    });
    for (let i = 0; i < 10 && atStop === null; i++) host.advance(0.001);
    expect(events).to.deep.equal([
      ['before', 'shutdown'],
      ['during', 'shutdown'],
      ['after', 'shutdown'],
    ]);
    expect(atStop).to.equal(3);
  });

  it("test_shutdownFiresTriggersAsynchronously: 'before' shutdown triggers do not run inside stop()", function () {
    const events: string[] = [];
    reactor.addSystemEventTrigger('before', 'shutdown', (x: string) => events.push(x), 'before shutdown');
    reactor.callWhenRunning(() => {
      reactor.stop();
      events.push('stopped');
    });
    expect(events).to.deep.equal([]);
    runReactor(reactor, host);
    expect(events).to.deep.equal(['stopped', 'before shutdown']);
  });

  it('test_shutdownDisconnectsCleanly: a shutdown trigger that throws is logged and the others still run (no descriptors here)', function () {
    let lostOK = false;
    reactor.addSystemEventTrigger('during', 'shutdown', () => {
      throw new RangeError('simulated connectionLost error');
    });
    reactor.addSystemEventTrigger('during', 'shutdown', () => (lostOK = true));
    reactor.callWhenRunning(() => reactor.stop());
    runReactor(reactor, host);
    expect(capture.errors(RangeError)).to.have.length(1);
    expect(lostOK).to.equal(true);
  });

  it('test_multipleRun: run() while running raises ReactorAlreadyRunning', function () {
    const events: string[] = [];
    reactor.callWhenRunning(() => {
      expect(() => reactor.run()).to.throw(ReactorAlreadyRunning);
      events.push('tested');
    });
    reactor.callWhenRunning(() => reactor.stop());
    runReactor(reactor, host);
    expect(events).to.deep.equal(['tested']);
  });

  it("test_runWithAsynchronousBeforeStartupTrigger: a 'before' startup trigger returning an unfired Deferred holds startup, and run() completes after stop()", function () {
    const events: string[] = [];
    reactor.addSystemEventTrigger('before', 'startup', () => {
      events.push('trigger');
      const d = new Deferred<void>();
      d.addCallback(() => {
        events.push('callback');
        reactor.stop();
      });
      reactor.callLater(0, (x: undefined) => d.callback(x), undefined);
      return d;
    });
    runReactor(reactor, host);
    expect(events).to.deep.equal(['trigger', 'callback']);
  });

  it('test_iterate: runUntilCurrent() runs what is due and returns at once (Twisted: iterate(0) does not block)', function () {
    const ran: string[] = [];
    const t = reactor.callLater(5, () => reactor.crash());
    reactor.callLater(0, () => ran.push('due'));
    reactor.runUntilCurrent();
    expect(ran).to.deep.equal(['due']);
    expect(t.active()).to.equal(true);
    t.cancel();
  });

  it('test_crash: crash() stops the reactor without firing shutdown triggers', function () {
    const events: [string, string][] = [];
    reactor.addSystemEventTrigger('before', 'shutdown', () => events.push(['before', 'shutdown']));
    reactor.callWhenRunning(() => reactor.callLater(0, () => reactor.crash()));
    runReactor(reactor, host);
    expect(reactor.running).to.equal(false);
    expect(events, 'Shutdown triggers invoked but they should not have been.').to.deep.equal([]);
  });

  it('test_runAfterCrash: run() restarts the reactor after crash()', function () {
    const events: unknown[] = [];
    reactor.callWhenRunning(() => {
      events.push('crash');
      reactor.crash();
    });
    runReactor(reactor, host);
    reactor.callWhenRunning(() => {
      events.push(['stop', reactor.running]);
      reactor.stop();
    });
    runReactor(reactor, host);
    expect(events).to.deep.equal(['crash', ['stop', true]]);
  });

  it('test_runAfterStop: run() after stop() raises ReactorNotRestartable', function () {
    const events: string[] = [];
    reactor.callWhenRunning(() => reactor.stop());
    reactor.addSystemEventTrigger('after', 'shutdown', () => {
      expect(() => reactor.run()).to.throw(ReactorNotRestartable);
      events.push('tested');
    });
    runReactor(reactor, host);
    expect(events).to.deep.equal(['tested']);
    expect(() => reactor.run()).to.throw(ReactorNotRestartable);
  });
});

describe('reactor run/stop/crash semantics (Twisted 22.4)', function () {
  let reactor: Reactor;
  let host: FakeHost;

  beforeEach(function () {
    ({ reactor, host } = fakeReactor());
  });

  it('delayed calls still fire on the host loop after the reactor has stopped (Twisted\'s loop has exited by then)', function () {
    const ran: string[] = [];
    reactor.callWhenRunning(() => reactor.stop());
    runReactor(reactor, host);
    expect(reactor.running).to.equal(false);
    expect(host.holds).to.equal(0);
    reactor.callLater(1, () => ran.push('after stop'));
    host.advance(1);
    expect(ran).to.deep.equal(['after stop']);
  });

  it('observed order of one run: before/during/after startup, then before/during/after shutdown', function () {
    const events: string[] = [];
    for (const phase of ['before', 'during', 'after'] as const) {
      for (const type of ['startup', 'shutdown']) reactor.addSystemEventTrigger(phase, type, () => events.push(`${phase}/${type}`));
    }
    reactor.callWhenRunning(() => events.push('callWhenRunning'));
    reactor.callWhenRunning(() => reactor.stop());
    runReactor(reactor, host);
    expect(events).to.deep.equal([
      'before/startup',
      'during/startup',
      'after/startup',
      'callWhenRunning',
      'before/shutdown',
      'during/shutdown',
      'after/shutdown',
    ]);
  });

  it('run() holds the process until the reactor stops; the hold is released after', function () {
    reactor.run();
    expect(host.holds).to.equal(1);
    expect(reactor.running).to.equal(true);
    reactor.stop();
    host.turn();
    expect(host.holds).to.equal(0);
    expect(reactor.running).to.equal(false);
  });

  it('callWhenRunning on a running reactor calls at once and returns undefined; before run() it returns a removable handle', function () {
    const events: string[] = [];
    const id = reactor.callWhenRunning(() => events.push('removed'));
    expect(id).to.not.equal(undefined);
    reactor.removeSystemEventTrigger(id!);
    reactor.run();
    expect(reactor.callWhenRunning(() => events.push('now'))).to.equal(undefined);
    expect(events).to.deep.equal(['now']);
    reactor.stop();
    host.turn();
  });

  it("a Deferred returned by a 'before' shutdown trigger holds the shutdown while timed calls keep running", function () {
    const events: string[] = [];
    const held = new Deferred<void>();
    reactor.addSystemEventTrigger('before', 'shutdown', () => held);
    reactor.addSystemEventTrigger('during', 'shutdown', () => events.push('during'));
    let stopped = false;
    reactor.run().addCallback(() => {
      stopped = true;
    });
    reactor.stop();
    host.turn();
    expect(events).to.deep.equal([]);
    expect(reactor.running).to.equal(true);
    reactor.callLater(1, () => events.push('timed call'));
    host.advance(1);
    expect(events).to.deep.equal(['timed call']);
    expect(stopped).to.equal(false);
    expect(() => reactor.stop()).to.throw(ReactorNotRunning); // already stopping
    held.callback(undefined);
    expect(events).to.deep.equal(['timed call', 'during']);
    expect(reactor.running).to.equal(false);
    host.turn();
    expect(stopped).to.equal(true);
    expect(host.holds).to.equal(0);
  });

  it('stop() fires the shutdown at the end of the current pass: calls due later in the same pass still run', function () {
    const events: string[] = [];
    reactor.addSystemEventTrigger('before', 'shutdown', () => events.push('shutdown'));
    reactor.run();
    reactor.callLater(1, () => {
      events.push('stopping');
      reactor.stop();
    });
    reactor.callLater(1, () => events.push('same pass'));
    host.advance(1);
    expect(events).to.deep.equal(['stopping', 'same pass', 'shutdown']);
  });

  it("run()'s Deferred fires after crash() too, at the end of the current pass", function () {
    let stopped = false;
    reactor.run().addCallback(() => {
      stopped = true;
    });
    reactor.callLater(0, () => {
      reactor.crash();
      expect(stopped).to.equal(false);
    });
    host.turn();
    expect(stopped).to.equal(true);
    expect(host.holds).to.equal(0);
  });
});

describe('ReactorBase (twistless: the time API and core without I/O)', function () {
  it('a bare ReactorBase runs, fires its delayed calls and its shutdown triggers, and stops; Reactor extends it with the I/O methods', function () {
    const host = new FakeHost();
    const r = new ReactorBase({ seconds: () => host.now, timers: host });
    const events: string[] = [];
    r.addSystemEventTrigger('during', 'shutdown', () => events.push('shutdown'));
    r.callWhenRunning(() =>
      r.callLater(1, () => {
        events.push('call');
        r.stop();
      }),
    );
    let stopped = false;
    r.run().addCallback(() => {
      stopped = true;
    });
    expect(r.running).to.equal(true);
    host.advance(1);
    host.turn();
    expect(events).to.deep.equal(['call', 'shutdown']);
    expect(stopped).to.equal(true);
    expect(r.running).to.equal(false);
    expect(host.holds).to.equal(0);
    expect('listenTCP' in r).to.equal(false);
    const { reactor } = fakeReactor();
    expect(reactor).to.be.instanceOf(ReactorBase);
    expect(typeof reactor.listenTCP).to.equal('function');
  });
});
