// A UDP echo server: every datagram goes back to where it came from. The twistless port of
// Twisted's examples/echoserv_udp.py (beside it in examples/python/echoserv_udp.py).
// Run: npx tsx examples/echoserv_udp.ts [port]. Checked by spec/examples/udp.spec.ts against the
// Python listing, both ways.
import { DatagramProtocol, reactor, type DatagramAddress } from 'twistless';

/** Here's a UDP version of the simplest possible protocol. */
class EchoUDP extends DatagramProtocol {
  override datagramReceived(datagram: Buffer, address: DatagramAddress): void {
    this.transport!.write(datagram, address);
  }
}

reactor.listenUDP(Number(process.argv[2] ?? 8000), new EchoUDP());
reactor.run();
