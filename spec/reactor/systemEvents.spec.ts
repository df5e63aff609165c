// Port of twisted/test/test_internet.py (Twisted 22.4): SystemEventTests, by name. Each test uses
// its own Reactor instance (Twisted's use the global reactor and remove their triggers after).
import { expect } from 'chai';
import { Deferred } from '../../lib/defer/index.js';
import {
  InvalidPhaseError,
  InvalidTriggerError,
  NotCallableError,
  type Reactor,
  type SystemEventPhase,
} from '../../lib/reactor/index.js';
import { fakeReactor } from './fakeHost.js';

describe('SystemEventTests', function () {
  let reactor: Reactor;

  beforeEach(function () {
    reactor = fakeReactor().reactor;
  });

  function addSystemEventTriggerTest(phase: SystemEventPhase): void {
    const eventType = 'test';
    const events: null[] = [];
    reactor.addSystemEventTrigger(phase, eventType, () => events.push(null));
    expect(events).to.deep.equal([]);
    reactor.fireSystemEvent(eventType);
    expect(events).to.deep.equal([null]);
  }

  it("test_beforePhase: a 'before' trigger runs when its event fires, not before", function () {
    addSystemEventTriggerTest('before');
  });

  it("test_duringPhase: a 'during' trigger runs when its event fires, not before", function () {
    addSystemEventTriggerTest('during');
  });

  it("test_afterPhase: an 'after' trigger runs when its event fires, not before", function () {
    addSystemEventTriggerTest('after');
  });

  it('test_unknownPhase: any other phase is an InvalidPhaseError (Twisted: KeyError), and nothing is added', function () {
    expect(() => reactor.addSystemEventTrigger('xxx' as never, 'test', () => undefined)).to.throw(InvalidPhaseError);
    expect(() => reactor.addSystemEventTrigger('during', 'test', 42 as never)).to.throw(NotCallableError);
    reactor.fireSystemEvent('test'); // nothing registered: nothing happens
  });

  it("test_beforePreceedsDuring: 'before' triggers run before 'during' ones", function () {
    const events: string[] = [];
    reactor.addSystemEventTrigger('before', 'test', () => events.push('before'));
    reactor.addSystemEventTrigger('during', 'test', () => events.push('during'));
    expect(events).to.deep.equal([]);
    reactor.fireSystemEvent('test');
    expect(events).to.deep.equal(['before', 'during']);
  });

  it("test_duringPreceedsAfter: 'during' triggers run before 'after' ones", function () {
    const events: string[] = [];
    reactor.addSystemEventTrigger('during', 'test', () => events.push('during'));
    reactor.addSystemEventTrigger('after', 'test', () => events.push('after'));
    expect(events).to.deep.equal([]);
    reactor.fireSystemEvent('test');
    expect(events).to.deep.equal(['during', 'after']);
  });

  it("test_beforeReturnsDeferred: a Deferred returned by a 'before' trigger holds 'during' until it fires", function () {
    const triggerDeferred = new Deferred<void>();
    const events: string[] = [];
    reactor.addSystemEventTrigger('before', 'test', () => triggerDeferred);
    reactor.addSystemEventTrigger('during', 'test', () => events.push('during'));
    expect(events).to.deep.equal([]);
    reactor.fireSystemEvent('test');
    expect(events).to.deep.equal([]);
    triggerDeferred.callback(undefined);
    expect(events).to.deep.equal(['during']);
  });

  it("test_multipleBeforeReturnDeferred: 'during' waits for every Deferred the 'before' triggers returned", function () {
    const firstDeferred = new Deferred<void>();
    const secondDeferred = new Deferred<void>();
    const events: string[] = [];
    reactor.addSystemEventTrigger('before', 'test', () => firstDeferred);
    reactor.addSystemEventTrigger('before', 'test', () => secondDeferred);
    reactor.addSystemEventTrigger('during', 'test', () => events.push('during'));
    reactor.fireSystemEvent('test');
    expect(events).to.deep.equal([]);
    firstDeferred.callback(undefined);
    expect(events).to.deep.equal([]);
    secondDeferred.callback(undefined);
    expect(events).to.deep.equal(['during']);
  });

  it("test_subsequentBeforeTriggerFiresPriorBeforeDeferred: a 'before' trigger firing an earlier one's Deferred does not skip the rest", function () {
    const events: string[] = [];
    const firstDeferred = new Deferred<void>();
    const secondDeferred = new Deferred<void>();
    reactor.addSystemEventTrigger('before', 'test', () => firstDeferred);
    reactor.addSystemEventTrigger('before', 'test', () => firstDeferred.callback(undefined));
    reactor.addSystemEventTrigger('before', 'test', () => {
      events.push('before');
      return secondDeferred;
    });
    reactor.addSystemEventTrigger('during', 'test', () => events.push('during'));
    reactor.fireSystemEvent('test');
    expect(events).to.deep.equal(['before']);
    secondDeferred.callback(undefined);
    expect(events).to.deep.equal(['before', 'during']);
  });

  it('test_removeSystemEventTrigger: a removed trigger does not run', function () {
    const events: string[] = [];
    reactor.addSystemEventTrigger('before', 'test', () => events.push('first'));
    reactor.removeSystemEventTrigger(reactor.addSystemEventTrigger('before', 'test', () => events.push('second')));
    expect(events).to.deep.equal([]);
    reactor.fireSystemEvent('test');
    expect(events).to.deep.equal(['first']);
  });

  it('test_removeNonExistentSystemEventTrigger: a non-handle, a removed handle and a forged handle are InvalidTriggerErrors', function () {
    const b = reactor.addSystemEventTrigger('during', 'test', () => undefined);
    reactor.removeSystemEventTrigger(b);
    const catchIt = (f: () => void): InvalidTriggerError => {
      try {
        f();
      } catch (e) {
        expect(e).to.be.instanceOf(InvalidTriggerError);
        return e as InvalidTriggerError;
      }
      throw new Error('expected InvalidTriggerError');
    };
    expect(catchIt(() => reactor.removeSystemEventTrigger(null as never)).removed).to.equal(false); // Twisted: TypeError
    expect(catchIt(() => reactor.removeSystemEventTrigger(b)).removed).to.equal(true); // Twisted: ValueError
    const forged = { eventType: b.eventType, phase: 'xxx', fn: b.fn, args: b.args };
    expect(catchIt(() => reactor.removeSystemEventTrigger(forged as never)).removed).to.equal(false); // Twisted: KeyError
  });

  it('test_interactionBetweenDifferentEvents: an event waiting on a Deferred does not hold another event', function () {
    const events: [string, string][] = [];
    const firstDeferred = new Deferred<void>();
    const secondDeferred = new Deferred<void>();
    reactor.addSystemEventTrigger('before', 'first-event', () => {
      events.push(['before', 'first']);
      return firstDeferred;
    });
    reactor.addSystemEventTrigger('after', 'first-event', () => events.push(['after', 'first']));
    reactor.addSystemEventTrigger('before', 'second-event', () => {
      events.push(['before', 'second']);
      return secondDeferred;
    });
    reactor.addSystemEventTrigger('after', 'second-event', () => events.push(['after', 'second']));
    expect(events).to.deep.equal([]);
    reactor.fireSystemEvent('first-event');
    expect(events).to.deep.equal([['before', 'first']]);
    reactor.fireSystemEvent('second-event');
    expect(events).to.deep.equal([
      ['before', 'first'],
      ['before', 'second'],
    ]);
    firstDeferred.callback(undefined);
    expect(events).to.deep.equal([
      ['before', 'first'],
      ['before', 'second'],
      ['after', 'first'],
    ]);
    secondDeferred.callback(undefined);
    expect(events).to.deep.equal([
      ['before', 'first'],
      ['before', 'second'],
      ['after', 'first'],
      ['after', 'second'],
    ]);
  });

  it('an unknown event type is a no-op; trigger arguments are passed on', function () {
    const got: unknown[] = [];
    reactor.fireSystemEvent('nothing-registered');
    reactor.addSystemEventTrigger('during', 'args', (a: number, b: string) => got.push(a, b), 1, 'two');
    reactor.fireSystemEvent('args');
    expect(got).to.deep.equal([1, 'two']);
  });
});
