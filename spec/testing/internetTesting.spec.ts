// Port of twisted/internet/test/test_testing.py (Twisted 22.4): StringTransportTests,
// ReactorTests (the TCP/UNIX parts; test_readers/test_writers are not ported, Node has no
// IReactorFDSet), NonStreamingProducerTests; plus the behaviour of StringTransportWithDisconnection,
// AccumulatingProtocol, MemoryReactor's records and waitUntilAllDisconnected, checked against
// twisted.internet.testing under /usr/bin/python3.
import { expect } from 'chai';
import { IPv4Address, IPv6Address, UNIXAddress, type IAddress } from '../../lib/address/index.js';
import { Deferred } from '../../lib/defer/index.js';
import { CannotListenError, ConnectionDone, ConnectionRefusedError } from '../../lib/error/index.js';
import { Failure } from '../../lib/failure/index.js';
import { ClientFactory, Factory, Protocol } from '../../lib/protocol/index.js';
import { Clock } from '../../lib/task/index.js';
import {
  AccumulatingProtocol,
  FakeConnector,
  LineSendingProtocol,
  FakePort,
  MemoryReactor,
  MemoryReactorClock,
  MissingProtocolError,
  NoProducerError,
  NonStreamingProducer,
  NothingToRaiseError,
  ProducerStateError,
  RaisingMemoryReactor,
  StringTransport,
  StringTransportWithDisconnection,
  successResultOf,
  assertNoResult,
  connectedServerAndClient,
  waitUntilAllDisconnected,
} from '../../lib/testing/index.js';
import type { IConnector, IPullProducer, IPushProducer, IReactorTCP, IReactorUNIX } from '../../lib/protocol/index.js';
import type { IReactorTime } from '../../lib/defer/index.js';

const fakeProducer = (): IPushProducer => ({ pauseProducing() {}, resumeProducing() {}, stopProducing() {} });
const fakeAddress = (): IAddress => ({ equals: (o: unknown) => o === undefined, toString: () => 'fake', hashKey: () => 'fake' }) as IAddress;

/** The members an interface names, as zope's verifyObject checks them. */
function expectMethods(obj: object, names: string[]): void {
  for (const n of names) expect((obj as Record<string, unknown>)[n], n).to.be.a('function');
}

