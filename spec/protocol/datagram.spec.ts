// Behaviour of twisted.internet.protocol.AbstractDatagramProtocol and DatagramProtocol
// (Twisted 22.4): the reference-counted doStart/doStop, makeConnection, logPrefix, the log lines.
import { expect } from 'chai';
import { AbstractDatagramProtocol, DatagramProtocol, DatagramProtocolStateError } from 'twistless/protocol';
import type { IDatagramProtocol } from 'twistless/protocol';
import { addObserver, removeObserver, type LogEvent } from 'twistless/log';
import { FakeDatagramTransport } from 'twistless/testing';
import { LogCapture } from '../reactor/logCapture.js';

class Counting extends DatagramProtocol {
  events: string[] = [];
  override startProtocol(): void {
    this.events.push('start');
  }
  override stopProtocol(): void {
    this.events.push('stop');
  }
}

function captureLog(): { lines: string[]; stop: () => void } {
  const lines: string[] = [];
  const obs = (e: LogEvent): void => {
    lines.push(e.message.join(' '));
  };
  addObserver(obs);
  return { lines, stop: () => removeObserver(obs) };
}

describe('DatagramProtocol', () => {
  // Keep the Starting/Stopping protocol lines off the console.
  const quiet = new LogCapture();
  beforeEach(() => quiet.start());
  afterEach(() => quiet.stop());

  it('is an IDatagramProtocol with the ILoggingContext logPrefix (its class name)', () => {
    class Named extends DatagramProtocol {}
    const p: IDatagramProtocol = new Named();
    expect((p as Named).logPrefix()).to.equal('Named');
    expect(new Named().connectionRefused()).to.equal(undefined);
  });

  it('makeConnection sets transport and runs startProtocol once; doStop clears transport and runs stopProtocol on the last port', () => {
    const p = new Counting();
    const t = new FakeDatagramTransport();
    p.makeConnection(t);
    expect(p.transport).to.equal(t);
    expect(p.numPorts).to.equal(1);
    p.doStart(); // a second port using it
    expect(p.events).to.deep.equal(['start']);
    p.doStop();
    expect(p.transport).to.equal(null);
    expect(p.events).to.deep.equal(['start']);
    p.doStop();
    expect(p.events).to.deep.equal(['start', 'stop']);
    expect(p.numPorts).to.equal(0);
  });

  it('makeConnection with a transport already set: DatagramProtocolStateError (Twisted: AssertionError), nothing started again', () => {
    const p = new Counting();
    p.makeConnection(new FakeDatagramTransport());
    expect(() => p.makeConnection(new FakeDatagramTransport())).to.throw(DatagramProtocolStateError, /already has a transport/);
    expect(p.numPorts).to.equal(1);
    expect(p.events).to.deep.equal(['start']);
  });

  it('doStop with no port: DatagramProtocolStateError (Twisted: AssertionError), stopProtocol not called', () => {
    const p = new Counting();
    expect(() => p.doStop()).to.throw(DatagramProtocolStateError, /not started/);
    expect(p.events).to.deep.equal([]);
  });

  it('logs "Starting protocol <X object>" and "Stopping protocol <X object>" unless noisy is false', () => {
    const log = captureLog();
    try {
      const p = new Counting();
      p.makeConnection(new FakeDatagramTransport());
      p.doStop();
      const quiet = new Counting();
      quiet.noisy = false;
      quiet.makeConnection(new FakeDatagramTransport());
      quiet.doStop();
    } finally {
      log.stop();
    }
    expect(log.lines).to.deep.equal(['Starting protocol <Counting object>', 'Stopping protocol <Counting object>']);
  });

  it('AbstractDatagramProtocol ignores datagrams by default', () => {
    expect(new AbstractDatagramProtocol().datagramReceived(Buffer.from('x'), ['127.0.0.1', 1])).to.equal(undefined);
  });
});
