// twistless's own Failure semantics where JavaScript differs from Python: wrapping any thrown
// value, `type` stand-ins for primitives, how check/trap match non-Error values, the cross-copy
// brand, messages, cleanFailure and the Deferred-facing fields.
import { expect } from 'chai';
import { inspect } from 'node:util';
import { Failure, isFailure, safeString, FAILURE_BRAND } from '../../lib/failure/index.js';

describe('Failure wraps any thrown value', function () {
  const cases: [string, unknown, unknown, string][] = [
    ['an Error', new TypeError('t'), TypeError, 't'],
    ['a string', 'boom', String, 'boom'],
    ['a number 0', 0, Number, '0'],
    ['false', false, Boolean, 'false'],
    ['a bigint', 10n, BigInt, '10'],
    ['null', null, null, 'null'],
    ['undefined', undefined, undefined, 'undefined'],
    ['a plain object', { a: 1 }, Object, '{ a: 1 }'],
    ['a prototype-less object', Object.create(null) as object, Object, '[Object: null prototype] {}'],
  ];
  for (const [label, value, type, message] of cases) {
    it(`wraps ${label}: value kept as is, type ${type === null ? 'null' : type === undefined ? 'undefined' : (type as { name: string }).name}, message ${JSON.stringify(message)}`, function () {
      const f = new Failure(value);
      expect(f.value).to.equal(value);
      expect(f.type).to.equal(type);
      expect(f.getErrorMessage()).to.equal(message);
    });
  }

  it('wraps a symbol with type Symbol and its description as message', function () {
    const s = Symbol('sym');
    const f = new Failure(s);
    expect(f.type).to.equal(Symbol);
    expect(f.getErrorMessage()).to.equal('Symbol(sym)');
  });

  it('a value with no stack has no frames, and its traceback says Failure: before the type line', function () {
    const f = new Failure('boom');
    expect(f.frames).to.deep.equal([]);
    expect(f.stack).to.deep.equal([]);
    expect(f.getTraceback()).to.equal('Traceback (most recent call last):\nFailure: String: boom\n');
    expect(f.getTraceback('brief')).to.equal("Traceback (failure with no frames): <class 'String'>: boom\n");
    expect(f.getTraceback('verbose')).to.equal(`*--- Failure #${f.count} ---\nFailure: String: boom\n*--- End of Failure #${f.count} ---\n`);
  });

  it('null and undefined get null/undefined as type name in tracebacks', function () {
    expect(new Failure(null).getTraceback()).to.equal('Traceback (most recent call last):\nFailure: null: null\n');
    expect(new Failure(undefined).getTraceback()).to.equal('Traceback (most recent call last):\nFailure: undefined: undefined\n');
  });

  it('count increases by one for each new Failure, and not for a Failure of a Failure', function () {
    const a = new Failure(1);
    const b = new Failure(2);
    expect(b.count).to.equal(a.count + 1);
    expect(new Failure(b).count).to.equal(b.count);
  });

  it('parents lists class names nearest first', function () {
    class MyError extends RangeError {}
    expect(new Failure(new MyError()).parents).to.deep.equal(['MyError', 'RangeError', 'Error', 'Object']);
    expect(new Failure('x').parents).to.deep.equal(['String']);
    expect(new Failure(null).parents).to.deep.equal(['null']);
  });
});

