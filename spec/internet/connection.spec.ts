// Port of twisted/internet/test/test_tcp.py (Twisted 22.4): AbortConnectionMixin,
// WriteSequenceTestsMixin, TCPServerTests, TCPClientTestsBase, TCPConnectorTestsBuilder,
// TCPConnectionTestsBuilder, TCPPortTestsMixin; internet/test/connectionmixins.py
// (ConnectionTestsMixin, StreamClientTestsMixin); test_tcp.py's HalfClose* classes; and the
// exception rules of a Twisted reactor (callbacks that raise). Real sockets on 127.0.0.1 and ::1.
import { expect } from 'chai';
import * as net from 'node:net';
import { Failure } from '../../lib/failure/index.js';
import { IPv4Address, IPv6Address } from '../../lib/address/index.js';
import { ConnectionAborted, ConnectionDone, ConnectionLost, NotConnectingError, UserError } from '../../lib/error/index.js';
import { ClientFactory, Factory, Protocol } from '../../lib/protocol/index.js';
import type { IConnector, IPushProducer } from '../../lib/protocol/index.js';
import { Reactor, reactor } from '../../lib/reactor/index.js';
import { ProducerRegisteredError } from '../../lib/internet/errors.js';
import { StreamTransport as StreamTransportClass, type StreamTransport } from '../../lib/internet/stream.js';
import { Cleanup, listen, rawConnect, readAll, Recorder, RecordingClientFactory, RecordingFactory, sleep, typeName } from './helpers.js';

/** A connected client/server pair of protocols over 127.0.0.1. */
async function pair<C extends Protocol, S extends Protocol>(c: Cleanup, makeServer: () => S, makeClient: () => C): Promise<{ client: C; server: S; cf: RecordingClientFactory<C>; f: RecordingFactory<S> }> {
  const f = new RecordingFactory(makeServer);
  const port = await listen(c, f as never);
  const cf = new RecordingClientFactory(makeClient);
  reactor.connectTCP('127.0.0.1', port.getHost().port, cf);
  const client = await cf.protocolD;
  const server = await f.next;
  await waitFor(() => client.connected && server.connected);
  return { client, server, cf, f };
}

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await sleep(2);
  }
}

function t(p: Protocol): StreamTransport {
  return p.transport as unknown as StreamTransport;
}

