// Port of the certificate and key classes of twisted.internet._sslverify (Twisted 22.4):
// Certificate, KeyPair and DistinguishedName (PrivateCertificate, which builds server options, is
// in privateCertificate.ts), over Node's crypto
// (X509Certificate, KeyObject) instead of pyOpenSSL objects. PEM only: DER input is not ported.
// Covered by spec/ssl/sslverify.spec.ts.
import { createHash, createPrivateKey, generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import { InvalidCertificateError, InvalidPrivateKeyError } from '../error/tls.js';

/**
 * A certificate's subject or issuer, keyed by Twisted's long attribute names (`commonName`,
 * `organizationName`, ...). Port of `twisted.internet.ssl.DistinguishedName` (a plain object
 * here, not a mutable attribute bag).
 */
export interface DistinguishedName {
  commonName?: string;
  organizationName?: string;
  organizationalUnitName?: string;
  localityName?: string;
  stateOrProvinceName?: string;
  countryName?: string;
  emailAddress?: string;
}

const DN_NAMES: Record<string, keyof DistinguishedName> = {
  CN: 'commonName',
  O: 'organizationName',
  OU: 'organizationalUnitName',
  L: 'localityName',
  ST: 'stateOrProvinceName',
  C: 'countryName',
  emailAddress: 'emailAddress',
};

function parseDN(text: string): DistinguishedName {
  const dn: DistinguishedName = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = DN_NAMES[line.slice(0, eq)];
    if (key !== undefined) dn[key] = line.slice(eq + 1);
  }
  return dn;
}

/** @internal The PEM text of a string or bytes. */
export function asText(data: string | Uint8Array, what: string, ErrorClass: new (m: string) => Error): string {
  if (typeof data === 'string') return data;
  if (data instanceof Uint8Array) return Buffer.from(data).toString('latin1');
  throw new ErrorClass(`${what}: expected PEM text (a string or a Buffer), got ${data === null ? 'null' : typeof data}`);
}

