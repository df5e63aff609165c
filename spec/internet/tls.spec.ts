// Port of the portable TLS tests of twisted/internet/test/test_tls.py, twisted/test/test_ssl.py and
// the connection tests of twisted/test/test_sslverify.py (Twisted 22.4): listenSSL, connectSSL and
// startTLS over real sockets on 127.0.0.1 with the certificates of spec/fixtures/tls.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConnectionDone, SSLError, TLSStateError, VerificationError } from '../../lib/error/index.js';
import { ClientFactory, Factory } from '../../lib/protocol/index.js';
import { reactor } from '../../lib/reactor/index.js';
import { Certificate, CertificateOptions, optionsForClientTLS, PrivateCertificate } from '../../lib/ssl/index.js';
import type { IOpenSSLContextFactory } from '../../lib/ssl/index.js';
import type { TCPClient, TCPServer } from '../../lib/internet/tcp.js';
import type { SSLPort } from '../../lib/internet/ssl.js';
import type { Port } from '../../lib/internet/tcp.js';
import { Cleanup, listen, Recorder, RecordingClientFactory, RecordingFactory, typeName } from './helpers.js';

const FIXTURES = join(__dirname, '..', 'fixtures', 'tls');
const pem = (name: string): string => readFileSync(join(FIXTURES, name), 'latin1');
const ca = Certificate.loadPEM(pem('ca.crt'));
const server = PrivateCertificate.loadPEM(pem('server.pem'));
const client = PrivateCertificate.loadPEM(pem('client.pem'));
const stranger = PrivateCertificate.loadPEM(pem('stranger.key') + pem('stranger.crt'));
const serverOptions = (): CertificateOptions => new CertificateOptions({ privateKey: server.privateKey, certificate: server });

/** A protocol writing `greeting` in connectionMade. */
class Greeter extends Recorder {
  constructor(readonly greeting: Buffer | null) {
    super();
  }
  override connectionMade(): void {
    super.connectionMade();
    if (this.greeting !== null) this.transport!.write(this.greeting);
  }
}

interface Pair {
  port: SSLPort;
  server: Greeter;
  client: Greeter;
}

async function sslPair(c: Cleanup, serverCtx: IOpenSSLContextFactory, clientCtx: IOpenSSLContextFactory, greetings: [string | null, string | null] = ['from server', 'from client']): Promise<Pair> {
  const sf = new RecordingFactory(() => new Greeter(greetings[0] === null ? null : Buffer.from(greetings[0])));
  const port = reactor.listenSSL(0, sf, serverCtx, { interface: '127.0.0.1' });
  c.ports.push(port as unknown as Port);
  await port.whenListening();
  const cf = new RecordingClientFactory(() => new Greeter(greetings[1] === null ? null : Buffer.from(greetings[1])));
  reactor.connectSSL('127.0.0.1', port.getHost().port, cf, clientCtx);
  const cp = await cf.protocolD;
  const sp = await sf.next;
  return { port, server: sp, client: cp };
}

/** Resolve once `p` received `n` bytes. */
function receivedAtLeast(p: Recorder, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (p.received().length >= n) resolve(p.received());
      else if (p.reason !== null) reject(new Error(`lost first: ${typeName(p.reason)} after ${p.received().length} bytes`));
      else setTimeout(check, 2);
    };
    check();
  });
}