describe('StringTransportTests', function () {
  let transport: StringTransport;
  beforeEach(function () {
    transport = new StringTransport();
  });

  it('test_interfaces: StringTransport has the methods of ITransport, IPushProducer and IConsumer', function () {
    expectMethods(transport, ['write', 'writeSequence', 'loseConnection', 'getPeer', 'getHost']);
    expectMethods(transport, ['pauseProducing', 'resumeProducing', 'stopProducing']);
    expectMethods(transport, ['registerProducer', 'unregisterProducer', 'write']);
    expectMethods(transport, ['abortConnection', 'loseWriteConnection', 'getTcpNoDelay', 'setTcpNoDelay', 'getTcpKeepAlive', 'setTcpKeepAlive']);
  });

  it('test_registerProducer: registerProducer records its arguments in producer and streaming', function () {
    const producer = fakeProducer();
    transport.registerProducer(producer, false);
    expect(transport.producer).to.equal(producer);
    expect(transport.streaming).to.equal(false);
  });

  it('test_disallowedRegisterProducer: a second registerProducer throws and keeps the first producer', function () {
    const producer = fakeProducer();
    transport.registerProducer(producer, true);
    expect(() => transport.registerProducer(fakeProducer(), false)).to.throw(Error, /Cannot register two producers/);
    try {
      transport.registerProducer(fakeProducer(), false);
    } catch (e) {
      expect((e as Error).name).to.equal('ProducerRegisteredError');
      expect((e as Error).message).to.match(/unregisterProducer\(\)/);
    }
    expect(transport.producer).to.equal(producer);
    expect(transport.streaming).to.equal(true);
  });

  it('test_unregisterProducer: unregisterProducer forgets the producer; a new one can then be registered', function () {
    const oldProducer = fakeProducer();
    const newProducer = fakeProducer();
    transport.registerProducer(oldProducer, false);
    transport.unregisterProducer();
    expect(transport.producer).to.equal(null);
    expect(transport.streaming).to.equal(null);
    transport.registerProducer(newProducer, true);
    expect(transport.producer).to.equal(newProducer);
    expect(transport.streaming).to.equal(true);
  });

  it('test_invalidUnregisterProducer: unregisterProducer with no producer throws NoProducerError', function () {
    expect(() => transport.unregisterProducer()).to.throw(NoProducerError, /Cannot unregister a producer unless one is registered/);
  });

  it("test_initialProducerState: producerState starts as 'producing'", function () {
    expect(transport.producerState).to.equal('producing');
  });

  it("test_pauseProducing: pauseProducing sets producerState to 'paused'", function () {
    transport.pauseProducing();
    expect(transport.producerState).to.equal('paused');
  });

  it("test_resumeProducing: resumeProducing sets producerState back to 'producing'", function () {
    transport.pauseProducing();
    transport.resumeProducing();
    expect(transport.producerState).to.equal('producing');
  });

  it("test_stopProducing: stopProducing sets producerState to 'stopped'", function () {
    transport.stopProducing();
    expect(transport.producerState).to.equal('stopped');
  });

  it('test_stoppedTransportCannotPause: pauseProducing after stopProducing throws ProducerStateError', function () {
    transport.stopProducing();
    expect(() => transport.pauseProducing()).to.throw(ProducerStateError, /Cannot resume a stopped producer/);
    expect(transport.producerState).to.equal('stopped');
  });

  it('test_stoppedTransportCannotResume: resumeProducing after stopProducing throws ProducerStateError', function () {
    transport.stopProducing();
    expect(() => transport.resumeProducing()).to.throw(ProducerStateError);
  });

  it('test_disconnectingTransportCannotPause: pauseProducing after loseConnection throws ProducerStateError', function () {
    transport.loseConnection();
    expect(() => transport.pauseProducing()).to.throw(ProducerStateError, /after loseConnection/);
  });

  it('test_disconnectingTransportCannotResume: resumeProducing after loseConnection throws ProducerStateError', function () {
    transport.loseConnection();
    expect(() => transport.resumeProducing()).to.throw(ProducerStateError, /lenient/);
  });

  it('lenient: a lenient transport may pause and resume after loseConnection', function () {
    const t = new StringTransport({ lenient: true });
    t.loseConnection();
    t.pauseProducing();
    expect(t.producerState).to.equal('paused');
    t.resumeProducing();
    expect(t.producerState).to.equal('producing');
  });

  it('test_loseConnectionSetsDisconnecting: loseConnection sets disconnecting', function () {
    expect(transport.disconnecting).to.equal(false);
    transport.loseConnection();
    expect(transport.disconnecting).to.equal(true);
    expect(transport.connected).to.equal(true);
  });

  it('abortConnection sets disconnected and disconnecting', function () {
    transport.abortConnection();
    expect([transport.disconnected, transport.disconnecting]).to.deep.equal([true, true]);
  });

  it('test_specifiedHostAddress: a hostAddress given to the constructor is what getHost returns', function () {
    const address = fakeAddress();
    const t = new StringTransport({ hostAddress: address });
    expect(t.getHost()).to.equal(address);
    expect(t.hostAddress).to.equal(address);
    expect(t.hostAddr).to.equal(address);
  });

  it('test_specifiedPeerAddress: a peerAddress given to the constructor is what getPeer returns', function () {
    const address = fakeAddress();
    const t = new StringTransport({ peerAddress: address });
    expect(t.getPeer()).to.equal(address);
    expect(t.peerAddress).to.equal(address);
    expect(t.peerAddr).to.equal(address);
  });

  it("test_defaultHostAddress: getHost defaults to IPv4Address('TCP', '10.0.0.1', 12345)", function () {
    const address = new StringTransport().getHost();
    expect(address).to.be.instanceOf(IPv4Address);
    expect(address.equals(new IPv4Address('TCP', '10.0.0.1', 12345))).to.equal(true);
  });

  it("test_defaultPeerAddress: getPeer defaults to IPv4Address('TCP', '192.168.1.1', 54321)", function () {
    const address = new StringTransport().getPeer();
    expect(address).to.be.instanceOf(IPv4Address);
    expect(address.equals(new IPv4Address('TCP', '192.168.1.1', 54321))).to.equal(true);
  });

  it('value() is everything written since clear(), write and writeSequence in order, and a copy', function () {
    const chunk = Buffer.from('ab');
    transport.write(chunk);
    chunk[0] = 0x7a; // the caller reusing its buffer does not change what was written
    transport.writeSequence([Buffer.from('c'), new Uint8Array([0x64])]);
    transport.writeSequence([]);
    const v = transport.value();
    expect(v).to.be.instanceOf(Buffer);
    expect(v.toString()).to.equal('abcd');
    v[0] = 0x7a;
    expect(transport.value().toString()).to.equal('abcd');
    transport.clear();
    expect(transport.value().length).to.equal(0);
    transport.write(Buffer.from('e'));
    expect(transport.value().toString()).to.equal('e');
  });

  it('test_noUnicode: write and writeSequence refuse a string with a TypeError saying to pass bytes; nothing is kept', function () {
    transport.write(Buffer.from('kept'));
    expect(() => transport.write('text' as never)).to.throw(TypeError, /Data must be bytes.*Buffer\.from\(text\)/);
    expect(() => transport.writeSequence('text' as never)).to.throw(TypeError, /Buffer\.from/);
    expect(() => transport.writeSequence([Buffer.from('a'), 'b' as never])).to.throw(TypeError, /Data must be bytes/);
    expect(() => transport.write(null as never)).to.throw(TypeError);
    try {
      transport.write('x' as never);
    } catch (e) {
      expect((e as Error).name).to.equal('DataNotBytesError');
    }
    expect(transport.value().toString()).to.equal('kept');
  });

  it('TCP no-delay and keep-alive are recorded and read back (false at first)', function () {
    expect([transport.getTcpNoDelay(), transport.getTcpKeepAlive()]).to.deep.equal([false, false]);
    transport.setTcpNoDelay(true);
    transport.setTcpKeepAlive(true);
    expect([transport.getTcpNoDelay(), transport.getTcpKeepAlive()]).to.deep.equal([true, true]);
    transport.loseWriteConnection();
    expect(transport.writeDisconnected).to.equal(true);
  });

  it('a protocol connected to it writes into value() and sees the transport', function () {
    class Echo extends Protocol {
      override dataReceived(data: Buffer): void {
        this.transport!.write(data);
      }
    }
    const p = new Echo();
    p.makeConnection(transport);
    expect(p.transport).to.equal(transport);
    p.dataReceived(Buffer.from('hi'));
    expect(transport.value().toString()).to.equal('hi');
  });
});

