// Port of twisted/internet/test/test_endpoints.py (Twisted 22.4): TCP4EndpointsTests and
// TCP6EndpointsTests (ClientEndpointTestCaseMixin, ServerEndpointTestCaseMixin),
// WrappingFactoryTests, ConnectProtocolTests, HostnameEndpoint, ParserTests, ServerStringTests,
// ClientStringTests; real sockets on 127.0.0.1 and ::1.
import { expect } from 'chai';
import { Deferred } from '../../lib/defer/index.js';
import { Failure } from '../../lib/failure/index.js';
import { IPv4Address } from '../../lib/address/index.js';
import { CannotListenError, ConnectingCancelledError, ConnectionRefusedError, NoProtocol } from '../../lib/error/index.js';
import { ClientFactory, Factory, Protocol } from '../../lib/protocol/index.js';
import type { IAddress, IListeningPort, IProtocol } from '../../lib/protocol/index.js';
import { reactor } from '../../lib/reactor/index.js';
import {
  clientFromString,
  connectProtocol,
  EndpointDescriptionError,
  HostnameEndpoint,
  parse,
  quoteStringArgument,
  registerClientParser,
  registerServerParser,
  serverFromString,
  TCP4ClientEndpoint,
  TCP4ServerEndpoint,
  TCP6ClientEndpoint,
  TCP6ServerEndpoint,
  UnknownEndpointTypeError,
  UNIXClientEndpoint,
  UNIXServerEndpoint,
  _WrappingFactory,
  _WrappingProtocol,
} from '../../lib/endpoints/index.js';
import type { Port } from '../../lib/internet/tcp.js';
import { Cleanup, failureOf, freePort, Recorder, RecordingFactory, sleep } from '../internet/helpers.js';

const closedPort = freePort;

