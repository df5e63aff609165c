#!/usr/bin/env node
// Makes the TLS test certificates under spec/fixtures/tls/ with the `openssl` command line tool
// (Node's crypto can make keys but not X.509 certificates). The output is committed, so specs
// and examples need nothing at run time; run this again only to replace them:
//   node scripts/make-test-certs.mjs
// Made: a CA, a server certificate for localhost / 127.0.0.1 / ::1 signed by it, a client
// certificate signed by it, and a second, unrelated CA with its own self-signed "stranger"
// server certificate (for the untrusted-peer specs). Valid for 100 years.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'spec', 'fixtures', 'tls');
const tmp = mkdtempSync(join(tmpdir(), 'twistless-certs-'));
const DAYS = String(36525);

function openssl(...args) {
  execFileSync('openssl', args, { stdio: 'pipe' });
}

function key(name) {
  const path = join(out, `${name}.key`);
  openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', path);
  return path;
}

function selfSigned(name, subject) {
  const k = key(name);
  const ext = join(tmp, `${name}.ext`);
  writeFileSync(ext, 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n');
  openssl('req', '-new', '-x509', '-key', k, '-subj', subject, '-days', DAYS, '-sha256', '-out', join(out, `${name}.crt`), '-extensions', 'v3', '-config', configWith(ext));
}

function configWith(extFile) {
  const cfg = join(tmp, 'req.cnf');
  writeFileSync(cfg, `[req]\ndistinguished_name=dn\n[dn]\n[v3]\n${readFileSync(extFile, 'utf8')}`);
  return cfg;
}

function signed(name, subject, ca, extensions) {
  const k = key(name);
  const csr = join(tmp, `${name}.csr`);
  const ext = join(tmp, `${name}.ext`);
  writeFileSync(ext, extensions);
  openssl('req', '-new', '-key', k, '-subj', subject, '-out', csr);
  openssl('x509', '-req', '-in', csr, '-CA', join(out, `${ca}.crt`), '-CAkey', join(out, `${ca}.key`), '-CAcreateserial', '-CAserial', join(tmp, `${ca}.srl`), '-days', DAYS, '-sha256', '-extfile', ext, '-out', join(out, `${name}.crt`));
}

try {
  selfSigned('ca', '/O=twistless tests/CN=twistless test CA');
  signed('server', '/O=twistless tests/CN=localhost', 'ca', 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n');
  signed('client', '/O=twistless tests/CN=twistless test client', 'ca', 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n');
  selfSigned('other-ca', '/O=somebody else/CN=unrelated CA');
  signed('stranger', '/O=somebody else/CN=localhost', 'other-ca', 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n');
  // server.pem: key then certificate in one file, as Twisted's examples load it.
  writeFileSync(join(out, 'server.pem'), readFileSync(join(out, 'server.key'), 'utf8') + readFileSync(join(out, 'server.crt'), 'utf8'));
  writeFileSync(join(out, 'client.pem'), readFileSync(join(out, 'client.key'), 'utf8') + readFileSync(join(out, 'client.crt'), 'utf8'));
  rmSync(join(out, 'other-ca.key'));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log(`test certificates written to ${out}`);
