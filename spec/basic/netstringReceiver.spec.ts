// Port of twisted/protocols/test/test_basic.py (Twisted 22.4): NetstringReceiverTests (with
// LPTestCaseMixin.test_illegal and the _consumeLength tests), plus edge rules checked against
// Twisted and a fast-check property (any split gives the same strings).
import { expect } from 'chai';
import fc from 'fast-check';
import { NetstringReceiver, NetstringParseError } from 'twistless/basic';
import { NotImplementedError } from 'twistless/protocol';
import { FakeTransport, b } from './fakeTransport.js';

class TestNetstring extends NetstringReceiver {
  override MAX_LENGTH = 50;
  received: Buffer[] = [];
  closed = false;
  override connectionMade(): void {
    this.received = [];
  }
  override stringReceived(s: Buffer): void {
    this.received.push(s);
    this.transport!.write(s);
  }
  override connectionLost(): void {
    this.closed = true;
  }
  // The private parser state, for the _consumeLength tests.
  setRemaining(data: Buffer): void {
    this._remainingData = data;
  }
  consumeLength(): void {
    this._consumeLength();
  }
  get expectedPayloadSize(): number {
    return this._expectedPayloadSize;
  }
  payloadComplete(): boolean {
    return this._payloadComplete();
  }
}

const strs = (bufs: Buffer[]): string[] => bufs.map((x) => x.toString('latin1'));

describe('NetstringReceiverTests', () => {
  let transport: FakeTransport;
  let nr: TestNetstring;
  beforeEach(() => {
    transport = new FakeTransport();
    nr = new TestNetstring();
    nr.makeConnection(transport);
  });
  const strings = ['hello', 'world', 'how', 'are', 'you123', ':today', 'a'.repeat(515)];
  const illegalStrings = ['9999999999999999999999', 'abc', '4:abcde', '51:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab,'];

  it('test_illegal: malformed netstrings, fed byte by byte, close the connection', () => {
    for (const s of illegalStrings) {
      const t = new FakeTransport();
      const r = new TestNetstring();
      r.makeConnection(t);
      for (const c of s) r.dataReceived(b(c));
      expect(t.disconnecting, s).to.equal(true);
      expect(r.brokenPeer, s).to.equal(true);
    }
  });

  it('test_buffer: sent strings come back whole for every packet size from 1 to 9', () => {
    for (let size = 1; size < 10; size++) {
      const t = new FakeTransport();
      const a = new TestNetstring();
      a.MAX_LENGTH = 699;
      a.makeConnection(t);
      for (const s of strings) a.sendString(b(s));
      const out = t.value();
      for (let i = 0; i < Math.floor(out.length / size) + 1; i++) {
        const s = out.subarray(i * size, (i + 1) * size);
        if (s.length > 0) a.dataReceived(s);
      }
      expect(strs(a.received)).to.deep.equal(strings);
    }
  });

  it('test_receiveEmptyNetstring: 0:, is an empty string', () => {
    nr.dataReceived(b('0:,'));
    expect(strs(nr.received)).to.deep.equal(['']);
  });

  it('test_receiveOneCharacter: 1:a, is a', () => {
    nr.dataReceived(b('1:a,'));
    expect(strs(nr.received)).to.deep.equal(['a']);
  });

  it('test_receiveTwoCharacters: 2:ab, is ab', () => {
    nr.dataReceived(b('2:ab,'));
    expect(strs(nr.received)).to.deep.equal(['ab']);
  });

  it('test_receiveNestedNetstring: a netstring may hold a netstring', () => {
    nr.dataReceived(b('4:1:a,,'));
    expect(strs(nr.received)).to.deep.equal(['1:a,']);
  });

  it('test_moreDataThanSpecified: more data than announced closes the connection', () => {
    nr.dataReceived(b('2:aaa,'));
    expect(transport.disconnecting).to.equal(true);
  });

  it('test_moreDataThanSpecifiedBorderCase: 0:a, closes the connection', () => {
    nr.dataReceived(b('0:a,'));
    expect(transport.disconnecting).to.equal(true);
  });

  it('test_missingNumber: :aaa, closes the connection', () => {
    nr.dataReceived(b(':aaa,'));
    expect(transport.disconnecting).to.equal(true);
  });

  it('test_missingColon: 3aaa, closes the connection', () => {
    nr.dataReceived(b('3aaa,'));
    expect(transport.disconnecting).to.equal(true);
  });

  it('test_missingNumberAndColon: aaa, closes the connection', () => {
    nr.dataReceived(b('aaa,'));
    expect(transport.disconnecting).to.equal(true);
  });

  it('test_onlyData: aaa closes the connection', () => {
    nr.dataReceived(b('aaa'));
    expect(transport.disconnecting).to.equal(true);
  });

  it('test_receiveNetstringPortions_1: a payload in two portions', () => {
    nr.dataReceived(b('4:aa'));
    nr.dataReceived(b('aa,'));
    expect(strs(nr.received)).to.deep.equal(['aaaa']);
    expect(nr.payloadComplete()).to.equal(true);
  });

  it('test_receiveNetstringPortions_2: a length split across portions', () => {
    for (const part of ['1', '0:01234', '56789', ',']) nr.dataReceived(b(part));
    expect(strs(nr.received)).to.deep.equal(['0123456789']);
  });

  it('test_receiveNetstringPortions_3: one character at a time', () => {
    for (const part of ['2', ':', 'a', 'b', ',']) nr.dataReceived(b(part));
    expect(strs(nr.received)).to.deep.equal(['ab']);
  });

  it('test_receiveTwoNetstrings: the start of a second netstring waits for the rest', () => {
    nr.dataReceived(b('1:a,1'));
    expect(nr.payloadComplete()).to.equal(true);
    expect(strs(nr.received)).to.deep.equal(['a']);
    nr.dataReceived(b(':b,'));
    expect(strs(nr.received)).to.deep.equal(['a', 'b']);
  });

  it('test_maxReceiveLimit: a length over MAX_LENGTH closes the connection', () => {
    const tooLong = nr.MAX_LENGTH + 1;
    nr.dataReceived(b(`${tooLong}:${'a'.repeat(tooLong)}`));
    expect(transport.disconnecting).to.equal(true);
  });

  it('test_consumeLength: 12: announces 13 bytes (the payload and its comma)', () => {
    nr.setRemaining(b('12:'));
    nr.consumeLength();
    expect(nr.expectedPayloadSize).to.equal(13);
  });

  it('test_consumeLengthBorderCase1: a length equal to MAX_LENGTH is accepted', () => {
    nr.setRemaining(b('12:'));
    nr.MAX_LENGTH = 12;
    nr.consumeLength();
    expect(nr.expectedPayloadSize).to.equal(13);
  });

  it('test_consumeLengthBorderCase2: a length one over MAX_LENGTH is a NetstringParseError', () => {
    nr.setRemaining(b('12:'));
    nr.MAX_LENGTH = 11;
    expect(() => nr.consumeLength()).to.throw(NetstringParseError);
  });

  it('test_consumeLengthBorderCase3: a length with too many digits is a NetstringParseError', () => {
    nr.setRemaining(b('1000:'));
    nr.MAX_LENGTH = 11;
    expect(() => nr.consumeLength()).to.throw(NetstringParseError);
  });

  it('test_stringReceivedNotImplemented: the default stringReceived throws NotImplementedError', () => {
    expect(() => new NetstringReceiver().stringReceived(b('foo'))).to.throw(NotImplementedError);
  });
});

