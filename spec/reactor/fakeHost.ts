// A fake time source and host timer facility for driving Reactor instances in specs, so that
// no spec reads the wall clock: `host.advance(s)` moves time and fires the armed timer as Node's
// loop would; `host.turn()` is one loop turn with no time passing.
import { Reactor, type ReactorTimers } from '../../lib/reactor/index.js';

export class FakeHost implements ReactorTimers {
  now = 1000;
  /** The armed one-shot timer, if any. */
  armed: { fn: () => void; at: number; ms: number } | null = null;
  /** How many timers were ever set. */
  sets = 0;
  /** Keep-alive holds currently taken by run(). */
  holds = 0;

  set(fn: () => void, ms: number): unknown {
    if (this.armed !== null) throw new Error('FakeHost: the reactor armed a second timer without clearing the first');
    this.sets++;
    const t = { fn, at: this.now + ms / 1000, ms };
    this.armed = t;
    return t;
  }

  clear(handle: unknown): void {
    if (this.armed === handle) this.armed = null;
  }

  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (!released) {
        released = true;
        this.holds--;
      }
    };
  }

  /** Move time by `seconds`, firing the armed timer each time it is due (as Node's loop would). */
  advance(seconds: number): void {
    this.now += seconds;
    this.turn();
  }

  /** Fire the armed timer now, whatever time it is (a host timer may fire early). */
  fireNow(): void {
    const t = this.armed;
    if (t === null) throw new Error('FakeHost.fireNow: no timer is armed');
    this.armed = null;
    t.fn();
  }

  /** One turn of the loop: fire the timer while it is due, without moving time. */
  turn(): void {
    for (let guard = 0; this.armed !== null && this.armed.at <= this.now; guard++) {
      if (guard > 10000) throw new Error('FakeHost: the reactor re-armed a due timer 10,000 times');
      const t = this.armed;
      this.armed = null;
      t.fn();
    }
  }
}

/** A Reactor on a FakeHost. */
export function fakeReactor(): { reactor: Reactor; host: FakeHost } {
  const host = new FakeHost();
  const reactor = new Reactor({ seconds: () => host.now, timers: host });
  return { reactor, host };
}

/** Run `reactor` until its run() Deferred fires, turning the fake loop (at most `limit` turns of 1 ms). */
export function runReactor(reactor: Reactor, host: FakeHost, limit = 1000): void {
  let stopped = false;
  reactor.run().addCallback(() => {
    stopped = true;
  });
  for (let i = 0; !stopped && i < limit; i++) host.advance(i === 0 ? 0 : 0.001);
  if (!stopped) throw new Error(`runReactor: the reactor did not stop within ${limit} turns`);
}
