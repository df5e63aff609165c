// Port of twisted/test/test_task.py (Twisted 22.4): ReactTests and ReactCoroutineFunctionTests.
// Twisted's react() ends with sys.exit(); these specs inject `exit` to record the code instead.
// ReactTests use FakeReactor, a port of the test module's _FakeReactor whose run() blocks (it
// advances its Clock until stopped). ReactCoroutineFunctionTests pass an async main, whose
// promise settles in microtasks, so they use AsyncFakeReactor, whose run() returns a promise
// and lets pending promise jobs run before each step of its Clock. No wall clock is read.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Deferred, fail, succeed } from '../../lib/defer/index.js';
import type { Failure } from '../../lib/failure/index.js';
import * as log from '../../lib/log/index.js';
import { NotCallableError, Reactor, ReactorNotRunning, reactor as globalReactor } from '../../lib/reactor/index.js';
import { CancelledError, NotACoroutineError } from '../../lib/defer/index.js';
import { Clock, deferLater, react, SystemExit } from '../../lib/task/index.js';
import type { ReactReactor } from '../../lib/task/index.js';
import { flushLoggedErrors, installLoggedErrorHooks, successResultOf } from '../../lib/testing/index.js';

type Call = [(...args: never[]) => unknown, unknown[]];

/** Port of test_task.py's _FakeReactor: run() advances a Clock until stop(). */
class FakeReactor implements ReactReactor {
  _running = false;
  readonly _clock = new Clock();
  _whenRunning: Call[] | null = [];
  _shutdownTriggers: { before: Call[]; during: Call[] } | null = { before: [], during: [] };

  seconds(): number {
    return this._clock.seconds();
  }

  callLater<A extends unknown[]>(delay: number, fn: (...args: A) => unknown, ...args: A) {
    return this._clock.callLater(delay, fn, ...args);
  }

  getDelayedCalls() {
    return this._clock.getDelayedCalls();
  }

  callWhenRunning(fn: (...args: never[]) => unknown, ...args: unknown[]): void {
    if (this._whenRunning === null) (fn as (...a: unknown[]) => unknown)(...args);
    else this._whenRunning.push([fn, args]);
  }

  addSystemEventTrigger(phase: string, event: string, fn: (...args: never[]) => unknown, ...args: unknown[]): void {
    expect(['before', 'during']).to.include(phase);
    expect(event).to.equal('shutdown');
    (this._shutdownTriggers as Record<string, Call[]>)[phase].push([fn, args]);
  }

  run(): unknown {
    this._running = true;
    const whenRunning = this._whenRunning as Call[];
    this._whenRunning = null;
    for (const [fn, args] of whenRunning) (fn as (...a: unknown[]) => unknown)(...args);
    while (this._running) {
      const calls = this.getDelayedCalls();
      if (calls.length === 0) throw new Error('No DelayedCalls left');
      this._clock.advance(calls[0].getTime() - this.seconds());
    }
    this._shutdown();
    return undefined;
  }

  _shutdown(): void {
    const triggers = this._shutdownTriggers as { before: Call[]; during: Call[] };
    this._shutdownTriggers = null;
    for (const [fn, args] of [...triggers.before, ...triggers.during]) (fn as (...a: unknown[]) => unknown)(...args);
  }

  stop(): void {
    if (!this._running) throw new ReactorNotRunning();
    this._running = false;
  }
}

/** FakeReactor for async mains: run() returns a promise, and promise jobs run between steps. */
class AsyncFakeReactor extends FakeReactor {
  override run(): Promise<void> {
    this._running = true;
    const whenRunning = this._whenRunning as Call[];
    this._whenRunning = null;
    for (const [fn, args] of whenRunning) (fn as (...a: unknown[]) => unknown)(...args);
    return (async () => {
      for (;;) {
        // Let every pending promise job run (an async main resuming), then take one Clock step.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (!this._running) break;
        const calls = this.getDelayedCalls();
        if (calls.length === 0) throw new Error('No DelayedCalls left');
        this._clock.advance(calls[0].getTime() - this.seconds());
      }
      this._shutdown();
    })();
  }
}

