// Port of twisted/test/test_iosim.py (Twisted 22.4): FakeTransportTests, StrictPushProducerTests,
// IOPumpTests; plus connectedServerAndClient, IOPump.flush/pump and ConnectionCompleter as
// twisted.test.iosim behaves under /usr/bin/python3.
import { expect } from 'chai';
import sinon from 'sinon';
import { IPv4Address } from '../../lib/address/index.js';
import { ConnectionDone, ConnectionRefusedError, UserError } from '../../lib/error/index.js';
import { Failure } from '../../lib/failure/index.js';
import { ClientFactory, Factory, Protocol, type IConnector, type IPushProducer } from '../../lib/protocol/index.js';
import {
  AccumulatingProtocol,
  ConnectionCompleter,
  FailTest,
  FakeAddress,
  FakeTransport,
  IOPump,
  MemoryReactorClock,
  NonStreamingProducer,
  connectedServerAndClient,
  iosimConnect,
  makeFakeClient,
  makeFakeServer,
} from '../../lib/testing/index.js';

describe('FakeTransportTests', function () {
  it('test_connectionSerial: each FakeTransport has a unique integer serial', function () {
    const a = new FakeTransport(new Protocol(), true);
    const b = new FakeTransport(new Protocol(), false);
    expect(Number.isInteger(a.serial) && Number.isInteger(b.serial)).to.equal(true);
    expect(a.serial).to.not.equal(b.serial);
    expect(String(a)).to.equal(`FakeTransport<S,${a.serial},Protocol>`);
    expect(String(b)).to.equal(`FakeTransport<C,${b.serial},Protocol>`);
  });

  it('test_writeSequence: writeSequence writes the concatenation of the chunks', function () {
    const a = new FakeTransport(new Protocol(), false);
    a.write(Buffer.from('a'));
    a.writeSequence([Buffer.from('b'), Buffer.from('c'), Buffer.from('d')]);
    expect(Buffer.concat(a.stream).toString()).to.equal('abcd');
  });

  it('test_writeAfterClose: writes after loseConnection are accepted and dropped', function () {
    const a = new FakeTransport(new Protocol(), false);
    a.write(Buffer.from('before'));
    a.loseConnection();
    a.write(Buffer.from('after'));
    expect(Buffer.concat(a.stream).toString()).to.equal('before');
  });

  it('write and writeSequence refuse strings with a TypeError saying to pass bytes, queueing nothing', function () {
    const a = new FakeTransport(new Protocol(), false);
    expect(() => a.write('x' as never)).to.throw(TypeError, /Data must be bytes.*Buffer\.from/);
    expect(() => a.writeSequence('xy' as never)).to.throw(TypeError, /Data must be bytes/);
    expect(() => a.writeSequence([Buffer.from('ok'), 1 as never])).to.throw(TypeError, /Data must be bytes/);
    expect(a.stream).to.deep.equal([]);
  });

  it('write keeps a copy: reusing the written buffer changes nothing', function () {
    const a = new FakeTransport(new Protocol(), false);
    const chunk = Buffer.from('abc');
    a.write(chunk);
    chunk.fill(0);
    expect(a.getOutBuffer()!.toString()).to.equal('abc');
    expect(a.getOutBuffer()).to.equal(null);
  });

  it('addresses default to distinct FakeAddresses; given ones are returned', function () {
    const a = new FakeTransport(new Protocol(), false);
    expect(a.getHost()).to.be.instanceOf(FakeAddress);
    expect(a.getPeer()).to.be.instanceOf(FakeAddress);
    expect(a.getHost()).to.not.equal(a.getPeer());
    const host = new IPv4Address('TCP', '127.0.0.1', 1);
    const peer = new IPv4Address('TCP', '127.0.0.1', 2);
    const b = new FakeTransport(new Protocol(), true, { hostAddress: host, peerAddress: peer });
    expect([b.getHost(), b.getPeer()]).to.deep.equal([host, peer]);
    expect(b.logPrefix()).to.equal('iosim');
  });

  it('a second registerProducer is a ProducerRegisteredError (the first stays); a pull producer is resumed at once', function () {
    const t = new FakeTransport(new Protocol(), false);
    const producer = new NonStreamingProducer(t);
    t.registerProducer(producer, false);
    expect(producer.counter).to.equal(1);
    const other: IPushProducer = { pauseProducing() {}, resumeProducing() {}, stopProducing() {} };
    expect(() => t.registerProducer(other, true)).to.throw(Error, /was never unregistered/);
    expect(t.producer).to.equal(producer);
  });

  it('abortConnection is loseConnection (nothing queued is dropped); stopProducing loses the connection', function () {
    const t = new FakeTransport(new Protocol(), false);
    t.write(Buffer.from('queued'));
    t.abortConnection();
    expect(t.disconnecting).to.equal(true);
    expect(t.getOutBuffer()!.toString()).to.equal('queued');
    const u = new FakeTransport(new Protocol(), false);
    u.stopProducing();
    expect(u.disconnecting).to.equal(true);
  });

  it('TCP options are recorded and read back', function () {
    const t = new FakeTransport(new Protocol(), false);
    t.setTcpNoDelay(true);
    t.setTcpKeepAlive(true);
    expect([t.getTcpNoDelay(), t.getTcpKeepAlive()]).to.deep.equal([true, true]);
  });
});

