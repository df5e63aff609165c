// Port of twisted/test/test_factories.py (Twisted 22.4): ReconnectingFactoryTests (the pickling
// tests have no TypeScript counterpart), plus the back-off maths checked against Twisted.
import { expect } from 'chai';
import { ReconnectingClientFactory, Protocol, NoConnectorError, normalvariate } from 'twistless/protocol';
import type { IConnector } from 'twistless/protocol';
import { IPv4Address } from 'twistless/address';
import { ConnectionRefusedError, NotConnectingError } from 'twistless/error';
import { Failure } from 'twistless/failure';
import { Clock } from 'twistless/task';

const reason = new Failure(new ConnectionRefusedError());

class FakeConnector implements IConnector {
  state: 'disconnected' | 'connecting' | 'connected' = 'disconnected';
  connects = 0;
  stops = 0;
  stopConnecting(): void {
    this.stops++;
  }
  connect(): void {
    this.connects++;
  }
  disconnect(): void {}
  getDestination(): IPv4Address {
    return new IPv4Address('TCP', '127.0.0.1', 1);
  }
}

function quietFactory(jitter = 0): [ReconnectingClientFactory, Clock] {
  const f = new ReconnectingClientFactory();
  const clock = new Clock();
  f.clock = clock;
  f.noisy = false;
  f.jitter = jitter;
  return [f, clock];
}

describe('ReconnectingFactoryTests', () => {
  it('test_stopTryingWhenConnected: stopTrying while connected neither stops a connector nor reconnects later', () => {
    class NoConnectConnector extends FakeConnector {
      override stopConnecting(): void {
        throw new Error("Shouldn't be called, we're connected.");
      }
      override connect(): void {
        throw new Error("Shouldn't be reconnecting.");
      }
    }
    const c = new ReconnectingClientFactory();
    c.protocol = Protocol;
    c.buildProtocol(new IPv4Address('TCP', '127.0.0.1', 1));
    c.stopTrying();
    c.clientConnectionLost(new NoConnectConnector(), reason);
    expect(c.continueTrying).to.equal(false);
  });

  it('test_stopTryingDoesNotReconnect: a failure reported from inside stopTrying schedules no retry', () => {
    class FactoryAwareFakeConnector extends FakeConnector {
      attemptedRetry = false;
      override stopConnecting(): void {
        f.clientConnectionFailed(this, reason);
      }
      override connect(): void {
        this.attemptedRetry = true;
      }
    }
    const f = new ReconnectingClientFactory();
    const clock = new Clock();
    f.clock = clock;
    const connector = new FactoryAwareFakeConnector();
    f.connector = connector;
    f.stopTrying();
    expect(connector.attemptedRetry).to.equal(false);
    expect(clock.getDelayedCalls()).to.deep.equal([]);
  });

  it('test_parametrizedClock: the retry is scheduled on the clock given', () => {
    const clock = new Clock();
    const factory = new ReconnectingClientFactory();
    factory.noisy = false;
    factory.clock = clock;
    factory.clientConnectionLost(new FakeConnector(), reason);
    expect(clock.getDelayedCalls().length).to.equal(1);
  });
});

