// Port of twisted/test/test_defer.py (Twisted 22.4): LogTests and UtilTests. A Deferred
// garbage-collected while holding an unhandled Failure is reported through log.err (via a
// FinalizationRegistry); these specs need node --expose-gc (set in .mocharc.json).
import { expect } from 'chai';
import { Deferred, fail, logError, setDebugging, succeed } from '../../lib/defer/index.js';
import { Failure } from '../../lib/failure/index.js';
import { textFromEventDict } from '../../lib/log/index.js';
import { captureLog, collectGarbage } from './support.js';

let tag = 0;
/** A message no other spec uses, so events from other specs' garbage are ignored. */
function unique(): string {
  return `log-spec-${process.pid}-${++tag}`;
}

describe('LogTests', function () {
  const { errorsAbout } = captureLog();

  function fireAndDrop(message: string): void {
    const d = new Deferred<number>();
    d.addCallback(() => {
      throw new RangeError(message);
    });
    d.callback(1);
  }

  it('test_errorLog: an unreferenced Deferred left failing is logged once it is collected', async function () {
    const m = unique();
    fireAndDrop(m);
    await collectGarbage(() => errorsAbout(m).length > 0);
    const c2 = errorsAbout(m);
    expect(c2).to.have.length(1);
    expect(c2[0].failure!.trap(RangeError)).to.equal(RangeError);
    expect(c2[0].why).to.equal('Unhandled error in Deferred:');
  });

  it('test_errorLogWithInnerFrameRef: the same when the Deferred was made and fired in an inner function', async function () {
    const m = unique();
    (function _subErrorLogWithInnerFrameRef() {
      const d = new Deferred<number>();
      d.addCallback(() => {
        throw new RangeError(m);
      });
      d.callback(1);
    })();
    await collectGarbage(() => errorsAbout(m).length > 0);
    expect(errorsAbout(m)).to.have.length(1);
  });

  it('test_errorLogWithInnerFrameCycle: the same when the Deferred is in a reference cycle', async function () {
    const m = unique();
    (function _subErrorLogWithInnerFrameCycle() {
      const d = new Deferred<number>();
      d.addCallback(() => {
        throw new RangeError(m);
      });
      (d as unknown as { _d: unknown })._d = d;
      d.callback(1);
    })();
    await collectGarbage(() => errorsAbout(m).length > 0);
    expect(errorsAbout(m)).to.have.length(1);
  });

  it('test_errorLogNoRepr: the logged text is the why line and the traceback, no repr', async function () {
    const m = unique();
    fireAndDrop(m);
    await collectGarbage(() => errorsAbout(m).length > 0);
    const text = textFromEventDict(errorsAbout(m)[0])!;
    expect(text.startsWith('Unhandled error in Deferred:\nTraceback ')).to.equal(true, text);
  });

  it('test_errorLogDebugInfo: with debugging on, the report includes the debug stacks', async function () {
    const m = unique();
    (function doit() {
      setDebugging(true);
      const d = new Deferred<number>();
      d.addCallback(() => {
        throw new RangeError(m);
      });
      d.callback(1);
      setDebugging(false);
    })();
    await collectGarbage(() => errorsAbout(m).length > 0);
    const ev = errorsAbout(m);
    expect(ev).to.have.length(1);
    expect(ev[0].why).to.match(/^Unhandled error in Deferred:\n\(debug: {2}C: Deferred was created:/);
    expect(ev[0].why).to.contain(' I: First Invoker was:\n I:');
    expect(ev[0].why).to.contain('doit');
  });

  it('test_chainedErrorCleanup: an inner failed Deferred handed to an outer is not logged', async function () {
    const m = unique();
    const errors: Failure[] = [];
    (function () {
      const d = new Deferred<void>();
      d.addCallback(() => fail(new Error(m)));
      d.callback();
      d.addCallbacks(
        () => undefined,
        (f) => {
          errors.push(f);
        },
      );
    })();
    expect(errors).to.have.length(1);
    await collectGarbage();
    expect(errorsAbout(m)).to.deep.equal([]);
  });

  it('test_errorClearedByChaining: a failure consumed by an errback returning another Deferred is not logged', async function () {
    const m = unique();
    (function () {
      const bad = fail(new Error(m));
      const good = new Deferred<void>();
      bad.addErrback(() => good);
    })();
    await collectGarbage();
    expect(errorsAbout(m)).to.deep.equal([]);
  });

  it('a failure that was awaited is handled: nothing is logged', async function () {
    const m = unique();
    let caught: unknown = null;
    await (async function () {
      try {
        await fail(new Error(m));
      } catch (e) {
        caught = e;
      }
    })();
    expect((caught as Error).message).to.equal(m);
    await collectGarbage();
    expect(errorsAbout(m)).to.deep.equal([]);
  });

  it('a failure marked handled after its chain stopped on it is not logged (a helper took responsibility)', async function () {
    const m = unique();
    const n = unique();
    (function () {
      const d = fail(new Error(m));
      (d.result as Failure).handled = true;
      fail(new Error(n)); // the control: not marked, so reported
    })();
    await collectGarbage(() => errorsAbout(n).length > 0);
    expect(errorsAbout(n)).to.have.length(1);
    expect(errorsAbout(m)).to.deep.equal([]);
  });

  it('a Deferred whose last errback recovered is not logged', async function () {
    const m = unique();
    (function () {
      fail(new Error(m)).addErrback(() => 'fine');
    })();
    await collectGarbage();
    expect(errorsAbout(m)).to.deep.equal([]);
  });

  it('a Deferred that is still referenced is not logged; it is once dropped', async function () {
    const m = unique();
    const holder: { keep: Deferred<never> | null } = { keep: fail(new Error(m)) };
    await collectGarbage();
    expect(errorsAbout(m)).to.deep.equal([]);
    expect(holder.keep!.called).to.equal(true);
    holder.keep = null;
    await collectGarbage(() => errorsAbout(m).length > 0);
    expect(errorsAbout(m)).to.have.length(1);
  });

  it('successful Deferreds are never registered for reporting (no cost on the success path)', function () {
    const d = succeed(1).addCallback((x) => x + 1);
    expect(d._debugInfo).to.equal(null);
  });
});

describe('UtilTests', function () {
  const logged = captureLog();

  it('test_logErrorReturnsError: logError returns the same failure', function () {
    const error = new Failure(new Error('x'));
    expect(logError(error)).to.equal(error);
  });

  it('test_logErrorLogsError: logError logs the failure', function () {
    const error = new Failure(new Error('x'));
    logError(error);
    expect(logged.events.filter((e) => e.isError).map((e) => e.failure)).to.deep.equal([error]);
  });

  it('test_logErrorLogsErrorNoRepr: the logged text is "Unhandled Error" and the traceback', function () {
    logError(new Failure(new Error('x')));
    expect(textFromEventDict(logged.events[0])!.startsWith('Unhandled Error\nTraceback ')).to.equal(true);
  });
});
