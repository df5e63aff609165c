// Port of twisted/protocols/test/test_basic.py (Twisted 22.4): LineReceiverTests,
// LineReceiverLineLengthExceededTests, ProducerTests, plus the edge rules of LineReceiver
// checked against Twisted and a fast-check property (any split gives the same lines).
import { expect } from 'chai';
import fc from 'fast-check';
import { LineReceiver } from 'twistless/basic';
import { NotImplementedError, DataNotBytesError } from 'twistless/protocol';
import { Clock } from 'twistless/task';
import { FakeTransport, b } from './fakeTransport.js';

class FlippingLineTester extends LineReceiver {
  override delimiter = b('\n');
  lines: Buffer[] = [];
  override lineReceived(line: Buffer): void {
    this.lines.push(line);
    this.setRawMode();
  }
  override rawDataReceived(data: Buffer): void {
    this.setLineMode(data.subarray(1));
  }
}

class LineTester extends LineReceiver {
  override delimiter = b('\n');
  override MAX_LENGTH = 64;
  received: Buffer[] = [];
  length = 0;
  constructor(readonly clock: Clock | null = null) {
    super();
  }
  override connectionMade(): void {
    this.received = [];
  }
  override lineReceived(line: Buffer): void {
    this.received.push(line);
    const text = line.toString('latin1');
    if (text === '') this.setRawMode();
    else if (text === 'pause') {
      this.pauseProducing();
      this.clock!.callLater(0, () => this.resumeProducing());
    } else if (text === 'rawpause') {
      this.pauseProducing();
      this.setRawMode();
      this.received.push(b(''));
      this.clock!.callLater(0, () => this.resumeProducing());
    } else if (text === 'stop') this.stopProducing();
    else if (text.startsWith('len ')) this.length = Number(text.slice(4));
    else if (text.startsWith('produce')) (this.transport as FakeTransport).registerProducer(this, false);
    else if (text.startsWith('unproduce')) (this.transport as FakeTransport).unregisterProducer();
  }
  override rawDataReceived(data: Buffer): void {
    const mine = data.subarray(0, this.length);
    const rest = data.subarray(this.length);
    this.length -= mine.length;
    this.received[this.received.length - 1] = Buffer.concat([this.received[this.received.length - 1]!, mine]);
    if (this.length === 0) this.setLineMode(rest);
  }
  override lineLengthExceeded(line: Buffer): void {
    if (line.length > this.MAX_LENGTH + 1) this.setLineMode(line.subarray(this.MAX_LENGTH + 1));
  }
}

const strs = (bufs: Buffer[]): string[] => bufs.map((x) => x.toString('latin1'));

function feed(proto: { dataReceived(d: Buffer): unknown }, data: Buffer, packetSize: number): void {
  for (let i = 0; i < Math.floor(data.length / packetSize) + 1; i++) proto.dataReceived(data.subarray(i * packetSize, (i + 1) * packetSize));
}

