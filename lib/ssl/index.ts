// twistless/ssl: the public face of the port of twisted.internet.ssl (Twisted 22.4): certificates,
// keys, trust roots and the context factories listenSSL, connectSSL, startTLS and the SSL
// endpoints take. Covered by spec/ssl/*.spec.ts.
export { Certificate, PrivateCertificate, KeyPair } from './certificate.js';
export type { DistinguishedName } from './certificate.js';
export {
  CertificateOptions,
  ClientTLSOptions,
  DefaultOpenSSLContextFactory,
  optionsForClientTLS,
  trustRootFromCertificates,
  platformTrust,
  TLSVersion,
} from './options.js';
export type { TLSContext, IOpenSSLContextFactory, IOpenSSLTrustRoot, CertificateOptionsInit } from './options.js';
