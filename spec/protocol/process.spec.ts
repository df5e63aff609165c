// Port of twisted/test/test_process.py ProcessProtocolTests (Twisted 22.4): the dispatch of
// childDataReceived and childConnectionLost to the per-descriptor hooks.
import { expect } from 'chai';
import { Failure } from '../../lib/failure/index.js';
import { ProcessDone } from '../../lib/error/index.js';
import { BaseProtocol, ProcessProtocol } from '../../lib/protocol/index.js';
import type { IProcessProtocol } from '../../lib/protocol/index.js';

describe('ProcessProtocolTests', () => {
  it('test_interface: ProcessProtocol provides IProcessProtocol (every method) and is a BaseProtocol', () => {
    const p: IProcessProtocol = new ProcessProtocol();
    for (const m of ['makeConnection', 'childDataReceived', 'childConnectionLost', 'processExited', 'processEnded']) {
      expect(typeof (p as unknown as Record<string, unknown>)[m], m).to.equal('function');
    }
    expect(p).to.be.instanceOf(BaseProtocol);
    // the default hooks do nothing
    p.processExited(new Failure(new ProcessDone(0)));
    p.processEnded(new Failure(new ProcessDone(0)));
    p.childDataReceived(3, Buffer.from('x'));
    p.childConnectionLost(3);
  });

  it('test_outReceived: childDataReceived(1, data) goes to outReceived', () => {
    const received: Buffer[] = [];
    class P extends ProcessProtocol {
      override outReceived(data: Buffer) {
        received.push(data);
      }
    }
    const bytes = Buffer.from('bytes');
    new P().childDataReceived(1, bytes);
    expect(received).to.deep.equal([bytes]);
  });

  it('test_errReceived: childDataReceived(2, data) goes to errReceived', () => {
    const received: Buffer[] = [];
    class P extends ProcessProtocol {
      override errReceived(data: Buffer) {
        received.push(data);
      }
    }
    const bytes = Buffer.from('bytes');
    new P().childDataReceived(2, bytes);
    expect(received).to.deep.equal([bytes]);
  });

  for (const [fd, hook] of [
    [0, 'inConnectionLost'],
    [1, 'outConnectionLost'],
    [2, 'errConnectionLost'],
  ] as const) {
    it(`test_${hook}: childConnectionLost(${fd}) goes to ${hook}`, () => {
      const lost: string[] = [];
      class P extends ProcessProtocol {
        override inConnectionLost() {
          lost.push('inConnectionLost');
        }
        override outConnectionLost() {
          lost.push('outConnectionLost');
        }
        override errConnectionLost() {
          lost.push('errConnectionLost');
        }
      }
      new P().childConnectionLost(fd);
      expect(lost).to.deep.equal([hook]);
    });
  }

  it('makeConnection sets transport and connected, then calls connectionMade', () => {
    const seen: unknown[] = [];
    class P extends ProcessProtocol {
      override connectionMade() {
        seen.push(this.transport, this.connected);
      }
    }
    const fake = { pid: 1 } as never;
    const p = new P();
    p.makeConnection(fake);
    expect(seen).to.deep.equal([fake, true]);
  });
});