describe('AbortConnectionMixin', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('test_dataReceivedAbort: abortConnection() in dataReceived ends the connection, connectionLost is not re-entrant and comes once', async () => {
    const calls: string[] = [];
    class Aborter extends Recorder {
      override dataReceived(data: Buffer): void {
        super.dataReceived(data);
        this.transport!.write(Buffer.from('x'));
        (this.transport as unknown as StreamTransport).abortConnection();
        calls.push('after abort');
      }
      override connectionLost(reason: Failure): void {
        calls.push('connectionLost');
        super.connectionLost(reason);
      }
    }
    const { client, server } = await pair(c, () => new Aborter(), () => new Recorder());
    client.transport!.write(Buffer.from('go'));
    const reason = await server.lost;
    expect(reason.value).to.be.instanceOf(ConnectionAborted);
    expect(calls).to.deep.equal(['after abort', 'connectionLost']);
    const peer = await client.lost;
    expect(peer.value).to.be.instanceOf(ConnectionLost);
    expect(client.received().length).to.equal(0);
  });

  for (const who of ['client', 'server'] as const) {
    it(`test_${who}AbortsConnectionTwice: a second abortConnection() is a no-op; ConnectionAborted locally, ConnectionLost at the peer`, async () => {
      const { client, server } = await pair(c, () => new Recorder(), () => new Recorder());
      const [me, peer] = who === 'client' ? [client, server] : [server, client];
      t(me).abortConnection();
      t(me).abortConnection();
      expect(typeName(await me.lost)).to.equal('ConnectionAborted');
      expect(typeName(await peer.lost)).to.equal('ConnectionLost');
      expect(me.events.filter((e) => e.startsWith('lost'))).to.have.length(1);
    });

    it(`test_${who}AbortsConnectionThenLosesConnection: loseConnection() after abortConnection() is a no-op`, async () => {
      const { client, server } = await pair(c, () => new Recorder(), () => new Recorder());
      const [me, peer] = who === 'client' ? [client, server] : [server, client];
      t(me).abortConnection();
      me.transport!.loseConnection();
      expect(typeName(await me.lost)).to.equal('ConnectionAborted');
      expect(typeName(await peer.lost)).to.equal('ConnectionLost');
    });
  }

  it('test_abortAfterLoseConnection: abortConnection() after loseConnection() still aborts: buffered data is dropped', async () => {
    const f = new RecordingFactory(() => new Recorder());
    const port = await listen(c, f);
    const s = await rawConnect(c, port.getHost().port);
    const server = await (await f.next).made;
    const got = readAll(s);
    server.transport!.write(Buffer.alloc(4 * 1024 * 1024));
    server.transport!.loseConnection();
    t(server).abortConnection();
    expect(typeName(await server.lost)).to.equal('ConnectionAborted');
    const { data, error } = await got;
    expect(data.length).to.equal(0);
    expect(error).to.equal('ECONNRESET');
  });

  it('test_abortNotSynchronous: connectionLost runs after abortConnection() has returned, on a later turn', async () => {
    const { client } = await pair(c, () => new Recorder(), () => new Recorder());
    t(client).abortConnection();
    expect(client.events).to.not.contain('lost ConnectionAborted');
    await client.lost;
  });

  it('test_resumeProducingAbort: abortConnection() inside a pull producer resumeProducing ends the connection once', async () => {
    const { client, server } = await pair(c, () => new Recorder(), () => new Recorder());
    let stops = 0;
    const producer = {
      resumeProducing: () => t(client).abortConnection(),
      stopProducing: () => {
        stops++;
      },
    };
    t(client).registerProducer(producer, false);
    expect(typeName(await client.lost)).to.equal('ConnectionAborted');
    expect(stops).to.equal(1);
    await server.lost;
  });

  it('test_resumeProducingAbortLater: abortConnection() from a push producer resumed after some bytes went out ends the connection', async () => {
    const { client, server } = await pair(c, () => new Recorder(), () => new Recorder());
    const producer: IPushProducer = {
      pauseProducing: () => {},
      resumeProducing: () => t(client).abortConnection(),
      stopProducing: () => {},
    };
    t(client).registerProducer(producer, true);
    client.transport!.write(Buffer.alloc(100000));
    expect(typeName(await client.lost)).to.equal('ConnectionAborted');
    await server.lost;
  });

  it('test_fullWriteBuffer: a peer that stops reading, then abortConnection() on the full buffer: both ends are lost', async () => {
    const { client, server } = await pair(c, () => new Recorder(), () => new Recorder());
    t(server).pauseProducing();
    const chunk = Buffer.alloc(1 << 20);
    for (let i = 0; i < 16; i++) client.transport!.write(chunk);
    await sleep(20);
    t(client).abortConnection();
    expect(typeName(await client.lost)).to.equal('ConnectionAborted');
    t(server).resumeProducing();
    // The RST reaches a peer that stopped reading; Node may report it as an EOF once resumed.
    expect(typeName(await server.lost)).to.be.oneOf(['ConnectionLost', 'ConnectionDone']);
  });

  it('test_dataReceivedThrows: abortConnection() then an exception in dataReceived: the connection is lost with the exception, logged once', async () => {
    class Thrower extends Recorder {
      override dataReceived(): void {
        t(this).abortConnection();
        throw new RangeError('boom');
      }
    }
    const { client, server } = await pair(c, () => new Thrower(), () => new Recorder());
    client.transport!.write(Buffer.from('x'));
    const reason = await server.lost;
    expect(reason.value).to.be.instanceOf(RangeError);
    expect(c.log.errors(RangeError)).to.have.length(1);
    expect(server.events.filter((e) => e.startsWith('lost'))).to.have.length(1);
    await client.lost;
  });

  it('test_resumeProducingThrows: abortConnection() then an exception in resumeProducing: lost with the exception', async () => {
    const { client } = await pair(c, () => new Recorder(), () => new Recorder());
    const producer = {
      resumeProducing: () => {
        t(client).abortConnection();
        throw new RangeError('producer boom');
      },
      stopProducing: () => {},
    };
    t(client).registerProducer(producer, false);
    const reason = await client.lost;
    expect(typeName(reason)).to.be.oneOf(['RangeError', 'ConnectionAborted']);
    expect(c.log.errors(RangeError)).to.have.length(1);
  });
});

describe('WriteSequenceTestsMixin', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it("test_writeSequeceWithoutWrite: writeSequence sends the data even if write hasn't been called", async () => {
    const { client, server } = await pair(c, () => new Recorder(), () => new Recorder());
    client.transport!.writeSequence([Buffer.from('Some '), Buffer.from('sequence '), Buffer.from('splitted')]);
    await waitFor(() => server.received().length === 22);
    expect(server.received().toString()).to.equal('Some sequence splitted');
  });

  it('test_writeSequenceWithUnicodeRaisesException: a string in the sequence raises TypeError and nothing is buffered', async () => {
    const { client } = await pair(c, () => new Recorder(), () => new Recorder());
    expect(() => client.transport!.writeSequence([Buffer.from('Some '), 'unicode' as never])).to.throw(TypeError);
    expect(t(client)._pendingLen).to.equal(0);
  });

  it('test_streamingProducer: writeSequence pauses a push producer, inside the call, when more than 65,536 bytes wait; it is resumed once drained', async () => {
    const { client, server } = await pair(c, () => new Recorder(), () => new Recorder());
    const log: string[] = [];
    const producer: IPushProducer = {
      pauseProducing: () => log.push('pause'),
      resumeProducing: () => log.push('resume'),
      stopProducing: () => log.push('stop'),
    };
    t(client).registerProducer(producer, true);
    t(client).writeSequence([Buffer.alloc(40000), Buffer.alloc(20000)]);
    expect(log).to.deep.equal([]);
    t(client).writeSequence([Buffer.alloc(10000)]);
    expect(log).to.deep.equal(['pause']);
    await waitFor(() => log.length === 2);
    expect(log).to.deep.equal(['pause', 'resume']);
    await waitFor(() => server.received().length === 70000);
  });

  it('test_nonStreamingProducer: a pull producer is resumed at registration and when drained, never paused', async () => {
    const { client, server } = await pair(c, () => new Recorder(), () => new Recorder());
    const log: string[] = [];
    let n = 0;
    const producer = {
      resumeProducing: () => {
        log.push('resume');
        if (++n <= 3) t(client).writeSequence([Buffer.alloc(50000), Buffer.alloc(50000)]);
        else t(client).unregisterProducer();
      },
      stopProducing: () => log.push('stop'),
    };
    t(client).registerProducer(producer, false);
    expect(log).to.deep.equal(['resume']);
    await waitFor(() => log.length === 4);
    expect(log).to.deep.equal(['resume', 'resume', 'resume', 'resume']);
    await waitFor(() => server.received().length === 300000);
  });

  it('test_registerProducerTwice: a second registerProducer raises ProducerRegisteredError and keeps the first', async () => {
    const { client } = await pair(c, () => new Recorder(), () => new Recorder());
    const p1 = { resumeProducing() {}, pauseProducing() {}, stopProducing() {} };
    t(client).registerProducer(p1, true);
    expect(() => t(client).registerProducer({ ...p1 }, true)).to.throw(ProducerRegisteredError, /never unregistered/);
    expect(t(client).producer).to.equal(p1);
  });
});

