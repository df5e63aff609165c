// Port of the TLS endpoints of twisted.internet.endpoints (Twisted 22.4): SSL4ServerEndpoint,
// SSL4ClientEndpoint, wrapClientTLS, and the `ssl:` (server and client) and `tls:` (client)
// description parsers. Covered by spec/endpoints/ssl.spec.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deferred } from '../defer/deferred.js';
import { Failure } from '../failure/failure.js';
import type { IAddress, IProtocol, IProtocolFactory, IReactorSSL, IStreamClientEndpoint, IStreamServerEndpoint, IListeningPort, ITransport } from '../protocol/interfaces.js';
import { Factory } from '../protocol/factory.js';
import { Protocol } from '../protocol/protocol.js';
import { InvalidCertificateError, TLSStateError } from '../error/tls.js';
import { Certificate, KeyPair, PrivateCertificate, pemCertificates } from '../ssl/certificate.js';
import { CertificateOptions, optionsForClientTLS, platformTrust, trustRootFromCertificates, type IOpenSSLContextFactory, type IOpenSSLTrustRoot } from '../ssl/options.js';
import { HostnameEndpoint, _WrappingFactory, deferredCall, whenBound, type MaybeAsyncPort } from './endpoints.js';
import { EndpointDescriptionError, clientFromString, type EndpointReactor, type IStreamClientEndpointStringParser, type IStreamServerEndpointStringParser } from './parser.js';

/** Options of SSL4ServerEndpoint. Port of its keyword arguments. */
export interface SSLServerEndpointOptions {
  /** The listen backlog (default 50). */
  backlog?: number;
  /** The interface to bind ('' is 0.0.0.0). */
  interface?: string;
}

/** Options of SSL4ClientEndpoint. Port of its keyword arguments. */
export interface SSLClientEndpointOptions {
  /** Seconds before the attempt fails (default 30). */
  timeout?: number;
  /** The local `[host, port]` to bind. */
  bindAddress?: readonly [string, number] | null;
}

/**
 * A server endpoint for TLS over IPv4 TCP. `listen()` fires once the port is bound. Port of
 * `twisted.internet.endpoints.SSL4ServerEndpoint`.
 *
 * @example
 * ```ts no-run
 * const port = await new SSL4ServerEndpoint(reactor, 8443, serverOptions).listen(factory);
 * ```
 */
export class SSL4ServerEndpoint implements IStreamServerEndpoint {
  readonly _reactor: IReactorSSL;
  readonly _port: number;
  readonly _sslContextFactory: IOpenSSLContextFactory;
  readonly _backlog: number;
  readonly _interface: string;

  constructor(reactor: IReactorSSL, port: number, sslContextFactory: IOpenSSLContextFactory, options: SSLServerEndpointOptions = {}) {
    this._reactor = reactor;
    this._port = port;
    this._sslContextFactory = sslContextFactory;
    this._backlog = options.backlog ?? 50;
    this._interface = options.interface ?? '';
  }

  /** Listen with `protocolFactory`; fires with the bound port. Port of `listen`. */
  listen(protocolFactory: IProtocolFactory): Deferred<IListeningPort> {
    return deferredCall(() => {
      return whenBound(this._reactor.listenSSL(this._port, protocolFactory, this._sslContextFactory, { backlog: this._backlog, interface: this._interface }) as MaybeAsyncPort);
    });
  }

  toString(): string {
    return `SSL4ServerEndpoint(port=${this._port}, backlog=${this._backlog}, interface=${JSON.stringify(this._interface)})`;
  }
}

/**
 * A client endpoint for TLS over IPv4 TCP: `connect()` fires with the protocol inside its
 * connectionMade (before the handshake, as in Twisted). Port of
 * `twisted.internet.endpoints.SSL4ClientEndpoint`.
 *
 * @example
 * ```ts no-run
 * const proto = await new SSL4ClientEndpoint(reactor, 'localhost', 8443, optionsForClientTLS('localhost')).connect(factory);
 * ```
 */
export class SSL4ClientEndpoint implements IStreamClientEndpoint {
  readonly _reactor: IReactorSSL;
  readonly _host: string;
  readonly _port: number;
  readonly _sslContextFactory: IOpenSSLContextFactory;
  readonly _timeout: number;
  readonly _bindAddress: readonly [string, number] | null;

