// Port of twisted.internet.task.CooperativeTask (Twisted 22.4): one iterator stepped by a
// Cooperator (cooperator.ts), which it joins and leaves as it is paused, resumed, waits on a
// Deferred or finishes. Covered by spec/task/cooperator.spec.ts (CooperatorTests, RunStateTests
// of test_cooperator.py).
import { Deferred, isDeferred } from '../defer/deferred.js';
import { Failure, isFailure } from '../failure/failure.js';
import * as log from '../log/log.js';
import type { Cooperator } from './cooperator.js';
import { NotAnIteratorError, NotPaused, SchedulerError, TaskDone, TaskFailed, TaskStopped } from './errors.js';
import { isThenable } from '../internal/thenable.js';

/**
 * What can be cooperated on: an iterator (a generator) or anything iterable (an array, a Set).
 * Stands for the iterator argument of `twisted.internet.task.cooperate` (Python `Iterator`).
 */
export type Cooperable = Iterator<unknown> | Iterable<unknown>;

function stepperOf(x: unknown): Iterator<unknown> {
  if (x !== null && x !== undefined) {
    const o = x as { next?: unknown; [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown };
    // An async generator has next() too, but it returns promises: stepping it would never end.
    if (typeof o[Symbol.asyncIterator] === 'function' && typeof o[Symbol.iterator] !== 'function') {
      throw new NotAnIteratorError(x, true);
    }
    if (typeof o.next === 'function') return o as Iterator<unknown>;
    if (typeof o[Symbol.iterator] === 'function') {
      const it = (o[Symbol.iterator] as () => unknown).call(x) as { next?: unknown };
      if (it !== null && typeof it === 'object' && typeof it.next === 'function') return it as Iterator<unknown>;
    }
  }
  throw new NotAnIteratorError(x);
}

/** @internal The internal face of a CooperativeTask of any iterator type, as the Cooperator sees it. */
export interface Task {
  _completionState: SchedulerError | null;
  _completeWith(state: SchedulerError, result: Failure, close?: boolean): void;
  _oneWorkUnit(): void;
  resume(): void;
}

// The callbacks added to a Deferred a task yielded: module functions, so no closure per wait.
function resumeTask(_result: unknown, task: Task): undefined {
  task.resume();
  return undefined;
}

function failTask(failure: Failure, task: Task): Failure | undefined {
  // Twisted completes the task a second time here, which raises AlreadyCalledError from the
  // task's fired Deferreds; a task that is already over leaves the failure where it is.
  if (task._completionState !== null) return failure;
  task._completeWith(new TaskFailed(), failure);
  return undefined;
}

/**
 * A task inside a Cooperator: it can be paused, resumed and stopped, and its completion
 * watched with `whenDone()`. Made by `Cooperator.cooperate()` (or the module's `cooperate()`).
 *
 * Port of `twisted.internet.task.CooperativeTask`.
 *
 * @example
 * ```ts no-run
 * const task = cooperate(work());
 * task.pause();
 * task.resume();
 * task.whenDone().addCallback(() => console.log('done'));
 * ```
 */
export class CooperativeTask<I extends Cooperable = Cooperable> {
  /** @internal The object given to cooperate(); whenDone() fires with it. */
  readonly _iterator: I;
  /** @internal The iterator stepped (the object itself, or what its [Symbol.iterator]() returned). */
  readonly _stepper: Iterator<unknown>;
  /** @internal */
  readonly _cooperator: Cooperator;
  /** @internal The whenDone() Deferreds waiting for completion. */
  _deferreds: Deferred<I>[];
  /** @internal How many pause() calls are not yet matched by resume(). */
  _pauseCount: number;
  /** @internal null while the task is not finished; then TaskDone, TaskStopped, TaskFailed or SchedulerStopped. */
  _completionState: SchedulerError | null;
  /** @internal What whenDone() Deferreds fire with once finished: the iterator, or a Failure. */
  _completionResult: I | Failure | null;
  /** @internal True while the iterator's next() is on the stack. */
  _stepping: boolean;
  /** @internal The task finished during its own next(): return() is due once next() returns. */
  _closePending: boolean;

  /**
   * Not for direct use: call `Cooperator.cooperate(iterator)`. Port of the private
   * `CooperativeTask(iterator, cooperator)` constructor; it adds the task to the cooperator.
   *
   * @throws NotAnIteratorError when `iterator` is neither an iterator nor iterable.
   */
  constructor(iterator: I, cooperator: Cooperator) {
    this._stepper = stepperOf(iterator);
    this._iterator = iterator;
    this._cooperator = cooperator;
    this._deferreds = [];
    this._pauseCount = 0;
    this._completionState = null;
    this._completionResult = null;
    this._stepping = false;
    this._closePending = false;
    cooperator._addTask(this);
  }

  /**
   * A new Deferred (one per call) that fires with the iterator when it is exhausted, or fails
   * with its error, with TaskStopped after `stop()`, or with SchedulerStopped when the
   * Cooperator stops. On a finished task it has already fired.
   *
   * Port of `twisted.internet.task.CooperativeTask.whenDone`.
   *
   * @returns The completion Deferred.
   * @example
   * ```ts no-run
   * task.whenDone().addCallbacks(() => console.log('done'), (f) => console.log(f.getErrorMessage()));
   * ```
   */
  whenDone(): Deferred<I> {
    const d = new Deferred<I>();
    if (this._completionState === null) {
      this._deferreds.push(d);
    } else {
      const result = this._completionResult as I | Failure;
      if (isFailure(result)) d.errback(result);
      else d.callback(result);
    }
    return d;
  }

  /**
   * Stop doing work until `resume()`. Pauses nest: n pauses need n resumes.
   *
   * Port of `twisted.internet.task.CooperativeTask.pause`.
   *
   * @throws TaskDone, TaskStopped, TaskFailed or SchedulerStopped when the task has finished.
   * @example
   * ```ts no-run
   * task.pause(); task.pause(); task.resume(); // still paused
   * ```
   */
  pause(): void {
    this._checkFinish();
    this._pauseCount += 1;
    if (this._pauseCount === 1) this._cooperator._removeTask(this);
  }

  /**
   * Undo one `pause()`. When the last pause is undone the task runs again on a later tick
   * (never inside `resume()`). Resuming a task that finished while paused does nothing.
   *
   * Port of `twisted.internet.task.CooperativeTask.resume`.
   *
   * @throws NotPaused when the task is not paused.
   * @example
   * ```ts no-run
   * task.pause();
   * task.resume();
   * ```
   */
  resume(): void {
    if (this._pauseCount === 0) throw new NotPaused();
    this._pauseCount -= 1;
    if (this._pauseCount === 0 && this._completionState === null) this._cooperator._addTask(this);
  }

  /**
   * Stop the task for good: its iterator's `return()` is called (a generator's `finally` runs),
   * then its `whenDone()` Deferreds fail with TaskStopped. A task waiting on a Deferred it
   * yielded stays quiet when that Deferred fires.
   *
   * Port of `twisted.internet.task.CooperativeTask.stop`.
   *
   * @throws TaskDone, TaskStopped, TaskFailed or SchedulerStopped when the task has finished.
   * @example
   * ```ts no-run
   * task.whenDone().addErrback((f) => f.trap(TaskStopped));
   * task.stop();
   * ```
   */
  stop(): void {
    this._checkFinish();
    this._completeWith(new TaskStopped(), new Failure(new TaskStopped()));
  }

  /** @internal Throw the completion state, if any. */
  _checkFinish(): void {
    if (this._completionState !== null) throw this._completionState;
  }

  /**
   * @internal Finish with `state`; leave the cooperator, close the iterator when it is abandoned
   * (`close`: stopped, or failed while suspended), then fire the whenDone() Deferreds.
   */
  _completeWith(state: SchedulerError, result: I | Failure, close = true): void {
    this._completionState = state;
    this._completionResult = result;
    if (this._pauseCount === 0) this._cooperator._removeTask(this);
    if (close) this._close();
    // Fire only now that the task has left the Cooperator: a callback may stop the Cooperator
    // or add tasks without meeting this one half-finished.
    const ds = this._deferreds;
    this._deferreds = [];
    if (isFailure(result)) {
      for (let i = 0; i < ds.length; i++) ds[i].errback(result);
    } else {
      for (let i = 0; i < ds.length; i++) ds[i].callback(result);
    }
  }

  /** @internal One unit of work: one next(); finish on exhaustion or error; wait on a Deferred. */
  _oneWorkUnit(): void {
    let done: unknown;
    let value: unknown;
    this._stepping = true;
    try {
      const step: unknown = this._stepper.next();
      // Read done and value here too: a getter that throws fails this task, not the whole tick.
      if (step === null || typeof step !== 'object' || isThenable(step)) {
        // What for-of would throw on: next() must return an object { value, done } synchronously.
        throw new TypeError(`Iterator result ${isThenable(step) ? 'is a promise, not' : `${String(step)} is not`} an object: next() must return { value, done }`);
      }
      done = (step as IteratorResult<unknown>).done;
      if (done !== true) value = (step as IteratorResult<unknown>).value;
    } catch (e) {
      this._stepping = false;
      // next() threw: like for-of, leave the iterator unclosed (a generator is already over).
      this._closePending = false;
      if (this._completionState === null) this._completeWith(new TaskFailed(), new Failure(e), false);
      return;
    }
    this._stepping = false;
    if (this._completionState !== null) {
      // Stopped from inside its own step: close the iterator now that next() has returned.
      this._closeIfPending();
      return;
    }
    if (done === true) {
      this._completeWith(new TaskDone(), this._iterator, false);
      return;
    }
    try {
      if (isDeferred(value)) {
        this.pause();
        (value as Deferred<unknown>).addCallbacks(resumeTask, failTask, [this as Task], [this as Task]);
      } else if (isThenable(value)) {
        const d = Deferred.fromPromise(value);
        this.pause();
        d.addCallbacks(resumeTask, failTask, [this as Task], [this as Task]);
      }
    } catch (e) {
      if (this._completionState === null) this._completeWith(new TaskFailed(), new Failure(e), true);
    }
  }

  /** @internal Call the iterator's return(), if any, so a generator's finally runs; log what it throws. */
  _close(): void {
    if (this._stepping) {
      // next() is on the stack (a task stopped from its own step): a running generator cannot be
      // returned, so _oneWorkUnit closes it when next() comes back.
      this._closePending = true;
      return;
    }
    const it = this._stepper as { return?: unknown };
    try {
      const ret = it.return;
      if (typeof ret === 'function') (ret as () => unknown).call(it);
    } catch (e) {
      log.err(new Failure(e), 'Error closing the iterator of a finished CooperativeTask (its return() threw)');
    }
  }

  /** @internal Run a close that had to wait for next() to return. */
  _closeIfPending(): void {
    if (this._closePending) {
      this._closePending = false;
      this._close();
    }
  }
}
