# Twisted's examples/echoserv.py, with the port taken from the command line.
import sys

from twisted.internet import reactor
from twisted.internet.protocol import Factory, Protocol


class Echo(Protocol):
    """This is just about the simplest possible protocol"""

    def dataReceived(self, data):
        "As soon as any data is received, write it back."
        self.transport.write(data)


def main():
    f = Factory()
    f.protocol = Echo
    reactor.listenTCP(int(sys.argv[1]) if len(sys.argv) > 1 else 8000, f)
    reactor.run()


if __name__ == "__main__":
    main()