class ExpectedException extends Error {
  constructor(message?: string) {
    super(message);
    this.name = 'ExpectedException';
  }
}

let logged: log.LogEvent[] = [];
const observer = (e: log.LogEvent): void => {
  logged.push(e);
};

/**
 * trial's flushLoggedErrors(type): takes the logged failures of that type out of the capture that
 * installLoggedErrorHooks opened for the test (any error left unflushed fails the test).
 */
function loggedErrors(type: new (...args: never[]) => Error): Failure[] {
  return flushLoggedErrors(type);
}

/** Run react() like Twisted's assertRaises(SystemExit, react, ...): returns the exit code. */
async function exitCodeOf<R extends ReactReactor, A extends unknown[]>(
  main: (reactor: R, ...argv: A) => Deferred<unknown> | PromiseLike<unknown>,
  argv: A | undefined,
  reactor: R,
): Promise<number> {
  const codes: number[] = [];
  const done = react(main, argv, { reactor, exit: (code) => codes.push(code) });
  const code = await done;
  expect(codes).to.deep.equal([code]);
  return code;
}

/** Per describe: record log events, and capture logged errors as trial does (unflushed ones fail). */
function logHooks(): void {
  beforeEach(function () {
    logged = [];
    log.addObserver(observer);
  });
  afterEach(function () {
    log.removeObserver(observer);
  });
  installLoggedErrorHooks({ beforeEach, afterEach });
}

