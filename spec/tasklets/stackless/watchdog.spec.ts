// Port of Stackless/unittests/test_watchdog.py (Stackless 3.7-slp).
//
// Not ported (Python-only: they test CPython internals):
// - TestWatchdog: test_simple test_nested test_nested2 test_tasklet_with_schedule
//   test_exec_tasklet test_send_recv test_atomic test_exception test_pickle test_run_return.
//   They drive the scheduler with pre-emptive run(n) (a bytecode budget) or pickle tasklets;
//   JavaScript tasklets are never pre-empted and are not picklable.
// - TestWatchdogSoft (test_channelchain and the 11 inherited tests): soft-switching pre-emption.
// - TestNewWatchdog: test_watchdog_on_tasklet_{soft,hard}, test_watchdog_priority_{soft,hard},
//   test_schedule_deeper_{soft,hard}: run(timeout) pre-emption.
// The watchdog-list checks of TestNewWatchdog's setUp/tearDown read interpreter internals; the
// port checks what they guard instead: after each test nothing is left in the scheduler.
import { expect } from 'chai';
import { RuntimeError, channel, getmain, run, schedule, type Tasklet } from '../../../lib/tasklets/index.js';
import { UserRuntimeError, ZeroDivisionError, raises, stacklessTestCase, tasklet } from './support.js';

