# Twisted's finger tutorial, finger08.py, with the port taken from the command line.
import sys

from twisted.internet import defer, endpoints, protocol, reactor
from twisted.protocols import basic


class FingerProtocol(basic.LineReceiver):
    def lineReceived(self, user):
        d = self.factory.getUser(user)

        def onError(err):
            return b"Internal error in server"

        d.addErrback(onError)

        def writeResponse(message):
            self.transport.write(message + b"\r\n")
            self.transport.loseConnection()

        d.addCallback(writeResponse)


class FingerFactory(protocol.ServerFactory):
    protocol = FingerProtocol

    def __init__(self, users):
        self.users = users

    def getUser(self, user):
        return defer.succeed(self.users.get(user, b"No such user"))


fingerEndpoint = endpoints.serverFromString(reactor, "tcp:%s" % (sys.argv[1] if len(sys.argv) > 1 else "1079"))
fingerEndpoint.listen(FingerFactory({b"moshez": b"Happy and well"}))
reactor.run()
