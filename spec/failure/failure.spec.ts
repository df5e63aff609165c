// Port of twisted/test/test_failure.py (Twisted 22.4): the portable tests of FailureTests,
// GetTracebackTests and ExtendedGeneratorTests, by name. The py-only ones (captureVars, traceback
// objects, _findFailure, pdb) have no JavaScript counterpart; docs/failure.md lists them.
import { expect } from 'chai';
import {
  EXCEPTION_CAUGHT_HERE,
  Failure,
  InvalidTracebackDetailError,
  NoCurrentExceptionError,
  type TextStream,
} from '../../lib/failure/index.js';
import { inspect } from 'node:util';

class ZeroDivisionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZeroDivisionError';
  }
}

function divide(a: number, b: number): number {
  if (b === 0) throw new ZeroDivisionError('division by zero');
  return a / b;
}

/** Port of test_failure.getDivisionFailure: a Failure of a divide-by-zero error. */
function getDivisionFailure(): Failure {
  try {
    divide(1, 0);
  } catch (e) {
    return new Failure(e);
  }
  throw new Error('divide(1, 0) did not throw');
}

class Collect implements TextStream {
  text = '';
  write(s: string): void {
    this.text += s;
  }
}

describe('FailureTests', function () {
  it('test_failAndTrap: trap returns the matching class and leaves the type alone', function () {
    class NotImplementedError extends RangeError {}
    let f!: Failure;
    try {
      throw new NotImplementedError('test');
    } catch (e) {
      f = new Failure(e);
    }
    const error = f.trap(SyntaxError, RangeError);
    expect(error).to.equal(RangeError);
    expect(f.type).to.equal(NotImplementedError);
  });

  it('test_trapRaisesWrappedException: trap with no match throws the wrapped value itself, not the Failure', function () {
    const exception = new TypeError();
    const f = new Failure(exception);
    let untrapped: unknown;
    try {
      f.trap(RangeError);
    } catch (e) {
      untrapped = e;
    }
    expect(untrapped).to.equal(exception);
  });

  it('test_failureValueFromFailure: a Failure made from a Failure has the same value (it is the same Failure)', function () {
    const exception = new TypeError();
    const f1 = new Failure(exception);
    const f2 = new Failure(f1);
    expect(f2.value).to.equal(exception);
    expect(f2).to.equal(f1);
  });

  it('test_printDetailedTraceback: the verbose traceback has the count header, the frames and the footer', function () {
    const f = getDivisionFailure();
    const out = new Collect();
    f.printDetailedTraceback(out);
    const start = `*--- Failure #${f.count} ---\n`;
    const end = `ZeroDivisionError: division by zero\n*--- End of Failure #${f.count} ---\n`;
    expect(out.text.startsWith(start), out.text).to.equal(true);
    expect(out.text.endsWith(end), out.text).to.equal(true);
    expect(out.text).to.include(`${EXCEPTION_CAUGHT_HERE}\n`);
    expect(out.text).to.match(/failure\.spec\.ts:\d+: divide\(\.\.\.\)\n/);
    // no locals are captured, so no line is a variable line (two leading spaces)
    expect(out.text.split('\n').filter((l) => l.startsWith('  '))).to.deep.equal([]);
  });

  it('test_printDetailedTraceback: after cleanFailure the verbose header says (pickled)', function () {
    const f = getDivisionFailure();
    f.cleanFailure();
    const out = new Collect();
    f.printDetailedTraceback(out);
    expect(out.text.startsWith(`*--- Failure #${f.count} (pickled) ---\n`), out.text).to.equal(true);
  });

  it('test_printBriefTraceback: the brief traceback is a class header, the marker, then file:line:function lines', function () {
    const f = getDivisionFailure();
    const out = new Collect();
    f.printBriefTraceback(out);
    let stack = '';
    for (const fr of f.frames) stack += `${fr.fileName}:${fr.lineNumber}:${fr.functionName}\n`;
    expect(out.text.startsWith("Traceback: <class 'ZeroDivisionError'>: "), out.text).to.equal(true);
    expect(out.text.endsWith(`${EXCEPTION_CAUGHT_HERE}\n${stack}`), out.text).to.equal(true);
  });

  it('test_printTraceback: the default traceback has File/line/in lines with their source, then type: message', function () {
    const f = getDivisionFailure();
    const out = new Collect();
    f.printTraceback(out);
    const innermost = f.frames[f.frames.length - 1];
    expect(innermost.functionName).to.equal('divide');
    expect(out.text.startsWith('Traceback (most recent call last):\n'), out.text).to.equal(true);
    expect(out.text).to.include(`${EXCEPTION_CAUGHT_HERE}\n`);
    expect(out.text.endsWith(
      `  File "${innermost.fileName}", line ${innermost.lineNumber}, in divide\n` +
        "    if (b === 0) throw new ZeroDivisionError('division by zero');\n" +
        'ZeroDivisionError: division by zero\n',
    ), out.text).to.equal(true);
  });

  it('test_invalidFormatFramesDetail: an unknown detail level is an InvalidTracebackDetailError', function () {
    const f = getDivisionFailure();
    expect(() => f.getTraceback('noisia' as never)).to.throw(InvalidTracebackDetailError, /Detail must be default, brief, or verbose \(not "noisia"\)/);
    expect(() => f.printTraceback(new Collect(), 'noisia' as never)).to.throw(RangeError);
    // even a Failure without frames refuses it (Twisted checks only when there are frames)
    expect(() => new Failure('x').getTraceback('noisia' as never)).to.throw(InvalidTracebackDetailError);
  });

  it('test_ExplictPass: trapping the right class leaves the value untouched', function () {
    const e = new RangeError();
    const f = new Failure(e);
    f.trap(RangeError);
    expect(f.value).to.equal(e);
  });

  it('test_ConstructionFails: new Failure() with no argument at all throws NoCurrentExceptionError', function () {
    const Ctor = Failure as unknown as new () => Failure;
    expect(() => new Ctor()).to.throw(NoCurrentExceptionError, /no current exception/);
    expect(() => new Ctor()).to.throw(TypeError);
    // an explicit undefined is a value JavaScript can throw: it is wrapped
    expect(new Failure(undefined).value).to.equal(undefined);
  });

  it('test_repr: inspect shows the type and the message', function () {
    const f = getDivisionFailure();
    expect(inspect(f)).to.equal('<Failure ZeroDivisionError: division by zero>');
    expect(String(f).startsWith("[Failure instance: Traceback: <class 'ZeroDivisionError'>: division by zero\n")).to.equal(true);
    expect(String(f).endsWith('\n]')).to.equal(true);
  });
});