describe('ReactTests', function () {
  logHooks();

  it('test_runsUntilAsyncCallback: runs the reactor until main\'s Deferred fires, then stops it (exit 0)', function () {
    const timePassed: boolean[] = [];
    const main = (reactor: FakeReactor): Deferred<unknown> => {
      const finished = new Deferred<unknown>();
      reactor.callLater(1, () => timePassed.push(true));
      reactor.callLater(2, () => finished.callback(undefined));
      return finished;
    };
    const r = new FakeReactor();
    const codes: number[] = [];
    const d = react(main, [], { reactor: r, exit: (c) => codes.push(c) });
    // FakeReactor.run() blocks, so react() has already exited when it returns.
    expect(codes).to.deep.equal([0]);
    expect(successResultOf(d)).to.equal(0);
    expect(timePassed).to.deep.equal([true]);
    expect(r.seconds()).to.equal(2);
  });

  it('test_runsUntilSyncCallback: an already-fired Deferred exits at once (exit 0)', async function () {
    const r = new FakeReactor();
    expect(await exitCodeOf(() => succeed(undefined), [], r)).to.equal(0);
    expect(r.seconds()).to.equal(0);
  });

  it('test_runsUntilAsyncErrback: a later failure stops the reactor, is logged, and exits 1', async function () {
    const main = (reactor: FakeReactor): Deferred<unknown> => {
      const finished = new Deferred<unknown>();
      reactor.callLater(1, () => finished.errback(new ExpectedException()));
      return finished;
    };
    const r = new FakeReactor();
    expect(await exitCodeOf(main, [], r)).to.equal(1);
    const errors = loggedErrors(ExpectedException);
    expect(errors).to.have.length(1);
    const event = logged.find((e) => e.isError);
    expect(event?.why).to.equal('main function encountered error');
  });

  it('test_runsUntilSyncErrback: an already-failed Deferred is logged and exits 1 at once', async function () {
    const r = new FakeReactor();
    expect(await exitCodeOf(() => fail(new ExpectedException()), [], r)).to.equal(1);
    expect(r.seconds()).to.equal(0);
    expect(loggedErrors(ExpectedException)).to.have.length(1);
  });

  it('test_singleStopCallback: a Deferred that fires during shutdown does not stop the reactor twice (exit 0)', async function () {
    const main = (reactor: FakeReactor): Deferred<unknown> => {
      reactor.callLater(1, () => reactor.stop());
      const finished = new Deferred<unknown>();
      reactor.addSystemEventTrigger('during', 'shutdown', (v: undefined) => finished.callback(v), undefined);
      return finished;
    };
    const r = new FakeReactor();
    expect(await exitCodeOf(main, [], r)).to.equal(0);
    expect(r.seconds()).to.equal(1);
  });

  it('test_singleStopErrback: a Deferred that fails during shutdown is logged and exits 1', async function () {
    const main = (reactor: FakeReactor): Deferred<unknown> => {
      reactor.callLater(1, () => reactor.stop());
      const finished = new Deferred<unknown>();
      reactor.addSystemEventTrigger('during', 'shutdown', (e: Error) => finished.errback(e), new ExpectedException());
      return finished;
    };
    const r = new FakeReactor();
    expect(await exitCodeOf(main, [], r)).to.equal(1);
    expect(r.seconds()).to.equal(1);
    expect(loggedErrors(ExpectedException)).to.have.length(1);
  });

  it('test_arguments: argv is passed to main after the reactor', async function () {
    const args: number[] = [];
    const main = (_reactor: FakeReactor, x: number, y: number, z: number): Deferred<undefined> => {
      args.push(x, y, z);
      return succeed(undefined);
    };
    expect(await exitCodeOf(main, [1, 2, 3], new FakeReactor())).to.equal(0);
    expect(args).to.deep.equal([1, 2, 3]);
  });

  it('test_defaultReactor: without a reactor option, main gets the global reactor', function () {
    // Running the global reactor would stop it for the rest of the process, so main throws
    // synchronously after recording its argument: react() rethrows before touching the reactor.
    let passedReactor: unknown = null;
    const boom = new ExpectedException('stop here');
    expect(() =>
      react(
        (reactor) => {
          passedReactor = reactor;
          throw boom;
        },
        [],
        { exit: () => expect.fail('exit must not be called') },
      ),
    ).to.throw(ExpectedException);
    expect(passedReactor).to.equal(globalReactor);
  });

  it('test_exitWithDefinedCode: a SystemExit failure exits with its code', async function () {
    expect(await exitCodeOf(() => fail(new SystemExit(23)), [], new FakeReactor())).to.equal(23);
    expect(logged.filter((e) => e.isError)).to.have.length(0);
  });

  it('test_synchronousStop: the reactor stopped just before the Deferred fires (exit 0)', async function () {
    const main = (reactor: FakeReactor): Deferred<unknown> => {
      const d = new Deferred<unknown>();
      reactor.callWhenRunning(() => {
        reactor.stop();
        d.callback(undefined);
      });
      return d;
    };
    expect(await exitCodeOf(main, [], new FakeReactor())).to.equal(0);
  });

  it('test_asynchronousStop: the reactor stopped while the Deferred never fires (exit 0)', async function () {
    const main = (reactor: FakeReactor): Deferred<unknown> => {
      reactor.callLater(1, () => reactor.stop());
      return new Deferred<unknown>();
    };
    expect(await exitCodeOf(main, [], new FakeReactor())).to.equal(0);
  });
});

