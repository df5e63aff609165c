// Port of the error classes of twisted.internet.defer (Twisted 22.4), plus the named errors
// twistless throws where Twisted uses a bare `assert`.
// Covered by spec/defer/errors.spec.ts, spec/defer/deferred.spec.ts, spec/defer/deferredList.spec.ts,
// spec/defer/locks.spec.ts and spec/defer/inlineCallbacks.spec.ts.

/**
 * Thrown when `callback()` or `errback()` is called on a Deferred that has already fired.
 *
 * Port of `twisted.internet.defer.AlreadyCalledError`. With `setDebugging(true)` the message
 * also holds the stack where the Deferred was created (lines starting ` C:`) and the stack of
 * its first invoker (lines starting ` I:`), in Twisted's layout.
 *
 * @example
 * ```ts
 * const d = succeed(1);
 * try { d.callback(2); } catch (e) { console.log((e as Error).name); } // AlreadyCalledError
 * ```
 */
export class AlreadyCalledError extends Error {
  /** The debugging text (creator and first-invoker stacks), or `''` when debugging was off. */
  readonly debugInfo: string;
  constructor(debugInfo = '') {
    super(
      'Deferred has already been called: callback() and errback() may each be called once, and only ' +
        'one of them. ' +
        (debugInfo === ''
          ? 'Call setDebugging(true) to see where it was created and first fired.'
          : 'Where it was created and first fired:\n' + debugInfo),
    );
    this.name = 'AlreadyCalledError';
    this.debugInfo = debugInfo;
  }
}

/**
 * The failure a Deferred gets when it is cancelled and its canceller did not fire it.
 *
 * Port of `twisted.internet.defer.CancelledError`.
 *
 * @example
 * ```ts
 * const d = new Deferred<number>();
 * d.addErrback((f) => { f.trap(CancelledError); return -1; });
 * d.cancel(); // d.result === -1
 * ```
 */
