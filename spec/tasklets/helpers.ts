// Shared set-up for the tasklets specs: every spec starts and ends with only main in the ring.
import { expect } from 'chai';
import { getcurrent, getmain, getruncount, setChannelCallback, setScheduleCallback } from '../../lib/tasklets/index.js';

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