describe('TCP4EndpointsTests', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('test_endpointListenSuccess: listen() fires once the port is bound, with a port whose getHost() is the real address', async () => {
    const f = new RecordingFactory(() => new Recorder());
    const d = new TCP4ServerEndpoint(reactor, 0, { interface: '127.0.0.1' }).listen(f);
    const port = (await d) as Port;
    c.ports.push(port);
    expect(port.getHost()).to.be.instanceOf(IPv4Address);
    expect(port.getHost().port).to.be.above(0);
    expect(f.events).to.deep.equal(['startFactory']);
  });

  it('test_endpointListenFailure: listen() on a busy port fails with CannotListenError', async () => {
    const first = (await new TCP4ServerEndpoint(reactor, 0, { interface: '127.0.0.1' }).listen(Factory.forProtocol(Protocol))) as Port;
    c.ports.push(first);
    const f = await failureOf(new TCP4ServerEndpoint(reactor, first.getHost().port, { interface: '127.0.0.1' }).listen(Factory.forProtocol(Protocol)));
    expect(f!.value).to.be.instanceOf(CannotListenError);
    expect(c.log.errors()).to.have.length(0);
  });

  it('test_endpointConnectSuccess: connect() fires with the protocol inside connectionMade, after its own connectionMade', async () => {
    const port = (await new TCP4ServerEndpoint(reactor, 0, { interface: '127.0.0.1' }).listen(Factory.forProtocol(Protocol))) as Port;
    c.ports.push(port);
    const order: string[] = [];
    class P extends Protocol {
      override connectionMade(): void {
        order.push('connectionMade');
      }
    }
    const d = new TCP4ClientEndpoint(reactor, '127.0.0.1', port.getHost().port).connect(Factory.forProtocol(P));
    d.addCallback((p: IProtocol) => {
      order.push('fired');
      return p;
    });
    order.push('connect returned');
    const p = await d;
    expect(p).to.be.instanceOf(P);
    expect(order).to.deep.equal(['connect returned', 'connectionMade', 'fired']);
    (p as P).transport!.loseConnection();
  });

  it('test_endpointConnectFailure: a refused connection fails connect() with ConnectionRefusedError', async () => {
    const f = await failureOf(new TCP4ClientEndpoint(reactor, '127.0.0.1', await closedPort()).connect(Factory.forProtocol(Protocol)));
    expect(f!.value).to.be.instanceOf(ConnectionRefusedError);
  });

  it('test_endpointConnectingCancelled: cancel() while connecting fails with ConnectingCancelledError(destination) and stops the attempt', async () => {
    const port = (await new TCP4ServerEndpoint(reactor, 0, { interface: '127.0.0.1' }).listen(new RecordingFactory(() => new Recorder()))) as Port;
    c.ports.push(port);
    const cf = ClientFactory.forProtocol(Recorder);
    let built = 0;
    const orig = cf.buildProtocol.bind(cf);
    cf.buildProtocol = (a: IAddress) => {
      built++;
      return orig(a);
    };
    const d = new TCP4ClientEndpoint(reactor, '127.0.0.1', port.getHost().port).connect(cf);
    d.cancel();
    const f = await failureOf(d);
    const err = f!.value as ConnectingCancelledError;
    expect(err).to.be.instanceOf(ConnectingCancelledError);
    expect((err.address as IPv4Address).equals(new IPv4Address('TCP', '127.0.0.1', port.getHost().port))).to.equal(true);
    await sleep(30);
    expect(built).to.equal(0);
  });

  it("test_clientFactoryHooksNotCalled: a client endpoint calls the factory's doStart/doStop but none of ClientFactory's hooks", async () => {
    const port = (await new TCP4ServerEndpoint(reactor, 0, { interface: '127.0.0.1' }).listen(Factory.forProtocol(Protocol))) as Port;
    c.ports.push(port);
    const events: string[] = [];
    class F extends ClientFactory<Protocol> {
      override startFactory(): void {
        events.push('startFactory');
      }
      override stopFactory(): void {
        events.push('stopFactory');
      }
      override startedConnecting(): void {
        events.push('startedConnecting');
      }
      override clientConnectionLost(): void {
        events.push('clientConnectionLost');
      }
      override clientConnectionFailed(): void {
        events.push('clientConnectionFailed');
      }
    }
    const p = (await new TCP4ClientEndpoint(reactor, '127.0.0.1', port.getHost().port).connect(F.forProtocol(Recorder) as F)) as Recorder;
    p.transport!.loseConnection();
    await p.lost;
    await sleep(5);
    expect(events).to.deep.equal(['startFactory', 'stopFactory']);
    await failureOf(new TCP4ClientEndpoint(reactor, '127.0.0.1', await closedPort()).connect(F.forProtocol(Recorder) as F));
    expect(events).to.deep.equal(['startFactory', 'stopFactory', 'startFactory', 'stopFactory']);
  });

  it('test_connectProtocol: connectProtocol connects the given instance and fires with it', async () => {
    const port = (await new TCP4ServerEndpoint(reactor, 0, { interface: '127.0.0.1' }).listen(Factory.forProtocol(Protocol))) as Port;
    c.ports.push(port);
    const mine = new Recorder();
    const got = await connectProtocol(new TCP4ClientEndpoint(reactor, '127.0.0.1', port.getHost().port), mine);
    expect(got).to.equal(mine);
    expect(mine.events).to.deep.equal(['made']);
    mine.transport!.loseConnection();
    await mine.lost;
  });
});

describe('TCP6EndpointsTests', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it("test_endpointListenSuccess: TCP6ServerEndpoint listens on '::1' and connects with TCP6ClientEndpoint", async () => {
    const port = (await new TCP6ServerEndpoint(reactor, 0, { interface: '::1' }).listen(Factory.forProtocol(Protocol))) as Port;
    c.ports.push(port);
    expect(port.getHost().host).to.equal('::1');
    const p = (await new TCP6ClientEndpoint(reactor, '::1', port.getHost().port).connect(Factory.forProtocol(Recorder))) as Recorder;
    expect((p.transport!.getPeer() as IPv4Address).host).to.equal('::1');
    p.transport!.loseConnection();
    await p.lost;
  });

  it("test_defaultInterface: TCP6ServerEndpoint's default interface is '::'", () => {
    expect(new TCP6ServerEndpoint(reactor, 0)._interface).to.equal('::');
    expect(new TCP4ServerEndpoint(reactor, 0)._interface).to.equal('');
  });
});