describe('StringTransportWithDisconnection', function () {
  it("loseConnection tells the protocol connectionLost(ConnectionDone('Bye.')) once, synchronously, and sets connected false", function () {
    const p = new AccumulatingProtocol();
    const t = new StringTransportWithDisconnection();
    p.makeConnection(t);
    t.protocol = p;
    t.loseConnection();
    expect(p.closed).to.equal(true);
    expect(p.closedReason!.check(ConnectionDone)).to.equal(ConnectionDone);
    expect(p.closedReason!.getErrorMessage()).to.equal('Connection was closed cleanly: Bye..');
    expect(t.connected).to.equal(false);
    expect(t.disconnecting).to.equal(false); // as in Twisted
    p.closed = false;
    t.loseConnection();
    expect(p.closed).to.equal(false);
  });

  it('abortConnection sets disconnected and tells the protocol (through loseConnection)', function () {
    const p = new AccumulatingProtocol();
    const t = new StringTransportWithDisconnection({ protocol: p });
    p.makeConnection(t);
    t.abortConnection();
    expect([t.disconnected, t.connected, p.closed]).to.deep.equal([true, false, true]);
  });

  it('loseConnection with no protocol set is a MissingProtocolError, and changes nothing', function () {
    const t = new StringTransportWithDisconnection();
    expect(() => t.loseConnection()).to.throw(MissingProtocolError, /transport\.protocol = /);
    expect(t.connected).to.equal(true);
  });
});

