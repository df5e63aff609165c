# Twisted's examples/echoclient_ssl.py, with the port taken from the command line, the test
# authority of spec/fixtures/tls, and "localhost" as the name checked (Twisted's listing checks
# example.com against its own self-signed public.pem).
import os
import sys

from twisted.internet import defer, endpoints, protocol, ssl, task

import echoclient

HERE = os.path.dirname(os.path.abspath(__file__))


@defer.inlineCallbacks
def main(reactor):
    factory = protocol.Factory.forProtocol(echoclient.EchoClient)
    with open(os.path.join(HERE, "..", "..", "spec", "fixtures", "tls", "ca.crt"), "rb") as f:
        certData = f.read()
    authority = ssl.Certificate.loadPEM(certData)
    options = ssl.optionsForClientTLS("localhost", authority)
    endpoint = endpoints.SSL4ClientEndpoint(reactor, "localhost", int(sys.argv[1]) if len(sys.argv) > 1 else 8000, options)
    echoClient = yield endpoint.connect(factory)

    done = defer.Deferred()

    def lost(reason):
        print("connection lost:", reason.getErrorMessage())
        done.callback(None)

    echoClient.connectionLost = lost
    yield done


if __name__ == "__main__":
    task.react(main)
