// Port of twisted/protocols/test/test_basic.py (Twisted 22.4): IntNTestCaseMixin,
// RecvdAttributeMixin, Int32Tests, Int16Tests, Int8Tests, plus the length limits checked against
// Twisted and a fast-check property (any split gives the same strings).
import { expect } from 'chai';
import fc from 'fast-check';
import { Int8StringReceiver, Int16StringReceiver, Int32StringReceiver, IntNStringReceiver, StringTooLongError } from 'twistless/basic';
import { NotImplementedError } from 'twistless/protocol';
import { FakeTransport, b } from './fakeTransport.js';

type Receiver = IntNStringReceiver & { received: Buffer[] };

function tester<C extends new () => IntNStringReceiver>(Base: C): new () => Receiver {
  // @ts-expect-error a mixin over an abstract-typed constructor
  return class extends Base {
    received: Buffer[] = [];
    override MAX_LENGTH = 50;
    override connectionMade(): void {
      this.received = [];
    }
    override stringReceived(s: Buffer): void {
      this.received.push(s);
    }
  };
}

const strs = (bufs: Buffer[]): string[] => bufs.map((x) => x.toString('latin1'));

const cases: Array<{
  name: string;
  Cls: new () => Receiver;
  illegalStrings: string[];
  partialStrings: string[];
  data: [string, string];
}> = [
  { name: 'Int32Tests', Cls: tester(Int32StringReceiver), illegalStrings: ['\x10\x00\x00\x00aaaaaa'], partialStrings: ['\x00\x00\x00', 'hello there', ''], data: ['\x00\x00\x00\x03foo', '\x00\x00\x00\x04ubar'] },
  { name: 'Int16Tests', Cls: tester(Int16StringReceiver), illegalStrings: ['\x10\x00aaaaaa'], partialStrings: ['\x00', 'hello there', ''], data: ['\x00\x03foo', '\x00\x04ubar'] },
  { name: 'Int8Tests', Cls: tester(Int8StringReceiver), illegalStrings: ['\x00\x00aaaaaa'], partialStrings: ['\x08', 'dzadz', ''], data: ['\x03foo', '\x04ubar'] },
];