export class CancelledError extends Error {
  constructor(message = 'Deferred was cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

/**
 * The failure a Deferred gets from `addTimeout` when the timeout expires first.
 *
 * Port of `twisted.internet.defer.TimeoutError`. Twisted builds it as
 * `TimeoutError(timeout, "Deferred")`; those two values are kept as `timeout` and `what`
 * (and as `args`, like Python's exception args).
 *
 * @example
 * ```ts
 * const e = new TimeoutError(10, 'Deferred');
 * console.log(e.timeout, e.what); // 10 Deferred
 * ```
 */
export class TimeoutError extends Error {
  /** The timeout, in seconds, that expired. */
  readonly timeout: number | undefined;
  /** What timed out (`'Deferred'` for `addTimeout`). */
  readonly what: string | undefined;
  /** Python's exception args: `[timeout, what]`. */
  readonly args: readonly unknown[];
  constructor(timeout?: number, what?: string) {
    super(
      timeout === undefined
        ? 'Timed out'
        : `${what ?? 'Operation'} timed out after ${timeout} second${timeout === 1 ? '' : 's'}`,
    );
    this.name = 'TimeoutError';
    this.timeout = timeout;
    this.what = what;
    this.args = timeout === undefined ? [] : what === undefined ? [timeout] : [timeout, what];
  }
}

/**
 * Thrown by `callback()` (and `succeed()`, `execute()`) when the result given is itself a
 * Deferred. A Deferred is not a result: return it from a callback to wait on it, or use
 * `chainDeferred`. Port of the bare `AssertionError` Twisted raises here.
 *
 * @example
 * ```ts
 * try { new Deferred().callback(new Deferred()); } catch (e) { console.log((e as Error).name); }
 * // DeferredAsResultError
 * ```
 */
export class DeferredAsResultError extends TypeError {
  constructor(where = 'callback()') {
    super(
      `Cannot pass a Deferred to ${where}: a Deferred is not a result. To wait on it, return it ` +
        'from a callback (d.addCallback(() => other)), or forward its result with other.chainDeferred(d)',
    );
    this.name = 'DeferredAsResultError';
  }
}

/**
 * The failure a Deferred gets when one of its callbacks returns that same Deferred. Twisted
 * 22.4 only warns ("this breaks the callback chain and will raise an exception in the future")
 * and then hangs for ever; twistless makes it the failure, as Twisted does when warnings are errors.
 * Port of that `DeprecationWarning` ("Callback returned the Deferred it was attached to").
 *
 * @example
 * ```ts
 * const d = new Deferred<unknown>();
 * d.addCallback(() => d);
 * d.callback(1); // d.result is a Failure of CircularChainError
 * ```
 */
export class CircularChainError extends Error {
  constructor() {
    super(
      'Callback returned the Deferred it was attached to; this breaks the callback chain: ' +
        'return a value, or a different Deferred',
    );
    this.name = 'CircularChainError';
  }
}

/**
 * Thrown when something that is not a function is given where a callback, errback or canceller
 * is expected. Nothing is added to the chain. Port of the bare `AssertionError` Twisted raises
 * here (`assert callable(callback)` in `addCallbacks`).
 *
 * @example
 * ```ts
 * try { succeed(1).addCallback(42 as never); } catch (e) { console.log((e as Error).name); }
 * // InvalidCallbackError
 * ```
 */
export class InvalidCallbackError extends TypeError {
  /** The value that was given. */
  readonly value: unknown;
  constructor(method: string, role: string, value: unknown) {
    super(
      `${method} needs a function as its ${role}, but got ${describeValue(value)}: pass a function ` +
        '(to add only the other half, use addCallback or addErrback)',
    );
    this.name = 'InvalidCallbackError';
    this.value = value;
  }
}

/**
 * Thrown by `addTimeout` for a timeout that is negative, NaN or infinite. Nothing is scheduled.
 * No Python counterpart: Twisted passes the timeout on to `callLater`, where the reactor
 * asserts `delay >= 0` (an `AssertionError`) and `task.Clock` accepts anything.
 *
 * @example
 * ```ts
 * try { new Deferred().addTimeout(-1, clock); } catch (e) { console.log((e as Error).name); }
 * // InvalidTimeoutError
 * ```
 */
export class InvalidTimeoutError extends RangeError {
  /** The value that was given. */
  readonly value: unknown;
  constructor(value: unknown) {
    super(
      `addTimeout needs a timeout in seconds that is a finite number >= 0, but got ${describeValue(value)}: ` +
        'pass e.g. 10 or 0.5',
    );
    this.name = 'InvalidTimeoutError';
    this.value = value;
  }
}

/**
 * Thrown by `addTimeout` when its clock is not an `IReactorTime` (an object with `callLater`).
 * No Python counterpart: Twisted fails later with an `AttributeError` on `clock.callLater`.
 *
 * @example
 * ```ts
 * try { new Deferred().addTimeout(1, {} as never); } catch (e) { console.log((e as Error).name); }
 * // InvalidClockError
 * ```
 */
export class InvalidClockError extends TypeError {
  constructor(value: unknown) {
    super(
      `addTimeout needs an IReactorTime (an object with callLater(), such as reactor or a task.Clock), ` +
        `but got ${describeValue(value)}: pass one of those`,
    );
    this.name = 'InvalidClockError';
  }
}

/** @internal A short description of a value for error messages ("a string", "null", "42"). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '...' : value)}`;
    case 'number':
    case 'bigint':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'function':
      return 'a function';
    case 'symbol':
      return value.toString();
    default: {
      const ctor = (value as { constructor?: { name?: unknown } }).constructor;
      const name = ctor && typeof ctor.name === 'string' && ctor.name !== '' ? ctor.name : 'Object';
      return `an object (${name})`;
    }
  }
}

/**
 * Thrown by `Deferred.fromPromise` when given something with no `then` method.
 * Twisted analog: `Deferred.fromCoroutine` raises `NotACoroutineError` for a non-coroutine
 * (and `fromFuture` an `AttributeError` for a non-future).
 *
 * @example
 * ```ts
 * try { Deferred.fromPromise(42 as never); } catch (e) { console.log((e as Error).name); }
 * // NotAPromiseError
 * ```
 */
export class NotAPromiseError extends TypeError {
  /** The value that was given. */
  readonly value: unknown;
  constructor(where: string, value: unknown) {
    super(`${where} needs a Promise or another thenable, but got ${describeValue(value)}: pass a promise, or use succeed(value) for a plain value`);
    this.name = 'NotAPromiseError';
    this.value = value;
  }
}

/**
 * Thrown by DeferredList, gatherResults and race when an input is not a Deferred. Nothing is
 * attached to any input. Twisted fails with an `AttributeError` (no `addCallbacks`) part-way,
 * after attaching to the inputs before it.
 *
 * @example
 * ```ts no-run
 * try { gatherResults([Promise.resolve(1)] as never); } catch (e) { console.log((e as Error).name); }
 * // NotADeferredError
 * ```
 */
export class NotADeferredError extends TypeError {
  /** The position of the offending input. */
  readonly index: number;
  /** The offending input. */
  readonly value: unknown;
  constructor(where: string, index: number, value: unknown) {
    super(
      `${where} needs Deferreds, but input ${index} is ${describeValue(value)}: wrap a promise with ` +
        'Deferred.fromPromise(p), and a plain value with succeed(v)',
    );
    this.name = 'NotADeferredError';
    this.index = index;
    this.value = value;
  }
}

/**
 * Thrown by DeferredList, gatherResults and race when their first argument is not iterable (an
 * array or any other iterable of Deferreds). Nothing is attached to anything.
 *
 * A twistless error: Twisted raises Python's `TypeError` here.
 *
 * @example
 * ```ts no-run
 * try { gatherResults(succeed(1) as never); } catch (e) { console.log((e as Error).name); }
 * // NotIterableError
 * ```
 */
export class NotIterableError extends TypeError {
  /** What was passed instead. */
  readonly value: unknown;
  constructor(where: string, value: unknown) {
    super(`${where} needs an iterable (such as an array) of Deferreds, but got ${describeValue(value)}: pass [d] for a single Deferred`);
    this.name = 'NotIterableError';
    this.value = value;
  }
}

/**
 * Thrown by `new DeferredList(deferreds, options)` when `options` is not an object of the known
 * flags (`fireOnOneCallback`, `fireOnOneErrback`, `consumeErrors`), such as Python's positional
 * `True` or a misspelt name. Nothing is attached to any input.
 *
 * A twistless error: Twisted raises Python's `TypeError` for an unknown keyword.
 *
 * @example
 * ```ts no-run
 * try { new DeferredList([], { consumeError: true } as never); } catch (e) { console.log((e as Error).name); }
 * // InvalidOptionsError
 * ```
 */
export class InvalidOptionsError extends TypeError {
  /** The options object, or the offending value. */
  readonly value: unknown;
  constructor(message: string, value: unknown) {
    super(message);
    this.name = 'InvalidOptionsError';
    this.value = value;
  }
}

/**
 * The failure of a `gatherResults` Deferred fired by hand with something other than a
 * DeferredList's list of `[success, value]` pairs (`gatherResults([d]).callback(0)`): its
 * collecting callback refuses it. Twisted fails the same way, with Python's `TypeError` (or
 * `ValueError` for a pair of the wrong length).
 *
 * @example
 * ```ts no-run
 * const g = gatherResults([new Deferred<number>()]);
 * g.callback(0 as never);
 * g.addErrback((f: Failure) => console.log(f.type === MalformedListResultError)); // true
 * ```
 */
export class MalformedListResultError extends TypeError {
  /** The result that was refused. */
  readonly value: unknown;
  constructor(value: unknown, index: number) {
    super(
      `gatherResults collects a list of [success, value] pairs, but got ${describeValue(value)}` +
        (index >= 0 ? ` (item ${index} is not a pair)` : '') +
        ': fire the input Deferreds, not the one gatherResults returned',
    );
    this.name = 'MalformedListResultError';
    this.value = value;
  }
}

/**
 * Thrown by `DeferredLock.release()` when the lock is not locked. Nothing changes.
 * Twisted raises a bare `AssertionError("Tried to release an unlocked lock")`.
 *
 * @example
 * ```ts no-run
 * try { new DeferredLock().release(); } catch (e) { console.log((e as Error).name); } // NotLockedError
 * ```
 */
export class NotLockedError extends Error {
  constructor() {
    super(
      'Tried to release an unlocked lock: DeferredLock.release() was called while the lock is not ' +
        'locked. Call release() once for each acquire() whose Deferred has fired (or use run()).',
    );
    this.name = 'NotLockedError';
  }
}

/**
 * Thrown by `new DeferredSemaphore(tokens)` when `tokens` is not a whole number >= 1.
 * Twisted raises `ValueError("DeferredSemaphore requires tokens >= 1")` for tokens < 1.
 *
 * @example
 * ```ts no-run
 * try { new DeferredSemaphore(0); } catch (e) { console.log((e as Error).name); } // InvalidTokensError
 * ```
 */
export class InvalidTokensError extends RangeError {
  /** The value that was given. */
  readonly tokens: unknown;
  constructor(tokens: unknown) {
    super(
      `DeferredSemaphore requires tokens >= 1, but got ${describeValue(tokens)}: pass the number of ` +
        'holders allowed at once, a whole number such as 1 or 10',
    );
    this.name = 'InvalidTokensError';
    this.tokens = tokens;
  }
}

/**
 * Thrown by `DeferredSemaphore.release()` when every token is already free. Nothing changes.
 * Twisted raises a bare `AssertionError("Someone released me too many times: too many tokens!")`.
 *
 * @example
 * ```ts no-run
 * try { new DeferredSemaphore(2).release(); } catch (e) { console.log((e as Error).name); }
 * // TooManyReleasesError
 * ```
 */
export class TooManyReleasesError extends Error {
  /** The semaphore's limit (all of its tokens were free). */
  readonly limit: number;
  constructor(limit: number) {
    super(
      `Someone released me too many times: too many tokens! DeferredSemaphore.release() was called ` +
        `with all ${limit} token${limit === 1 ? '' : 's'} already free. Call release() once for each ` +
        'acquire() whose Deferred has fired (or use run()).',
    );
    this.name = 'TooManyReleasesError';
    this.limit = limit;
  }
}

/**
 * Thrown by `DeferredQueue.put()` when the queue already holds `size` items and no get is
 * waiting. The item is not added; nothing queued is lost.
 *
 * Port of `twisted.internet.defer.QueueOverflow`.
 *
 * @example
 * ```ts no-run
 * const q = new DeferredQueue<number>(1);
 * q.put(1);
 * try { q.put(2); } catch (e) { console.log((e as QueueOverflow).value); } // 2
 * ```
 */
export class QueueOverflow extends Error {
  /** The item that was not put. */
  readonly value: unknown;
  /** The queue's size limit. */
  readonly size: number;
  constructor(value: unknown, size: number) {
    super(
      `DeferredQueue.put(): the queue is full (${size} of ${size} items pending, no get waiting), so ` +
        'the item was not added. get() an item first, or make the queue with a larger size (or none).',
    );
    this.name = 'QueueOverflow';
    this.value = value;
    this.size = size;
  }
}

/**
 * Thrown by `DeferredQueue.get()` when the queue is empty and `backlog` gets are already
 * waiting. No get is added.
 *
 * Port of `twisted.internet.defer.QueueUnderflow`.
 *
 * @example
 * ```ts no-run
 * const q = new DeferredQueue<number>(undefined, 0);
 * try { q.get(); } catch (e) { console.log((e as Error).name); } // QueueUnderflow
 * ```
 */
export class QueueUnderflow extends Error {
  /** The queue's backlog limit. */
  readonly backlog: number;
  constructor(backlog: number) {
    super(
      `DeferredQueue.get(): the queue is empty and ${backlog} get${backlog === 1 ? ' is' : 's are'} ` +
        'already waiting (its backlog), so no get was added. put() an item first, or make the queue ' +
        'with a larger backlog (or none).',
    );
    this.name = 'QueueUnderflow';
    this.backlog = backlog;
  }
}

/**
 * Thrown by `new DeferredQueue(size, backlog)` when a limit is neither null/undefined nor a whole
 * number >= 0. No Python counterpart: Twisted accepts any value and compares with it.
 *
 * @example
 * ```ts no-run
 * try { new DeferredQueue(-1); } catch (e) { console.log((e as Error).name); } // InvalidQueueLimitError
 * ```
 */
export class InvalidQueueLimitError extends RangeError {
  /** The value that was given. */
  readonly value: unknown;
  constructor(which: 'size' | 'backlog', value: unknown) {
    super(
      `DeferredQueue needs a ${which} that is a whole number >= 0, or null/undefined for no limit, ` +
        `but got ${describeValue(value)}`,
    );
    this.name = 'InvalidQueueLimitError';
    this.value = value;
  }
}

/**
 * Thrown by `ensureDeferred` for something that is neither a Deferred, a promise nor a
 * generator, and by an inlineCallbacks function whose body does not produce a generator.
 *
 * Port of `twisted.internet.defer.NotACoroutineError` (a TypeError).
 *
 * @example
 * ```ts no-run
 * try { ensureDeferred('something' as never); } catch (e) { console.log((e as Error).name); }
 * // NotACoroutineError
 * ```
 */
export class NotACoroutineError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'NotACoroutineError';
  }
}
