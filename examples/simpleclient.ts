// A client that says hello, prints the answer and hangs up; its factory stops the reactor when the
// connection is over. The twistless port of Twisted's examples/simpleclient.py (beside it in
// examples/python/simpleclient.py). Run: npx tsx examples/simpleclient.ts [port].
// Checked by spec/examples/network.spec.ts.
import { ClientFactory, Protocol, reactor, type Failure, type IConnector } from 'twistless';

/** Once connected, send a message, then print the result. */
class EchoClient extends Protocol {
  override connectionMade(): void {
    this.transport!.write(Buffer.from('hello, world!'));
  }

  override dataReceived(data: Buffer): void {
    // As soon as any data is received, write it back.
    console.log(`Server said: ${data.toString()}`);
    this.transport!.loseConnection();
  }

  override connectionLost(_reason: Failure): void {
    console.log('connection lost');
  }
}

class EchoFactory extends ClientFactory<EchoClient> {
  override protocol = EchoClient;

  override clientConnectionFailed(_connector: IConnector, _reason: Failure): void {
    console.log('Connection failed - goodbye!');
    reactor.stop();
  }

  override clientConnectionLost(_connector: IConnector, _reason: Failure): void {
    console.log('Connection lost - goodbye!');
    reactor.stop();
  }
}

// This connects the protocol to a server running on port 8000.
function main(): void {
  const f = new EchoFactory();
  reactor.connectTCP('localhost', Number(process.argv[2] ?? 8000), f);
  reactor.run();
}

main();