describe('test_watchdog', function () {
  describe('TestWatchdog', function () {
    stacklessTestCase();

    it('test_lone_receive: run() returns when its only tasklet blocks on a channel nobody else knows', async function () {
      const t = tasklet(async () => {
        await channel<unknown>().receive();
      }).setup();
      await run();
      expect(t.blocked).to.equal(true);
      expect(t.alive).to.equal(true);
    });
  });

  describe('TestDeadlock', function () {
    stacklessTestCase();

    it('testReceiveOnMain: main blocking with nothing else runnable throws "Deadlock"', async function () {
      const c = channel<unknown>();
      await raises(() => c.receive(), RuntimeError, /Deadlock/);
      expect(c.balance).to.equal(0);
    });

    it('test_main_receiving_endttasklet: main blocked receiving is woken with "...receiving without a sender available." when the last tasklet ends', async function () {
      const c = channel<unknown>();
      const t = tasklet(async () => undefined).setup();
      await raises(() => c.receive(), RuntimeError, /^the main tasklet is receiving without a sender available\.$/);
      expect(t.alive).to.equal(false);
      expect(c.balance).to.equal(0);
    });

    it('test_main_sending_enddtasklet: main blocked sending is woken with "...sending without a receiver available." when the last tasklet ends', async function () {
      const c = channel<unknown>();
      const t = tasklet(async () => undefined).setup();
      await raises(() => c.send(null), RuntimeError, /^the main tasklet is sending without a receiver available\.$/);
      expect(t.alive).to.equal(false);
      expect(c.balance).to.equal(0);
    });

    it('test_main_gets_exception: an uncaught tasklet error is raised out of the receive() main is blocked in', async function () {
      const c = channel<unknown>();
      tasklet(async () => {
        throw new ZeroDivisionError('mumbai');
      }).setup();
      await raises(() => c.receive(), ZeroDivisionError, /mumbai/);
      expect(c.balance, 'main was pulled off the channel').to.equal(0);
    });

    it('test_tasklet_deadlock: a tasklet blocking while main is blocked and nothing else runs gets "Deadlock"', async function () {
      const mc = channel<null>();
      const seen: string[] = [];
      const t = tasklet(async () => {
        const c = channel<unknown>();
        await raises(() => c.receive(), RuntimeError, /^Deadlock: the last runnable tasklet cannot be blocked\.$/);
        seen.push('deadlock');
        await mc.send(null);
      }).setup();
      await mc.receive();
      expect(seen).to.deep.equal(['deadlock']);
      // the receiver (main) was preferred: the sender t is runnable again, behind it
      expect(t.alive).to.equal(true);
      expect(t.blocked).to.equal(false);
      expect(t.scheduled).to.equal(true);
      await run();
      expect(t.alive).to.equal(false);
    });

    it('test_tasklet_and_main_receive: the tasklet\'s uncaught "Deadlock" error goes on to the blocked main', async function () {
      const mc = channel<unknown>();
      const t = tasklet(async () => {
        await channel<unknown>().receive();
      }).setup();
      // main gets the tasklet's exception
      await raises(() => mc.receive(), RuntimeError, /^Deadlock: the last runnable tasklet cannot be blocked\.$/);
      expect(t.alive).to.equal(false);
      expect(mc.balance).to.equal(0);
    });

    it('test_error_propagation_when_not_deadlock: an uncaught error comes out of run() while another tasklet is still runnable', async function () {
      const t1 = tasklet(async () => {
        await schedule();
      }).setup();
      const t2 = tasklet(async () => {
        throw new ZeroDivisionError('bar');
      }).setup();
      await raises(() => run(), ZeroDivisionError, /bar/);
      expect(t2.alive).to.equal(false);
      expect(t1.alive, 'the other tasklet stays queued').to.equal(true);
      expect(t1.scheduled).to.equal(true);
    });
  });

  describe('TestNewWatchdog', function () {
    stacklessTestCase();
    let done: number;
    let worker: Tasklet;

    beforeEach(function () {
      done = 0;
      worker = tasklet(async () => {
        await schedule();
        done += 1;
      }).setup();
    });

    it('test_run_from_worker: run() called by a tasklet while main keeps running returns only when main leaves the ring', async function () {
      const t = tasklet(async () => {
        await run();
        done += 1;
      }).setup();
      // main runs as a normal tasklet now
      while (!done) await schedule();
      // the runner is still paused, because the main tasklet was not blocked
      expect(done).to.equal(1);
      expect(t.paused).to.equal(true);
      // make the runner exit
      await t.run();
      expect(done).to.equal(2);
      expect(t.alive).to.equal(false);
      expect(worker.alive).to.equal(false);
    });

    it('test_run_from_worker_main_blocked: a tasklet\'s run() returns once main blocks and the others finish', async function () {
      const c = channel<null>();
      tasklet(async () => {
        await run();
        done += 1;
        await c.send(null);
      }).setup();
      // main blocks
      await c.receive();
      expect(done).to.equal(2);
    });

    it('test_run_from_worker_main_running: main\'s run() starts a tasklet whose own nested run() completes first', async function () {
      const inner: number[] = [];
      tasklet(async () => {
        await run();
        inner.push(done);
        done += 1;
      }).setup();
      // main calls run
      await run();
      expect(inner).to.deep.equal([1]);
      expect(done).to.equal(2);
    });

    it('test_inner_run_completes_first: the outer run() (main) stays paused while the inner one completes', async function () {
      const mainPaused: boolean[] = [];
      tasklet(async () => {
        await run();
        mainPaused.push(getmain().paused);
        done += 1;
      }).setup();
      await run();
      expect(mainPaused).to.deep.equal([true]);
      expect(done).to.equal(2);
    });

    it('test_inner_run_gets_error: an uncaught error goes to the innermost run()', async function () {
      tasklet(async () => {
        tasklet(async () => {
          throw new UserRuntimeError('foo');
        }).setup();
        await raises(() => run(), UserRuntimeError, /foo/);
        done += 1;
      }).setup();
      await run();
      expect(done).to.equal(2);
    });

    it('test_manual_wakeup: getmain().run() from a tasklet ends main\'s run() early and makes the inner run() caller runnable again', async function () {
      tasklet(async () => {
        tasklet(async () => {
          await getmain().run();
          done += 1;
        }).setup();
        await run();
        done += 1;
      }).setup();
      await run();
      expect(done, 'only the worker has run now').to.equal(1);
      // empty all tasklets
      await run();
      expect(done, 'all tasklets have completed').to.equal(3);
    });

    it('test_main_exiting: a tasklet\'s run() does not return while main is still runnable; main can kill it', async function () {
      const t = tasklet(async () => {
        await run();
        done += 1;
      }).setup();
      // let the scheduler run
      while (!done) await schedule();
      expect(done, 'only the worker has finished').to.equal(1);
      // now run() here: nothing happens, because the other watchdog is not runnable
      await run();
      expect(done).to.equal(1);
      await run();
      expect(done, 'the other tasklet is blocked').to.equal(1);
      await schedule();
      expect(done, 'the other tasklet will not leave its run() while main is runnable').to.equal(1);
      expect(t.alive).to.equal(true);
      await t.kill();
      expect(t.alive).to.equal(false);
    });
  });
});
