// Port of twisted/test/test_policies.py (Twisted 22.4): TimeoutProtocolTests, TimeoutFactoryTests,
// TimeoutMixinTests.
import { expect } from 'chai';
import { TimeoutFactory, TimeoutMixin, TimeoutProtocol, NoTransportToTimeOutError } from 'twistless/policies';
import { LineReceiver } from 'twistless/basic';
import { Protocol, ServerFactory } from 'twistless/protocol';
import type { IDelayedCall } from 'twistless/reactor';
import { IPv4Address } from 'twistless/address';
import { Clock } from 'twistless/task';
import { StringTransport, StringTransportWithDisconnection } from 'twistless/testing';

class SimpleProtocol extends Protocol {
  connectedFlag = false;
  disconnected = false;
  buffer = Buffer.alloc(0);
  override connectionMade(): void {
    this.connectedFlag = true;
  }
  override connectionLost(): void {
    this.disconnected = true;
  }
  override dataReceived(data: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, data]);
  }
}

const addr = new IPv4Address('TCP', '127.0.0.1', 12345);

function timeoutFactory(clock: Clock, period: number | null): TimeoutFactory {
  const wrapped = new ServerFactory();
  wrapped.protocol = SimpleProtocol;
  const f = new TimeoutFactory(wrapped, { timeoutPeriod: period });
  f.clock = clock;
  return f;
}

function connect(factory: TimeoutFactory): [TimeoutProtocol, StringTransportWithDisconnection] {
  const proto = factory.buildProtocol(addr)!;
  const transport = new StringTransportWithDisconnection();
  transport.protocol = proto;
  proto.makeConnection(transport);
  return [proto, transport];
}

describe('TimeoutProtocolTests', () => {
  function getProtocolAndClock(): [TimeoutProtocol, Clock] {
    const clock = new Clock();
    const [proto] = connect(timeoutFactory(clock, null));
    return [proto, clock];
  }
  const wrapped = (p: TimeoutProtocol): SimpleProtocol => p.wrappedProtocol as SimpleProtocol;

  it('test_cancelTimeout: a cancelled timeout does not close the connection', () => {
    const [sut, clock] = getProtocolAndClock();
    sut.setTimeout(3);
    expect(sut.timeoutCall).to.not.equal(null);
    expect(wrapped(sut).disconnected).to.equal(false);
    clock.advance(1);
    sut.cancelTimeout();
    expect(sut.timeoutCall).to.equal(null);
    clock.advance(3);
    expect(wrapped(sut).disconnected).to.equal(false);
  });

  it('test_cancelTimeoutNoTimeout: cancelTimeout without a timeout does nothing', () => {
    const [sut] = getProtocolAndClock();
    expect(sut.timeoutCall).to.equal(null);
    sut.cancelTimeout();
    expect(wrapped(sut).disconnected).to.equal(false);
  });

  it('test_cancelTimeoutAlreadyCalled: cancelTimeout after the timeout ran does not throw', () => {
    const [sut, clock] = getProtocolAndClock();
    const wrappedProto = wrapped(sut);
    sut.setTimeout(3);
    clock.advance(3);
    expect(wrappedProto.disconnected).to.equal(true);
    sut.cancelTimeout();
  });

  it('test_cancelTimeoutAlreadyCancelled: cancelTimeout after the call was cancelled does not throw', () => {
    const [sut] = getProtocolAndClock();
    sut.setTimeout(3);
    sut.timeoutCall!.cancel();
    sut.cancelTimeout();
    expect(wrapped(sut).disconnected).to.equal(false);
  });
});

describe('TimeoutFactoryTests', () => {
  let clock: Clock;
  let proto: TimeoutProtocol;
  let wrappedProto: SimpleProtocol;
  beforeEach(() => {
    clock = new Clock();
    [proto] = connect(timeoutFactory(clock, 3));
    wrappedProto = proto.wrappedProtocol as SimpleProtocol;
  });

  it('test_timeout: the connection closes after the period without traffic', () => {
    clock.pump([0.0, 0.5, 1.0, 1.0, 0.4]);
    expect(wrappedProto.disconnected).to.equal(false);
    clock.pump([0.0, 0.2]);
    expect(wrappedProto.disconnected).to.equal(true);
  });

  it('test_sendAvoidsTimeout: writing restarts the countdown', () => {
    clock.pump([0.0, 0.5, 1.0]);
    expect(wrappedProto.disconnected).to.equal(false);
    proto.write(Buffer.from('bytes bytes bytes'));
    clock.pump([0.0, 1.0, 1.0]);
    expect(wrappedProto.disconnected).to.equal(false);
    proto.writeSequence([Buffer.from('bytes'), Buffer.from('bytes'), Buffer.from('bytes')]);
    clock.pump([0.0, 1.0, 1.0]);
    expect(wrappedProto.disconnected).to.equal(false);
    clock.pump([0.0, 2.0]);
    expect(wrappedProto.disconnected).to.equal(true);
  });

  it('test_receiveAvoidsTimeout: receiving restarts the countdown', () => {
    clock.pump([0.0, 1.0, 0.5]);
    expect(wrappedProto.disconnected).to.equal(false);
    proto.dataReceived(Buffer.from('bytes bytes bytes'));
    clock.pump([0.0, 1.0, 1.0]);
    expect(wrappedProto.disconnected).to.equal(false);
    clock.pump([0.0, 1.0, 1.0]);
    expect(wrappedProto.disconnected).to.equal(true);
  });

  it('the default period is 1800 seconds', () => {
    expect(new TimeoutFactory(new ServerFactory()).timeoutPeriod).to.equal(1800);
  });
});

