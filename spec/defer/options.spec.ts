// The options-object rule (README "Options objects follow one rule") in twistless/defer:
// gatherResults' consumeErrors and setDebugging's on take a boolean by position or the keyword
// form; DeferredList takes its flags as options only (its result type depends on them); a value
// of the wrong type is refused with InvalidOptionsError, and nothing is attached to any input.
import { expect } from 'chai';
import { Deferred, DeferredList, fail, gatherResults, getDebugging, setDebugging, succeed } from '../../lib/defer/index.js';
import { InvalidOptionsError } from '../../lib/defer/errors.js';
import { Failure } from '../../lib/failure/index.js';

describe('defer options (the one options rule)', function () {
  afterEach(function () {
    setDebugging(false);
  });

  it('gatherResults: consumeErrors by position and as { consumeErrors } give the same outcome', function () {
    for (const flag of [true, { consumeErrors: true }] as const) {
      const failing = fail<number>(new Error('no'));
      const g = gatherResults([succeed(1), failing], flag);
      let seen: unknown = 'unset';
      g.addErrback((f: Failure) => {
        seen = f.value;
        return null;
      });
      expect(seen).to.have.property('name', 'FirstError');
      const after: unknown[] = [];
      failing.addBoth((r) => after.push(r));
      expect(after).to.deep.equal([undefined]); // consumed: the input is left with undefined
    }
  });

  it('gatherResults: { consumeErrors: false }, {} and false leave the failure on the input', function () {
    for (const flag of [false, {}, { consumeErrors: false }] as const) {
      const failing = fail<number>(new Error('kept'));
      gatherResults([failing], flag).addErrback(() => null);
      const after: unknown[] = [];
      failing.addErrback((f: Failure) => after.push(f.getErrorMessage()));
      expect(after).to.deep.equal(['kept']);
    }
  });

  it('gatherResults: an unknown option, a non-boolean flag or a string is refused, and no input is touched', function () {
    for (const bad of [{ consumeError: true }, { consumeErrors: 'yes' }, 'yes', 1, null]) {
      const d = new Deferred<number>();
      expect(() => gatherResults([d], bad as never)).to.throw(InvalidOptionsError, /gatherResults takes consumeErrors/);
      d.callback(5);
      expect(d.result).to.equal(5);
    }
  });

  it('DeferredList: a flag that is not a boolean is refused (it was silently truthy)', function () {
    const d = new Deferred<number>();
    expect(() => new DeferredList([d], { consumeErrors: 'no' as never })).to.throw(InvalidOptionsError, /consumeErrors must be a boolean/);
    expect(() => new DeferredList([d], { fireOnOneCallback: 1 as never })).to.throw(InvalidOptionsError, /fireOnOneCallback must be a boolean/);
    expect(() => new DeferredList([d], true as never)).to.throw(InvalidOptionsError, /keyword options/);
    d.callback(1);
    expect(d.result).to.equal(1);
  });

  it('setDebugging: a boolean or { on }, anything else refused and the flag left as it was', function () {
    setDebugging({ on: true });
    expect(getDebugging()).to.equal(true);
    setDebugging(false);
    expect(getDebugging()).to.equal(false);
    for (const bad of [{}, 'yes', 1, { on: 'yes' }, { on: true, extra: 1 }]) {
      expect(() => setDebugging(bad as never)).to.throw(InvalidOptionsError, /setDebugging takes a boolean/);
      expect(getDebugging()).to.equal(false);
    }
  });
});