describe('Failure.check and trap matching', function () {
  class AppError extends Error {}
  class SubAppError extends AppError {}

  it('matches Error classes with instanceof, subclasses included, and returns the argument given', function () {
    const f = new Failure(new SubAppError('x'));
    expect(f.check(TypeError, AppError)).to.equal(AppError);
    expect(f.check(Error)).to.equal(Error);
    expect(f.check(TypeError)).to.equal(null);
    expect(f.check()).to.equal(null);
  });

  it('returns the first matching argument in argument order (check(KeyError, Exception) gives Exception)', function () {
    const f = new Failure(new SubAppError('x'));
    expect(f.check(TypeError, Error, SubAppError)).to.equal(Error);
  });

  it('matches a primitive by its wrapper class only', function () {
    expect(new Failure('s').check(String)).to.equal(String);
    expect(new Failure('s').check(Object)).to.equal(null);
    expect(new Failure(0).check(String, Number)).to.equal(Number);
    expect(new Failure(true).check(Boolean)).to.equal(Boolean);
    expect(new Failure(1n).check(BigInt)).to.equal(BigInt);
    expect(new Failure(Symbol.iterator).check(Symbol)).to.equal(Symbol);
  });

  it('matches a thrown null or undefined with null or undefined', function () {
    expect(new Failure(null).check(Error, null)).to.equal(null);
    expect(new Failure(null).check(undefined)).to.equal(null);
    expect(new Failure(undefined).check(Object, undefined)).to.equal(undefined);
    expect(new Failure(null).check('null')).to.equal('null');
    expect(new Failure(new Error()).check(null, undefined)).to.equal(null);
  });

  it('matches class names given as strings against parents (Twisted matches qualified names)', function () {
    const f = new Failure(new SubAppError('x'));
    expect(f.check('TypeError', 'AppError')).to.equal('AppError');
    expect(f.check('Error')).to.equal('Error');
    expect(new Failure('s').check('String')).to.equal('String');
  });

  it('matches objects against Object and their own classes', function () {
    class Thing {}
    expect(new Failure(new Thing()).check(Error, Thing)).to.equal(Thing);
    expect(new Failure({}).check(Object)).to.equal(Object);
    expect(new Failure(new Error()).check(Object)).to.equal(Object);
  });

  it('a class whose Symbol.hasInstance throws simply does not match', function () {
    const Weird = { prototype: {}, name: 'Weird', [Symbol.hasInstance]() { throw new Error('no'); } };
    const fn = Object.assign(function Weird() {}, {});
    Object.defineProperty(fn, Symbol.hasInstance, { value: Weird[Symbol.hasInstance] });
    expect(new Failure(new Error()).check(fn)).to.equal(null);
  });

  it('trap rethrows a thrown string, null, undefined or 0 exactly', function () {
    for (const v of ['s', null, undefined, 0]) {
      let caught: unknown = 'not thrown';
      try {
        new Failure(v).trap(Error);
      } catch (e) {
        caught = e;
      }
      expect(caught).to.equal(v);
    }
  });

  it('trap with no argument rethrows; raiseException throws the value', function () {
    const e = new Error('x');
    expect(() => new Failure(e).trap()).to.throw(e);
    expect(() => new Failure(e).raiseException()).to.throw(e);
  });
});

describe('Failure brand (a Failure from a second copy of twistless is still a Failure)', function () {
  function loadSecondCopy(): typeof import('../../lib/failure/index.js') {
    const files = Object.keys(require.cache).filter((k) => k.includes('/lib/failure/'));
    const saved = files.map((k) => [k, require.cache[k]] as const);
    for (const k of files) delete require.cache[k];
    try {
      // a fresh require of the same files is the only way to get a real second copy of the module
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require('../../lib/failure/index.js') as typeof import('../../lib/failure/index.js');
    } finally {
      for (const [k, m] of saved) require.cache[k] = m;
    }
  }

  it('isFailure and new Failure(foreign) recognise the other copy by Symbol.for brand', function () {
    const copy = loadSecondCopy();
    expect(copy.Failure).to.not.equal(Failure);
    const foreign = new copy.Failure(new Error('x'));
    expect(foreign instanceof Failure).to.equal(false);
    expect(isFailure(foreign)).to.equal(true);
    expect(copy.isFailure(new Failure(1))).to.equal(true);
    expect(new Failure(foreign)).to.equal(foreign);
    expect(copy.FAILURE_BRAND).to.equal(FAILURE_BRAND);
  });

  it('both copies share one count sequence', function () {
    const copy = loadSecondCopy();
    const a = new Failure(1);
    const b = new copy.Failure(2);
    expect(b.count).to.equal(a.count + 1);
  });

  it('isFailure is false for other values, including look-alikes without the brand', function () {
    for (const v of [null, undefined, 0, 'x', new Error(), { value: 1, type: Number, check() {} }]) {
      expect(isFailure(v)).to.equal(false);
    }
  });
});

