// Port of the context factories of twisted.internet._sslverify and twisted.internet.ssl
// (Twisted 22.4): CertificateOptions, TLSVersion and DefaultOpenSSLContextFactory (the client's
// optionsForClientTLS is in clientTLS.ts, the trust roots in trust.ts). Each builds a TLSContext: Node's tls.SecureContext plus the verification policy the reactor's TLS
// transports apply. Covered by spec/ssl/sslverify.spec.ts.
import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureContext, type SecureContextOptions } from 'node:tls';
import { InvalidCertificateError, InvalidPrivateKeyError, TLSOptionsError } from '../error/tls.js';
import { describe } from '../internal/describe.js';
import { Certificate, KeyPair, pemCertificates } from './certificate.js';
import { asTrustRoot, trustRootFromCertificates, type IOpenSSLTrustRoot } from './trust.js';

/**
 * What a TLS transport needs from a context factory: Node's secure context and how to check the
 * peer. twistless's stand-in for a pyOpenSSL `SSL.Context` with its verify mode.
 */
export interface TLSContext {
  /** Node's context: our key and certificate chain, the trusted authorities, versions, ciphers. */
  readonly secureContext: SecureContext;
  /** Check the peer's certificate chain against the trusted authorities (fail the handshake otherwise). */
  readonly verify: boolean;
  /** Server side, with `verify`: a client that sends no certificate is refused. */
  readonly requireCertificate: boolean;
  /** Client side: the name sent as SNI and checked against the server's certificate (null: no check). */
  readonly hostname: string | null;
  /** ALPN protocol names offered, most preferred first (null: none). */
  readonly alpn: readonly string[] | null;
}

/**
 * A context factory: the `contextFactory` argument of listenSSL, connectSSL, startTLS and the
 * SSL endpoints. Port of `twisted.internet.interfaces.IOpenSSLContextFactory` (and, for
 * clients, `IOpenSSLClientConnectionCreator`).
 */
export interface IOpenSSLContextFactory {
  /** The context for a new connection. Port of `getContext`. */
  getContext(): TLSContext;
}

/**
 * TLS protocol versions, for `raiseMinimumTo`, `insecurelyLowerMinimumTo` and
 * `lowerMaximumSecurityTo`. Port of `twisted.internet.ssl.TLSVersion` (SSLv3 is not offered:
 * Node's OpenSSL has none).
 */
export const TLSVersion = {
  TLSv1_0: 'TLSv1',
  TLSv1_1: 'TLSv1.1',
  TLSv1_2: 'TLSv1.2',
  TLSv1_3: 'TLSv1.3',
} as const;
/** One of the TLSVersion constants. */
export type TLSVersion = (typeof TLSVersion)[keyof typeof TLSVersion];

