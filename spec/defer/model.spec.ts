// Property tests: random sequences of addCallback/addErrback/addBoth (with functions that
// return, throw, return a Failure, or return an already-fired Deferred), pause/unpause and one
// callback/errback, in any order, give the same call order and final result as a small
// reference model of Twisted 22.4's rules (test_defer.py's semantics, §1.2-1.6 of the reference).
import { expect } from 'chai';
import fc from 'fast-check';
import { Deferred, fail, succeed } from '../../lib/defer/index.js';
import { Failure, isFailure } from '../../lib/failure/index.js';

type Behaviour = 'return' | 'throw' | 'returnFailure' | 'returnFiredDeferred' | 'returnFailedDeferred';
type Op =
  | { op: 'add'; kind: 'callback' | 'errback' | 'both'; behaviour: Behaviour }
  | { op: 'pause' }
  | { op: 'unpause' }
  | { op: 'fire'; ok: boolean };

/** An outcome: a success value or a failure carrying an error message. */
interface Outcome {
  ok: boolean;
  value: string;
}

/** The reference model: a list of entries, a result, a pause count; nothing else. */
class Model {
  queue: { kind: 'callback' | 'errback' | 'both'; behaviour: Behaviour; id: number }[] = [];
  called = false;
  result: Outcome = { ok: true, value: '' };
  paused = 0;
  log: string[] = [];
  run(): void {
    if (!this.called || this.paused !== 0) return;
    while (this.queue.length > 0) {
      const e = this.queue.shift()!;
      const wantsSuccess = e.kind === 'callback' || e.kind === 'both';
      const wantsFailure = e.kind === 'errback' || e.kind === 'both';
      if (this.result.ok ? !wantsSuccess : !wantsFailure) continue; // pass-through slot
      this.log.push(`${e.id}(${this.result.ok ? 'ok' : 'fail'}:${this.result.value})`);
      const out = `r${e.id}`;
      switch (e.behaviour) {
        case 'return':
        case 'returnFiredDeferred':
          this.result = { ok: true, value: out };
          break;
        case 'throw':
        case 'returnFailure':
        case 'returnFailedDeferred':
          this.result = { ok: false, value: out };
          break;
      }
    }
  }
}

const behaviourArb = fc.constantFrom<Behaviour>('return', 'throw', 'returnFailure', 'returnFiredDeferred', 'returnFailedDeferred');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('add' as const), kind: fc.constantFrom('callback' as const, 'errback' as const, 'both' as const), behaviour: behaviourArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('pause' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('unpause' as const) }) },
);

function outcomeOf(result: unknown): Outcome {
  if (isFailure(result)) return { ok: false, value: (result.value as Error).message };
  return { ok: true, value: result as string };
}

/** Run the ops on a real Deferred and on the model; return both logs and outcomes. */
function runBoth(ops: Op[]): { real: { log: string[]; outcome: Outcome; called: boolean }; model: Model } {
  const model = new Model();
  const log: string[] = [];
  const d = new Deferred<string>();
  let nextId = 0;
  for (const o of ops) {
    switch (o.op) {
      case 'pause':
        d.pause();
        model.paused++;
        break;
      case 'unpause':
        d.unpause();
        model.paused--;
        model.run();
        break;
      case 'fire':
        if (o.ok) d.callback('start');
        else d.errback(new Error('start'));
        model.called = true;
        model.result = { ok: o.ok, value: 'start' };
        model.run();
        break;
      case 'add': {
        const id = nextId++;
        const out = `r${id}`;
        const fn = (r: unknown): unknown => {
          const o2 = outcomeOf(r);
          log.push(`${id}(${o2.ok ? 'ok' : 'fail'}:${o2.value})`);
          switch (o.behaviour) {
            case 'return':
              return out;
            case 'throw':
              throw new Error(out);
            case 'returnFailure':
              return new Failure(new Error(out));
            case 'returnFiredDeferred':
              return succeed(out);
            case 'returnFailedDeferred':
              return fail(new Error(out));
          }
        };
        if (o.kind === 'callback') d.addCallback(fn);
        else if (o.kind === 'errback') d.addErrback(fn);
        else d.addBoth(fn);
        model.queue.push({ kind: o.kind, behaviour: o.behaviour, id });
        model.run();
        break;
      }
    }
  }
  const real = { log: log.slice(), outcome: outcomeOf(d.result), called: d.called };
  consume(d);
  return { real, model };
}

