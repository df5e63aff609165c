// The "Stackless Python meets Twisted Matrix" bridge: deferredTasklet,
// blockingTasklet, blockOn, as wrappers and as TC39 method decorators.
import { expect } from 'chai';
import { Deferred, fail, succeed } from '../../lib/defer/index.js';
import {
  blockOn,
  blockingTasklet,
  channel,
  deferredTasklet,
  getcurrent,
  getmain,
  run,
  schedule,
  tasklet,
  type Tasklet,
} from '../../lib/tasklets/index.js';
import { blockingTaskletDeferred } from '../../lib/tasklets/bridge.js';
import { endJob } from '../../lib/tasklets/scheduler/lifecycle.js';
import { endsItself } from '../../lib/tasklets/stepBody.js';
import { RuntimeError } from '../../lib/tasklets/errors.js';
import { cleanScheduler, tick } from './helpers.js';

describe('tasklets bridge: deferredTasklet', function () {
  cleanScheduler();

  it('runs fn in a new tasklet synchronously up to its first blocking operation, then returns an unfired Deferred', async function () {
    const log: string[] = [];
    const ch = channel<number>();
    let inside: Tasklet | null = null;
    const f = deferredTasklet(async (x: number) => {
      inside = getcurrent();
      log.push('f-start');
      const y = await ch.receive();
      log.push('f-end');
      return x + y;
    });
    const d = f(1);
    log.push('caller');
    expect(log).to.deep.equal(['f-start', 'caller']);
    expect(inside).to.not.equal(getmain());
    expect(d.called).to.equal(false);
    expect(ch.balance).to.equal(-1);
    await ch.send(41);
    await run();
    expect(d.called).to.equal(true);
    expect(d.result).to.equal(42);
  });

  it('a plain function that does not block gives an already-fired Deferred (fast(1) -> called, 2)', function () {
    const fast = deferredTasklet((x: number) => x + 1);
    const d = fast(1);
    expect(d.called).to.equal(true);
    expect(d.result).to.equal(2);
  });

  it('a failure errbacks the Deferred (the article dropped it)', async function () {
    const f = deferredTasklet(async () => {
      await schedule();
      throw new TypeError('bad');
    });
    const d = f();
    await run();
    let caught: unknown = null;
    await d.then(undefined, (e: unknown) => (caught = e));
    expect(caught).to.be.instanceOf(TypeError);
  });

  it('a killed tasklet leaves the Deferred unfired and reports nothing', async function () {
    const ch = channel<number>();
    let t: Tasklet | null = null;
    const d = deferredTasklet(async () => {
      t = getcurrent();
      await ch.receive();
    })();
    await (t as unknown as Tasklet).kill();
    expect(d.called).to.equal(false);
    expect(ch.balance).to.equal(0);
  });

  it('as a method decorator it keeps this, name and length', async function () {
    class Svc {
      factor = 3;
      @deferredTasklet
      async times(x: number, _y?: number): Promise<number> {
        await schedule();
        return x * this.factor;
      }
    }
    const s = new Svc();
    expect(s.times.name).to.equal('times');
    expect(s.times.length).to.equal(2);
    const d = s.times(5) as unknown as Deferred<number>;
    await run();
    expect(d.result).to.equal(15);
  });
});

describe('tasklets bridge: blockingTasklet', function () {
  cleanScheduler();

  it('from a tasklet it suspends the caller until the new tasklet returns: W> add-start add-end W< 5', async function () {
    const log: string[] = [];
    const add = blockingTasklet(async (a: number, b: number) => {
      log.push('add-start');
      await schedule();
      log.push('add-end');
      return a + b;
    });
    tasklet(async () => {
      log.push('W>');
      const r = await add(2, 3);
      log.push(`W< ${r}`);
    }).setup();
    await run();
    expect(log.join(' ')).to.equal('W> add-start add-end W< 5');
  });

  it('from a tasklet a failure is thrown out of the call', async function () {
    const bad = blockingTasklet(async () => {
      await schedule();
      throw new RangeError('nope');
    });
    let caught: unknown = null;
    tasklet(async () => {
      await bad().then(undefined, (e: unknown) => (caught = e));
    }).setup();
    await run();
    expect(caught).to.be.instanceOf(RangeError);
  });

  it('from a function that finishes without blocking, the caller gets the result at once (the article hung)', async function () {
    const quick = blockingTasklet((x: number) => x * 2);
    let got = 0;
    tasklet(async () => {
      got = await quick(21);
    }).setup();
    await run();
    expect(got).to.equal(42);
  });

  it('outside any tasklet it returns a Deferred (Python raised "Cannot block in reactor task")', async function () {
    const add = blockingTasklet(async (a: number, b: number) => {
      await schedule();
      return a + b;
    });
    const d = add(1, 2);
    expect(d).to.be.instanceOf(Deferred);
    expect(await d).to.equal(3);
  });

  it('outside any tasklet its Deferred fires once plain code has the turn back, never inside a tasklet\'s turn', async function () {
    const ch = channel<string>();
    const seen: string[] = [];
    // Another tasklet is still running when the called function returns: the Deferred waits for it.
    tasklet(async () => {
      seen.push(`other got ${await ch.receive()}`);
      await schedule();
      seen.push('other done');
    }).setup();
    const call = blockingTasklet(async () => {
      await ch.send('x');
      seen.push('call returns');
      return 7;
    });
    const d = call() as Deferred<number>;
    d.addCallback((v: number) => {
      seen.push(`fired ${v} in ${getcurrent() === getmain() ? 'main' : String(getcurrent())}`);
      return v;
    });
    expect(await d).to.equal(7);
    expect(seen).to.deep.equal(['other got x', 'call returns', 'other done', 'fired 7 in main']);
  });

  it('outside any tasklet a failure errbacks its Deferred; a killed tasklet leaves it unfired', async function () {
    const bad = blockingTasklet(async () => {
      await schedule();
      throw new RangeError('nope');
    });
    let caught: unknown = null;
    await bad().then(undefined, (e: unknown) => (caught = e));
    expect(caught).to.be.instanceOf(RangeError);
    let victim: Tasklet | null = null;
    const ch = channel<number>();
    const stuck = blockingTasklet(async () => {
      victim = getcurrent();
      return ch.receive();
    });
    const d = stuck() as Deferred<number>;
    await tick();
    await (victim as unknown as Tasklet).kill();
    await tick();
    expect(d.called).to.equal(false);
  });
});