describe('TCPServerTests', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  for (const method of ['write', 'writeSequence'] as const) {
    it(`test_${method}AfterDisconnect: ${method} after the connection is lost discards the bytes silently`, async () => {
      const { client, server } = await pair(c, () => new Recorder(), () => new Recorder());
      client.transport!.loseConnection();
      await server.lost;
      if (method === 'write') server.transport!.write(Buffer.from('x'));
      else server.transport!.writeSequence([Buffer.from('x')]);
      server.transport!.loseConnection();
      t(server).abortConnection();
      expect(t(server)._pendingLen).to.equal(0);
    });
  }
});

describe('TCPClientTestsBase', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('test_buildProtocolReturnsNone: a client factory returning null closes the connection cleanly: clientConnectionLost(ConnectionDone)', async () => {
    const f = new RecordingFactory(() => new Recorder());
    const port = await listen(c, f);
    const cf = new RecordingClientFactory<Recorder>(() => null);
    reactor.connectTCP('127.0.0.1', port.getHost().port, cf);
    const reason = await cf.done;
    expect(typeName(reason)).to.equal('ConnectionDone');
    expect(cf.events.at(-2)).to.equal('clientConnectionLost ConnectionDone');
    const server = await f.next;
    expect(typeName(await server.lost)).to.equal('ConnectionDone');
  });

  it("test_addresses: a client transport's getHost and getPeer are IPv4Addresses with dotted-quad hosts", async () => {
    const { client, server } = await pair(c, () => new Recorder(), () => new Recorder());
    const host = client.transport!.getHost() as IPv4Address;
    const peer = client.transport!.getPeer() as IPv4Address;
    expect(host).to.be.instanceOf(IPv4Address);
    expect(peer).to.be.instanceOf(IPv4Address);
    expect(host.host).to.equal('127.0.0.1');
    expect(peer.equals(server.transport!.getHost())).to.equal(true);
    expect(host.equals(server.transport!.getPeer())).to.equal(true);
  });
});

