// Port of twisted/internet/test/test_protocol.py (Twisted 22.4): ProtocolTests and FactoryTests.
import { expect } from 'chai';
import { Protocol, BaseProtocol, Factory, ServerFactory, ClientFactory, connectionDone, NoProtocolClassError } from 'twistless/protocol';
import type { IProtocolFactory, ILoggingContext, IProtocol, ITransport } from 'twistless/protocol';
import { ConnectionDone } from 'twistless/error';
import { IPv4Address } from 'twistless/address';
import { addObserver, removeObserver, type LogEvent } from 'twistless/log';
import { FakeTransport } from '../basic/fakeTransport.js';

describe('ProtocolTests', () => {
  it('test_interfaces: a Protocol has the IProtocol and ILoggingContext methods', () => {
    const p: IProtocol & ILoggingContext = new Protocol();
    for (const m of ['makeConnection', 'connectionMade', 'dataReceived', 'connectionLost', 'logPrefix'] as const) expect(p[m]).to.be.a('function');
  });

  it("test_logPrefix: logPrefix is the protocol's class name", () => {
    class SomeThing extends Protocol {}
    expect(new SomeThing().logPrefix()).to.equal('SomeThing');
  });

  it('test_makeConnection: makeConnection sets transport and connected, then calls connectionMade', () => {
    const seen: Array<[ITransport | null, boolean]> = [];
    class SomeProtocol extends Protocol {
      override connectionMade(): void {
        seen.push([this.transport, this.connected]);
      }
    }
    const p = new SomeProtocol();
    expect([p.transport, p.connected]).to.deep.equal([null, false]);
    const t = new FakeTransport();
    p.makeConnection(t);
    expect(seen).to.deep.equal([[t, true]]);
  });

  it('connectionDone is a cleaned Failure of ConnectionDone, the default reason of connectionLost', () => {
    expect(connectionDone.check(ConnectionDone)).to.equal(ConnectionDone);
    expect(connectionDone.getErrorMessage()).to.equal('Connection was closed cleanly.');
    expect(() => new Protocol().connectionLost()).to.not.throw();
    expect(new BaseProtocol().connected).to.equal(false);
  });
});

describe('FactoryTests', () => {
  const addr = new IPv4Address('TCP', '127.0.0.1', 1);

  it('test_interfaces: a Factory has the IProtocolFactory and ILoggingContext methods', () => {
    const f: IProtocolFactory & ILoggingContext = new Factory();
    for (const m of ['buildProtocol', 'doStart', 'doStop', 'logPrefix'] as const) expect(f[m]).to.be.a('function');
  });

  it("test_logPrefix: logPrefix is the factory's class name", () => {
    class SomeKindOfFactory extends Factory {}
    expect(new SomeKindOfFactory().logPrefix()).to.equal('SomeKindOfFactory');
  });

  it('test_defaultBuildProtocol: buildProtocol instantiates protocol and sets its factory', () => {
    class SomeProtocol extends Protocol {}
    const f = new Factory<SomeProtocol>();
    f.protocol = SomeProtocol;
    const p = f.buildProtocol(addr);
    expect(p).to.be.instanceOf(SomeProtocol);
    expect(p!.factory).to.equal(f);
  });

  it("test_forProtocol: forProtocol passes its extra arguments to the factory's constructor and sets protocol", () => {
    class ArgTakingFactory extends Factory {
      readonly args: unknown[];
      constructor(...args: unknown[]) {
        super();
        this.args = args;
      }
    }
    const factory = ArgTakingFactory.forProtocol(Protocol, 1, 2, { foo: 12 });
    expect(factory).to.be.instanceOf(ArgTakingFactory);
    expect(factory.protocol).to.equal(Protocol);
    expect(factory.args).to.deep.equal([1, 2, { foo: 12 }]);
  });

  function logged(fn: () => void): Array<LogEvent & { factory?: unknown; format?: string }> {
    const events: LogEvent[] = [];
    const observer = (e: LogEvent): void => void events.push(e);
    addObserver(observer);
    try {
      fn();
    } finally {
      removeObserver(observer);
    }
    return events;
  }

  it('test_doStartLoggingStatement: doStart logs "Starting factory <repr>" with the factory', () => {
    const f = new Factory();
    const events = logged(() => f.doStart());
    expect(events[0]!.factory).to.equal(f);
    expect(events[0]!.format).to.equal('Starting factory {factory!r}');
    expect(events[0]!.message).to.deep.equal(['Starting factory <Factory object>']);
  });

  it('test_doStopLoggingStatement: doStop logs "Stopping factory <repr>" with the factory', () => {
    class MyFactory extends Factory {
      override numPorts = 1;
    }
    const f = new MyFactory();
    const events = logged(() => f.doStop());
    expect(events[0]!.factory).to.equal(f);
    expect(events[0]!.format).to.equal('Stopping factory {factory!r}');
    expect(events[0]!.message).to.deep.equal(['Stopping factory <MyFactory object>']);
  });

  it('doStart/doStop are reference counted: one startFactory and one stopFactory for two ports; doStop at 0 is a no-op', () => {
    const calls: string[] = [];
    class Counting extends ServerFactory {
      override noisy = false;
      override startFactory(): void {
        calls.push('start');
      }
      override stopFactory(): void {
        calls.push('stop');
      }
    }
    const f = new Counting();
    f.doStop();
    f.doStart();
    f.doStart();
    expect([calls, f.numPorts]).to.deep.equal([['start'], 2]);
    f.doStop();
    expect(calls).to.deep.equal(['start']);
    f.doStop();
    f.doStop();
    expect([calls, f.numPorts]).to.deep.equal([['start', 'stop'], 0]);
  });

  it('a quiet factory (noisy = false) logs nothing', () => {
    const f = new Factory();
    f.noisy = false;
    expect(logged(() => (f.doStart(), f.doStop()))).to.deep.equal([]);
  });

  it('buildProtocol without a protocol class throws NoProtocolClassError saying how to set one', () => {
    expect(() => new ClientFactory().buildProtocol(addr)).to.throw(NoProtocolClassError, /forProtocol/);
  });

  it('ClientFactory hooks do nothing by default', () => {
    const f = new ClientFactory();
    const connector = { state: 'disconnected' as const, connect() {}, disconnect() {}, stopConnecting() {}, getDestination: () => addr };
    expect(() => {
      f.startedConnecting(connector);
      f.clientConnectionFailed(connector, connectionDone);
      f.clientConnectionLost(connector, connectionDone);
    }).to.not.throw();
  });
});
