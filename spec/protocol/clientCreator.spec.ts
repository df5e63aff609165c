// Port of twisted/internet/test/test_protocol.py (Twisted 22.4): ClientCreatorTests (the TCP,
// UNIX and SSL tests).
import { expect } from 'chai';
import { ClientCreator, Protocol, ReactorMethodMissingError } from 'twistless/protocol';
import type { IClientFactory } from 'twistless/protocol';
import { CancelledError } from 'twistless/defer';
import { Failure } from 'twistless/failure';
import { IPv4Address } from 'twistless/address';
import { Clock } from 'twistless/task';
import { MemoryReactorClock, StringTransport, failureResultOf, successResultOf, assertNoResult } from 'twistless/testing';

const addr = new IPv4Address('TCP', '127.0.0.1', 1234);

describe('ClientCreatorTests', () => {
  function basicConnectTest(check: (reactor: MemoryReactorClock, cc: ClientCreator<Protocol>) => IClientFactory): void {
    class SomeProtocol extends Protocol {}
    const reactor = new MemoryReactorClock();
    const cc = new ClientCreator(reactor, SomeProtocol);
    const factory = check(reactor, cc);
    expect(factory.buildProtocol(addr)).to.be.instanceOf(SomeProtocol);
  }

  it('test_connectTCP: connectTCP passes host, port, timeout and bindAddress to reactor.connectTCP', () => {
    basicConnectTest((reactor, cc) => {
      cc.connectTCP('example.com', 1234, { timeout: 4321, bindAddress: ['1.2.3.4', 5678] });
      const [host, port, factory, timeout, bindAddress] = reactor.tcpClients.pop()!;
      expect([host, port, timeout, bindAddress]).to.deep.equal(['example.com', 1234, 4321, ['1.2.3.4', 5678]]);
      return factory;
    });
  });

  it('test_connectUNIX: connectUNIX passes address, timeout and checkPID to reactor.connectUNIX', () => {
    basicConnectTest((reactor, cc) => {
      cc.connectUNIX('/foo/bar', { timeout: 123, checkPID: true });
      const [address, factory, timeout, checkPID] = reactor.unixClients.pop()!;
      expect([address, timeout, checkPID]).to.deep.equal(['/foo/bar', 123, true]);
      return factory;
    });
  });

  it('test_connectSSL: connectSSL passes host, port, context factory, timeout and bindAddress to reactor.connectSSL', () => {
    const ctx = { getContext: () => ({}) };
    basicConnectTest((reactor, cc) => {
      cc.connectSSL('example.com', 1234, ctx, { timeout: 4321, bindAddress: ['4.3.2.1', 5678] });
      const [host, port, factory, contextFactory, timeout, bindAddress] = reactor.sslClients.pop()!;
      expect([host, port, contextFactory, timeout, bindAddress]).to.deep.equal(['example.com', 1234, ctx, 4321, ['4.3.2.1', 5678]]);
      return factory;
    });
  });

  it("connectTCP defaults: Twisted's timeout 30 and no bindAddress; the protocol gets the constructor arguments", () => {
    class WithArgs extends Protocol {
      constructor(readonly a: number, readonly b: string) {
        super();
      }
    }
    const reactor = new MemoryReactorClock();
    const cc = new ClientCreator(reactor, WithArgs, 1, 'two');
    cc.connectTCP('example.com', 1234);
    const [, , factory, timeout, bindAddress] = reactor.tcpClients.pop()!;
    expect([timeout, bindAddress]).to.deep.equal([30, null]);
    const p = factory.buildProtocol(addr) as WithArgs;
    expect([p.a, p.b]).to.deep.equal([1, 'two']);
  });

  function cancelConnectTest(connect: (cc: ClientCreator<Protocol>) => ReturnType<ClientCreator<Protocol>['connectTCP']>, reactor: MemoryReactorClock): void {
    const cc = new ClientCreator(reactor, Protocol);
    const d = connect(cc);
    const connector = reactor.connectors.pop()!;
    expect(connector.disconnected).to.equal(false);
    d.cancel();
    expect(connector.disconnected).to.equal(true);
    failureResultOf(d, CancelledError);
  }

  it('test_cancelConnectTCP: cancelling the Deferred disconnects the connector', () => {
    cancelConnectTest((cc) => cc.connectTCP('example.com', 1234), new MemoryReactorClock());
  });

  it('test_cancelConnectUNIX: cancelling the Deferred disconnects the connector', () => {
    cancelConnectTest((cc) => cc.connectUNIX('/foo/bar'), new MemoryReactorClock());
  });

  it('test_cancelConnectSSL: cancelling the Deferred disconnects the connector', () => {
    cancelConnectTest((cc) => cc.connectSSL('example.com', 1234, { getContext: () => ({}) }), new MemoryReactorClock());
  });

  function cancelConnectTimeoutTest(connect: (reactor: MemoryReactorClock, cc: ClientCreator<Protocol>) => ReturnType<ClientCreator<Protocol>['connectTCP']>): void {
    const reactor = new MemoryReactorClock();
    const cc = new ClientCreator(reactor, Protocol);
    const d = connect(reactor, cc);
    const connector = reactor.connectors.pop()!;
    expect(reactor.getDelayedCalls().length).to.equal(1);
    d.cancel();
    expect(reactor.getDelayedCalls()).to.deep.equal([]);
    expect(connector.disconnected).to.equal(true);
    failureResultOf(d, CancelledError);
  }

  it('test_cancelConnectTCPTimeout: cancelling between the connection and the firing cancels the pending call', () => {
    cancelConnectTimeoutTest((reactor, cc) => {
      const d = cc.connectTCP('example.com', 1234);
      const [, , factory] = reactor.tcpClients.pop()!;
      factory.buildProtocol(addr)!.makeConnection(new StringTransport());
      return d;
    });
  });

  it('test_cancelConnectUNIXTimeout: cancelling between the connection and the firing cancels the pending call', () => {
    cancelConnectTimeoutTest((reactor, cc) => {
      const d = cc.connectUNIX('/foo/bar');
      const [, factory] = reactor.unixClients.pop()!;
      factory.buildProtocol(addr)!.makeConnection(new StringTransport());
      return d;
    });
  });

  it('test_cancelConnectSSLTimeout: cancelling between the connection and the firing cancels the pending call', () => {
    cancelConnectTimeoutTest((reactor, cc) => {
      const d = cc.connectSSL('example.com', 1234, { getContext: () => ({}) });
      const [, , factory] = reactor.sslClients.pop()!;
      factory.buildProtocol(addr)!.makeConnection(new StringTransport());
      return d;
    });
  });

  function cancelConnectFailedTimeoutTest(connect: (reactor: MemoryReactorClock, cc: ClientCreator<Protocol>) => [ReturnType<ClientCreator<Protocol>['connectTCP']>, IClientFactory]): void {
    const reactor = new MemoryReactorClock();
    const cc = new ClientCreator(reactor, Protocol);
    const [d, factory] = connect(reactor, cc);
    const connector = reactor.connectors.pop()!;
    factory.clientConnectionFailed(connector, new Failure(new Error('Simulated failure')));
    expect(reactor.getDelayedCalls().length).to.equal(1);
    d.cancel();
    expect(reactor.getDelayedCalls()).to.deep.equal([]);
    failureResultOf(d, CancelledError);
  }

  it('test_cancelConnectTCPFailedTimeout: cancelling after a failure and before the firing cancels the pending call', () => {
    cancelConnectFailedTimeoutTest((reactor, cc) => {
      const d = cc.connectTCP('example.com', 1234);
      const [, , factory] = reactor.tcpClients.pop()!;
      return [d, factory];
    });
  });

  it('test_cancelConnectUNIXFailedTimeout: cancelling after a failure and before the firing cancels the pending call', () => {
    cancelConnectFailedTimeoutTest((reactor, cc) => {
      const d = cc.connectUNIX('/foo/bar');
      const [, factory] = reactor.unixClients.pop()!;
      return [d, factory];
    });
  });

  it('test_cancelConnectSSLFailedTimeout: cancelling after a failure and before the firing cancels the pending call', () => {
    cancelConnectFailedTimeoutTest((reactor, cc) => {
      const d = cc.connectSSL('example.com', 1234, { getContext: () => ({}) });
      const [, , factory] = reactor.sslClients.pop()!;
      return [d, factory];
    });
  });

  it('the Deferred fires with the protocol one turn after buildProtocol, or fails one turn after the failure', () => {
    const reactor = new MemoryReactorClock();
    const cc = new ClientCreator(reactor, Protocol);
    const d = cc.connectTCP('example.com', 1234);
    const [, , factory] = reactor.tcpClients.pop()!;
    const p = factory.buildProtocol(addr);
    assertNoResult(d);
    reactor.advance(0);
    expect(successResultOf(d)).to.equal(p);
    const d2 = cc.connectTCP('example.com', 1234);
    const [, , factory2] = reactor.tcpClients.pop()!;
    factory2.clientConnectionFailed(reactor.connectors.pop()!, new Failure(new RangeError('nope')));
    assertNoResult(d2);
    reactor.advance(0);
    failureResultOf(d2, RangeError);
  });

  it('a reactor without connectTCP or connectUNIX is refused with ReactorMethodMissingError', () => {
    const cc = new ClientCreator(new Clock(), Protocol);
    expect(() => cc.connectTCP('h', 1)).to.throw(ReactorMethodMissingError, /connectTCP/);
    expect(() => cc.connectUNIX('/p')).to.throw(ReactorMethodMissingError, /connectUNIX/);
  });
});
