// Properties of the network test doubles (no upstream counterpart): whatever the chunking of the
// writes and the moments the test pumps, the bytes that arrive are the bytes written, in order.
import { expect } from 'chai';
import fc from 'fast-check';
import { Protocol } from '../../lib/protocol/index.js';
import { Clock } from '../../lib/task/index.js';
import {
  AccumulatingProtocol,
  StringTransport,
  collapsingPumpPolicy,
  connectedServerAndClient,
  identityPumpPolicy,
  loopbackAsync,
  successResultOf,
} from '../../lib/testing/index.js';

const chunks = fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 30 });

class Echo extends Protocol {
  override dataReceived(data: Buffer): void {
    this.transport!.write(data);
  }
}

describe('network test doubles (properties)', function () {
  it('StringTransport.value() is the concatenation of every write and writeSequence, in order', function () {
    fc.assert(
      fc.property(chunks, fc.array(fc.boolean(), { maxLength: 30 }), (parts, asSequence) => {
        const t = new StringTransport();
        parts.forEach((part, i) => {
          if (asSequence[i]) t.writeSequence([part.subarray(0, 3), part.subarray(3)]);
          else t.write(part);
        });
        expect(t.value().equals(Buffer.concat(parts))).to.equal(true);
      }),
    );
  });

  it('connectedServerAndClient: any writes with pumps anywhere in between arrive whole and in order, and echo back', function () {
    fc.assert(
      fc.property(chunks, fc.array(fc.boolean(), { maxLength: 30 }), (parts, pumpAfter) => {
        const [client, , pump] = connectedServerAndClient(Echo, AccumulatingProtocol);
        parts.forEach((part, i) => {
          client.transport!.write(part);
          if (pumpAfter[i]) pump.pump();
        });
        pump.flush();
        expect(client.data.equals(Buffer.concat(parts))).to.equal(true);
      }),
    );
  });

  it('loopbackAsync: both pump policies deliver the same bytes, and the connection closes on both sides', function () {
    fc.assert(
      fc.property(chunks, fc.boolean(), (parts, collapsing) => {
        const clock = new Clock();
        const receiver = new AccumulatingProtocol();
        class Sender extends Protocol {
          override connectionMade(): void {
            for (const part of parts) this.transport!.write(part);
            this.transport!.loseConnection();
          }
        }
        const done = loopbackAsync(new Sender(), receiver, { clock, pumpPolicy: collapsing ? collapsingPumpPolicy : identityPumpPolicy });
        clock.advance(0);
        expect(successResultOf(done)).to.equal(undefined);
        expect(receiver.data.equals(Buffer.concat(parts))).to.equal(true);
        expect(receiver.closed).to.equal(true);
      }),
    );
  });
});
