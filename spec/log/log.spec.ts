// twisted.python.log's legacy observer API (Twisted 22.4): addObserver, removeObserver, msg, err,
// the observer error handling of twisted.logger.LogPublisher, and the stderr fallback.
import { expect } from 'chai';
import { Failure, NoCurrentExceptionError } from '../../lib/failure/index.js';
import {
  addObserver,
  err,
  getObservers,
  log,
  msg,
  ObserverNotCallableError,
  removeObserver,
  type LogEvent,
} from '../../lib/log/index.js';

function captureStderr<T>(fn: () => T): [T, string] {
  const original = process.stderr.write;
  let written = '';
  process.stderr.write = ((s: string) => {
    written += s;
    return true;
  }) as typeof process.stderr.write;
  try {
    return [fn(), written];
  } finally {
    process.stderr.write = original;
  }
}

describe('log observers', function () {
  let events: LogEvent[];
  const observer = (e: LogEvent): void => {
    events.push(e);
  };
  let saved: ((e: LogEvent) => void)[];

  beforeEach(function () {
    saved = getObservers();
    for (const o of saved) removeObserver(o);
    events = [];
    addObserver(observer);
  });
  afterEach(function () {
    removeObserver(observer);
    for (const o of saved) addObserver(o);
  });

  it('msg sends { message: parts, isError: false, time, system } to observers', function () {
    const before = Date.now() / 1000;
    msg('hello', 'world', 3);
    expect(events).to.have.length(1);
    const [e] = events;
    expect(e.message).to.deep.equal(['hello', 'world', 3]);
    expect(e.isError).to.equal(false);
    expect(e.failure).to.equal(undefined);
    expect(e.system).to.equal('-');
    expect(e.time).to.be.within(before - 1, Date.now() / 1000 + 1);
  });

  it('err(failure, why) sends an error event with the Failure itself and why, and an empty message', function () {
    const f = new Failure(new Error('boom'));
    err(f, 'Unhandled error in Deferred:');
    expect(events).to.have.length(1);
    expect(events[0]).to.include({ isError: true, failure: f, why: 'Unhandled error in Deferred:' });
    expect(events[0].message).to.deep.equal([]);
  });

  it('err(error) wraps an Error in a new Failure, and has no why', function () {
    const e = new RangeError('r');
    err(e);
    expect(events[0].failure).to.be.instanceOf(Failure);
    expect(events[0].failure!.value).to.equal(e);
    expect('why' in events[0]).to.equal(false);
  });

  it('err(non-Error) logs the inspected value as an error message without a failure, as Python logs repr()', function () {
    err('oops', 'why');
    err(undefined);
    expect(events.map((e) => [e.message, e.isError, e.failure])).to.deep.equal([
      [["'oops'"], true, undefined],
      [['undefined'], true, undefined],
    ]);
  });

  it('err() with no argument at all throws NoCurrentExceptionError and logs nothing', function () {
    expect(() => (err as () => void)()).to.throw(NoCurrentExceptionError, /log\.err\(\) was called with no argument/);
    expect(events).to.deep.equal([]);
  });

  it('adding an observer twice registers it once; removing an unknown one does nothing', function () {
    addObserver(observer);
    removeObserver(() => undefined);
    msg('x');
    expect(events).to.have.length(1);
  });

  it('removeObserver stops delivery', function () {
    removeObserver(observer);
    const second: LogEvent[] = [];
    const o2 = (e: LogEvent): void => {
      second.push(e);
    };
    addObserver(o2);
    msg('x');
    removeObserver(o2);
    expect(events).to.deep.equal([]);
    expect(second).to.have.length(1);
  });

  it('addObserver of a non-function is an ObserverNotCallableError (a TypeError) and changes nothing', function () {
    expect(() => addObserver(42 as never)).to.throw(ObserverNotCallableError, /Observer is not callable: got number; pass a function/);
    expect(() => addObserver(null as never)).to.throw(TypeError, /got null/);
    expect(getObservers()).to.deep.equal([observer]);
  });

  it('an observer that removes itself while running does not make the next one miss the event', function () {
    const seen: string[] = [];
    const selfRemoving = (): void => {
      seen.push('a');
      removeObserver(selfRemoving);
    };
    const after = (): void => {
      seen.push('b');
    };
    removeObserver(observer);
    addObserver(selfRemoving);
    addObserver(after);
    msg('1');
    msg('2');
    removeObserver(after);
    expect(seen).to.deep.equal(['a', 'b', 'b']);
  });

  it('an observer that throws does not stop the others; its error is then reported to the others', function () {
    const broken = function brokenObserver(): void {
      throw new RangeError('observer broke');
    };
    removeObserver(observer);
    addObserver(broken);
    addObserver(observer);
    msg('after bad observer');
    msg('again');
    removeObserver(broken);
    expect(events.map((e) => [e.message, e.isError, e.why])).to.deep.equal([
      [['after bad observer'], false, undefined],
      [[], true, 'Temporarily disabling observer brokenObserver due to exception'],
      [['again'], false, undefined],
      [[], true, 'Temporarily disabling observer brokenObserver due to exception'],
    ]);
    expect(events[1].failure!.value).to.be.instanceOf(RangeError);
    // as in Twisted, the observer is not actually removed
  });

  it('when the only observer throws, its error goes to stderr', function () {
    removeObserver(observer);
    const broken = (): void => {
      throw new Error('only one');
    };
    addObserver(broken);
    const [, text] = captureStderr(() => msg('x'));
    removeObserver(broken);
    expect(text).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d{4} \[-\] Temporarily disabling observer broken due to exception\n\tTraceback \(most recent call last\):\n/);
    expect(text).to.include('\tError: only one\n');
  });

  it('log is an object with addObserver, removeObserver, msg and err', function () {
    expect(log.msg).to.equal(msg);
    expect(log.err).to.equal(err);
    expect(log.addObserver).to.equal(addObserver);
    expect(log.removeObserver).to.equal(removeObserver);
    log.msg('via log');
    expect(events[0].message).to.deep.equal(['via log']);
  });

  it('observers are process-wide, behind Symbol.for("twistless.log"), shared by a second copy of the module', function () {
    const files = Object.keys(require.cache).filter((k) => k.includes('/lib/log/'));
    const saved = files.map((k) => [k, require.cache[k]] as const);
    for (const k of files) delete require.cache[k];
    let copy: typeof import('../../lib/log/index.js');
    try {
      // a fresh require of the same files is the only way to get a real second copy of the module
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      copy = require('../../lib/log/index.js') as typeof import('../../lib/log/index.js');
    } finally {
      for (const [k, m] of saved) require.cache[k] = m;
    }
    expect(copy.msg).to.not.equal(msg);
    copy.msg('from the copy');
    expect(events[0].message).to.deep.equal(['from the copy']);
    expect(copy.getObservers()).to.deep.equal([observer]);
    expect((globalThis as unknown as Record<symbol, unknown>)[Symbol.for('twistless.log')]).to.be.an('object');
  });
});

