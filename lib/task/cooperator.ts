// Port of twisted.internet.task.Cooperator, cooperate and coiterate (Twisted 22.4); the tasks it
// steps are CooperativeTasks (cooperativeTask.ts).
// Covered by spec/task/cooperator.spec.ts (CooperatorTests, AliasTests, RunStateTests of
// test_cooperator.py).
//
// How it works: a Cooperator holds a list of runnable tasks (iterators). Each tick, scheduled
// through an injectable scheduler (the reactor's callLater by default), walks the list
// round-robin, resuming where the previous tick stopped, and steps one task per turn (one
// `next()`), until the termination predicate says the tick has run long enough (10 ms of wall
// time by default) or no task is left. A task whose iterator yields a Deferred (or a promise)
// is paused, which takes it out of the list, until that settles. Completion (done, failed,
// stopped) fires the task's `whenDone()` Deferreds after the task has left the list, so their
// callbacks may touch the Cooperator freely.
//
// The round-robin cursor reproduces Python's list iterator over the live list: an array and an
// index into it. Removing a task shifts the rest left under the cursor, so (as in Twisted) the
// task after a removed one waits for the next round.
import { Deferred } from '../defer/deferred.js';
import { Failure } from '../failure/failure.js';
import { InvalidOptionsError } from '../defer/errors.js';
import { NotCallableError, checkOptionNames } from '../reactor/errors.js';
import { describe } from '../internal/describe.js';
import { reactor } from '../reactor/reactor.js';
import { SchedulerStopped } from './errors.js';
import { CooperativeTask, type Cooperable, type Task } from './cooperativeTask.js';
import { processWide } from '../internal/processWide.js';

/**
 * What a scheduler returns: a handle that can cancel the scheduled tick (an IDelayedCall fits).
 * Stands for the `IDelayedCall` the `scheduler` of `twisted.internet.task.Cooperator` returns (only `cancel()` is used).
 */
export interface SchedulerCall {
  cancel(): void;
}

/**
 * Runs `tick` at some later point; Twisted's `scheduler` argument.
 * Port of the `scheduler` argument of `twisted.internet.task.Cooperator`.
 */
export type Scheduler = (tick: () => void) => SchedulerCall;

/**
 * Called at the start of each tick; returns a predicate that is asked after each unit of work
 * and returns true when the tick should end. Twisted's `terminationPredicateFactory`.
 *
 * Port of the `terminationPredicateFactory` argument of `twisted.internet.task.Cooperator`.
 */
export type TerminationPredicateFactory = () => () => boolean;

/** Options of `new Cooperator()`. Port of the keyword arguments of `Cooperator.__init__`. */
export interface CooperatorOptions {
  /** How ticks are scheduled; default `(tick) => reactor.callLater(1e-8, tick)`. */
  scheduler?: Scheduler;
  /** How long a tick runs; default: until 10 ms of wall time have passed. */
  terminationPredicateFactory?: TerminationPredicateFactory;
  /** Step tasks as soon as they are added (default true); false queues them until `start()`. */
  started?: boolean;
}

const COOPERATOR_OPTIONS = ['scheduler', 'terminationPredicateFactory', 'started'];

// Twisted's _EPSILON: the default scheduler's delay.
const EPSILON = 0.00000001;
// Twisted's _Timer.MAX_SLICE, in milliseconds.
const MAX_SLICE_MS = 10;

function defaultScheduler(tick: () => void): SchedulerCall {
  return reactor.callLater(EPSILON, tick);
}

// Bound once: the global `performance` is a lazy accessor in Node 20 (see lib/reactor/hostTimers.ts).
const monotonicMs = performance.now.bind(performance);

function defaultTerminationPredicateFactory(): () => boolean {
  const end = monotonicMs() + MAX_SLICE_MS;
  return () => monotonicMs() >= end;
}


/**
 * A cooperative scheduler: runs many iterators a step at a time, sharing the time between them
 * so that no long job blocks the event loop. A task whose iterator yields a Deferred (or a
 * promise) waits for it before its next step.
 *
 * Port of `twisted.internet.task.Cooperator`.
 *
 * @example Stepping a Cooperator by hand
 * ```ts no-run
 * const pending: (() => void)[] = [];
 * const coop = new Cooperator({
 *   scheduler: (tick) => { pending.push(tick); return { cancel() {} }; },
 *   terminationPredicateFactory: () => () => true, // one step per tick
 * });
 * coop.coiterate([1, 2, 3]).addCallback(() => console.log('done'));
 * while (pending.length > 0) pending.shift()!();
 * ```
 */