for (const c of cases) {
  describe(c.name, () => {
    const strings = ['a', 'b'.repeat(16)];
    function getProtocol(): [Receiver, FakeTransport] {
      const t = new FakeTransport();
      const a = new c.Cls();
      a.makeConnection(t);
      return [a, t];
    }
    const message = (r: Receiver, data: Buffer): Buffer => Buffer.concat([r.packPrefix(data.length), data]);

    it('test_illegal: a length over MAX_LENGTH, fed byte by byte, closes the connection', () => {
      for (const s of c.illegalStrings) {
        const [r, t] = getProtocol();
        for (const ch of s) r.dataReceived(b(ch));
        expect(t.disconnecting).to.equal(true);
      }
    });

    it('test_receive: strings fed byte by byte arrive whole', () => {
      const [r] = getProtocol();
      for (const s of strings) for (const byte of message(r, b(s))) r.dataReceived(Buffer.from([byte]));
      expect(strs(r.received)).to.deep.equal(strings);
    });

    it('test_partial: incomplete strings deliver nothing', () => {
      for (const s of c.partialStrings) {
        const [r] = getProtocol();
        for (const ch of s) r.dataReceived(b(ch));
        expect(r.received).to.deep.equal([]);
      }
    });

    it('test_send: sendString writes the prefix and the string', () => {
      const [r, t] = getProtocol();
      r.sendString(b('b'.repeat(16)));
      expect(t.value().toString('latin1')).to.equal(Buffer.concat([r.packPrefix(16), b('b'.repeat(16))]).toString('latin1'));
    });

    it('test_lengthLimitExceeded: an announced length over MAX_LENGTH calls lengthLimitExceeded with it', () => {
      const [r] = getProtocol();
      const lengths: number[] = [];
      r.lengthLimitExceeded = (n: number) => void lengths.push(n);
      r.MAX_LENGTH = 10;
      r.dataReceived(r.packPrefix(11));
      expect(lengths).to.deep.equal([11]);
    });

    it('test_longStringNotDelivered: a string over MAX_LENGTH is never delivered', () => {
      const [r] = getProtocol();
      r.MAX_LENGTH = 10;
      r.dataReceived(Buffer.concat([r.packPrefix(11), b('x'.repeat(11))]));
      expect(r.received).to.deep.equal([]);
    });

    it('test_stringReceivedNotImplemented: the default stringReceived throws NotImplementedError', () => {
      expect(() => new Int32StringReceiver().stringReceived(b('foo'))).to.throw(NotImplementedError);
    });

    it('test_data: sendString and dataReceived agree with the wire format', () => {
      const [r, t] = getProtocol();
      r.sendString(b('foo'));
      expect(t.value().toString('latin1')).to.equal(c.data[0]);
      r.dataReceived(b(c.data[1]));
      expect(strs(r.received)).to.deep.equal(['ubar']);
    });

    if (c.name !== 'Int32Tests') {
      it('test_tooLongSend: a string of 2 ** (8 * prefixLength) + 1 bytes is refused with StringTooLongError', () => {
        const [r] = getProtocol();
        expect(() => r.sendString(Buffer.alloc(2 ** (r.prefixLength * 8) + 1, 'b'))).to.throw(StringTooLongError);
      });
    }

    it('test_recvdContainsRemainingData: recvd inside stringReceived holds the unconsumed bytes', () => {
      const [r] = getProtocol();
      const result: string[] = [];
      r.stringReceived = () => void result.push(r.recvd.toString('latin1'));
      const complete = message(r, b('aaaaa'));
      const incomplete = Buffer.concat([r.packPrefix(5), b('bbbb')]);
      r.dataReceived(Buffer.concat([complete, incomplete]));
      expect(result).to.deep.equal([incomplete.toString('latin1')]);
    });

    it('test_recvdChanged: assigning recvd inside stringReceived replaces the unconsumed bytes', () => {
      const [r] = getProtocol();
      const result: string[] = [];
      const messageC = message(r, b('ccccc'));
      r.stringReceived = (s: Buffer) => {
        if (result.length === 0) r.recvd = messageC;
        result.push(s.toString());
      };
      r.dataReceived(Buffer.concat([message(r, b('aaaaa')), message(r, b('bbbbb'))]));
      expect(result).to.deep.equal(['aaaaa', 'ccccc']);
    });

    it('test_switching: recvd can be trimmed from stringReceived to skip bytes between messages', () => {
      const [proto] = getProtocol();
      const SWITCH = Buffer.from([0, 0, 0, 0]);
      const mix: Buffer[] = [];
      for (const s of strings) mix.push(message(proto, b(s)), SWITCH);
      const result: string[] = [];
      proto.stringReceived = (s: Buffer) => {
        result.push(s.toString());
        proto.recvd = proto.recvd.subarray(SWITCH.length);
      };
      proto.dataReceived(Buffer.concat(mix));
      proto.dataReceived(Buffer.from([1]));
      expect(result).to.deep.equal(strings);
      expect([...proto.recvd]).to.deep.equal([1]);
    });

    it('test_recvdInLengthLimitExceeded: recvd inside lengthLimitExceeded holds the whole message', () => {
      const [proto] = getProtocol();
      const DATA = b('too long');
      proto.MAX_LENGTH = DATA.length - 1;
      const msg = message(proto, DATA);
      const result: unknown[] = [];
      proto.lengthLimitExceeded = (length: number) => {
        result.push(length, proto.recvd.toString('latin1'));
      };
      proto.dataReceived(msg);
      expect(result).to.deep.equal([DATA.length, msg.toString('latin1')]);
    });

    it('property: any split of a stream of strings gives the strings of the whole stream', () => {
      fc.assert(
        fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), (payloads, cuts) => {
          const [whole] = getProtocol();
          const stream = Buffer.concat(payloads.map((p) => message(whole, Buffer.from(p))));
          whole.dataReceived(stream);
          const [split] = getProtocol();
          const points = [...new Set(cuts.map((x) => x % (stream.length + 1)))].sort((x, y) => x - y);
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
}

describe('IntNStringReceiver length limits (checked against Twisted 22.4)', () => {
  it('MAX_LENGTH is 99999 for Int32 too: a 100,000-byte message calls lengthLimitExceeded and disconnects', () => {
    const r = new Int32StringReceiver();
    const t = new FakeTransport();
    r.makeConnection(t);
    let got = -1;
    r.stringReceived = () => expect.fail('must not be delivered');
    const original = r.lengthLimitExceeded.bind(r);
    r.lengthLimitExceeded = (n: number) => {
      got = n;
      original(n);
    };
    r.dataReceived(Buffer.concat([r.packPrefix(100000), Buffer.alloc(100000)]));
    expect(got).to.equal(100000);
    expect(t.disconnecting).to.equal(true);
  });

  it('Int8: sendString of 255 bytes works, 256 bytes is StringTooLongError with the maximum named', () => {
    const r = new Int8StringReceiver();
    const t = new FakeTransport();
    r.makeConnection(t);
    r.sendString(Buffer.alloc(255));
    expect(t.value().length).to.equal(256);
    expect(() => r.sendString(Buffer.alloc(256))).to.throw(StringTooLongError, 'Try to send 256 bytes whereas maximum is 256');
  });

  it('pauseProducing inside stringReceived stops delivery until resumeProducing', () => {
    class Pausing extends Int8StringReceiver {
      got: string[] = [];
      override stringReceived(s: Buffer): void {
        this.got.push(s.toString());
        this.pauseProducing();
      }
    }
    const r = new Pausing();
    const t = new FakeTransport();
    r.makeConnection(t);
    r.dataReceived(b('\x01a\x01b'));
    expect(r.got).to.deep.equal(['a']);
    expect(t.producerState).to.equal('paused');
    r.resumeProducing();
    expect(r.got).to.deep.equal(['a', 'b']);
  });
});
