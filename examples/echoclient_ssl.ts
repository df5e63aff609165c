// An echo client over TLS: it trusts the test authority (spec/fixtures/tls/ca.crt), checks that
// the server's certificate names "localhost", sends three lines, prints each echo and closes after
// the last. The twistless port of Twisted's examples/echoclient_ssl.py (beside it in
// examples/python/echoclient_ssl.py). Run: npx tsx examples/echoclient_ssl.ts [port]
// Checked by spec/examples/tls.spec.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deferred, Factory, LineReceiver, react, type Failure, type Reactor } from 'twistless';
import { SSL4ClientEndpoint } from 'twistless/endpoints';
import { Certificate, optionsForClientTLS } from 'twistless/ssl';

class EchoClient extends LineReceiver {
  end = Buffer.from('Bye-bye!');
  done = new Deferred<void>();

  override connectionMade(): void {
    this.sendLine(Buffer.from('Hello, world!'));
    this.sendLine(Buffer.from('What a fine day it is.'));
    this.sendLine(this.end);
  }

  override lineReceived(line: Buffer): void {
    console.log(`receive: ${line.toString()}`);
    if (line.equals(this.end)) this.transport!.loseConnection();
  }

  override connectionLost(reason: Failure): void {
    console.log(`connection lost: ${reason.getErrorMessage()}`);
    this.done.callback(undefined);
  }
}

react(async (reactor: Reactor) => {
  const factory = Factory.forProtocol(EchoClient);
  const authority = Certificate.loadPEM(readFileSync(join(__dirname, '..', 'spec', 'fixtures', 'tls', 'ca.crt')));
  const options = optionsForClientTLS('localhost', authority);
  const endpoint = new SSL4ClientEndpoint(reactor, 'localhost', Number(process.argv[2] ?? 8000), options);
  const echoClient = (await endpoint.connect(factory)) as EchoClient;
  await echoClient.done;
});
