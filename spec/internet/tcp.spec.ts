// Port of twisted/test/test_tcp.py (Twisted 22.4): ListeningTests, LoopbackTests, FactoryTests,
// CannotBindTests, LocalRemoteAddressTests, WriteDataTests, AddressTests, LargeBufferTests,
// LogTests, PauseProducingTests, CallBackOrderTests; real sockets on 127.0.0.1.
import { expect } from 'chai';
import * as net from 'node:net';
import { constants } from 'node:os';
import { Failure } from '../../lib/failure/index.js';
import { IPv4Address } from '../../lib/address/index.js';
import { CannotListenError, ConnectBindError, ConnectionRefusedError } from '../../lib/error/index.js';
import { Factory, Protocol } from '../../lib/protocol/index.js';
import type { IConnector } from '../../lib/protocol/index.js';
import { reactor } from '../../lib/reactor/index.js';
import { PortNotBoundError } from '../../lib/internet/errors.js';
import { Cleanup, failureOf, listen, rawConnect, readAll, Recorder, RecordingClientFactory, RecordingFactory, typeName } from './helpers.js';

describe('ListeningTests', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('test_listen: listenTCP returns an IListeningPort at once; whenListening() fires once bound and getHost() gives the real port', async () => {
    const port = reactor.listenTCP(0, Factory.forProtocol(Protocol), { interface: '127.0.0.1' });
    c.ports.push(port);
    expect(port.startListening).to.be.a('function');
    expect(() => port.getHost()).to.throw(PortNotBoundError, /whenListening/);
    const same = await port.whenListening();
    expect(same).to.equal(port);
    const host = port.getHost();
    expect(host).to.be.instanceOf(IPv4Address);
    expect(host.host).to.equal('127.0.0.1');
    expect(host.port).to.be.above(0);
  });

  it('testStopListening: after the stopListening Deferred fires, the port refuses connections', async () => {
    const port = await listen(c, Factory.forProtocol(Protocol));
    const n = port.getHost().port;
    const d = port.stopListening()!;
    expect(d.called).to.equal(false);
    await d;
    const err = await new Promise<string>((resolve) => {
      const s = net.connect(n, '127.0.0.1');
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? ''));
      s.on('connect', () => {
        s.destroy();
        resolve('connected');
      });
    });
    expect(err).to.equal('ECONNREFUSED');
    expect(port.stopListening()).to.equal(null);
    expect(() => port.getHost()).to.throw(PortNotBoundError);
  });

  it('testNumberedInterface: a numbered interface is the host getHost() reports', async () => {
    const port = await listen(c, Factory.forProtocol(Protocol), '127.0.0.1');
    expect(port.getHost().host).to.equal('127.0.0.1');
  });

  it("test_listenDefaultInterface: interface '' binds IPv4 0.0.0.0, as in Twisted (not Node's dual-stack '::')", async () => {
    const port = await listen(c, Factory.forProtocol(Protocol), '');
    const host = port.getHost();
    expect(host).to.be.instanceOf(IPv4Address);
    expect(host.host).to.equal('0.0.0.0');
  });

  it('testPortRepr: the port string names the real port while listening, and says so when not', async () => {
    const port = await listen(c, Factory.forProtocol(Protocol));
    expect(String(port)).to.contain(String(port.getHost().port));
    await port.stopListening();
    expect(String(port)).to.contain('not listening');
  });

  it('test_serverRepr: a server transport string names the port it was accepted on', async () => {
    const f = new RecordingFactory(() => new Recorder());
    const port = await listen(c, f);
    await rawConnect(c, port.getHost().port);
    const p = await f.next;
    expect(String(p.transport)).to.contain(String(port.getHost().port));
  });

  it('test_restartListening: a stopped port number can be listened on again and serves clients', async () => {
    const f = new RecordingFactory(() => new Recorder());
    const port = await listen(c, f);
    const n = port.getHost().port;
    await port.stopListening();
    const again = reactor.listenTCP(n, f, { interface: '127.0.0.1' });
    c.ports.push(again);
    await again.whenListening();
    await rawConnect(c, n);
    const p = await f.next;
    await p.made;
  });

  it('test_exceptInStop: a stopFactory that raises fails the stopListening Deferred with its error', async () => {
    class F extends Factory<Protocol> {
      override stopFactory(): void {
        throw new RangeError('stop boom');
      }
    }
    const port = await listen(c, F.forProtocol(Protocol) as F);
    const r = await failureOf(port.stopListening()!);
    expect(r!.value).to.be.instanceOf(RangeError);
    expect(c.log.errors(RangeError)).to.have.length(1);
  });

  it('test_restartAfterExcept: after a stopFactory that raised, the port is sane and the number can be reused', async () => {
    let raise = true;
    class F extends Factory<Protocol> {
      override stopFactory(): void {
        if (raise) throw new RangeError('stop boom');
      }
    }
    const f = F.forProtocol(Protocol) as F;
    const port = await listen(c, f);
    const n = port.getHost().port;
    await failureOf(port.stopListening()!);
    raise = false;
    const again = reactor.listenTCP(n, f, { interface: '127.0.0.1' });
    c.ports.push(again);
    await again.whenListening();
    expect(again.getHost().port).to.equal(n);
  });

  it('test_stopListeningTwiceWhilePending: a second stopListening() while the first is pending returns the same Deferred', async () => {
    const port = await listen(c, Factory.forProtocol(Protocol));
    const d1 = port.stopListening();
    expect(port.stopListening()).to.equal(d1);
    await d1;
  });

  it('test_stopListeningKeepsConnections: connections already open go on after stopListening (Node would wait for them)', async () => {
    const f = new RecordingFactory(() => new Recorder());
    const port = await listen(c, f);
    const s = await rawConnect(c, port.getHost().port);
    const p = await f.next;
    await p.made;
    await port.stopListening();
    s.write('still here');
    await new Promise<void>((r) => {
      const check = (): void => {
        if (p.received().toString() === 'still here') r();
        else setTimeout(check, 2);
      };
      check();
    });
    expect(p.connected).to.equal(true);
  });
});

