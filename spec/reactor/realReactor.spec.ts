// The process-wide reactor on Node's real event loop: a few short specs (tens of milliseconds,
// no wall-clock assertions) for what a fake host cannot show: the singleton, real timers, and
// that pending calls keep the process alive exactly while they exist.
import { expect } from 'chai';
import { Reactor, reactor } from '../../lib/reactor/index.js';
import * as root from '../../lib/index.js';

function activeTimeouts(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

describe('the real reactor', function () {
  it('is one instance per process, kept behind Symbol.for("twistless.reactor") and exported from the root', function () {
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('twistless.reactor')]).to.equal(reactor);
    expect(root.reactor).to.equal(reactor);
    expect(reactor).to.be.instanceOf(Reactor);
  });

  it('fires delayed calls on Node\'s loop without run(), in scheduling order for equal times', async function () {
    const order: number[] = [];
    await new Promise<void>((resolve) => {
      reactor.callLater(0.002, (n: number) => order.push(n), 1);
      reactor.callLater(0.002, (n: number) => order.push(n), 2);
      reactor.callLater(0.003, resolve);
    });
    expect(order).to.deep.equal([1, 2]);
    expect(reactor.running).to.equal(false);
  });

  it('seconds() is float seconds since the epoch and does not go backwards', function () {
    const a = reactor.seconds();
    const b = reactor.seconds();
    expect(b).to.be.at.least(a);
    expect(Math.abs(a - Date.now() / 1000)).to.be.lessThan(60);
  });

  it('holds one Node timer while calls are pending and none once they are gone', function () {
    const r = new Reactor();
    const before = activeTimeouts();
    const calls = Array.from({ length: 50 }, (_, i) => r.callLater(60 + i, () => undefined));
    expect(activeTimeouts() - before).to.equal(1);
    for (const c of calls) c.cancel();
    expect(activeTimeouts() - before).to.equal(0);
  });

  it('run() keeps the process alive until stop(), then its Deferred fires; the reactor cannot run again', async function () {
    // Watch the keep-alive handle itself rather than counting every Timeout in the process:
    // timers left by other specs may fire or appear meanwhile (a loaded machine), this one cannot.
    const realSetInterval = globalThis.setInterval;
    const realClearInterval = globalThis.clearInterval;
    const holds: NodeJS.Timeout[] = [];
    const cleared: unknown[] = [];
    globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => {
      const handle = realSetInterval(...args);
      holds.push(handle);
      return handle;
    }) as typeof setInterval;
    globalThis.clearInterval = ((handle: Parameters<typeof clearInterval>[0]) => {
      cleared.push(handle);
      realClearInterval(handle);
    }) as typeof clearInterval;
    try {
      const r = new Reactor();
      const events: string[] = [];
      r.addSystemEventTrigger('after', 'shutdown', () => events.push('shutdown'));
      r.callWhenRunning(() => r.callLater(0.005, () => r.stop()));
      const stopped = r.run();
      expect(holds).to.have.length(1);
      expect(holds[0].hasRef()).to.equal(true); // a ref'd handle: Node stays up while it exists
      expect(cleared).to.not.include(holds[0]);
      await stopped;
      expect(events).to.deep.equal(['shutdown']);
      expect(r.running).to.equal(false);
      expect(cleared).to.include(holds[0]); // released once the reactor stopped
      expect(r.getDelayedCalls()).to.deep.equal([]);
      expect(() => r.run()).to.throw('not restartable');
    } finally {
      globalThis.setInterval = realSetInterval;
      globalThis.clearInterval = realClearInterval;
    }
  });

  it('a callLater(0) loop does not starve Node: setImmediate callbacks run between its passes', async function () {
    const r = new Reactor();
    let ticks = 0;
    let immediateSawTicks = -1;
    const tick = (): void => {
      ticks++;
      if (immediateSawTicks < 0) r.callLater(0, tick);
    };
    r.callLater(0, tick);
    await new Promise<void>((resolve) =>
      setImmediate(() => {
        immediateSawTicks = ticks;
        resolve();
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(immediateSawTicks).to.be.at.least(0);
    expect(r.getDelayedCalls()).to.deep.equal([]); // the loop saw the flag and ended
    expect(ticks).to.be.at.least(immediateSawTicks);
  });
});