  constructor(reactor: IReactorSSL, host: string, port: number, sslContextFactory: IOpenSSLContextFactory, options: SSLClientEndpointOptions = {}) {
    this._reactor = reactor;
    this._host = host;
    this._port = port;
    this._sslContextFactory = sslContextFactory;
    this._timeout = options.timeout ?? 30;
    this._bindAddress = options.bindAddress ?? null;
  }

  /** Connect with `protocolFactory`. Port of `connect`. */
  connect(protocolFactory: IProtocolFactory): Deferred<IProtocol> {
    return deferredCall(() => {
      const wf = new _WrappingFactory(protocolFactory);
      this._reactor.connectSSL(this._host, this._port, wf, this._sslContextFactory, { timeout: this._timeout, bindAddress: this._bindAddress });
      return wf._onConnection;
    });
  }

  toString(): string {
    return `SSL4ClientEndpoint(host=${JSON.stringify(this._host)}, port=${this._port})`;
  }
}

/** Starts TLS on the transport it is given, then hands the connection to the application's protocol. */
class TLSStartingProtocol extends Protocol {
  readonly wrappedProtocol: IProtocol;
  readonly _creator: IOpenSSLContextFactory;
  constructor(wrappedProtocol: IProtocol, creator: IOpenSSLContextFactory) {
    super();
    this.wrappedProtocol = wrappedProtocol;
    this._creator = creator;
  }
  override makeConnection(transport: ITransport): void {
    const t = transport as ITransport & { startTLS?: (f: IOpenSSLContextFactory) => void };
    if (typeof t.startTLS !== 'function') throw new TLSStateError(`wrapClientTLS: the wrapped endpoint's transport (${String(transport)}) has no startTLS(); wrap a TCP endpoint`);
    t.startTLS(this._creator);
    super.makeConnection(transport);
    this.wrappedProtocol.makeConnection(transport);
  }
  override dataReceived(data: Buffer): void {
    this.wrappedProtocol.dataReceived(data);
  }
  override connectionLost(reason: Failure): void {
    this.wrappedProtocol.connectionLost(reason);
  }
}

class TLSStartingFactory extends Factory<TLSStartingProtocol> {
  constructor(readonly wrappedFactory: IProtocolFactory, readonly creator: IOpenSSLContextFactory) {
    super();
  }
  override doStart(): void {
    this.wrappedFactory.doStart();
  }
  override doStop(): void {
    this.wrappedFactory.doStop();
  }
  override buildProtocol(addr: IAddress): TLSStartingProtocol | null {
    const p = this.wrappedFactory.buildProtocol(addr);
    return p === null || p === undefined ? null : new TLSStartingProtocol(p, this.creator);
  }
}

/**
 * A client endpoint that connects `wrappedEndpoint`, then speaks TLS over it with
 * `connectionCreator` (usually `optionsForClientTLS(host)`). `connect()` fires with the
 * application's protocol. Port of `twisted.internet.endpoints.wrapClientTLS`.
 *
 * @param connectionCreator - the client context factory
 * @param wrappedEndpoint - a TCP (or other stream) client endpoint whose transports have startTLS()
 * @example
 * ```ts no-run
 * const ep = wrapClientTLS(optionsForClientTLS('example.com'), new HostnameEndpoint(reactor, 'example.com', 443));
 * ```
 */
export function wrapClientTLS(connectionCreator: IOpenSSLContextFactory, wrappedEndpoint: IStreamClientEndpoint): IStreamClientEndpoint {
  return {
    connect(protocolFactory: IProtocolFactory): Deferred<IProtocol> {
      return wrappedEndpoint.connect(new TLSStartingFactory(protocolFactory, connectionCreator)).addCallback((p) => (p as TLSStartingProtocol).wrappedProtocol) as Deferred<IProtocol>;
    },
    toString: () => `wrapClientTLS(${String(wrappedEndpoint)})`,
  } as IStreamClientEndpoint;
}

// ------------------------------------------------------------------------ string parsers

