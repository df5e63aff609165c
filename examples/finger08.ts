// The finger tutorial, step 8: getUser returns a Deferred, and the answer is written from its
// callback (an errback turns a failure into "Internal error in server"). The twistless port of
// Twisted's finger08.py (beside it in examples/python/finger08.py).
// Run: npx tsx examples/finger08.ts [port]. Checked by spec/examples/network.spec.ts.
import { Deferred, LineReceiver, ServerFactory, reactor, succeed, type Failure } from 'twistless';
import { serverFromString } from 'twistless/endpoints';

class FingerProtocol extends LineReceiver {
  override lineReceived(user: Buffer): void {
    const d: Deferred<Buffer> = (this.factory as FingerFactory).getUser(user);
    d.addErrback((_err: Failure) => Buffer.from('Internal error in server'));
    d.addCallback((message: Buffer) => {
      this.transport!.write(Buffer.concat([message, Buffer.from('\r\n')]));
      this.transport!.loseConnection();
    });
  }
}

class FingerFactory extends ServerFactory<FingerProtocol> {
  override protocol = FingerProtocol;
  constructor(private readonly users: Map<string, Buffer>) {
    super();
  }
  getUser(user: Buffer): Deferred<Buffer> {
    return succeed(this.users.get(user.toString()) ?? Buffer.from('No such user'));
  }
}

const fingerEndpoint = serverFromString(reactor, `tcp:${process.argv[2] ?? 1079}`);
fingerEndpoint.listen(new FingerFactory(new Map([['moshez', Buffer.from('Happy and well')]])));
reactor.run();