describe('TCPConnectorTestsBuilder', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('test_connectorIdentity: connectTCP returns an IConnector whose destination is the address asked for, and the same connector reaches the hooks', async () => {
    const port = await listen(c, Factory.forProtocol(Protocol));
    const seen: unknown[] = [];
    class F extends ClientFactory<Recorder> {
      override startedConnecting(connector: IConnector): void {
        seen.push(connector);
      }
      override clientConnectionLost(connector: IConnector): void {
        seen.push(connector);
      }
    }
    const cf = F.forProtocol(Recorder) as F;
    const connector = reactor.connectTCP('127.0.0.1', port.getHost().port, cf);
    expect(connector.getDestination().equals(new IPv4Address('TCP', '127.0.0.1', port.getHost().port))).to.equal(true);
    await waitFor(() => connector.state === 'connected');
    connector.disconnect();
    await waitFor(() => seen.length === 2);
    expect(seen).to.deep.equal([connector, connector]);
  });

  it('test_userFail: stopConnecting() in startedConnecting gives clientConnectionFailed(UserError) before it returns', async () => {
    const port = await listen(c, Factory.forProtocol(Protocol));
    const order: string[] = [];
    class F extends RecordingClientFactory<Recorder> {
      override startedConnecting(connector: IConnector): void {
        super.startedConnecting(connector);
        connector.stopConnecting();
        order.push('stopConnecting returned');
        expect(() => connector.stopConnecting()).to.throw(NotConnectingError, "we're not trying to connect");
      }
      override clientConnectionFailed(conn: unknown, reason: Failure): void {
        order.push('clientConnectionFailed');
        super.clientConnectionFailed(conn, reason);
      }
    }
    const cf = new F(() => new Recorder());
    reactor.connectTCP('127.0.0.1', port.getHost().port, cf);
    const reason = await cf.done;
    expect(reason.value).to.be.instanceOf(UserError);
    expect(order).to.deep.equal(['clientConnectionFailed', 'stopConnecting returned']);
    await sleep(20);
    expect(cf.built).to.have.length(0);
  });

  it('test_reconnect: connect() in clientConnectionLost makes a new attempt, and the factory is not stopped in between', async () => {
    const port = await listen(c, Factory.forProtocol(Protocol));
    let made = 0;
    const events: string[] = [];
    class P extends Protocol {
      override connectionMade(): void {
        made++;
        this.transport!.loseConnection();
      }
    }
    class F extends ClientFactory<P> {
      override startFactory(): void {
        events.push('start');
      }
      override stopFactory(): void {
        events.push('stop');
      }
      override clientConnectionLost(connector: IConnector): void {
        events.push('lost');
        if (made === 1) connector.connect();
      }
    }
    reactor.connectTCP('127.0.0.1', port.getHost().port, F.forProtocol(P) as F);
    await waitFor(() => events.at(-1) === 'stop');
    expect(made).to.equal(2);
    expect(events).to.deep.equal(['start', 'lost', 'lost', 'stop']);
  });

  it("test_connectWhileConnecting: connect() while connecting raises \"can't connect in this state\"", async () => {
    const port = await listen(c, Factory.forProtocol(Protocol));
    const cf = new RecordingClientFactory(() => new Recorder());
    const connector = reactor.connectTCP('127.0.0.1', port.getHost().port, cf);
    expect(() => connector.connect()).to.throw(Error, "can't connect in this state");
    connector.disconnect();
    expect(typeName(await cf.done)).to.equal('UserError');
  });
});

describe('TCPPortTestsMixin', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  for (const [v, iface, cls] of [
    ['IPv4', '127.0.0.1', IPv4Address],
    ['IPv6', '::1', IPv6Address],
  ] as const) {
    it(`test_portGetHostOn${v}: the port's getHost() is an ${cls.name}`, async () => {
      const port = await listen(c, Factory.forProtocol(Protocol), iface);
      expect(port.getHost()).to.be.instanceOf(cls);
      expect(port.getHost().host).to.equal(iface);
    });

    it(`test_buildProtocol${v}Address / test_serverGetHostOn${v} / test_serverGetPeerOn${v}: an accepted ${v} connection gives ${cls.name}s for buildProtocol, getHost and getPeer`, async () => {
      const f = new RecordingFactory(() => new Recorder());
      const port = await listen(c, f, iface);
      const s = await rawConnect(c, port.getHost().port, iface);
      const server = await (await f.next).made;
      expect(f.addrs[0]).to.be.instanceOf(cls);
      expect(server.transport!.getHost()).to.be.instanceOf(cls);
      expect(server.transport!.getPeer()).to.be.instanceOf(cls);
      expect(server.transport!.getHost().equals(port.getHost())).to.equal(true);
      expect((server.transport!.getPeer() as IPv4Address).port).to.equal(s.localPort);
    });
  }
});

describe('TCPConnectionTestsBuilder', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('test_stopStartReading: pause/resume many times leaves the socket reading exactly when resumed', async () => {
    const { client, server } = await pair(c, () => new Recorder(), () => new Recorder());
    for (let i = 0; i < 3; i++) t(server).pauseProducing();
    expect(t(server).getHandle()!.isPaused()).to.equal(true);
    t(server).resumeProducing();
    expect(t(server).getHandle()!.isPaused()).to.equal(false);
    client.transport!.write(Buffer.from('x'));
    await waitFor(() => server.data.length === 1);
  });

  it('test_resumeProducingWhileDisconnecting: resumeProducing after loseConnection does not start reading again', async () => {
    const { server } = await pair(c, () => new Recorder(), () => new Recorder());
    t(server).pauseProducing();
    server.transport!.loseConnection();
    t(server).resumeProducing();
    expect(t(server)._readPaused).to.equal(true);
    await server.lost;
  });

  it('test_resumeProducingWhileDisconnected: resumeProducing after the connection is lost does nothing', async () => {
    const { server } = await pair(c, () => new Recorder(), () => new Recorder());
    t(server).pauseProducing();
    t(server).abortConnection();
    await server.lost;
    t(server).resumeProducing();
    expect(t(server)._readPaused).to.equal(true);
  });

  it('test_connectionLostAfterPausedTransport: a paused peer that resumes after the sender closed gets the data, then ConnectionDone', async () => {
    class Alice extends Recorder {
      override connectionMade(): void {
        super.connectionMade();
        this.transport!.write(Buffer.from('some bytes'));
        this.transport!.loseConnection();
      }
    }
    class Bob extends Recorder {
      override dataReceived(data: Buffer): void {
        super.dataReceived(data);
        t(this).pauseProducing();
        setTimeout(() => t(this).resumeProducing(), 20);
      }
    }
    const f = new RecordingFactory(() => new Bob());
    const port = await listen(c, f);
    const cf = new RecordingClientFactory(() => new Alice());
    reactor.connectTCP('127.0.0.1', port.getHost().port, cf);
    const bob = await f.next;
    const reason = await bob.lost;
    expect(bob.received().toString()).to.equal('some bytes');
    expect(typeName(reason)).to.equal('ConnectionDone');
  });

  it('test_doubleHalfClose: one side half-closes, the other half-closes in readConnectionLost and loses the connection in writeConnectionLost: ConnectionDone, synchronously inside loseConnection', async () => {
    const order: string[] = [];
    class Listener extends Recorder {
      readConnectionLost(): void {
        order.push('readConnectionLost');
        (this.transport as unknown as StreamTransport).loseWriteConnection();
      }
      writeConnectionLost(): void {
        order.push('writeConnectionLost');
        this.transport!.loseConnection();
        order.push('loseConnection returned');
      }
      override connectionLost(reason: Failure): void {
        order.push('connectionLost');
        super.connectionLost(reason);
      }
    }
    class HalfCloser extends Recorder {
      readConnectionLost(): void {}
      writeConnectionLost(): void {}
      override connectionMade(): void {
        super.connectionMade();
        t(this).loseWriteConnection();
      }
    }
    const f = new RecordingFactory(() => new Listener());
    const port = await listen(c, f);
    const cf = new RecordingClientFactory(() => new HalfCloser());
    reactor.connectTCP('127.0.0.1', port.getHost().port, cf);
    const server = await f.next;
    expect(typeName(await server.lost)).to.equal('ConnectionDone');
    expect(order).to.deep.equal(['readConnectionLost', 'writeConnectionLost', 'connectionLost', 'loseConnection returned']);
    const client = await cf.protocolD;
    client.transport!.loseConnection();
    expect(typeName(await client.lost)).to.equal('ConnectionDone');
  });
});

