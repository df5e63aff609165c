// Port of twisted/test/test_policies.py (Twisted 22.4): WrapperTests.
import { expect } from 'chai';
import { ProtocolWrapper, WrappingFactory, TransportMethodMissingError } from 'twistless/policies';
import { Protocol, ServerFactory, Factory } from 'twistless/protocol';
import type { IConnector, IProtocolFactory, IPushProducer } from 'twistless/protocol';
import { IPv4Address } from 'twistless/address';
import { Failure } from 'twistless/failure';
import { StringTransport, StringTransportWithDisconnection } from 'twistless/testing';

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

class Server extends ServerFactory {
  constructor() {
    super();
    this.protocol = EchoProtocol;
    this.noisy = false;
  }
}

const addr = new IPv4Address('TCP', '127.0.0.1', 35);
const stubFactory = (hooks: object): IProtocolFactory => ({ buildProtocol: () => null, doStart() {}, doStop() {}, ...hooks });

describe('WrapperTests', () => {
  it("test_protocolFactoryAttribute: the wrapped protocol's factory is the wrapped factory", () => {
    const f = new Server();
    const wf = new WrappingFactory(f);
    const p = wf.buildProtocol(addr)!;
    expect((p.wrappedProtocol as Protocol).factory).to.equal(f);
  });

  it("test_transportInterfaces: the wrapped protocol's transport offers what the real transport offers", () => {
    class StubTransport extends StringTransport {
      stubMethod(): string {
        return 'stub';
      }
    }
    const proto = new Protocol();
    const wrapper = new ProtocolWrapper(new WrappingFactory(new Server()), proto);
    wrapper.makeConnection(new StubTransport());
    expect((proto.transport as unknown as { stubMethod(): string }).stubMethod()).to.equal('stub');
    expect((proto.transport as unknown as { producerState: string }).producerState).to.equal('producing');
  });

  it('test_factoryLogPrefix: "<wrapped prefix> (WrappingFactory)"', () => {
    expect(new WrappingFactory(new Server()).logPrefix()).to.equal('Server (WrappingFactory)');
  });

  it('test_factoryLogPrefixFallback: a wrapped factory without logPrefix gives its class name', () => {
    class NoFactory {
      buildProtocol(): null {
        return null;
      }
      doStart(): void {}
      doStop(): void {}
    }
    expect(new WrappingFactory(new NoFactory()).logPrefix()).to.equal('NoFactory (WrappingFactory)');
  });

  it('test_protocolLogPrefix: "<wrapped prefix> (ProtocolWrapper)"', () => {
    const p = new WrappingFactory(new Server()).buildProtocol(addr)!;
    expect(p.logPrefix()).to.equal('EchoProtocol (ProtocolWrapper)');
  });

  it('test_protocolLogPrefixFallback: a wrapped protocol without logPrefix gives its class name', () => {
    class NoProtocol {
      makeConnection(): void {}
      connectionMade(): void {}
      dataReceived(): void {}
      connectionLost(): void {}
    }
    const server = new Server();
    server.protocol = NoProtocol;
    const p = new WrappingFactory(server).buildProtocol(addr)!;
    expect(p.logPrefix()).to.equal('NoProtocol (ProtocolWrapper)');
  });

  function getWrapper(): ProtocolWrapper {
    const wrapper = new ProtocolWrapper(new WrappingFactory(new Server()), new Protocol());
    wrapper.makeConnection(new StringTransport());
    return wrapper;
  }

  it("test_getHost: the wrapper's getHost is the transport's", () => {
    const w = getWrapper();
    expect(w.getHost().equals(w.transport!.getHost())).to.equal(true);
  });

  it("test_getPeer: the wrapper's getPeer is the transport's", () => {
    const w = getWrapper();
    expect(w.getPeer().equals(w.transport!.getPeer())).to.equal(true);
  });

  it('test_registerProducer: registerProducer registers with the transport', () => {
    const w = getWrapper();
    const producer: IPushProducer = { pauseProducing() {}, resumeProducing() {}, stopProducing() {} };
    w.registerProducer(producer, true);
    const t = w.transport as StringTransport;
    expect(t.producer).to.equal(producer);
    expect(t.streaming).to.equal(true);
  });

  it('test_unregisterProducer: unregisterProducer unregisters from the transport', () => {
    const w = getWrapper();
    w.registerProducer({ pauseProducing() {}, resumeProducing() {}, stopProducing() {} }, true);
    w.unregisterProducer();
    const t = w.transport as StringTransport;
    expect(t.producer).to.equal(null);
    expect(t.streaming).to.equal(null);
  });

  it("test_stopConsuming: stopConsuming calls the transport's", () => {
    const w = getWrapper();
    const result: boolean[] = [];
    (w.transport as unknown as { stopConsuming(): void }).stopConsuming = () => void result.push(true);
    w.stopConsuming();
    expect(result).to.deep.equal([true]);
  });

  const connector = {} as IConnector;

  it('test_startedConnecting: startedConnecting is forwarded', () => {
    const result: unknown[] = [];
    new WrappingFactory(stubFactory({ startedConnecting: (c: unknown) => result.push(c) })).startedConnecting(connector);
    expect(result).to.deep.equal([connector]);
  });

  it('test_clientConnectionLost: clientConnectionLost is forwarded', () => {
    const result: unknown[] = [];
    const reason = new Failure(new Error('x'));
    new WrappingFactory(stubFactory({ clientConnectionLost: (c: unknown, r: unknown) => result.push([c, r]) })).clientConnectionLost(connector, reason);
    expect(result).to.deep.equal([[connector, reason]]);
  });

  it('test_clientConnectionFailed: clientConnectionFailed is forwarded', () => {
    const result: unknown[] = [];
    const reason = new Failure(new Error('x'));
    new WrappingFactory(stubFactory({ clientConnectionFailed: (c: unknown, r: unknown) => result.push([c, r]) })).clientConnectionFailed(connector, reason);
    expect(result).to.deep.equal([[connector, reason]]);
  });

  it('test_breakReferenceCycle: connectionLost drops the wrapped protocol', () => {
    const wrapper = new ProtocolWrapper(new WrappingFactory(new Server()), new Protocol());
    const transport = new StringTransportWithDisconnection();
    transport.protocol = wrapper;
    wrapper.makeConnection(transport);
    expect(wrapper.wrappedProtocol).to.not.equal(null);
    transport.loseConnection();
    expect(wrapper.wrappedProtocol).to.equal(null);
  });

  it('the factory keeps the live wrappers in protocols, and starts and stops the wrapped factory', () => {
    const calls: string[] = [];
    class Counting extends Server {
      override startFactory(): void {
        calls.push('start');
      }
      override stopFactory(): void {
        calls.push('stop');
      }
    }
    const wf = new WrappingFactory(new Counting());
    wf.noisy = false;
    wf.doStart();
    const p = wf.buildProtocol(addr)!;
    const t = new StringTransportWithDisconnection();
    t.protocol = p;
    p.makeConnection(t);
    expect([...wf.protocols]).to.deep.equal([p]);
    p.dataReceived(Buffer.from('echo'));
    expect(t.value().toString()).to.equal('echo');
    t.loseConnection();
    expect(wf.protocols.size).to.equal(0);
    wf.doStop();
    expect(calls).to.deep.equal(['start', 'stop']);
  });

  it('a wrapped factory that refuses (null) makes buildProtocol return null', () => {
    const f = new Factory();
    f.buildProtocol = () => null;
    expect(new WrappingFactory(f).buildProtocol(addr)).to.equal(null);
  });

  it('a forwarded method the transport lacks throws TransportMethodMissingError', () => {
    const wrapper = new ProtocolWrapper(new WrappingFactory(new Server()), new Protocol());
    wrapper.makeConnection({ write() {}, writeSequence() {}, loseConnection() {}, getPeer: () => addr, getHost: () => addr });
    expect(() => wrapper.abortConnection()).to.throw(TransportMethodMissingError, /abortConnection/);
    wrapper.loseConnection();
    expect(wrapper.disconnecting).to.equal(true);
  });
});
