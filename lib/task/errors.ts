// Port of the errors of twisted.internet.task (SchedulerError, SchedulerStopped, TaskFinished,
// TaskDone, TaskStopped, TaskFailed, NotPaused), plus the typed errors twistless raises where
// Twisted used a bare `assert` or a ValueError (LoopingCall's state checks, react's SystemExit).
// Covered by spec/task/loopingCall.spec.ts, spec/task/cooperator.spec.ts, spec/task/react.spec.ts.
import { inspect } from 'node:util';

/**
 * The operation could not be completed because a Cooperator or one of its tasks was in an
 * invalid state. Never raised itself: the parent of SchedulerStopped, TaskFinished and NotPaused.
 * Port of `twisted.internet.task.SchedulerError`.
 *
 * @example
 * ```ts no-run
 * try { task.pause(); } catch (e) { if (e instanceof SchedulerError) console.log(e.name); }
 * ```
 */
export class SchedulerError extends Error {
  constructor(message = '') {
    super(message);
    this.name = 'SchedulerError';
  }
}

/**
 * The Cooperator was stopped while the task was in progress, or before it was added: its
 * `whenDone()` Deferreds fail with this. Port of `twisted.internet.task.SchedulerStopped`.
 *
 * @example
 * ```ts no-run
 * coop.stop();
 * coop.coiterate([1, 2]).addErrback((f) => f.trap(SchedulerStopped));
 * ```
 */
export class SchedulerStopped extends SchedulerError {
  constructor(message = 'the Cooperator was stopped; call start() on it before adding tasks') {
    super(message);
    this.name = 'SchedulerStopped';
  }
}

/**
 * The task has finished (done, stopped or failed) and cannot be paused or stopped any more.
 * The parent of TaskDone, TaskStopped and TaskFailed. Port of `twisted.internet.task.TaskFinished`.
 *
 * @example
 * ```ts no-run
 * try { task.stop(); } catch (e) { if (e instanceof TaskFinished) console.log('already over'); }
 * ```
 */
export class TaskFinished extends SchedulerError {
  constructor(message = 'the task has already finished') {
    super(message);
    this.name = 'TaskFinished';
  }
}

/**
 * The task's iterator is exhausted; `pause()` and `stop()` on it throw this.
 * Port of `twisted.internet.task.TaskDone`.
 *
 * @example
 * ```ts no-run
 * task.stop(); // after the iterator has run out: throws TaskDone
 * ```
 */
export class TaskDone extends TaskFinished {
  constructor(message = 'the task is done: its iterator is exhausted, so it cannot be paused or stopped') {
    super(message);
    this.name = 'TaskDone';
  }
}

/**
 * The task was stopped with `stop()`: its `whenDone()` Deferreds fail with this, and a second
 * `stop()` or a `pause()` throws it. Port of `twisted.internet.task.TaskStopped`.
 *
 * @example
 * ```ts no-run
 * task.stop();
 * task.stop(); // throws TaskStopped
 * ```
 */
export class TaskStopped extends TaskFinished {
  constructor(message = 'the task was stopped; it cannot be paused or stopped again') {
    super(message);
    this.name = 'TaskStopped';
  }
}

/**
 * The task's iterator threw (or a Deferred it yielded failed); `pause()` and `stop()` on it throw
 * this. The `whenDone()` Deferreds fail with the original error, not with this.
 * Port of `twisted.internet.task.TaskFailed`.
 *
 * @example
 * ```ts no-run
 * task.stop(); // after the iterator threw: throws TaskFailed
 * ```
 */
export class TaskFailed extends TaskFinished {
  constructor(message = 'the task failed: its iterator threw, so it cannot be paused or stopped') {
    super(message);
    this.name = 'TaskFailed';
  }
}

/**
 * `resume()` was called on a task that is not paused (more resumes than pauses).
 * Port of `twisted.internet.task.NotPaused`.
 *
 * @example
 * ```ts no-run
 * const task = coop.cooperate(gen());
 * task.resume(); // throws NotPaused
 * ```
 */
export class NotPaused extends SchedulerError {
  constructor(message = 'resume() was called on a task that is not paused; call pause() first (each pause() takes one resume())') {
    super(message);
    this.name = 'NotPaused';
  }
}

/**
 * `LoopingCall.start()` on a LoopingCall that is already running. Twisted raises
 * `AssertionError("Tried to start an already running LoopingCall.")`; twistless raises this,
 * with the same first sentence, and changes nothing.
 *
 * Port of the `AssertionError` of `twisted.internet.task.LoopingCall.start`.
 *
 * @example
 * ```ts no-run
 * lc.start(1);
 * lc.start(1); // throws LoopingCallAlreadyRunning
 * ```
 */
