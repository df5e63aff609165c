// Port of twisted.internet.task.react (Twisted 22.4).
// Covered by spec/task/react.spec.ts (ReactTests and ReactCoroutineFunctionTests of test_task.py).
//
// Python's react() never returns: it runs the reactor (which blocks) and then calls sys.exit().
// On Node, reactor.run() returns at once with a Deferred that fires when the reactor has
// stopped, so react() returns a Deferred too; the process exits from inside it. A reactor
// whose run() blocks and returns nothing (a test double like Twisted's _FakeReactor) is also
// accepted: react() then exits before it returns.
import { Deferred, isDeferred } from '../defer/deferred.js';
import { ensureDeferred } from '../defer/ensureDeferred.js';
import { NotACoroutineError } from '../defer/errors.js';
import { succeed } from '../defer/helpers.js';
import type { IReactorTime } from '../defer/interfaces.js';
import { Failure, isFailure } from '../failure/failure.js';
import * as log from '../log/log.js';
import { InvalidOptionsError } from '../defer/errors.js';
import { NotCallableError, checkOptionNames } from '../reactor/errors.js';
import { describe } from '../internal/describe.js';
import { reactor as globalReactor } from '../reactor/reactor.js';
import { SystemExit, describeExitCode } from './errors.js';
import { isThenable } from '../internal/thenable.js';

/**
 * The part of the reactor `react()` uses: IReactorTime plus run, stop, callWhenRunning and
 * addSystemEventTrigger (Twisted's IReactorCore). The real `reactor`, `MemoryReactorClock` and
 * a small test double all fit.
 *
 * Stands for `IReactorCore` + `IReactorTime` (`twisted.internet.interfaces`) as `twisted.internet.task.react` uses them.
 */
export interface ReactReactor extends IReactorTime {
  /** Run until stop(). Returns nothing when it blocks, or a promise/Deferred of the stop. */
  run(): unknown;
  /** Stop; throws ReactorNotRunning when it is not running. */
  stop(): void;
  /** Call `fn(...args)` once the reactor runs (at once when it already runs). */
  callWhenRunning(fn: (...args: never[]) => unknown, ...args: unknown[]): unknown;
  /** Call `fn(...args)` in `phase` of the system event `eventType` ('shutdown'). */
  addSystemEventTrigger(
    phase: 'before' | 'during' | 'after',
    eventType: string,
    fn: (...args: never[]) => unknown,
    ...args: unknown[]
  ): unknown;
}

/**
 * Options of `react()`, for tests: the reactor to run and the function that ends the process.
 * Port of the `_reactor` keyword of `twisted.internet.task.react`, plus `exit` standing for its `sys.exit`.
 */
export interface ReactOptions<R extends ReactReactor = ReactReactor> {
  /** The reactor to pass to main and to run (Twisted's `_reactor`); the global reactor by default. */
  reactor?: R;
  /**
   * Called once with the exit status; `process.exit` by default. A test passes a function that
   * records the code (or throws, as Python's `sys.exit` raises SystemExit).
   */
  exit?: (code: number) => void;
}

const REACT_OPTIONS = ['reactor', 'exit'];

function isReactorNotRunning(e: unknown): boolean {
  return e instanceof Error && e.name === 'ReactorNotRunning';
}

/** Python's sys.exit(code): an int is the status, None is 0, anything else goes to stderr and is 1. */
function exitStatus(c: unknown): number {
  if (c === undefined || c === null) return 0;
  if (typeof c === 'boolean') return c ? 1 : 0;
  if (typeof c === 'number' && Number.isInteger(c)) return c;
  process.stderr.write(`${typeof c === 'string' ? c : describeExitCode(c)}\n`);
  return 1;
}

function defaultExit(code: number): void {
  process.exit(code);
}

/**
 * Run `main(reactor, ...argv)` and the reactor until the Deferred (or promise) main returns
 * settles, then stop the reactor once and end the process: status 0 on success; for a failure
 * with a SystemExit, its code as Python's `sys.exit` takes it (an integer is the status; a
 * string, a non-integer number or an object is written to stderr and the status is 1); for any
 * other failure, the error is logged
 * (`log.err(failure, 'main function encountered error')`) and the status is 1. If the reactor
 * is stopped by someone else first, the status is 0 (or what main's result says, if it settles
 * during the shutdown).
 *
 * Port of `twisted.internet.task.react`.
 *
 * @param main The program: takes the reactor and `argv`, returns a Deferred or a promise.
 * @param argv Extra arguments for main.
 * @param options `reactor` and `exit` overrides, for tests.
 * @returns A Deferred that fires with the exit status after `exit` was called (with the default
 *   `exit`, the process ends first). With a reactor whose `run()` blocks and returns nothing,
 *   it has fired when react() returns; with one whose `run()` returns a promise or Deferred
 *   (the real reactor), `exit` is called one macrotask after that settles, so that promise
 *   jobs already queued (an async main finishing during shutdown) are counted. It fails when
 *   `run()` fails.
 * @throws NotACoroutineError (a TypeError) when main returns neither a Deferred, a promise nor a
 *   generator; whatever main throws synchronously is thrown too. In both cases nothing was started.
 * @throws NotCallableError when `main`, or `options.exit` when given, is not a function (main is
 *   not called).
 * @throws InvalidOptionsError (a TypeError) when `argv` is not an array, or `options` is not an
 *   object of `reactor` and `exit` (main is not called).
 * @example
 * ```ts no-run
 * react(async (reactor) => {
 *   await deferLater(reactor, 1);
 *   console.log('one second later');
 * });
 * ```
 */
