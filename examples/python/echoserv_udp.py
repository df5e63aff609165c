# Twisted's examples/echoserv_udp.py, with the port taken from the command line.
import sys

from twisted.internet import reactor
from twisted.internet.protocol import DatagramProtocol


# Here's a UDP version of the simplest possible protocol
class EchoUDP(DatagramProtocol):
    def datagramReceived(self, datagram, address):
        self.transport.write(datagram, address)


def main():
    reactor.listenUDP(int(sys.argv[1]) if len(sys.argv) > 1 else 8000, EchoUDP())
    reactor.run()


if __name__ == "__main__":
    main()
