// The text layout of twisted.python.log's FileLogObserver (Twisted 22.4), checked against what
// real Twisted prints for `log.startLogging(sys.stdout)`.
import { expect } from 'chai';
import { Failure } from '../../lib/failure/index.js';
import {
  FileLogObserver,
  formatEvent,
  formatTime,
  getObservers,
  msg,
  err,
  startLogging,
  textFromEventDict,
  type LogEvent,
} from '../../lib/log/index.js';

function event(partial: Partial<LogEvent>): LogEvent {
  return { message: [], isError: false, time: 0, system: '-', ...partial };
}

describe('textFromEventDict', function () {
  it('joins message parts with spaces', function () {
    expect(textFromEventDict(event({ message: ['a', 1, null, undefined, { b: 2 }] }))).to.equal('a 1 null undefined { b: 2 }');
  });

  it('gives why and the traceback for an error event without a message', function () {
    const f = new Failure('x');
    expect(textFromEventDict(event({ isError: true, failure: f, why: 'because' }))).to.equal(`because\n${f.getTraceback()}`);
    expect(textFromEventDict(event({ isError: true, failure: f }))).to.equal(`Unhandled Error\n${f.getTraceback()}`);
    expect(textFromEventDict(event({ isError: true, failure: f, why: '' }))).to.equal(`Unhandled Error\n${f.getTraceback()}`);
  });

  it('prefers a non-empty message over the failure', function () {
    expect(textFromEventDict(event({ message: ['m'], isError: true, failure: new Failure(1) }))).to.equal('m');
  });

  it('has no text for an empty non-error event or an error without a failure', function () {
    expect(textFromEventDict(event({}))).to.equal(null);
    expect(textFromEventDict(event({ isError: true }))).to.equal(null);
  });

  it('survives a failure whose traceback cannot be built', function () {
    const f = new Failure(1);
    f.getTraceback = () => {
      throw new Error('no tb');
    };
    expect(textFromEventDict(event({ isError: true, failure: f }))).to.equal('Unhandled Error\n(unable to obtain traceback): no tb');
  });
});

describe('formatTime and formatEvent', function () {
  it('formats local time with a +HHMM offset, like Twisted', function () {
    const t = Date.UTC(2026, 10, 25, 4, 42, 13) / 1000;
    const text = formatTime(t);
    expect(text).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d{4}$/);
    const d = new Date(t * 1000);
    const off = -d.getTimezoneOffset();
    const sign = off < 0 ? '-' : '+';
    const hh = String(Math.floor(Math.abs(off) / 60)).padStart(2, '0');
    const mm = String(Math.abs(off) % 60).padStart(2, '0');
    expect(text.endsWith(`${sign}${hh}${mm}`)).to.equal(true);
    if (off === 0) expect(text).to.equal('2026-11-25 04:42:13+0000');
  });

  it('indents continuation lines with a tab and ends with a newline', function () {
    const t = Date.UTC(2026, 10, 25, 4, 42, 13) / 1000;
    expect(formatEvent(event({ message: ['a\nb'], time: t }))).to.equal(`${formatTime(t)} [-] a\n\tb\n`);
    expect(formatEvent(event({}))).to.equal(null);
  });
});

describe('FileLogObserver and startLogging', function () {
  it('startLogging writes "Log opened." then every event; stop() ends it', function () {
    let text = '';
    const observer = startLogging({ write: (s: string) => (text += s) });
    try {
      msg('hello', 'world', 3);
      err(new Failure('boom'), 'Unhandled error in Deferred:');
    } finally {
      observer.stop();
    }
    const original = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      msg('not written'); // no observer left: this goes to stderr, not to the stopped observer
    } finally {
      process.stderr.write = original;
    }
    const lines = text.replace(/^\S+ \S+ /gm, 'T ').split('\n');
    expect(lines).to.deep.equal([
      'T [-] Log opened.',
      'T [-] hello world 3',
      'T [-] Unhandled error in Deferred:',
      '\tTraceback (most recent call last):',
      '\tFailure: String: boom',
      '\t',
      '',
    ]);
    expect(getObservers()).to.not.include(observer.emit);
  });

  it('a FileLogObserver skips events that have no text', function () {
    let text = '';
    const o = new FileLogObserver({ write: (s: string) => (text += s) });
    o.emit(event({}));
    expect(text).to.equal('');
  });
});
