// Port of Stackless/unittests/test_sched_cb.py (Stackless 3.7-slp).
//
// stackless.test_cframe(n) (a C helper that switches n times) is replaced by a tasklet that
// calls schedule() n times.
//
// Not ported:
// - SchedulingCallbackTestCase.test2currentWithPrevAndNext: inspects Python frames and
//   sys.exc_info() inside the callback (py-only).
import { expect } from 'chai';
import {
  getScheduleCallback,
  run,
  schedule,
  setScheduleCallback,
  type Tasklet,
} from '../../../lib/tasklets/index.js';
import { stacklessTestCase, tasklet } from './support.js';

/** A scheduling monitor acting as a callback for setScheduleCallback(). */
class SchedulingMonitor {
  count = 0;
  readonly callback = (_prev: Tasklet | null, _next: Tasklet | null): void => {
    this.count += 1;
  };
}

/** Stand-in for stackless.test_cframe(n): switches away n times. */
async function testCframe(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await schedule();
}

describe('test_sched_cb', function () {
  describe('SchedulingCallbackTestCase', function () {
    stacklessTestCase();
    afterEach(function () {
      setScheduleCallback(null);
    });

    it('test0: the callback is not called before run() and at least once per switch during it', async function () {
      const mon1 = new SchedulingMonitor();
      setScheduleCallback(mon1.callback);
      tasklet(testCframe).setup(3);
      tasklet(testCframe).setup(3);
      expect(mon1.count, 'No callbacks before running').to.equal(0);
      await run();
      expect(mon1.count, 'At least as many callbacks as switches').to.be.at.least(2 * 3);
    });

    it('test1: a replaced monitor is no longer called, and setting null stops all calls', async function () {
      const n = 2;
      const mon1 = new SchedulingMonitor();
      setScheduleCallback(mon1.callback);
      let v = 3;
      for (let i = 0; i < n; i++) tasklet(testCframe).setup(v);
      let c1 = mon1.count;
      expect(c1, 'No callbacks before running').to.equal(0);
      await run();
      c1 = mon1.count;
      expect(c1, 'At least as many callbacks as switches').to.be.at.least(n * v);

      const mon2 = new SchedulingMonitor();
      setScheduleCallback(mon2.callback);
      v = 5;
      for (let i = 0; i < n; i++) tasklet(testCframe).setup(v);
      await run();
      const c2 = mon2.count;
      expect(c2, 'At least as many callbacks as switches').to.be.at.least(n * v);
      expect(mon1.count, 'No calls to the previous callback').to.equal(c1);
      expect(c2, 'More switches => more callbacks on the second run').to.be.greaterThan(c1);

      setScheduleCallback(null);
      v = 7;
      for (let i = 0; i < n; i++) tasklet(testCframe).setup(v);
      await run();
      expect(mon1.count, 'No calls to a previous callback after setting it to null').to.equal(c1);
      expect(mon2.count, 'No calls to a previous callback after setting it to null').to.equal(c2);
    });

    it('testGetCallback: setScheduleCallback returns the previous callback and getScheduleCallback reads it', function () {
      const mon = new SchedulingMonitor().callback;
      expect(getScheduleCallback()).to.equal(null);
      let old = setScheduleCallback(mon);
      expect(old).to.equal(null);
      expect(getScheduleCallback()).to.equal(mon);
      old = setScheduleCallback(null);
      expect(old).to.equal(mon);
      expect(getScheduleCallback()).to.equal(null);
    });
  });
});
