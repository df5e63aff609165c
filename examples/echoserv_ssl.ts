// An echo server over TLS, presenting the test certificate (spec/fixtures/tls/server.pem, a key
// and a certificate for localhost). The twistless port of Twisted's examples/echoserv_ssl.py
// (beside it in examples/python/echoserv_ssl.py). Run: npx tsx examples/echoserv_ssl.ts [port]
// Checked by spec/examples/tls.spec.ts against the Python listing, both ways.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Factory, Protocol, reactor } from 'twistless';
import { PrivateCertificate } from 'twistless/ssl';

class Echo extends Protocol {
  override dataReceived(data: Buffer): void {
    this.transport!.write(data);
  }
}

const certData = readFileSync(join(__dirname, '..', 'spec', 'fixtures', 'tls', 'server.pem'));
const certificate = PrivateCertificate.loadPEM(certData);
const factory = Factory.forProtocol(Echo);
reactor.listenSSL(Number(process.argv[2] ?? 8000), factory, certificate.options());
reactor.run();
