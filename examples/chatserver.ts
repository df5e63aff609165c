// A chat server: every line a client sends goes to every client (the sender too), ended by "\n".
// The twistless port of Twisted's examples/chatserver.py (beside it in examples/python/chatserver.py;
// the Python listing is a .tac for twistd, run here with listenTCP instead).
// Run: npx tsx examples/chatserver.ts [port]. Checked by spec/examples/network.spec.ts.
import { LineReceiver, ServerFactory, reactor, type Failure } from 'twistless';

class ChatFactory extends ServerFactory<MyChat> {
  override protocol = MyChat;
  clients: MyChat[] = [];
}

class MyChat extends LineReceiver {
  override connectionMade(): void {
    console.log('Got new client!');
    this.chat().clients.push(this);
  }

  override connectionLost(_reason: Failure): void {
    console.log('Lost a client!');
    const clients = this.chat().clients;
    clients.splice(clients.indexOf(this), 1);
  }

  override lineReceived(line: Buffer): void {
    console.log('received', JSON.stringify(line.toString('latin1')));
    for (const c of this.chat().clients) c.message(line);
  }

  message(message: Buffer): void {
    this.transport!.write(Buffer.concat([message, Buffer.from('\n')]));
  }

  private chat(): ChatFactory {
    return this.factory as ChatFactory;
  }
}

reactor.listenTCP(Number(process.argv[2] ?? 1025), new ChatFactory());
reactor.run();