describe('LineReceiverTests', () => {
  const buffer = b(
    'len 10\n\n0123456789len 5\n\n1234\nlen 20\nfoo 123\n\n0123456789\n012345678len 0\nfoo 5\n\n1234567890123456789012345678901234567890123456789012345678901234567890\nlen 1\n\na',
  );
  const output = ['len 10', '0123456789', 'len 5', '1234\n', 'len 20', 'foo 123', '0123456789\n012345678', 'len 0', 'foo 5', '', '67890', 'len 1', 'a'];

  it('test_buffer: lines and raw blocks come out the same for every packet size from 1 to 9', () => {
    for (let size = 1; size < 10; size++) {
      const a = new LineTester();
      a.makeConnection(new FakeTransport());
      feed(a, buffer, size);
      expect(strs(a.received), `packet size ${size}`).to.deep.equal(output);
    }
  });

  it('test_pausing: pauseProducing inside lineReceived stops delivery until resumeProducing', () => {
    const pauseBuf = b('twiddle1\ntwiddle2\npause\ntwiddle3\n');
    for (let size = 1; size < 10; size++) {
      const clock = new Clock();
      const a = new LineTester(clock);
      a.makeConnection(new FakeTransport());
      feed(a, pauseBuf, size);
      expect(strs(a.received)).to.deep.equal(['twiddle1', 'twiddle2', 'pause']);
      clock.advance(0);
      expect(strs(a.received)).to.deep.equal(['twiddle1', 'twiddle2', 'pause', 'twiddle3']);
    }
  });

  it('test_rawPausing: pausing in raw mode stops raw delivery until resumeProducing', () => {
    const rawpauseBuf = b('twiddle1\ntwiddle2\nlen 5\nrawpause\n12345twiddle3\n');
    for (let size = 1; size < 10; size++) {
      const clock = new Clock();
      const a = new LineTester(clock);
      a.makeConnection(new FakeTransport());
      feed(a, rawpauseBuf, size);
      expect(strs(a.received)).to.deep.equal(['twiddle1', 'twiddle2', 'len 5', 'rawpause', '']);
      clock.advance(0);
      expect(strs(a.received)).to.deep.equal(['twiddle1', 'twiddle2', 'len 5', 'rawpause', '12345', 'twiddle3']);
    }
  });

  it('test_stopProducing: stopProducing inside lineReceived stops delivery for good', () => {
    const stopBuf = b('twiddle1\ntwiddle2\nstop\nmore\nstuff\n');
    for (let size = 1; size < 10; size++) {
      const a = new LineTester();
      const t = new FakeTransport();
      a.makeConnection(t);
      feed(a, stopBuf, size);
      expect(strs(a.received)).to.deep.equal(['twiddle1', 'twiddle2', 'stop']);
      expect(t.producerState).to.equal('stopped');
    }
  });

  it('test_lineReceiverAsProducer: a LineReceiver can register itself as its transport producer', () => {
    const a = new LineTester();
    a.makeConnection(new FakeTransport());
    a.dataReceived(b('produce\nhello world\nunproduce\ngoodbye\n'));
    expect(strs(a.received)).to.deep.equal(['produce', 'hello world', 'unproduce', 'goodbye']);
  });

  it('test_clearLineBuffer: clearLineBuffer inside lineReceived returns the rest and stops delivery', () => {
    class ClearingReceiver extends LineReceiver {
      line: Buffer | null = null;
      rest: Buffer | null = null;
      override lineReceived(line: Buffer): void {
        this.line = line;
        this.rest = this.clearLineBuffer();
      }
    }
    const p = new ClearingReceiver();
    p.dataReceived(b('foo\r\nbar\r\nbaz'));
    expect(p.line!.toString()).to.equal('foo');
    expect(p.rest!.toString()).to.equal('bar\r\nbaz');
    p.dataReceived(b('quux\r\n'));
    expect(p.line!.toString()).to.equal('quux');
    expect(p.rest!.toString()).to.equal('');
  });

  it('test_stackRecursion: switching modes on every line does not recurse (100,000 switches)', () => {
    const p = new FlippingLineTester();
    p.makeConnection(new FakeTransport());
    const limit = 100000;
    p.dataReceived(b('x\nx'.repeat(limit)));
    expect(Buffer.concat(p.lines).toString()).to.equal('x'.repeat(limit));
  });

  it('test_maximumLineLength: a line of MAX_LENGTH + 1 bytes closes the connection', () => {
    const p = new LineReceiver();
    const t = new FakeTransport();
    p.makeConnection(t);
    p.dataReceived(Buffer.concat([Buffer.alloc(p.MAX_LENGTH + 1, 'x'), b('\r\nr')]));
    expect(t.disconnecting).to.equal(true);
  });

  it('test_maximumLineLengthPartialDelimiter: a delimiter split across chunks after a short line is not an overlong line', () => {
    const p = new LineTester();
    p.MAX_LENGTH = 4;
    const t = new FakeTransport();
    p.makeConnection(t);
    const line = b('x'.repeat(p.MAX_LENGTH - 1));
    p.dataReceived(line);
    p.dataReceived(p.delimiter.subarray(0, -1));
    p.dataReceived(Buffer.concat([p.delimiter.subarray(-1), line]));
    expect(t.disconnecting).to.equal(false);
    expect(strs(p.received)).to.deep.equal([line.toString()]);
  });

  it('test_notQuiteMaximumLineLengthUnfinished: MAX_LENGTH bytes and a partial delimiter are tolerated', () => {
    const p = new LineReceiver();
    p.delimiter = b('\r\n');
    const t = new FakeTransport();
    p.makeConnection(t);
    p.dataReceived(Buffer.concat([Buffer.alloc(p.MAX_LENGTH, 'x'), p.delimiter.subarray(0, p.delimiter.length - 1)]));
    expect(t.disconnecting).to.equal(false);
  });

  it('test_rawDataError: a truthy rawDataReceived result stops delivery and is returned by dataReceived', () => {
    const p = new LineReceiver();
    const oops = new Error('oops');
    p.rawDataReceived = () => oops;
    p.makeConnection(new FakeTransport());
    p.setRawMode();
    expect(p.dataReceived(b('data'))).to.equal(oops);
  });

  it('test_rawDataReceivedNotImplemented: the default rawDataReceived throws NotImplementedError', () => {
    expect(() => new LineReceiver().rawDataReceived(b('foo'))).to.throw(NotImplementedError);
  });

  it('test_lineReceivedNotImplemented: the default lineReceived throws NotImplementedError', () => {
    expect(() => new LineReceiver().lineReceived(b('foo'))).to.throw(NotImplementedError);
  });
});

