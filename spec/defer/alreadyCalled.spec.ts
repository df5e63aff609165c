// Port of twisted/test/test_defer.py (Twisted 22.4): AlreadyCalledTests.
import { expect } from 'chai';
import { AlreadyCalledError, Deferred, getDebugging, setDebugging } from '../../lib/defer/index.js';
import { Failure } from '../../lib/failure/index.js';

describe('AlreadyCalledTests', function () {
  let wasDebugging: boolean;
  beforeEach(function () {
    wasDebugging = getDebugging();
    setDebugging(true);
  });
  afterEach(function () {
    setDebugging(wasDebugging);
  });

  const cbNoop = (): void => undefined;
  const ebNoop = (): void => undefined;
  function _call_1(d: Deferred<string>): void {
    d.callback('hello');
  }
  function _call_2(d: Deferred<string>): void {
    d.callback('twice');
  }
  function _err_1(d: Deferred<string>): void {
    d.errback(new Failure(new Error('first')));
  }
  function _err_2(d: Deferred<string>): void {
    d.errback(new Failure(new Error('second')));
  }

  it('testAlreadyCalled_CC: callback then callback throws AlreadyCalledError', function () {
    const d = new Deferred<string>();
    d.addCallbacks(cbNoop, ebNoop);
    _call_1(d);
    expect(() => _call_2(d)).to.throw(AlreadyCalledError);
  });

  it('testAlreadyCalled_CE: callback then errback throws AlreadyCalledError', function () {
    const d = new Deferred<string>();
    d.addCallbacks(cbNoop, ebNoop);
    _call_1(d);
    expect(() => _err_2(d)).to.throw(AlreadyCalledError);
  });

  it('testAlreadyCalled_EE: errback then errback throws AlreadyCalledError', function () {
    const d = new Deferred<string>();
    d.addCallbacks(cbNoop, ebNoop);
    _err_1(d);
    expect(() => _err_2(d)).to.throw(AlreadyCalledError);
  });

  it('testAlreadyCalled_EC: errback then callback throws AlreadyCalledError', function () {
    const d = new Deferred<string>();
    d.addCallbacks(cbNoop, ebNoop);
    _err_1(d);
    expect(() => _call_2(d)).to.throw(AlreadyCalledError);
  });

  // Twisted's _count: lines that start with " C:"/" I:" and mention the function.
  function count(lineType: string, func: string, lines: string[]): number {
    return lines.filter((l) => l.startsWith(` ${lineType}:`) && new RegExp(`\\b${func}\\b`).test(l)).length;
  }
  function check(e: AlreadyCalledError, caller: string, invoker1: string, invoker2: string): void {
    const lines = e.debugInfo.split('\n');
    expect(e.message).to.contain(e.debugInfo);
    expect(count('C', caller, lines)).to.equal(1);
    for (const f of ['_call_1', '_call_2', '_err_1', '_err_2']) expect(count('C', f, lines), f).to.equal(0);
    expect(count('I', invoker1, lines)).to.equal(1);
    expect(count('I', invoker2, lines)).to.equal(0);
  }
  function expectAlreadyCalled(fn: () => void): AlreadyCalledError {
    try {
      fn();
    } catch (e) {
      expect(e).to.be.instanceOf(AlreadyCalledError);
      return e as AlreadyCalledError;
    }
    throw new Error('second call failed to throw AlreadyCalledError');
  }

  it('testAlreadyCalledDebug_CC: the message shows the creator and the first invoker only', function () {
    function testAlreadyCalledDebug_CC(): Deferred<string> {
      return new Deferred<string>();
    }
    const d = testAlreadyCalledDebug_CC();
    d.addCallbacks(cbNoop, ebNoop);
    _call_1(d);
    check(expectAlreadyCalled(() => _call_2(d)), 'testAlreadyCalledDebug_CC', '_call_1', '_call_2');
  });

  it('testAlreadyCalledDebug_CE: the message shows the creator and the first invoker only', function () {
    function testAlreadyCalledDebug_CE(): Deferred<string> {
      return new Deferred<string>();
    }
    const d = testAlreadyCalledDebug_CE();
    d.addCallbacks(cbNoop, ebNoop);
    _call_1(d);
    check(expectAlreadyCalled(() => _err_2(d)), 'testAlreadyCalledDebug_CE', '_call_1', '_err_2');
  });

  it('testAlreadyCalledDebug_EC: the message shows the creator and the first invoker only', function () {
    function testAlreadyCalledDebug_EC(): Deferred<string> {
      return new Deferred<string>();
    }
    const d = testAlreadyCalledDebug_EC();
    d.addCallbacks(cbNoop, ebNoop);
    _err_1(d);
    check(expectAlreadyCalled(() => _call_2(d)), 'testAlreadyCalledDebug_EC', '_err_1', '_call_2');
  });

  it('testAlreadyCalledDebug_EE: the message shows the creator and the first invoker only', function () {
    function testAlreadyCalledDebug_EE(): Deferred<string> {
      return new Deferred<string>();
    }
    const d = testAlreadyCalledDebug_EE();
    d.addCallbacks(cbNoop, ebNoop);
    _err_1(d);
    check(expectAlreadyCalled(() => _err_2(d)), 'testAlreadyCalledDebug_EE', '_err_1', '_err_2');
  });

  it('testNoDebugging: without debugging the error carries no stacks', function () {
    setDebugging(false);
    const d = new Deferred<string>();
    d.addCallbacks(cbNoop, ebNoop);
    _call_1(d);
    const e = expectAlreadyCalled(() => _call_2(d));
    expect(e.debugInfo).to.equal('');
    expect(e.message).to.match(/setDebugging\(true\)/);
    expect(e.message).to.not.match(/ C:/);
  });

  it('testSwitchDebugging: flipping debugging between creation and firing is harmless', function () {
    setDebugging(false);
    let d = new Deferred<void>();
    d.addBoth(() => undefined);
    setDebugging(true);
    d.callback();
    setDebugging(false);
    d = new Deferred<void>();
    d.callback();
    setDebugging(true);
    d.addBoth(() => undefined);
    expect(getDebugging()).to.equal(true);
  });
});