describe('AccumulatingProtocol', function () {
  it('keeps made, data, closed and closedReason, and fires closedDeferred once', function () {
    const p = new AccumulatingProtocol();
    expect([p.made, p.closed, p.closedReason, p.data.length]).to.deep.equal([false, false, null, 0]);
    const closed = new Deferred<void>();
    p.closedDeferred = closed;
    p.makeConnection(new StringTransport());
    p.dataReceived(Buffer.from('ab'));
    p.dataReceived(Buffer.from('c'));
    expect(p.made).to.equal(true);
    expect(p.data.toString()).to.equal('abc');
    assertNoResult(closed);
    const reason = new Failure(new ConnectionDone());
    p.connectionLost(reason);
    expect([p.closed, p.closedReason]).to.deep.equal([true, reason]);
    expect(successResultOf(closed)).to.equal(undefined);
    expect(p.closedDeferred).to.equal(null);
  });

  it("fires its factory's protocolConnectionMade Deferred with itself, once", function () {
    const factory = Object.assign(Factory.forProtocol(AccumulatingProtocol), { protocolConnectionMade: new Deferred<AccumulatingProtocol>() });
    const made = factory.protocolConnectionMade;
    const p = factory.buildProtocol(new IPv4Address('TCP', '127.0.0.1', 1))!;
    p.makeConnection(new StringTransport());
    expect(successResultOf(made)).to.equal(p);
    expect(factory.protocolConnectionMade).to.equal(null);
    const q = factory.buildProtocol(new IPv4Address('TCP', '127.0.0.1', 1))!;
    q.makeConnection(new StringTransport()); // no Deferred left: nothing to fire
    expect(q.made).to.equal(true);
  });
});

describe('LineSendingProtocol', function () {
  it('sends its lines in connectionMade, keeps the lines received, and sets lostConn', function () {
    const lines = [Buffer.from('HELO'), Buffer.from('QUIT')];
    const p = new LineSendingProtocol(lines);
    lines[0] = Buffer.from('changed'); // the lines were copied
    const t = new StringTransport();
    p.makeConnection(t);
    expect(t.value().toString()).to.equal('HELO\r\nQUIT\r\n');
    p.dataReceived(Buffer.from('250 ok\r\n221 bye\r\n'));
    expect(p.response.map(String)).to.deep.equal(['250 ok', '221 bye']);
    expect(p.lostConn).to.equal(false);
    p.connectionLost(new Failure(new ConnectionDone()));
    expect(p.lostConn).to.equal(true);
  });

  it('with start false, sends its lines in answer to the first line received, once, and keeps the received lines', function () {
    const p = new LineSendingProtocol([Buffer.from('a'), Buffer.from('b')], false);
    const t = new StringTransport();
    p.makeConnection(t);
    expect(t.value().length).to.equal(0);
    p.dataReceived(Buffer.from('x\r\ny\r\n'));
    expect(t.value().toString()).to.equal('a\r\nb\r\n');
    // Twisted's keeps [b'b', b'y'] here (a reused loop variable); this one keeps what arrived.
    expect(p.response.map(String)).to.deep.equal(['x', 'y']);
  });
});

