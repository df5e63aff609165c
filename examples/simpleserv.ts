// The simplest server: an echo protocol on a ServerFactory. The twistless port of Twisted's
// examples/simpleserv.py (beside it in examples/python/simpleserv.py).
// Run: npx tsx examples/simpleserv.ts [port]. Checked by spec/examples/network.spec.ts.
import { Protocol, ServerFactory, reactor } from 'twistless';

/** This is just about the simplest possible protocol. */
class Echo extends Protocol {
  override dataReceived(data: Buffer): void {
    this.transport!.write(data);
  }
}

function main(): void {
  const factory = new ServerFactory();
  factory.protocol = Echo;
  reactor.listenTCP(Number(process.argv[2] ?? 8000), factory);
  reactor.run();
}

main();
