// Port of the SSL parts of twisted/internet/test/test_endpoints.py (Twisted 22.4): SSL4EndpointsTests
// (MemoryReactor based), ServerStringTests.test_ssl*, SSLClientStringTests, WrapClientTLSParserTests
// and wrapClientTLS over real sockets on 127.0.0.1 with the certificates of spec/fixtures/tls.
import { expect } from 'chai';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Failure } from '../../lib/failure/index.js';
import type { IPv4Address } from '../../lib/address/index.js';
import { LogCapture } from '../reactor/logCapture.js';
import { CannotListenError, ConnectionRefusedError, InvalidCertificateError } from '../../lib/error/index.js';
import { Factory, Protocol } from '../../lib/protocol/index.js';
import type { IListeningPort, IProtocol } from '../../lib/protocol/index.js';
import { reactor } from '../../lib/reactor/index.js';
import {
  clientFromString,
  EndpointDescriptionError,
  serverFromString,
  SSL4ClientEndpoint,
  SSL4ServerEndpoint,
  TCP4ClientEndpoint,
  wrapClientTLS,
} from '../../lib/endpoints/index.js';
import { Certificate, CertificateOptions, optionsForClientTLS, PrivateCertificate } from '../../lib/ssl/index.js';
import { MemoryReactorClock, RaisingMemoryReactor } from '../../lib/testing/index.js';
import type { TCPClient } from '../../lib/internet/tcp.js';

const FIXTURES = join(__dirname, '..', 'fixtures', 'tls');
const fixture = (name: string): string => join(FIXTURES, name);
const ca = Certificate.loadPEM(readFileSync(fixture('ca.crt')));
const server = PrivateCertificate.loadPEM(readFileSync(fixture('server.pem')));
const serverOptions = (): CertificateOptions => new CertificateOptions({ privateKey: server.privateKey, certificate: server });

class Echo extends Protocol {
  override dataReceived(data: Buffer): void {
    this.transport!.write(data);
  }
}

class Collect extends Protocol {
  got: Buffer[] = [];
  waiting: ((b: Buffer) => void) | null = null;
  override dataReceived(data: Buffer): void {
    this.got.push(data);
    if (this.waiting !== null) this.waiting(Buffer.concat(this.got));
  }
  next(): Promise<Buffer> {
    return new Promise((r) => (this.waiting = r));
  }
}

// The real-socket cases log their ports' start and stop lines: keep them out of the spec output.
const logs = new LogCapture();

describe('SSL4EndpointsTests', () => {
  beforeEach(() => logs.start());
  afterEach(() => logs.stop());
  it('test_endpointListenSuccess: SSL4ServerEndpoint.listen calls listenSSL with the port, factory, context factory, backlog and interface', async () => {
    const r = new MemoryReactorClock();
    const ctx = serverOptions();
    const f = new Factory();
    const port = await new SSL4ServerEndpoint(r, 0, ctx, { backlog: 10, interface: '127.0.0.1' }).listen(f);
    expect(r.sslServers).to.deep.equal([[0, f, ctx, 10, '127.0.0.1']]);
    expect((port.getHost() as IPv4Address).port).to.equal(0);
  });

  it('test_endpointListenFailure: a listenSSL that raises fails the listen Deferred with it', async () => {
    const err = new CannotListenError('', 80, 'EACCES');
    const r = new RaisingMemoryReactor({ listenException: err });
    const d = new SSL4ServerEndpoint(r, 80, serverOptions()).listen(new Factory());
    const f = await new Promise<Failure>((res) => d.addErrback((x: Failure) => res(x)));
    expect(f.value).to.equal(err);
  });

  it('test_endpointConnectingCancelled / test_endpointConnectSuccess: SSL4ClientEndpoint.connect records connectSSL with its defaults', () => {
    const r = new MemoryReactorClock();
    const ctx = optionsForClientTLS('example.com', ca);
    new SSL4ClientEndpoint(r, 'example.com', 443, ctx, { timeout: 5, bindAddress: ['10.0.0.1', 0] }).connect(new Factory());
    const [host, port, , context, timeout, bind] = r.sslClients[0]!;
    expect([host, port, context, timeout, bind]).to.deep.equal(['example.com', 443, ctx, 5, ['10.0.0.1', 0]]);
  });

  it('test_endpointConnectFailure: a connectSSL that raises fails the connect Deferred with it', async () => {
    const err = new ConnectionRefusedError();
    const r = new RaisingMemoryReactor({ connectException: err });
    const d = new SSL4ClientEndpoint(r, 'example.com', 443, new CertificateOptions()).connect(new Factory());
    const f = await new Promise<Failure>((res) => d.addErrback((x: Failure) => res(x)));
    expect(f.value).to.equal(err);
  });

  it('test_realConnection: an SSL4ServerEndpoint and an SSL4ClientEndpoint verifying "localhost" echo over 127.0.0.1', async () => {
    const port = await new SSL4ServerEndpoint(reactor, 0, serverOptions(), { interface: '127.0.0.1' }).listen(Factory.forProtocol(Echo));
    try {
      const proto = (await new SSL4ClientEndpoint(reactor, '127.0.0.1', (port.getHost() as IPv4Address).port, optionsForClientTLS('localhost', ca)).connect(Factory.forProtocol(Collect))) as Collect;
      const got = proto.next();
      proto.transport!.write(Buffer.from('ping'));
      expect((await got).toString()).to.equal('ping');
      proto.transport!.loseConnection();
    } finally {
      await (port as IListeningPort).stopListening();
    }
  });
});

