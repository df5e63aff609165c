// The finger tutorial, step 7: a finger server reading its users from a dictionary, listening on an
// endpoint described by a string. The twistless port of Twisted's finger07.py (beside it in
// examples/python/finger07.py). Run: npx tsx examples/finger07.ts [port].
// Checked by spec/examples/network.spec.ts.
import { LineReceiver, ServerFactory, reactor } from 'twistless';
import { serverFromString } from 'twistless/endpoints';

class FingerProtocol extends LineReceiver {
  override lineReceived(user: Buffer): void {
    const answer = (this.factory as FingerFactory).getUser(user);
    this.transport!.write(Buffer.concat([answer, Buffer.from('\r\n')]));
    this.transport!.loseConnection();
  }
}

class FingerFactory extends ServerFactory<FingerProtocol> {
  override protocol = FingerProtocol;
  constructor(private readonly users: Map<string, Buffer>) {
    super();
  }
  getUser(user: Buffer): Buffer {
    return this.users.get(user.toString()) ?? Buffer.from('No such user');
  }
}

const fingerEndpoint = serverFromString(reactor, `tcp:${process.argv[2] ?? 1079}`);
fingerEndpoint.listen(new FingerFactory(new Map([['moshez', Buffer.from('Happy and well')]])));
reactor.run();
