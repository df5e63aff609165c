// Port of twisted.internet.defer.inlineCallbacks, _inlineCallbacks and
// _cancellableInlineCallbacks (Twisted 22.4).
// Covered by spec/defer/inlineCallbacks.spec.ts (InlineCallbacksTests of test_defgen.py,
// StopIterationReturnTests and CancellationTests of test_inlinecb.py, the stack-depth specs).
//
// How and why: the generator is driven by a loop, not by recursion. When it yields a Deferred
// that has already fired, `resume` runs inside `addHandOff` while `status.waiting` is still
// true: it only stores the result, and the loop sends it in on its next turn. Only a Deferred that
// has not fired yet makes the loop return; its later `resume` runs the generator in the stack of
// whoever fired it (as in Twisted, the generator resumes synchronously there) and, once it
// finishes, asks the callback loop (through `handOff`) to fire the call's Deferred: the loop does
// it without recursing, so a cascade of calls each waiting on the previous, of any depth, is
// delivered in constant stack and in Twisted's order.
//
// A call made from inside a generator starts its own generator at once (as in Twisted) unless
// START_DEPTH generators are already running further up the stack; then it is queued and the
// outermost generator's driver starts it as soon as its own step is over. So a recursive
// function (`walk(n - 1)` inside `walk(n)`) of any depth runs in bounded stack, in Twisted's
// order for the first START_DEPTH levels (Python's stack stops Twisted well before 1,000).
//
// Cancellation follows Twisted's design without touching the Deferred's callback list: each
// Deferred that an inlineCallbacks call completes through gets, when it is made, a first errback
// `handleCancel` that passes every failure on except the private InlineCallbacksCancelled. Its
// canceller errbacks it with that error; `handleCancel` then makes a fresh Deferred the new
// completion target, cancels the Deferred the generator is waiting on, and returns the fresh one,
// so the user's callbacks wait until the generator really finishes.

import { Failure, isFailure } from '../failure/failure.js';
import { describe as describeValue } from '../internal/describe.js';
import { processWide } from '../internal/processWide.js';
import { isThenable } from '../internal/thenable.js';
import { addHandOff } from './callbackLoop.js';
import { CALLED, handOff, type Slot } from './callbackQueue.js';
import { Deferred, isDeferred } from './deferred.js';
import { CancelledError, DeferredAsResultError, NotACoroutineError } from './errors.js';

/** Private: the error a cancelled inlineCallbacks Deferred is errbacked with first. */
class InlineCallbacksCancelled extends Error {
  /** The Deferred that was cancelled: only its own `handleCancel` acts on this marker. */
  readonly cancelled: Deferred<unknown>;
  constructor(cancelled: Deferred<unknown>) {
    super('inlineCallbacks: internal cancellation marker');
    this.name = 'InlineCallbacksCancelled';
    this.cancelled = cancelled;
  }
}

/**
 * The generator a function given to inlineCallbacks returns. It may yield anything; a yield
 * evaluates to the result of what was yielded. TypeScript cannot type a `yield` by its operand,
 * so a yield's type is `never` (assignable to anything, and no `any`): annotate it, as in
 * `const n: number = yield d`. Its return value is the result of the call's Deferred. The
 * TypeScript shape of the generator an `@inlineCallbacks` function returns (no Python
 * counterpart: Python's hints type it `Generator[Deferred[Any], Any, T]`).
 */
export type InlineGenerator<R> = Generator<unknown, R, never>;


/** The state of one running inlineCallbacks call. Port of `_CancellationStatus` plus `waiting`. */
class InlineStatus {
  /** The generator being driven. */
  readonly gen: Generator<unknown, unknown, unknown>;
  /** The Deferred to fire when the generator finishes (replaced on each cancel). */
  deferred: Deferred<unknown>;
  /** The Deferred the generator is suspended on. */
  waitingOn: Deferred<unknown> | null;
  /** True from `addHandOff(d, resume)` until that call returns: a result then arrives synchronously. */
  waiting: boolean;
  /** The result `resume` stored while `waiting`; the outcome once the generator finished. */
  value: unknown;
  /** True while queued to start (see START_DEPTH); `value` is then what to send in first. */
  queued: boolean;
  /** `[this]`: the args of every resume slot of this call (one array for all its yields). */
  readonly args: [InlineStatus];

  constructor(gen: Generator<unknown, unknown, unknown>) {
    this.gen = gen;
    this.deferred = null as unknown as Deferred<unknown>; // set right after construction
    this.waitingOn = null;
    this.waiting = false;
    this.value = undefined;
    this.queued = false;
    this.args = [this];
  }
}

/** How many generators may be running, one inside the other, before a new one is queued. */
export const START_DEPTH = 100;

/** Process-wide: the generators running on the stack now, and the starts queued meanwhile. */
interface DriveState {
  depth: number;
  queue: (InlineStatus | null)[];
  head: number;
}

const driveState: DriveState = processWide<DriveState>('defer.inlineCallbacks', () => ({ depth: 0, queue: [], head: 0 }));

/**
 * @internal True for a (synchronous) generator object: something with next, throw and return.
 * An async generator is not one: its next() returns a promise, which the driver cannot step.
 */
