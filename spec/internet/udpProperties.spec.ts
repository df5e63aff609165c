// Properties of the UDP port over 127.0.0.1 against a small model of Twisted's: a datagram of any
// length reaches the receiver cut to its maxPacketSize (recvfrom's truncation), whatever pieces
// writeSequence joined it from; a datagram longer than UDP allows is refused with
// MessageLengthError and nothing is sent; the source address is the sender's [host, port].
import { expect } from 'chai';
import fc from 'fast-check';
import { Deferred } from '../../lib/defer/index.js';
import { MessageLengthError } from '../../lib/error/index.js';
import { DatagramProtocol } from '../../lib/protocol/index.js';
import { reactor } from '../../lib/reactor/index.js';
import { Server, UDPCleanup, within } from './udpHelpers.js';

const MAX_V4 = 65507;

describe('UDPPortProperties', () => {
  const c = new UDPCleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('test_truncation: any pieces, any maxPacketSize: the receiver gets the first maxPacketSize bytes of their concatenation, from the sender', async () => {
    const sender = c.add(reactor.listenUDP(0, new DatagramProtocol(), { interface: '127.0.0.1' }));
    const from = [sender.getHost().host, sender.getHost().port];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 3000 }), { maxLength: 4 }), fc.integer({ min: 1, max: 9000 }), async (pieces, maxPacketSize) => {
        const server = new Server();
        server.noisy = false;
        const port = reactor.listenUDP(0, server, { interface: '127.0.0.1', maxPacketSize });
        try {
          const got = (server.packetReceived = new Deferred<void>());
          sender.writeSequence(pieces, ['127.0.0.1', port.getHost().port]);
          await within(got, 5, 'datagram');
          const whole = Buffer.concat(pieces);
          const [data, addr] = server.packets[0]!;
          expect(data.equals(whole.subarray(0, Math.min(whole.length, maxPacketSize)))).to.equal(true);
          expect(addr).to.deep.equal(from);
        } finally {
          await port.stopListening();
        }
      }),
      { numRuns: 25 },
    );
  });

  it('test_lengthLimit: a datagram over 65507 bytes is refused with MessageLengthError before anything is sent; one at the limit is sent', async () => {
    const server = new Server();
    const port = c.add(reactor.listenUDP(0, server, { interface: '127.0.0.1', maxPacketSize: 70000 }));
    const sender = c.add(reactor.listenUDP(0, new DatagramProtocol(), { interface: '127.0.0.1' }));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: MAX_V4 - 3, max: MAX_V4 + 3 }), async (length) => {
        const before = server.packets.length;
        const got = (server.packetReceived = new Deferred<void>());
        if (length > MAX_V4) {
          expect(() => sender.write(Buffer.alloc(length, 1), ['127.0.0.1', port.getHost().port])).to.throw(MessageLengthError);
          server.packetReceived = null;
          expect(server.packets.length).to.equal(before);
        } else {
          sender.write(Buffer.alloc(length, 1), ['127.0.0.1', port.getHost().port]);
          await within(got, 5, 'datagram');
          expect(server.packets[before]![0].length).to.equal(length);
        }
      }),
      { numRuns: 15 },
    );
  });
});