describe('ReactorTests', function () {
  it('test_memoryReactorProvides: MemoryReactor and MemoryReactorClock have the IReactorTCP and IReactorUNIX methods', function () {
    for (const r of [new MemoryReactor(), new MemoryReactorClock()]) {
      expectMethods(r, ['listenTCP', 'connectTCP', 'listenUNIX', 'connectUNIX', 'run', 'stop', 'crash', 'callWhenRunning', 'install']);
      expect(r).to.be.instanceOf(MemoryReactor);
    }
    expect(new MemoryReactorClock()).to.be.instanceOf(Clock);
    expect(new MemoryReactor()).to.not.be.instanceOf(Clock);
    expect({}).to.not.be.instanceOf(MemoryReactor);
    class Sub extends MemoryReactor {}
    expect(new Sub()).to.be.instanceOf(Sub);
    expect(new MemoryReactor()).to.not.be.instanceOf(Sub);
  });

  it('test_raisingReactorProvides: RaisingMemoryReactor has the IReactorTCP and IReactorUNIX methods', function () {
    expectMethods(new RaisingMemoryReactor(), ['listenTCP', 'connectTCP', 'listenUNIX', 'connectUNIX', 'listenSSL', 'connectSSL']);
  });

  it('test_connectDestination: connectTCP and connectUNIX return connectors whose getDestination reflects the arguments', function () {
    const memoryReactor = new MemoryReactor();
    const connector = memoryReactor.connectTCP('test.example.com', 8321, new ClientFactory());
    expectMethods(connector, ['stopConnecting', 'disconnect', 'connect', 'getDestination']);
    const address = connector.getDestination() as IPv4Address;
    expect(address).to.be.instanceOf(IPv4Address);
    expect([address.host, address.port]).to.deep.equal(['test.example.com', 8321]);
    const unix = memoryReactor.connectUNIX('/fake/path', new ClientFactory());
    const unixAddress = unix.getDestination() as UNIXAddress;
    expect(unixAddress).to.be.instanceOf(UNIXAddress);
    expect(unixAddress.name).to.equal('/fake/path');
    const ssl = memoryReactor.connectSSL('test.example.com', 8321, new ClientFactory(), { getContext: () => ({}) }).getDestination() as IPv4Address;
    expect([ssl.host, ssl.port]).to.deep.equal(['test.example.com', 8321]);
  });

  it("test_listenDefaultHost: listenTCP's port is on 0.0.0.0 and the given port; listenUNIX's on the path", function () {
    const memoryReactor = new MemoryReactor();
    const port = memoryReactor.listenTCP(8242, new Factory());
    expectMethods(port, ['startListening', 'stopListening', 'getHost']);
    const address = port.getHost() as IPv4Address;
    expect([address.host, address.port]).to.deep.equal(['0.0.0.0', 8242]);
    const unixPort = memoryReactor.listenUNIX('/path/to/socket', new Factory());
    expect((unixPort.getHost() as UNIXAddress).name).to.equal('/path/to/socket');
    const ctx = { getContext: () => ({}) };
    const f = new Factory();
    const sslAddress = memoryReactor.listenSSL(8243, f, ctx).getHost() as IPv4Address;
    expect([sslAddress.host, sslAddress.port]).to.deep.equal(['0.0.0.0', 8243]);
    expect(memoryReactor.sslServers).to.deep.equal([[8243, f, ctx, 50, '']]);
  });
});

