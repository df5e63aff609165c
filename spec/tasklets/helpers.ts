// Shared set-up for the tasklets specs: every spec starts and ends with only main in the ring.
import { expect } from 'chai';
import { getcurrent, getmain, getruncount, run, setChannelCallback, setScheduleCallback } from '../../lib/tasklets/index.js';
import { setTimeSlice } from '../../lib/tasklets/scheduler/timeSlice.js';

/** Registers the clean-scheduler checks in the current describe. */
export function cleanScheduler(): void {
  beforeEach(function () {
    expect(getruncount(), 'tasklets left runnable by an earlier spec').to.equal(1);
    expect(getcurrent()).to.equal(getmain());
  });
  afterEach(function () {
    setScheduleCallback(null);
    setChannelCallback(null);
    expect(getruncount(), 'tasklets left runnable by this spec').to.equal(1);
  });
}

/** A macrotask: lets the automatic event-loop turn run. */
export function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Lets the scheduler and the event loop turn until `done()` holds, bounded: a hang fails the spec
 * instead of ending the run. Operations completed from timers of a few ms get them (a loaded
 * machine delays them).
 */
export async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !done(); i++) {
    await run();
    await tick();
    if (!done()) await new Promise((r) => setTimeout(r, 1));
  }
  if (!done()) throw new Error('the tasklets did not finish: something hangs');
}

/**
 * Registers `suite` twice: as the scheduler runs by default, and again with every switch giving
 * Node's event loop a turn first (the time slice forced down to one switch), where a yield must
 * change no trace.
 */
export function withForcedYields(title: string, suite: (this: Mocha.Suite) => void): void {
  describe(title, suite);
  describe(`${title}, every switch yielding to the event loop`, function () {
    let old: [number, number] = [0, 0];
    before(function () {
      old = setTimeSlice(1, 0);
    });
    after(function () {
      setTimeSlice(old[0], old[1]);
    });
    suite.call(this);
  });
}
