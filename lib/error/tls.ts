// The TLS errors twistless adds beside twisted.internet.error's SSLError (Twisted 22.4): the
// hostname check's failure (service_identity's VerificationError) and the named errors of bad
// certificate, key and option input. Covered by spec/ssl/sslverify.spec.ts and spec/internet/tls.spec.ts.
import { SSLError } from './connectErrors.js';

/**
 * The peer's certificate does not name the host we connected to (a hostname mismatch). It ends
 * the connection through `connectionLost`. Port of `service_identity.VerificationError`.
 *
 * @example
 * ```ts
 * import { VerificationError, SSLError } from 'twistless/error';
 * new VerificationError(undefined, 'example.com is not in the certificate') instanceof SSLError; // true
 * ```
 */
export class VerificationError extends SSLError {}
VerificationError.prototype.name = 'VerificationError';

/**
 * Bytes given as a PEM certificate are not one (OpenSSL could not parse them). Port of the
 * `OpenSSL.crypto.Error` that `Certificate.loadPEM` raises.
 *
 * @example
 * ```ts
 * import { InvalidCertificateError } from 'twistless/error';
 * new InvalidCertificateError('not a certificate').name; // 'InvalidCertificateError'
 * ```
 */
export class InvalidCertificateError extends Error {}
InvalidCertificateError.prototype.name = 'InvalidCertificateError';

/**
 * Bytes given as a PEM private key are not one, or the key does not match its certificate.
 * Port of the `OpenSSL.crypto.Error` / `OpenSSL.SSL.Error` that `KeyPair.load` and
 * `CertificateOptions` raise.
 *
 * @example
 * ```ts
 * import { InvalidPrivateKeyError } from 'twistless/error';
 * new InvalidPrivateKeyError('not a key').name; // 'InvalidPrivateKeyError'
 * ```
 */
export class InvalidPrivateKeyError extends Error {}
InvalidPrivateKeyError.prototype.name = 'InvalidPrivateKeyError';

/**
 * A contradictory or unknown TLS option (a private key without a certificate, `verify` without
 * certificate authorities, `trustRoot` with `verify`, ...). Port of the `ValueError` and
 * `TypeError` that `twisted.internet.ssl.CertificateOptions` raises for them.
 *
 * @example
 * ```ts
 * import { TLSOptionsError } from 'twistless/error';
 * new TLSOptionsError('Specify neither or both of privateKey and certificate') instanceof TypeError; // true
 * ```
 */
export class TLSOptionsError extends TypeError {}
TLSOptionsError.prototype.name = 'TLSOptionsError';

/**
 * `startTLS()` was called on a transport that already speaks TLS (TLS inside TLS is not
 * offered), or on one that is not connected. twistless-only: Twisted layers a second TLS
 * protocol silently.
 *
 * @example
 * ```ts
 * import { TLSStateError } from 'twistless/error';
 * new TLSStateError('already TLS').name; // 'TLSStateError'
 * ```
 */
export class TLSStateError extends Error {}
TLSStateError.prototype.name = 'TLSStateError';