/**
 * Take a checked Deferred's last failure (unpausing it first), so that it is not reported as
 * an unhandled error when it is garbage-collected.
 */
function consume(d: Deferred<unknown>): void {
  while (d.paused > 0) d.unpause();
  while (d.paused < 0) d.pause();
  d.addErrback(() => null);
}

describe('Deferred against a reference model (fast-check)', function () {
  it('any sequence of adds, pauses and unpauses with one fire anywhere gives the model\'s calls and result', function () {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), fc.nat(40), fc.boolean(), (ops, at, ok) => {
        const all: Op[] = ops.slice();
        all.splice(Math.min(at, all.length), 0, { op: 'fire', ok });
        const { real, model } = runBoth(all);
        expect(real.log).to.deep.equal(model.log);
        expect(real.outcome).to.deep.equal(model.result);
        expect(real.called).to.equal(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('adding everything before firing and adding everything after firing give the same calls and result', function () {
    const addArb = fc.record({ op: fc.constant('add' as const), kind: fc.constantFrom('callback' as const, 'errback' as const, 'both' as const), behaviour: behaviourArb });
    fc.assert(
      fc.property(fc.array(addArb, { maxLength: 40 }), fc.boolean(), (adds, ok) => {
        const before = runBoth([...adds, { op: 'fire', ok }]);
        const after = runBoth([{ op: 'fire', ok }, ...adds]);
        expect(before.real.log).to.deep.equal(after.real.log);
        expect(before.real.outcome).to.deep.equal(after.real.outcome);
        expect(before.real.log).to.deep.equal(before.model.log);
      }),
      { numRuns: 1000 },
    );
  });

  it('a chain split across a returned unfired Deferred gives the same calls and result as one flat chain', function () {
    const addArb = fc.record({ kind: fc.constantFrom('callback' as const, 'errback' as const, 'both' as const), throws: fc.boolean() });
    fc.assert(
      fc.property(fc.array(addArb, { maxLength: 20 }), fc.array(addArb, { maxLength: 20 }), fc.array(addArb, { maxLength: 20 }), fc.boolean(), (a, b, c, ok) => {
        // Flat: a + b + c on one Deferred. Split: a on outer, then a callback returning inner
        // (which has b), then c on outer; inner fired later with the result outer had.
        const mk = (log: string[], tag: string, spec: { kind: string; throws: boolean }, i: number) => (r: unknown): unknown => {
          log.push(`${tag}${i}:${outcomeOf(r).ok}`);
          if (spec.throws) throw new Error(`${tag}${i}`);
          return `${tag}${i}`;
        };
        const add = (d: Deferred<unknown>, fn: (r: unknown) => unknown, kind: string): void => {
          if (kind === 'callback') d.addCallback(fn);
          else if (kind === 'errback') d.addErrback(fn);
          else d.addBoth(fn);
        };
        const flatLog: string[] = [];
        const flat = new Deferred<unknown>();
        a.forEach((s, i) => add(flat, mk(flatLog, 'a', s, i), s.kind));
        b.forEach((s, i) => add(flat, mk(flatLog, 'b', s, i), s.kind));
        c.forEach((s, i) => add(flat, mk(flatLog, 'c', s, i), s.kind));
        if (ok) flat.callback('start');
        else flat.errback(new Error('start'));

        const splitLog: string[] = [];
        const outer = new Deferred<unknown>();
        const inner = new Deferred<unknown>();
        b.forEach((s, i) => add(inner, mk(splitLog, 'b', s, i), s.kind));
        a.forEach((s, i) => add(outer, mk(splitLog, 'a', s, i), s.kind));
        let handOver: unknown = null;
        outer.addBoth((r) => {
          handOver = r;
          return inner;
        });
        c.forEach((s, i) => add(outer, mk(splitLog, 'c', s, i), s.kind));
        if (ok) outer.callback('start');
        else outer.errback(new Error('start'));
        inner.callback(handOver);
        expect(splitLog).to.deep.equal(flatLog);
        expect(outcomeOf(outer.result)).to.deep.equal(outcomeOf(flat.result));
        expect(inner.result).to.equal(undefined);
        consume(flat);
        consume(outer);
      }),
      { numRuns: 1000 },
    );
  });
});
