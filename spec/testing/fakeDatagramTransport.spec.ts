// twisted.internet.testing.FakeDatagramTransport (Twisted 22.4) and MemoryReactor's UDP records.
import { expect } from 'chai';
import { IPv4Address, IPv6Address } from 'twistless/address';
import { DatagramProtocol, DataNotBytesError } from 'twistless/protocol';
import { FakeDatagramTransport, MemoryReactor, MemoryReactorClock } from 'twistless/testing';
import { LogCapture } from '../reactor/logCapture.js';

describe('FakeDatagramTransport', () => {
  // Keep the Starting/Stopping protocol lines off the console.
  const quiet = new LogCapture();
  beforeEach(() => quiet.start());
  afterEach(() => quiet.stop());

  it('write records [packet, addr], addr undefined when none was given (Twisted: noAddr)', () => {
    const t = new FakeDatagramTransport();
    t.write(Buffer.from('a'), ['10.0.0.1', 53]);
    t.write(Buffer.from('b'));
    t.writeSequence([Buffer.from('c'), Buffer.from('d')], ['10.0.0.2', 54]);
    expect(t.written.map(([p, a]) => [p.toString(), a])).to.deep.equal([
      ['a', ['10.0.0.1', 53]],
      ['b', undefined],
      ['cd', ['10.0.0.2', 54]],
    ]);
    expect(() => t.write('x' as never)).to.throw(DataNotBytesError);
  });

  it('serves as a DatagramProtocol transport: connect, getHost, broadcast and stopListening are recorded', async () => {
    const t = new FakeDatagramTransport();
    const p = new DatagramProtocol();
    p.makeConnection(t);
    t.connect('10.0.0.1', 53);
    t.setBroadcastAllowed(true);
    expect(t.connectedAddr).to.deep.equal(['10.0.0.1', 53]);
    expect(t.getBroadcastAllowed()).to.equal(true);
    expect(String(t.getHost())).to.equal("IPv4Address(type='UDP', host='0.0.0.0', port=0)");
    await t.stopListening();
    expect(t.stopped).to.equal(true);
  });
});

describe('MemoryReactor (UDP)', () => {
  it('listenUDP records [port, protocol, interface, maxPacketSize] with the defaults and returns a FakePort (twistless-only record)', () => {
    const r = new MemoryReactor();
    const p = new DatagramProtocol();
    const port = r.listenUDP(53, p);
    const port6 = r.listenUDP(54, p, { interface: '::1', maxPacketSize: 512 });
    expect(r.udpServers).to.deep.equal([
      [53, p, '', 8192],
      [54, p, '::1', 512],
    ]);
    expect(port.getHost().equals(new IPv4Address('UDP', '0.0.0.0', 53))).to.equal(true);
    expect(port6.getHost().equals(new IPv6Address('UDP', '::1', 54))).to.equal(true);
    expect(p.transport).to.equal(null);
  });

  it('listenMulticast records [port, protocol, interface, maxPacketSize, listenMultiple]; MemoryReactorClock has both', () => {
    const r = new MemoryReactorClock();
    const p = new DatagramProtocol();
    r.listenMulticast(9999, p, { listenMultiple: true });
    r.listenUDP(1, p);
    expect(r.multicastServers).to.deep.equal([[9999, p, '', 8192, true]]);
    expect(r.udpServers).to.have.length(1);
  });
});
