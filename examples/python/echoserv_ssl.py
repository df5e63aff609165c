# Twisted's examples/echoserv_ssl.py, with the port taken from the command line and the test
# certificate of spec/fixtures/tls (Twisted's listing loads a server.pem beside it).
import os
import sys

from twisted.internet import defer, protocol, ssl, task

import echoserv

HERE = os.path.dirname(os.path.abspath(__file__))


def main(reactor):
    with open(os.path.join(HERE, "..", "..", "spec", "fixtures", "tls", "server.pem"), "rb") as f:
        certData = f.read()
    certificate = ssl.PrivateCertificate.loadPEM(certData)
    factory = protocol.Factory.forProtocol(echoserv.Echo)
    reactor.listenSSL(int(sys.argv[1]) if len(sys.argv) > 1 else 8000, factory, certificate.options())
    return defer.Deferred()


if __name__ == "__main__":
    task.react(main)
