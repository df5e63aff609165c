# Twisted's examples/chatserver.py; the listing is a .tac for `twistd -ny`, this copy listens with
# reactor.listenTCP on the port given on the command line instead.
import sys

from twisted.internet import protocol, reactor
from twisted.protocols import basic


class MyChat(basic.LineReceiver):
    def connectionMade(self):
        print("Got new client!", flush=True)
        self.factory.clients.append(self)

    def connectionLost(self, reason):
        print("Lost a client!", flush=True)
        self.factory.clients.remove(self)

    def lineReceived(self, line):
        print("received", repr(line), flush=True)
        for c in self.factory.clients:
            c.message(line)

    def message(self, message):
        self.transport.write(message + b"\n")


factory = protocol.ServerFactory()
factory.protocol = MyChat
factory.clients = []
reactor.listenTCP(int(sys.argv[1]) if len(sys.argv) > 1 else 1025, factory)
reactor.run()
