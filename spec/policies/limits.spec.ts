// Port of twisted/test/test_policies.py (Twisted 22.4): LimitTotalConnectionsFactoryTests and
// ThrottlingTests (test_writeSequence, test_writeLimit, test_readLimit; test_limit runs over real
// sockets and is flaky upstream).
import { expect } from 'chai';
import { LimitTotalConnectionsFactory, ThrottlingFactory, ThrottlingProtocol } from 'twistless/policies';
import { Protocol, ServerFactory } from 'twistless/protocol';
import { IPv4Address } from 'twistless/address';
import { Clock } from 'twistless/task';
import { StringTransport, StringTransportWithDisconnection } from 'twistless/testing';
import { connectionDone } from 'twistless/protocol';
import { addObserver, removeObserver, textFromEventDict, type LogEvent } from 'twistless/log';

const addr = new IPv4Address('TCP', '127.0.0.1', 0);

class EchoProtocol extends Protocol {
  paused = false;
  pauseProducing(): void {
    this.paused = true;
  }
  resumeProducing(): void {
    this.paused = false;
  }
  stopProducing(): void {}
  override dataReceived(data: Buffer): void {
    this.transport!.write(data);
  }
}

function server(): ServerFactory {
  const f = new ServerFactory();
  f.protocol = EchoProtocol;
  f.noisy = false;
  return f;
}

describe('LimitTotalConnectionsFactoryTests', () => {
  it('testConnectionCounting: each protocol counts until its connection is lost', () => {
    const factory = new LimitTotalConnectionsFactory();
    factory.protocol = Protocol;
    expect(factory.connectionCount).to.equal(0);
    const p1 = factory.buildProtocol(addr)!;
    expect(factory.connectionCount).to.equal(1);
    const p2 = factory.buildProtocol(addr)!;
    expect(factory.connectionCount).to.equal(2);
    p1.connectionLost(connectionDone);
    expect(factory.connectionCount).to.equal(1);
    p2.connectionLost(connectionDone);
    expect(factory.connectionCount).to.equal(0);
  });

  it('testConnectionLimiting: past the limit a connection is refused, or gets overflowProtocol', () => {
    const factory = new LimitTotalConnectionsFactory();
    factory.protocol = Protocol;
    factory.connectionLimit = 1;
    const p = factory.buildProtocol(addr);
    expect(p).to.not.equal(null);
    expect(factory.connectionCount).to.equal(1);
    expect(factory.buildProtocol(addr)).to.equal(null);
    expect(factory.connectionCount).to.equal(1);
    let overflowed = false;
    class OverflowProtocol extends Protocol {
      override connectionMade(): void {
        overflowed = true;
      }
    }
    factory.overflowProtocol = OverflowProtocol;
    const op = factory.buildProtocol(addr)!;
    op.makeConnection(new StringTransport());
    expect(overflowed).to.equal(true);
    expect(factory.connectionCount).to.equal(2);
    p!.connectionLost(connectionDone);
    expect(factory.connectionCount).to.equal(1);
    op.connectionLost(connectionDone);
    expect(factory.connectionCount).to.equal(0);
  });
});

describe('ThrottlingTests', () => {
  let logged: string[] = [];
  const observer = (e: LogEvent): void => void logged.push(textFromEventDict(e) ?? '');
  beforeEach(() => {
    logged = [];
    addObserver(observer);
  });
  afterEach(() => removeObserver(observer));

  function throttling(options: ConstructorParameters<typeof ThrottlingFactory>[1]): [ThrottlingFactory, Clock] {
    const clock = new Clock();
    const f = new ThrottlingFactory(server(), options);
    f.clock = clock;
    f.noisy = false;
    return [f, clock];
  }

  function connect(f: ThrottlingFactory): [ThrottlingProtocol, StringTransportWithDisconnection] {
    const p = f.buildProtocol(addr) as ThrottlingProtocol;
    const tr = new StringTransportWithDisconnection();
    tr.protocol = p;
    p.makeConnection(tr);
    return [p, tr];
  }

  it('test_writeSequence: writeSequence counts every chunk', () => {
    const [f] = throttling({});
    const [p, tr] = connect(f);
    p.writeSequence([Buffer.from('bytes'), Buffer.from('bytes'), Buffer.from('bytes'), Buffer.from('bytes')]);
    expect(tr.value().toString()).to.equal('bytesbytesbytesbytes');
    expect(f.writtenThisSecond).to.equal(20);
  });

  it('test_writeLimit: writing over writeLimit pauses the producer until the throttle time passes', () => {
    const [f, clock] = throttling({ writeLimit: 10 });
    const [port, tr] = connect(f);
    const wrapped = port.wrappedProtocol as EchoProtocol;
    port.producer = wrapped;
    port.dataReceived(Buffer.from('0123456789'));
    port.dataReceived(Buffer.from('abcdefghij'));
    expect(tr.value().toString()).to.equal('0123456789abcdefghij');
    expect(f.writtenThisSecond).to.equal(20);
    expect(wrapped.paused).to.equal(false);
    clock.advance(1.05);
    expect(f.writtenThisSecond).to.equal(0);
    expect(wrapped.paused).to.equal(true);
    clock.advance(1.05);
    expect(f.writtenThisSecond).to.equal(0);
    expect(wrapped.paused).to.equal(false);
    expect(logged).to.deep.equal(['Throttling writes on <ThrottlingFactory object>', 'Stopped throttling writes on <ThrottlingFactory object>']);
  });

  it('test_readLimit: reading over readLimit pauses the transport until the throttle time passes', () => {
    const [f, clock] = throttling({ readLimit: 10 });
    const [port, tr] = connect(f);
    for (let round = 0; round < 2; round++) {
      tr.clear();
      port.dataReceived(Buffer.from('0123456789'));
      port.dataReceived(Buffer.from('abcdefghij'));
      expect(tr.value().toString()).to.equal('0123456789abcdefghij');
      expect(f.readThisSecond).to.equal(20);
      clock.advance(1.05);
      expect(f.readThisSecond).to.equal(0);
      expect(tr.producerState).to.equal('paused');
      clock.advance(1.05);
      expect(f.readThisSecond).to.equal(0);
      expect(tr.producerState).to.equal('producing');
    }
  });

  it('maxConnectionCount refuses connections past the limit; the last loss cancels the checks', () => {
    const [f, clock] = throttling({ maxConnectionCount: 1, readLimit: 10 });
    const [, tr] = connect(f);
    expect(f.buildProtocol(addr)).to.equal(null);
    expect(logged).to.deep.equal(['Max connection count reached!']);
    expect(clock.getDelayedCalls().length).to.equal(1);
    tr.loseConnection();
    expect(f.connectionCount).to.equal(0);
    expect(clock.getDelayedCalls()).to.deep.equal([]);
  });
});