function sslReactor(reactor: EndpointReactor, what: string): EndpointReactor & IReactorSSL {
  const r = reactor as EndpointReactor & Partial<IReactorSSL>;
  if (typeof r.listenSSL !== 'function' || typeof r.connectSSL !== 'function') throw new EndpointDescriptionError(`${what}: the reactor has no listenSSL/connectSSL`);
  return r as EndpointReactor & IReactorSSL;
}

function toInt(value: string, what: string): number {
  const text = value.trim();
  if (!/^[+-]?\d+$/.test(text)) throw new EndpointDescriptionError(`invalid literal for int() with base 10: ${JSON.stringify(value)} (${what})`);
  return Number.parseInt(text, 10);
}

function takeOnly(kwargs: Record<string, string>, allowed: string[], what: string): void {
  for (const k of Object.keys(kwargs)) {
    if (!allowed.includes(k)) throw new EndpointDescriptionError(`${what}: unexpected keyword argument ${JSON.stringify(k)} (allowed: ${allowed.join(', ')})`);
  }
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'latin1');
  } catch (e) {
    throw new EndpointDescriptionError(`${what}: cannot read ${JSON.stringify(path)}: ${(e as Error).message}`);
  }
}

/** The certificates of every file in `dir` (non-certificate files are skipped, as Twisted's loader does). */
function certificatesInDirectory(dir: string, what: string): Certificate[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    throw new EndpointDescriptionError(`${what}: cannot list the directory ${JSON.stringify(dir)}: ${(e as Error).message}`);
  }
  const out: Certificate[] = [];
  for (const name of names.sort()) {
    let text: string;
    try {
      text = readFileSync(join(dir, name), 'latin1');
    } catch {
      continue;
    }
    for (const pem of pemCertificates(text)) {
      try {
        out.push(Certificate.loadPEM(pem));
      } catch {
        // not a certificate: skipped
      }
    }
  }
  if (out.length === 0) throw new EndpointDescriptionError(`${what}: no PEM certificate found in ${JSON.stringify(dir)}`);
  return out;
}

const sslServer: IStreamServerEndpointStringParser = {
  prefix: 'ssl',
  parseStreamServer(reactor, args, kwargs) {
    const names = ['port', 'privateKey', 'certKey', 'sslmethod', 'interface', 'backlog', 'extraCertChain', 'dhParameters'];
    const p: Record<string, string> = { ...kwargs };
    args.forEach((a, i) => {
      const name = names[i];
      if (name === undefined) throw new EndpointDescriptionError(`ssl: too many positional parameters (${args.length})`);
      if (name in kwargs) throw new EndpointDescriptionError(`ssl got multiple values for ${JSON.stringify(name)}`);
      p[name] = a;
    });
    takeOnly(p, names, 'ssl');
    if (p.port === undefined) throw new EndpointDescriptionError("ssl: missing the port (e.g. 'ssl:443:privateKey=key.pem:certKey=cert.pem')");
    if (p.sslmethod !== undefined) throw new EndpointDescriptionError('ssl: sslmethod is not supported (Node negotiates TLS 1.2 or 1.3); remove it');
    const keyPath = p.privateKey ?? 'server.pem';
    const certPath = p.certKey ?? keyPath;
    const keyText = readText(keyPath, 'ssl privateKey');
    const certText = keyPath === certPath ? keyText : readText(certPath, 'ssl certKey');
    const certificate = Certificate.loadPEM(certText);
    let extraCertChain: Certificate[] | null = null;
    if (p.extraCertChain !== undefined) {
      const chain = pemCertificates(readText(p.extraCertChain, 'ssl extraCertChain'));
      if (chain.length === 0) throw new InvalidCertificateError(`Specified chain file '${p.extraCertChain}' doesn't contain any valid certificates in PEM format.`);
      extraCertChain = chain.map((c) => Certificate.loadPEM(c));
    }
    const options = new CertificateOptions({
      privateKey: KeyPair.load(keyText),
      certificate,
      extraCertChain,
      dhParameters: p.dhParameters === undefined ? null : readText(p.dhParameters, 'ssl dhParameters'),
    });
    return new SSL4ServerEndpoint(sslReactor(reactor, 'ssl'), toInt(p.port, 'port'), options, {
      interface: p.interface ?? '',
      backlog: p.backlog === undefined ? 50 : toInt(p.backlog, 'backlog'),
    });
  },
};