export function isGenerator(x: unknown): x is Generator<unknown, unknown, unknown> {
  return (
    x !== null &&
    typeof x === 'object' &&
    typeof (x as Generator).next === 'function' &&
    typeof (x as Generator).throw === 'function' &&
    typeof (x as Generator).return === 'function' &&
    typeof (x as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] !== 'function'
  );
}

/** @internal `describeValue`, naming async generators (whose objects describe as plain objects). */
export function describeProduct(x: unknown): string {
  if (x !== null && typeof x === 'object' && typeof (x as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function') {
    return 'an async generator';
  }
  return describeValue(x);
}

/** The canceller of every completion Deferred: errback it with the private marker. */
function cancelInline(d: Deferred<unknown>): void {
  d.errback(new Failure(new InlineCallbacksCancelled(d)));
}

/** A completion Deferred for `status`, with `handleCancel` first in its chain. */
function newCompletion(status: InlineStatus): Deferred<unknown> {
  const d = new Deferred<unknown>(cancelInline);
  d.addErrback(handleCancel, status, d);
  return d;
}

/**
 * Port of `_cancellableInlineCallbacks.handleCancel`: on the private marker, switch the
 * generator's completion to a fresh Deferred, cancel what it is waiting on, and make the
 * cancelled Deferred wait on the fresh one. Any other failure passes through.
 */
function handleCancel(failure: Failure, status: InlineStatus, self: Deferred<unknown>): unknown {
  // Twisted adds handleCancel to the cancelled Deferred only, at cancel time: a marker that the
  // generator rethrew into a later completion Deferred is an ordinary failure there.
  if (!(failure.value instanceof InlineCallbacksCancelled) || failure.value.cancelled !== self) return failure;
  const fresh = newCompletion(status);
  status.deferred = fresh;
  // Queued, not started: it starts by having the cancellation thrown in (ending it at once).
  if (status.queued) status.value = new Failure(new CancelledError());
  const awaited = status.waitingOn;
  if (awaited !== null) awaited.cancel();
  return fresh;
}

/**
 * The HANDOFF slot added to each yielded Deferred. It consumes the result (returns undefined)
 * and, when the generator finishes, has the loop fire the call's Deferred (port of `gotResult`).
 */
function resume(result: unknown, status: InlineStatus): undefined {
  if (status.waiting) {
    status.waiting = false;
    status.value = result;
  } else if (step(status, result)) {
    handOff(status.deferred, status.value);
  }
  return undefined;
}

/**
 * Send `result` in and drive the generator until it waits (false) or finishes (true, with its
 * outcome, a value or a Failure, in `status.value`). Counts the generators on the stack, and
 * the outermost one starts the queued ones once it is done.
 */
function step(status: InlineStatus, result: unknown): boolean {
  const s = driveState;
  s.depth++;
  let finished: boolean;
  try {
    finished = drive(status, result);
  } finally {
    s.depth--;
  }
  if (s.depth === 0 && s.head < s.queue.length) startQueued(s);
  return finished;
}

/** Start the queued generators, first queued first; later ones queued meanwhile too. */
function startQueued(s: DriveState): void {
  let error: unknown = null;
  let failed = false;
  s.depth++;
  try {
    while (s.head < s.queue.length) {
      const status = s.queue[s.head] as InlineStatus;
      s.queue[s.head++] = null;
      status.queued = false;
      const first = status.value;
      status.value = undefined;
      try {
        if (drive(status, first)) complete(status);
      } catch (e) {
        // One bad start (its Deferred fired by hand) must not strand the others. Rethrown below.
        if (!failed) {
          failed = true;
          error = e;
        }
      }
    }
    s.queue = [];
    s.head = 0;
  } finally {
    s.depth--;
  }
  if (failed) throw error;
}

/** Port of `_inlineCallbacks`' loop: send results in until the generator waits or finishes. */
function drive(status: InlineStatus, result: unknown): boolean {
  const gen = status.gen;
  for (;;) {
    let stepped: IteratorResult<unknown, unknown>;
    try {
      stepped = isFailure(result) ? result.throwExceptionIntoGenerator(gen) : gen.next(result);
      if (typeof stepped !== 'object' || stepped === null) {
        throw new NotACoroutineError(`inlineCallbacks: the iterator's next() returned ${describeValue(stepped)}, not an iterator result`);
      }
    } catch (e) {
      status.value = new Failure(e);
      return true;
    }
    if (stepped.done === true) {
      status.value = outcomeOf(stepped.value);
      return true;
    }
    let yielded = stepped.value;
    if (!isDeferred(yielded)) {
      if (!isThenable(yielded)) {
        // A plain value (or a Failure, which is then thrown in) comes straight back.
        result = yielded;
        continue;
      }
      yielded = Deferred.fromPromise(yielded);
    }
    const d = yielded as Deferred<unknown>;
    if (d._state === CALLED && d._cbs === null && !isDeferred(d._result)) {
      // Fired and idle: what addHandOff's fast path would do with `resume`, without the call.
      result = d._result;
      d._chainedTo = null;
      d._result = undefined;
      if (d._debugInfo !== null) d._debugInfo.failResult = null;
      continue;
    }
    status.waiting = true;
    addHandOff(d, resume as Slot, status.args, resume as Slot, status.args);
    if (status.waiting) {
      // Not fired yet: resume will go on from d's callback chain.
      status.waiting = false;
      status.waitingOn = d;
      return false;
    }
    result = status.value;
    status.value = undefined;
  }
}

/** The generator returned `value`: what the call's Deferred fires with. */
function outcomeOf(value: unknown): unknown {
  if (isDeferred(value)) {
    // Twisted raises AssertionError here and never fires; twistless fails the call instead.
    const error = new DeferredAsResultError('the return of an inlineCallbacks generator');
    error.message =
      'An inlineCallbacks generator returned a Deferred: a Deferred is not a result. Yield it ' +
      'first and return what it gives: `return (yield d);`';
    return new Failure(error);
  }
  return value;
}

/** Fire the call's Deferred with the finished generator's outcome (outside the callback loop). */
function complete(status: InlineStatus): void {
  const outcome = status.value;
  status.value = undefined;
  status.deferred.callback(outcome);
}

/**
 * @internal Run `gen` to its first wait and return the Deferred of its result: the driver of
 * inlineCallbacks and of ensureDeferred(generator). Past START_DEPTH generators running on the
 * stack, it is queued instead and starts as soon as the outermost one's step is over.
 */
export function runGenerator<R>(gen: Generator<unknown, R, unknown>): Deferred<R> {
  const status = new InlineStatus(gen as Generator<unknown, unknown, unknown>);
  const d = newCompletion(status);
  status.deferred = d;
  const s = driveState;
  if (s.depth >= START_DEPTH) {
    status.queued = true;
    s.queue.push(status);
  } else if (step(status, undefined)) {
    complete(status);
  }
  return d as Deferred<R>;
}

/**
 * Write Deferred-using code as a generator: `yield` a Deferred (or a promise) to wait for its
 * result, and `return` the result of the whole. The returned function calls `fn` with the same
 * arguments and `this`, and returns a Deferred of the generator's return value.
 *
 * Port of `twisted.internet.defer.inlineCallbacks`:
 * - the generator runs synchronously until it yields a Deferred that has not fired, and resumes
 *   synchronously when that Deferred fires (in the stack of whoever fired it);
 * - `yield` of a Deferred gives its result, and leaves that Deferred with `undefined`; a failure
 *   is thrown in at the `yield`, where `try`/`catch` can handle it; `yield` of a promise or
 *   other thenable waits for it; `yield` of any other value gives the value back;
 * - a throw out of the generator fails the Deferred; `return v` gives it `v` (falling off the
 *   end gives `undefined`); returning a Deferred fails it with `DeferredAsResultError` (Twisted:
 *   an AssertionError that leaves it unfired) - yield it first;
 * - cancelling the returned Deferred cancels the Deferred the generator waits on; what that
 *   Deferred ends with (usually a CancelledError) is thrown in at the `yield`, and the returned
 *   Deferred's callbacks run only when the generator finishes;
 * - any number of yields of fired Deferreds run in constant stack.
 *
 * For a method, keep `this` by giving a `function*` that declares it:
 * `fetch = inlineCallbacks(function* (this: Client, url: string) { ... })`. It is not usable as
 * a decorator (`@inlineCallbacks`): a TC39 method decorator must keep the method's type, and
 * this changes its return type from a Generator to a Deferred.
 *
 * @param fn - a generator function (`function*`).
 * @returns a function with `fn`'s parameters that returns a Deferred of its return value.
 * @throws NotACoroutineError (a TypeError), from the returned function, when `fn` does not
 *   return a generator; an exception thrown by a non-generator `fn` propagates as is.
 * @example
 * ```ts no-run
 * const addLater = inlineCallbacks(function* (a: number, d: Deferred<number>) {
 *   const b: number = yield d;
 *   return a + b;
 * });
 * const d = new Deferred<number>();
 * addLater(1, d).addCallback((v) => console.log(v));
 * d.callback(2); // prints 3
 * ```
 */
export function inlineCallbacks<This, A extends unknown[], R>(
  fn: (this: This, ...args: A) => InlineGenerator<R>,
): (this: This, ...args: A) => Deferred<R> {
  if (typeof fn !== 'function') {
    throw new NotACoroutineError(`inlineCallbacks needs a generator function (function*), but got ${describeValue(fn)}`);
  }
  const unwindGenerator = function (this: This, ...args: A): Deferred<R> {
    const gen: unknown = fn.apply(this, args);
    if (!isGenerator(gen)) {
      throw new NotACoroutineError(
        `inlineCallbacks requires ${fn.name === '' ? 'an anonymous function' : `function ${fn.name}`} ` +
          `to produce a generator; instead got ${describeProduct(gen)}. Declare it with function* ` +
          '(not async function*) and yield the Deferreds and promises it waits on.',
      );
    }
    return runGenerator(gen as Generator<unknown, R, unknown>);
  };
  Object.defineProperty(unwindGenerator, 'name', { value: fn.name, configurable: true });
  return unwindGenerator;
}
