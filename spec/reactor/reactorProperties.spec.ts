// Property test for the reactor's one-host-timer design (lib/reactor/reactor.ts): whatever mix of
// callLater, cancel, reset, delay and passing time, no call runs before it is due, no pending
// call is stranded without an armed host timer (the timer fires by the earliest due time, give
// or take the millisecond rounding), and the host timer is cleared exactly when nothing is
// pending. Order within a pass is the heap's, covered by spec/reactor/heap.spec.ts.
import { expect } from 'chai';
import fc from 'fast-check';
import type { DelayedCall } from '../../lib/reactor/index.js';
import { fakeReactor } from './fakeHost.js';

type Op =
  | { k: 'callLater'; d: number; child: number | null }
  | { k: 'cancel'; i: number }
  | { k: 'reset'; i: number; d: number }
  | { k: 'delay'; i: number; d: number }
  | { k: 'advance'; s: number };

const ms = (max: number) => fc.integer({ min: 0, max }).map((n) => n / 1000);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant('callLater' as const), d: ms(50), child: fc.option(ms(20), { freq: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('cancel' as const), i: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('reset' as const), i: fc.nat(), d: ms(50) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('delay' as const), i: fc.nat(), d: fc.integer({ min: -20, max: 20 }).map((n) => n / 1000) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('advance' as const), s: ms(30) }) },
);

describe('reactor properties (fake host)', function () {
  it('never runs a call early, never strands one, and arms the host timer exactly while calls are pending', function () {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 50 }), (ops) => {
        const { reactor, host } = fakeReactor();
        const calls: DelayedCall[] = [];
        const runs: { due: number; at: number }[] = [];
        const schedule = (d: number, child: number | null): void => {
          const call: DelayedCall = reactor.callLater(d, () => {
            runs.push({ due: call.getTime(), at: host.now });
            if (child !== null) schedule(child, null);
          });
          calls.push(call);
        };
        const check = (): void => {
          for (const r of runs) expect(r.at, 'ran before its due time').to.be.at.least(r.due);
          const pending = reactor.getDelayedCalls();
          expect(pending.every((c) => c.active())).to.equal(true);
          expect(pending.length === 0, 'timer armed iff calls pending').to.equal(host.armed === null);
          if (host.armed !== null) {
            const earliest = Math.min(...pending.map((c) => c.getTime()));
            expect(host.armed.at, 'the timer fires no later than the earliest call').to.be.at.most(Math.max(earliest, host.now) + 0.001 + 1e-9);
          }
        };
        for (const o of ops) {
          if (o.k === 'callLater') schedule(o.d, o.child);
          else if (o.k === 'advance') host.advance(o.s);
          else if (calls.length > 0) {
            const c = calls[o.i % calls.length];
            if (c.active()) {
              if (o.k === 'cancel') c.cancel();
              else if (o.k === 'reset') c.reset(o.d);
              else c.delay(o.d);
            }
          }
          check();
        }
        // Let time run out: everything pending runs, then nothing is armed.
        for (let i = 0; i < 200 && reactor.getDelayedCalls().length > 0; i++) host.advance(0.01);
        check();
        expect(reactor.getDelayedCalls()).to.deep.equal([]);
        expect(host.armed).to.equal(null);
        expect(calls.filter((c) => c.active())).to.deep.equal([]);
      }),
      { numRuns: 300 },
    );
  });
});
