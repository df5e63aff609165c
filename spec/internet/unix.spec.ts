// Port of twisted/test/test_unix.py UnixSocketTests and twisted/internet/test/test_unix.py
// UNIXTestsBuilder (Twisted 22.4): listenUNIX/connectUNIX over UNIX sockets in a temporary folder,
// mode, the wantPID lock file, checkPID, addresses, Linux abstract names, and the UNIX endpoints.
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UNIXAddress } from '../../lib/address/index.js';
import { BadFileError, CannotListenError } from '../../lib/error/index.js';
import { Factory, Protocol } from '../../lib/protocol/index.js';
import { reactor } from '../../lib/reactor/index.js';
import { UNIXClientEndpoint, UNIXServerEndpoint } from '../../lib/endpoints/index.js';
import type { UNIXPort } from '../../lib/internet/unix.js';
import { failureOf, Recorder, RecordingClientFactory, RecordingFactory, sleep, typeName } from './helpers.js';
import { LogCapture } from '../reactor/logCapture.js';

describe('UnixSocketTests', () => {
  let dir: string;
  let ports: UNIXPort[];
  let log: LogCapture;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twistless-unix-'));
    ports = [];
    log = new LogCapture().start();
  });
  afterEach(async () => {
    for (const p of ports) {
      const d = p.stopListening();
      if (d !== null) await d;
    }
    log.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function listenAt(name: string, factory: Factory<Protocol>, options = {}): Promise<UNIXPort> {
    const p = reactor.listenUNIX(path.join(dir, name), factory, options);
    ports.push(p);
    await p.whenListening();
    return p;
  }

  it('test_peerBind / test_addresses: a connection carries data both ways; addresses are UNIXAddress(path) and UNIXAddress(null)', async () => {
    const f = new RecordingFactory(() => new Recorder());
    const port = await listenAt('s.sock', f);
    const sock = path.join(dir, 's.sock');
    expect(port.getHost().equals(new UNIXAddress(sock))).to.equal(true);
    const cf = new RecordingClientFactory(() => new Recorder());
    const connector = reactor.connectUNIX(sock, cf);
    expect(connector.getDestination().equals(new UNIXAddress(sock))).to.equal(true);
    const client = await (await cf.protocolD).made;
    const server = await (await f.next).made;
    expect(client.transport!.getPeer().equals(new UNIXAddress(sock))).to.equal(true);
    expect(client.transport!.getHost().equals(new UNIXAddress(null))).to.equal(true);
    expect(server.transport!.getHost().equals(new UNIXAddress(sock))).to.equal(true);
    client.transport!.write(Buffer.from('hello'));
    while (server.received().length < 5) await sleep(2);
    expect(server.received().toString()).to.equal('hello');
    client.transport!.loseConnection();
    expect(typeName(await server.lost)).to.equal('ConnectionDone');
    expect(typeName(await cf.done)).to.equal('ConnectionDone');
  });

  it('test_mode: the socket file gets the mode asked for', async () => {
    await listenAt('m.sock', Factory.forProtocol(Protocol), { mode: 0o600 });
    expect(fs.statSync(path.join(dir, 'm.sock')).mode & 0o777).to.equal(0o600);
  });

  it('test_pidFile: wantPID holds <path>.lock (a link to our PID) while listening and removes it after', async () => {
    const port = await listenAt('p.sock', Factory.forProtocol(Protocol), { wantPID: true });
    const lock = path.join(dir, 'p.sock.lock');
    expect(fs.readlinkSync(lock)).to.equal(String(process.pid));
    const cf = new RecordingClientFactory(() => new Recorder());
    reactor.connectUNIX(path.join(dir, 'p.sock'), cf, { checkPID: true });
    const client = await (await cf.protocolD).made;
    client.transport!.loseConnection();
    await cf.done;
    await port.stopListening();
    expect(fs.existsSync(lock)).to.equal(false);
  });

  it('test_pidFileHeld: a second wantPID port on a held lock raises CannotListenError at once', async () => {
    await listenAt('h.sock', Factory.forProtocol(Protocol), { wantPID: true });
    expect(() => reactor.listenUNIX(path.join(dir, 'h.sock'), Factory.forProtocol(Protocol), { wantPID: true })).to.throw(CannotListenError, /Cannot acquire lock/);
  });

  it('test_stalePidFile: a lock left by a dead process is taken over and its stale socket file removed', async () => {
    const sock = path.join(dir, 'stale.sock');
    fs.symlinkSync('999999999', `${sock}.lock`);
    await listenAt('stale.sock', Factory.forProtocol(Protocol), { wantPID: true });
    expect(fs.readlinkSync(`${sock}.lock`)).to.equal(String(process.pid));
  });

  it('test_checkPIDWithoutLock: checkPID with no live lock fails the attempt with BadFileError', async () => {
    await listenAt('c.sock', Factory.forProtocol(Protocol));
    const cf = new RecordingClientFactory(() => new Recorder());
    reactor.connectUNIX(path.join(dir, 'c.sock'), cf, { checkPID: true });
    expect((await cf.done).value).to.be.instanceOf(BadFileError);
  });

  it('test_listenFailure: listening on a path in use fails whenListening() with CannotListenError', async () => {
    await listenAt('busy.sock', Factory.forProtocol(Protocol));
    const second = reactor.listenUNIX(path.join(dir, 'busy.sock'), Factory.forProtocol(Protocol));
    const f = await failureOf(second.whenListening());
    expect(f!.value).to.be.instanceOf(CannotListenError);
    expect((f!.value as CannotListenError).port).to.equal(path.join(dir, 'busy.sock'));
  });

  it('test_connectToMissing: connecting to a missing path fails with a ConnectError (ENOENT)', async () => {
    const cf = new RecordingClientFactory(() => new Recorder());
    reactor.connectUNIX(path.join(dir, 'missing.sock'), cf);
    const reason = await cf.done;
    expect(typeName(reason)).to.equal('ConnectError');
  });

  it('test_listenOnLinuxAbstractNamespace / test_connectToLinuxAbstractNamespace: a name starting with NUL is an abstract socket (Linux)', async () => {
    const name = `\0twistless-test-${process.pid}-${Date.now()}`;
    const f = new RecordingFactory(() => new Recorder());
    const port = reactor.listenUNIX(name, f);
    ports.push(port);
    await port.whenListening();
    const cf = new RecordingClientFactory(() => new Recorder());
    reactor.connectUNIX(name, cf);
    const client = await (await cf.protocolD).made;
    client.transport!.loseConnection();
    await cf.done;
  });

  it('test_uncleanSocketFile: without wantPID a file left at the path makes the bind fail with CannotListenError (as in Twisted)', async () => {
    const sock = path.join(dir, 'u.sock');
    fs.writeFileSync(sock, '');
    const port = reactor.listenUNIX(sock, Factory.forProtocol(Protocol));
    const f = await failureOf(port.whenListening());
    expect(f!.value).to.be.instanceOf(CannotListenError);
    expect(String(port)).to.contain('not listening');
  });

  it('test_endpoints: UNIXServerEndpoint.listen fires once bound; UNIXClientEndpoint.connect fires with the protocol', async () => {
    const sock = path.join(dir, 'e.sock');
    const port = (await new UNIXServerEndpoint(reactor, sock).listen(Factory.forProtocol(Protocol))) as UNIXPort;
    ports.push(port);
    const p = (await new UNIXClientEndpoint(reactor, sock).connect(Factory.forProtocol(Recorder))) as Recorder;
    expect(p.events).to.deep.equal(['made']);
    p.transport!.loseConnection();
    await p.lost;
  });
});
