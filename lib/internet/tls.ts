// TLS on the stream transports (Twisted 22.4's twisted.internet._newtls and the TLS parts of
// tcp.Connection): wrap a connected Node socket in a TLSSocket as a client or a server with a
// context factory's policy, STARTTLS on an open transport, the peer's certificate, and a TLS
// socket error as SSLError / VerificationError. The transport stays the one StreamTransport:
// only its socket changes. Covered by spec/internet/tls.spec.ts.
//
// Node traps this avoids:
// - tls.connect({ socket }) checks the name passed as `host`, not `servername`: the check is
//   ours (checkServerIdentity against the context's hostname), and SNI is not sent for an IP;
// - a standalone server TLSSocket (not made by tls.Server) never checks the client's chain after
//   the handshake: OpenSSL only refuses a missing certificate, so the chain is checked here;
// - the socket is paused until the peer passed its checks, so no data from it reaches the protocol;
// - the wrapped socket keeps its 'error' listener (a noop), as the TLSSocket reports the errors.
import type { Socket } from 'node:net';
import { isIP } from 'node:net';
import * as tls from 'node:tls';
import { Failure } from '../failure/failure.js';
import { SSLError } from '../error/connectErrors.js';
import { TLSStateError, VerificationError } from '../error/tls.js';
import { Certificate } from '../ssl/certificate.js';
import type { IOpenSSLContextFactory, TLSContext } from '../ssl/options.js';
import type { StreamTransport } from './stream.js';

function noop(): void {}

/** @internal the context of a factory, checked (Twisted calls getContext() inside startTLS/listenSSL too). */
export function contextOf(contextFactory: IOpenSSLContextFactory, what: string): TLSContext {
  if (contextFactory === null || typeof contextFactory !== 'object' || typeof (contextFactory as { getContext?: unknown }).getContext !== 'function') {
    throw new TypeError(`${what}: contextFactory must have getContext() (a CertificateOptions, optionsForClientTLS(...), DefaultOpenSSLContextFactory...), got ${contextFactory === null ? 'null' : typeof contextFactory}`);
  }
  const ctx = contextFactory.getContext();
  if (ctx === null || typeof ctx !== 'object' || !(ctx.secureContext instanceof Object)) {
    throw new TypeError(`${what}: contextFactory.getContext() must return a TLSContext ({ secureContext, verify, requireCertificate, hostname, alpn })`);
  }
  return ctx;
}

/** A TLS socket's verification result: null when the peer's chain verified, else the reason. */
function verifyErrorOf(socket: tls.TLSSocket): Error | null {
  // A standalone server TLSSocket never runs Node's post-handshake check (tls.Server does): ask OpenSSL.
  const handle = (socket as unknown as { _handle?: { verifyError?: () => Error | null | undefined } })._handle;
  if (handle === undefined || handle === null || typeof handle.verifyError !== 'function') return new Error('the TLS handle is gone');
  return handle.verifyError() ?? null;
}

/**
 * @internal a connected socket wrapped as the TLS client side. It is paused until the handshake
 * and the checks pass, so no byte reaches the protocol from an unverified peer; `resume` says
 * whether to resume then (false while the transport's reading is paused).
 */
export function wrapClientSocket(raw: Socket, ctx: TLSContext, resume: () => boolean): tls.TLSSocket {
  raw.on('error', noop);
  const hostname = ctx.hostname;
  const options: tls.ConnectionOptions = {
    socket: raw,
    secureContext: ctx.secureContext,
    rejectUnauthorized: ctx.verify,
    checkServerIdentity: (_host, cert) => (hostname === null ? undefined : tls.checkServerIdentity(hostname, cert)),
  };
  if (hostname !== null && isIP(hostname) === 0) options.servername = hostname;
  if (ctx.alpn !== null) options.ALPNProtocols = ctx.alpn.slice();
  const socket = tls.connect(options);
  socket.pause();
  socket.once('secureConnect', () => {
    if (resume()) socket.resume();
  });
  return socket;
}