const CERT_RE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const KEY_RE = /-----BEGIN ((?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----[\s\S]*?-----END \1-----/;

/** Every PEM certificate block in `text`, in order. */
export function pemCertificates(text: string): string[] {
  return text.match(CERT_RE) ?? [];
}

/** @internal The first certificate of a PEM text, parsed. */
export function parseCertificate(pem: string, what: string): X509Certificate {
  const blocks = pemCertificates(pem);
  if (blocks.length === 0) throw new InvalidCertificateError(`${what}: no PEM certificate found (expected a '-----BEGIN CERTIFICATE-----' block)`);
  try {
    return new X509Certificate(blocks[0]!);
  } catch (e) {
    throw new InvalidCertificateError(`${what}: the PEM certificate could not be parsed (${(e as Error).message}); check the file is a certificate, not a key or a request`);
  }
}

/**
 * An X.509 certificate. Its `original` is Node's `X509Certificate`. It can be a trust root
 * (`optionsForClientTLS(host, certificate)` trusts it). Port of `twisted.internet.ssl.Certificate`.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { Certificate } from 'twistless/ssl';
 * const ca = Certificate.loadPEM(readFileSync('spec/fixtures/tls/ca.crt'));
 * ca.getSubject().commonName; // 'twistless test CA'
 * ```
 */
export class Certificate {
  /** The Node certificate object. Port of `Certificate.original` (a pyOpenSSL X509 there). */
  readonly original: X509Certificate;

  constructor(original: X509Certificate) {
    if (!(original instanceof X509Certificate)) throw new InvalidCertificateError(`Certificate(original): expected a crypto.X509Certificate; use Certificate.loadPEM(pem) for PEM text`);
    this.original = original;
  }

  /**
   * Load the first certificate of PEM text. Port of `Certificate.loadPEM`.
   *
   * @param data - PEM text (string or Buffer)
   * @throws InvalidCertificateError when there is no parsable certificate
   */
  static loadPEM(data: string | Uint8Array): Certificate {
    return new Certificate(parseCertificate(asText(data, 'Certificate.loadPEM', InvalidCertificateError), 'Certificate.loadPEM'));
  }

  /**
   * The peer's certificate of a TLS transport. Port of `Certificate.peerFromTransport`.
   *
   * @throws CertificateError-like InvalidCertificateError when the peer sent none
   */
  static peerFromTransport(transport: { getPeerCertificate(): Certificate | null }): Certificate {
    const c = transport.getPeerCertificate();
    if (c === null) throw new InvalidCertificateError('Certificate.peerFromTransport: the peer sent no certificate (or the handshake has not finished)');
    return c;
  }

  /** The certificate as PEM text. Port of `Certificate.dumpPEM`. */
  dumpPEM(): string {
    return this.original.toString();
  }

  /** The DER bytes. Port of `Certificate.dump` (ASN.1 format). */
  dump(): Buffer {
    return this.original.raw;
  }

  /** Who the certificate names. Port of `Certificate.getSubject`. */
  getSubject(): DistinguishedName {
    return parseDN(this.original.subject);
  }

  /** Who signed it. Port of `Certificate.getIssuer`. */
  getIssuer(): DistinguishedName {
    return parseDN(this.original.issuer);
  }

  /** The serial number. Port of `Certificate.serialNumber`. */
  serialNumber(): bigint {
    return BigInt(`0x${this.original.serialNumber}`);
  }

  /**
   * The hash of the DER bytes as colon-separated upper-case hex, as OpenSSL prints it. Port of
   * `Certificate.digest` (whose default is md5).
   *
   * @param method - a Node hash name ('md5', 'sha1', 'sha256', ...)
   */
  digest(method = 'md5'): string {
    const hex = createHash(method).update(this.original.raw).digest('hex').toUpperCase();
    return hex.replace(/(..)(?!$)/g, '$1:');
  }

  /** The certificate's public key. Port of `Certificate.getPublicKey` (a Node KeyObject here). */
  getPublicKey(): KeyObject {
    return this.original.publicKey;
  }

  /** The PEM certificates this trust root holds. Part of IOpenSSLTrustRoot (see `trustRootFromCertificates`). */
  caCertificates(): string[] {
    return [this.dumpPEM()];
  }

  /** Port of `Certificate.__repr__`. */
  toString(): string {
    const s = this.getSubject();
    const i = this.getIssuer();
    return `<Certificate Subject=${s.commonName ?? ''} Issuer=${i.commonName ?? ''}>`;
  }
}

/**
 * A public/private key pair. Its `original` is Node's private `KeyObject`. Port of
 * `twisted.internet.ssl.KeyPair`.
 *
 * @example
 * ```ts
 * import { KeyPair } from 'twistless/ssl';
 * const k = KeyPair.generate('rsa', 1024);
 * k.original.asymmetricKeyType; // 'rsa'
 * ```
 */
export class KeyPair {
  /** The private key. Port of `KeyPair.original` (a pyOpenSSL PKey there). */
  readonly original: KeyObject;

  constructor(original: KeyObject) {
    if (original === null || typeof original !== 'object' || original.type !== 'private') throw new InvalidPrivateKeyError('KeyPair(original): expected a private crypto.KeyObject; use KeyPair.load(pem) for PEM text');
    this.original = original;
  }

  /**
   * Load a PEM private key (the first one in the text). Port of `KeyPair.load` (PEM format).
   *
   * @throws InvalidPrivateKeyError when there is no parsable unencrypted private key
   */
  static load(data: string | Uint8Array): KeyPair {
    const text = asText(data, 'KeyPair.load', InvalidPrivateKeyError);
    const m = KEY_RE.exec(text);
    if (m === null) throw new InvalidPrivateKeyError("KeyPair.load: no PEM private key found (expected a '-----BEGIN PRIVATE KEY-----' block)");
    if (m[1] === 'ENCRYPTED PRIVATE KEY') throw new InvalidPrivateKeyError('KeyPair.load: the private key is encrypted; decrypt it first (openssl pkey -in key.pem -out plain.pem)');
    try {
      return new KeyPair(createPrivateKey(m[0]));
    } catch (e) {
      throw new InvalidPrivateKeyError(`KeyPair.load: the PEM private key could not be parsed (${(e as Error).message})`);
    }
  }

  /**
   * A new key pair. Port of `KeyPair.generate` (its `kind` is a pyOpenSSL constant there).
   *
   * @param kind - 'rsa' (default) or 'ec' (P-256)
   * @param size - RSA modulus bits (default 2048)
   */
  static generate(kind: 'rsa' | 'ec' = 'rsa', size = 2048): KeyPair {
    if (kind === 'ec') return new KeyPair(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    if (kind !== 'rsa') throw new InvalidPrivateKeyError(`KeyPair.generate: kind must be 'rsa' or 'ec', got ${String(kind)}`);
    return new KeyPair(generateKeyPairSync('rsa', { modulusLength: size }).privateKey);
  }

  /** The private key as PKCS#8 PEM. Port of `KeyPair.dump` (PEM format). */
  dump(): string {
    return this.original.export({ type: 'pkcs8', format: 'pem' }).toString();
  }
}