describe('tasklets bridge: jobs that end themselves (internal: the ChannelProcessor call tasklet)', function () {
  cleanScheduler();

  it('endJob outside the body of such a job is refused with RuntimeError', async function () {
    expect(() => endJob(false, 1)).to.throw(RuntimeError, 'endJob() called outside the body of a job that ends itself');
    let caught: unknown = null;
    tasklet(async () => {
      try {
        endJob(false, 1);
      } catch (e) {
        caught = e;
      }
    }).setup();
    await run();
    expect(caught).to.be.instanceOf(RuntimeError);
  });

  it('a body that ends itself gives its outcome to its caller, and its tasklet is dead at once', async function () {
    const ch = channel<number>();
    let me: Tasklet | null = null;
    const body = endsItself(async function twice(x: number): Promise<void> {
      me = getcurrent();
      let v: unknown;
      let failed = false;
      try {
        v = (await ch.receive()) * x;
      } catch (e) {
        failed = true;
        v = e;
      }
      endJob(failed, v);
      expect((me as unknown as Tasklet).alive).to.equal(false);
    });
    const call = blockingTasklet(body as unknown as (x: number) => Promise<number>);
    const got: unknown[] = [];
    tasklet(async () => {
      got.push(await call(2));
      got.push(await call(3).then(undefined, (e: unknown) => e));
    }).setup();
    tasklet(async () => {
      await ch.send(21);
      await ch.sendException(RangeError, 'bad');
    }).setup();
    await run();
    expect(got[0]).to.equal(42);
    expect(got[1]).to.be.instanceOf(RangeError);
    expect(String(me)).to.contain("'twice'");
  });
});

describe('tasklets bridge: a blocked caller awaiting a Deferred (internal: ChannelProcessor.call)', function () {
  cleanScheduler();

  it('callers woken in a row whose callbacks switch at once are delivered from a flat loop (20,000 deep)', async function () {
    const n = 20_000;
    const ch = channel<number>();
    ch.preference = 1; // the sender goes on sending: the callers wake one after another, in a row
    const fetch = blockingTaskletDeferred(async () => ch.receive());
    let done = 0;
    for (let i = 0; i < n; i++) {
      tasklet(async () => {
        // The callback runs as this caller when it gets the turn back, and yields at once: the
        // turn goes straight to the next caller, whose Deferred fires in turn, and so on.
        const d = fetch().addCallback((v: number) => schedule(v));
        if ((await d) === i) done++;
      }).setup();
    }
    tasklet(async () => {
      for (let i = 0; i < n; i++) await ch.send(i);
    }).setup();
    await run();
    expect(done).to.equal(n);
  });
});

describe('tasklets bridge: blockOn', function () {
  cleanScheduler();

  it('an already-fired Deferred returns at once, without switching', async function () {
    const log: string[] = [];
    tasklet(async () => {
      log.push('other');
    }).setup();
    tasklet(async () => {
      log.push(`v=${await blockOn(succeed(7))}`);
      await blockOn(fail(new Error('x'))).catch((e: Error) => log.push(`e=${e.message}`));
    }).setup();
    await run();
    expect(log).to.deep.equal(['other', 'v=7', 'e=x']);
  });

  it('an unfired Deferred suspends the tasklet; firing it from plain code resumes it on the next turn', async function () {
    const d = new Deferred<string>();
    const log: string[] = [];
    const t = tasklet(async () => {
      log.push(await blockOn(d));
    }).setup();
    await run();
    expect(t.blocked).to.equal(true);
    d.callback('fired');
    expect(log).to.deep.equal([]);
    await tick();
    expect(log).to.deep.equal(['fired']);
  });

  it('a rejected promise is thrown out of blockOn', async function () {
    let caught: unknown = null;
    tasklet(async () => {
      await blockOn(Promise.reject(new SyntaxError('bad'))).catch((e: unknown) => (caught = e));
    }).setup();
    await run();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(caught).to.be.instanceOf(SyntaxError);
  });
});

describe('tasklets bridge: blockOn from main and the idle scheduler', function () {
  cleanScheduler();

  it('main blocking on a promise lets the tasklets run; when every tasklet waits, the event loop wakes whoever the promise frees', async function () {
    const log: string[] = [];
    const d = new Deferred<string>();
    tasklet(async () => {
      log.push('t waits');
      log.push(`t got ${await blockOn(new Promise<string>((resolve) => setTimeout(() => resolve('timer'), 5)))}`);
      d.callback('from t');
    }).setup();
    const v = await blockOn(d);
    log.push(`main got ${v}`);
    expect(log).to.deep.equal(['t waits', 't got timer', 'main got from t']);
    expect(getcurrent()).to.equal(getmain());
  });
});
