// Port of the `ssl:` (server and client) and `tls:` (client) endpoint description parsers of
// twisted.internet.endpoints (Twisted 22.4: _parseSSL, _parseClientSSL, _parseClientTLS), read
// through the parameter table of descriptions.ts. Covered by spec/endpoints/ssl.spec.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IReactorSSL, IStreamClientEndpoint } from '../protocol/interfaces.js';
import { InvalidCertificateError } from '../error/tls.js';
import { Certificate, KeyPair, pemCertificates } from '../ssl/certificate.js';
import { optionsForClientTLS } from '../ssl/clientTLS.js';
import { CertificateOptions } from '../ssl/options.js';
import { PrivateCertificate } from '../ssl/privateCertificate.js';
import { platformTrust, trustRootFromCertificates, type IOpenSSLTrustRoot } from '../ssl/trust.js';
import { intParameter, readParameters, required, type ParameterTable } from './descriptions.js';
import { EndpointDescriptionError } from './errors.js';
import { HostnameEndpoint } from './hostname.js';
import type { ClientFromString, EndpointReactor, IStreamClientEndpointStringParser, IStreamServerEndpointStringParser } from './parser.js';
import { SSL4ClientEndpoint, SSL4ServerEndpoint, wrapClientTLS } from './ssl.js';

const SERVER_SSL: ParameterTable = {
  kind: 'ssl',
  names: ['port', 'privateKey', 'certKey', 'sslmethod', 'interface', 'backlog', 'extraCertChain', 'dhParameters'],
  positional: 8,
  mode: 'signature',
};
const CLIENT_SSL: ParameterTable = { kind: 'ssl', names: ['host', 'port', 'timeout', 'bindAddress', 'certKey', 'privateKey', 'caCertsDir', 'sslmethod'], positional: 2, mode: 'override' };
const CLIENT_TLS: ParameterTable = {
  kind: 'tls',
  names: ['host', 'port', 'timeout', 'bindAddress', 'certificate', 'privateKey', 'trustRoots', 'endpoint'],
  positional: 2,
  mode: 'override',
};


function sslReactor(reactor: EndpointReactor, what: string): EndpointReactor & IReactorSSL {
  const r = reactor as EndpointReactor & Partial<IReactorSSL>;
  if (typeof r.listenSSL !== 'function' || typeof r.connectSSL !== 'function') throw new EndpointDescriptionError(`${what}: the reactor has no listenSSL/connectSSL`);
  return r as EndpointReactor & IReactorSSL;
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
    const p = readParameters(SERVER_SSL, args, kwargs);
    const port = required(p.port, "ssl: missing the port (e.g. 'ssl:443:privateKey=key.pem:certKey=cert.pem')");
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
    return new SSL4ServerEndpoint(sslReactor(reactor, 'ssl'), intParameter(port, 0, 'port'), options, {
      interface: p.interface ?? '',
      backlog: intParameter(p.backlog, 50, 'backlog'),
    });
  },
};

const sslClient: IStreamClientEndpointStringParser = {
  prefix: 'ssl',
  parseStreamClient(reactor, args, kwargs) {
    const kw = readParameters(CLIENT_SSL, args, kwargs);
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
    return new SSL4ClientEndpoint(sslReactor(reactor, 'ssl'), kw.host, intParameter(kw.port, 0, 'port'), options, {
      timeout: intParameter(kw.timeout, 30, 'timeout'),
      bindAddress: kw.bindAddress === undefined ? null : [kw.bindAddress, 0],
    });
  },
};

const tlsClient: IStreamClientEndpointStringParser = {
  prefix: 'tls',
  parseStreamClient(reactor, args, kwargs, nested?: ClientFromString) {
    const kw = readParameters(CLIENT_TLS, args, kwargs);
    const host = required(kw.host, "tls: missing the host (e.g. 'tls:example.com:443')");
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
    if (kw.endpoint !== undefined) {
      if (nested === undefined) throw new EndpointDescriptionError('tls: endpoint= is read by clientFromString; call it with the whole description');
      inner = nested(reactor, kw.endpoint);
    }
    else {
      if (kw.port === undefined) throw new EndpointDescriptionError("tls: missing the port (e.g. 'tls:example.com:443'), or give endpoint=...");
      inner = new HostnameEndpoint(reactor, host, intParameter(kw.port, 0, 'port'), {
        timeout: intParameter(kw.timeout, 30, 'timeout'),
        bindAddress: kw.bindAddress === undefined ? null : [kw.bindAddress, 0],
      });
    }
    return wrapClientTLS(creator, inner);
  },
};

/** @internal the ssl and tls parsers the registry starts with. */
export const sslParsers = { server: [sslServer], client: [sslClient, tlsClient] };
