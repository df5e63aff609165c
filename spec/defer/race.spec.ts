// Port of RaceTests of twisted/test/test_defer.py (Twisted 23.8; race() is absent from 22.4).
// The upstream tests draw their sizes with hypothesis; here fast-check does.
import { expect } from 'chai';
import fc from 'fast-check';
import { Failure } from '../../lib/failure/index.js';
import { addObserver, removeObserver, type LogEvent } from '../../lib/log/index.js';
import { CancelledError, Deferred, FailureGroup, NotADeferredError, fail, race, succeed } from '../../lib/defer/index.js';

/** trial's successResultOf (consumes the result). */
function successResultOf<T>(d: Deferred<T>): T {
  const got: unknown[] = [];
  d.addBoth((r) => {
    got.push(r);
  });
  expect(got, 'the Deferred has a result').to.have.length(1);
  if (got[0] instanceof Failure) throw new Error(`expected a success, got ${String(got[0].value)}`);
  return got[0] as T;
}

/** trial's failureResultOf (consumes the result). */
function failureResultOf(d: Deferred<unknown>, type: abstract new (...a: never[]) => unknown): Failure {
  const got: unknown[] = [];
  d.addBoth((r) => {
    got.push(r);
  });
  expect(got, 'the Deferred has a result').to.have.length(1);
  const f = got[0];
  if (!(f instanceof Failure)) throw new Error(`expected a failure, got ${String(f)}`);
  expect(f.check(type)).to.equal(type);
  return f;
}

/** Deferreds that never fire by themselves, and how many times each was cancelled. */
function setupRaceState(numDeferreds: number): [number[], Deferred<unknown>[]] {
  const cancelledState = new Array<number>(numDeferreds).fill(0);
  const ds: Deferred<unknown>[] = [];
  for (let n = 0; n < numDeferreds; n++) {
    ds.push(
      new Deferred<unknown>(() => {
        cancelledState[n] += 1;
      }),
    );
  }
  return [cancelledState, ds];
}

const sizes = { beforeWinner: fc.integer({ min: 0, max: 3 }), afterWinner: fc.integer({ min: 0, max: 3 }) };

describe('RaceTests', function () {
  it('test_success: the first success gives [index, value] and every other input is cancelled once', function () {
    fc.assert(
      fc.property(fc.record(sizes), ({ beforeWinner, afterWinner }) => {
        const [cancelledState, ds] = setupRaceState(beforeWinner + 1 + afterWinner);
        const raceResult = race(ds);
        const expected = {};
        ds[beforeWinner].callback(expected);
        const [index, value] = successResultOf(raceResult);
        expect(index).to.equal(beforeWinner);
        expect(value).to.equal(expected);
        expect(cancelledState).to.deep.equal([
          ...new Array<number>(beforeWinner).fill(1),
          0,
          ...new Array<number>(afterWinner).fill(1),
        ]);
        // The losers' CancelledErrors were consumed by race.
        ds.forEach((d) => expect(d.result).to.equal(undefined));
      }),
    );
  });

  it('test_failure: when every input fails, the race fails with a FailureGroup of their failures in order', function () {
    fc.assert(
      fc.property(fc.record(sizes), ({ beforeWinner, afterWinner }) => {
        const [cancelledState, ds] = setupRaceState(beforeWinner + 1 + afterWinner);
        const failure = new Failure(new Error('The test demands failures.'));
        const raceResult = race(ds);
        for (const d of ds) d.errback(failure);
        const actualFailure = failureResultOf(raceResult, FailureGroup);
        const group = actualFailure.value as FailureGroup;
        expect(group.failures).to.deep.equal(new Array<Failure>(ds.length).fill(failure));
        expect(group.failures.every((f) => f === failure)).to.equal(true);
        expect(cancelledState).to.deep.equal(new Array<number>(ds.length).fill(0));
      }),
    );
  });

  it('test_resultAfterCancel: a result that comes after the input was cancelled goes nowhere, and nothing is logged', function () {
    fc.assert(
      fc.property(fc.record(sizes), ({ beforeWinner, afterWinner }) => {
        const events: LogEvent[] = [];
        const observer = (e: LogEvent): void => {
          events.push(e);
        };
        addObserver(observer);
        try {
          const ds: Deferred<undefined>[] = [];
          for (let n = 0; n < beforeWinner + 2 + afterWinner; n++) ds.push(new Deferred<undefined>());
          const raceResult = race(ds);
          ds[beforeWinner].callback(undefined);
          // Cancelled without a canceller: this one later callback is swallowed.
          ds[beforeWinner + 1].callback(undefined);
          successResultOf(raceResult);
        } finally {
          removeObserver(observer);
        }
        expect(events.filter((e) => e.isError)).to.deep.equal([]);
      }),
    );
  });

  it('test_resultFromCancel: a loser whose canceller succeeds does not change the outcome', function () {
    const winner = new Deferred<unknown>();
    const ds: Deferred<unknown>[] = [winner, new Deferred<unknown>((d) => d.callback({}))];
    const expected = {};
    const raceResult = race(ds);
    winner.callback(expected);
    expect(successResultOf(raceResult)).to.deep.equal([0, expected]);
    expect(successResultOf(raceResult as Deferred<unknown>)).to.equal(undefined);
  });

  it('test_cancel: cancelling the race cancels every input, and it fails with a FailureGroup', function () {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), (numDeferreds) => {
        const [cancelledState, ds] = setupRaceState(numDeferreds);
        const raceResult = race(ds);
        raceResult.cancel();
        expect(cancelledState).to.deep.equal(new Array<number>(numDeferreds).fill(1));
        const f = failureResultOf(raceResult, FailureGroup);
        const group = f.value as FailureGroup;
        expect(group.failures.map((x) => x.check(CancelledError))).to.deep.equal(
          new Array<unknown>(numDeferreds).fill(CancelledError),
        );
      }),
    );
  });
});