const VERSION_ORDER: readonly string[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** The options of `CertificateOptions`. Port of its keyword arguments (the pyOpenSSL-only ones are not ported). */
export interface CertificateOptionsInit {
  /** Our private key (with `certificate`). */
  privateKey?: KeyPair | null;
  /** Our certificate (with `privateKey`). */
  certificate?: Certificate | null;
  /** Intermediate certificates sent after ours. */
  extraCertChain?: readonly Certificate[] | null;
  /** Verify the peer (legacy; prefer `trustRoot`). Needs `caCerts`. */
  verify?: boolean;
  /** The authorities `verify` checks against (legacy; prefer `trustRoot`). */
  caCerts?: readonly Certificate[] | null;
  /** With verify, on a server: refuse a client without a certificate (default true). */
  requireCertificate?: boolean;
  /** Verify the peer against these authorities (implies verify and requireCertificate). */
  trustRoot?: IOpenSSLTrustRoot | Certificate | null;
  /** Use at least this version, or Twisted's default minimum when that is higher. */
  raiseMinimumTo?: TLSVersion | null;
  /** Allow versions down to this one. */
  insecurelyLowerMinimumTo?: TLSVersion | null;
  /** Allow versions up to this one only. */
  lowerMaximumSecurityTo?: TLSVersion | null;
  /** An OpenSSL cipher list string (Node's default when absent). */
  acceptableCiphers?: string | null;
  /** PEM Diffie-Hellman parameters (text). */
  dhParameters?: string | Uint8Array | null;
  /** ALPN protocol names offered, most preferred first. */
  acceptableProtocols?: readonly string[] | null;
}

const OPTION_NAMES = new Set([
  'privateKey', 'certificate', 'extraCertChain', 'verify', 'caCerts', 'requireCertificate', 'trustRoot',
  'raiseMinimumTo', 'insecurelyLowerMinimumTo', 'lowerMaximumSecurityTo', 'acceptableCiphers', 'dhParameters',
  'acceptableProtocols', 'method', 'verifyDepth', 'verifyOnce', 'enableSingleUseKeys', 'enableSessions',
  'fixBrokenPeers', 'enableSessionTickets',
]);

// Twisted's default minimum (TLSv1.0) is below Node's (TLSv1.2); twistless keeps Node's.
const DEFAULT_MINIMUM = 'TLSv1.2';

function checkVersion(v: unknown, what: string): string {
  if (typeof v !== 'string' || !VERSION_ORDER.includes(v)) throw new TLSOptionsError(`CertificateOptions: ${what} must be a TLSVersion constant (TLSVersion.TLSv1_2, ...), got ${String(v)}`);
  return v;
}

/**
 * A context factory for servers and clients from a key, a certificate and a trust policy. A
 * client with no trust root does NOT verify the server (as in Twisted): prefer
 * `optionsForClientTLS`. Port of `twisted.internet.ssl.CertificateOptions`.
 *
 * @throws TLSOptionsError for contradictory options (Twisted's ValueError/TypeError texts)
 * @throws InvalidPrivateKeyError when the key does not match the certificate
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { CertificateOptions, PrivateCertificate } from 'twistless/ssl';
 * const server = PrivateCertificate.loadPEM(readFileSync('spec/fixtures/tls/server.pem'));
 * const options = new CertificateOptions({ privateKey: server.privateKey, certificate: server });
 * options.getContext().verify; // false
 * ```
 */
export class CertificateOptions implements IOpenSSLContextFactory {
  /** Whether the peer is verified. Port of `CertificateOptions.verify`. */
  readonly verify: boolean;
  /** Whether a server refuses a client without a certificate. Port of `requireCertificate`. */
  readonly requireCertificate: boolean;
  /** The trusted authorities (null when not verifying). Port of `trustRoot`. */
  readonly trustRoot: IOpenSSLTrustRoot | null;
  /** The private key, or null. */
  readonly privateKey: KeyPair | null;
  /** The certificate, or null. */
  readonly certificate: Certificate | null;
  /** @internal Node's options for createSecureContext. */
  readonly _nodeOptions: SecureContextOptions;
  /** @internal the ALPN names, or null. */
  readonly _alpn: string[] | null;
  /** @internal built on first use, then shared by every connection (as Twisted caches its context). */
  _secureContext: SecureContext | null;

  constructor(init: CertificateOptionsInit = {}) {
    if (init === null || typeof init !== 'object') throw new TLSOptionsError(`CertificateOptions(options): options must be an object, got ${describe(init)}`);
    for (const k of Object.keys(init)) {
      if (!OPTION_NAMES.has(k)) throw new TLSOptionsError(`CertificateOptions: unknown option ${JSON.stringify(k)}`);
    }
    const raw = init as Record<string, unknown>;
    for (const k of ['method', 'verifyDepth', 'verifyOnce', 'enableSingleUseKeys', 'enableSessions', 'fixBrokenPeers', 'enableSessionTickets']) {
      if (raw[k] !== undefined) throw new TLSOptionsError(`CertificateOptions: ${k} is a pyOpenSSL tuning option twistless does not port; use raiseMinimumTo / lowerMaximumSecurityTo for versions`);
    }
    const privateKey = init.privateKey ?? null;
    const certificate = init.certificate ?? null;
    if ((privateKey === null) !== (certificate === null)) throw new TLSOptionsError('Specify neither or both of privateKey and certificate');
    if (privateKey !== null && !(privateKey instanceof KeyPair)) throw new TLSOptionsError(`CertificateOptions: privateKey must be a KeyPair (KeyPair.load(pem), or PrivateCertificate.privateKey), got ${describe(privateKey)}`);
    if (certificate !== null && !(certificate instanceof Certificate)) throw new TLSOptionsError(`CertificateOptions: certificate must be a Certificate (Certificate.loadPEM(pem)), got ${describe(certificate)}`);
    if (privateKey !== null && !certificate!.original.checkPrivateKey(privateKey.original)) {
      throw new InvalidPrivateKeyError('CertificateOptions: the private key does not match the certificate; pair each certificate with its own key');
    }
    const trustRootGiven = init.trustRoot !== undefined && init.trustRoot !== null;
    if (trustRootGiven) {
      for (const k of ['requireCertificate', 'verify', 'caCerts'] as const) {
        if (init[k] !== undefined) throw new TLSOptionsError(`CertificateOptions: trustRoot and ${k} are mutually exclusive (trustRoot implies verify and requireCertificate)`);
      }
    }
    if (init.raiseMinimumTo != null && init.insecurelyLowerMinimumTo != null) throw new TLSOptionsError('CertificateOptions: raiseMinimumTo and insecurelyLowerMinimumTo are mutually exclusive');
    let verify = init.verify ?? false;
    const caCerts = init.caCerts ?? null;
    if (verify && (caCerts === null || caCerts.length === 0)) throw new TLSOptionsError('Specify client CA certificate information if and only if enabling certificate verification');
    const extra = init.extraCertChain ?? null;
    if (extra !== null && privateKey === null) throw new TLSOptionsError('A private key and a certificate are required when adding a supplemental certificate chain.');
    let trustRoot: IOpenSSLTrustRoot | null = null;
    if (trustRootGiven) {
      trustRoot = asTrustRoot(init.trustRoot, 'CertificateOptions');
      verify = true;
    } else if (verify) trustRoot = trustRootFromCertificates(caCerts!);
    this.verify = verify;
    this.requireCertificate = init.requireCertificate ?? true;
    this.trustRoot = trustRoot;
    this.privateKey = privateKey;
    this.certificate = certificate;

    const opts: SecureContextOptions = {};
    if (privateKey !== null) {
      opts.key = privateKey.original.export({ type: 'pkcs8', format: 'pem' });
      let chain = certificate!.original.toString();
      for (const c of extra ?? []) {
        if (!(c instanceof Certificate)) throw new TLSOptionsError(`CertificateOptions: extraCertChain items must be Certificates, got ${describe(c)}`);
        chain += c.original.toString();
      }
      opts.cert = chain;
    }
    if (trustRoot !== null) {
      const cas = trustRoot.caCertificates();
      if (cas !== null) opts.ca = cas;
    }
    let min = DEFAULT_MINIMUM;
    if (init.raiseMinimumTo != null) {
      const v = checkVersion(init.raiseMinimumTo, 'raiseMinimumTo');
      if (VERSION_ORDER.indexOf(v) > VERSION_ORDER.indexOf(min)) min = v;
    }
    if (init.insecurelyLowerMinimumTo != null) min = checkVersion(init.insecurelyLowerMinimumTo, 'insecurelyLowerMinimumTo');
    opts.minVersion = min as SecureContextOptions['minVersion'];
    if (init.lowerMaximumSecurityTo != null) {
      const max = checkVersion(init.lowerMaximumSecurityTo, 'lowerMaximumSecurityTo');
      if (VERSION_ORDER.indexOf(max) < VERSION_ORDER.indexOf(min)) {
        throw new TLSOptionsError(`CertificateOptions: lowerMaximumSecurityTo (${max}) is below the minimum version (${min}); raise it or pass insecurelyLowerMinimumTo`);
      }
      opts.maxVersion = max as SecureContextOptions['maxVersion'];
    }
    if (init.acceptableCiphers != null) {
      if (typeof init.acceptableCiphers !== 'string' || init.acceptableCiphers === '') throw new TLSOptionsError('Supplied IAcceptableCiphers yielded no usable ciphers on this platform.');
      opts.ciphers = init.acceptableCiphers;
    }
    if (init.dhParameters != null) opts.dhparam = typeof init.dhParameters === 'string' ? init.dhParameters : Buffer.from(init.dhParameters);
    this._nodeOptions = opts;
    const alpn = init.acceptableProtocols ?? null;
    if (alpn !== null && (!Array.isArray(alpn) || alpn.some((p) => typeof p !== 'string' || p === ''))) throw new TLSOptionsError('CertificateOptions: acceptableProtocols must be an array of non-empty protocol names');
    this._alpn = alpn === null ? null : alpn.slice();
    this._secureContext = null;
    // Build now so bad input (a cipher string, DH parameters) fails here, not at the first connection.
    this._context();
  }

  /** @internal */
  _context(): SecureContext {
    if (this._secureContext === null) {
      try {
        this._secureContext = createSecureContext(this._nodeOptions);
      } catch (e) {
        const err = e as Error;
        throw new TLSOptionsError(`CertificateOptions: Node's TLS refused these options: ${err.message}`);
      }
    }
    return this._secureContext;
  }

  /** Node's context and the verification policy. Port of `CertificateOptions.getContext`. */
  getContext(): TLSContext {
    return { secureContext: this._context(), verify: this.verify, requireCertificate: this.requireCertificate, hostname: null, alpn: this._alpn };
  }
}

function readPEMFile(path: string, what: string, ErrorClass: new (m: string) => Error): string {
  if (typeof path !== 'string' || path === '') throw new ErrorClass(`DefaultOpenSSLContextFactory: ${what} must be a file name, got ${describe(path)}`);
  try {
    return readFileSync(path, 'latin1');
  } catch (e) {
    throw new ErrorClass(`DefaultOpenSSLContextFactory: cannot read the ${what} ${JSON.stringify(path)}: ${(e as Error).message}`);
  }
}

/**
 * A server context factory from a private key file and a certificate file (PEM; they may be the
 * same file), read at construction. Port of `twisted.internet.ssl.DefaultOpenSSLContextFactory`.
 *
 * @throws InvalidPrivateKeyError / InvalidCertificateError when a file cannot be read or parsed,
 *   or the key does not match the certificate
 * @example
 * ```ts
 * import { DefaultOpenSSLContextFactory } from 'twistless/ssl';
 * const f = new DefaultOpenSSLContextFactory('spec/fixtures/tls/server.key', 'spec/fixtures/tls/server.crt');
 * f.getContext().verify; // false
 * ```
 */
export class DefaultOpenSSLContextFactory implements IOpenSSLContextFactory {
  /** Port of `DefaultOpenSSLContextFactory.privateKeyFileName`. */
  readonly privateKeyFileName: string;
  /** Port of `DefaultOpenSSLContextFactory.certificateFileName`. */
  readonly certificateFileName: string;
  /** @internal */
  readonly _options: CertificateOptions;

  constructor(privateKeyFileName: string, certificateFileName: string) {
    this.privateKeyFileName = privateKeyFileName;
    this.certificateFileName = certificateFileName;
    const key = KeyPair.load(readPEMFile(privateKeyFileName, 'private key file', InvalidPrivateKeyError));
    const certText = readPEMFile(certificateFileName, 'certificate file', InvalidCertificateError);
    const certs = pemCertificates(certText);
    const cert = Certificate.loadPEM(certText);
    const extra = certs.slice(1).map((p) => Certificate.loadPEM(p));
    this._options = new CertificateOptions({ privateKey: key, certificate: cert, extraCertChain: extra.length > 0 ? extra : null });
  }

  /** The context (built once). Port of `DefaultOpenSSLContextFactory.getContext`. */
  getContext(): TLSContext {
    return this._options.getContext();
  }
}
