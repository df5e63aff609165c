// An echo client: sends three lines, prints each echo, closes after the last. The twistless port of
// Twisted's examples/echoclient.py (beside it in examples/python/echoclient.py); it connects to
// "localhost", which connectTCP resolves to IPv4 as Twisted does.
// Run: npx tsx examples/echoclient.ts [port]. Checked by spec/examples/network.spec.ts.
import { ClientFactory, Deferred, LineReceiver, react, type Failure, type IConnector, type Reactor } from 'twistless';

class EchoClient extends LineReceiver {
  end = Buffer.from('Bye-bye!');

  override connectionMade(): void {
    this.sendLine(Buffer.from('Hello, world!'));
    this.sendLine(Buffer.from('What a fine day it is.'));
    this.sendLine(this.end);
  }

  override lineReceived(line: Buffer): void {
    console.log(`receive: ${line.toString()}`);
    if (line.equals(this.end)) this.transport!.loseConnection();
  }
}

class EchoClientFactory extends ClientFactory<EchoClient> {
  override protocol = EchoClient;
  done = new Deferred<void>();

  override clientConnectionFailed(_connector: IConnector, reason: Failure): void {
    console.log(`connection failed: ${reason.getErrorMessage()}`);
    this.done.errback(reason);
  }

  override clientConnectionLost(_connector: IConnector, reason: Failure): void {
    console.log(`connection lost: ${reason.getErrorMessage()}`);
    this.done.callback(undefined);
  }
}

react((reactor: Reactor) => {
  const factory = new EchoClientFactory();
  reactor.connectTCP('localhost', Number(process.argv[2] ?? 8000), factory);
  return factory.done;
});