describe('race (twistless specifics)', function () {
  it('race([]) never fires', function () {
    const d = race([]);
    expect(d.called).to.equal(false);
  });

  it('race of inputs that already fired gives the first success: [0, 1]', function () {
    expect(successResultOf(race([succeed(1), succeed(2)]))).to.deep.equal([0, 1]);
  });

  it('a failure before the winner is recorded but does not stop the race', function () {
    const a = new Deferred<string>();
    const b = new Deferred<string>();
    const r = race([a, b]);
    a.errback(new RangeError('a failed'));
    expect(r.called).to.equal(false);
    b.callback('b');
    expect(successResultOf(r)).to.deep.equal([1, 'b']);
    expect(a.result).to.equal(undefined);
  });

  it('FailureGroup is an AggregateError: errors holds the failed values, failures the Failures; input order even when they fail out of order', function () {
    const a = new Deferred<string>();
    const b = new Deferred<string>();
    const r = race([a, b]);
    const eb = new RangeError('b');
    const ea = new TypeError('a');
    b.errback(eb);
    a.errback(ea);
    const group = failureResultOf(r, FailureGroup).value as FailureGroup;
    expect(group).to.be.instanceOf(AggregateError);
    expect(group.name).to.equal('FailureGroup');
    expect(group.errors).to.deep.equal([ea, eb]);
    expect(group.failures.map((f) => f.value)).to.deep.equal([ea, eb]);
    expect(group.message).to.match(/all 2 Deferreds failed/);
  });

  it('a canceller that throws escapes from cancel(), as in Twisted', function () {
    const a = new Deferred<string>(() => {
      throw new RangeError('canceller broke');
    });
    const r = race([a, new Deferred<string>()]);
    expect(() => r.cancel()).to.throw(RangeError, 'canceller broke');
  });

  it('bad input: a non-Deferred throws NotADeferredError and nothing is attached', function () {
    const d = new Deferred<number>();
    expect(() => race([d, 3 as never])).to.throw(NotADeferredError, /race\(\) needs Deferreds, but input 1 is number 3/);
    d.callback(1);
    expect(d.result).to.equal(1);
  });

  it('a failed input handed to race is consumed (not reported as unhandled)', function () {
    const d = fail(new RangeError('x'));
    const r = race([d, new Deferred()]);
    expect(d.result).to.equal(undefined);
    expect(r.called).to.equal(false);
  });
});