describe('ServiceIdentityTests', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('test_validHostname: a client checking "localhost" against the server certificate exchanges data both ways', async () => {
    const { server: s, client: cl } = await sslPair(c, serverOptions(), optionsForClientTLS('localhost', ca));
    expect((await receivedAtLeast(cl, 11)).toString()).to.equal('from server');
    expect((await receivedAtLeast(s, 11)).toString()).to.equal('from client');
    expect((cl.transport as TCPClient).getPeerCertificate()!.getSubject().commonName).to.equal('localhost');
    expect((s.transport as TCPServer).getPeerCertificate()).to.equal(null);
    expect((cl.transport as TCPClient).TLS).to.equal(true);
  });

  it('test_validHostname (IP address): the server certificate names 127.0.0.1 too, and an IP is checked without SNI', async () => {
    const { client: cl } = await sslPair(c, serverOptions(), optionsForClientTLS('127.0.0.1', ca));
    expect((await receivedAtLeast(cl, 11)).toString()).to.equal('from server');
  });

  it('test_invalidHostname: a hostname the certificate does not name ends the client with VerificationError; no data crosses', async () => {
    const { server: s, client: cl } = await sslPair(c, serverOptions(), optionsForClientTLS('example.com', ca));
    const reason = await cl.lost;
    expect(reason.value).to.be.instanceOf(VerificationError);
    expect(reason.value).to.be.instanceOf(SSLError);
    expect(String((reason.value as Error).message)).to.contain('example.com');
    expect(cl.events[0]).to.equal('made');
    expect(cl.received().length).to.equal(0);
    await s.lost;
    expect(s.received().length).to.equal(0);
  });

  it('test_validHostnameInvalidCertificate: a certificate for the right name from an untrusted authority ends the client with SSLError; no data crosses', async () => {
    const strangerOptions = new CertificateOptions({ privateKey: stranger.privateKey, certificate: stranger });
    const { server: s, client: cl } = await sslPair(c, strangerOptions, optionsForClientTLS('localhost', ca));
    const reason = await cl.lost;
    expect(reason.value).to.be.instanceOf(SSLError);
    expect(reason.value).not.to.be.instanceOf(VerificationError);
    expect(cl.received().length).to.equal(0);
    await s.lost;
    expect(s.received().length).to.equal(0);
  });

  it('test_clientPresentsCertificate: a server requiring client certificates accepts one signed by its authority and sees it', async () => {
    const { server: s, client: cl } = await sslPair(c, server.options(ca), optionsForClientTLS('localhost', ca, client));
    expect((await receivedAtLeast(s, 11)).toString()).to.equal('from client');
    expect((await receivedAtLeast(cl, 11)).toString()).to.equal('from server');
    expect((s.transport as TCPServer).getPeerCertificate()!.getSubject().commonName).to.equal('twistless test client');
  });

  it('test_clientPresentsBadCertificate: a client certificate from another authority ends the server connection with SSLError; no data crosses', async () => {
    const { server: s, client: cl } = await sslPair(c, server.options(ca), optionsForClientTLS('localhost', ca, stranger));
    const reason = await s.lost;
    expect(reason.value).to.be.instanceOf(SSLError);
    expect(s.received().length).to.equal(0);
    await cl.lost;
    expect(cl.received().length).to.equal(0);
  });
});

describe('OpenSSLOptionsTests', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('test_refusedAnonymousClientConnection: a server requiring a certificate refuses a client without one (SSLError); no data crosses', async () => {
    const { server: s, client: cl } = await sslPair(c, server.options(ca), optionsForClientTLS('localhost', ca));
    const reason = await s.lost;
    expect(reason.value).to.be.instanceOf(SSLError);
    expect(s.received().length).to.equal(0);
    await cl.lost;
  });

  it('test_allowedAnonymousClientConnection: a server with verify off accepts a client without a certificate', async () => {
    const { server: s } = await sslPair(c, serverOptions(), new CertificateOptions());
    expect((await receivedAtLeast(s, 11)).toString()).to.equal('from client');
  });

  it('test_failedCertificateVerification: a client verifying against caCerts refuses a server signed by someone else', async () => {
    const strangerOptions = new CertificateOptions({ privateKey: stranger.privateKey, certificate: stranger });
    const { client: cl } = await sslPair(c, strangerOptions, new CertificateOptions({ verify: true, caCerts: [ca] }));
    expect((await cl.lost).value).to.be.instanceOf(SSLError);
    expect(cl.received().length).to.equal(0);
  });

  it('test_successfulCertificateVerification: a client verifying against caCerts accepts a server its authority signed', async () => {
    const { client: cl } = await sslPair(c, serverOptions(), new CertificateOptions({ verify: true, caCerts: [ca] }));
    expect((await receivedAtLeast(cl, 11)).toString()).to.equal('from server');
  });

  it('test_successfulSymmetricSelfSignedCertificateVerification: each side trusting the other certificate itself connects', async () => {
    const serverSide = new CertificateOptions({ privateKey: server.privateKey, certificate: server, trustRoot: ca });
    const { server: s, client: cl } = await sslPair(c, serverSide, optionsForClientTLS('localhost', ca, client));
    expect((await receivedAtLeast(cl, 11)).toString()).to.equal('from server');
    expect((await receivedAtLeast(s, 11)).toString()).to.equal('from client');
  });
});