describe('HalfCloseTests', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  class HalfCloseable extends Recorder {
    readLost = false;
    writeLost = false;
    readConnectionLost(): void {
      this.readLost = true;
      this.events.push('readConnectionLost');
    }
    writeConnectionLost(): void {
      this.writeLost = true;
      this.events.push('writeConnectionLost');
    }
  }

  it('testCloseWriteCloser: after loseWriteConnection the peer reads EOF (readConnectionLost), writes are dropped, and we still read', async () => {
    const { client, server } = await pair(c, () => new HalfCloseable(), () => new HalfCloseable());
    client.transport!.write(Buffer.from('hello'));
    t(client).loseWriteConnection();
    await waitFor(() => server.readLost);
    expect(server.received().toString()).to.equal('hello');
    await waitFor(() => client.writeLost);
    client.transport!.write(Buffer.from('dropped'));
    server.transport!.write(Buffer.from('reply after your EOF'));
    await waitFor(() => client.received().length === 20);
    server.transport!.loseConnection();
    expect(typeName(await server.lost)).to.equal('ConnectionDone');
    await waitFor(() => client.readLost);
    client.transport!.loseConnection();
    expect(typeName(await client.lost)).to.equal('ConnectionDone');
    expect(server.received().toString()).to.equal('hello');
  });

  it('testWriteCloseNotification: loseWriteConnection calls writeConnectionLost once the FIN is out', async () => {
    const { client } = await pair(c, () => new HalfCloseable(), () => new HalfCloseable());
    t(client).loseWriteConnection();
    await waitFor(() => client.writeLost);
    expect(client.events).to.contain('writeConnectionLost');
  });

  it("test_peerFINWithoutHalfClose: a peer's FIN to a protocol without readConnectionLost is connectionLost(ConnectionDone) at once, and a pending reply is dropped (Twisted's rule, not Node's)", async () => {
    class Replier extends Recorder {
      override dataReceived(data: Buffer): void {
        super.dataReceived(data);
        this.transport!.write(Buffer.alloc(32 * 1024 * 1024));
      }
    }
    const f = new RecordingFactory(() => new Replier());
    const port = await listen(c, f);
    const s = await rawConnect(c, port.getHost().port);
    const got = readAll(s);
    s.end('request');
    const server = await f.next;
    expect(typeName(await server.lost)).to.equal('ConnectionDone');
    const { data } = await got;
    expect(data.length).to.be.below(32 * 1024 * 1024);
  });
});

describe('HalfCloseNoNotificationAndShutdownExceptionTests', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('testNoNotification: half-closing toward a protocol without readConnectionLost ends its connection with ConnectionDone', async () => {
    const { client, server } = await pair(c, () => new Recorder(), () => new Recorder());
    client.transport!.write(Buffer.from('hello'));
    t(client).loseWriteConnection();
    expect(typeName(await server.lost)).to.equal('ConnectionDone');
    expect(server.received().toString()).to.equal('hello');
    await client.lost;
  });

  it('testShutdownException: loseWriteConnection after the peer has closed passes silently', async () => {
    const { client, server } = await pair(c, () => new Recorder(), () => new Recorder());
    server.transport!.loseConnection();
    await client.lost;
    t(client).loseWriteConnection();
  });
});

