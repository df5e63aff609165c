// Port of Stackless/unittests/test_defects.py (Stackless 3.7-slp).
//
// Not ported (Python-only: they test CPython internals):
// - TestTaskletDel (testTempval testTasklet testCrash1 test_tasklet_dealloc_in_thread_shutdown):
//   __del__ finalisers, gc.collect() and threads.
// - TestInfiniteRecursion (testDirectRecursion testIndirectDirectRecursion): the interpreter's
//   recursion check on __call__.
// - TestCrashUponFrameUnpickling, TestCPickleBombHandling, TestFrameClear: frame pickling and
//   C-level frames.
// - TestShutdown (test_cstack_new test_interthread_kill
//   test_tasklet_end_with_wrong_recursion_level): interpreter shutdown, threads, C stacks.
// - TestContextManager, TestUnwinding: C-level unwinding details of soft switching.
import { expect } from 'chai';
import {
  Tasklet,
  channel,
  getcurrent,
  getmain,
  getruncount,
  run,
  scheduleRemove,
  setScheduleCallback,
} from '../../../lib/tasklets/index.js';
import { addObserver, removeObserver, type LogEvent } from '../../../lib/log/index.js';
import { raises, stacklessTestCase, tasklet } from './support.js';

describe('test_defects', function () {
  describe('Schedule', function () {
    stacklessTestCase();

    it('testScheduleRemove: scheduleRemove() by the only tasklet under run() just ends run(); the tasklet stays paused', async function () {
      let reached = false;
      await run(); // flush all runnables
      const t = tasklet(async () => {
        await scheduleRemove();
        reached = true; // we should not be here
      }).setup();
      await run();
      expect(t.alive).to.equal(true);
      expect(t.paused).to.equal(true);
      await t.kill(); // avoid leaving a paused tasklet behind
      expect(t.alive).to.equal(false);
      expect(reached, 'a killed tasklet does not return from scheduleRemove()').to.equal(false);
    });

    it('testScheduleRemove2: scheduleRemove() by the last runnable tasklet while main is blocked throws "Deadlock"', async function () {
      const errors: unknown[] = [];
      await run(); // flush all runnables
      const chan = channel<null>();
      tasklet(async (ch: typeof chan) => {
        try {
          await scheduleRemove();
        } catch (e) {
          errors.push(e);
        }
        await ch.send(null);
      }).setup(chan);
      await chan.receive();
      expect(errors).to.have.length(1);
      expect(String((errors[0] as Error).message)).to.match(/^Deadlock: the last runnable tasklet cannot be blocked\.$/);
    });

    it('testScheduleRemove3: a tasklet that schedule-removes itself under run() is left paused and run() returns', async function () {
      const t = tasklet(async () => {
        await scheduleRemove(null);
      }).setup();
      await run();
      expect(t.alive).to.equal(true);
      expect(t.paused).to.equal(true);
      expect(getruncount()).to.equal(1);
    });

    it('testScheduleRemove4: main schedule-removing itself while a tasklet does the same: main is revived and goes on', async function () {
      const t = tasklet(async () => {
        await scheduleRemove(null);
      }).setup();
      await scheduleRemove(null);
      expect(getcurrent()).to.equal(getmain());
      expect(t.alive).to.equal(true);
      expect(t.paused).to.equal(true);
    });
  });

  describe('Channel', function () {
    stacklessTestCase();

    it('testTemporaryChannel: run() returns when its only tasklet blocks on a temporary channel', async function () {
      const t = tasklet(async () => {
        await channel<unknown>().receive();
      }).setup();
      await run();
      expect(t.blocked).to.equal(true);
    });

    it('testTemporaryChannel2: run() returns when one tasklet blocks on a temporary channel and the other ends', async function () {
      let f2ran = false;
      const t1 = tasklet(async () => {
        await channel<unknown>().receive();
      }).setup();
      const t2 = tasklet(async () => {
        f2ran = true;
      }).setup();
      await run();
      expect(t1.blocked).to.equal(true);
      expect(t2.alive).to.equal(false);
      expect(f2ran).to.equal(true);
    });
  });

  describe('TestExceptionInScheduleCallback', function () {
    stacklessTestCase();

    it('testExceptionInScheduleCallback: a schedule callback that throws is reported and ignored; scheduling goes on', async function () {
      const calls: [Tasklet | null, Tasklet | null][] = [];
      const reported: LogEvent[] = [];
      const observer = (event: LogEvent) => {
        if (event.isError) reported.push(event);
      };
      addObserver(observer);
      setScheduleCallback((prev, next) => {
        calls.push([prev, next]);
        if (next?.isMain) throw new Error('scheduleCallback');
      });
      let ran = false;
      const t = tasklet(async () => {
        ran = true;
      });
      try {
        t.setup();
        await run();
      } finally {
        setScheduleCallback(null);
        removeObserver(observer);
      }
      expect(ran).to.equal(true);
      expect(t.alive).to.equal(false);
      expect(calls.some(([, next]) => next?.isMain === true), 'the callback saw the switch back to main').to.equal(true);
      expect(reported.length, 'the callback\'s error is reported').to.be.greaterThan(0);
      expect(reported.map((e) => String((e.failure?.value as Error | undefined)?.message))).to.include('scheduleCallback');
      expect(getruncount()).to.equal(1);
    });
  });

  describe('TestStacklessProtokoll', function () {
    stacklessTestCase();

    it('test_invalid_args_channel_next: the channel iterator\'s next() rejects an argument with a TypeError', async function () {
      const it = channel<unknown>()[Symbol.asyncIterator]();
      await raises(() => (it.next as (...a: unknown[]) => unknown)(null), TypeError);
    });

    it('test_invalid_args_tasklet_kill: kill() with arguments that are not its options is a TypeError', async function () {
      const t = tasklet();
      await raises(() => (t.kill as (...a: unknown[]) => unknown)(false, null), TypeError);
      expect(t.alive).to.equal(false);
    });
  });
});
