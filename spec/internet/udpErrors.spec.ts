// Bad input and edge cases of the UDP port (twisted.internet.udp.Port, Twisted 22.4) beyond the
// upstream suites: each refusal is a named error with Twisted's text where Twisted has one, and
// nothing already sent or started is lost. Real sockets on 127.0.0.1 and ::1.
import { expect } from 'chai';
import { Deferred } from '../../lib/defer/index.js';
import { CannotListenError, MessageLengthError, MulticastJoinError, SocketError } from '../../lib/error/index.js';
import { DatagramProtocol, DatagramProtocolStateError, DataNotBytesError } from '../../lib/protocol/index.js';
import { Reactor, reactor } from '../../lib/reactor/index.js';
import { DatagramAddressError, InvalidPortError, InvalidSocketOptionError, PortNotBoundError } from '../../lib/internet/errors.js';
import { Server, settle, sleep, UDPCleanup, within } from './udpHelpers.js';

class Boom extends Error {
  override name = 'Boom';
}

describe('UDP port: bad input', () => {
  const c = new UDPCleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('write(string): DataNotBytesError (Twisted: TypeError), nothing sent', () => {
    const port = c.add(reactor.listenUDP(0, new DatagramProtocol(), { interface: '127.0.0.1' }));
    expect(() => port.write('text' as never, ['127.0.0.1', 9])).to.throw(DataNotBytesError, /Buffer\.from/);
    expect(() => port.writeSequence([Buffer.from('a'), 'b' as never], ['127.0.0.1', 9])).to.throw(DataNotBytesError);
  });

  it('write() too long for UDP: MessageLengthError with Twisted\'s text, at the IPv4 and IPv6 limits (65507 and 65527 bytes) and connected or not', async () => {
    const server = new Server();
    const s4 = c.add(reactor.listenUDP(0, server, { interface: '127.0.0.1' }));
    const p4 = c.add(reactor.listenUDP(0, new DatagramProtocol(), { interface: '127.0.0.1' }));
    expect(() => p4.write(Buffer.alloc(65508), ['127.0.0.1', s4.getHost().port]))
      .to.throw(MessageLengthError)
      .with.property('message', 'Message is too long to send: message too long.');
    const got = (server.packetReceived = new Deferred<void>());
    p4.write(Buffer.alloc(65507), ['127.0.0.1', s4.getHost().port]);
    await within(got, 5, 'largest IPv4 datagram');
    expect(server.packets[0]![0].length).to.equal(8192); // cut to the default maxPacketSize
    p4.connect('127.0.0.1', s4.getHost().port);
    expect(() => p4.write(Buffer.alloc(65508))).to.throw(MessageLengthError);
    const p6 = c.add(reactor.listenUDP(0, new DatagramProtocol(), { interface: '::1' }));
    expect(() => p6.write(Buffer.alloc(65528), ['::1', 9])).to.throw(MessageLengthError);
    expect(() => p6.write(Buffer.alloc(65527), ['::1', 9])).to.not.throw();
  });

  it('write() without an address on an unconnected port, or to another peer on a connected one: DatagramAddressError (Twisted: AssertionError)', () => {
    const port = c.add(reactor.listenUDP(0, new DatagramProtocol(), { interface: '127.0.0.1' }));
    expect(() => port.write(Buffer.from('x'))).to.throw(DatagramAddressError, /connect\(host, port\) first/);
    expect(() => port.write(Buffer.from('x'), null)).to.throw(DatagramAddressError);
    port.connect('127.0.0.1', 9);
    expect(() => port.write(Buffer.from('x'), ['127.0.0.1', 10])).to.throw(DatagramAddressError, /connected to \[127\.0\.0\.1, 9\]/);
    expect(() => port.write(Buffer.from('x'), ['127.0.0.1', 9])).to.not.throw();
  });

  it('a destination or connect port outside 1..65535: InvalidPortError', () => {
    const port = c.add(reactor.listenUDP(0, new DatagramProtocol(), { interface: '127.0.0.1' }));
    for (const bad of [0, -1, 65536, 1.5, '53' as never]) {
      expect(() => port.write(Buffer.from('x'), ['127.0.0.1', bad]), String(bad)).to.throw(InvalidPortError);
      expect(() => port.connect('127.0.0.1', bad), String(bad)).to.throw(InvalidPortError);
    }
  });

  it('connect() to an address of the other family: InvalidAddressError', () => {
    const p4 = c.add(reactor.listenUDP(0, new DatagramProtocol(), { interface: '127.0.0.1' }));
    const p6 = c.add(reactor.listenUDP(0, new DatagramProtocol(), { interface: '::1' }));
    expect(() => p4.connect('::1', 9)).to.throw(/IPv4 port connect\(\) called with an IPv6 address/);
    expect(() => p6.connect('127.0.0.1', 9)).to.throw(/IPv6 port connect\(\) called with an IPv4 address/);
  });

  it('listenUDP with a bad port, maxPacketSize, interface type or protocol: named errors, nothing bound', () => {
    const proto = new DatagramProtocol();
    expect(() => reactor.listenUDP(-1, proto)).to.throw(InvalidPortError);
    expect(() => reactor.listenUDP(70000, proto)).to.throw(InvalidPortError);
    expect(() => reactor.listenUDP(0, proto, { maxPacketSize: 0 })).to.throw(InvalidSocketOptionError);
    expect(() => reactor.listenMulticast(0, proto, { maxPacketSize: 2.5 })).to.throw(InvalidSocketOptionError);
    expect(() => reactor.listenUDP(0, proto, { interface: 5 as never })).to.throw(TypeError, /interface must be a string/);
    expect(() => reactor.listenUDP(0, {} as never)).to.throw(TypeError, /must be a DatagramProtocol/);
    expect(proto.transport).to.equal(null);
    expect(proto.numPorts).to.equal(0);
  });

  it('listenUDP on an address that is not local: CannotListenError with EADDRNOTAVAIL', () => {
    expect(() => reactor.listenUDP(0, new DatagramProtocol(), { interface: '192.0.2.123' }))
      .to.throw(CannotListenError)
      .with.property('message', "Couldn't listen on 192.0.2.123:0: [Errno 99] Cannot assign requested address.");
  });

  it('setTTL outside 0..255: InvalidSocketOptionError, the TTL unchanged', () => {
    const port = c.add(reactor.listenMulticast(0, new DatagramProtocol()));
    for (const bad of [-1, 256, 1.5]) expect(() => port.setTTL(bad)).to.throw(InvalidSocketOptionError);
    expect(port.getTTL()).to.equal(1);
  });

  it('setOutgoingInterface to an address of no local interface: the Deferred fails with SocketError EADDRNOTAVAIL, the interface unchanged', async () => {
    const port = c.add(reactor.listenMulticast(0, new DatagramProtocol()));
    const r = await settle(port.setOutgoingInterface('192.0.2.77'));
    expect(r.ok).to.equal(false);
    const e = (r as { failure: { value: unknown } }).failure.value;
    expect(e).to.be.instanceOf(SocketError);
    expect(String(e)).to.equal('[Errno 99] Cannot assign requested address');
    expect(port.getOutgoingInterface()).to.equal('0.0.0.0');
  });

  it('leaving a group never joined: MulticastJoinError, as Twisted', async () => {
    const port = c.add(reactor.listenMulticast(0, new DatagramProtocol()));
    const r = await settle(port.leaveGroup('225.0.0.251'));
    expect(r.ok).to.equal(false);
    expect((r as { failure: { value: unknown } }).failure.value).to.be.instanceOf(MulticastJoinError);
  });

  it('a stopped port: write, connect, getHost and the socket options throw PortNotBoundError; stopListening() again is null', async () => {
    const port = reactor.listenMulticast(0, new DatagramProtocol(), { interface: '127.0.0.1' });
    await port.stopListening();
    expect(() => port.write(Buffer.from('x'), ['127.0.0.1', 9])).to.throw(PortNotBoundError);
    expect(() => port.connect('127.0.0.1', 9)).to.throw(PortNotBoundError);
    expect(() => port.getHost()).to.throw(PortNotBoundError);
    expect(() => port.setBroadcastAllowed(true)).to.throw(PortNotBoundError);
    expect(() => port.setTTL(3)).to.throw(PortNotBoundError);
    expect(port.stopListening()).to.equal(null);
    const r = await settle(port.whenListening());
    expect(r.ok).to.equal(false);
  });

  it('a second listenUDP with a protocol that has a transport: DatagramProtocolStateError (Twisted: AssertionError) escapes listenUDP, the new socket is closed, the first port unharmed', () => {
    const proto = new Server();
    const first = c.add(reactor.listenUDP(0, proto, { interface: '127.0.0.1' }));
    expect(() => reactor.listenUDP(0, proto, { interface: '127.0.0.1' })).to.throw(DatagramProtocolStateError, /already has a transport/);
    expect(proto.transport).to.equal(first);
    expect(proto.numPorts).to.equal(1);
    expect(first.connected).to.equal(true);
  });
});