describe('HalfCloseBuggyApplicationTests', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('test_readNotificationRaises: readConnectionLost raising is logged and the connection is lost with that exception', async () => {
    class Buggy extends Recorder {
      readConnectionLost(): void {
        throw new RangeError('read boom');
      }
      writeConnectionLost(): void {}
    }
    const { client, server } = await pair(c, () => new Buggy(), () => new Recorder());
    t(client).loseWriteConnection();
    const reason = await server.lost;
    expect(reason.value).to.be.instanceOf(RangeError);
    expect(c.log.errors(RangeError)).to.have.length(1);
  });

  it('test_writeNotificationRaises: writeConnectionLost raising is logged and the connection is lost with that exception', async () => {
    class Buggy extends Recorder {
      readConnectionLost(): void {}
      writeConnectionLost(): void {
        throw new RangeError('write boom');
      }
    }
    const { client } = await pair(c, () => new Recorder(), () => new Buggy());
    t(client).loseWriteConnection();
    const reason = await client.lost;
    expect(reason.value).to.be.instanceOf(RangeError);
    expect(c.log.errors(RangeError)).to.have.length(1);
  });
});

describe('ConnectionTestsMixin', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('test_logPrefix: client and server transports name the protocol they run in logPrefix()', async () => {
    class Named extends Recorder {}
    const { client, server } = await pair(c, () => new Named(), () => new Named());
    expect((client.transport as unknown as { logPrefix(): string }).logPrefix()).to.equal('Named,client');
    expect((server.transport as unknown as { logPrefix(): string }).logPrefix()).to.match(/^Named,0,127\.0\.0\.1$/);
  });

  it('test_writeAfterDisconnect: write and writeSequence after the connection is lost are no-ops', async () => {
    const { client } = await pair(c, () => new Recorder(), () => new Recorder());
    client.transport!.loseConnection();
    await client.lost;
    client.transport!.write(Buffer.from('x'));
    client.transport!.writeSequence([Buffer.from('y')]);
    expect(t(client)._pendingLen).to.equal(0);
  });
});

describe('StreamClientTestsMixin', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('test_interface: connectTCP returns an object with the IConnector methods', async () => {
    const port = await listen(c, Factory.forProtocol(Protocol));
    const cf = new RecordingClientFactory(() => new Recorder());
    const conn = reactor.connectTCP('127.0.0.1', port.getHost().port, cf);
    for (const m of ['connect', 'disconnect', 'stopConnecting', 'getDestination']) expect((conn as unknown as Record<string, unknown>)[m]).to.be.a('function');
    conn.disconnect();
    await cf.done;
  });

  it("test_clientConnectionFailedStopsReactor: a client factory's clientConnectionFailed can stop the reactor", async () => {
    const r = new Reactor();
    const server = net.createServer();
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
    const free = (server.address() as net.AddressInfo).port;
    server.close();
    class F extends ClientFactory<Protocol> {
      override clientConnectionFailed(): void {
        r.stop();
      }
    }
    r.callWhenRunning(() => r.connectTCP('127.0.0.1', free, F.forProtocol(Protocol) as F));
    await r.run();
  });

  it('test_connectEvent: connectionMade reaches a client protocol', async () => {
    const { client } = await pair(c, () => new Recorder(), () => new Recorder());
    expect(client.events[0]).to.equal('made');
  });

  it('test_unregisterProducerAfterDisconnect: unregisterProducer after the peer closed and after loseConnection raises nothing', async () => {
    const { client, server } = await pair(c, () => new Recorder(), () => new Recorder());
    t(client).registerProducer({ resumeProducing() {}, stopProducing() {}, pauseProducing() {} }, true);
    server.transport!.loseConnection();
    await client.lost;
    client.transport!.loseConnection();
    t(client).unregisterProducer();
  });

  it('test_disconnectWhileProducing: loseConnection with a pull producer registered closes only after unregisterProducer', async () => {
    const { client, server } = await pair(c, () => new Recorder(), () => new Recorder());
    let resumes = 0;
    const producer = {
      resumeProducing: () => {
        resumes++;
        if (resumes === 3) t(client).unregisterProducer();
        else client.transport!.write(Buffer.from('x'));
      },
      stopProducing: () => {},
    };
    t(client).registerProducer(producer, false);
    client.transport!.loseConnection();
    expect(typeName(await client.lost)).to.equal('ConnectionDone');
    expect(resumes).to.equal(3);
    await server.lost;
    expect(server.received().toString()).to.equal('xx');
  });
});

