# Twisted's examples/echoclient_udp.py, with the port taken from the command line and a
# connectionRefused that says so and stops (the listing has none).
import sys

from twisted.internet import reactor
from twisted.internet.protocol import DatagramProtocol

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8000


class EchoClientDatagramProtocol(DatagramProtocol):
    strings = [b"Hello, world!", b"What a fine day it is.", b"Bye-bye!"]

    def startProtocol(self):
        self.transport.connect("127.0.0.1", PORT)
        self.sendDatagram()

    def sendDatagram(self):
        if len(self.strings):
            datagram = self.strings.pop(0)
            self.transport.write(datagram)
        else:
            reactor.stop()

    def datagramReceived(self, datagram, host):
        print("Datagram received: ", repr(datagram))
        self.sendDatagram()

    def connectionRefused(self):
        print("No one listening")
        reactor.stop()


def main():
    protocol = EchoClientDatagramProtocol()
    reactor.listenUDP(0, protocol)
    reactor.run()


if __name__ == "__main__":
    main()