describe('HostnameEndpointTests', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('test_hostnameEndpointConnect: the first address that answers wins, the refused ones are skipped', async () => {
    const port = (await new TCP4ServerEndpoint(reactor, 0, { interface: '127.0.0.1' }).listen(Factory.forProtocol(Protocol))) as Port;
    c.ports.push(port);
    const ep = new HostnameEndpoint(reactor, 'example.invalid', port.getHost().port, { attemptDelay: 0.01, resolve: async () => ['127.0.0.2', '127.0.0.1'] });
    const p = (await ep.connect(Factory.forProtocol(Recorder))) as Recorder;
    expect((p.transport!.getPeer() as IPv4Address).host).to.equal('127.0.0.1');
    p.transport!.loseConnection();
    await p.lost;
  });

  it('test_nameResolutionFailure: a name that does not resolve fails with DNSLookupError', async () => {
    const ep = new HostnameEndpoint(reactor, 'example.invalid', 1, { resolve: async () => Promise.reject(new Error('no')) });
    const f = await failureOf(ep.connect(Factory.forProtocol(Protocol)));
    expect((f!.type as { name: string }).name).to.equal('DNSLookupError');
  });

  it('test_allFail: when every address fails, connect() fails with the last failure', async () => {
    const free = await closedPort();
    const ep = new HostnameEndpoint(reactor, 'example.invalid', free, { attemptDelay: 0.001, resolve: async () => ['127.0.0.1', '127.0.0.1'] });
    const f = await failureOf(ep.connect(Factory.forProtocol(Protocol)));
    expect(f!.value).to.be.instanceOf(ConnectionRefusedError);
  });
});

describe('WrappingFactoryTests', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('test_doStart / test_doStop: doStart and doStop are forwarded to the wrapped factory', () => {
    const events: string[] = [];
    class F extends Factory<Protocol> {
      override startFactory(): void {
        events.push('start');
      }
      override stopFactory(): void {
        events.push('stop');
      }
    }
    const wf = new _WrappingFactory(F.forProtocol(Protocol) as F);
    wf.doStart();
    wf.doStop();
    expect(events).to.deep.equal(['start', 'stop']);
  });

  it('test_failedBuildProtocol: an exception from the wrapped buildProtocol fails the Deferred with it', async () => {
    class F extends Factory<Protocol> {
      override buildProtocol(): Protocol | null {
        throw new RangeError('nope');
      }
    }
    const wf = new _WrappingFactory(new F());
    expect(wf.buildProtocol(new IPv4Address('TCP', '1.2.3.4', 5))).to.equal(null);
    const f = await failureOf(wf._onConnection);
    expect(f!.value).to.be.instanceOf(RangeError);
  });

  it('test_buildNoneProtocol: a wrapped buildProtocol returning null fails the Deferred with NoProtocol', async () => {
    class F extends Factory<Protocol> {
      override buildProtocol(): Protocol | null {
        return null;
      }
    }
    const wf = new _WrappingFactory(new F());
    wf.buildProtocol(new IPv4Address('TCP', '1.2.3.4', 5));
    const f = await failureOf(wf._onConnection);
    expect(f!.value).to.be.instanceOf(NoProtocol);
  });

  it('test_logPrefixPassthrough / test_logPrefixDefault: the wrapping protocol uses the wrapped protocol log prefix, or its class name', () => {
    class Named extends Protocol {
      override logPrefix(): string {
        return 'A Test Protocol';
      }
    }
    expect(new _WrappingProtocol(new Deferred(), new Named()).logPrefix()).to.equal('A Test Protocol');
    class Plain extends Protocol {}
    expect(new _WrappingProtocol(new Deferred(), new Plain()).logPrefix()).to.equal('Plain');
  });

  it('test_wrappedProtocolDataReceived / test_wrappedProtocolConnectionLost: data and connectionLost are forwarded', () => {
    const inner = new Recorder();
    const w = new _WrappingProtocol(new Deferred(), inner);
    w.dataReceived(Buffer.from('foo'));
    w.connectionLost(new Failure(new ConnectionRefusedError()));
    expect(inner.events).to.deep.equal(['data 3', 'lost ConnectionRefusedError']);
  });

  it('test_wrappedProtocolHalfClose / test_noHalfCloseIfWrappedDoesNotProvide: the half-close methods exist only when the wrapped protocol has them', () => {
    class Half extends Protocol {
      events: string[] = [];
      readConnectionLost(): void {
        this.events.push('read');
      }
      writeConnectionLost(): void {
        this.events.push('write');
      }
    }
    const half = new Half();
    const w = new _WrappingProtocol(new Deferred(), half);
    w.readConnectionLost!();
    w.writeConnectionLost!();
    expect(half.events).to.deep.equal(['read', 'write']);
    expect(new _WrappingProtocol(new Deferred(), new Protocol()).readConnectionLost).to.equal(undefined);
  });

  it('test_clientConnectionFailed: clientConnectionFailed fails the Deferred with the reason', async () => {
    const wf = new _WrappingFactory(Factory.forProtocol(Protocol));
    wf.clientConnectionFailed(null as never, new Failure(new ConnectionRefusedError()));
    const f = await failureOf(wf._onConnection);
    expect(f!.value).to.be.instanceOf(ConnectionRefusedError);
  });
});