describe('LoopbackTests', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('test_closePortInProtocolFactory: a port can be connected to with connectTCP, and closed from the client factory', async () => {
    const port = await listen(c, Factory.forProtocol(Protocol));
    const cf = new RecordingClientFactory(() => new Recorder());
    reactor.connectTCP('127.0.0.1', port.getHost().port, cf);
    const p = await cf.protocolD;
    await p.made;
    await port.stopListening();
    p.transport!.loseConnection();
    await cf.done;
  });

  for (const [name, get, set] of [
    ['test_tcpNoDelay', 'getTcpNoDelay', 'setTcpNoDelay'],
    ['test_tcpKeepAlive', 'getTcpKeepAlive', 'setTcpKeepAlive'],
  ] as const) {
    it(`${name}: both transports report the option off, then on after ${set}(true), then off again`, async () => {
      const f = new RecordingFactory(() => new Recorder());
      const port = await listen(c, f);
      const cf = new RecordingClientFactory(() => new Recorder());
      reactor.connectTCP('127.0.0.1', port.getHost().port, cf);
      const client = await (await cf.protocolD).made;
      const server = await (await f.next).made;
      for (const p of [client, server]) {
        const t = p.tcp;
        expect(t[get]()).to.equal(false);
        t[set](true);
        expect(t[get]()).to.equal(true);
        t[set](false);
        expect(t[get]()).to.equal(false);
      }
      client.transport!.loseConnection();
      await server.lost;
    });
  }

  it('testFailing: connecting to a closed port calls clientConnectionFailed with ConnectionRefusedError, then stopFactory', async () => {
    const free = await freePort();
    const cf = new RecordingClientFactory(() => new Recorder());
    reactor.connectTCP('127.0.0.1', free, cf);
    const reason = await cf.done;
    expect(reason.value).to.be.instanceOf(ConnectionRefusedError);
    expect(reason.getErrorMessage()).to.equal('Connection was refused by other side: 111: Connection refused.');
    expect(cf.events).to.deep.equal(['startFactory', 'startedConnecting', 'clientConnectionFailed ConnectionRefusedError', 'stopFactory']);
  });

  it('test_connectionRefusedErrorNumber: the ConnectionRefusedError carries ECONNREFUSED', async () => {
    const free = await freePort();
    const cf = new RecordingClientFactory(() => new Recorder());
    reactor.connectTCP('127.0.0.1', free, cf);
    const reason = await cf.done;
    expect((reason.value as ConnectionRefusedError).osError).to.equal(constants.errno.ECONNREFUSED);
  });
});