describe('ExceptionsInCallbacks', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('test_dataReceivedRaises: the exception is logged, the connection closes in order, connectionLost gets the exception itself; the peer sees ConnectionDone', async () => {
    class Raiser extends Recorder {
      override dataReceived(): void {
        throw new RangeError('boom in dataReceived');
      }
    }
    const { client, server } = await pair(c, () => new Raiser(), () => new Recorder());
    client.transport!.write(Buffer.from('hi'));
    const reason = await server.lost;
    expect(reason.value).to.be.instanceOf(RangeError);
    expect(typeName(await client.lost)).to.equal('ConnectionDone');
    expect(c.log.errors(RangeError)).to.have.length(1);
  });

  it('test_clientConnectionMadeRaises: connectionLost(the exception) then clientConnectionLost(the exception)', async () => {
    class Raiser extends Recorder {
      override connectionMade(): void {
        throw new RangeError('client connectionMade');
      }
    }
    const port = await listen(c, Factory.forProtocol(Protocol));
    const cf = new RecordingClientFactory(() => new Raiser());
    reactor.connectTCP('127.0.0.1', port.getHost().port, cf);
    const reason = await cf.done;
    expect(reason.value).to.be.instanceOf(RangeError);
    expect((await cf.protocolD).events).to.deep.equal(['lost RangeError']);
    expect(cf.events.slice(-2)).to.deep.equal(['clientConnectionLost RangeError', 'stopFactory']);
  });

  it("test_serverConnectionMadeRaises: logged only; as in Twisted, the connection stays open and data still arrives", async () => {
    class Raiser extends Recorder {
      override connectionMade(): void {
        super.connectionMade();
        throw new RangeError('server connectionMade');
      }
    }
    const { client, server } = await pair(c, () => new Raiser(), () => new Recorder());
    client.transport!.write(Buffer.from('hello'));
    await waitFor(() => server.received().length === 5);
    expect(c.log.errors(RangeError)).to.have.length(1);
    client.transport!.loseConnection();
    expect(typeName(await server.lost)).to.equal('ConnectionDone');
  });

  it('test_serverBuildProtocolRaises: logged; the accepted socket is closed (Twisted leaves it open)', async () => {
    class F extends Factory<Protocol> {
      override buildProtocol(): Protocol | null {
        throw new RangeError('buildProtocol');
      }
    }
    const port = await listen(c, new F());
    const s = await rawConnect(c, port.getHost().port);
    await readAll(s);
    expect(c.log.errors(RangeError)).to.have.length(1);
  });

  it('test_clientConnectionLostRaises: logged; unlike Twisted, clientConnectionLost and stopFactory still run (so reconnecting factories retry)', async () => {
    class Raiser extends Recorder {
      override connectionMade(): void {
        super.connectionMade();
        this.transport!.loseConnection();
      }
      override connectionLost(reason: Failure): void {
        super.connectionLost(reason);
        throw new RangeError('client connectionLost');
      }
    }
    const port = await listen(c, Factory.forProtocol(Protocol));
    const cf = new RecordingClientFactory(() => new Raiser());
    reactor.connectTCP('127.0.0.1', port.getHost().port, cf);
    expect(typeName(await cf.done)).to.equal('ConnectionDone');
    await waitFor(() => cf.events.at(-1) === 'stopFactory');
    expect(c.log.errors(RangeError)).to.have.length(1);
  });

  it('test_peerReset: a peer RST after some data: the data, then connectionLost(ConnectionLost), and no uncaught error', async () => {
    const f = new RecordingFactory(() => new Recorder());
    const port = await listen(c, f);
    const s = await rawConnect(c, port.getHost().port);
    s.write(Buffer.alloc(10));
    const server = await (await f.next).made;
    await waitFor(() => server.received().length === 10);
    s.resetAndDestroy();
    expect(typeName(await server.lost)).to.equal('ConnectionLost');
    expect(server.events).to.deep.equal(['made', 'data 10', 'lost ConnectionLost']);
  });

  it('test_loseConnectionNotSynchronous: connectionLost(ConnectionDone) comes after loseConnection() returned, and no data after loseConnection', async () => {
    const { client, server } = await pair(c, () => new Recorder(), () => new Recorder());
    server.transport!.write(Buffer.from('late data'));
    client.transport!.loseConnection();
    expect(client.events).to.deep.equal(['made']);
    const reason = await client.lost;
    expect(reason.value).to.be.instanceOf(ConnectionDone);
    expect(client.data).to.have.length(0);
  });
});

