// trial's flushLoggedErrors and its end-of-test check (twisted.trial._synctest._LogObserver),
// as mocha-usable captures. Behaviour mirrored: only error events with a failure are kept,
// flushErrors(*types) removes the matching ones (all with no type), leftovers fail the test.
import { expect } from 'chai';
import { fail } from '../../lib/defer/index.js';
import { Failure } from '../../lib/failure/index.js';
import { addObserver, err, getObservers, msg, removeObserver, type LogEvent } from '../../lib/log/index.js';
import { Reactor } from '../../lib/reactor/index.js';
import {
  captureLoggedErrors,
  collectGarbage,
  flushLoggedErrors,
  GcNotExposedError,
  installLoggedErrorHooks,
  LoggedErrors,
  NotCapturingLoggedErrorsError,
  stopCapturingLoggedErrors,
  UnflushedLoggedErrors,
} from '../../lib/testing/index.js';

describe('captureLoggedErrors / flushLoggedErrors / stopCapturingLoggedErrors', function () {
  // A sentinel capture around each test: afterwards every capture the test left open (and the
  // sentinel) is closed, and captures opened outside this file are left alone.
  let sentinel: LoggedErrors;
  beforeEach(function () {
    sentinel = captureLoggedErrors();
  });
  afterEach(function () {
    while (sentinel.active) {
      try {
        stopCapturingLoggedErrors();
      } catch (e) {
        if (!(e instanceof UnflushedLoggedErrors)) throw e;
      }
    }
  });

  it('keeps logged failures; flushLoggedErrors() with no type takes them all, in order', function () {
    captureLoggedErrors();
    const a = new Failure(new RangeError('a'));
    err(a, 'first');
    err(new TypeError('b'));
    const flushed = flushLoggedErrors();
    expect(flushed).to.have.length(2);
    expect(flushed[0]).to.equal(a);
    expect(flushed[1].value).to.be.instanceOf(TypeError);
    expect(flushLoggedErrors()).to.deep.equal([]);
    stopCapturingLoggedErrors();
  });

  it('flushLoggedErrors(...types) takes only the matching ones and leaves the rest', function () {
    const capture = captureLoggedErrors();
    err(new RangeError('a'));
    err(new TypeError('b'));
    err(new RangeError('c'));
    expect(flushLoggedErrors(RangeError).map((f) => f.getErrorMessage())).to.deep.equal(['a', 'c']);
    expect(capture.errors.map((f) => f.getErrorMessage())).to.deep.equal(['b']);
    expect(flushLoggedErrors('TypeError')).to.have.length(1);
    stopCapturingLoggedErrors();
  });

  it('ignores messages and error events without a failure, as trial does', function () {
    const capture = captureLoggedErrors();
    msg('hello');
    err('a string is logged as a message');
    expect(capture.errors).to.deep.equal([]);
    stopCapturingLoggedErrors();
  });

  it('stopCapturingLoggedErrors throws UnflushedLoggedErrors listing why and traceback of what is left', function () {
    captureLoggedErrors();
    err(new Failure('left over'), 'Unhandled error in Deferred:');
    let thrown: unknown;
    try {
      stopCapturingLoggedErrors();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).to.be.instanceOf(UnflushedLoggedErrors);
    const e = thrown as UnflushedLoggedErrors;
    expect(e.failures.map((f) => f.value)).to.deep.equal(['left over']);
    expect(e.message).to.equal(
      '1 error was logged and not flushed (a test that expects them calls flushLoggedErrors(...types)):\n' +
        '[1] Unhandled error in Deferred:\nTraceback (most recent call last):\nFailure: String: left over\n',
    );
    // the capture is closed even though it threw: the sentinel is the innermost again
    expect(sentinel.active).to.equal(true);
    err(new Error('to the sentinel'));
    expect(sentinel.flush().map((f) => f.getErrorMessage())).to.deep.equal(['to the sentinel']);
  });

  it('while capturing, errors are not printed to stderr; afterwards the log is as before', function () {
    const before = getObservers();
    const original = process.stderr.write;
    let written = '';
    process.stderr.write = ((s: string) => {
      written += s;
      return true;
    }) as typeof process.stderr.write;
    try {
      captureLoggedErrors();
      err(new Error('quiet'));
      flushLoggedErrors();
      stopCapturingLoggedErrors();
    } finally {
      process.stderr.write = original;
    }
    expect(written).to.equal('');
    expect(getObservers()).to.deep.equal(before);
  });

  it('other observers still see the errors a capture keeps', function () {
    const seen: LogEvent[] = [];
    const o = (e: LogEvent): void => {
      seen.push(e);
    };
    addObserver(o);
    try {
      captureLoggedErrors();
      err(new Error('x'));
      flushLoggedErrors();
      stopCapturingLoggedErrors();
    } finally {
      removeObserver(o);
    }
    expect(seen).to.have.length(1);
  });

  it('captures nest: errors go to the innermost capture only', function () {
    const outer = captureLoggedErrors();
    err(new Error('outer 1'));
    const inner = captureLoggedErrors();
    err(new Error('inner'));
    expect(flushLoggedErrors().map((f) => f.getErrorMessage())).to.deep.equal(['inner']);
    stopCapturingLoggedErrors();
    err(new Error('outer 2'));
    expect(inner.active).to.equal(false);
    expect(outer.errors.map((f) => f.getErrorMessage())).to.deep.equal(['outer 1', 'outer 2']);
    expect(outer.stop(false)).to.have.length(2);
  });

  it('LoggedErrors.stop(false) returns the leftovers instead of throwing', function () {
    const capture = captureLoggedErrors();
    err(new Error('x'));
    expect(capture.stop(false).map((f) => f.getErrorMessage())).to.deep.equal(['x']);
    expect(capture.errors).to.deep.equal([]);
  });

  it('an unhandled error in a garbage-collected Deferred is captured (collectGarbage runs gc and waits)', async function () {
    captureLoggedErrors();
    (function drop(): void {
      fail(new SyntaxError('dropped'));
    })();
    let flushed: Failure[] = [];
    for (let i = 0; i < 10 && flushed.length === 0; i++) {
      await collectGarbage();
      flushed = flushLoggedErrors(SyntaxError);
    }
    expect(flushed).to.have.length(1);
    expect(flushed[0].getErrorMessage()).to.equal('dropped');
    stopCapturingLoggedErrors();
  });

  it('an exception from a reactor delayed call reaches the same observers and capture as an unhandled Deferred error, and the reactor goes on', async function () {
    // A Reactor on a hand-driven host timer: firing it is one pass of Node's loop.
    let armed: (() => void) | null = null;
    let now = 0;
    const r = new Reactor({
      seconds: () => now,
      timers: {
        set: (fn) => (armed = fn),
        clear: () => (armed = null),
        hold: () => () => undefined,
      },
    });
    const seen: LogEvent[] = [];
    const observer = (e: LogEvent): void => {
      if (e.isError && e.failure?.value instanceof URIError) seen.push(e); // not other files' dropped Deferreds
    };
    addObserver(observer);
    const capture = captureLoggedErrors();
    try {
      const ran: string[] = [];
      r.callLater(1, () => {
        throw new URIError('from a delayed call');
      });
      r.callLater(1, () => ran.push('next call, same pass'));
      r.callLater(2, () => ran.push('later pass'));
      now = 1;
      (armed as unknown as () => void)();
      now = 2;
      (armed as unknown as () => void)();
      expect(ran).to.deep.equal(['next call, same pass', 'later pass']);
      (function drop(): void {
        fail(new URIError('unhandled in a Deferred'));
      })();
      for (let i = 0; i < 10 && seen.length < 2; i++) await collectGarbage();
      expect(seen.map((e) => e.failure?.getErrorMessage())).to.deep.equal(['from a delayed call', 'unhandled in a Deferred']);
      const flushed = flushLoggedErrors(URIError);
      expect(flushed.map((f) => f.getErrorMessage())).to.deep.equal(['from a delayed call', 'unhandled in a Deferred']);
    } finally {
      capture.stop(false);
      removeObserver(observer);
    }
  });

  it('collectGarbage without --expose-gc throws GcNotExposedError', async function () {
    const g = globalThis as { gc?: unknown };
    const saved = g.gc;
    g.gc = undefined; // writable but not configurable under --expose-gc
    try {
      let thrown: unknown;
      try {
        await collectGarbage();
      } catch (e) {
        thrown = e;
      }
      expect(thrown).to.be.instanceOf(GcNotExposedError);
      expect((thrown as Error).message).to.match(/--expose-gc/);
    } finally {
      g.gc = saved;
    }
  });
});