describe('FactoryTests', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('test_serverStartStop: one factory on two ports starts once (on the first bind) and stops once (after the last port)', async () => {
    const f = new RecordingFactory(() => new Recorder());
    const p1 = await listen(c, f);
    expect(f.events).to.deep.equal(['startFactory']);
    const p2 = await listen(c, f);
    expect(f.events).to.deep.equal(['startFactory']);
    await p1.stopListening();
    expect(f.events).to.deep.equal(['startFactory']);
    await p2.stopListening();
    expect(f.events).to.deep.equal(['startFactory', 'stopFactory']);
  });

  it('test_clientStartStop: a client factory starts when the attempt starts (synchronously) and stops when it is over', async () => {
    const port = await listen(c, Factory.forProtocol(Protocol));
    const cf = new RecordingClientFactory(() => new Recorder());
    reactor.connectTCP('127.0.0.1', port.getHost().port, cf);
    expect(cf.events).to.deep.equal(['startFactory', 'startedConnecting']);
    const p = await (await cf.protocolD).made;
    p.transport!.loseConnection();
    await cf.done;
    expect(cf.events.at(-1)).to.equal('stopFactory');
  });
});

describe('CannotBindTests', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('test_cannotBind: listening on a busy port fails whenListening() with CannotListenError naming the interface, port and errno', async () => {
    const port = await listen(c, Factory.forProtocol(Protocol));
    const n = port.getHost().port;
    const f = new RecordingFactory(() => new Recorder());
    const second = reactor.listenTCP(n, f, { interface: '127.0.0.1' });
    const failure = await failureOf(second.whenListening());
    const err = failure!.value as CannotListenError;
    expect(err).to.be.instanceOf(CannotListenError);
    expect(err.port).to.equal(n);
    expect(err.interface).to.equal('127.0.0.1');
    expect(err.message).to.equal(`Couldn't listen on 127.0.0.1:${n}: [Errno 98] Address already in use.`);
    expect(f.events).to.deep.equal([]);
    expect(c.log.errors()).to.have.length(0);
  });

  it('test_cannotBindUnwatched: a bind failure nobody waits for is logged, never silent', async () => {
    const port = await listen(c, Factory.forProtocol(Protocol));
    const second = reactor.listenTCP(port.getHost().port, Factory.forProtocol(Protocol), { interface: '127.0.0.1' });
    await new Promise((r) => setTimeout(r, 20));
    expect(c.log.errors(CannotListenError)).to.have.length(1);
    const late = await failureOf(second.whenListening());
    expect(late!.value).to.be.instanceOf(CannotListenError);
  });

  it('test_clientBind: a bindAddress in use fails the attempt with ConnectBindError', async () => {
    const port = await listen(c, Factory.forProtocol(Protocol));
    const busy = await listen(c, Factory.forProtocol(Protocol));
    const cf = new RecordingClientFactory(() => new Recorder());
    reactor.connectTCP('127.0.0.1', port.getHost().port, cf, { bindAddress: ['127.0.0.1', busy.getHost().port] });
    const reason = await cf.done;
    expect(reason.value).to.be.instanceOf(ConnectBindError);
    expect(reason.getErrorMessage()).to.equal("Couldn't bind: 98: Address already in use.");
  });

  it('test_badPort: a negative, fractional or string port is refused at once with InvalidPortError', () => {
    const f = Factory.forProtocol(Protocol);
    expect(() => reactor.listenTCP(-1, f)).to.throw(RangeError, /integer from 0 to 65535/);
    expect(() => reactor.listenTCP(1.5, f)).to.throw(RangeError);
    expect(() => reactor.connectTCP('127.0.0.1', 'http' as never, f)).to.throw(RangeError, /service names/);
    expect(() => reactor.connectTCP('127.0.0.1', 70000, f)).to.throw(RangeError);
  });
});

describe('LocalRemoteAddressTests', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it("test_hostAddress: the port's getHost() equals the client transport's getPeer()", async () => {
    const port = await listen(c, Factory.forProtocol(Protocol));
    const cf = new RecordingClientFactory(() => new Recorder());
    reactor.connectTCP('127.0.0.1', port.getHost().port, cf);
    const p = await (await cf.protocolD).made;
    expect(p.transport!.getPeer().equals(port.getHost())).to.equal(true);
    p.transport!.loseConnection();
    await cf.done;
  });
});