export class LoopingCallAlreadyRunning extends Error {
  constructor(
    message = 'Tried to start an already running LoopingCall. Call stop() first; the Deferred the first start() returned fires when it has stopped.',
  ) {
    super(message);
    this.name = 'LoopingCallAlreadyRunning';
  }
}

/**
 * `LoopingCall.stop()` or `reset()` on a LoopingCall that is not running (never started,
 * stopped, or stopped by a failure). Twisted raises `AssertionError("Tried to stop a LoopingCall
 * that was not running.")`; twistless raises this, with the same first sentence.
 *
 * Port of the `AssertionError` of `twisted.internet.task.LoopingCall.stop` and `reset`.
 *
 * @example
 * ```ts no-run
 * new LoopingCall(f).stop(); // throws LoopingCallNotRunning
 * ```
 */
export class LoopingCallNotRunning extends Error {
  constructor(what: 'stop' | 'reset' = 'stop') {
    super(
      `Tried to ${what} a LoopingCall that was not running. Check lc.running first; start it with lc.start(interval).`,
    );
    this.name = 'LoopingCallNotRunning';
  }
}

/**
 * `LoopingCall.start(interval)` with an interval that is negative, NaN, infinite or not a number.
 * Twisted raises `ValueError("interval must be >= 0")`; twistless raises this RangeError, with
 * the same first words, and starts nothing.
 *
 * Port of the `ValueError` of `twisted.internet.task.LoopingCall.start`.
 *
 * @example
 * ```ts no-run
 * lc.start(-1); // throws InvalidLoopingCallInterval
 * ```
 */
export class InvalidLoopingCallInterval extends RangeError {
  /** The rejected value. */
  readonly interval: unknown;
  constructor(interval: unknown, message?: string) {
    super(
      message ??
        `interval must be >= 0 (a finite number of seconds), but LoopingCall.start() got ${typeof interval === 'number' ? String(interval) : `${typeof interval} ${String(interval)}`}; pass the seconds between calls, e.g. start(0.5)`,
    );
    this.name = 'InvalidLoopingCallInterval';
    this.interval = interval;
  }
}

/**
 * Fail `react()`'s main with this to choose the process exit code, as a Python program raises
 * `SystemExit(code)`, with Python's `sys.exit` rules: an integer is the exit code; `undefined`
 * or `null` means 0; `true` and `false` are 1 and 0 (a Python bool is an int); anything else (a
 * string, a non-integer number such as 2.5 or NaN, an object) is written to stderr and the exit
 * code is 1.
 * Port of Python's builtin `SystemExit`, as `twisted.internet.task.react` treats it.
 *
 * @example
 * ```ts no-run
 * react(async () => { throw new SystemExit(3); }); // exits with status 3
 * ```
 */
export class SystemExit extends Error {
  /** The exit status (an integer), nothing (0), or anything else: written to stderr, status 1. */
  readonly code: unknown;
  constructor(code?: unknown) {
    super(code === undefined ? 'SystemExit' : typeof code === 'string' ? code : describeExitCode(code));
    this.name = 'SystemExit';
    this.code = code;
  }
}

/** @internal How Python prints a non-integer exit code: str(code); objects in util.inspect form. */
export function describeExitCode(code: unknown): string {
  return typeof code === 'object' && code !== null ? inspect(code) : String(code);
}

/**
 * `cooperate()` or `coiterate()` was given something that is neither an iterator (an object with
 * `next()`, such as a generator) nor iterable (an array, a Set, a string), or an async iterator
 * (an async generator), whose `next()` returns promises. twistless throws at once and schedules
 * nothing.
 *
 * No Python counterpart: Twisted fails the task later with the `TypeError` of `next()`.
 *
 * @example
 * ```ts no-run
 * coiterate(42 as never); // throws NotAnIteratorError
 * ```
 */
export class NotAnIteratorError extends TypeError {
  /** The rejected value. */
  readonly value: unknown;
  constructor(value: unknown, async = false) {
    super(
      async
        ? `${String(value)} is an async iterator: a Cooperator steps synchronous iterators; pass a generator (function* () { ... }()) that yields a promise or a Deferred where it must wait`
        : `${typeof value === 'string' ? JSON.stringify(value) : String(value)} is neither an iterator nor iterable: pass a generator (function* () { ... }()), an iterator or an array`,
    );
    this.name = 'NotAnIteratorError';
    this.value = value;
  }
}