/** An IPushProducer that enforces its state transitions, as test_iosim's StrictPushProducer. */
class StrictPushProducer implements IPushProducer {
  _state: 'running' | 'paused' | 'stopped' = 'running';
  stopProducing(): void {
    if (this._state === 'stopped') throw new RangeError('Cannot stop already-stopped IPushProducer');
    this._state = 'stopped';
  }
  pauseProducing(): void {
    if (this._state !== 'running') throw new RangeError(`Cannot pause ${this._state} IPushProducer`);
    this._state = 'paused';
  }
  resumeProducing(): void {
    if (this._state !== 'paused') throw new RangeError(`Cannot resume ${this._state} IPushProducer`);
    this._state = 'running';
  }
}

describe('StrictPushProducerTests', function () {
  const initial = (): StrictPushProducer => new StrictPushProducer();
  const stopped = (): StrictPushProducer => {
    const p = new StrictPushProducer();
    p.stopProducing();
    return p;
  };
  const paused = (): StrictPushProducer => {
    const p = new StrictPushProducer();
    p.pauseProducing();
    return p;
  };
  const resumed = (): StrictPushProducer => {
    const p = new StrictPushProducer();
    p.pauseProducing();
    p.resumeProducing();
    return p;
  };

  it('test_stopThenStop: stopProducing on a stopped producer throws', function () {
    expect(() => stopped().stopProducing()).to.throw(RangeError);
  });
  it('test_stopThenPause: pauseProducing on a stopped producer throws', function () {
    expect(() => stopped().pauseProducing()).to.throw(RangeError);
  });
  it('test_stopThenResume: resumeProducing on a stopped producer throws', function () {
    expect(() => stopped().resumeProducing()).to.throw(RangeError);
  });
  it('test_pauseThenStop: a paused producer can be stopped', function () {
    const p = paused();
    p.stopProducing();
    expect(p._state).to.equal('stopped');
  });
  it('test_pauseThenPause: pauseProducing on a paused producer throws', function () {
    expect(() => paused().pauseProducing()).to.throw(RangeError);
  });
  it('test_pauseThenResume: a paused producer can be resumed', function () {
    const p = paused();
    p.resumeProducing();
    expect(p._state).to.equal('running');
  });
  it('test_resumeThenStop: a resumed producer can be stopped', function () {
    const p = resumed();
    p.stopProducing();
    expect(p._state).to.equal('stopped');
  });
  it('test_resumeThenPause: a resumed producer can be paused', function () {
    const p = resumed();
    p.pauseProducing();
    expect(p._state).to.equal('paused');
  });
  it('test_resumeThenResume: resumeProducing on a resumed producer throws', function () {
    expect(() => resumed().resumeProducing()).to.throw(RangeError);
  });
  it('test_stop: a new producer can be stopped', function () {
    const p = initial();
    p.stopProducing();
    expect(p._state).to.equal('stopped');
  });
  it('test_pause: a new producer can be paused', function () {
    const p = initial();
    p.pauseProducing();
    expect(p._state).to.equal('paused');
  });
  it('test_resume: resumeProducing on a new producer throws', function () {
    expect(() => initial().resumeProducing()).to.throw(RangeError);
  });
});