class ExcessivelyLargeLineCatcher extends LineReceiver {
  longLines: Buffer[] = [];
  override lineReceived(): void {}
  override lineLengthExceeded(data: Buffer): void {
    this.longLines.push(data);
  }
}

describe('LineReceiverLineLengthExceededTests', () => {
  let proto: ExcessivelyLargeLineCatcher;
  let transport: FakeTransport;
  beforeEach(() => {
    proto = new ExcessivelyLargeLineCatcher();
    proto.MAX_LENGTH = 6;
    transport = new FakeTransport();
    proto.makeConnection(transport);
  });
  const x = (n: number): Buffer => Buffer.alloc(n, 'x');

  it('test_longUnendedLine: an overlong line with no delimiter is passed whole', () => {
    const excessive = x(proto.MAX_LENGTH * 2 + 2);
    proto.dataReceived(excessive);
    expect(strs(proto.longLines)).to.deep.equal([excessive.toString()]);
  });

  it('test_longLineAfterShortLine: after a short line, the overlong rest is passed whole', () => {
    const excessive = x(proto.MAX_LENGTH * 2 + 2);
    proto.dataReceived(Buffer.concat([b('x'), proto.delimiter, excessive]));
    expect(strs(proto.longLines)).to.deep.equal([excessive.toString()]);
  });

  it('test_longLineWithDelimiter: an overlong line is passed with its delimiter and the rest of the buffer', () => {
    const excessive = Buffer.concat([x(proto.MAX_LENGTH * 2 + 2), proto.delimiter, x(proto.MAX_LENGTH * 2 + 2)]);
    proto.dataReceived(excessive);
    expect(strs(proto.longLines)).to.deep.equal([excessive.toString()]);
  });

  it('test_multipleLongLines: several overlong lines in one chunk are passed as one', () => {
    const one = Buffer.concat([x(proto.MAX_LENGTH * 2 + 2), proto.delimiter]);
    const excessive = Buffer.concat([one, one]);
    proto.dataReceived(excessive);
    expect(strs(proto.longLines)).to.deep.equal([excessive.toString()]);
  });

  it('test_maximumLineLength: the default lineLengthExceeded closes the connection', () => {
    const p = new LineReceiver();
    const t = new FakeTransport();
    p.makeConnection(t);
    p.dataReceived(Buffer.concat([x(p.MAX_LENGTH + 1), b('\r\nr')]));
    expect(t.disconnecting).to.equal(true);
  });

  it('test_maximumLineLengthRemaining: MAX_LENGTH + len(delimiter) bytes without a delimiter close the connection', () => {
    const p = new LineReceiver();
    const t = new FakeTransport();
    p.makeConnection(t);
    p.dataReceived(x(p.MAX_LENGTH + p.delimiter.length));
    expect(t.disconnecting).to.equal(true);
  });
});

class ConsumingProtocol extends LineReceiver {
  override lineReceived(line: Buffer): void {
    this.transport!.write(line);
    this.pauseProducing();
  }
}

class OnlyProducerTransport extends FakeTransport {
  paused = false;
  override pauseProducing(): void {
    this.paused = true;
  }
  override resumeProducing(): void {
    this.paused = false;
  }
}

