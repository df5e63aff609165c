// Port of Stackless/unittests/test_miscell.py (Stackless 3.7-slp).
//
// Not ported (Python-only: they test CPython internals):
// - TestWatchdog (test_aliveness1..3): pre-emptive run(n), recursion_depth and pickling.
// - TestKill: test_kill_thread_without_main_tasklet and
//   test_kill_without_thread_state_{nl0,nl1,blocked_nl0,blocked_nl1}: OS threads and C state.
// - TestContextManager (test_nestingLevel, test_tasklet_switch_in_exitfunc_after_return): nesting
//   levels and soft switching inside a C-level context manager exit.
// - TestBind: test_unbind_fail_cstate, test_unbind_main, test_rebind_main,
//   test_rebind_recursion_depth, test_unbind_fail_cstate_no_thread: C state, threads, recursion
//   depth. The weakref checks inside test_bind / test_unbind_ok are GC details and are left out
//   of those two ports.
// - TestModule (debug, uncollectables, threads), TestCstate, TestTaskletFinalizer: interpreter
//   internals.
// - The tests generated from test.test_contextlib (AsTaskletTestCase copies of CPython's suite).
import { expect } from 'chai';
import {
  TaskletExit,
  atomic,
  channel,
  getcurrent,
  getruncount,
  run,
  schedule,
  scheduleRemove,
  setErrorHandler,
  switchTrap,
  type Channel,
  type Tasklet,
  RuntimeError,
} from '../../../lib/tasklets/index.js';
import {
  IndexError,
  NotImplementedError,
  ZeroDivisionError,
  asTasklet,
  raises,
  stacklessTestCase,
  tasklet,
} from './support.js';

/** switch_trapped(): raises the switch trap level by one for the duration of `body`. */
async function switchTrapped(body: () => Promise<void>): Promise<void> {
  switchTrap(1);
  try {
    await body();
  } finally {
    switchTrap(-1);
  }
}