describe('IOPumpTests', function () {
  function testStreamingProducer(mode: 'server' | 'client'): void {
    const serverProto = new Protocol();
    const serverTransport = new FakeTransport(serverProto, true);
    const clientProto = new Protocol();
    const clientTransport = new FakeTransport(clientProto, false);
    const pump = iosimConnect(serverProto, serverTransport, clientProto, clientTransport, { greet: false });
    const producer = new StrictPushProducer();
    const victim = mode === 'server' ? serverTransport : clientTransport;
    victim.registerProducer(producer, true);
    pump.pump();
    expect(producer._state).to.equal('running');
  }

  it('test_serverStreamingProducer: pump() never resumes a push producer registered on the server transport', function () {
    testStreamingProducer('server');
  });

  it('test_clientStreamingProducer: pump() never resumes a push producer registered on the client transport', function () {
    testStreamingProducer('client');
  });
});

class Greeter extends Protocol {
  override connectionMade(): void {
    this.transport!.write(Buffer.from('hello'));
  }
}

describe('connectedServerAndClient', function () {
  it('returns [client, server, pump]; with greet, what connectionMade wrote has arrived', function () {
    const [client, server, pump] = connectedServerAndClient(Greeter, AccumulatingProtocol);
    expect(client).to.be.instanceOf(AccumulatingProtocol);
    expect(server).to.be.instanceOf(Greeter);
    expect(pump).to.be.instanceOf(IOPump);
    expect([pump.client, pump.server]).to.deep.equal([client, server]);
    expect(client.data.toString()).to.equal('hello');
    expect((server.transport as FakeTransport).isServer).to.equal(true);
    expect((client.transport as FakeTransport).isServer).to.equal(false);
  });

  it('with greet false, nothing moves until the test pumps; makeConnection runs on the server first', function () {
    const order: string[] = [];
    class S extends Greeter {
      override connectionMade(): void {
        order.push('server');
        super.connectionMade();
      }
    }
    class C extends AccumulatingProtocol {
      override connectionMade(): void {
        order.push('client');
        super.connectionMade();
      }
    }
    const [client, , pump] = connectedServerAndClient(S, C, { greet: false });
    expect(order).to.deep.equal(['server', 'client']);
    expect(client.data.length).to.equal(0);
    expect(pump.pump()).to.equal(true);
    expect(client.data.toString()).to.equal('hello');
    expect(pump.pump()).to.equal(false);
    expect(pump.flush()).to.equal(false);
  });

  it('a conversation runs to the end with flush(); a close reaches the peer as ConnectionDone("Connection done")', function () {
    class Echo extends Protocol {
      override dataReceived(data: Buffer): void {
        this.transport!.write(data);
        if (data.toString().endsWith('bye')) this.transport!.loseConnection();
      }
    }
    const [client, server, pump] = connectedServerAndClient(Echo, AccumulatingProtocol);
    client.transport!.write(Buffer.from('ping '));
    client.transport!.write(Buffer.from('bye'));
    expect(pump.flush()).to.equal(true);
    expect(client.data.toString()).to.equal('ping bye');
    expect(client.closed).to.equal(true);
    expect(client.closedReason!.check(ConnectionDone)).to.equal(ConnectionDone);
    expect(client.closedReason!.getErrorMessage()).to.equal('Connection was closed cleanly: Connection done.');
    expect((server.transport as FakeTransport).disconnected).to.equal(true);
    expect((client.transport as FakeTransport).disconnecting).to.equal(true);
  });

  it('a close is told to the peer on one pump and back to the closing side on the next', function () {
    class Closer extends AccumulatingProtocol {
      override connectionMade(): void {
        this.transport!.loseConnection();
      }
    }
    const [client, server, pump] = connectedServerAndClient(Closer, AccumulatingProtocol, { greet: false });
    expect(pump.pump()).to.equal(true);
    expect([client.closed, server.closed]).to.deep.equal([true, false]);
    expect(pump.pump()).to.equal(true);
    expect([client.closed, server.closed]).to.deep.equal([true, true]);
    expect(server.closedReason!.getErrorMessage()).to.equal('Connection was closed cleanly: Connection done.');
    expect(pump.pump()).to.equal(false);
  });

  it('a pull producer is resumed at every pump', function () {
    const [client, server, pump] = connectedServerAndClient(Protocol, AccumulatingProtocol);
    const producer = new NonStreamingProducer(server.transport as FakeTransport);
    (server.transport as FakeTransport).registerProducer(producer, false);
    pump.flush();
    expect(client.data.toString()).to.equal('0123456789');
    expect((server.transport as FakeTransport).producer).to.equal(null);
  });

  it('flush() throws FailTest "Too long" when the protocols never stop talking', function () {
    class Chatty extends Protocol {
      override connectionMade(): void {
        this.transport!.write(Buffer.from('x'));
      }
      override dataReceived(data: Buffer): void {
        this.transport!.write(data);
      }
    }
    const [, , pump] = connectedServerAndClient(Chatty, Chatty, { greet: false });
    expect(() => pump.flush()).to.throw(FailTest, /Too long/);
  });

  it('debug prints the traffic of each pump', function () {
    const log = sinon.stub(console, 'log');
    try {
      const [, , pump] = connectedServerAndClient(Greeter, Protocol, { greet: false });
      pump.pump(true);
    } finally {
      log.restore();
    }
    expect(log.args.map((a) => a[0])).to.deep.equal(['-- GLUG --', '.', "S: b'hello'"]);
  });

  it('custom transport factories are used', function () {
    const made: FakeTransport[] = [];
    const [client] = connectedServerAndClient(Greeter, AccumulatingProtocol, {
      clientTransportFactory: (p) => {
        const t = makeFakeClient(p);
        made.push(t);
        return t;
      },
      serverTransportFactory: (p) => makeFakeServer(p),
    });
    expect(made).to.deep.equal([client.transport]);
  });
});