export function react<R extends ReactReactor = ReactReactor, A extends readonly unknown[] = []>(
  main: (reactor: R, ...argv: A) => Deferred<unknown> | PromiseLike<unknown>,
  argv?: A,
  options?: ReactOptions<R>,
): Deferred<number>;
// A main that takes the reactor only (or unknown[] arguments) accepts any argv list, such as the
// string[] of process.argv.slice(2): JavaScript drops the extra arguments.
export function react<R extends ReactReactor = ReactReactor>(
  main: (reactor: R, ...argv: unknown[]) => Deferred<unknown> | PromiseLike<unknown>,
  argv?: readonly unknown[],
  options?: ReactOptions<R>,
): Deferred<number>;
export function react<R extends ReactReactor, A extends readonly unknown[]>(
  main: (reactor: R, ...argv: A) => Deferred<unknown> | PromiseLike<unknown>,
  argv?: A,
  options: ReactOptions<R> = {},
): Deferred<number> {
  if (typeof main !== 'function') throw new NotCallableError('react(main)', main);
  if (argv !== undefined && !Array.isArray(argv)) {
    throw new InvalidOptionsError(
      `react(main, argv, options): argv must be an array of arguments for main, but got ${describe(argv)}; options go third: react(main, [], { reactor })`,
      argv,
    );
  }
  checkOptionNames('react(main, argv, options)', options, REACT_OPTIONS);
  if (options.exit !== undefined && typeof options.exit !== 'function') {
    throw new NotCallableError('react(main, argv, { exit })', options.exit);
  }
  const r = (options.reactor ?? globalReactor) as R;
  const exit = options.exit ?? defaultExit;
  const result: unknown = main(r, ...((argv ?? []) as A));
  let finished: Deferred<unknown>;
  try {
    finished = ensureDeferred(result as Deferred<unknown>);
  } catch (e) {
    if (!(e instanceof NotACoroutineError)) throw e;
    throw new NotACoroutineError(
      `${describe(result)} is not a coroutine or a Deferred: react(main) needs main to return a Deferred or a promise ` +
        '(make main an async function, or return a Deferred that fires when the program is done)',
    );
  }

  let code = 0;
  let stopping = false;
  r.addSystemEventTrigger('before', 'shutdown', () => {
    stopping = true;
  });

  const stop = (outcome: unknown, stopReactor: boolean): void => {
    if (stopReactor) {
      try {
        r.stop();
      } catch (e) {
        if (!isReactorNotRunning(e)) throw e;
      }
    }
    if (isFailure(outcome)) {
      const exitError = outcome.check(SystemExit) ? (outcome.value as SystemExit) : null;
      if (exitError !== null) {
        code = exitStatus(exitError.code);
      } else {
        log.err(outcome, 'main function encountered error');
        code = 1;
      }
    }
  };

  finished.addBoth((outcome: unknown): undefined => {
    if (stopping) stop(outcome, false);
    else r.callWhenRunning(stop as (...args: never[]) => unknown, outcome, true);
    return undefined;
  });

  const ran = r.run();
  const done = (): number => {
    exit(code);
    return code;
  };
  if (!isThenable(ran)) return succeed(done());
  // run() settles once the reactor has stopped. An async main that settled during the shutdown
  // resumes in promise jobs still queued at that point: let them run (one macrotask turn) so its
  // outcome counts, as a Python coroutine's would, then exit.
  const exited = new Deferred<number>();
  const finish = (): void => {
    setImmediate(() => {
      let c: number;
      try {
        c = done();
      } catch (e) {
        exited.errback(new Failure(e));
        return;
      }
      exited.callback(c);
    });
  };
  const failRun = (f: Failure): undefined => {
    exited.errback(f);
    return undefined;
  };
  if (isDeferred(ran)) (ran as Deferred<unknown>).addCallbacks(finish, failRun);
  else ran.then(finish, (e: unknown) => failRun(new Failure(e)));
  return exited;
}
