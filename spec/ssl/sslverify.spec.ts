// Port of the portable construction tests of twisted/test/test_sslverify.py and test_ssl.py
// (Twisted 22.4): OpenSSLOptionsTests (constructor rules, versions), ClientOptionsTests,
// KeyPairTests, ConstructorsTests, MultipleCertificateTrustRootTests,
// DefaultOpenSSLContextFactoryTests, and bad certificate/key input (named errors at construction).
import { expect } from 'chai';
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidCertificateError, InvalidPrivateKeyError, TLSOptionsError } from '../../lib/error/index.js';
import {
  Certificate,
  CertificateOptions,
  DefaultOpenSSLContextFactory,
  KeyPair,
  optionsForClientTLS,
  platformTrust,
  PrivateCertificate,
  TLSVersion,
  trustRootFromCertificates,
} from '../../lib/ssl/index.js';

const FIXTURES = join(__dirname, '..', 'fixtures', 'tls');
const fixture = (name: string): string => join(FIXTURES, name);
const pem = (name: string): string => readFileSync(fixture(name), 'latin1');
const ca = Certificate.loadPEM(pem('ca.crt'));
const server = PrivateCertificate.loadPEM(pem('server.pem'));
const client = PrivateCertificate.loadPEM(pem('client.pem'));

