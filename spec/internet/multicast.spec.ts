// Port of twisted/test/test_udp.py MulticastTests (Twisted 22.4): real multicast on this host.
// These specs need a multicast route (a default route, or `ip route add 224.0.0.0/4 dev lo`):
// the `before` hook checks once, with raw dgram, that a joined socket gets its own group
// datagram back, and fails the suite loudly when it does not.
import { expect } from 'chai';
import * as dgram from 'node:dgram';
import { Deferred, gatherResults } from '../../lib/defer/index.js';
import { MulticastJoinError } from '../../lib/error/index.js';
import { reactor } from '../../lib/reactor/index.js';
import { MulticastServer, settle, sleep, UDPCleanup, within } from './udpHelpers.js';

const GROUP = '225.0.0.250';

/** Whether this host delivers a multicast datagram to a member socket (checked once). */
function multicastWorks(): Promise<string | null> {
  return new Promise((resolve) => {
    const s = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    const timer = setTimeout(() => finish('no multicast datagram came back within 2 s'), 2000);
    function finish(problem: string | null): void {
      clearTimeout(timer);
      s.close();
      resolve(problem);
    }
    s.on('error', (e: NodeJS.ErrnoException) => finish(`${e.syscall ?? ''} ${e.code ?? e.message}`));
    s.on('message', () => finish(null));
    s.bind(0, '0.0.0.0', () => {
      try {
        s.addMembership(GROUP);
      } catch (e) {
        finish(`addMembership: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
        return;
      }
      s.send(Buffer.from('probe'), s.address().port, GROUP);
    });
  });
}

describe('MulticastTests', () => {
  const c = new UDPCleanup();
  let server: MulticastServer;
  let client: MulticastServer;

  before(async () => {
    const problem = await multicastWorks();
    if (problem !== null) {
      throw new Error(`MulticastTests need multicast on this host (a route for 224.0.0.0/4, e.g. "ip route add 224.0.0.0/4 dev lo"): ${problem}`);
    }
  });

  beforeEach(() => {
    c.start();
    server = new MulticastServer();
    client = new MulticastServer();
    // As upstream: multicast is not delivered to sockets bound to the loopback address.
    c.add(reactor.listenMulticast(0, server));
    c.add(reactor.listenMulticast(0, client));
    client.transport!.connect('127.0.0.1', server.transport!.getHost().port);
  });
  afterEach(() => c.close());

  it('testTTL: the multicast TTL starts at 1 and setTTL(2) makes it 2', () => {
    for (const o of [client, server]) {
      expect(o.transport!.getTTL()).to.equal(1);
      o.transport!.setTTL(2);
      expect(o.transport!.getTTL()).to.equal(2);
    }
  });

  it('test_loopback: with loopback mode on, a member gets its own group datagrams; after setLoopbackMode(0) it does not', async () => {
    expect(server.transport!.getLoopbackMode()).to.equal(1);
    const addr = server.transport!.getHost();
    await within(server.transport!.joinGroup(GROUP), 5, 'joinGroup');
    const d = (server.packetReceived = new Deferred<void>());
    server.transport!.write(Buffer.from('hello'), [GROUP, addr.port]);
    await within(d, 5, 'looped-back datagram');
    expect(server.packets).to.have.length(1);
    server.transport!.setLoopbackMode(0);
    expect(server.transport!.getLoopbackMode()).to.equal(0);
    server.transport!.write(Buffer.from('hello'), [GROUP, addr.port]);
    // Upstream waits one reactor turn; a little longer makes "nothing came" meaningful.
    await sleep(50);
    expect(server.packets).to.have.length(1);
  });

  it('test_interface: the outgoing interface starts at 0.0.0.0 and setOutgoingInterface sets it', async () => {
    expect(client.transport!.getOutgoingInterface()).to.equal('0.0.0.0');
    expect(server.transport!.getOutgoingInterface()).to.equal('0.0.0.0');
    const results = await gatherResults([client.transport!.setOutgoingInterface('127.0.0.1'), server.transport!.setOutgoingInterface('127.0.0.1')]);
    expect(results).to.deep.equal([1, 1]);
    expect(client.transport!.getOutgoingInterface()).to.equal('127.0.0.1');
    expect(server.transport!.getOutgoingInterface()).to.equal('127.0.0.1');
  });

  it('test_joinLeave: a group can be joined and left, by either port', async () => {
    await client.transport!.joinGroup(GROUP);
    await client.transport!.leaveGroup(GROUP);
    await server.transport!.joinGroup(GROUP);
    await server.transport!.leaveGroup(GROUP);
  });

  it('test_joinFailure: joining an address that is not a multicast group fails with MulticastJoinError', async () => {
    const r = await settle(client.transport!.joinGroup('127.0.0.1'));
    expect(r.ok).to.equal(false);
    const e = (r as { failure: { value: unknown } }).failure.value as MulticastJoinError;
    expect(e).to.be.instanceOf(MulticastJoinError);
    expect(e.args).to.deep.equal(['127.0.0.1', '0.0.0.0', 22, 'Invalid argument']);
  });

  it('test_multicast: a joined port receives what another port sends to the group', async () => {
    const cl = new MulticastServer();
    c.add(reactor.listenMulticast(0, cl));
    const addr = server.transport!.getHost();
    await within(server.transport!.joinGroup(GROUP), 5, 'joinGroup');
    const d = (server.packetReceived = new Deferred<void>());
    cl.transport!.write(Buffer.from('hello world'), [GROUP, addr.port]);
    await within(d, 5, 'group datagram');
    expect(server.packets[0]![0].toString()).to.equal('hello world');
  });

  it('test_multiListen: with listenMultiple, two ports share one port number and both get the group datagram', async () => {
    const firstClient = new MulticastServer();
    const firstPort = c.add(reactor.listenMulticast(0, firstClient, { listenMultiple: true }));
    const portno = firstPort.getHost().port;
    const secondClient = new MulticastServer();
    const secondPort = c.add(reactor.listenMulticast(portno, secondClient, { listenMultiple: true }));
    await within(gatherResults([server.transport!.joinGroup(GROUP), firstPort.joinGroup(GROUP), secondPort.joinGroup(GROUP)]), 5, 'joins');
    const d1 = (firstClient.packetReceived = new Deferred<void>());
    const d2 = (secondClient.packetReceived = new Deferred<void>());
    firstClient.transport!.write(Buffer.from('hello world'), [GROUP, portno]);
    await within(gatherResults([d1, d2]), 5, 'both datagrams');
    expect(firstClient.packets[0]![0].toString()).to.equal('hello world');
    expect(secondClient.packets[0]![0].toString()).to.equal('hello world');
  });
});