describe('ParserTests', () => {
  it('test_simpleString: one positional parameter', () => {
    expect(parse('hello')).to.deep.equal([['hello'], {}]);
  });
  it('test_simpleStringWithColon: positional parameters split on colons', () => {
    expect(parse('hello:world')).to.deep.equal([['hello', 'world'], {}]);
  });
  it('test_keyword: keyword parameters mix with positional ones in any order', () => {
    expect(parse('a:b:d=1:c')).to.deep.equal([['a', 'b', 'c'], { d: '1' }]);
  });
  it('test_quoting: a backslash escapes the next character, a colon or an equals sign', () => {
    expect(parse('a:b\\:c')).to.deep.equal([['a', 'b:c'], {}]);
    expect(parse('a\\=b:c')).to.deep.equal([['a=b', 'c'], {}]);
  });
  it('test_multipleEquals: only the first equals sign of a parameter counts', () => {
    expect(parse('a=b=c')).to.deep.equal([[], { a: 'b=c' }]);
  });
  it('test_trailingColon: a trailing colon adds an empty positional parameter', () => {
    expect(parse('hello:')).to.deep.equal([['hello', ''], {}]);
  });
  it('test_quoteStringArgument: quoteStringArgument escapes backslashes and colons and parse undoes it', () => {
    const text = 'some : stuff \\ here';
    expect(quoteStringArgument(text)).to.equal('some \\: stuff \\\\ here');
    expect(parse(`x:${quoteStringArgument(text)}`)[0][1]).to.equal(text);
  });
});

