// Port of the trust roots of twisted.internet._sslverify (Twisted 22.4): IOpenSSLTrustRoot,
// trustRootFromCertificates (OpenSSLCertificateAuthorities) and platformTrust: which
// authorities a TLS peer's certificate must chain to. Covered by spec/ssl/sslverify.spec.ts.
import { TLSOptionsError } from '../error/tls.js';
import { describe } from '../internal/describe.js';
import { Certificate } from './certificate.js';

/**
 * A set of trusted certificate authorities. Port of `twisted.internet.interfaces.IOpenSSLTrustRoot`.
 */
export interface IOpenSSLTrustRoot {
  /** The PEM certificates to trust, or null for Node's bundled root authorities. */
  caCertificates(): string[] | null;
}

/** Trusted authorities given as certificates. Port of `twisted.internet._sslverify.OpenSSLCertificateAuthorities`. */
class CertificateAuthorities implements IOpenSSLTrustRoot {
  readonly _pems: string[];
  constructor(pems: string[]) {
    this._pems = pems;
  }
  caCertificates(): string[] {
    return this._pems.slice();
  }
}

/**
 * Trust exactly these certificates as authorities. Port of
 * `twisted.internet.ssl.trustRootFromCertificates`.
 *
 * @param certificates - Certificate (or PrivateCertificate) objects
 * @throws TLSOptionsError when an item is not a Certificate
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { Certificate, trustRootFromCertificates } from 'twistless/ssl';
 * const root = trustRootFromCertificates([Certificate.loadPEM(readFileSync('spec/fixtures/tls/ca.crt'))]);
 * root.caCertificates()!.length; // 1
 * ```
 */
export function trustRootFromCertificates(certificates: Iterable<Certificate>): IOpenSSLTrustRoot {
  const pems: string[] = [];
  for (const c of certificates) {
    if (!(c instanceof Certificate)) throw new TLSOptionsError(`trustRootFromCertificates: every item must be a Certificate (load PEM with Certificate.loadPEM), got ${describe(c)}`);
    pems.push(c.original.toString());
  }
  return new CertificateAuthorities(pems);
}

/**
 * The platform's trusted authorities (Node's bundled Mozilla list, plus NODE_EXTRA_CA_CERTS).
 * Port of `twisted.internet.ssl.platformTrust`.
 *
 * @example
 * ```ts
 * import { platformTrust } from 'twistless/ssl';
 * platformTrust().caCertificates(); // null: Node's own roots
 * ```
 */
export function platformTrust(): IOpenSSLTrustRoot {
  return PLATFORM_TRUST;
}

const PLATFORM_TRUST: IOpenSSLTrustRoot = { caCertificates: () => null };

/** @internal A trust root option checked: a Certificate or an IOpenSSLTrustRoot. */
export function asTrustRoot(value: unknown, what: string): IOpenSSLTrustRoot {
  if (value instanceof Certificate) return value;
  if (value !== null && typeof value === 'object' && typeof (value as IOpenSSLTrustRoot).caCertificates === 'function') return value as IOpenSSLTrustRoot;
  throw new TLSOptionsError(`${what}: trustRoot must be a Certificate or an IOpenSSLTrustRoot (trustRootFromCertificates(...), platformTrust()), got ${describe(value)}`);
}