export class Cooperator {
  /** @internal The runnable tasks (not paused, not finished). */
  _tasks: Task[];
  /** @internal The round-robin cursor: the array being walked and the index of the next task. */
  _metaList: Task[];
  /** @internal */
  _metaIndex: number;
  /** @internal */
  readonly _terminationPredicateFactory: TerminationPredicateFactory;
  /** @internal */
  readonly _scheduler: Scheduler;
  /** @internal The scheduled tick, if any. */
  _delayedCall: SchedulerCall | null;
  /** @internal */
  _stopped: boolean;
  /** @internal */
  _started: boolean;
  /** @internal A tick was wanted while not started: schedule it on start(). */
  _mustScheduleOnStart: boolean;
  /** @internal Run one tick; the very function handed to the scheduler every time. */
  readonly _tick: () => void;

  /**
   * @param options `scheduler`, `terminationPredicateFactory` and `started`; see CooperatorOptions.
   * @throws NotCallableError when `scheduler` or `terminationPredicateFactory` is given and is
   *   not a function (Twisted fails later, when the first tick is scheduled or run).
   * @throws InvalidOptionsError (a TypeError) for an unknown option name or a `started` that is
   *   not a boolean.
   */
  constructor(options: CooperatorOptions = {}) {
    checkOptionNames('new Cooperator(options)', options, COOPERATOR_OPTIONS);
    const { scheduler, terminationPredicateFactory, started } = options;
    if (started !== undefined && typeof started !== 'boolean') {
      throw new InvalidOptionsError(`new Cooperator({ started }): started must be true or false, but got ${describe(started)}`, options);
    }
    // Checked here: a bad one would otherwise fail later, inside cooperate() or a timer.
    if (scheduler !== undefined && typeof scheduler !== 'function') {
      throw new NotCallableError('new Cooperator({ scheduler })', scheduler);
    }
    if (terminationPredicateFactory !== undefined && typeof terminationPredicateFactory !== 'function') {
      throw new NotCallableError('new Cooperator({ terminationPredicateFactory })', terminationPredicateFactory);
    }
    this._tasks = [];
    this._metaList = [];
    this._metaIndex = 0;
    this._terminationPredicateFactory = options.terminationPredicateFactory ?? defaultTerminationPredicateFactory;
    this._scheduler = options.scheduler ?? defaultScheduler;
    this._delayedCall = null;
    this._stopped = false;
    this._started = options.started ?? true;
    this._mustScheduleOnStart = false;
    this._tick = () => {
      this._runTick();
    };
  }

  /**
   * Run `iterator` as a task and return a Deferred of its completion: it fires with the iterator
   * when exhausted, or fails with its error, TaskStopped or SchedulerStopped.
   *
   * Port of `twisted.internet.task.Cooperator.coiterate`.
   *
   * @param iterator An iterator or iterable (a generator, an array).
   * @param doneDeferred The Deferred to fire; a new one by default.
   * @returns `doneDeferred`.
   * @throws NotAnIteratorError when `iterator` is neither an iterator nor iterable.
   * @example
   * ```ts no-run
   * await coop.coiterate(function* () { for (let i = 0; i < 1e6; i++) yield; }());
   * ```
   */
  coiterate<I extends Cooperable>(iterator: I, doneDeferred?: Deferred<I>): Deferred<I> {
    const done = doneDeferred ?? new Deferred<I>();
    new CooperativeTask(iterator, this).whenDone().chainDeferred(done);
    return done;
  }

  /**
   * Run `iterator` as a long-running task, one `next()` at a time, and return its
   * CooperativeTask (pause, resume, stop, whenDone). Nothing runs before the next tick.
   *
   * Port of `twisted.internet.task.Cooperator.cooperate`.
   *
   * @param iterator An iterator or iterable (a generator, an array).
   * @returns The task.
   * @throws NotAnIteratorError when `iterator` is neither an iterator nor iterable.
   * @example
   * ```ts no-run
   * const task = coop.cooperate(lines());
   * ```
   */
  cooperate<I extends Cooperable>(iterator: I): CooperativeTask<I> {
    return new CooperativeTask(iterator, this);
  }

  /** @internal Add a task; on a stopped Cooperator it finishes at once with SchedulerStopped. */
  _addTask(task: Task): void {
    this._tasks.push(task);
    if (this._stopped) {
      // Pushed first because _completeWith removes it again (as in Twisted).
      task._completeWith(new SchedulerStopped(), new Failure(new SchedulerStopped()));
    } else {
      this._reschedule();
    }
  }

