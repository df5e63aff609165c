// Port of twisted/test/test_loopback.py (Twisted 22.4): LoopbackAsyncTests (with
// LoopbackTestCaseMixin's testRegularFunction and testSneakyHiddenDoom) and LoopbackRelayTest.
// LoopbackTCPTests/LoopbackUNIXTests (the same mixin over real sockets) are not ported:
// loopbackTCP/loopbackUNIX are not offered.
import { expect } from 'chai';
import { LineReceiver } from '../../lib/basic/index.js';
import { Deferred, maybeDeferred } from '../../lib/defer/index.js';
import { ConnectionDone } from '../../lib/error/index.js';
import type { Failure } from '../../lib/failure/index.js';
import { Protocol, type IConsumer, type IProtocol, type IPullProducer, type IPushProducer, type ITransport } from '../../lib/protocol/index.js';
import { reactor } from '../../lib/reactor/index.js';
import { Clock } from '../../lib/task/index.js';
import {
  LoopbackAddress,
  LoopbackQueue,
  LoopbackRelay,
  NoProducerError,
  assertNoResult,
  collapsingPumpPolicy,
  identityPumpPolicy,
  loopbackAsync,
  successResultOf,
  type PumpPolicy,
} from '../../lib/testing/index.js';

class SimpleProtocol extends LineReceiver {
  conn = new Deferred<void>();
  lines: Buffer[] = [];
  connLost: Failure[] = [];
  override connectionMade(): void {
    this.conn.callback(undefined);
  }
  override lineReceived(line: Buffer): void {
    this.lines.push(line);
  }
  override connectionLost(reason: Failure): void {
    this.connLost.push(reason);
  }
}

class DoomProtocol extends SimpleProtocol {
  i = 0;
  override lineReceived(line: Buffer): void {
    this.i += 1;
    if (this.i < 4) {
      // by then the connection should be closed; if not, 'Hello 4' is never sent anyway
      this.sendLine(Buffer.from(`Hello ${this.i}`));
    }
    super.lineReceived(line);
    if (this.lines[this.lines.length - 1].toString() === 'Hello 3') this.transport!.loseConnection();
  }
}

const strings = (bufs: Buffer[]): string[] => bufs.map((b) => b.toString());