describe('test_miscell', function () {
  describe('TestTaskletSwitching', function () {
    stacklessTestCase();

    it('test_raise_exception: raiseException(cls) raises cls() out of the blocked receive() of a started tasklet', async function () {
      const c = channel<unknown>();
      let raised = false;
      const foo = async () => {
        await raises(() => c.receive(), IndexError);
        raised = true;
      };
      const s = tasklet(foo).setup();
      await s.run(); // necessary, since raiseException won't automatically run it
      await s.raiseException(IndexError);
      expect(raised).to.equal(true);
      expect(s.alive).to.equal(false);
      expect(c.balance).to.equal(0);
    });

    it('test_run: t.run() runs the tasklet at once', async function () {
      let flag = false;
      const s = tasklet(async () => {
        flag = true;
      }).setup();
      await s.run();
      expect(flag).to.equal(true);
      expect(s.alive).to.equal(false);
    });

    it('test_switch_to_current: switching to the current tasklet twice is a harmless no-op', async function () {
      const current = getcurrent();
      await current.switch();
      await current.switch(); // this second switch used to trigger an assertion violation
      expect(current.isCurrent).to.equal(true);
      expect(getruncount()).to.equal(1);
    });
  });

  for (const pending of [false, true]) {
    const className = pending ? 'TestTaskletThrowNonImmediate' : 'TestTaskletThrowImmediate';
    const variant = pending ? 'with pending=true the target runs only when next scheduled' : 'with pending=false the target runs at once';
    const throwTo = (s: Tasklet, error: unknown) => s.throw(error as Error, { pending });
    const aftercheck = async (s: Tasklet) => {
      if (!pending) {
        expect(s.alive, 'the tasklet ran immediately').to.equal(false);
      } else {
        expect(s.alive, 'after the throw, the tasklet still has not run').to.equal(true);
        await s.run();
        expect(s.alive).to.equal(false);
      }
    };

    describe(`${className} (TestTaskletThrowBase)`, function () {
      stacklessTestCase();

      it(`test_throw_noargs: throwing an IndexError into a tasklet blocked in receive() raises it there (${variant})`, async function () {
        const c = channel<unknown>();
        let caught = 0;
        const s = tasklet(async () => {
          await raises(() => c.receive(), IndexError);
          caught += 1;
        }).setup();
        await s.run(); // it needs to have started to run
        await throwTo(s, new IndexError());
        await aftercheck(s);
        expect(caught).to.equal(1);
        expect(c.balance).to.equal(0);
      });

      it(`test_throw_args: the thrown error arrives with its arguments (${variant})`, async function () {
        const c = channel<unknown>();
        const seen: unknown[] = [];
        const s = tasklet(async () => {
          try {
            await c.receive();
          } catch (e) {
            expect(e).to.be.instanceOf(IndexError);
            seen.push((e as IndexError).args);
          }
        }).setup();
        await s.run();
        await throwTo(s, new IndexError(1, 2, 3));
        await aftercheck(s);
        expect(seen).to.deep.equal([[1, 2, 3]]);
      });

      it(`test_throw_inst: the very error instance thrown is the one caught (${variant})`, async function () {
        const c = channel<unknown>();
        const err = new IndexError(1, 2, 3);
        const seen: unknown[] = [];
        const s = tasklet(async () => {
          try {
            await c.receive();
          } catch (e) {
            seen.push(e);
          }
        }).setup();
        await s.run();
        await throwTo(s, err);
        await aftercheck(s);
        expect(seen).to.have.length(1);
        expect(seen[0]).to.equal(err);
        expect((seen[0] as IndexError).args).to.deep.equal([1, 2, 3]);
      });

      it(`test_throw_exc_info: an error caught in the thrower is forwarded as is (${variant})`, async function () {
        const c = channel<unknown>();
        const seen: unknown[] = [];
        const s = tasklet(async () => {
          try {
            await c.receive();
          } catch (e) {
            seen.push(e);
          }
        }).setup();
        await s.run();
        function errfunc(): never {
          throw new ZeroDivisionError('division by zero');
        }
        try {
          errfunc();
        } catch (e) {
          await throwTo(s, e);
        }
        await aftercheck(s);
        expect(seen).to.have.length(1);
        expect(seen[0]).to.be.instanceOf(ZeroDivisionError);
      });

      it(`test_throw_traceback: the forwarded error keeps the thrower's stack, naming errfunc (${variant})`, async function () {
        const c = channel<unknown>();
        const stacks: string[] = [];
        const s = tasklet(async () => {
          try {
            await c.receive();
          } catch (e) {
            stacks.push(String((e as Error).stack));
          }
        }).setup();
        await s.run();
        function errfunc(): never {
          throw new ZeroDivisionError('division by zero');
        }
        try {
          errfunc();
        } catch (e) {
          await throwTo(s, e);
        }
        await aftercheck(s);
        expect(stacks).to.have.length(1);
        expect(stacks[0]).to.match(/\berrfunc\b/);
      });

      it(`test_new: an error thrown into a never-started tasklet is its uncaught error and reaches main (${variant})`, async function () {
        const c = channel<unknown>();
        let ran = false;
        const s = tasklet(async () => {
          ran = true;
          await c.receive();
        }).setup();
        expect(s.alive).to.equal(true);
        // the "unhandled exception" behaviour is invoked for the not-yet-running tasklet
        if (!pending) {
          await raises(() => throwTo(s, new IndexError()), IndexError);
        } else {
          await throwTo(s, new IndexError());
          expect(s.alive).to.equal(true);
          await raises(() => run(), IndexError);
        }
        expect(ran, 'the function of a tasklet thrown into before it started never runs').to.equal(false);
        expect(s.alive).to.equal(false);
      });

      it(`test_kill_new: throwing TaskletExit into a never-started tasklet kills it without running it (in ${className})`, async function () {
        let ran = false;
        const s = tasklet(async () => {
          ran = true;
        }).setup();
        // upstream calls s.throw(TaskletExit) directly here, non-pending in both variants
        await s.throw(new TaskletExit());
        await run();
        expect(ran, 'should not run this').to.equal(false);
        expect(s.alive).to.equal(false);
        await raises(() => s.run(), RuntimeError, /dead/);
      });

      it(`test_dead: throwing an ordinary error at a dead tasklet throws "You cannot throw to a dead tasklet" (${variant})`, async function () {
        const c = channel<null>();
        const s = tasklet(async () => {
          await c.receive();
        }).setup();
        await s.run();
        await c.send(null);
        await run();
        expect(s.alive).to.equal(false);
        await raises(() => throwTo(s, new IndexError()), RuntimeError, /^You cannot throw to a dead tasklet$/);
      });

      it(`test_kill_dead: throwing TaskletExit at a dead tasklet does nothing (${variant})`, async function () {
        const c = channel<null>();
        const s = tasklet(async () => {
          await c.receive();
        }).setup();
        await s.run();
        await c.send(null);
        await run();
        expect(s.alive).to.equal(false);
        // nothing should happen here
        await throwTo(s, new TaskletExit());
        expect(s.alive).to.equal(false);
        expect(getruncount()).to.equal(1);
      });

      it(`test_throw_invalid: throw() without an error, or with an error and a stray value, is a TypeError (${variant})`, async function () {
        const s = getcurrent();
        await raises(() => (s.throw as (...a: unknown[]) => unknown)(), TypeError);
        await raises(() => (s.throw as (...a: unknown[]) => unknown)(new IndexError(1), [1, 2, 3], { pending }), TypeError);
        expect(s.alive).to.equal(true);
        expect(s.isCurrent).to.equal(true);
      });
    });
  }

  describe('TestSwitchTrap', function () {
    stacklessTestCase();

    it('test_schedule: schedule() under a switch trap throws "switch_trap"; after the trap it works', async function () {
      let ran = false;
      tasklet(async () => {
        ran = true;
      }).setup();
      await switchTrapped(async () => {
        await raises(() => schedule(), RuntimeError, /switch_trap/);
      });
      expect(ran).to.equal(false);
      await run();
      expect(ran).to.equal(true);
    });

    it('test_schedule_remove: scheduleRemove() under a switch trap throws "switch_trap"; after the trap it works', async function () {
      const main: Tasklet[] = [];
      tasklet(async () => {
        main[0].insert();
      }).setup();
      await switchTrapped(async () => {
        await raises(() => scheduleRemove(), RuntimeError, /switch_trap/);
      });
      main.push(getcurrent());
      await scheduleRemove();
      expect(getcurrent().isMain).to.equal(true);
    });

    it('test_run: run() under a switch trap throws "switch_trap"; after the trap it works', async function () {
      let ran = false;
      tasklet(async () => {
        ran = true;
      }).setup();
      await switchTrapped(async () => {
        await raises(() => run(), RuntimeError, /switch_trap/);
      });
      expect(ran).to.equal(false);
      await run();
      expect(ran).to.equal(true);
    });

    it('test_run_specific: t.run() under a switch trap throws "switch_trap"; after the trap it works', async function () {
      let ran = false;
      const s = tasklet(async () => {
        ran = true;
      }).setup();
      await switchTrapped(async () => {
        await raises(() => s.run(), RuntimeError, /switch_trap/);
      });
      expect(ran).to.equal(false);
      await s.run();
      expect(ran).to.equal(true);
    });

    it('test_run_paused: t.run() of a paused tasklet under a switch trap throws and leaves it paused', async function () {
      let ran = false;
      const s = tasklet(async () => {
        ran = true;
      });
      s.bind(null, []);
      expect(s.paused).to.equal(true);
      await switchTrapped(async () => {
        await raises(() => s.run(), RuntimeError, /switch_trap/);
      });
      expect(s.paused).to.equal(true);
      await run();
      expect(ran, 'a paused tasklet is not run by run()').to.equal(false);
      await s.run();
      expect(ran).to.equal(true);
    });

    it('test_send: a send that would switch under a switch trap throws "switch_trap"; after the trap it works', async function () {
      const c = channel<null>();
      let got = 0;
      tasklet(async () => {
        await c.receive();
        got += 1;
      }).setup();
      await switchTrapped(async () => {
        await raises(() => c.send(null), RuntimeError, /switch_trap/);
      });
      expect(c.balance).to.equal(0);
      await c.send(null);
      expect(got).to.equal(1);
    });

    it('test_send_throw: a sendThrow that would switch under a switch trap throws "switch_trap"; after the trap it works', async function () {
      const c = channel<null>();
      let got = 0;
      tasklet(async () => {
        await raises(() => c.receive(), NotImplementedError);
        got += 1;
      }).setup();
      await switchTrapped(async () => {
        await raises(() => c.sendThrow(new NotImplementedError()), RuntimeError, /switch_trap/);
      });
      await c.sendThrow(new NotImplementedError());
      expect(got).to.equal(1);
    });

    it('test_receive: a receive that would switch under a switch trap throws; after the trap it works', async function () {
      const c = channel<number>();
      tasklet(async () => {
        await c.send(1);
      }).setup();
      await switchTrapped(async () => {
        await raises(() => c.receive(), RuntimeError, /switch_trap/);
      });
      expect(c.balance).to.equal(0);
      expect(await c.receive()).to.equal(1);
    });

    it('test_receive_throw: a receive of a sent error under a switch trap throws "switch_trap"; after the trap the error arrives', async function () {
      const c = channel<number>();
      tasklet(async () => {
        await c.sendThrow(new NotImplementedError());
      }).setup();
      await switchTrapped(async () => {
        await raises(() => c.receive(), RuntimeError, /switch_trap/);
      });
      await raises(() => c.receive(), NotImplementedError);
    });

    it('test_raise_exception: raiseException under a switch trap throws "switch_trap"; after the trap it works', async function () {
      const c = channel<unknown>();
      let caught = 0;
      const s = tasklet(async () => {
        await raises(() => c.receive(), IndexError);
        caught += 1;
      }).setup();
      await s.run(); // necessary, since raiseException won't automatically run it
      await switchTrapped(async () => {
        await raises(() => s.raiseException(Error), RuntimeError, /switch_trap/);
      });
      expect(s.blocked).to.equal(true);
      await s.raiseException(IndexError);
      expect(caught).to.equal(1);
    });

    it('test_kill: kill under a switch trap throws "switch_trap"; after the trap it works', async function () {
      const c = channel<unknown>();
      let caught = 0;
      const s = tasklet(async () => {
        await raises(() => c.receive(), TaskletExit);
        caught += 1;
      }).setup();
      await s.run();
      await switchTrapped(async () => {
        await raises(() => s.kill(), RuntimeError, /switch_trap/);
      });
      expect(s.alive).to.equal(true);
      await s.kill();
      expect(caught).to.equal(1);
      expect(s.alive).to.equal(false);
    });

    it('test_run2: t.run() of a new tasklet under a switch trap throws "switch_trap"; after the trap it works', async function () {
      let ran = false;
      const s = tasklet(async () => {
        ran = true;
      }).setup();
      await switchTrapped(async () => {
        await raises(() => s.run(), RuntimeError, /switch_trap/);
      });
      await s.run();
      expect(ran).to.equal(true);
    });
  });

  describe('TestKill', function () {
    stacklessTestCase();

    it('test_kill_pending_true: kill({pending: true}) arms TaskletExit, raised only when the victim next runs', async function () {
      let killed = false;
      const t = tasklet(async () => {
        try {
          await schedule();
        } catch (e) {
          if (e instanceof TaskletExit) killed = true;
          throw e;
        }
      }).setup();
      await t.run();
      expect(killed).to.equal(false);
      await t.kill({ pending: true });
      expect(killed).to.equal(false);
      expect(t.alive).to.equal(true);
      await t.run();
      expect(killed).to.equal(true);
      expect(t.alive).to.equal(false);
    });

    it('test_kill_pending_False: kill({pending: false}) runs the victim at once and it gets TaskletExit', async function () {
      let killed = false;
      const t = tasklet(async () => {
        try {
          await schedule();
        } catch (e) {
          if (e instanceof TaskletExit) killed = true;
          throw e;
        }
      }).setup();
      await t.run();
      expect(killed).to.equal(false);
      await t.kill({ pending: false });
      expect(killed).to.equal(true);
      expect(t.alive).to.equal(false);
    });

    it('test_kill_current: a tasklet killing itself gets TaskletExit at the kill() call and dies silently', async function () {
      let killed = false;
      const t = tasklet(async () => {
        try {
          await getcurrent().kill();
        } catch (e) {
          if (e instanceof TaskletExit) killed = true;
          throw e;
        }
      }).setup();
      await t.run();
      expect(killed).to.equal(true);
      expect(t.alive).to.equal(false);
    });
  });

  describe('TestErrorHandler', function () {
    stacklessTestCase();
    let handled: number;
    let ran: number;
    let handledTasklet: Tasklet | null;
    type Handler = Parameters<typeof setErrorHandler>[0];

    beforeEach(function () {
      handled = ran = 0;
      handledTasklet = null;
    });
    afterEach(function () {
      expect(setErrorHandler(null), 'the error handler must be reset after each test').to.equal(null);
    });

    const handler = ((...args: unknown[]) => {
      expect(args.length).to.be.greaterThan(0);
      handled = 1;
      handledTasklet = getcurrent();
    }) as NonNullable<Handler>;
    const brokenHandler = (() => {
      handled = 1;
      throw new IndexError('we are the mods');
    }) as NonNullable<Handler>;
    const getHandler = () => {
      const h = setErrorHandler(null);
      setErrorHandler(h);
      return h;
    };
    const func = async (h: Handler) => {
      ran = 1;
      expect(getHandler()).to.equal(h);
      throw new ZeroDivisionError('I am broken');
    };
    async function withHandler<T>(h: Handler, body: () => Promise<T>): Promise<T> {
      const old = setErrorHandler(h);
      try {
        return await body();
      } finally {
        setErrorHandler(old);
      }
    }

    it('test_set: setErrorHandler returns the previous handler', function () {
      const foo = (() => undefined) as NonNullable<Handler>;
      expect(setErrorHandler(foo)).to.equal(null);
      expect(setErrorHandler(null)).to.equal(foo);
      expect(setErrorHandler(null)).to.equal(null);
    });

    it('test_handler: an uncaught tasklet error goes to the handler instead of run()', async function () {
      tasklet(func).setup(handler);
      await withHandler(handler, () => run());
      expect(ran).to.equal(1);
      expect(handled).to.equal(1);
    });

    it('test_borken_handler: an error thrown by the handler itself goes to run()', async function () {
      tasklet(func).setup(brokenHandler);
      await withHandler(brokenHandler, () => raises(() => run(), IndexError, /mods/));
      expect(ran).to.equal(1);
      expect(handled).to.equal(1);
    });

    it('test_early_hrow: an error thrown into a never-started tasklet reaches the handler and the function never runs', async function () {
      const s = tasklet(func).setup(handler);
      await withHandler(handler, () => s.throw(new ZeroDivisionError('thrown error')));
      expect(ran).to.equal(0);
      expect(handled).to.equal(1);
    });

    it('test_getcurrent: the handler runs in the dying tasklet', async function () {
      let s = tasklet(func).setup(handler);
      await withHandler(handler, () => s.throw(new ZeroDivisionError('thrown error')));
      expect(handledTasklet).to.equal(s);

      handledTasklet = null;
      s = tasklet(func).setup(handler);
      await withHandler(handler, () => s.run());
      expect(handledTasklet).to.equal(s);
    });

    it('test_throw_pending: a pending throw reaches the handler only when the tasklet next runs', async function () {
      const f = async (h: Handler) => {
        ran = 1;
        await schedule();
        await func(h);
      };
      const s = tasklet(f).setup(handler);
      await s.run();
      expect(ran).to.equal(1);
      expect(handled).to.equal(0);
      await withHandler(handler, () => s.throw(new ZeroDivisionError('thrown error'), { pending: true }));
      expect(handledTasklet).to.equal(null);
      await withHandler(handler, () => s.run());
      expect(handledTasklet).to.equal(s);
    });
  });

  describe('TestAtomic', function () {
    stacklessTestCase();

    it('testAtomic: setAtomic returns the previous flag and atomic reads it back', function () {
      const c = getcurrent();
      const old = c.atomic;
      try {
        expect(c.setAtomic(false)).to.equal(old);
        expect(c.atomic).to.equal(false);
        expect(c.setAtomic(true)).to.equal(false);
        expect(c.atomic).to.equal(true);
        expect(c.setAtomic(true)).to.equal(true);
        expect(c.atomic).to.equal(true);
        expect(c.setAtomic(false)).to.equal(true);
        expect(c.atomic).to.equal(false);
      } finally {
        c.setAtomic(old);
      }
      expect(c.atomic).to.equal(old);
    });

    it('testAtomicCtxt: atomic(fn) sets the flag while fn runs and restores it after', function () {
      const c = getcurrent();
      const old = c.atomic;
      c.setAtomic(false);
      try {
        const inside = atomic(() => getcurrent().atomic);
        expect(inside).to.equal(true);
        expect(c.atomic).to.equal(false);
      } finally {
        c.setAtomic(old);
      }
    });

    it('testAtomicNopCtxt: atomic(fn) on an already atomic tasklet keeps it atomic', function () {
      const c = getcurrent();
      const old = c.atomic;
      c.setAtomic(true);
      try {
        const inside = atomic(() => getcurrent().atomic);
        expect(inside).to.equal(true);
        expect(c.atomic).to.equal(true);
      } finally {
        c.setAtomic(old);
      }
    });
  });

  describe('TestSchedule (AsTaskletTestCase)', function () {
    stacklessTestCase();

    it('testSchedule: schedule() lets a new tasklet run while the caller stays scheduled', async function () {
      await asTasklet(async () => {
        const events: string[] = [];
        const seen: boolean[] = [];
        const t = tasklet(async (previous: Tasklet) => {
          events.push('foo');
          seen.push(previous.scheduled);
        }).setup(getcurrent());
        expect(t.scheduled).to.equal(true);
        await schedule();
        expect(events).to.deep.equal(['foo']);
        expect(seen).to.deep.equal([true]);
      });
    });

    it('testScheduleRemoveFail: scheduleRemove() parks the caller until another tasklet inserts it again', async function () {
      await asTasklet(async () => {
        const events: string[] = [];
        const seen: boolean[] = [];
        tasklet(async (previous: Tasklet) => {
          events.push('foo');
          seen.push(previous.scheduled);
          previous.insert();
          seen.push(previous.scheduled);
        }).setup(getcurrent());
        await scheduleRemove();
        expect(events).to.deep.equal(['foo']);
        expect(seen).to.deep.equal([false, true]);
      });
    });
  });

  describe('TestBind', function () {
    stacklessTestCase();
    let finallyRunCount: number;
    let args: unknown[] | null;

    beforeEach(function () {
      finallyRunCount = 0;
      args = null;
    });
    const task = async () => {
      try {
        await scheduleRemove(null);
      } finally {
        finallyRunCount += 1;
      }
    };
    const argstest = (...a: unknown[]) => {
      args = a;
    };

    it('test_bind: bind(null) leaves an unbound tasklet alone; bind(f) + setup() runs it; paused in scheduleRemove it is alive', async function () {
      const t = tasklet();
      expect(t.alive).to.equal(false);
      t.bind(null); // must not change the tasklet
      expect(t.alive).to.equal(false);
      expect(t.scheduled).to.equal(false);

      t.bind(task);
      t.setup();
      await run();
      expect(t.scheduled).to.equal(false);
      expect(t.alive).to.equal(true);
      expect(t.paused).to.equal(true);

      t.insert();
      await run();
      expect(t.alive).to.equal(false);
      expect(finallyRunCount).to.equal(1);
    });

    it('test_bind_fail_not_callable: binding something that is not a function is a TypeError mentioning "callable"', function () {
      class C {}
      expect(() => (getcurrent().bind as (f: unknown) => unknown)(new C())).to.throw(TypeError, /callable/);
    });

    it('test_unbind_ok: unbinding a paused tasklet makes it dead without running its finally block', async function () {
      const t = tasklet(task).setup();
      // prepare a paused tasklet
      await run();
      expect(t.scheduled).to.equal(false);
      expect(t.alive).to.equal(true);
      t.bind(null);
      expect(t.alive).to.equal(false);
      expect(t.paused).to.equal(false);
      await run();
      expect(finallyRunCount).to.equal(0);
    });

    it('test_unbind_fail_current: unbinding the current tasklet throws "can\'t (re)bind the current tasklet"', function () {
      expect(() => getcurrent().bind(null)).to.throw(RuntimeError, /current tasklet/);
      expect(getcurrent().alive).to.equal(true);
    });

    it('test_unbind_fail_scheduled: unbinding a scheduled tasklet throws "tasklet is scheduled"', async function () {
      const t = tasklet(task).setup();
      // prepare a paused tasklet
      await run();
      t.insert();
      expect(t.scheduled).to.equal(true);
      expect(t.alive).to.equal(true);
      expect(() => t.bind(null)).to.throw(RuntimeError, /scheduled/);
      expect(t.alive).to.equal(true);
      expect(t.scheduled).to.equal(true);
    });

    it('test_bind_noargs: a tasklet bound to a function but given no arguments is not alive and cannot run', async function () {
      const t = tasklet(task);
      t.bind(argstest);
      expect(t.alive).to.equal(false);
      await raises(() => t.run(), RuntimeError, /^You cannot run an unbound\(dead\) tasklet$/);
      expect(args).to.equal(null);
    });

    it('test_bind_args: bind(f, args) prepares the call and t.run() calls f(...args)', async function () {
      const theArgs = ['foo', 'bar'];
      let t = tasklet(task);
      t.bind(argstest, theArgs);
      await t.run();
      expect(args).to.deep.equal(theArgs);

      args = null;
      t = tasklet(task);
      t.bind(argstest, theArgs, undefined);
      await t.run();
      expect(args).to.deep.equal(theArgs);
    });

    it('test_bind_kwargs: bind(f, null, kwargs) calls f with the keyword options as its one argument', async function () {
      const kwargs = { hello: 'world' };
      let t = tasklet(task);
      t.bind(argstest, null, kwargs);
      await t.run();
      expect(args).to.deep.equal([kwargs]);

      args = null;
      t = tasklet(task);
      t.bind(argstest, undefined, kwargs);
      await t.run();
      expect(args).to.deep.equal([kwargs]);
    });

    it('test_bind_args_kwargs: bind(f, args, kwargs) calls f(...args, kwargs)', async function () {
      const theArgs = ['foo', 'bar'];
      const kwargs = { hello: 'world' };
      const t = tasklet(task);
      t.bind(argstest, theArgs, kwargs);
      await t.run();
      expect(args).to.deep.equal([...theArgs, kwargs]);
    });

    it('test_bind_args_kwargs_nofunc: bind(null, args, kwargs) keeps the function already bound', async function () {
      const theArgs = ['foo', 'bar'];
      const kwargs = { hello: 'world' };
      let t = tasklet(argstest);
      t.bind(null, theArgs, kwargs);
      await t.run();
      expect(args).to.deep.equal([...theArgs, kwargs]);

      args = null;
      t = tasklet(argstest);
      t.bind(undefined, theArgs, kwargs);
      await t.run();
      expect(args).to.deep.equal([...theArgs, kwargs]);
    });

    it('test_bind_args_not_runnable: binding arguments makes the tasklet alive but not scheduled; t.run() still runs it', async function () {
      const theArgs = ['foo', 'bar'];
      const t = tasklet(task);
      t.bind(argstest, theArgs, { hello: 'world' });
      expect(t.scheduled).to.equal(false);
      expect(t.alive).to.equal(true);
      expect(t.paused).to.equal(true);
      await t.run();
      expect(args).to.deep.equal([...theArgs, { hello: 'world' }]);
    });

    it('test_setup_fail_alive: setup() on an alive tasklet (here the current one) throws "tasklet is alive"', async function () {
      const errors: unknown[] = [];
      const t = tasklet(async () => {
        const me = getcurrent();
        me.tempval = () => undefined;
        expect(me.alive).to.equal(true);
        try {
          me.setup();
        } catch (e) {
          errors.push(e);
        }
      });
      t.bind(null, []);
      await t.run();
      expect(t.alive).to.equal(false);
      expect(errors).to.have.length(1);
      expect(String((errors[0] as Error).message)).to.match(/^tasklet is alive$/);
    });
  });

  describe('TestSwitch', function () {
    stacklessTestCase();
    let source: Tasklet;
    let finished: boolean;
    let c: Channel<null>;
    const pausedSeen: boolean[] = [];

    beforeEach(function () {
      source = getcurrent();
      finished = false;
      c = channel<null>();
      pausedSeen.length = 0;
    });
    const target = async () => {
      pausedSeen.push(source.paused);
      source.insert();
      finished = true;
    };
    const blockedTarget = async () => {
      await c.receive();
      finished = true;
    };

    it('test_switch: t.switch() runs the target and pauses the caller until someone inserts it', async function () {
      const t = tasklet(target).setup();
      await t.switch();
      expect(finished).to.equal(true);
      expect(pausedSeen).to.deep.equal([true]);
    });

    it('test_switch_self: switching to oneself is a no-op', async function () {
      const t = getcurrent();
      await t.switch();
      expect(t.isCurrent).to.equal(true);
      expect(t.paused).to.equal(false);
    });

    it('test_switch_blocked: switching to a blocked tasklet throws "You cannot run a blocked tasklet"', async function () {
      const t = tasklet(blockedTarget).setup();
      await t.run();
      expect(t.blocked).to.equal(true);
      await raises(() => t.switch(), RuntimeError, /^You cannot run a blocked tasklet$/);
      expect(t.blocked).to.equal(true);
      await c.send(null);
      expect(finished).to.equal(true);
    });

    it('test_switch_paused: switching to a paused (bound, not scheduled) tasklet runs it', async function () {
      const t = tasklet(target);
      t.bind(null, []);
      expect(t.paused).to.equal(true);
      await t.switch();
      expect(finished).to.equal(true);
      expect(pausedSeen).to.deep.equal([true]);
    });

    it('test_switch_trapped: t.switch() under a switch trap throws "switch_trap" and changes nothing', async function () {
      const t = tasklet(target).setup();
      expect(t.paused).to.equal(false);
      await switchTrapped(async () => {
        await raises(() => t.switch(), RuntimeError, /switch_trap/);
      });
      expect(t.paused).to.equal(false);
      expect(finished).to.equal(false);
      await t.switch();
      expect(finished).to.equal(true);
    });

    it('test_switch_self_trapped: switching to oneself is allowed under a switch trap', async function () {
      const t = getcurrent();
      await switchTrapped(async () => {
        await t.switch(); // ok, switching to ourselves!
      });
      expect(t.isCurrent).to.equal(true);
    });

    it('test_switch_blocked_trapped: switching to a blocked tasklet under a switch trap still says "blocked"', async function () {
      const t = tasklet(blockedTarget).setup();
      await t.run();
      expect(t.blocked).to.equal(true);
      await switchTrapped(async () => {
        await raises(() => t.switch(), RuntimeError, /blocked/);
      });
      expect(t.blocked).to.equal(true);
      await c.send(null);
      expect(finished).to.equal(true);
    });

    it('test_switch_paused_trapped: switching to a paused tasklet under a switch trap throws and leaves it paused', async function () {
      const t = tasklet(target);
      t.bind(null, []);
      expect(t.paused).to.equal(true);
      await switchTrapped(async () => {
        await raises(() => t.switch(), RuntimeError, /switch_trap/);
      });
      expect(t.paused).to.equal(true);
      await t.switch();
      expect(finished).to.equal(true);
    });
  });
});