describe('GetTracebackTests', function () {
  class BrokenStr extends Error {
    override get message(): string {
      throw this;
    }
    override set message(_v: string) {
      // ignore the constructor's assignment
    }
  }

  function brokenValueTest(detail: 'brief' | 'default' | 'verbose'): string {
    const f = new Failure(new BrokenStr());
    const tb = f.getTraceback(detail);
    expect(tb).to.be.a('string');
    expect(tb).to.include('BrokenStr instance with str error');
    return tb;
  }

  it('test_brokenValueBriefDetail: a value whose message throws still gives a brief traceback', function () {
    brokenValueTest('brief');
  });

  it('test_brokenValueDefaultDetail: a value whose message throws still gives a default traceback', function () {
    brokenValueTest('default');
  });

  it('test_brokenValueVerboseDetail: a value whose message throws still gives a verbose traceback', function () {
    brokenValueTest('verbose');
  });

  it('a non-Error object whose toString throws still gives a message', function () {
    const f = new Failure({
      toString(): string {
        throw new Error('nope');
      },
    });
    expect(f.getErrorMessage()).to.equal('<Object instance with str error:\n Error: nope>');
  });
});

describe('ExtendedGeneratorTests', function () {
  it('test_throwExceptionIntoGenerator: the wrapped value is thrown into the generator at its yield', function () {
    const stuff: unknown[] = [];
    function* generator(): Generator<undefined, void, unknown> {
      try {
        yield;
      } catch (e) {
        stuff.push(e);
        return;
      }
      throw new Error('Yield should have yielded exception.');
    }
    const g = generator();
    const f = getDivisionFailure();
    g.next();
    const r = f.throwExceptionIntoGenerator(g);
    expect(r.done).to.equal(true);
    expect(stuff).to.have.length(1);
    expect(stuff[0]).to.equal(f.value);
    expect(stuff[0]).to.be.instanceOf(ZeroDivisionError);
  });
});