describe('no capture open', function () {
  it('flushLoggedErrors and stopCapturingLoggedErrors without a capture throw NotCapturingLoggedErrorsError', function () {
    expect(() => flushLoggedErrors()).to.throw(NotCapturingLoggedErrorsError, /flushLoggedErrors was called while no logged-errors capture is active: call captureLoggedErrors\(\) first/);
    expect(() => stopCapturingLoggedErrors()).to.throw(NotCapturingLoggedErrorsError);
  });
});

describe('installLoggedErrorHooks', function () {
  it('registers a beforeEach that captures and an afterEach that fails on leftovers', function () {
    const before: (() => void)[] = [];
    const after: (() => void)[] = [];
    installLoggedErrorHooks({ beforeEach: (fn) => before.push(fn), afterEach: (fn) => after.push(fn) });
    expect([before.length, after.length]).to.deep.equal([1, 1]);
    // a test that flushes what it logged
    before[0]();
    err(new RangeError('expected'));
    expect(flushLoggedErrors(RangeError)).to.have.length(1);
    after[0]();
    // a test that leaves an error behind
    before[0]();
    err(new RangeError('unexpected'));
    expect(() => after[0]()).to.throw(UnflushedLoggedErrors, /1 error was logged and not flushed/);
    expect(() => flushLoggedErrors()).to.throw(NotCapturingLoggedErrorsError);
  });

  describe('used with mocha itself', function () {
    installLoggedErrorHooks({ beforeEach, afterEach });

    it('a test that logs and flushes passes', function () {
      err(new TypeError('logged'));
      expect(flushLoggedErrors(TypeError)).to.have.length(1);
    });

    it('each test starts with an empty capture', function () {
      expect(flushLoggedErrors()).to.deep.equal([]);
    });
  });
});