describe('NetstringReceiver edge rules (checked against Twisted 22.4)', () => {
  function run(chunks: string[], max?: number): [string[], boolean, boolean] {
    const t = new FakeTransport();
    const p = new TestNetstring();
    p.MAX_LENGTH = max ?? 99999;
    p.makeConnection(t);
    for (const c of chunks) p.dataReceived(b(c));
    return [strs(p.received), t.disconnecting, p.brokenPeer];
  }

  it('a leading zero (03:abc,) breaks the peer', () => {
    expect(run(['03:abc,'])).to.deep.equal([[], true, true]);
  });

  it('a missing comma breaks the peer', () => {
    expect(run(['3:abc!'])).to.deep.equal([[], true, true]);
  });

  it('a length over 99999 breaks the peer as soon as it is seen, even unfinished', () => {
    expect(run(['100000:'])).to.deep.equal([[], true, true]);
    expect(run(['1000000'])).to.deep.equal([[], true, true]);
    expect(run(['99999'])).to.deep.equal([[], false, false]);
  });

  it("a length followed by one newline waits, as Python's $ matches before a final newline", () => {
    expect(run(['12\n'])).to.deep.equal([[], false, false]);
    expect(run(['12\n', ':'])).to.deep.equal([[], true, true]);
  });

  it('after a parse error the bad bytes stay: later data still fails', () => {
    expect(run(['3:abc,x', '1:a,'])).to.deep.equal([['abc'], true, true]);
  });

  it('two empty netstrings in one chunk', () => {
    expect(run(['0:,0:,'])).to.deep.equal([['', ''], false, false]);
  });

  it('sendString writes <length>:<data>, and refuses a string', () => {
    const t = new FakeTransport();
    const p = new TestNetstring();
    p.makeConnection(t);
    p.sendString(b('abc'));
    expect(t.value().toString()).to.equal('3:abc,');
    expect(() => p.sendString('abc' as never)).to.throw(TypeError, /bytes/);
  });

  it('property: any split of a stream of netstrings gives the strings of the whole stream', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 20 }), { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), (payloads, cuts) => {
        const stream = Buffer.concat(payloads.map((p) => Buffer.concat([b(`${p.length}:`), p, b(',')])));
        const whole = new TestNetstring();
        whole.makeConnection(new FakeTransport());
        whole.dataReceived(stream);
        const split = new TestNetstring();
        split.makeConnection(new FakeTransport());
        const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((x, y) => x - y);
        let last = 0;
        for (const pt of [...points, stream.length]) {
          split.dataReceived(stream.subarray(last, pt));
          last = pt;
        }
        const expected = payloads.map((p) => Buffer.from(p).toString('hex'));
        expect(whole.received.map((x) => x.toString('hex'))).to.deep.equal(expected);
        expect(split.received.map((x) => x.toString('hex'))).to.deep.equal(expected);
      }),
    );
  });
});