  /** @internal Remove a task; with none left, cancel the pending tick. */
  _removeTask(task: Task): void {
    const i = this._tasks.indexOf(task);
    if (i !== -1) this._tasks.splice(i, 1);
    if (this._tasks.length === 0 && this._delayedCall !== null) {
      this._delayedCall.cancel();
      this._delayedCall = null;
    }
  }

  /** @internal One tick: step tasks round-robin until the predicate says stop, then reschedule. */
  _runTick(): void {
    this._delayedCall = null;
    // try/finally: a throwing termination predicate (user code) must not leave the tasks unscheduled.
    try {
      const terminator = this._terminationPredicateFactory();
      walk: while (this._tasks.length > 0) {
        const list = this._metaList;
        while (this._metaIndex < list.length) {
          const t = list[this._metaIndex++];
          t._oneWorkUnit();
          if (terminator()) break walk;
        }
        this._metaList = this._tasks;
        this._metaIndex = 0;
      }
    } finally {
      this._reschedule();
    }
  }

  /** @internal Schedule a tick if started, none is pending and there is work. */
  _reschedule(): void {
    if (!this._started) {
      this._mustScheduleOnStart = true;
      return;
    }
    if (this._delayedCall === null && this._tasks.length > 0) this._delayedCall = this._scheduler(this._tick);
  }

  /**
   * Begin scheduling steps (after `started: false`, or after `stop()`).
   *
   * Port of `twisted.internet.task.Cooperator.start`.
   *
   * @example
   * ```ts no-run
   * const coop = new Cooperator({ started: false });
   * coop.cooperate(work());
   * coop.start();
   * ```
   */
  start(): void {
    this._stopped = false;
    this._started = true;
    if (this._mustScheduleOnStart) {
      this._mustScheduleOnStart = false;
      this._reschedule();
    }
  }

  /**
   * Stop scheduling steps: every running task finishes with SchedulerStopped (its `whenDone()`
   * Deferreds fail with it) and is forgotten; tasks added later finish with it at once, until
   * `start()`. A paused task finishes when it is resumed.
   *
   * Port of `twisted.internet.task.Cooperator.stop`.
   *
   * @example
   * ```ts no-run
   * reactor.addSystemEventTrigger('before', 'shutdown', () => coop.stop());
   * ```
   */
  stop(): void {
    this._stopped = true;
    // Twisted walks the live list while each completion removes from it, so it skips every
    // second task (which never finishes); walking a copy finishes them all.
    const tasks = this._tasks.slice();
    for (let i = 0; i < tasks.length; i++) {
      const t = tasks[i];
      if (t._completionState === null) {
        t._completeWith(new SchedulerStopped(), new Failure(new SchedulerStopped()));
      }
    }
    this._tasks = [];
    if (this._delayedCall !== null) {
      this._delayedCall.cancel();
      this._delayedCall = null;
    }
  }

  /**
   * True when started and not stopped. Port of `twisted.internet.task.Cooperator.running`.
   *
   * @example
   * ```ts no-run
   * new Cooperator({ started: false }).running; // false
   * ```
   */
  get running(): boolean {
    return this._started && !this._stopped;
  }
}

/**
 * @internal The process-wide Cooperator behind `cooperate()` and `coiterate()` (Twisted's
 * `_theCooperator`), created on first use and kept on globalThis, so every copy of twistless in
 * the process shares it.
 */
export function theCooperator(): Cooperator {
  return processWide('cooperator', () => new Cooperator());
}

/**
 * Run `iterator` on the global Cooperator, sharing time with every other task there; returns
 * its CooperativeTask.
 *
 * Port of `twisted.internet.task.cooperate`.
 *
 * @param iterator An iterator or iterable (a generator, an array).
 * @returns The task.
 * @throws NotAnIteratorError when `iterator` is neither an iterator nor iterable.
 * @example
 * ```ts no-run
 * const task = cooperate(function* () { for (const row of rows) { save(row); yield; } }());
 * ```
 */
export function cooperate<I extends Cooperable>(iterator: I): CooperativeTask<I> {
  return theCooperator().cooperate(iterator);
}

/**
 * Run `iterator` on the global Cooperator and return a Deferred that fires with it when it is
 * exhausted (or fails with its error).
 *
 * Port of `twisted.internet.task.coiterate`.
 *
 * @param iterator An iterator or iterable (a generator, an array).
 * @returns The completion Deferred.
 * @throws NotAnIteratorError when `iterator` is neither an iterator nor iterable.
 * @example
 * ```ts no-run
 * await coiterate(function* () { for (const row of rows) { save(row); yield; } }());
 * ```
 */
export function coiterate<I extends Cooperable>(iterator: I): Deferred<I> {
  return theCooperator().coiterate(iterator);
}
