// Failure inside Deferred errback chains: what Twisted 22.4 does with trap (the next errback gets
// a NEW Failure around the SAME value), with thrown non-Error values, and with Failures from a
// second copy of lib/failure. Checked against Twisted under /usr/bin/python3.
import { expect } from 'chai';
import { Deferred, fail } from '../../lib/defer/index.js';
import { Failure, isFailure } from '../../lib/failure/index.js';

describe('Failure in errback chains', function () {
  it('test_trapRaisesWrappedException, in a chain: the next errback gets a new Failure around the same value', function () {
    const value = new TypeError('not trapped');
    const first = new Failure(value);
    const d = fail(first);
    d.addErrback((f: Failure) => f.trap(RangeError));
    let second: Failure | undefined;
    d.addErrback((f: Failure) => {
      second = f;
    });
    expect(second).to.not.equal(undefined);
    expect(second).to.not.equal(first);
    expect(second!.value).to.equal(value);
  });

  it('trap that matches lets the errback recover', function () {
    const d = fail(new RangeError('r'));
    d.addErrback((f: Failure) => {
      f.trap(RangeError);
      return 'recovered';
    });
    let got: unknown;
    d.addCallback((v) => {
      got = v;
    });
    expect(got).to.equal('recovered');
  });

  it('a thrown string, null or undefined travels down the chain as the Failure value and is matched by wrapper/null', function () {
    for (const v of ['s', null, undefined, 0]) {
      const d = new Deferred();
      d.addCallback(() => {
        throw v;
      });
      let seen: Failure | undefined;
      d.addErrback((f: Failure) => {
        seen = f;
      });
      d.callback(1);
      expect(isFailure(seen)).to.equal(true);
      expect(seen!.value).to.equal(v);
      const expected = v === null ? null : v === undefined ? undefined : v === 's' ? String : Number;
      expect(seen!.check(Error, expected)).to.equal(expected);
    }
  });

  it('a Failure from a second copy of lib/failure is taken as a Failure by the Deferred', function () {
    const files = Object.keys(require.cache).filter((k) => k.includes('/lib/failure/'));
    const saved = files.map((k) => [k, require.cache[k]] as const);
    for (const k of files) delete require.cache[k];
    let copy: typeof import('../../lib/failure/index.js');
    try {
      // a fresh require of the same files is the only way to get a real second copy of the module
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      copy = require('../../lib/failure/index.js') as typeof import('../../lib/failure/index.js');
    } finally {
      for (const [k, m] of saved) require.cache[k] = m;
    }
    const foreign = new copy.Failure(new Error('foreign'));
    const d = new Deferred();
    let seen: unknown;
    d.addErrback((f: Failure) => {
      seen = f;
    });
    d.callback(foreign); // callback(aFailure) behaves like errback
    expect(seen).to.equal(foreign);
  });
});