describe('OpenSSLOptionsTests', () => {
  it('test_constructorWithOnlyPrivateKey: a private key without a certificate is refused', () => {
    expect(() => new CertificateOptions({ privateKey: server.privateKey })).to.throw(TLSOptionsError, 'Specify neither or both of privateKey and certificate');
  });

  it('test_constructorWithOnlyCertificate: a certificate without a private key is refused', () => {
    expect(() => new CertificateOptions({ certificate: server })).to.throw(TLSOptionsError, 'Specify neither or both of privateKey and certificate');
  });

  it('test_constructorWithCertificateAndPrivateKey: both are kept', () => {
    const o = new CertificateOptions({ privateKey: server.privateKey, certificate: server });
    expect(o.privateKey).to.equal(server.privateKey);
    expect(o.certificate).to.equal(server);
  });

  it('test_constructorDoesNotAllowVerifyWithoutCACerts: verify needs caCerts', () => {
    expect(() => new CertificateOptions({ privateKey: server.privateKey, certificate: server, verify: true })).to.throw(TLSOptionsError, 'Specify client CA certificate information if and only if enabling certificate verification');
  });

  it('test_constructorDoesNotAllowLegacyWithTrustRoot: trustRoot with verify, caCerts or requireCertificate is refused', () => {
    for (const extra of [{ verify: true }, { caCerts: [ca] }, { requireCertificate: false }]) {
      expect(() => new CertificateOptions({ trustRoot: ca, ...extra })).to.throw(TLSOptionsError, /mutually exclusive/);
    }
  });

  it('test_constructorAllowsCACertsWithoutVerify: caCerts without verify are ignored', () => {
    const o = new CertificateOptions({ caCerts: [ca] });
    expect(o.verify).to.equal(false);
    expect(o.trustRoot).to.equal(null);
  });

  it('test_constructorWithVerifyAndCACerts: verify with caCerts verifies against them', () => {
    const o = new CertificateOptions({ verify: true, caCerts: [ca] });
    expect(o.verify).to.equal(true);
    expect(o.trustRoot!.caCertificates()).to.deep.equal([ca.dumpPEM()]);
    expect(o.getContext().verify).to.equal(true);
  });

  it('test_constructorSetsExtraChain: extraCertChain follows our certificate', () => {
    const o = new CertificateOptions({ privateKey: server.privateKey, certificate: server, extraCertChain: [ca] });
    expect(String(o._nodeOptions.cert)).to.equal(server.original.toString() + ca.dumpPEM());
  });

  it('test_constructorDoesNotAllowExtraChainWithoutPrivateKey: extraCertChain needs a key and certificate', () => {
    expect(() => new CertificateOptions({ extraCertChain: [ca] })).to.throw(TLSOptionsError, 'A private key and a certificate are required when adding a supplemental certificate chain.');
  });

  it('test_honorsAcceptableCiphersArgument / test_acceptableCiphersAreAlwaysSet: a cipher string is passed on; an empty or unknown one is refused at construction', () => {
    const o = new CertificateOptions({ acceptableCiphers: 'ECDHE-RSA-AES128-GCM-SHA256' });
    expect(o._nodeOptions.ciphers).to.equal('ECDHE-RSA-AES128-GCM-SHA256');
    expect(() => new CertificateOptions({ acceptableCiphers: '' })).to.throw(TLSOptionsError, 'yielded no usable ciphers');
    expect(() => new CertificateOptions({ acceptableCiphers: 'NO-SUCH-CIPHER' })).to.throw(TLSOptionsError, /refused/);
  });

  it('test_methodIsDeprecated (not ported): method and the pyOpenSSL tuning options are named errors', () => {
    for (const k of ['method', 'enableSessions', 'fixBrokenPeers']) {
      expect(() => new CertificateOptions({ [k]: 1 } as never)).to.throw(TLSOptionsError, new RegExp(k));
    }
    expect(() => new CertificateOptions({ bogus: 1 } as never)).to.throw(TLSOptionsError, /unknown option "bogus"/);
  });

  it("test_tlsv1ByDefault (differs): the minimum is Node's TLS 1.2, not Twisted's TLS 1.0", () => {
    expect(new CertificateOptions()._nodeOptions.minVersion).to.equal('TLSv1.2');
    expect(new CertificateOptions()._nodeOptions.maxVersion).to.equal(undefined);
  });

  it('test_tlsProtocolsAtLeastWillAcceptHigherDefault: raiseMinimumTo below the default keeps the default', () => {
    expect(new CertificateOptions({ raiseMinimumTo: TLSVersion.TLSv1_0 })._nodeOptions.minVersion).to.equal('TLSv1.2');
  });

  it('test_tlsProtocolsAtLeastAllSecureTLS: raiseMinimumTo above the default raises it', () => {
    expect(new CertificateOptions({ raiseMinimumTo: TLSVersion.TLSv1_3 })._nodeOptions.minVersion).to.equal('TLSv1.3');
  });

  it('test_tlsProtocolsTLSv1Point2Only / test_tlsVersionRangeInOrder: insecurelyLowerMinimumTo and lowerMaximumSecurityTo set the range; a reversed range is refused', () => {
    const o = new CertificateOptions({ insecurelyLowerMinimumTo: TLSVersion.TLSv1_2, lowerMaximumSecurityTo: TLSVersion.TLSv1_2 });
    expect([o._nodeOptions.minVersion, o._nodeOptions.maxVersion]).to.deep.equal(['TLSv1.2', 'TLSv1.2']);
    expect(() => new CertificateOptions({ raiseMinimumTo: TLSVersion.TLSv1_3, lowerMaximumSecurityTo: TLSVersion.TLSv1_2 })).to.throw(TLSOptionsError, /below the minimum/);
    expect(() => new CertificateOptions({ raiseMinimumTo: TLSVersion.TLSv1_2, insecurelyLowerMinimumTo: TLSVersion.TLSv1_1 })).to.throw(TLSOptionsError, /mutually exclusive/);
    expect(() => new CertificateOptions({ raiseMinimumTo: 'SSLv3' as TLSVersion })).to.throw(TLSOptionsError, /TLSVersion/);
  });

  it('test_abbreviatingDistinguishedNames / test_inspectCertificate: subject and issuer use the long names; digest and serial number are readable', () => {
    expect(server.getSubject()).to.deep.equal({ organizationName: 'twistless tests', commonName: 'localhost' });
    expect(server.getIssuer()).to.deep.equal({ organizationName: 'twistless tests', commonName: 'twistless test CA' });
    expect(server.digest('sha256')).to.match(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(server.digest()).to.match(/^([0-9A-F]{2}:){15}[0-9A-F]{2}$/);
    expect(typeof server.serialNumber()).to.equal('bigint');
    expect(String(server)).to.equal('<PrivateCertificate Subject=localhost Issuer=twistless test CA>');
  });

  it('test_publicKeyMatching: a certificate and its key pair share the public key', () => {
    expect(server.getPublicKey().equals(createPublicKey(server.privateKey.original))).to.equal(true);
    expect(server.getPublicKey().equals(createPublicKey(client.privateKey.original))).to.equal(false);
  });

  it('bad input: a key that does not match the certificate is an InvalidPrivateKeyError at construction', () => {
    expect(() => new CertificateOptions({ privateKey: client.privateKey, certificate: server })).to.throw(InvalidPrivateKeyError, /does not match/);
    expect(() => PrivateCertificate.fromCertificateAndKeyPair(server, client.privateKey)).to.throw(InvalidPrivateKeyError, /does not match/);
    expect(() => new CertificateOptions({ privateKey: 'key' as never, certificate: server })).to.throw(TLSOptionsError, /KeyPair/);
  });
});

describe('ClientOptionsTests', () => {
  it('test_extraKeywords / test_bytesFailFast: a hostname that is not a non-empty string is refused', () => {
    expect(() => optionsForClientTLS(Buffer.from('example.com') as never)).to.throw(TLSOptionsError, /hostname must be a non-empty string/);
    expect(() => optionsForClientTLS('')).to.throw(TLSOptionsError, /hostname/);
  });

  it('test_dNSNameHostname / test_IPv4AddressHostname / test_IPv6AddressHostname: the hostname is kept as the name to check', () => {
    for (const h of ['example.com', '127.0.0.1', '::1']) expect(optionsForClientTLS(h).getContext().hostname).to.equal(h);
  });

  it('optionsForClientTLS verifies by default, against the platform trust when no trustRoot is given', () => {
    const o = optionsForClientTLS('example.com');
    expect(o.getContext().verify).to.equal(true);
    expect(o._options.trustRoot).to.equal(platformTrust());
    expect(platformTrust().caCertificates()).to.equal(null);
  });

  it('a client certificate must be a PrivateCertificate', () => {
    expect(() => optionsForClientTLS('example.com', ca, ca as never)).to.throw(TLSOptionsError, /PrivateCertificate/);
    expect(optionsForClientTLS('example.com', ca, client)._options.certificate).to.equal(client);
  });
});

describe('KeyPairTests', () => {
  it('test_noTrailingNewlinePemCert: a PEM certificate without a trailing newline loads', () => {
    expect(Certificate.loadPEM(pem('server.crt').trimEnd()).getSubject().commonName).to.equal('localhost');
  });

  it('KeyPair.load / dump round-trip and generate', () => {
    const k = KeyPair.load(pem('server.key'));
    expect(KeyPair.load(k.dump()).original.equals(k.original)).to.equal(true);
    expect(KeyPair.generate('ec').original.asymmetricKeyType).to.equal('ec');
  });

  it('bad input: non-PEM, a certificate given as a key, an encrypted key and a key given as a certificate are named errors', () => {
    expect(() => Certificate.loadPEM('hello')).to.throw(InvalidCertificateError, /no PEM certificate/);
    expect(() => Certificate.loadPEM('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).to.throw(InvalidCertificateError, /could not be parsed/);
    expect(() => Certificate.loadPEM(pem('server.key'))).to.throw(InvalidCertificateError);
    expect(() => KeyPair.load(pem('server.crt'))).to.throw(InvalidPrivateKeyError, /no PEM private key/);
    expect(() => KeyPair.load('-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----')).to.throw(InvalidPrivateKeyError, /encrypted/);
    expect(() => KeyPair.load('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----')).to.throw(InvalidPrivateKeyError, /could not be parsed/);
    expect(() => PrivateCertificate.loadPEM(pem('server.crt'))).to.throw(InvalidPrivateKeyError);
    expect(() => Certificate.loadPEM(42 as never)).to.throw(InvalidCertificateError, /expected PEM text/);
  });
});

describe('ConstructorsTests', () => {
  it('test_peerFromNonSSLTransport / test_peerFromBlankSSLTransport: a transport without a peer certificate is a named error', () => {
    expect(() => Certificate.peerFromTransport({ getPeerCertificate: () => null })).to.throw(InvalidCertificateError, /no certificate/);
  });

  it('test_peerFromSSLTransport: the transport peer certificate is returned', () => {
    expect(Certificate.peerFromTransport({ getPeerCertificate: () => ca })).to.equal(ca);
  });
});

describe('MultipleCertificateTrustRootTests', () => {
  it('test_trustRootFromCertificatesPrivatePublic: private and public certificates both become trusted PEM certificates (without keys)', () => {
    const root = trustRootFromCertificates([server, ca]);
    expect(root.caCertificates()).to.deep.equal([server.original.toString(), ca.dumpPEM()]);
    expect(root.caCertificates()!.join('')).to.not.contain('PRIVATE KEY');
  });

  it('test_trustRootFromCertificatesOpenSSLObjects: only Certificate objects are accepted', () => {
    expect(() => trustRootFromCertificates([ca.original as never])).to.throw(TLSOptionsError, /must be a Certificate/);
  });

  it('PrivateCertificate.options(...authorities) requires and verifies client certificates; without authorities it does not', () => {
    const withCA = server.options(ca).getContext();
    expect([withCA.verify, withCA.requireCertificate]).to.deep.equal([true, true]);
    expect(server.options().getContext().verify).to.equal(false);
  });
});

describe('DefaultOpenSSLContextFactoryTests', () => {
  it('test_method: the factory builds a context from a key file and a certificate file', () => {
    const f = new DefaultOpenSSLContextFactory(fixture('server.key'), fixture('server.crt'));
    expect(f.getContext().verify).to.equal(false);
    expect(f.getContext().secureContext).to.equal(f.getContext().secureContext);
  });

  it('test_missingCertificateFile: a missing certificate file is an InvalidCertificateError naming it', () => {
    expect(() => new DefaultOpenSSLContextFactory(fixture('server.key'), '/nonexistent/cert.pem')).to.throw(InvalidCertificateError, /nonexistent/);
  });

  it('test_missingPrivateKeyFile: a missing private key file is an InvalidPrivateKeyError naming it', () => {
    expect(() => new DefaultOpenSSLContextFactory('/nonexistent/key.pem', fixture('server.crt'))).to.throw(InvalidPrivateKeyError, /nonexistent/);
  });

  it('a key file that does not match the certificate file is an InvalidPrivateKeyError', () => {
    expect(() => new DefaultOpenSSLContextFactory(fixture('client.key'), fixture('server.crt'))).to.throw(InvalidPrivateKeyError, /does not match/);
  });
});