describe('ServerStringTests', () => {
  it('test_tcp: tcp:port:interface=...:backlog=... is a TCP4ServerEndpoint', () => {
    const ep = serverFromString(reactor, 'tcp:1234:backlog=12:interface=10.0.0.1') as TCP4ServerEndpoint;
    expect(ep).to.be.instanceOf(TCP4ServerEndpoint);
    expect([ep._port, ep._backlog, ep._interface]).to.deep.equal([1234, 12, '10.0.0.1']);
    const kw = serverFromString(reactor, 'tcp:port=8080') as TCP4ServerEndpoint;
    expect([kw._port, kw._backlog, kw._interface]).to.deep.equal([8080, 50, '']);
  });

  it("test_tcp6: tcp6:port is a TCP6ServerEndpoint on '::', and an escaped IPv6 interface", () => {
    const ep = serverFromString(reactor, 'tcp6:8080:interface=\\:\\:1') as TCP6ServerEndpoint;
    expect(ep).to.be.instanceOf(TCP6ServerEndpoint);
    expect(ep._interface).to.equal('::1');
    expect((serverFromString(reactor, 'tcp6:80') as TCP6ServerEndpoint)._interface).to.equal('::');
  });

  it('test_unix: unix:path:mode=...:lockfile=... is a UNIXServerEndpoint with an octal mode', () => {
    const ep = serverFromString(reactor, 'unix:/var/foo/bar:backlog=7:mode=0123:lockfile=1') as UNIXServerEndpoint;
    expect(ep).to.be.instanceOf(UNIXServerEndpoint);
    expect([ep._address, ep._backlog, ep._mode, ep._wantPID]).to.deep.equal(['/var/foo/bar', 7, 0o123, true]);
    const def = serverFromString(reactor, 'unix:/x:lockfile=0') as UNIXServerEndpoint;
    expect([def._mode, def._wantPID]).to.deep.equal([0o666, false]);
  });

  it("test_unknownType: an unknown type is refused: \"Unknown endpoint type: 'bogus'\"", () => {
    expect(() => serverFromString(reactor, 'bogus:1')).to.throw(UnknownEndpointTypeError, "Unknown endpoint type: 'bogus'");
  });

  it('test_badParameters: a non-number port or an unknown keyword is refused with EndpointDescriptionError', () => {
    expect(() => serverFromString(reactor, 'tcp:http')).to.throw(EndpointDescriptionError, /integer/);
    expect(() => serverFromString(reactor, 'tcp:80:colour=blue')).to.throw(EndpointDescriptionError, /colour/);
    expect(() => serverFromString(reactor, 'tcp')).to.throw(EndpointDescriptionError, /missing the port/);
  });

  it('test_parameterTable: every built-in parser refuses too many positional parameters, a name given twice where its signature forbids it, and an unknown keyword', () => {
    const servers = ['tcp:1:a:2:x', 'tcp6:1:a:2:x', 'unix:/s:666:50:1:x', 'ssl:1:k:c:m:i:50:e:d:x'];
    for (const d of servers) expect(() => serverFromString(reactor, d), d).to.throw(EndpointDescriptionError, /takes at most \d+ positional parameters/);
    for (const d of ['tcp:h:1:x', 'unix:/a:/b', 'ssl:h:1:x', 'tls:h:1:x']) expect(() => clientFromString(reactor, d), d).to.throw(EndpointDescriptionError, /takes at most \d+ positional parameters/);
    for (const d of ['tcp:1:port=2', 'tcp6:1:port=2', 'unix:/s:address=/t']) expect(() => serverFromString(reactor, d), d).to.throw(EndpointDescriptionError, /multiple values for "\w+"/);
    for (const d of ['tcp6:1:colour=blue', 'unix:/s:colour=blue']) expect(() => serverFromString(reactor, d), d).to.throw(EndpointDescriptionError, /unexpected keyword argument "colour"/);
    for (const d of ['tcp:h:1:colour=blue', 'unix:/s:colour=blue', 'ssl:h:1:colour=blue', 'tls:h:1:colour=blue']) {
      expect(() => clientFromString(reactor, d), d).to.throw(EndpointDescriptionError, /unexpected keyword argument "colour"/);
    }
  });

  it('test_positionalRules: a client positional parameter is the port after host=, and replaces a keyword of the same name for unix', () => {
    const tcp = clientFromString(reactor, 'tcp:host=example.com:80') as TCP4ClientEndpoint;
    expect([tcp._host, tcp._port]).to.deep.equal(['example.com', 80]);
    const unix = clientFromString(reactor, 'unix:/a:path=/b') as UNIXClientEndpoint;
    expect(unix._path).to.equal('/a');
  });

  it('test_registeredParser: a registered parser serves its prefix (the stand-in for plugin discovery)', () => {
    const made: string[][] = [];
    registerServerParser({
      prefix: 'fake-test',
      parseStreamServer(r, args) {
        made.push(args);
        return new TCP4ServerEndpoint(r, 1);
      },
    });
    expect(serverFromString(reactor, 'fake-test:a:b')).to.be.instanceOf(TCP4ServerEndpoint);
    expect(made).to.deep.equal([['a', 'b']]);
  });
});

