// Port of twisted/protocols/test/test_basic.py (Twisted 22.4): LineOnlyReceiverTests, plus
// LineOnlyReceiver's own edge rules checked against Twisted and a fast-check property.
import { expect } from 'chai';
import fc from 'fast-check';
import { LineOnlyReceiver } from 'twistless/basic';
import { NotImplementedError } from 'twistless/protocol';
import { FakeTransport, b } from './fakeTransport.js';

class LineOnlyTester extends LineOnlyReceiver {
  override delimiter = b('\n');
  override MAX_LENGTH = 64;
  received: string[] = [];
  exceeded: string[] = [];
  override connectionMade(): void {
    this.received = [];
  }
  override lineReceived(line: Buffer): void {
    this.received.push(line.toString('latin1'));
  }
}

describe('LineOnlyReceiverTests', () => {
  const buffer = 'foo\n    bleakness\n    desolation\n    plastic forks\n    ';

  it('test_buffer: byte-at-a-time input gives the lines', () => {
    const t = new FakeTransport();
    const a = new LineOnlyTester();
    a.makeConnection(t);
    for (const c of buffer) a.dataReceived(b(c));
    expect(a.received).to.deep.equal(buffer.split('\n').slice(0, -1));
  });

  it('test_greaterThanMaximumLineLength: a line longer than MAX_LENGTH + len(delimiter) closes the connection', () => {
    const p = new LineOnlyTester();
    const t = new FakeTransport();
    p.makeConnection(t);
    p.dataReceived(Buffer.concat([Buffer.alloc(p.MAX_LENGTH + p.delimiter.length + 1, 'x'), b('\r\nr')]));
    expect(t.disconnecting).to.equal(true);
  });

  it('test_lineReceivedNotImplemented: the default lineReceived throws NotImplementedError', () => {
    expect(() => new LineOnlyReceiver().lineReceived(b('foo'))).to.throw(NotImplementedError);
  });
});

describe('LineOnlyReceiver edge rules (checked against Twisted 22.4)', () => {
  class Catcher extends LineOnlyReceiver {
    override MAX_LENGTH = 5;
    events: string[] = [];
    override lineReceived(line: Buffer): void {
      this.events.push(`line ${line.toString('latin1')}`);
    }
    override lineLengthExceeded(line: Buffer): unknown {
      this.events.push(`exceeded ${line.toString('latin1')}`);
      return super.lineLengthExceeded(line);
    }
  }

  it('an unterminated remainder over MAX_LENGTH (6 bytes for 5) is exceeded, with that remainder only', () => {
    const p = new Catcher();
    const t = new FakeTransport();
    p.makeConnection(t);
    p.dataReceived(b('12345'));
    expect(t.disconnecting).to.equal(false);
    p.dataReceived(b('6'));
    expect(p.events).to.deep.equal(['exceeded 123456']);
    expect(t.disconnecting).to.equal(true);
  });

  it('an overlong complete line is passed alone, without the rest of the chunk', () => {
    const p = new Catcher();
    p.makeConnection(new FakeTransport());
    p.dataReceived(b('ok\r\n12345678\r\nnext\r\n'));
    expect(p.events).to.deep.equal(['line ok', 'exceeded 12345678']);
  });

  it('once the transport is disconnecting, the remaining lines of the chunk are dropped', () => {
    class Closer extends Catcher {
      override lineReceived(line: Buffer): void {
        super.lineReceived(line);
        this.transport!.loseConnection();
      }
    }
    const p = new Closer();
    p.makeConnection(new FakeTransport());
    p.dataReceived(b('a\r\nb\r\nc'));
    expect(p.events).to.deep.equal(['line a']);
  });

  it('sendLine uses writeSequence([line, delimiter])', () => {
    const p = new Catcher();
    const t = new FakeTransport();
    const calls: number[] = [];
    t.writeSequence = (data: Iterable<Uint8Array>) => {
      const parts = [...data];
      calls.push(parts.length);
      for (const d of parts) t.write(d);
    };
    p.makeConnection(t);
    p.sendLine(b('hi'));
    expect(calls).to.deep.equal([2]);
    expect(t.value().toString()).to.equal('hi\r\n');
  });

  it('property: any split of a stream of short lines gives the lines of the whole stream', () => {
    class Rec extends LineOnlyReceiver {
      override MAX_LENGTH = 64;
      lines: string[] = [];
      override lineReceived(line: Buffer): void {
        this.lines.push(line.toString('latin1'));
      }
    }
    const line = fc.stringMatching(/^[a-z\r\n]{0,8}$/).filter((s) => !s.includes('\r\n') && !s.endsWith('\r'));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 10 }), (lines, cuts) => {
        const stream = b(lines.map((l) => l + '\r\n').join(''));
        const whole = new Rec();
        whole.makeConnection(new FakeTransport());
        whole.dataReceived(stream);
        const split = new Rec();
        split.makeConnection(new FakeTransport());
        const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((x, y) => x - y);
        let last = 0;
        for (const pt of [...points, stream.length]) {
          split.dataReceived(stream.subarray(last, pt));
          last = pt;
        }
        expect(split.lines).to.deep.equal(lines);
        expect(whole.lines).to.deep.equal(lines);
      }),
    );
  });
});