describe('Failure messages, cleanFailure and the Deferred-facing fields', function () {
  it('getErrorMessage of an Error is its message; of a custom toString object, that text', function () {
    expect(new Failure(new Error('bad')).getErrorMessage()).to.equal('bad');
    expect(new Failure(new Error()).getErrorMessage()).to.equal('');
    expect(new Failure({ toString: () => 'custom' }).getErrorMessage()).to.equal('custom');
  });

  it('safeString never throws', function () {
    const hostile = new Proxy({}, { get() { throw new Error('trap'); }, getPrototypeOf() { throw new Error('proto'); } });
    expect(safeString(hostile)).to.be.a('string');
    expect(new Failure(hostile).getTraceback()).to.be.a('string');
  });

  it('cleanFailure marks the Failure pickled and keeps its frames', function () {
    let f!: Failure;
    try {
      throw new Error('x');
    } catch (e) {
      f = new Failure(e);
    }
    const before = f.frames.length;
    expect(f.pickled).to.equal(false);
    f.cleanFailure();
    expect(f.pickled).to.equal(true);
    expect(f.frames.length).to.equal(before);
    expect(before).to.be.greaterThan(0);
  });

  it('cleanFailure lets go of the receivers of the frames the error was thrown through (V8 keeps them until stack is read)', async function () {
    const gc = (globalThis as { gc?: () => void }).gc;
    expect(gc, 'the specs run with node --expose-gc').to.be.a('function');
    class Holder {
      boom(): never {
        throw new Error('from a method');
      }
    }
    function failureFromMethod(clean: boolean): { f: Failure; held: WeakRef<Holder> } {
      const h = new Holder();
      let f!: Failure;
      try {
        h.boom();
      } catch (e) {
        f = new Failure(e);
      }
      if (clean) f.cleanFailure();
      return { f, held: new WeakRef(h) };
    }
    async function collect(): Promise<void> {
      for (let i = 0; i < 3; i++) {
        await new Promise((r) => setImmediate(r));
        gc!();
      }
    }
    const uncleaned = failureFromMethod(false);
    const cleaned = failureFromMethod(true);
    await collect();
    // Without cleaning, the unread stack still holds the Holder (which is why cleanFailure reads it).
    expect(uncleaned.held.deref()).to.be.instanceOf(Holder);
    expect(cleaned.held.deref()).to.equal(undefined);
    expect(cleaned.f.getTraceback()).to.contain('boom');
    expect(uncleaned.f.value).to.be.instanceOf(Error);
  });

  it('cleanFailure survives a value whose stack getter throws', function () {
    const hostile = new Proxy({}, { get() { throw new Error('trap'); } });
    const f = new Failure(hostile);
    f.cleanFailure();
    expect(f.pickled).to.equal(true);
  });

  it('handled starts false and is a plain writable field for lib/defer', function () {
    const f = new Failure(1);
    expect(f.handled).to.equal(false);
    f.handled = true;
    expect(f.handled).to.equal(true);
  });

  it('printTraceback writes to process.stderr by default', function () {
    const original = process.stderr.write;
    let written = '';
    process.stderr.write = ((s: string) => {
      written += s;
      return true;
    }) as typeof process.stderr.write;
    try {
      new Failure('x').printTraceback();
    } finally {
      process.stderr.write = original;
    }
    expect(written).to.equal('Traceback (most recent call last):\nFailure: String: x\n');
  });

  it('inspect of a primitive Failure', function () {
    expect(inspect(new Failure(0))).to.equal('<Failure Number: 0>');
  });
});
