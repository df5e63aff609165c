// Port of twisted.internet._sslverify.ClientTLSOptions and twisted.internet.ssl.optionsForClientTLS
// (Twisted 22.4): the context factory a TLS client uses, which checks the server's name.
// Covered by spec/ssl/sslverify.spec.ts.
import { TLSOptionsError } from '../error/tls.js';
import { describe } from '../internal/describe.js';
import type { Certificate } from './certificate.js';
import { CertificateOptions, type CertificateOptionsInit, type IOpenSSLContextFactory, type TLSContext } from './options.js';
import { PrivateCertificate } from './privateCertificate.js';
import { platformTrust, type IOpenSSLTrustRoot } from './trust.js';

/**
 * A client context factory that checks the server's certificate names `hostname` (and sends it
 * as SNI). Port of `twisted.internet._sslverify.ClientTLSOptions`; build it with `optionsForClientTLS`.
 */
export class ClientTLSOptions implements IOpenSSLContextFactory {
  /** The host name checked. Port of `ClientTLSOptions._hostnameASCII`. */
  readonly hostname: string;
  /** @internal */
  readonly _options: CertificateOptions;

  constructor(hostname: string, options: CertificateOptions) {
    this.hostname = hostname;
    this._options = options;
  }

  /** The context with this host name to check. */
  getContext(): TLSContext {
    return { ...this._options.getContext(), hostname: this.hostname };
  }
}

/**
 * The context factory a TLS client should use: verify the server against `trustRoot` (by default
 * the platform's authorities) and check that its certificate names `hostname`. A mismatch ends the
 * connection with VerificationError. Port of `twisted.internet.ssl.optionsForClientTLS`.
 *
 * @param hostname - the server's name (or IP address literal), as a string
 * @param trustRoot - the authorities to trust (platformTrust() when absent)
 * @param clientCertificate - a PrivateCertificate to prove who we are, if the server asks
 * @param acceptableProtocols - ALPN protocol names
 * @throws TLSOptionsError when hostname is not a non-empty string
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { Certificate, optionsForClientTLS } from 'twistless/ssl';
 * const ca = Certificate.loadPEM(readFileSync('spec/fixtures/tls/ca.crt'));
 * optionsForClientTLS('localhost', ca).getContext().hostname; // 'localhost'
 * ```
 */
export function optionsForClientTLS(
  hostname: string,
  trustRoot?: IOpenSSLTrustRoot | Certificate | null,
  clientCertificate?: PrivateCertificate | null,
  acceptableProtocols?: readonly string[] | null,
): ClientTLSOptions {
  if (typeof hostname !== 'string' || hostname === '') {
    throw new TLSOptionsError(`optionsForClientTLS: hostname must be a non-empty string (the name the server's certificate must carry), got ${typeof hostname === 'string' ? "''" : describe(hostname)}`);
  }
  const init: CertificateOptionsInit = { trustRoot: trustRoot ?? platformTrust() };
  if (clientCertificate !== undefined && clientCertificate !== null) {
    if (!(clientCertificate instanceof PrivateCertificate)) throw new TLSOptionsError(`optionsForClientTLS: clientCertificate must be a PrivateCertificate (PrivateCertificate.loadPEM(pem)), got ${describe(clientCertificate)}`);
    init.privateKey = clientCertificate.privateKey;
    init.certificate = clientCertificate;
  }
  if (acceptableProtocols !== undefined && acceptableProtocols !== null) init.acceptableProtocols = acceptableProtocols;
  return new ClientTLSOptions(hostname, new CertificateOptions(init));
}