describe('ReactCoroutineFunctionTests', function () {
  logHooks();

  it('test_runsUntilAsyncCallback: an async main runs until it returns, then the reactor stops (exit 0)', async function () {
    const timePassed: boolean[] = [];
    const main = async (reactor: AsyncFakeReactor): Promise<unknown> => {
      const finished = new Deferred<unknown>();
      reactor.callLater(1, () => timePassed.push(true));
      reactor.callLater(2, () => finished.callback(undefined));
      return await finished;
    };
    const r = new AsyncFakeReactor();
    expect(await exitCodeOf(main, [], r)).to.equal(0);
    expect(timePassed).to.deep.equal([true]);
    expect(r.seconds()).to.equal(2);
  });

  it('test_runsUntilSyncCallback: an async main awaiting a fired Deferred exits at once (exit 0)', async function () {
    const r = new AsyncFakeReactor();
    expect(await exitCodeOf(async () => await succeed(undefined), [], r)).to.equal(0);
    expect(r.seconds()).to.equal(0);
  });

  it('test_runsUntilAsyncErrback: an async main that throws later is logged and exits 1', async function () {
    const main = async (reactor: AsyncFakeReactor): Promise<unknown> => {
      const finished = new Deferred<unknown>();
      reactor.callLater(1, () => finished.errback(new ExpectedException()));
      return await finished;
    };
    expect(await exitCodeOf(main, [], new AsyncFakeReactor())).to.equal(1);
    expect(loggedErrors(ExpectedException)).to.have.length(1);
  });

  it('test_runsUntilSyncErrback: an async main awaiting a failed Deferred is logged and exits 1', async function () {
    const r = new AsyncFakeReactor();
    expect(await exitCodeOf(async () => await fail(new ExpectedException()), [], r)).to.equal(1);
    expect(r.seconds()).to.equal(0);
    expect(loggedErrors(ExpectedException)).to.have.length(1);
  });

  it('test_singleStopCallback: an async main finishing during shutdown does not stop the reactor twice (exit 0)', async function () {
    const main = async (reactor: AsyncFakeReactor): Promise<unknown> => {
      reactor.callLater(1, () => reactor.stop());
      const finished = new Deferred<unknown>();
      reactor.addSystemEventTrigger('during', 'shutdown', (v: undefined) => finished.callback(v), undefined);
      return await finished;
    };
    const r = new AsyncFakeReactor();
    expect(await exitCodeOf(main, [], r)).to.equal(0);
    expect(r.seconds()).to.equal(1);
  });

  it('test_singleStopErrback: an async main failing during shutdown is logged and exits 1', async function () {
    // Twisted's coroutine finishes inside the shutdown trigger; a JavaScript async function
    // resumes in promise jobs after it, which react() lets run before it exits.
    const main = async (reactor: AsyncFakeReactor): Promise<unknown> => {
      reactor.callLater(1, () => reactor.stop());
      const finished = new Deferred<unknown>();
      reactor.addSystemEventTrigger('during', 'shutdown', (e: Error) => finished.errback(e), new ExpectedException());
      return await finished;
    };
    const r = new AsyncFakeReactor();
    expect(await exitCodeOf(main, [], r)).to.equal(1);
    expect(r.seconds()).to.equal(1);
    expect(loggedErrors(ExpectedException)).to.have.length(1);
  });

  it('test_arguments: argv is passed to an async main after the reactor', async function () {
    const args: number[] = [];
    const main = async (_r: AsyncFakeReactor, x: number, y: number, z: number): Promise<unknown> => {
      args.push(x, y, z);
      return await succeed(undefined);
    };
    expect(await exitCodeOf(main, [1, 2, 3], new AsyncFakeReactor())).to.equal(0);
    expect(args).to.deep.equal([1, 2, 3]);
  });

  it('test_defaultReactor: without a reactor option, an async main gets the global reactor', function () {
    let passedReactor: unknown = null;
    // An async function cannot throw synchronously; a plain function returning a promise
    // stands for it, failing before react() touches the reactor.
    expect(() =>
      react(
        (reactor) => {
          passedReactor = reactor;
          throw new ExpectedException('stop here');
        },
        [],
        { exit: () => expect.fail('exit must not be called') },
      ),
    ).to.throw(ExpectedException);
    expect(passedReactor).to.equal(globalReactor);
  });

  it('test_exitWithDefinedCode: an async main throwing SystemExit exits with its code', async function () {
    const main = async (): Promise<unknown> => await fail(new SystemExit(23));
    expect(await exitCodeOf(main, [], new AsyncFakeReactor())).to.equal(23);
  });

  it('test_synchronousStop: an async main whose reactor is stopped just before it returns (exit 0)', async function () {
    const main = async (reactor: AsyncFakeReactor): Promise<unknown> => {
      const d = new Deferred<unknown>();
      reactor.callWhenRunning(() => {
        reactor.stop();
        d.callback(undefined);
      });
      return await d;
    };
    expect(await exitCodeOf(main, [], new AsyncFakeReactor())).to.equal(0);
  });

  it('test_asynchronousStop: an async main that never returns, with the reactor stopped (exit 0)', async function () {
    const main = async (reactor: AsyncFakeReactor): Promise<unknown> => {
      reactor.callLater(1, () => reactor.stop());
      return await new Deferred<unknown>();
    };
    expect(await exitCodeOf(main, [], new AsyncFakeReactor())).to.equal(0);
  });
});