describe('ConnectionCompleter', function () {
  it('succeedOnce connects the first connectTCP matching a listenTCP port, building both protocols', function () {
    const reactor = new MemoryReactorClock();
    reactor.listenTCP(4321, Factory.forProtocol(Greeter));
    const clientFactory = new ClientFactory<AccumulatingProtocol>();
    clientFactory.protocol = AccumulatingProtocol;
    reactor.connectUNIX('/x', new ClientFactory()); // a UNIX connector does not confuse it
    reactor.connectTCP('127.0.0.1', 1234, new ClientFactory());
    reactor.connectTCP('127.0.0.1', 4321, clientFactory);
    const completer = new ConnectionCompleter(reactor);
    const pump = completer.succeedOnce()!;
    expect(pump).to.be.instanceOf(IOPump);
    const client = pump.client as AccumulatingProtocol;
    expect(client.data.toString()).to.equal('hello');
    expect(client.factory).to.equal(clientFactory);
    expect(reactor.tcpClients.map((c) => c[1])).to.deep.equal([1234]);
    expect(reactor.connectors.map((c) => String(c.getDestination()))).to.deep.equal([
      "UNIXAddress('/x')",
      "IPv4Address(type='TCP', host='127.0.0.1', port=1234)",
    ]);
    expect(completer.succeedOnce()).to.equal(null);
  });

  it('failOnce fails the first attempt through clientConnectionFailed (ConnectionRefusedError by default)', function () {
    const reactor = new MemoryReactorClock();
    const failures: [IConnector, Failure][] = [];
    class F extends ClientFactory {
      override clientConnectionFailed(connector: IConnector, reason: Failure): void {
        failures.push([connector, reason]);
      }
    }
    const c1 = reactor.connectTCP('127.0.0.1', 1, new F());
    const c2 = reactor.connectTCP('127.0.0.1', 2, new F());
    const completer = new ConnectionCompleter(reactor);
    completer.failOnce();
    expect(failures[0][0]).to.equal(c1);
    expect(failures[0][1].check(ConnectionRefusedError)).to.equal(ConnectionRefusedError);
    completer.failOnce(new Failure(new UserError()));
    expect(failures[1][0]).to.equal(c2);
    expect(failures[1][1].check(UserError)).to.equal(UserError);
    expect(reactor.tcpClients).to.deep.equal([]);
    expect(() => completer.failOnce()).to.throw(FailTest, /no connection attempt/);
  });
});