describe('log with no observer', function () {
  let saved: ((e: LogEvent) => void)[];
  beforeEach(function () {
    saved = getObservers();
    for (const o of saved) removeObserver(o);
  });
  afterEach(function () {
    for (const o of saved) addObserver(o);
  });

  it('err(failure, "Unhandled error in Deferred:") prints to stderr in the startLogging layout', function () {
    const [, text] = captureStderr(() => err(new Failure('boom'), 'Unhandled error in Deferred:'));
    const m = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d{4}) \[-\] /.exec(text);
    expect(m, text).to.not.equal(null);
    expect(text.slice(m![0].length)).to.equal(
      'Unhandled error in Deferred:\n\tTraceback (most recent call last):\n\tFailure: String: boom\n\t\n',
    );
  });

  it('err(error) without why prints "Unhandled Error" above the traceback', function () {
    const [, text] = captureStderr(() => err(new TypeError('t')));
    expect(text).to.match(/\[-\] Unhandled Error\n\tTraceback \(most recent call last\):\n\t--- <exception caught here> ---\n/);
    expect(text.endsWith('\tTypeError: t\n\t\n')).to.equal(true);
  });

  it('msg prints its parts joined with spaces', function () {
    const [, text] = captureStderr(() => msg('hello', 'world', 3, new Error('e')));
    expect(text).to.match(/^\S+ \S+ \[-\] hello world 3 e\n$/);
  });
});