// ---------------------------------------------------------------------------------- startTLS

/** Sends lines in the clear, asks the peer to start TLS, then sends more lines over TLS. Port of test_ssl's UnintelligentProtocol. */
class Unintelligent extends Recorder {
  constructor(readonly ctx: IOpenSSLContextFactory) {
    super();
  }
  override connectionMade(): void {
    super.connectionMade();
    this.transport!.write(Buffer.from('first line\nlast thing before tls starts\nSTARTTLS\n'));
  }
  override dataReceived(data: Buffer): void {
    super.dataReceived(data);
    if (this.received().toString().includes('READY')) {
      if (!(this.transport as TCPServer).TLS) {
        (this.transport as TCPServer).startTLS(this.ctx);
        this.transport!.write(Buffer.from('first thing after tls started\nlast thing ever\n'));
        this.transport!.loseConnection();
      }
    }
  }
}

/** Collects lines; on STARTTLS answers READY in the clear, then starts TLS. Port of test_ssl's LineCollector. */
class Collector extends Recorder {
  constructor(readonly ctx: IOpenSSLContextFactory) {
    super();
  }
  override dataReceived(data: Buffer): void {
    super.dataReceived(data);
    const t = this.transport as TCPServer;
    if (!t.TLS && this.received().toString().includes('STARTTLS\n')) {
      t.write(Buffer.from('READY\n'));
      t.startTLS(this.ctx);
    }
  }
}

describe('TLSTests', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  async function run(serverMade: () => Recorder, clientMade: () => Recorder): Promise<[Recorder, Recorder]> {
    const sf = new RecordingFactory(serverMade);
    const port = await listen(c, sf);
    const cf = new RecordingClientFactory(clientMade);
    reactor.connectTCP('127.0.0.1', port.getHost().port, cf);
    const cp = await cf.protocolD;
    const sp = await sf.next;
    await Promise.all([cp.lost, sp.lost]);
    return [sp, cp];
  }

  it('test_TLS: the server starts TLS after READY in the clear; the client then starts it too; every line arrives, before and after', async () => {
    const [sp, cp] = await run(() => new Collector(serverOptions()), () => new Unintelligent(optionsForClientTLS('localhost', ca)));
    expect(sp.received().toString()).to.equal('first line\nlast thing before tls starts\nSTARTTLS\nfirst thing after tls started\nlast thing ever\n');
    expect(cp.received().toString()).to.equal('READY\n');
    expect(typeName(sp.reason)).to.equal('ConnectionDone');
  });

  it('test_backwardsTLS: the client side acts as the TLS server with normal=false', async () => {
    class ServerAsTLSClient extends Unintelligent {
      override dataReceived(data: Buffer): void {
        Recorder.prototype.dataReceived.call(this, data);
        const t = this.transport as TCPServer;
        if (this.received().toString().includes('READY') && !t.TLS) {
          t.startTLS(this.ctx, false);
          t.write(Buffer.from('first thing after tls started\nlast thing ever\n'));
          t.loseConnection();
        }
      }
    }
    class ClientAsTLSServer extends Collector {
      override dataReceived(data: Buffer): void {
        Recorder.prototype.dataReceived.call(this, data);
        const t = this.transport as TCPClient;
        if (!t.TLS && this.received().toString().includes('STARTTLS\n')) {
          t.write(Buffer.from('READY\n'));
          t.startTLS(this.ctx, false);
        }
      }
    }
    const [sp, cp] = await run(() => new ServerAsTLSClient(optionsForClientTLS('localhost', ca)), () => new ClientAsTLSServer(serverOptions()));
    expect(cp.received().toString()).to.equal('first line\nlast thing before tls starts\nSTARTTLS\nfirst thing after tls started\nlast thing ever\n');
    expect(sp.received().toString()).to.equal('READY\n');
  });

  it('test_unTLS: a server that starts TLS while the client does not receives the client\'s later bytes as TLS records, never as lines', async () => {
    class NoTLSClient extends Recorder {
      override connectionMade(): void {
        super.connectionMade();
        this.transport!.write(Buffer.from('first line\nSTARTTLS\n'));
      }
      override dataReceived(data: Buffer): void {
        super.dataReceived(data);
        if (this.received().toString().includes('READY')) {
          this.transport!.write(Buffer.from('plain after\n'));
          this.transport!.loseConnection();
        }
      }
    }
    const [sp] = await run(() => new Collector(serverOptions()), () => new NoTLSClient());
    expect(sp.received().toString()).to.equal('first line\nSTARTTLS\n');
    expect(sp.reason!.value).to.be.instanceOf(SSLError);
  });
});

