// Port of twisted.internet._sslverify.PrivateCertificate (Twisted 22.4): a certificate with its
// private key, and the server options it builds. Apart from certificate.ts because it builds on
// CertificateOptions (options.ts), which builds on the plain certificate classes.
// Covered by spec/ssl/sslverify.spec.ts.
import type { X509Certificate } from 'node:crypto';
import { InvalidCertificateError, InvalidPrivateKeyError } from '../error/tls.js';
import { asText, Certificate, KeyPair, parseCertificate } from './certificate.js';
import { CertificateOptions, type CertificateOptionsInit } from './options.js';
import { trustRootFromCertificates } from './trust.js';

/**
 * A certificate with its private key: what a server (or a client proving itself) presents. Port
 * of `twisted.internet.ssl.PrivateCertificate`.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { PrivateCertificate } from 'twistless/ssl';
 * const server = PrivateCertificate.loadPEM(readFileSync('spec/fixtures/tls/server.pem'));
 * server.getSubject().commonName; // 'localhost'
 * ```
 */
export class PrivateCertificate extends Certificate {
  /** The key pair. Port of `PrivateCertificate.privateKey`. */
  readonly privateKey: KeyPair;

  constructor(original: X509Certificate, privateKey: KeyPair) {
    super(original);
    if (!(privateKey instanceof KeyPair)) throw new InvalidPrivateKeyError('PrivateCertificate(original, privateKey): privateKey must be a KeyPair');
    if (!original.checkPrivateKey(privateKey.original)) {
      throw new InvalidPrivateKeyError(`PrivateCertificate: the private key does not match the certificate of ${original.subject.replace(/\n/g, ', ')}; pair each certificate with its own key`);
    }
    this.privateKey = privateKey;
  }

  /**
   * Load a private key and a certificate from one PEM text (in any order). Port of
   * `PrivateCertificate.loadPEM`.
   *
   * @throws InvalidCertificateError / InvalidPrivateKeyError when either is missing, unparsable or
   *   they do not match
   */
  static override loadPEM(data: string | Uint8Array): PrivateCertificate {
    const text = asText(data, 'PrivateCertificate.loadPEM', InvalidCertificateError);
    return new PrivateCertificate(parseCertificate(text, 'PrivateCertificate.loadPEM'), KeyPair.load(text));
  }

  /**
   * Pair a certificate with its key. Port of `PrivateCertificate.fromCertificateAndKeyPair`.
   *
   * @throws InvalidPrivateKeyError when they do not match
   */
  static fromCertificateAndKeyPair(certificate: Certificate, keyPair: KeyPair): PrivateCertificate {
    return new PrivateCertificate(certificate.original, keyPair);
  }

  /** Key then certificate as PEM. Port of `PrivateCertificate.dumpPEM`. */
  override dumpPEM(): string {
    return this.privateKey.dump() + super.dumpPEM();
  }

  /**
   * Server options presenting this certificate; with authorities, clients must present a
   * certificate signed by one of them. Port of `PrivateCertificate.options`.
   *
   * @param authorities - the Certificates trusted to sign client certificates
   */
  options(...authorities: Certificate[]): CertificateOptions {
    const init: CertificateOptionsInit = { privateKey: this.privateKey, certificate: this };
    if (authorities.length > 0) init.trustRoot = trustRootFromCertificates(authorities);
    return new CertificateOptions(init);
  }

  /** The certificate alone, without its key. */
  certificate(): Certificate {
    return new Certificate(this.original);
  }

  override caCertificates(): string[] {
    return [this.original.toString()];
  }

  override toString(): string {
    return super.toString().replace('<Certificate', '<PrivateCertificate');
  }
}