describe('ProducerTests', () => {
  it('test_pauseResume: a paused LineReceiver delivers one line per resumeProducing and pauses its transport', () => {
    const p = new ConsumingProtocol();
    const t = new OnlyProducerTransport();
    p.makeConnection(t);
    const data = (): string[] => strs(t.chunks);
    p.dataReceived(b('hello, '));
    expect(data()).to.deep.equal([]);
    expect([t.paused, p.paused]).to.deep.equal([false, false]);
    p.dataReceived(b('world\r\n'));
    expect(data()).to.deep.equal(['hello, world']);
    expect([t.paused, p.paused]).to.deep.equal([true, true]);
    p.resumeProducing();
    expect(data()).to.deep.equal(['hello, world']);
    expect([t.paused, p.paused]).to.deep.equal([false, false]);
    p.dataReceived(b('hello\r\nworld\r\n'));
    expect(data()).to.deep.equal(['hello, world', 'hello']);
    expect([t.paused, p.paused]).to.deep.equal([true, true]);
    p.resumeProducing();
    expect(data()).to.deep.equal(['hello, world', 'hello', 'world']);
    expect([t.paused, p.paused]).to.deep.equal([true, true]);
    p.dataReceived(b('goodbye\r\n'));
    expect(data()).to.deep.equal(['hello, world', 'hello', 'world']);
    p.resumeProducing();
    expect(data()).to.deep.equal(['hello, world', 'hello', 'world', 'goodbye']);
    expect([t.paused, p.paused]).to.deep.equal([true, true]);
    p.resumeProducing();
    expect(data()).to.deep.equal(['hello, world', 'hello', 'world', 'goodbye']);
    expect([t.paused, p.paused]).to.deep.equal([false, false]);
  });
});

class Recorder extends LineReceiver {
  events: string[] = [];
  override lineReceived(line: Buffer): unknown {
    this.events.push(`line ${line.toString('latin1')}`);
    return undefined;
  }
  override rawDataReceived(data: Buffer): unknown {
    this.events.push(`raw ${data.toString('latin1')}`);
    return undefined;
  }
  override lineLengthExceeded(line: Buffer): unknown {
    this.events.push(`exceeded ${line.toString('latin1')}`);
    return super.lineLengthExceeded(line);
  }
}

