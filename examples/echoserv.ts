// An echo server: every byte received is written back. The twistless port of Twisted's
// examples/echoserv.py (beside it in examples/python/echoserv.py). Run: npx tsx examples/echoserv.ts [port]
// Checked by spec/examples/network.spec.ts against the Python listing, both ways.
import { Factory, Protocol, reactor } from 'twistless';

/** This is just about the simplest possible protocol. */
class Echo extends Protocol {
  override dataReceived(data: Buffer): void {
    // As soon as any data is received, write it back.
    this.transport!.write(data);
  }
}

const factory = Factory.forProtocol(Echo);
reactor.listenTCP(Number(process.argv[2] ?? 8000), factory);
reactor.run();