describe('ReconnectingClientFactory back-off (checked against Twisted 22.4)', () => {
  it('without jitter the delays are initialDelay * e^n, capped at maxDelay; the first retry waits 2.718 s', () => {
    const [f, clock] = quietFactory();
    const connector = new FakeConnector();
    const delays: number[] = [];
    for (let i = 0; i < 11; i++) {
      f.clientConnectionFailed(connector, reason);
      delays.push(f.delay);
      clock.advance(f.delay);
    }
    const expected: number[] = [];
    let d = 1.0;
    for (let i = 0; i < 11; i++) expected.push((d = Math.min(d * Math.E, 3600)));
    expect(delays).to.deep.equal(expected);
    expect(delays[0]).to.be.closeTo(2.718, 0.001);
    expect(delays.slice(8)).to.deep.equal([3600, 3600, 3600]);
    expect(connector.connects).to.equal(11);
  });

  it('maxDelay 10 caps the delays: 2.718, 7.389, 10, 10', () => {
    const [f, clock] = quietFactory();
    f.maxDelay = 10;
    const connector = new FakeConnector();
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      f.clientConnectionFailed(connector, reason);
      delays.push(Math.round(f.delay * 1000) / 1000);
      clock.advance(f.delay);
    }
    expect(delays).to.deep.equal([2.718, 7.389, 10, 10]);
  });

  it('the retry is due exactly delay seconds later, and nothing connects before', () => {
    const [f, clock] = quietFactory();
    const connector = new FakeConnector();
    f.clientConnectionFailed(connector, reason);
    clock.advance(2.7);
    expect(connector.connects).to.equal(0);
    clock.advance(0.02);
    expect(connector.connects).to.equal(1);
  });

  it('maxRetries 3: three retries, then the fourth failure abandons (retries ends at 4)', () => {
    const [f, clock] = quietFactory();
    f.maxRetries = 3;
    const connector = new FakeConnector();
    for (let i = 0; i < 5; i++) {
      f.clientConnectionFailed(connector, reason);
      clock.advance(10000);
    }
    expect(connector.connects).to.equal(3);
    expect(f.retries).to.equal(5);
    const [g, clock2] = quietFactory();
    g.maxRetries = 3;
    for (let i = 0; i < 4; i++) {
      g.clientConnectionFailed(connector, reason);
      clock2.advance(10000);
    }
    expect(g.retries).to.equal(4);
  });

  it('with jitter the delay is a normal deviate written back into delay: the same draws give the delays Twisted gave', () => {
    // random.seed(1)'s first twelve random() values; Twisted 22.4 gave these four delays from them.
    const draws = [
      0.13436424411240122, 0.8474337369372327, 0.763774618976614, 0.2550690257394217, 0.49543508709194095, 0.4494910647887381,
      0.651592972722763, 0.7887233511355132, 0.0938595867742349, 0.02834747652200631, 0.8357651039198697, 0.43276706790505337,
    ];
    const [f, clock] = quietFactory(0.119626565582);
    let i = 0;
    f.random = () => draws[i++]!;
    const connector = new FakeConnector();
    const delays: number[] = [];
    for (let k = 0; k < 4; k++) {
      f.clientConnectionFailed(connector, reason);
      delays.push(f.delay);
      clock.advance(f.delay);
    }
    expect(delays).to.deep.equal([2.915813546353331, 7.912514972484265, 24.675547178816583, 75.2232746461539]);
    expect(i).to.equal(12);
  });

  it('normalvariate returns mu when the first draw is 0.5, and mu + z * sigma in general', () => {
    expect(normalvariate(10, 3, () => 0.5)).to.equal(10);
    const samples = Array.from({ length: 4000 }, () => normalvariate(0, 1));
    const mean = samples.reduce((a, x) => a + x, 0) / samples.length;
    expect(Math.abs(mean)).to.be.lessThan(0.15);
  });

  it('a negative jittered delay is scheduled at once (Twisted would fail an assertion); delay keeps the value', () => {
    const [f, clock] = quietFactory(1.0);
    // u1 = 0.05, u2 = 1 - 0.3: z = -1.103 is accepted, so delay = e * (1 + z * jitter) < 0.
    const draws = [0.05, 0.3];
    let i = 0;
    f.random = () => draws[i++]!;
    const connector = new FakeConnector();
    f.clientConnectionFailed(connector, reason);
    expect(f.delay).to.be.lessThan(0);
    expect(clock.getDelayedCalls()[0]!.getTime()).to.equal(0);
    clock.advance(0);
    expect(connector.connects).to.equal(1);
  });

  it('resetDelay restores initialDelay, the retry count and trying', () => {
    const [f, clock] = quietFactory();
    const connector = new FakeConnector();
    f.clientConnectionFailed(connector, reason);
    clock.advance(10);
    f.stopTrying();
    f.resetDelay();
    expect([f.delay, f.retries, f.continueTrying]).to.deep.equal([1.0, 0, true]);
    f.clientConnectionFailed(connector, reason);
    expect(f.delay).to.equal(Math.E);
  });

  it('stopTrying cancels the pending retry and stops the connector; NotConnectingError from it is swallowed', () => {
    const [f, clock] = quietFactory();
    class NotConnecting extends FakeConnector {
      override stopConnecting(): void {
        throw new NotConnectingError();
      }
    }
    const connector = new NotConnecting();
    f.clientConnectionFailed(connector, reason);
    expect(clock.getDelayedCalls().length).to.equal(1);
    f.stopTrying();
    expect(clock.getDelayedCalls()).to.deep.equal([]);
    clock.advance(100);
    expect(connector.connects).to.equal(0);
    f.clientConnectionLost(connector, reason);
    expect(clock.getDelayedCalls()).to.deep.equal([]);
  });

  it('stopTrying lets any other error of stopConnecting through', () => {
    const f = new ReconnectingClientFactory();
    const connector = new FakeConnector();
    connector.stopConnecting = () => {
      throw new RangeError('boom');
    };
    f.connector = connector;
    expect(() => f.stopTrying()).to.throw(RangeError, 'boom');
  });

  it('retry() with no connector ever seen throws NoConnectorError', () => {
    expect(() => new ReconnectingClientFactory().retry()).to.throw(NoConnectorError);
  });

  it('without a clock the retry goes on the global reactor, which becomes the clock', async () => {
    const { reactor } = await import('twistless/reactor');
    const f = new ReconnectingClientFactory();
    f.noisy = false;
    f.clientConnectionFailed(new FakeConnector(), reason);
    expect(f.clock).to.equal(reactor);
    f.stopTrying();
  });
});