describe('LoopbackAsyncTests', function () {
  this.timeout(5000);

  it('testRegularFunction: a line then loseConnection from the server reaches the client; both lose the connection once', async function () {
    const s = new SimpleProtocol();
    const c = new SimpleProtocol();
    s.conn.addCallback(() => {
      s.sendLine(Buffer.from('THIS IS LINE ONE!'));
      s.transport!.loseConnection();
    });
    await maybeDeferred(loopbackAsync, s, c);
    expect(strings(c.lines)).to.deep.equal(['THIS IS LINE ONE!']);
    expect(s.connLost).to.have.length(1);
    expect(c.connLost).to.have.length(1);
    expect(c.connLost[0].check(ConnectionDone)).to.equal(ConnectionDone);
  });

  it('testSneakyHiddenDoom: a lineReceived that closes after the third reply stops the exchange there', async function () {
    const s = new DoomProtocol();
    const c = new DoomProtocol();
    s.conn.addCallback(() => s.sendLine(Buffer.from('DOOM LINE')));
    await maybeDeferred(loopbackAsync, s, c);
    expect(strings(s.lines)).to.deep.equal(['Hello 1', 'Hello 2', 'Hello 3']);
    expect(strings(c.lines)).to.deep.equal(['DOOM LINE', 'Hello 1', 'Hello 2', 'Hello 3']);
    expect(s.connLost).to.have.length(1);
    expect(c.connLost).to.have.length(1);
  });

  it('test_makeConnection: loopbackAsync calls makeConnection on both protocols at once', function () {
    class TestProtocol extends Protocol {
      override makeConnection(transport: ITransport): void {
        this.transport = transport;
      }
    }
    const server = new TestProtocol();
    const client = new TestProtocol();
    loopbackAsync(server, client);
    expect(client.transport).to.not.equal(null);
    expect(server.transport).to.not.equal(null);
  });

  async function hostpeertest(get: 'getHost' | 'getPeer', testServer: boolean): Promise<void> {
    class TestProtocol extends Protocol {
      onConnection = new Deferred<ITransport>();
      override makeConnection(transport: ITransport): void {
        super.makeConnection(transport);
        this.onConnection.callback(transport);
      }
    }
    const tested = new TestProtocol();
    const [server, client] = testServer ? [tested, new Protocol()] : [new Protocol(), tested];
    loopbackAsync(server, client);
    const transport = await tested.onConnection;
    const address = transport[get]();
    expect(address).to.be.instanceOf(LoopbackAddress);
    expect(address.equals).to.be.a('function');
  }

  it('test_serverHost: the server transport has a working getHost', async function () {
    await hostpeertest('getHost', true);
  });
  it('test_serverPeer: the server transport has a working getPeer', async function () {
    await hostpeertest('getPeer', true);
  });
  it('test_clientHost: the client transport has a working getHost', async function () {
    await hostpeertest('getHost', false);
  });
  it('test_clientPeer: the client transport has a working getPeer', async function () {
    await hostpeertest('getPeer', false);
  });

  async function greetingtest(write: 'write' | 'writeSequence', testServer: boolean): Promise<void> {
    const received = new Deferred<void>();
    class GreeteeProtocol extends Protocol {
      bytes = '';
      override dataReceived(data: Buffer): void {
        this.bytes += data.toString();
        if (this.bytes === 'bytes') received.callback(undefined);
      }
    }
    class GreeterProtocol extends Protocol {
      override connectionMade(): void {
        if (write === 'write') this.transport!.write(Buffer.from('bytes'));
        else this.transport!.writeSequence([Buffer.from('byt'), Buffer.from('es')]);
      }
    }
    if (testServer) loopbackAsync(new GreeterProtocol(), new GreeteeProtocol());
    else loopbackAsync(new GreeteeProtocol(), new GreeterProtocol());
    await received;
  }

  it('test_clientGreeting: bytes the client writes first reach the server', async function () {
    await greetingtest('write', false);
  });
  it('test_clientGreetingSequence: the same with writeSequence', async function () {
    await greetingtest('writeSequence', false);
  });
  it('test_serverGreeting: bytes the server writes first reach the client', async function () {
    await greetingtest('write', true);
  });
  it('test_serverGreetingSequence: the same with writeSequence', async function () {
    await greetingtest('writeSequence', true);
  });

  interface StartableProducer {
    start(consumer: IConsumer): void;
  }

  async function producertest(makeProducer: (toProduce: Buffer[]) => StartableProducer): Promise<StartableProducer> {
    const toProduce = Array.from({ length: 10 }, (_, i) => Buffer.from(String(i)));
    const expected = Buffer.concat(toProduce).toString();
    const received = new Deferred<void>();
    let producer: StartableProducer | null = null;
    class ProducingProtocol extends Protocol {
      override connectionMade(): void {
        producer = makeProducer(toProduce.slice());
        producer.start(this.transport as unknown as IConsumer);
      }
    }
    class ReceivingProtocol extends Protocol {
      bytes = '';
      override dataReceived(data: Buffer): void {
        this.bytes += data.toString();
        if (this.bytes === expected) received.callback(undefined);
      }
    }
    loopbackAsync(new ProducingProtocol(), new ReceivingProtocol());
    await received;
    return producer!;
  }

  it('test_pushProducer: a push producer writes through the loopback transport and is never resumed', async function () {
    class PushProducer implements IPushProducer, StartableProducer {
      resumed = false;
      consumer: IConsumer | null = null;
      constructor(private toProduce: Buffer[]) {}
      resumeProducing(): void {
        this.resumed = true;
      }
      pauseProducing(): void {}
      stopProducing(): void {}
      start(consumer: IConsumer): void {
        this.consumer = consumer;
        consumer.registerProducer(this, true);
        this.produceAndSchedule();
      }
      produceAndSchedule(): void {
        if (this.toProduce.length > 0) {
          this.consumer!.write(this.toProduce.shift()!);
          reactor.callLater(0, () => this.produceAndSchedule());
        } else {
          this.consumer!.unregisterProducer();
        }
      }
    }
    const producer = (await producertest((t) => new PushProducer(t))) as PushProducer;
    expect(producer.resumed, 'Streaming producer should not have been resumed.').to.equal(false);
  });

  it('test_pullProducer: a pull producer is resumed each time its writes were delivered', async function () {
    class PullProducer implements IPullProducer, StartableProducer {
      consumer: IConsumer | null = null;
      constructor(private toProduce: Buffer[]) {}
      start(consumer: IConsumer): void {
        this.consumer = consumer;
        consumer.registerProducer(this, false);
      }
      resumeProducing(): void {
        this.consumer!.write(this.toProduce.shift()!);
        if (this.toProduce.length === 0) this.consumer!.unregisterProducer();
      }
      stopProducing(): void {}
    }
    await producertest((t) => new PullProducer(t));
  });

  it("test_writeNotReentrant: dataReceived never runs inside the write that sent its bytes", async function () {
    class Server extends Protocol {
      override dataReceived(): void {
        this.transport!.write(Buffer.from('bytes'));
      }
    }
    class Client extends Protocol {
      ready = false;
      wasReady: boolean | null = null;
      override connectionMade(): void {
        reactor.callLater(0, () => this.go());
      }
      go(): void {
        this.transport!.write(Buffer.from('foo'));
        this.ready = true;
      }
      override dataReceived(): void {
        this.wasReady = this.ready;
        this.transport!.loseConnection();
      }
    }
    const client = new Client();
    await loopbackAsync(client, new Server());
    expect(client.wasReady).to.equal(true);
  });

  it('test_pumpPolicy: the policy gets each queue of pending bytes (with the end marker) and the protocol to deliver to', async function () {
    const pumpCalls: [IProtocol, (string | null)[]][] = [];
    const dummyPolicy: PumpPolicy = (queue, target) => {
      const bytes: (string | null)[] = [];
      while (queue.length > 0) {
        const item = queue.get();
        bytes.push(item === null ? null : item.toString());
      }
      pumpCalls.push([target, bytes]);
    };
    const client = new Protocol();
    const server = new Protocol();
    const finished = loopbackAsync(server, client, dummyPolicy);
    expect(pumpCalls).to.deep.equal([]);
    client.transport!.write(Buffer.from('foo'));
    client.transport!.write(Buffer.from('bar'));
    server.transport!.write(Buffer.from('baz'));
    server.transport!.write(Buffer.from('quux'));
    server.transport!.loseConnection();
    await finished;
    // the order is Twisted's: the client is delivered to first
    expect(pumpCalls).to.deep.equal([
      [client, ['baz', 'quux', null]],
      [server, ['foo', 'bar']],
    ]);
  });

  it('test_identityPumpPolicy: one dataReceived per queued chunk, up to the end marker', function () {
    const bytes: string[] = [];
    const client = new Protocol();
    client.dataReceived = (data: Buffer) => void bytes.push(data.toString());
    const queue = new LoopbackQueue();
    queue.put(Buffer.from('foo'));
    queue.put(Buffer.from('bar'));
    queue.put(null);
    identityPumpPolicy(queue, client);
    expect(bytes).to.deep.equal(['foo', 'bar']);
  });

  it('test_collapsingPumpPolicy: one dataReceived with every queued chunk joined', function () {
    const bytes: string[] = [];
    const client = new Protocol();
    client.dataReceived = (data: Buffer) => void bytes.push(data.toString());
    const queue = new LoopbackQueue();
    queue.put(Buffer.from('foo'));
    queue.put(Buffer.from('bar'));
    queue.put(null);
    collapsingPumpPolicy(queue, client);
    expect(bytes).to.deep.equal(['foobar']);
  });

  it('with { clock }, rounds after the first wait on that clock: the test drives the exchange with advance(0)', function () {
    const clock = new Clock();
    class Echo extends Protocol {
      override dataReceived(data: Buffer): void {
        this.transport!.write(data);
      }
    }
    const got: string[] = [];
    class Ask extends Protocol {
      override dataReceived(data: Buffer): void {
        got.push(data.toString());
        this.transport!.loseConnection();
      }
    }
    const ask = new Ask();
    const done = loopbackAsync(new Echo(), ask, { clock, pumpPolicy: collapsingPumpPolicy });
    ask.transport!.write(Buffer.from('ping'));
    assertNoResult(done);
    clock.advance(0);
    expect(got).to.deep.equal(['ping']);
    expect(successResultOf(done)).to.equal(undefined);
  });

  it('the loopback transports refuse strings and a second producer, and unregistering none', function () {
    const server = new Protocol();
    loopbackAsync(server, new Protocol(), { clock: new Clock() });
    const t = server.transport as ITransport & IConsumer;
    expect(() => t.write('text' as never)).to.throw(TypeError, /Data must be bytes/);
    expect(() => t.writeSequence(['a' as never])).to.throw(TypeError, /Data must be bytes/);
    expect(() => t.unregisterProducer()).to.throw(NoProducerError);
    const p: IPushProducer = { pauseProducing() {}, resumeProducing() {}, stopProducing() {} };
    t.registerProducer(p, true);
    expect(() => t.registerProducer(p, true)).to.throw(Error, /was never unregistered/);
  });
});