describe('WriteDataTests', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('test_writer: write and writeSequence send bytes, in order', async () => {
    class Writer extends Recorder {
      override connectionMade(): void {
        super.connectionMade();
        this.transport!.write(Buffer.from('hello'));
        this.transport!.writeSequence([Buffer.from(' '), Buffer.from('world')]);
        this.transport!.loseConnection();
      }
    }
    const port = await listen(c, new RecordingFactory(() => new Writer()) as never);
    const s = await rawConnect(c, port.getHost().port);
    const { data } = await readAll(s);
    expect(data.toString()).to.equal('hello world');
  });

  it('test_writeAfterShutdownWithoutReading: writing after the peer shut down ends in connectionLost', async () => {
    const f = new RecordingFactory(() => new Recorder());
    const port = await listen(c, f);
    const s = await rawConnect(c, port.getHost().port);
    const p = await (await f.next).made;
    s.resetAndDestroy();
    const big = Buffer.alloc(1 << 20);
    const timer = setInterval(() => p.transport!.write(big), 5);
    try {
      await p.lost;
    } finally {
      clearInterval(timer);
    }
    expect((p.transport as unknown as { connected: boolean }).connected).to.equal(false);
  });

  it('test_writeRefusesStrings: write, writeSequence refuse a string with a TypeError saying to pass bytes', async () => {
    const f = new RecordingFactory(() => new Recorder());
    const port = await listen(c, f);
    await rawConnect(c, port.getHost().port);
    const p = await (await f.next).made;
    expect(() => p.transport!.write('text' as never)).to.throw(TypeError, /Buffer\.from/);
    expect(() => p.transport!.writeSequence([Buffer.from('ok'), 'text' as never])).to.throw(TypeError);
    expect(() => p.transport!.write(null as never)).to.throw(TypeError);
  });
});

describe('AddressTests', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it("test_buildProtocolClient: a client factory's buildProtocol gets the server's address; the server's gets the client's", async () => {
    const f = new RecordingFactory(() => new Recorder());
    const port = await listen(c, f);
    const cf = new RecordingClientFactory(() => new Recorder());
    reactor.connectTCP('127.0.0.1', port.getHost().port, cf);
    const p = await (await cf.protocolD).made;
    const server = await (await f.next).made;
    expect(cf.events).to.contain(`buildProtocol ${String(port.getHost())}`);
    expect(f.addrs[0]!.equals(p.transport!.getHost())).to.equal(true);
    expect(server.transport!.getPeer().equals(p.transport!.getHost())).to.equal(true);
    p.transport!.loseConnection();
    await cf.done;
  });
});

describe('LargeBufferTests', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('testWriter: 8 MiB written then loseConnection(), then more writes: every byte arrives, then a clean close (Node would drop them)', async () => {
    const size = 8 * 1024 * 1024;
    class Big extends Recorder {
      override connectionMade(): void {
        super.connectionMade();
        for (let i = 0; i < 128; i++) this.transport!.write(Buffer.alloc(size / 128, i));
        this.transport!.loseConnection();
        this.transport!.write(Buffer.from('AFTER-LOSE'));
        this.transport!.writeSequence([Buffer.from('-SEQ')]);
      }
    }
    const f = new RecordingFactory(() => new Big());
    const port = await listen(c, f as never);
    const s = await rawConnect(c, port.getHost().port);
    const { data, error } = await readAll(s);
    expect(error).to.equal(null);
    expect(data.length).to.equal(size + 14);
    expect(data.subarray(size).toString()).to.equal('AFTER-LOSE-SEQ');
    const reason = await f.built[0]!.lost;
    expect(typeName(reason)).to.equal('ConnectionDone');
  });
});

describe('LogTests', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it("test_logstrClientSetup: the client transport's logPrefix names the protocol once connected", async () => {
    const port = await listen(c, Factory.forProtocol(Protocol));
    class Named extends Recorder {}
    const cf = new RecordingClientFactory(() => new Named());
    reactor.connectTCP('127.0.0.1', port.getHost().port, cf);
    const p = await (await cf.protocolD).made;
    expect((p.transport as unknown as { logPrefix(): string }).logPrefix()).to.equal('Named,client');
    p.transport!.loseConnection();
    await cf.done;
  });
});

describe('PauseProducingTests', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('test_pauseProducingInConnectionMade: a client that pauses its transport in connectionMade gets no data until it resumes', async () => {
    class Pauser extends Recorder {
      override connectionMade(): void {
        super.connectionMade();
        this.tcp.pauseProducing();
      }
    }
    class Sender extends Protocol {
      override connectionMade(): void {
        this.transport!.write(Buffer.from('data'));
      }
    }
    const port = await listen(c, Factory.forProtocol(Sender));
    const cf = new RecordingClientFactory(() => new Pauser());
    reactor.connectTCP('127.0.0.1', port.getHost().port, cf);
    const p = await (await cf.protocolD).made;
    await new Promise((r) => setTimeout(r, 30));
    expect(p.data).to.have.length(0);
    (p.tcp as unknown as { resumeProducing(): void }).resumeProducing();
    await new Promise<void>((r) => {
      const check = (): void => (p.data.length > 0 ? r() : void setTimeout(check, 2));
      check();
    });
    expect(p.received().toString()).to.equal('data');
    p.transport!.loseConnection();
    await cf.done;
  });
});