describe('ClientStringTests', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('test_tcp / test_tcpPositionalArgs / test_tcpHostPositionalArg / test_tcpPortPositionalArg: every way to give host and port', () => {
    for (const desc of ['tcp:host=example.com:port=1234:timeout=7:bindAddress=10.0.0.2', 'tcp:example.com:1234:timeout=7:bindAddress=10.0.0.2', 'tcp:example.com:port=1234:timeout=7:bindAddress=10.0.0.2', 'tcp:host=example.com:1234:timeout=7:bindAddress=10.0.0.2']) {
      const ep = clientFromString(reactor, desc) as TCP4ClientEndpoint;
      expect(ep).to.be.instanceOf(TCP4ClientEndpoint);
      expect([ep._host, ep._port, ep._timeout, ep._bindAddress]).to.deep.equal(['example.com', 1234, 7, ['10.0.0.2', 0]]);
    }
  });

  it('test_tcpDefaults: timeout 30 and no bindAddress by default; the type is case-insensitive', () => {
    const ep = clientFromString(reactor, 'TCP:example.com:80') as TCP4ClientEndpoint;
    expect([ep._timeout, ep._bindAddress]).to.deep.equal([30, null]);
  });

  it('test_unix / test_unixPathPositionalArg: unix:path:lockfile=1:timeout=9 is a UNIXClientEndpoint', () => {
    const ep = clientFromString(reactor, 'unix:path=/var/foo/bar:lockfile=1:timeout=9') as UNIXClientEndpoint;
    expect(ep).to.be.instanceOf(UNIXClientEndpoint);
    expect([ep._path, ep._checkPID, ep._timeout]).to.deep.equal(['/var/foo/bar', true, 9]);
    const pos = clientFromString(reactor, 'unix:/var/foo/bar') as UNIXClientEndpoint;
    expect([pos._path, pos._checkPID, pos._timeout]).to.deep.equal(['/var/foo/bar', false, 30]);
  });

  it("test_unknownType: an unknown client type is refused; as in Twisted 22.4 there is no client 'tcp6'", () => {
    expect(() => clientFromString(reactor, 'foo:bar:baz')).to.throw(UnknownEndpointTypeError, "Unknown endpoint type: 'foo'");
    expect(() => clientFromString(reactor, 'tcp6:h:1')).to.throw(UnknownEndpointTypeError);
  });

  it('test_registeredParser: a registered client parser serves its prefix', () => {
    registerClientParser({
      prefix: 'fakeclient-test',
      parseStreamClient(r, args) {
        return new TCP4ClientEndpoint(r, args[0]!, 1);
      },
    });
    expect((clientFromString(reactor, 'FAKECLIENT-TEST:h') as TCP4ClientEndpoint)._host).to.equal('h');
  });

  it('test_stringEndToEnd: serverFromString then clientFromString carry an echo over 127.0.0.1', async () => {
    class Echo extends Protocol {
      override dataReceived(data: Buffer): void {
        this.transport!.write(data);
      }
    }
    const port = (await serverFromString(reactor, 'tcp:0:interface=127.0.0.1').listen(Factory.forProtocol(Echo))) as IListeningPort;
    try {
      const p = (await clientFromString(reactor, `tcp:127.0.0.1:${(port.getHost() as IPv4Address).port}`).connect(Factory.forProtocol(Recorder))) as Recorder;
      p.transport!.write(Buffer.from('ping'));
      while (p.received().length < 4) await sleep(2);
      expect(p.received().toString()).to.equal('ping');
      p.transport!.loseConnection();
      await p.lost;
    } finally {
      await port.stopListening();
    }
  });
});