describe('LineReceiver edge rules (checked against Twisted 22.4)', () => {
  function make(max = 5): [Recorder, FakeTransport] {
    const p = new Recorder();
    p.MAX_LENGTH = max;
    const t = new FakeTransport();
    p.makeConnection(t);
    return [p, t];
  }

  it('a delimiter split across chunks, and byte-at-a-time input, give the same lines', () => {
    const [p] = make();
    p.dataReceived(b('hello\r'));
    p.dataReceived(b('\nworld\r\n'));
    for (const c of 'ab\r\ncd\r\n') p.dataReceived(b(c));
    expect(p.events).to.deep.equal(['line hello', 'line world', 'line ab', 'line cd']);
  });

  it('MAX_LENGTH 5: 5 bytes is a line; 6 bytes and a delimiter is exceeded with the rest of the buffer', () => {
    const [p, t] = make();
    p.dataReceived(b('12345\r\n'));
    expect(t.disconnecting).to.equal(false);
    p.dataReceived(b('12345678\r\nnext\r\n'));
    expect(p.events).to.deep.equal(['line 12345', 'exceeded 12345678\r\nnext\r\n']);
    expect(t.disconnecting).to.equal(true);
  });

  it('with no delimiter, MAX_LENGTH + 1 bytes are tolerated and MAX_LENGTH + 2 exceed, however split', () => {
    const [p, t] = make();
    p.dataReceived(b('123456'));
    expect(t.disconnecting).to.equal(false);
    const [q, u] = make();
    q.dataReceived(b('123'));
    q.dataReceived(b('456'));
    q.dataReceived(b('7'));
    expect(q.events).to.deep.equal(['exceeded 1234567']);
    expect(u.disconnecting).to.equal(true);
  });

  it('a lineReceived that closes the connection stops delivery; the rest stays buffered', () => {
    class Closer extends Recorder {
      override lineReceived(line: Buffer): unknown {
        super.lineReceived(line);
        this.transport!.loseConnection();
        return undefined;
      }
    }
    const p = new Closer();
    p.makeConnection(new FakeTransport());
    p.dataReceived(b('a\r\nb\r\nc\r\n'));
    expect(p.events).to.deep.equal(['line a']);
    expect(p.clearLineBuffer().toString()).to.equal('b\r\nc\r\n');
  });

  it('setRawMode inside lineReceived sends the rest of the same chunk to rawDataReceived', () => {
    class Switcher extends Recorder {
      override lineReceived(line: Buffer): unknown {
        super.lineReceived(line);
        if (line.toString() === 'RAW') this.setRawMode();
        return undefined;
      }
    }
    const p = new Switcher();
    p.makeConnection(new FakeTransport());
    p.dataReceived(b('a\r\nRAW\r\nrest of\r\nchunk'));
    p.dataReceived(b('next chunk'));
    expect(p.events).to.deep.equal(['line a', 'line RAW', 'raw rest of\r\nchunk', 'raw next chunk']);
  });

  it('setLineMode(extra) from rawDataReceived parses extra as lines', () => {
    class Back extends Recorder {
      override rawDataReceived(data: Buffer): unknown {
        super.rawDataReceived(data);
        return this.setLineMode(b('x\r\ny\r\n'));
      }
    }
    const p = new Back();
    p.makeConnection(new FakeTransport());
    p.setRawMode();
    p.dataReceived(b('RAW'));
    expect(p.events).to.deep.equal(['raw RAW', 'line x', 'line y']);
  });

  it('dataReceived called from lineReceived only appends: its lines come after the current chunk', () => {
    class Reentrant extends Recorder {
      override lineReceived(line: Buffer): unknown {
        super.lineReceived(line);
        if (line.toString() === 'a') this.dataReceived(b('inner\r\n'));
        return undefined;
      }
    }
    const p = new Reentrant();
    p.makeConnection(new FakeTransport());
    p.dataReceived(b('a\r\nb\r\n'));
    expect(p.events).to.deep.equal(['line a', 'line b', 'line inner']);
  });

  it('a truthy lineReceived result stops processing and is returned by dataReceived', () => {
    class Stopper extends Recorder {
      override lineReceived(line: Buffer): unknown {
        super.lineReceived(line);
        return line.toString() === 'stop' ? 'why' : undefined;
      }
    }
    const p = new Stopper();
    p.makeConnection(new FakeTransport());
    expect(p.dataReceived(b('a\r\nstop\r\nb\r\n'))).to.equal('why');
    expect(p.events).to.deep.equal(['line a', 'line stop']);
  });

  it("delimiter '\\n' leaves the '\\r' of CRLF lines", () => {
    const [p] = make(100);
    p.delimiter = b('\n');
    p.dataReceived(b('a\r\nb\n'));
    expect(p.events).to.deep.equal(['line a\r', 'line b']);
  });

  it('sendLine writes the line and the delimiter in one write, and refuses a string', () => {
    const [p, t] = make();
    p.sendLine(b('hi'));
    expect(t.writes).to.equal(1);
    expect(t.value().toString()).to.equal('hi\r\n');
    expect(() => p.sendLine('hi' as never)).to.throw(DataNotBytesError, /Buffer\.from/);
  });

  it('property: any split of a stream of short lines gives the lines of the whole stream', () => {
    const line = fc.stringMatching(/^[a-z\r\n]{0,8}$/).filter((s) => !s.includes('\r\n'));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.string({ maxLength: 4 }).map((s) => s.replace(/[\r\n]/g, '')), fc.array(fc.nat(), { maxLength: 10 }), (lines, tail, cuts) => {
        const stream = b(lines.map((l) => l + '\r\n').join('') + tail);
        const whole = make(64)[0];
        whole.dataReceived(stream);
        const split = make(64)[0];
        const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((x, y) => x - y);
        let last = 0;
        for (const pt of [...points, stream.length]) {
          split.dataReceived(stream.subarray(last, pt));
          last = pt;
        }
        expect(split.events).to.deep.equal(whole.events);
        expect(whole.events).to.deep.equal(lines.map((l) => `line ${l}`));
      }),
    );
  });
});
