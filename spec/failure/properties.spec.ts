// Property tests for Failure: for any thrown value, the Failure keeps it exactly, never throws
// while describing it, rethrows it exactly, and check() agrees with a small reference model of
// the matching rules (instanceof for objects, the wrapper class for primitives, identity for
// null/undefined, parents for names).
import { expect } from 'chai';
import fc from 'fast-check';
import { Failure, safeString } from '../../lib/failure/index.js';

class A extends Error {}
class B extends A {}
class C extends RangeError {}
const classes = [Error, TypeError, RangeError, A, B, C, Object, String, Number, Boolean, BigInt, Symbol];

const thrown = fc.oneof(
  fc.anything(),
  fc.constantFrom<unknown>(null, undefined, 0, -0, NaN, '', false, 0n, Symbol('s')),
  fc.string().map((m) => new A(m)),
  fc.string().map((m) => new B(m)),
  fc.string().map((m) => new C(m)),
  fc.string().map((m) => new TypeError(m)),
);

function model(value: unknown, t: unknown): boolean {
  if (t === null || t === undefined) return value === t;
  if (typeof t === 'string') {
    return new Failure(value).parents.includes(t);
  }
  if (value === null || value === undefined) return false;
  const kind = typeof value;
  if (kind === 'object' || kind === 'function') return value instanceof (t as new () => unknown);
  const wrappers: Record<string, unknown> = { string: String, number: Number, boolean: Boolean, bigint: BigInt, symbol: Symbol };
  return wrappers[kind] === t;
}

describe('Failure properties', function () {
  it('keeps any value, describes it without throwing, and rethrows exactly it', function () {
    fc.assert(
      fc.property(thrown, (v) => {
        const f = new Failure(v);
        expect(Object.is(f.value, v)).to.equal(true);
        expect(f.getErrorMessage()).to.be.a('string');
        expect(safeString(v)).to.be.a('string');
        for (const d of ['default', 'brief', 'verbose'] as const) expect(f.getTraceback(d)).to.be.a('string');
        let caught: unknown = Symbol('nothing');
        try {
          f.raiseException();
        } catch (e) {
          caught = e;
        }
        expect(Object.is(caught, v)).to.equal(true);
      }),
    );
  });

  it('check returns the first argument the reference model says matches', function () {
    const matcher = fc.oneof(
      fc.constantFrom<unknown>(...classes, null, undefined),
      fc.constantFrom('Error', 'A', 'B', 'C', 'RangeError', 'Object', 'String', 'Number', 'null', 'undefined', 'Nope'),
    );
    fc.assert(
      fc.property(thrown, fc.array(matcher, { maxLength: 5 }), (v, types) => {
        const f = new Failure(v);
        const expected = types.find((t) => model(v, t));
        const got = f.check(...(types as never[]));
        expect(got).to.equal(expected === undefined && !types.some((t) => t === undefined && model(v, t)) ? null : expected);
      }),
    );
  });

  it('a Failure of a Failure is the same Failure, for any value', function () {
    fc.assert(
      fc.property(thrown, (v) => {
        const f = new Failure(v);
        expect(new Failure(f)).to.equal(f);
      }),
    );
  });
});