class TimeoutTester extends TimeoutMixin(Protocol) {
  override timeOut: number | null = 3;
  timedOut = false;
  constructor(readonly clock: Clock) {
    super();
  }
  override connectionMade(): void {
    this.setTimeout(this.timeOut);
  }
  override dataReceived(data: Buffer): void {
    this.resetTimeout();
    super.dataReceived(data);
  }
  override connectionLost(): void {
    this.setTimeout(null);
  }
  override timeoutConnection(): void {
    this.timedOut = true;
  }
  override callLater(timeout: number, func: () => void): IDelayedCall {
    return this.clock.callLater(timeout, func);
  }
}

describe('TimeoutMixinTests', () => {
  let clock: Clock;
  let proto: TimeoutTester;
  beforeEach(() => {
    clock = new Clock();
    proto = new TimeoutTester(clock);
  });

  it('test_overriddenCallLater: the overridden callLater schedules the timeout', () => {
    proto.setTimeout(10);
    expect(clock.getDelayedCalls().length).to.equal(1);
  });

  it('test_timeout: timeoutConnection runs after timeOut seconds', () => {
    proto.makeConnection(new StringTransport());
    clock.pump([0, 0.5, 1.0, 1.0]);
    expect(proto.timedOut).to.equal(false);
    clock.pump([0, 1.0]);
    expect(proto.timedOut).to.equal(true);
  });

  it('test_noTimeout: resetTimeout on data postpones the timeout', () => {
    proto.makeConnection(new StringTransport());
    clock.pump([0, 0.5, 1.0, 1.0]);
    expect(proto.timedOut).to.equal(false);
    proto.dataReceived(Buffer.from('hello there'));
    clock.pump([0, 1.0, 1.0, 0.5]);
    expect(proto.timedOut).to.equal(false);
    clock.pump([0, 1.0]);
    expect(proto.timedOut).to.equal(true);
  });

  it('test_resetTimeout: setTimeout after connecting starts a countdown of that period', () => {
    proto.timeOut = null;
    proto.makeConnection(new StringTransport());
    proto.setTimeout(1);
    expect(proto.timeOut).to.equal(1);
    clock.pump([0, 0.9]);
    expect(proto.timedOut).to.equal(false);
    clock.pump([0, 0.2]);
    expect(proto.timedOut).to.equal(true);
  });

  it('test_cancelTimeout: setTimeout(null) cancels the countdown', () => {
    proto.timeOut = 5;
    proto.makeConnection(new StringTransport());
    proto.setTimeout(null);
    expect(proto.timeOut).to.equal(null);
    clock.pump([0, 5, 5, 5]);
    expect(proto.timedOut).to.equal(false);
  });

  it('test_setTimeoutReturn: setTimeout returns the previous timeOut', () => {
    proto.timeOut = 5;
    expect(proto.setTimeout(10)).to.equal(5);
    expect(proto.setTimeout(null)).to.equal(10);
    expect(proto.setTimeout(1)).to.equal(null);
    expect(proto.timeOut).to.equal(1);
    proto.setTimeout(null);
  });

  it('test_setTimeoutCancleAlreadyCancelled: setTimeout(null) after the call was cancelled does not throw', () => {
    proto.setTimeout(3);
    clock.getDelayedCalls()[0]!.cancel();
    expect(proto.timeOut).to.not.equal(null);
    proto.setTimeout(null);
    expect(proto.timeOut).to.equal(null);
  });

  it('timeOut alone does nothing; resetTimeout with nothing pending does nothing; the default closes the transport', () => {
    class Idle extends TimeoutMixin(LineReceiver) {
      override timeOut: number | null = 5;
      constructor(readonly clock: Clock) {
        super();
      }
      override callLater(period: number, fn: () => void): IDelayedCall {
        return this.clock.callLater(period, fn);
      }
      override lineReceived(): void {
        this.resetTimeout();
      }
    }
    const idle = new Idle(clock);
    const t = new StringTransport();
    idle.makeConnection(t);
    idle.resetTimeout();
    expect(clock.getDelayedCalls()).to.deep.equal([]);
    idle.setTimeout(2);
    idle.dataReceived(Buffer.from('x\r\n'));
    clock.advance(2);
    expect(t.disconnecting).to.equal(true);
  });

  it('the countdown survives connectionLost unless setTimeout(null) is called there', () => {
    class Forgetful extends TimeoutMixin(Protocol) {
      fired = 0;
      constructor(readonly clock: Clock) {
        super();
      }
      override callLater(period: number, fn: () => void): IDelayedCall {
        return this.clock.callLater(period, fn);
      }
      override timeoutConnection(): void {
        this.fired++;
      }
    }
    const p = new Forgetful(clock);
    p.makeConnection(new StringTransport());
    p.setTimeout(1);
    p.connectionLost();
    clock.advance(1);
    expect(p.fired).to.equal(1);
  });

  it('the default timeoutConnection with no transport throws NoTransportToTimeOutError', () => {
    class Bare extends TimeoutMixin(class {}) {}
    expect(() => new Bare().timeoutConnection()).to.throw(NoTransportToTimeOutError);
  });

  it('without an override, callLater uses the global reactor', async () => {
    const { reactor } = await import('twistless/reactor');
    class Plain extends TimeoutMixin(Protocol) {}
    const p = new Plain();
    const before = reactor.getDelayedCalls().length;
    p.setTimeout(1000);
    expect(reactor.getDelayedCalls().length).to.equal(before + 1);
    p.setTimeout(null);
    expect(reactor.getDelayedCalls().length).to.equal(before);
  });
});