describe('CallBackOrderTests', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it("test_loseOrder: the protocol's connectionLost runs before the factory's clientConnectionLost", async () => {
    const order: string[] = [];
    class P extends Protocol {
      override connectionMade(): void {
        this.transport!.loseConnection();
      }
      override connectionLost(): void {
        order.push('connectionLost');
      }
    }
    const port = await listen(c, Factory.forProtocol(Protocol));
    const cf = new RecordingClientFactory(() => new P() as never);
    const orig = cf.clientConnectionLost.bind(cf);
    cf.clientConnectionLost = (conn: unknown, reason: Failure) => {
      order.push('clientConnectionLost');
      orig(conn, reason);
    };
    reactor.connectTCP('127.0.0.1', port.getHost().port, cf);
    await cf.done;
    expect(order).to.deep.equal(['connectionLost', 'clientConnectionLost']);
  });
});

describe('ConnectorCallbackOrder', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('test_connectOrder: startFactory and startedConnecting run inside connectTCP; the attempt comes later; then buildProtocol(server address), connectionMade, connectionLost, clientConnectionLost, stopFactory', async () => {
    const port = await listen(c, Factory.forProtocol(Protocol));
    const cf = new RecordingClientFactory(() => new Recorder());
    const connector = reactor.connectTCP('127.0.0.1', port.getHost().port, cf);
    expect(connector.state).to.equal('connecting');
    expect(cf.events).to.deep.equal(['startFactory', 'startedConnecting']);
    const p = await (await cf.protocolD).made;
    expect(connector.state).to.equal('connected');
    p.transport!.loseConnection();
    await cf.done;
    expect(cf.events).to.deep.equal([
      'startFactory',
      'startedConnecting',
      `buildProtocol ${String(port.getHost())}`,
      'clientConnectionLost ConnectionDone',
      'stopFactory',
    ]);
    expect(p.events).to.deep.equal(['made', 'lost ConnectionDone']);
    expect(connector.state).to.equal('disconnected');
  });

  it('test_dnsFailure: an unresolvable host name fails with DNSLookupError', async () => {
    const cf = new RecordingClientFactory(() => new Recorder());
    reactor.connectTCP('no-such-host.invalid', 80, cf);
    const reason = await cf.done;
    expect(typeName(reason)).to.equal('DNSLookupError');
    expect(reason.getErrorMessage()).to.equal('DNS lookup failed: no-such-host.invalid.');
  });

  it('test_localhostIsIPv4: a host name is resolved to IPv4, as Twisted does (localhost reaches a 127.0.0.1 port)', async () => {
    const port = await listen(c, Factory.forProtocol(Protocol));
    const cf = new RecordingClientFactory(() => new Recorder());
    reactor.connectTCP('localhost', port.getHost().port, cf);
    const p = await (await cf.protocolD).made;
    expect(p.transport!.getPeer()).to.be.instanceOf(IPv4Address);
    p.transport!.loseConnection();
    await cf.done;
  });

  it('test_connectTimeout: an attempt not connected when its timeout expires fails with TimeoutError, and the late connection is dropped', async () => {
    const f = new RecordingFactory(() => new Recorder());
    const port = await listen(c, f);
    const cf = new RecordingClientFactory(() => new Recorder());
    // timeout 0: the timeout call runs in the same reactor pass as the attempt, before the handshake completes.
    const connector = reactor.connectTCP('127.0.0.1', port.getHost().port, cf, { timeout: 0 });
    const reason = await cf.done;
    expect(typeName(reason)).to.equal('TimeoutError');
    expect(reason.getErrorMessage()).to.equal('User timeout caused connection failure.');
    expect((connector as IConnector).state).to.equal('disconnected');
    expect(cf.built).to.have.length(0);
    expect(cf.events).to.deep.equal(['startFactory', 'startedConnecting', 'clientConnectionFailed TimeoutError', 'stopFactory']);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const n = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(n));
    });
  });
}

export { freePort };
