# Twisted's howto listing docs/core/howto/listings/process/process.py (spawn `wc`, write verses to
# its stdin, close it, print the ProcessProtocol event trace), with the str -> bytes fixes of
# Python 3. Its twistless port is examples/process.ts; spec/examples/process.spec.ts compares them.
import re

from twisted.internet import protocol, reactor


class MyPP(protocol.ProcessProtocol):
    def __init__(self, verses):
        self.verses = verses
        self.data = b""

    def connectionMade(self):
        print("connectionMade!")
        for i in range(self.verses):
            self.transport.write(
                b"Aleph-null bottles of beer on the wall,\n"
                + b"Aleph-null bottles of beer,\n"
                + b"Take one down and pass it around,\n"
                + b"Aleph-null bottles of beer on the wall.\n"
            )
        self.transport.closeStdin()  # tell them we're done

    def outReceived(self, data):
        print("outReceived! with %d bytes!" % len(data))
        self.data = self.data + data

    def errReceived(self, data):
        print("errReceived! with %d bytes!" % len(data))

    def inConnectionLost(self):
        print("inConnectionLost! stdin is closed! (we probably did it)")

    def outConnectionLost(self):
        print("outConnectionLost! The child closed their stdout!")
        # now is the time to examine what they wrote
        # print("I saw them write:", self.data)
        (dummy, lines, words, chars, file) = re.split(rb"\s+", self.data)
        print("I saw %s lines" % lines.decode())

    def errConnectionLost(self):
        print("errConnectionLost! The child closed their stderr.")

    def processExited(self, reason):
        print("processExited, status %d" % (reason.value.exitCode,))

    def processEnded(self, reason):
        print("processEnded, status %d" % (reason.value.exitCode,))
        print("quitting")
        reactor.stop()


pp = MyPP(10)
reactor.spawnProcess(pp, "wc", ["wc"], {})
reactor.run()