describe('WrapClientTLSTests', () => {
  beforeEach(() => logs.start());
  afterEach(() => logs.stop());
  it('test_wrapClientTLS: wrapClientTLS over a TCP4ClientEndpoint speaks TLS, fires with the application protocol and its transport shows the peer certificate', async () => {
    const port = reactor.listenSSL(0, Factory.forProtocol(Echo), serverOptions(), { interface: '127.0.0.1' });
    await port.whenListening();
    try {
      const ep = wrapClientTLS(optionsForClientTLS('localhost', ca), new TCP4ClientEndpoint(reactor, '127.0.0.1', port.getHost().port));
      const proto = (await ep.connect(Factory.forProtocol(Collect))) as Collect;
      expect(proto).to.be.instanceOf(Collect);
      const got = proto.next();
      proto.transport!.write(Buffer.from('over tls'));
      expect((await got).toString()).to.equal('over tls');
      expect((proto.transport as unknown as TCPClient).getPeerCertificate()!.getSubject().commonName).to.equal('localhost');
      proto.transport!.loseConnection();
    } finally {
      await port.stopListening();
    }
  });
});

describe('ServerStringTests', () => {
  const r = new MemoryReactorClock();

  it('test_ssl: an ssl: description builds an SSL4ServerEndpoint with its port, backlog, interface and key/certificate', () => {
    const ep = serverFromString(r, `ssl:1234:backlog=12:privateKey=${fixture('server.key')}:certKey=${fixture('server.crt')}:interface=10.0.0.1`) as SSL4ServerEndpoint;
    expect(ep).to.be.instanceOf(SSL4ServerEndpoint);
    expect([ep._port, ep._backlog, ep._interface]).to.deep.equal([1234, 12, '10.0.0.1']);
    const ctx = ep._sslContextFactory as CertificateOptions;
    expect(ctx.certificate!.getSubject().commonName).to.equal('localhost');
    expect(ctx.privateKey).to.not.equal(null);
  });

  it('test_sslWithDefaults: with only the port and a combined key+certificate file, the backlog is 50 and the interface ""', () => {
    const ep = serverFromString(r, `ssl:4321:privateKey=${fixture('server.pem')}`) as SSL4ServerEndpoint;
    expect([ep._port, ep._backlog, ep._interface]).to.deep.equal([4321, 50, '']);
  });

  it('test_sslChainLoads: extraCertChain adds its certificates after ours, in order', () => {
    const ep = serverFromString(r, `ssl:4321:privateKey=${fixture('server.pem')}:extraCertChain=${fixture('ca.crt')}`) as SSL4ServerEndpoint;
    const chain = String((ep._sslContextFactory as CertificateOptions)._nodeOptions.cert);
    expect(chain.split('BEGIN CERTIFICATE').length - 1).to.equal(2);
    expect(chain.endsWith(ca.dumpPEM())).to.equal(true);
  });

  it('test_sslChainFileMustContainCert: an extraCertChain file without a certificate is an InvalidCertificateError', () => {
    expect(() => serverFromString(r, `ssl:4321:privateKey=${fixture('server.pem')}:extraCertChain=${fixture('server.key')}`)).to.throw(InvalidCertificateError, /doesn't contain any valid certificates/);
  });

  it('test_sslNoTrailingNewlinePem: key and certificate files without a trailing newline load', () => {
    const dir = mkdtempSync(join(tmpdir(), 'twistless-ssl-'));
    try {
      writeFileSync(join(dir, 'k.pem'), readFileSync(fixture('server.key'), 'latin1').trimEnd());
      writeFileSync(join(dir, 'c.pem'), readFileSync(fixture('server.crt'), 'latin1').trimEnd());
      const ep = serverFromString(r, `ssl:4321:privateKey=${join(dir, 'k.pem')}:certKey=${join(dir, 'c.pem')}`);
      expect(ep).to.be.instanceOf(SSL4ServerEndpoint);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('test_sslBadInput: a missing key file, an unknown keyword and sslmethod are named errors', () => {
    expect(() => serverFromString(r, 'ssl:4321:privateKey=/nonexistent/key.pem')).to.throw(EndpointDescriptionError, /cannot read/);
    expect(() => serverFromString(r, `ssl:4321:privateKey=${fixture('server.pem')}:bogus=1`)).to.throw(EndpointDescriptionError, /bogus/);
    expect(() => serverFromString(r, `ssl:4321:privateKey=${fixture('server.pem')}:sslmethod=TLSv1_METHOD`)).to.throw(EndpointDescriptionError, /sslmethod/);
  });
});

describe('SSLClientStringTests', () => {
  const r = new MemoryReactorClock();
  let caDir = '';
  before(() => {
    caDir = mkdtempSync(join(tmpdir(), 'twistless-cas-'));
    copyFileSync(fixture('ca.crt'), join(caDir, 'ca.crt'));
    writeFileSync(join(caDir, 'README'), 'not a certificate');
  });
  after(() => rmSync(caDir, { recursive: true, force: true }));

  it('test_ssl: an ssl: client description builds an SSL4ClientEndpoint with its host, port, timeout, bindAddress, client certificate and verifying CAs', () => {
    const ep = clientFromString(r, `ssl:host=example.net:port=4321:privateKey=${fixture('client.key')}:certKey=${fixture('client.crt')}:bindAddress=10.0.0.3:timeout=3:caCertsDir=${caDir}`) as SSL4ClientEndpoint;
    expect(ep).to.be.instanceOf(SSL4ClientEndpoint);
    expect([ep._host, ep._port, ep._timeout, ep._bindAddress]).to.deep.equal(['example.net', 4321, 3, ['10.0.0.3', 0]]);
    const ctx = ep._sslContextFactory as CertificateOptions;
    expect(ctx.verify).to.equal(true);
    expect(ctx.trustRoot!.caCertificates()).to.deep.equal([ca.dumpPEM()]);
    expect(ctx.certificate!.getSubject().commonName).to.equal('twistless test client');
  });

  it('test_sslPositionalArgs: host and port may be positional', () => {
    const ep = clientFromString(r, 'ssl:example.net:4321') as SSL4ClientEndpoint;
    expect([ep._host, ep._port]).to.deep.equal(['example.net', 4321]);
  });

  it('test_sslWithDefaults / test_sslSimple: without options the endpoint does not verify, with timeout 30 and no bindAddress', () => {
    const ep = clientFromString(r, 'ssl:example.net:4321') as SSL4ClientEndpoint;
    expect([ep._timeout, ep._bindAddress]).to.deep.equal([30, null]);
    expect((ep._sslContextFactory as CertificateOptions).verify).to.equal(false);
    expect((ep._sslContextFactory as CertificateOptions).certificate).to.equal(null);
  });
});

describe('WrapClientTLSParserTests', () => {
  beforeEach(() => logs.start());
  afterEach(() => logs.stop());
  let caDir = '';
  before(() => {
    caDir = mkdtempSync(join(tmpdir(), 'twistless-cas-'));
    copyFileSync(fixture('ca.crt'), join(caDir, 'ca.crt'));
  });
  after(() => rmSync(caDir, { recursive: true, force: true }));

  it('test_tls: a tls: description connects through HostnameEndpoint, verifies the server against trustRoots and checks the host name', async () => {
    const port = reactor.listenSSL(0, Factory.forProtocol(Echo), serverOptions(), { interface: '127.0.0.1' });
    await port.whenListening();
    try {
      const ep = clientFromString(reactor, `tls:localhost:${port.getHost().port}:trustRoots=${caDir}:timeout=5`);
      const proto = (await ep.connect(Factory.forProtocol(Collect))) as Collect;
      const got = proto.next();
      proto.transport!.write(Buffer.from('tls:'));
      expect((await got).toString()).to.equal('tls:');
      proto.transport!.loseConnection();
    } finally {
      await port.stopListening();
    }
  });

  it('test_tls (endpoint=): a nested endpoint description is used instead of HostnameEndpoint', async () => {
    const port = reactor.listenSSL(0, Factory.forProtocol(Echo), serverOptions(), { interface: '127.0.0.1' });
    await port.whenListening();
    try {
      const ep = clientFromString(reactor, `tls:localhost:trustRoots=${caDir}:endpoint=tcp\\:127.0.0.1\\:${port.getHost().port}`);
      const proto = (await ep.connect(Factory.forProtocol(Collect))) as IProtocol as Collect;
      const got = proto.next();
      proto.transport!.write(Buffer.from('nested'));
      expect((await got).toString()).to.equal('nested');
      proto.transport!.loseConnection();
    } finally {
      await port.stopListening();
    }
  });

  it('test_tlsWithDefaults: tls:host:port alone builds an endpoint (platform trust)', () => {
    const ep = clientFromString(new MemoryReactorClock(), 'tls:example.com:443');
    expect(ep.connect).to.be.a('function');
    expect(String(ep)).to.contain('wrapClientTLS');
  });
});
