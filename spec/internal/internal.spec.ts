// The internal helpers of lib/internal: one describer for error messages, one thenable test, one home
// for process-wide state. Not exported from the package, so the spec imports the files themselves.
import { expect } from 'chai';
import { describe as describeValue } from '../../lib/internal/describe.js';
import { isThenable } from '../../lib/internal/thenable.js';
import { processWide } from '../../lib/internal/processWide.js';

describe('describe', () => {
  it('test_primitives: names the type and shows the value', () => {
    expect(describeValue(null)).to.equal('null');
    expect(describeValue(undefined)).to.equal('undefined');
    expect(describeValue(42)).to.equal('number 42');
    expect(describeValue(1n)).to.equal('bigint 1');
    expect(describeValue(true)).to.equal('boolean true');
    expect(describeValue(Symbol('s'))).to.equal('a symbol Symbol(s)');
  });

  it('test_string: quotes a string and cuts a long one', () => {
    expect(describeValue('ab')).to.equal('the string "ab"');
    expect(describeValue('x'.repeat(50))).to.equal(`the string "${'x'.repeat(40)}..."`);
  });

  it('test_function: names a function, or says it is anonymous', () => {
    function named(): void {}
    expect(describeValue(named)).to.equal('function named');
    expect(describeValue([() => 1][0])).to.equal('function (anonymous)');
  });

  it('test_object: names the constructor, and never throws', () => {
    expect(describeValue({})).to.equal('an object (Object)');
    expect(describeValue([])).to.equal('an object (Array)');
    expect(describeValue(Object.create(null))).to.equal('an object (Object)');
    const hostile = new Proxy({}, { get() { throw new Error('no'); } });
    expect(describeValue(hostile)).to.equal('an object (Object)');
  });
});

describe('isThenable', () => {
  it('test_thenable: true only for a callable then', () => {
    expect(isThenable(Promise.resolve())).to.equal(true);
    expect(isThenable({ then() {} })).to.equal(true);
    expect(isThenable(Object.assign(() => 1, { then() {} }))).to.equal(true);
    expect(isThenable({ then: 1 })).to.equal(false);
    expect(isThenable(null)).to.equal(false);
    expect(isThenable(42)).to.equal(false);
  });
});

describe('processWide', () => {
  it('test_once: creates the value once and keeps it on globalThis under Symbol.for', () => {
    let made = 0;
    const a = processWide('spec.util.once', () => ({ n: ++made }));
    const b = processWide('spec.util.once', () => ({ n: ++made }));
    expect(a).to.equal(b);
    expect(made).to.equal(1);
    expect((globalThis as unknown as Record<symbol, unknown>)[Symbol.for('twistless.spec.util.once')]).to.equal(a);
  });
});
