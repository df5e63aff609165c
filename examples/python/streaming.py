# Twisted's examples/streaming.py, with the port taken from the command line.
import random
import sys

from zope.interface import implementer

from twisted.internet import interfaces, reactor
from twisted.internet.protocol import Factory
from twisted.protocols.basic import LineReceiver


@implementer(interfaces.IPushProducer)
class Producer:
    """Send back the requested number of random integers to the client."""

    def __init__(self, proto, count):
        self._proto = proto
        self._goal = count
        self._produced = 0
        self._paused = False

    def pauseProducing(self):
        self._paused = True
        print("Pausing connection from %s" % self._proto.transport.getPeer(), flush=True)

    def resumeProducing(self):
        self._paused = False
        while not self._paused and self._produced < self._goal:
            next_int = random.randint(0, 10000)
            line = b"%d\r\n" % (next_int,)
            self._proto.transport.write(line)
            self._produced += 1
        if self._produced == self._goal:
            self._proto.transport.unregisterProducer()
            self._proto.transport.loseConnection()

    def stopProducing(self):
        self._produced = self._goal


class ServeRandom(LineReceiver):
    """Serve up random integers."""

    def connectionMade(self):
        self.transport.write(b"How many random integers do you want?\r\n")

    def lineReceived(self, line):
        producer = Producer(self, int(line))
        self.transport.registerProducer(producer, True)
        producer.resumeProducing()

    def connectionLost(self, reason):
        print("Connection lost from %s" % self.transport.getPeer(), flush=True)


factory = Factory()
factory.protocol = ServeRandom
reactor.listenTCP(int(sys.argv[1]) if len(sys.argv) > 1 else 1234, factory)
reactor.run()