describe('MemoryReactor records', function () {
  it("listenTCP records [port, factory, backlog, interface] with Twisted's defaults; an IPv6 interface gives an IPv6Address", function () {
    const r = new MemoryReactorClock();
    const f = new Factory();
    r.listenTCP(80, f);
    const v6 = r.listenTCP(81, f, { backlog: 5, interface: '::1' });
    const v4 = r.listenTCP(82, f, { interface: '127.0.0.1' });
    expect(r.tcpServers).to.deep.equal([
      [80, f, 50, ''],
      [81, f, 5, '::1'],
      [82, f, 50, '127.0.0.1'],
    ]);
    expect(v6.getHost().equals(new IPv6Address('TCP', '::1', 81))).to.equal(true);
    expect(v4.getHost().equals(new IPv4Address('TCP', '0.0.0.0', 82))).to.equal(true); // as Twisted's: the interface is not reflected
    expect(r.listenTCP(83, f, { interface: 'fe80::1%lo' }).getHost()).to.be.instanceOf(IPv6Address);
    expect(f.numPorts).to.equal(0); // nothing is started
  });

  it('connectTCP records [host, port, factory, timeout, bindAddress], calls startedConnecting synchronously, keeps the connector', function () {
    const r = new MemoryReactor();
    const seen: IConnector[] = [];
    class F extends ClientFactory {
      override startedConnecting(c: IConnector): void {
        seen.push(c);
        expect(r.connectors).to.not.include(c); // Twisted appends after the hook
      }
    }
    const f = new F();
    const c1 = r.connectTCP('example.com', 80, f);
    const c2 = r.connectTCP('::1', 81, f, { timeout: 5, bindAddress: ['127.0.0.1', 0] });
    expect(r.tcpClients).to.deep.equal([
      ['example.com', 80, f, 30, null],
      ['::1', 81, f, 5, ['127.0.0.1', 0]],
    ]);
    expect(seen).to.deep.equal([c1, c2]);
    expect(r.connectors).to.deep.equal([c1, c2]);
    expect(c2.getDestination().equals(new IPv6Address('TCP', '::1', 81))).to.equal(true);
    expect(c1).to.be.instanceOf(FakeConnector);
  });

  it('listenUNIX and connectUNIX record with mode 0o666, wantPID and checkPID false, timeout 30', function () {
    const r = new MemoryReactor();
    const f = new ClientFactory();
    const port = r.listenUNIX('/tmp/s', f);
    r.listenUNIX('/tmp/t', f, { backlog: 1, mode: 0o600, wantPID: true });
    const c = r.connectUNIX('/tmp/s', f, { timeout: 2, checkPID: true });
    r.connectUNIX('/tmp/u', f);
    expect(r.unixServers).to.deep.equal([
      ['/tmp/s', f, 50, 0o666, false],
      ['/tmp/t', f, 1, 0o600, true],
    ]);
    expect(r.unixClients).to.deep.equal([
      ['/tmp/s', f, 2, true],
      ['/tmp/u', f, 30, false],
    ]);
    expect(port).to.be.instanceOf(FakePort);
    expect(r.connectors[0]).to.equal(c);
  });

  it("FakeConnector records stopConnecting, disconnect and connect; FakePort's whenListening and stopListening fire at once", function () {
    const c = new MemoryReactor().connectTCP('h', 1, new ClientFactory());
    expect([c.state, c.stoppedConnecting, c.disconnected]).to.deep.equal(['connecting', false, false]);
    c.stopConnecting();
    expect([c.state, c.stoppedConnecting]).to.deep.equal(['disconnected', true]);
    c.connect();
    expect([c.state, c.connectCalls]).to.deep.equal(['connecting', 1]);
    c.disconnect();
    expect([c.state, c.disconnected]).to.deep.equal(['disconnected', true]);
    const port = new MemoryReactor().listenTCP(1, new Factory());
    port.startListening();
    expect(successResultOf(port.whenListening())).to.equal(port);
    expect(successResultOf(port.stopListening())).to.equal(undefined);
    expect(port.stopped).to.equal(true);
  });

  it('RaisingMemoryReactor throws listenException from listen methods and connectException from connect methods', function () {
    const listenError = new CannotListenError('', 80, new Error('EACCES'));
    const connectError = new ConnectionRefusedError();
    const r = new RaisingMemoryReactor({ listenException: listenError, connectException: connectError });
    const f = new ClientFactory();
    for (const call of [() => r.listenTCP(80, f), () => r.listenUNIX('/x', f)]) {
      try {
        call();
        expect.fail('did not throw');
      } catch (e) {
        expect(e).to.equal(listenError);
      }
    }
    for (const call of [() => r.connectTCP('h', 80, f), () => r.connectUNIX('/x', f)]) {
      try {
        call();
        expect.fail('did not throw');
      } catch (e) {
        expect(e).to.equal(connectError);
      }
    }
  });

  it('RaisingMemoryReactor with nothing to throw is a NothingToRaiseError naming the option', function () {
    const r = new RaisingMemoryReactor({ listenException: new Error('x') });
    expect(() => r.connectTCP('h', 80, new ClientFactory())).to.throw(NothingToRaiseError, /connectException/);
    expect(() => new RaisingMemoryReactor().listenTCP(1, new Factory())).to.throw(NothingToRaiseError, /listenException/);
  });
});