/** @internal a connected socket wrapped as the TLS server side, paused until the client is verified (see wrapClientSocket). */
export function wrapServerSocket(raw: Socket, ctx: TLSContext, resume: () => boolean): tls.TLSSocket {
  raw.on('error', noop);
  const options: tls.TLSSocketOptions = {
    isServer: true,
    secureContext: ctx.secureContext,
    requestCert: ctx.verify,
    rejectUnauthorized: ctx.verify && ctx.requireCertificate,
  };
  if (ctx.alpn !== null) options.ALPNProtocols = ctx.alpn.slice();
  const socket = new tls.TLSSocket(raw, options);
  socket.pause();
  socket.once('secure', () => {
    if (ctx.verify && socket.getPeerX509Certificate() !== undefined) {
      const err = verifyErrorOf(socket);
      if (err !== null) {
        socket.destroy(new SSLError((err as NodeJS.ErrnoException).code ?? '', `the client certificate did not verify: ${err.message}`));
        return;
      }
    }
    if (resume()) socket.resume();
  });
  return socket;
}

/**
 * @internal the TLS failure a socket error stands for, or null for a plain connection error
 * (ECONNRESET, EPIPE...: those stay ConnectionLost).
 */
export function tlsErrorFromNode(err: Error): Error | null {
  if (err instanceof SSLError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return new VerificationError(code, err.message);
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code) && code !== 'EPROTO') return null;
  return new SSLError(code ?? '', err.message.trim().split('\n')[0]);
}

/** @internal true for a TLS socket. */
export function isTLSSocket(socket: Socket): boolean {
  return (socket as Socket & { encrypted?: boolean }).encrypted === true;
}

/** How long a closing TLS socket may take to send its close_notify before it is destroyed. */
const CLOSE_GRACE_MS = 5000;

/**
 * @internal close a TLS socket as Twisted's TLS shutdown does: send close_notify (end()), then
 * destroy once it is written (or after a grace period, if the peer stopped reading).
 */
export function closeTLSSocket(socket: Socket): void {
  if (socket.writableFinished) {
    socket.destroy();
    return;
  }
  const destroy = (): void => {
    clearTimeout(timer);
    socket.destroy();
  };
  const timer = setTimeout(destroy, CLOSE_GRACE_MS);
  timer.unref();
  socket.once('finish', destroy);
  if (!socket.writableEnded) socket.end();
}

/** True when the transport's socket speaks TLS. Port of `Connection.TLS`. */
export function isTLS(transport: StreamTransport): boolean {
  const s = transport._socket as (Socket & { encrypted?: boolean }) | null;
  return s !== null && s.encrypted === true;
}

/**
 * @internal a socket error on a transport: a TLS one ends the connection with SSLError (or
 * VerificationError); returns false when it is not a TLS error.
 */
export function tlsSocketError(transport: StreamTransport, err: Error): boolean {
  if (!transport.connected || transport._aborting || !isTLS(transport)) return false;
  const tlsErr = tlsErrorFromNode(err);
  if (tlsErr === null) return false;
  transport._connectionLost(new Failure(tlsErr));
  return true;
}

/**
 * The peer's certificate once the handshake is done, else null (a plain TCP transport, a peer
 * that sent none). Port of `ISSLTransport.getPeerCertificate`.
 */
export function peerCertificateOf(transport: StreamTransport): Certificate | null {
  const s = transport._socket;
  if (s === null || !(s instanceof tls.TLSSocket)) return null;
  const x = s.getPeerX509Certificate();
  return x === undefined ? null : new Certificate(x);
}

/**
 * Switch an open transport to TLS: what was written before goes out in the clear first, what is
 * written after is encrypted. `client` chooses the side. Port of `_newtls.startTLS`.
 *
 * @throws TLSStateError when the transport is not connected or already speaks TLS
 * @throws whatever the context factory's getContext() raises
 */
export function startTLS(transport: StreamTransport, contextFactory: IOpenSSLContextFactory, client: boolean): void {
  const ctx = contextOf(contextFactory, 'startTLS(contextFactory)');
  const raw = transport._socket;
  if (!transport.connected || raw === null || raw.destroyed) throw new TLSStateError('startTLS(): the transport is not connected');
  if (isTLS(transport)) throw new TLSStateError('startTLS(): the transport already speaks TLS (TLS inside TLS is not offered)');
  if (transport._pendingLen > 0 && !transport._ending) {
    // The clear bytes written before startTLS() leave first, as Twisted's buffer does.
    const chunks = transport._pending;
    transport._pending = [];
    const n = transport._pendingLen;
    transport._pendingLen = 0;
    raw.write(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, n));
  }
  const resume = (): boolean => !transport._readPaused;
  const secure = client ? wrapClientSocket(raw, ctx, resume) : wrapServerSocket(raw, ctx, resume);
  transport._rebindSocket(secure);
}