describe('ReactorShutdown', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it("test_stopDisconnectsAll: reactor.stop() loses every connection and port with ConnectionLost('Connection lost') in the 'during' phase, with running already false", async () => {
    const r = new Reactor();
    const order: string[] = [];
    const lost: Failure[] = [];
    class P extends Protocol {
      override connectionMade(): void {
        order.push('made');
        if (order.filter((x) => x === 'made').length === 2) r.stop();
      }
      override connectionLost(reason: Failure): void {
        order.push(`lost running=${String(r.running)}`);
        lost.push(reason);
      }
    }
    class F extends Factory<P> {
      override stopFactory(): void {
        order.push('stopFactory');
      }
    }
    r.addSystemEventTrigger('before', 'shutdown', () => order.push('before'));
    r.addSystemEventTrigger('after', 'shutdown', () => order.push('after'));
    r.callWhenRunning(() => {
      const port = r.listenTCP(0, F.forProtocol(P) as F, { interface: '127.0.0.1' });
      port.whenListening().addCallback(() => {
        r.connectTCP('127.0.0.1', port.getHost().port, ClientFactory.forProtocol(P));
        return null;
      });
    });
    await r.run();
    expect(order[0]).to.equal('made');
    expect(order.slice(2)).to.have.members(['before', 'stopFactory', 'lost running=false', 'lost running=false', 'after']);
    expect(order.at(-1)).to.equal('after');
    expect(order[2]).to.equal('before');
    for (const f of lost) expect(f.getErrorMessage()).to.equal('Connection to the other side was lost in a non-clean fashion: Connection lost.');
  });

  it('test_stopEndsPendingAttempts: reactor.stop() also ends a connection attempt in progress: clientConnectionFailed, and no connection afterwards', async () => {
    const r = new Reactor();
    const events: string[] = [];
    const server = net.createServer((sock) => {
      events.push('accepted');
      sock.destroy();
    });
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
    class F extends ClientFactory<Protocol> {
      override clientConnectionFailed(_c: IConnector, reason: Failure): void {
        events.push(`failed ${(reason.type as { name: string }).name}`);
      }
      override buildProtocol(): Protocol | null {
        events.push('buildProtocol');
        return new Protocol();
      }
    }
    r.callWhenRunning(() => {
      r.connectTCP('127.0.0.1', (server.address() as net.AddressInfo).port, new F());
      r.stop();
    });
    await r.run();
    await sleep(30);
    server.close();
    expect(events).to.deep.equal(['failed ConnectionLost']);
  });
});

describe('StreamTransportReading', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  /** Chunks the writer sends on separate turns, each filled with its own byte. */
  const sizes = [65536, 7, 65536, 1500, 200_000, 3];

  for (const receiver of ['server', 'client'] as const) {
    it(`test_keptChunksStayIntact (${receiver}): every Buffer handed to dataReceived is the protocol's own: later reads do not change one it kept`, async () => {
      const { client, server } = await pair(c, () => new Recorder(), () => new Recorder());
      const [reader, writer] = receiver === 'server' ? [server, client] : [client, server];
      let total = 0;
      for (let i = 0; i < sizes.length; i++) {
        writer.transport!.write(Buffer.alloc(sizes[i]!, 0x41 + i));
        total += sizes[i]!;
        await waitFor(() => reader.received().length === total);
      }
      // Each chunk kept still holds the bytes it arrived with, in order.
      let offset = 0;
      const expected = Buffer.concat(sizes.map((n, i) => Buffer.alloc(n, 0x41 + i)));
      for (const chunk of reader.data) {
        expect(chunk.equals(expected.subarray(offset, offset + chunk.length))).to.equal(true);
        offset += chunk.length;
      }
      expect(offset).to.equal(total);
    });

    it(`test_pausedInConnectionMade (${receiver}): a transport paused in connectionMade delivers nothing until resumeProducing, then everything in order`, async () => {
      class Paused extends Recorder {
        override connectionMade(): void {
          t(this).pauseProducing();
          super.connectionMade();
        }
      }
      const make = (): Recorder => new Recorder();
      const { client, server } = receiver === 'server' ? await pair(c, () => new Paused(), make) : await pair(c, make, () => new Paused());
      const [reader, writer] = receiver === 'server' ? [server, client] : [client, server];
      writer.transport!.write(Buffer.from('first '));
      writer.transport!.write(Buffer.from('second'));
      await sleep(30);
      expect(reader.data).to.have.length(0);
      t(reader).resumeProducing();
      await waitFor(() => reader.received().length === 12);
      expect(reader.received().toString()).to.equal('first second');
    });
  }

  it('test_adoptFallsBackToData: a socket whose handle cannot be moved is read through its own \'data\' events, resumed, and closed with the transport', async () => {
    class Bare extends StreamTransportClass {
      getHost(): null {
        return null;
      }
      getPeer(): null {
        return null;
      }
    }
    const transport = new Bare(reactor);
    const socket = new net.Socket(); // not connected: no handle to move
    socket.pause(); // as a port accepts it
    const protocol = new Recorder();
    transport.protocol = protocol;
    transport.connected = true;
    transport._adopt(socket);
    expect(transport.getHandle()).to.equal(socket);
    expect(transport._readsIntoBuffer).to.equal(false);
    transport._startReading();
    expect(socket.listenerCount('data')).to.equal(1);
    expect(socket.isPaused()).to.equal(false);
    transport.loseConnection();
    const reason = await protocol.lost;
    expect(typeName(reason)).to.equal('ConnectionDone');
    expect(socket.destroyed).to.equal(true);
    expect(socket.listenerCount('data')).to.equal(0);
  });

  it('test_acceptedSocketMoved: the accepted connection reads through its own socket, which reports both addresses, and the port keeps no count of the emptied one', async () => {
    const { client, server } = await pair(c, () => new Recorder(), () => new Recorder());
    const handle = t(server).getHandle()!;
    expect(handle.remotePort).to.equal((client.transport!.getHost() as IPv4Address).port);
    expect(handle.localPort).to.equal((server.transport!.getHost() as IPv4Address).port);
    const port = c.ports[0]!;
    const count = await new Promise<number>((resolve, reject) => (port as unknown as { _server: net.Server })._server.getConnections((err, n) => (err ? reject(err) : resolve(n))));
    expect(count).to.equal(0);
  });
});