describe('LoopbackRelayTest', function () {
  class Receiver extends Protocol {
    data = '';
    lost: Failure[] = [];
    override dataReceived(data: Buffer): void {
      this.data += data.toString();
    }
    override connectionLost(reason: Failure): void {
      this.lost.push(reason);
    }
  }

  it('test_write: writes are buffered until clearBuffer', function () {
    const receiver = new Receiver();
    const relay = new LoopbackRelay(receiver);
    relay.write(Buffer.from('abc'));
    relay.write(Buffer.from('def'));
    expect(receiver.data).to.equal('');
    relay.clearBuffer();
    expect(receiver.data).to.equal('abcdef');
  });

  it('test_writeSequence: writeSequence is buffered until clearBuffer', function () {
    const receiver = new Receiver();
    const relay = new LoopbackRelay(receiver);
    relay.writeSequence(['The ', 'quick ', 'brown ', 'fox '].map((s) => Buffer.from(s)));
    relay.writeSequence(['jumps ', 'over ', 'the lazy dog'].map((s) => Buffer.from(s)));
    expect(receiver.data).to.equal('');
    relay.clearBuffer();
    expect(receiver.data).to.equal('The quick brown fox jumps over the lazy dog');
  });

  it('loseConnection: the next clearBuffer delivers, then tells connectionLost(ConnectionDone) once', function () {
    const receiver = new Receiver();
    const relay = new LoopbackRelay(receiver);
    relay.write(Buffer.from('last'));
    relay.loseConnection();
    relay.clearBuffer();
    relay.clearBuffer();
    relay.loseConnection();
    relay.clearBuffer();
    expect(receiver.data).to.equal('last');
    expect(receiver.lost).to.have.length(1);
    expect(receiver.lost[0].check(ConnectionDone)).to.equal(ConnectionDone);
    expect(relay.logPrefix()).to.equal("Loopback('Receiver')");
  });

  it('clearBuffer resumes a registered producer first; writes are logged to logFile', function () {
    const receiver = new Receiver();
    const lines: string[] = [];
    const relay = new LoopbackRelay(receiver, { write: (text: string) => lines.push(text) });
    let n = 0;
    relay.registerProducer({ resumeProducing: () => relay.write(Buffer.from(String(n++))), stopProducing() {} }, false);
    relay.clearBuffer();
    relay.clearBuffer();
    expect(receiver.data).to.equal('01');
    expect(lines).to.deep.equal(["loopback writing b'0'\n", "loopback receiving b'0'\n", "loopback writing b'1'\n", "loopback receiving b'1'\n"]);
    relay.unregisterProducer();
    expect(relay.producer).to.equal(null);
    expect(() => relay.write('x' as never)).to.throw(TypeError, /Data must be bytes/);
    expect(relay.getHost()).to.be.instanceOf(LoopbackAddress);
  });
});
