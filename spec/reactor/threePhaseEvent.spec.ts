// Port of twisted/test/test_internet.py (Twisted 22.4): ThreePhaseEventTests, by name.
import { expect } from 'chai';
import sinon from 'sinon';
import { Deferred } from '../../lib/defer/index.js';
import { InvalidPhaseError, InvalidTriggerError, NotCallableError, SystemEventTriggerID, ThreePhaseEvent } from '../../lib/reactor/index.js';
import { LogCapture } from './logCapture.js';

class DummyException extends Error {}

function entries(list: SystemEventTriggerID[]): [unknown, readonly unknown[]][] {
  return list.map((t) => [t.fn, t.args]);
}

describe('ThreePhaseEventTests', function () {
  let trigger: (x: unknown) => void;
  let arg: object;
  let event: ThreePhaseEvent;
  let capture: LogCapture;

  beforeEach(function () {
    trigger = (_x: unknown) => undefined;
    arg = {};
    event = new ThreePhaseEvent();
    capture = new LogCapture().start();
  });

  afterEach(function () {
    capture.stop();
    sinon.restore();
  });

  it('test_addInvalidPhase: an unknown phase is an InvalidPhaseError (Twisted: KeyError)', function () {
    expect(() => event.addTrigger('xxx' as never, trigger, arg)).to.throw(InvalidPhaseError, /invalid phase "xxx"/);
    expect(event.before).to.deep.equal([]);
  });

  it('a non-function trigger is a NotCallableError and nothing is added to any phase', function () {
    for (const phase of ['before', 'during', 'after'] as const) {
      expect(() => event.addTrigger(phase, 'f' as never)).to.throw(NotCallableError, /"f" is not callable/);
    }
    expect([event.before, event.during, event.after]).to.deep.equal([[], [], []]);
  });

  it("test_addBeforeTrigger: 'before' adds the callable and its arguments to the before list", function () {
    event.addTrigger('before', trigger, arg);
    expect(entries(event.before)).to.deep.equal([[trigger, [arg]]]);
  });

  it("test_addDuringTrigger: 'during' adds the callable and its arguments to the during list", function () {
    event.addTrigger('during', trigger, arg);
    expect(entries(event.during)).to.deep.equal([[trigger, [arg]]]);
  });

  it("test_addAfterTrigger: 'after' adds the callable and its arguments to the after list", function () {
    event.addTrigger('after', trigger, arg);
    expect(entries(event.after)).to.deep.equal([[trigger, [arg]]]);
  });

  it('test_removeTrigger: a handle from addTrigger removes its trigger', function () {
    const handle = event.addTrigger('before', trigger, arg);
    event.removeTrigger(handle);
    expect(event.before).to.deep.equal([]);
  });

  it('test_removeNonexistentTrigger: an object that is not a handle is an InvalidTriggerError (Twisted: ValueError)', function () {
    expect(() => event.removeTrigger({} as never)).to.throw(InvalidTriggerError, /invalid trigger handle/);
  });

  it('test_removeRemovedTrigger: removing the same handle twice is an InvalidTriggerError the second time', function () {
    const handle = event.addTrigger('before', trigger, arg);
    event.removeTrigger(handle);
    let err: unknown;
    try {
      event.removeTrigger(handle);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(InvalidTriggerError);
    expect((err as InvalidTriggerError).removed).to.equal(true);
  });

  it('test_removeAlmostValidTrigger: a look-alike handle with a bad phase is rejected (not a handle: InvalidTriggerError)', function () {
    const lookalike = { eventType: '', phase: 'xxx', fn: trigger, args: [arg] };
    expect(() => event.removeTrigger(lookalike as never)).to.throw(InvalidTriggerError);
  });

  it('test_fireEvent: fireEvent calls before, during and after triggers in that order', function () {
    const events: [string, string][] = [];
    const push = (x: [string, string]) => events.push(x);
    event.addTrigger('after', push, ['first', 'after']);
    event.addTrigger('during', push, ['first', 'during']);
    event.addTrigger('before', push, ['first', 'before']);
    event.addTrigger('before', push, ['second', 'before']);
    event.addTrigger('during', push, ['second', 'during']);
    event.addTrigger('after', push, ['second', 'after']);
    expect(events).to.deep.equal([]);
    event.fireEvent();
    expect(events).to.deep.equal([
      ['first', 'before'],
      ['second', 'before'],
      ['first', 'during'],
      ['second', 'during'],
      ['first', 'after'],
      ['second', 'after'],
    ]);
  });

  it('test_asynchronousBefore: a Deferred returned by a before trigger holds the during phase until it fires', function () {
    const events: string[] = [];
    const beforeResult = new Deferred<void>();
    event.addTrigger('before', () => beforeResult);
    event.addTrigger('during', (x: string) => events.push(x), 'during');
    event.addTrigger('after', (x: string) => events.push(x), 'after');
    expect(events).to.deep.equal([]);
    event.fireEvent();
    expect(events).to.deep.equal([]);
    beforeResult.callback(undefined);
    expect(events).to.deep.equal(['during', 'after']);
  });

  it('test_beforeTriggerException: a throwing before trigger is logged and the rest run', function () {
    const events: string[] = [];
    event.addTrigger('before', () => {
      throw new DummyException();
    });
    event.addTrigger('before', (x: string) => events.push(x), 'before');
    event.addTrigger('during', (x: string) => events.push(x), 'during');
    event.fireEvent();
    expect(events).to.deep.equal(['before', 'during']);
    expect(capture.errors(DummyException)).to.have.length(1);
  });

  it('test_duringTriggerException: a throwing during trigger is logged and the rest run', function () {
    const events: string[] = [];
    event.addTrigger('during', () => {
      throw new DummyException();
    });
    event.addTrigger('during', (x: string) => events.push(x), 'during');
    event.addTrigger('after', (x: string) => events.push(x), 'after');
    event.fireEvent();
    expect(events).to.deep.equal(['during', 'after']);
    expect(capture.errors(DummyException)).to.have.length(1);
  });

  it('test_synchronousRemoveAlreadyExecutedBefore: removing a before trigger that already ran only warns', function () {
    const warn = sinon.stub(process, 'emitWarning');
    const events: [string, string][] = [];
    const beforeHandle = event.addTrigger('before', (x: [string, string]) => events.push(x), ['first', 'before']);
    event.addTrigger('before', () => event.removeTrigger(beforeHandle));
    event.addTrigger('before', (x: [string, string]) => events.push(x), ['second', 'before']);
    event.fireEvent();
    expect(warn.callCount).to.equal(1);
    expect(warn.firstCall.args[0]).to.equal(
      'Removing already-fired system event triggers will raise an exception in a future version of Twisted.',
    );
    expect(warn.firstCall.args[1]).to.deep.include({ type: 'DeprecationWarning' });
    expect(events).to.deep.equal([
      ['first', 'before'],
      ['second', 'before'],
    ]);
  });

  it('test_synchronousRemovePendingBefore: a before trigger removed by an earlier one does not run', function () {
    const events: [string, string][] = [];
    event.addTrigger('before', () => event.removeTrigger(beforeHandle));
    const beforeHandle = event.addTrigger('before', (x: [string, string]) => events.push(x), ['first', 'before']);
    event.addTrigger('before', (x: [string, string]) => events.push(x), ['second', 'before']);
    event.fireEvent();
    expect(events).to.deep.equal([['second', 'before']]);
  });

  it('test_synchronousBeforeRemovesDuring: a during trigger removed by a before trigger does not run', function () {
    const events: string[] = [];
    event.addTrigger('before', () => event.removeTrigger(duringHandle));
    const duringHandle = event.addTrigger('during', (x: string) => events.push(x), 'during');
    event.addTrigger('after', (x: string) => events.push(x), 'after');
    event.fireEvent();
    expect(events).to.deep.equal(['after']);
  });

  it('test_asynchronousBeforeRemovesDuring: a during trigger removed while the before phase waits does not run', function () {
    const events: string[] = [];
    const beforeResult = new Deferred<void>();
    event.addTrigger('before', () => beforeResult);
    const duringHandle = event.addTrigger('during', (x: string) => events.push(x), 'during');
    event.addTrigger('after', (x: string) => events.push(x), 'after');
    event.fireEvent();
    event.removeTrigger(duringHandle);
    beforeResult.callback(undefined);
    expect(events).to.deep.equal(['after']);
  });

  it('test_synchronousBeforeRemovesConspicuouslySimilarDuring: removing a during trigger like a run before trigger removes it, no warning', function () {
    const warn = sinon.stub(process, 'emitWarning');
    const events: string[] = [];
    const t = (): void => {
      events.push('trigger');
    };
    event.addTrigger('before', t);
    event.addTrigger('before', () => event.removeTrigger(duringTrigger));
    const duringTrigger = event.addTrigger('during', t);
    event.fireEvent();
    expect(events).to.deep.equal(['trigger']);
    expect(warn.callCount).to.equal(0);
  });

  it('test_synchronousRemovePendingDuring: a during trigger removed by an earlier one does not run', function () {
    const events: [string, string][] = [];
    event.addTrigger('during', () => event.removeTrigger(duringHandle));
    const duringHandle = event.addTrigger('during', (x: [string, string]) => events.push(x), ['first', 'during']);
    event.addTrigger('during', (x: [string, string]) => events.push(x), ['second', 'during']);
    event.fireEvent();
    expect(events).to.deep.equal([['second', 'during']]);
  });

  it('test_triggersRunOnce: a trigger runs only on the first fireEvent', function () {
    const events: string[] = [];
    event.addTrigger('before', (x: string) => events.push(x), 'before');
    event.addTrigger('during', (x: string) => events.push(x), 'during');
    event.addTrigger('after', (x: string) => events.push(x), 'after');
    event.fireEvent();
    event.fireEvent();
    expect(events).to.deep.equal(['before', 'during', 'after']);
  });

  it("test_finishedBeforeTriggersCleared: finishedBefore is empty and the state 'BASE' when the during phase starts", function () {
    const events: string[] = [];
    const seen: [unknown[], string][] = [];
    event.addTrigger('before', (x: string) => events.push(x), 'before');
    event.addTrigger('during', () => {
      events.push('during');
      seen.push([event.finishedBefore.slice(), event.state]);
    });
    event.fireEvent();
    expect(events).to.deep.equal(['before', 'during']);
    expect(seen).to.deep.equal([[[], 'BASE']]);
  });

  it('a promise returned by a before trigger holds the during phase too (twistless extension)', async function () {
    const events: string[] = [];
    let resolve!: () => void;
    const p = new Promise<void>((r) => (resolve = r));
    event.addTrigger('before', () => p);
    event.addTrigger('during', (x: string) => events.push(x), 'during');
    event.fireEvent();
    expect(events).to.deep.equal([]);
    resolve();
    await p;
    await new Promise((r) => setImmediate(r));
    expect(events).to.deep.equal(['during']);
  });
});