describe('UDP port: datagrams and lifecycle', () => {
  const c = new UDPCleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('maxPacketSize cuts longer datagrams to it, as recvfrom does; shorter and equal ones arrive whole', async () => {
    const server = new Server();
    const port = c.add(reactor.listenUDP(0, server, { interface: '127.0.0.1', maxPacketSize: 10 }));
    const sender = c.add(reactor.listenUDP(0, new DatagramProtocol(), { interface: '127.0.0.1' }));
    for (const text of ['0123456789ABCDEF', '0123456789', 'short']) {
      const d = (server.packetReceived = new Deferred<void>());
      sender.write(Buffer.from(text), ['127.0.0.1', port.getHost().port]);
      await within(d, 5, text);
    }
    expect(server.packets.map(([d]) => d.toString())).to.deep.equal(['0123456789', '0123456789', 'short']);
  });

  it('datagrams that arrive after stopListening() and before the close are dropped, as Twisted stops reading at once', async () => {
    const server = new Server();
    const port = reactor.listenUDP(0, server, { interface: '127.0.0.1' });
    const sender = c.add(reactor.listenUDP(0, new DatagramProtocol(), { interface: '127.0.0.1' }));
    const d = port.stopListening()!;
    port._received(Buffer.from('late'), { address: '127.0.0.1', port: sender.getHost().port, family: 'IPv4', size: 4 });
    await d;
    expect(server.packets).to.deep.equal([]);
    expect(server.stopped).to.equal(1);
  });

  it('reactor.stop() closes UDP ports as disconnectAll does for TCP: stopProtocol runs, the port is closed', async () => {
    const r = new Reactor();
    const server = new Server();
    const port = r.listenUDP(0, server, { interface: '127.0.0.1' });
    const n = port.getHost().port;
    r.callWhenRunning(() => r.stop());
    await r.run();
    expect(server.stopped).to.equal(1);
    expect(port.connected).to.equal(false);
    expect(port.getHandle()).to.equal(null);
    expect(c.messages()).to.contain(`(UDP Port ${n} Closed)`);
  });

  it('startProtocol throwing: the error escapes listenUDP (as in Twisted) and the socket is closed (Twisted leaves it bound)', async () => {
    class Bad extends DatagramProtocol {
      override startProtocol(): void {
        throw new Boom('start');
      }
    }
    const bad = new Bad();
    expect(() => reactor.listenUDP(0, bad, { interface: '127.0.0.1' })).to.throw(Boom);
    const port = bad.transport as unknown as ReturnType<typeof reactor.listenUDP>;
    expect(port.connected).to.equal(false);
    expect(port.getHandle()).to.equal(null);
    expect(port.stopListening()).to.equal(null);
    expect(bad.numPorts).to.equal(0);
  });

  it('stopProtocol throwing: logged, the socket still closes and the stopListening Deferred fails with it', async () => {
    class Bad extends DatagramProtocol {
      override stopProtocol(): void {
        throw new Boom('stop');
      }
    }
    const port = reactor.listenUDP(0, new Bad(), { interface: '127.0.0.1' });
    const r = await settle(port.stopListening()!);
    expect(r.ok).to.equal(false);
    expect((r as { failure: { value: unknown } }).failure.value).to.be.instanceOf(Boom);
    expect(c.log.errors(Boom)).to.have.length(1);
    expect(port.getHandle()).to.equal(null);
  });

  it('a send that fails after write() returned (broadcast not allowed: EACCES) is logged as a SocketError, never silent', async () => {
    const port = c.add(reactor.listenUDP(0, new DatagramProtocol()));
    port.write(Buffer.from('x'), ['<broadcast>', 9]);
    for (let i = 0; i < 50 && c.log.errors(SocketError).length === 0; i++) await sleep(10);
    const errors = c.log.errors(SocketError);
    expect(errors).to.have.length(1);
    expect(String(errors[0]!.failure!.value)).to.equal('[Errno 13] Permission denied');
    expect(port.connected).to.equal(true);
  });

  it('ECONNREFUSED for an unconnected port is ignored, as Twisted does: no connectionRefused, nothing logged', async () => {
    const server = new Server();
    server.connectionRefused = () => {
      throw new Error('must not be called');
    };
    const port = c.add(reactor.listenUDP(0, server, { interface: '127.0.0.1' }));
    port._error(Object.assign(new Error('refused'), { code: 'ECONNREFUSED', syscall: 'recvmsg' }));
    port._sendFailed(Object.assign(new Error('refused'), { code: 'ECONNREFUSED', syscall: 'send' }));
    expect(c.log.errors()).to.deep.equal([]);
    expect(port.connected).to.equal(true);
  });

  it('another read error closes the port with the error logged, as Twisted disconnects a port whose doRead raised', () => {
    const server = new Server();
    const port = c.add(reactor.listenUDP(0, server, { interface: '127.0.0.1' }));
    port._error(Object.assign(new Error('unreachable'), { code: 'EHOSTUNREACH', syscall: 'recvmsg' }));
    expect(c.log.errors(SocketError)).to.have.length(1);
    expect(port.connected).to.equal(false);
    expect(server.stopped).to.equal(1);
  });

  it('connectionRefused throwing is logged; the port stays open', async () => {
    const server = new Server();
    server.connectionRefused = () => {
      throw new Boom('refused');
    };
    const port = c.add(reactor.listenUDP(0, server, { interface: '127.0.0.1' }));
    port.connect('127.0.0.1', 9);
    port._error(Object.assign(new Error('refused'), { code: 'ECONNREFUSED', syscall: 'recvmsg' }));
    expect(c.log.errors(Boom)).to.have.length(1);
    expect(port.connected).to.equal(true);
  });
});
