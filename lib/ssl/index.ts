// twistless/ssl: the public face of the port of twisted.internet.ssl (Twisted 22.4): certificates,
// keys, trust roots and the context factories listenSSL, connectSSL, startTLS and the SSL
// endpoints take. Covered by spec/ssl/*.spec.ts.
export { Certificate, KeyPair } from './certificate.js';
export { PrivateCertificate } from './privateCertificate.js';
export type { DistinguishedName } from './certificate.js';
export { CertificateOptions, DefaultOpenSSLContextFactory, TLSVersion } from './options.js';
export { ClientTLSOptions, optionsForClientTLS } from './clientTLS.js';
export { trustRootFromCertificates, platformTrust } from './trust.js';
export type { TLSContext, IOpenSSLContextFactory, CertificateOptionsInit } from './options.js';
export type { IOpenSSLTrustRoot } from './trust.js';
