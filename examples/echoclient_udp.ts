// A connected UDP client: sends three datagrams one at a time, printing each echo, and stops the
// reactor after the third. The twistless port of Twisted's examples/echoclient_udp.py (beside it
// in examples/python/echoclient_udp.py); both also print and stop when nothing listens
// (connectionRefused, which the listing leaves out). Run: npx tsx examples/echoclient_udp.ts [port].
// Checked by spec/examples/udp.spec.ts.
import { bytesRepr, DatagramProtocol, reactor, type DatagramAddress } from 'twistless';

const port = Number(process.argv[2] ?? 8000);

class EchoClientDatagramProtocol extends DatagramProtocol {
  strings = [Buffer.from('Hello, world!'), Buffer.from('What a fine day it is.'), Buffer.from('Bye-bye!')];

  override startProtocol(): void {
    this.transport!.connect('127.0.0.1', port);
    this.sendDatagram();
  }

  sendDatagram(): void {
    const datagram = this.strings.shift();
    if (datagram !== undefined) this.transport!.write(datagram);
    else reactor.stop();
  }

  override datagramReceived(datagram: Buffer, _host: DatagramAddress): void {
    console.log('Datagram received: ', bytesRepr(datagram));
    this.sendDatagram();
  }

  override connectionRefused(): void {
    console.log('No one listening');
    reactor.stop();
  }
}

reactor.listenUDP(0, new EchoClientDatagramProtocol());
reactor.run();