/** A consumer that only records, as test_testing's TestConsumer. */
class TestConsumer {
  writes: Buffer[] = [];
  producer: IPullProducer | IPushProducer | null = null;
  producerStreaming: boolean | null = null;
  registerProducer(producer: IPullProducer | IPushProducer, streaming: boolean): void {
    this.producer = producer;
    this.producerStreaming = streaming;
  }
  unregisterProducer(): void {
    this.producer = null;
    this.producerStreaming = null;
  }
  write(data: Uint8Array): void {
    this.writes.push(Buffer.from(data));
  }
}

describe('NonStreamingProducerTests', function () {
  it('test_producesOnly10Times: ten resumeProducing calls write 0..9, unregister, and an eleventh throws', function () {
    const consumer = new TestConsumer();
    const producer = new NonStreamingProducer(consumer);
    consumer.registerProducer(producer, false);
    expect(consumer.producer).to.equal(producer);
    expect(producer.consumer).to.equal(consumer);
    expect(consumer.producerStreaming).to.equal(false);
    for (let i = 0; i < 10; i++) producer.resumeProducing();
    expect(consumer.producer).to.equal(null);
    expect(consumer.producerStreaming).to.equal(null);
    expect(producer.consumer).to.equal(null);
    expect(consumer.writes.map((b) => b.toString())).to.deep.equal(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(successResultOf(producer.result)).to.equal(undefined);
    expect(() => producer.resumeProducing()).to.throw(ProducerStateError, /BUG: resume after unregister\/stop\./);
  });

  it('test_cannotPauseProduction: pauseProducing throws ProducerStateError', function () {
    const consumer = new TestConsumer();
    const producer = new NonStreamingProducer(consumer);
    consumer.registerProducer(producer, false);
    producer.resumeProducing();
    expect(() => producer.pauseProducing()).to.throw(ProducerStateError, /BUG: pause should never be called\./);
  });

  it('stopProducing sets stopped and fires result once; resuming after it throws', function () {
    const producer = new NonStreamingProducer(new TestConsumer());
    producer.stopProducing();
    producer.stopProducing();
    expect(producer.stopped).to.equal(true);
    expect(successResultOf(producer.result)).to.equal(undefined);
    expect(() => producer.resumeProducing()).to.throw(ProducerStateError);
  });

  it('drives a StringTransport registered as a pull producer', function () {
    const transport = new StringTransport();
    const producer = new NonStreamingProducer(transport);
    transport.registerProducer(producer, false);
    while (transport.producer !== null) producer.resumeProducing();
    expect(transport.value().toString()).to.equal('0123456789');
  });
});

describe('waitUntilAllDisconnected', function () {
  it('fires once every transport has connected false, checking every 0.01 s on the given clock', function () {
    const clock = new Clock();
    const a = new AccumulatingProtocol();
    const b = new AccumulatingProtocol();
    const ta = new StringTransportWithDisconnection({ protocol: a });
    const tb = new StringTransportWithDisconnection({ protocol: b });
    a.makeConnection(ta);
    b.makeConnection(tb);
    const d = waitUntilAllDisconnected(clock, [a, b]);
    assertNoResult(d);
    ta.loseConnection();
    clock.advance(0.01);
    assertNoResult(d);
    tb.loseConnection();
    clock.advance(0.01);
    expect(successResultOf(d)).to.equal(undefined);
    expect(clock.getDelayedCalls()).to.deep.equal([]);
  });
});

describe('types of the doubles', function () {
  it('a string write is a compile-time error too; MemoryReactorClock is an IReactorTCP, IReactorUNIX and IReactorTime; connectedServerAndClient is typed', function () {
    const t = new StringTransport();
    // @ts-expect-error a string is not bytes
    expect(() => t.write('x')).to.throw(TypeError);
    const reactor: IReactorTCP & IReactorUNIX & IReactorTime = new MemoryReactorClock();
    expect(reactor.seconds()).to.equal(0);
    const plain: IReactorTCP & IReactorUNIX = new MemoryReactor();
    expect(plain).to.be.instanceOf(MemoryReactor);
    const [client, server] = connectedServerAndClient(Protocol, AccumulatingProtocol);
    const data: Buffer = client.data;
    // @ts-expect-error the server is a plain Protocol, with no data
    void server.data;
    expect(data.length).to.equal(0);
  });
});
