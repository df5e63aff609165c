// Port of twisted/internet/test/test_tcp.py StreamTransportTestsMixin (the log lines),
// twisted/test/test_tcp.py ProperlyCloseFilesMixin and twisted/test/test_internet.py
// PortStringificationTests / ConnectorReprTests (Twisted 22.4); real sockets on 127.0.0.1.
import { expect } from 'chai';
import { Factory, Protocol } from '../../lib/protocol/index.js';
import { reactor } from '../../lib/reactor/index.js';
import { Cleanup, listen, Recorder, RecordingClientFactory, RecordingFactory } from './helpers.js';

describe('StreamTransportTestsMixin', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('test_startedListeningLogMessage: a bound port logs "<factory> starting on <port>"', async () => {
    class MyFactory extends Factory<Protocol> {}
    const port = await listen(c, MyFactory.forProtocol(Protocol) as MyFactory);
    const texts = c.log.events.map((e) => e.message.join(' '));
    expect(texts).to.contain(`MyFactory starting on ${port.getHost().port}`);
  });

  it('test_connectionLostLogMsg: a stopped port logs "(TCP Port <port> Closed)"', async () => {
    const port = await listen(c, Factory.forProtocol(Protocol));
    const n = port.getHost().port;
    await port.stopListening();
    expect(c.log.events.map((e) => e.message.join(' '))).to.contain(`(TCP Port ${n} Closed)`);
  });
});

describe('ProperlyCloseFilesMixin', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('test_properlyCloseFiles: once connectionLost ran, both sockets are destroyed', async () => {
    const f = new RecordingFactory(() => new Recorder());
    const port = await listen(c, f);
    const cf = new RecordingClientFactory(() => new Recorder());
    reactor.connectTCP('127.0.0.1', port.getHost().port, cf);
    const client = await (await cf.protocolD).made;
    const server = await (await f.next).made;
    const sockets = [client, server].map((p) => (p.transport as unknown as { getHandle(): { destroyed: boolean } }).getHandle());
    client.transport!.loseConnection();
    await client.lost;
    await server.lost;
    expect(sockets.map((s) => s.destroyed)).to.deep.equal([true, true]);
  });
});

describe('PortStringificationTests', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('testTCP: the port string names the bound port number; the connector string its state and destination', async () => {
    const port = await listen(c, Factory.forProtocol(Protocol));
    const n = port.getHost().port;
    expect(String(port)).to.contain(String(n));
    const cf = new RecordingClientFactory(() => new Recorder());
    const connector = reactor.connectTCP('127.0.0.1', n, cf);
    expect(String(connector)).to.contain('connecting').and.to.contain(String(n));
    connector.disconnect();
    await cf.done;
    expect(String(connector)).to.contain('disconnected');
  });
});