describe('ReactTests (twistless additions)', function () {
  logHooks();

  it('main returning neither a Deferred nor a promise is a NotACoroutineError (a TypeError); nothing runs', function () {
    const r = new FakeReactor();
    expect(() => react(() => 42 as never, [], { reactor: r, exit: () => expect.fail('no exit') })).to.throw(
      NotACoroutineError,
      /^number 42 is not a coroutine or a Deferred: react\(main\) needs main to return a Deferred or a promise/,
    );
    expect(r._running).to.equal(false);
    expect(r._shutdownTriggers?.before).to.have.length(0);
  });

  it('a main or an exit option that is not a function is a NotCallableError; main is not called', function () {
    const r = new FakeReactor();
    expect(() => react(42 as never, [], { reactor: r })).to.throw(NotCallableError, /react\(main\)/);
    let called = false;
    expect(() =>
      react(
        () => {
          called = true;
          return succeed(undefined);
        },
        [],
        { reactor: r, exit: 1 as never },
      ),
    ).to.throw(NotCallableError, /\{ exit \}/);
    expect(called).to.equal(false);
    expect(r._running).to.equal(false);
    expect(r._shutdownTriggers?.before).to.have.length(0);
  });

  it('a synchronous throw from main propagates out of react() and nothing runs', function () {
    const r = new FakeReactor();
    expect(() =>
      react(
        () => {
          throw new ExpectedException('sync');
        },
        [],
        { reactor: r, exit: () => expect.fail('no exit') },
      ),
    ).to.throw(ExpectedException, 'sync');
    expect(r._running).to.equal(false);
  });

  it('a cancelled main Deferred is logged as a CancelledError and exits 1 (as in Twisted)', async function () {
    const main = (reactor: FakeReactor): Deferred<unknown> => {
      const d = new Deferred<unknown>();
      reactor.callLater(1, () => d.cancel());
      return d;
    };
    expect(await exitCodeOf(main, [], new FakeReactor())).to.equal(1);
    expect(logged.filter((e) => e.isError)).to.have.length(1);
    expect(logged[0].failure?.type).to.have.property('name', 'CancelledError');
    expect(flushLoggedErrors(CancelledError)).to.have.length(1);
  });

  it('SystemExit() without a code exits 0; SystemExit("message") writes the message and exits 1', async function () {
    expect(await exitCodeOf(() => fail(new SystemExit()), [], new FakeReactor())).to.equal(0);
    const writes: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => {
      writes.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    let code: number;
    try {
      code = await exitCodeOf(() => fail(new SystemExit('bad usage')), [], new FakeReactor());
    } finally {
      process.stderr.write = write;
    }
    expect(code).to.equal(1);
    expect(writes).to.deep.equal(['bad usage\n']);
    expect(logged.filter((e) => e.isError)).to.have.length(0);
  });

  it('a failure after the reactor was stopped externally does not change the exit code (0)', async function () {
    const main = (reactor: FakeReactor): Deferred<unknown> => {
      const d = new Deferred<unknown>();
      reactor.callLater(1, () => reactor.stop());
      reactor.callLater(2, () => d.errback(new ExpectedException('late')));
      return d;
    };
    const r = new FakeReactor();
    expect(await exitCodeOf(main, [], r)).to.equal(0);
    expect(r.seconds()).to.equal(1);
  });

  it('a reactor whose run() returns a Deferred: react fires with the code once it does', async function () {
    const r = new FakeReactor();
    const stopped = new Deferred<undefined>();
    r.run = function (this: FakeReactor) {
      FakeReactor.prototype.run.call(this);
      return stopped;
    };
    const codes: number[] = [];
    const d = react(() => fail(new SystemExit(4)), [], { reactor: r, exit: (c) => codes.push(c) });
    expect(codes).to.deep.equal([]);
    stopped.callback(undefined);
    expect(await d).to.equal(4);
    expect(codes).to.deep.equal([4]);
  });
});

describe('ReactTests on a real Reactor (a fresh instance, a few milliseconds each)', function () {
  logHooks();

  it('an async main awaiting deferLater on the reactor: run() is stopped once, then exit(0)', async function () {
    const r = new Reactor();
    const seen: string[] = [];
    r.addSystemEventTrigger('before', 'shutdown', () => seen.push('shutdown'));
    const code = await exitCodeOf(
      async (reactor: Reactor, greeting: string) => {
        seen.push(await deferLater(reactor, 0.005, () => greeting));
      },
      ['hello'],
      r,
    );
    expect(code).to.equal(0);
    expect(seen).to.deep.equal(['hello', 'shutdown']);
    expect(r.running).to.equal(false);
  });

  it('a main Deferred failing on the reactor is logged and exits 1', async function () {
    const r = new Reactor();
    const code = await exitCodeOf(
      (reactor: Reactor) =>
        deferLater(reactor, 0.001, () => {
          throw new ExpectedException('on the reactor');
        }),
      [],
      r,
    );
    expect(code).to.equal(1);
    expect(loggedErrors(ExpectedException)).to.have.length(1);
  });

  it('a main stopping the reactor itself, leaving its Deferred pending, exits 0', async function () {
    const r = new Reactor();
    const code = await exitCodeOf(
      (reactor: Reactor) => {
        reactor.callLater(0.001, () => reactor.stop());
        return new Deferred<unknown>();
      },
      [],
      r,
    );
    expect(code).to.equal(0);
  });
});

describe('ReactTests (SystemExit codes, as Python\'s sys.exit treats them, in a child process)', function () {
  this.timeout(60000);

  /** Run the fixture program with `kind`; at most 30 s. */
  async function runExit(kind: string): Promise<{ status: number | null; stderr: string }> {
    return new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', join(__dirname, 'fixtures', 'reactExit.ts'), kind],
        { cwd: join(__dirname, '..', '..'), timeout: 30000 },
        (error, _stdout, stderr) => {
          if (error !== null && typeof error.code !== 'number') reject(error);
          else resolve({ status: error === null ? 0 : (error.code as number), stderr });
        },
      );
    });
  }

  it('a non-integer code (2.5, NaN, an object) is written to stderr and the process exits 1; an integer code is the status', async function () {
    const kinds = ['float', 'nan', 'object', 'int'];
    const results = await Promise.all(kinds.map((k) => runExit(k)));
    expect(Object.fromEntries(kinds.map((k, i) => [k, results[i]]))).to.deep.equal({
      float: { status: 1, stderr: '2.5\n' },
      nan: { status: 1, stderr: 'NaN\n' },
      object: { status: 1, stderr: "{ reason: 'bad input' }\n" },
      int: { status: 3, stderr: '' },
    });
  });

  it('every kind of code, in process: non-integers to stderr and 1; integers as they are; undefined and null 0; true 1, false 0', async function () {
    const cases: [unknown, number, string[]][] = [
      [2.5, 1, ['2.5\n']],
      [NaN, 1, ['NaN\n']],
      [Infinity, 1, ['Infinity\n']],
      [-0.5, 1, ['-0.5\n']],
      [{ reason: 'bad input' }, 1, ["{ reason: 'bad input' }\n"]],
      [[1, 2], 1, ['[ 1, 2 ]\n']],
      ['bad usage', 1, ['bad usage\n']],
      [3, 3, []],
      [0, 0, []],
      [undefined, 0, []],
      [null, 0, []],
      [true, 1, []],
      [false, 0, []],
    ];
    for (const [c, status, stderr] of cases) {
      const writes: string[] = [];
      const write = process.stderr.write;
      process.stderr.write = ((chunk: string) => {
        writes.push(String(chunk));
        return true;
      }) as typeof process.stderr.write;
      let code: number;
      try {
        code = await exitCodeOf(() => fail(new SystemExit(c)), [], new FakeReactor());
      } finally {
        process.stderr.write = write;
      }
      expect([code, writes], String(c)).to.deep.equal([status, stderr]);
    }
  });
});