describe('TLSConnectionTests', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('test_noTLSBeforeStartTLS / test_tlsAfterStartTLS: TLS is false on a TCP transport until startTLS()', async () => {
    const sf = new RecordingFactory(() => new Recorder());
    const port = await listen(c, sf);
    const cf = new RecordingClientFactory(() => new Recorder());
    reactor.connectTCP('127.0.0.1', port.getHost().port, cf);
    const cp = await cf.protocolD;
    await cp.made;
    const t = cp.transport as TCPClient;
    expect(t.TLS).to.equal(false);
    expect(t.getPeerCertificate()).to.equal(null);
    t.startTLS(new CertificateOptions());
    expect(t.TLS).to.equal(true);
    expect(() => t.startTLS(new CertificateOptions())).to.throw(TLSStateError, /already speaks TLS/);
  });

  it('test_badContext (startTLS): what getContext() raises comes out of startTLS, and the connection stays plain', async () => {
    const sf = new RecordingFactory(() => new Recorder());
    const port = await listen(c, sf);
    const cf = new RecordingClientFactory(() => new Recorder());
    reactor.connectTCP('127.0.0.1', port.getHost().port, cf);
    const cp = await cf.protocolD;
    await cp.made;
    const bad = { getContext(): never { throw new RangeError('no context today'); } };
    expect(() => (cp.transport as TCPClient).startTLS(bad as unknown as IOpenSSLContextFactory)).to.throw(RangeError, 'no context today');
    expect((cp.transport as TCPClient).TLS).to.equal(false);
  });

  it('test_badContext (connectSSL / listenSSL): a context factory raising from getContext() makes the call raise', () => {
    const bad = { getContext(): never { throw new RangeError('no context today'); } } as unknown as IOpenSSLContextFactory;
    expect(() => reactor.connectSSL('127.0.0.1', 1234, new ClientFactory(), bad)).to.throw(RangeError, 'no context today');
    expect(() => reactor.listenSSL(0, new Factory(), bad)).to.throw(RangeError, 'no context today');
    expect(() => reactor.listenSSL(0, new Factory(), {} as IOpenSSLContextFactory)).to.throw(TypeError, /getContext/);
  });

  it('test_disconnectAfterWriteAfterStartTLS: both sides start TLS, write, and loseConnection; both see connectionLost', async () => {
    class Short extends Recorder {
      constructor(readonly ctx: IOpenSSLContextFactory) {
        super();
      }
      override connectionMade(): void {
        super.connectionMade();
        (this.transport as TCPServer).startTLS(this.ctx);
        this.transport!.write(Buffer.from('x'));
      }
      override dataReceived(data: Buffer): void {
        super.dataReceived(data);
        this.transport!.write(Buffer.from('y'));
        this.transport!.loseConnection();
      }
    }
    const sf = new RecordingFactory(() => new Short(serverOptions()));
    const port = await listen(c, sf);
    const cf = new RecordingClientFactory(() => new Short(optionsForClientTLS('localhost', ca)));
    reactor.connectTCP('127.0.0.1', port.getHost().port, cf);
    const cp = await cf.protocolD;
    const sp = await sf.next;
    const [a, b] = await Promise.all([cp.lost, sp.lost]);
    expect(a).to.not.equal(null);
    expect(b).to.not.equal(null);
    expect(cp.received().toString().startsWith('x')).to.equal(true);
    expect(sp.received().toString().startsWith('x')).to.equal(true);
  });

  it('test_loseConnectionFlushes: loseConnection() right after a 2 MB write over TLS delivers every byte, then ConnectionDone', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 7);
    class Blaster extends Recorder {
      override connectionMade(): void {
        super.connectionMade();
        this.transport!.write(big);
        this.transport!.loseConnection();
      }
    }
    const sf = new RecordingFactory(() => new Blaster());
    const port = reactor.listenSSL(0, sf, serverOptions(), { interface: '127.0.0.1' });
    c.ports.push(port as unknown as Port);
    await port.whenListening();
    const cf = new RecordingClientFactory(() => new Recorder());
    reactor.connectSSL('127.0.0.1', port.getHost().port, cf, optionsForClientTLS('localhost', ca));
    const cp = await cf.protocolD;
    const reason = await cp.lost;
    expect(cp.received().length).to.equal(big.length);
    expect(cp.received().equals(big)).to.equal(true);
    expect(reason.value).to.be.instanceOf(ConnectionDone);
    expect(typeName((await sf.next).reason)).to.equal('ConnectionDone');
  });

  it('test_pushProducerOverTLS: a push producer is paused past bufferSize and resumed once the TLS socket drains; all bytes arrive', async () => {
    const chunk = Buffer.alloc(16 * 1024, 1);
    const total = 64;
    const trace: string[] = [];
    class Producing extends Recorder {
      sent = 0;
      paused = false;
      override connectionMade(): void {
        super.connectionMade();
        const self = this;
        const producer = {
          pauseProducing(): void {
            self.paused = true;
            trace.push('pause');
          },
          resumeProducing(): void {
            self.paused = false;
            trace.push('resume');
            self.pump();
          },
          stopProducing(): void {
            trace.push('stop');
          },
        };
        this.tcp.registerProducer(producer, true);
        this.pump();
      }
      pump(): void {
        while (!this.paused && this.sent < total) {
          this.sent++;
          this.transport!.write(chunk);
        }
        if (this.sent === total && !this.paused) {
          this.tcp.unregisterProducer();
          this.transport!.loseConnection();
        }
      }
    }
    const sf = new RecordingFactory(() => new Producing());
    const port = reactor.listenSSL(0, sf, serverOptions(), { interface: '127.0.0.1' });
    c.ports.push(port as unknown as Port);
    await port.whenListening();
    const cf = new RecordingClientFactory(() => new Recorder());
    reactor.connectSSL('127.0.0.1', port.getHost().port, cf, optionsForClientTLS('localhost', ca));
    const cp = await cf.protocolD;
    await cp.lost;
    expect(cp.received().length).to.equal(chunk.length * total);
    expect(trace).to.include('pause');
    expect(trace).to.include('resume');
    expect(trace.filter((e) => e === 'pause').length).to.equal(trace.filter((e) => e === 'resume').length);
  });

  it('test_writeAfterDisconnectAfterTLS: writes after the TLS connection is lost are dropped silently', async () => {
    const { client: cl } = await sslPair(c, serverOptions(), optionsForClientTLS('localhost', ca));
    await receivedAtLeast(cl, 11);
    cl.transport!.loseConnection();
    await cl.lost;
    expect(() => cl.transport?.write(Buffer.from('late'))).not.to.throw();
  });

  it('test_connectionLostLogMsg: a TLS port logs "(TLS Port N Closed)" when it stops', async () => {
    const port = reactor.listenSSL(0, new Factory(), serverOptions(), { interface: '127.0.0.1' });
    await port.whenListening();
    const n = port.getHost().port;
    await port.stopListening();
    expect(c.log.events.map((e) => e.message.join(' '))).to.contain(`(TLS Port ${n} Closed)`);
  });
});