const sslClient: IStreamClientEndpointStringParser = {
  prefix: 'ssl',
  parseStreamClient(reactor, args, kwargs) {
    const kw: Record<string, string> = { ...kwargs };
    if (args.length > 2) throw new EndpointDescriptionError(`ssl: at most host and port as positional parameters, got ${args.length}`);
    if (args.length >= 1) kw.host = args[0]!;
    if (args.length === 2) kw.port = args[1]!;
    takeOnly(kw, ['host', 'port', 'timeout', 'bindAddress', 'certKey', 'privateKey', 'caCertsDir', 'sslmethod'], 'ssl');
    if (kw.host === undefined || kw.port === undefined) throw new EndpointDescriptionError("ssl: a client needs a host and a port (e.g. 'ssl:example.com:443')");
    if (kw.sslmethod !== undefined) throw new EndpointDescriptionError('ssl: sslmethod is not supported (Node negotiates TLS 1.2 or 1.3); remove it');
    let privateKey: KeyPair | null = null;
    let certificate: Certificate | null = null;
    if (kw.certKey !== undefined) {
      const certText = readText(kw.certKey, 'ssl certKey');
      certificate = Certificate.loadPEM(certText);
      privateKey = KeyPair.load(kw.privateKey === undefined ? certText : readText(kw.privateKey, 'ssl privateKey'));
    }
    const caCerts = kw.caCertsDir === undefined ? null : certificatesInDirectory(kw.caCertsDir, 'ssl caCertsDir');
    const options = new CertificateOptions({ privateKey, certificate, verify: caCerts !== null, caCerts });
    return new SSL4ClientEndpoint(sslReactor(reactor, 'ssl'), kw.host, toInt(kw.port, 'port'), options, {
      timeout: kw.timeout === undefined ? 30 : toInt(kw.timeout, 'timeout'),
      bindAddress: kw.bindAddress === undefined ? null : [kw.bindAddress, 0],
    });
  },
};

const tlsClient: IStreamClientEndpointStringParser = {
  prefix: 'tls',
  parseStreamClient(reactor, args, kwargs) {
    const kw: Record<string, string> = { ...kwargs };
    if (args.length > 2) throw new EndpointDescriptionError(`tls: at most host and port as positional parameters, got ${args.length}`);
    if (args.length >= 1) kw.host = args[0]!;
    if (args.length === 2) kw.port = args[1]!;
    takeOnly(kw, ['host', 'port', 'timeout', 'bindAddress', 'certificate', 'privateKey', 'trustRoots', 'endpoint'], 'tls');
    if (kw.host === undefined) throw new EndpointDescriptionError("tls: missing the host (e.g. 'tls:example.com:443')");
    const host = kw.host;
    let trustRoot: IOpenSSLTrustRoot = platformTrust();
    if (kw.trustRoots !== undefined) trustRoot = trustRootFromCertificates(certificatesInDirectory(kw.trustRoots, 'tls trustRoots'));
    let clientCertificate: PrivateCertificate | null = null;
    if (kw.certificate !== undefined) {
      const certText = readText(kw.certificate, 'tls certificate');
      const keyText = kw.privateKey === undefined ? certText : readText(kw.privateKey, 'tls privateKey');
      clientCertificate = PrivateCertificate.fromCertificateAndKeyPair(Certificate.loadPEM(certText), KeyPair.load(keyText));
    }
    const creator = optionsForClientTLS(host, trustRoot, clientCertificate);
    let inner: IStreamClientEndpoint;
    if (kw.endpoint !== undefined) inner = clientFromString(reactor, kw.endpoint);
    else {
      if (kw.port === undefined) throw new EndpointDescriptionError("tls: missing the port (e.g. 'tls:example.com:443'), or give endpoint=...");
      inner = new HostnameEndpoint(reactor, host, toInt(kw.port, 'port'), {
        timeout: kw.timeout === undefined ? 30 : toInt(kw.timeout, 'timeout'),
        bindAddress: kw.bindAddress === undefined ? null : [kw.bindAddress, 0],
      });
    }
    return wrapClientTLS(creator, inner);
  },
};

/** @internal the parsers the registry starts with. */
export const sslParsers = { server: [sslServer], client: [sslClient, tlsClient] };
