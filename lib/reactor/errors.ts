// Port of the time and core errors of twisted.internet.error (AlreadyCalled, AlreadyCancelled,
// ReactorNotRunning, ReactorAlreadyRunning, ReactorNotRestartable), plus the typed errors
// twistless raises for bad input where Twisted used a bare `assert` or a KeyError.
// Covered by spec/reactor/delayedCall.spec.ts, spec/reactor/core.spec.ts and
// spec/reactor/systemEvents.spec.ts.

import { InvalidOptionsError } from '../defer/errors.js';
import { describe } from '../internal/describe.js';

function suffix(args: unknown[]): string {
  return args.length === 0 ? '' : `: ${args.map((a) => String(a)).join(' ')}`;
}

/**
 * Raised by `cancel()`, `reset()` or `delay()` on a delayed call that has already run.
 * Port of `twisted.internet.error.AlreadyCalled` (a ValueError there). The message is Twisted's,
 * `"Tried to cancel an already-called event."`, with any extra arguments appended as `": a b"`;
 * from `reset()` and `delay()` it names that operation and says to schedule a new call.
 *
 * @example
 * ```ts no-run
 * const call = clock.callLater(1, () => {});
 * clock.advance(1);
 * call.cancel(); // throws AlreadyCalled
 * ```
 */
export class AlreadyCalled extends Error {
  constructor(...args: unknown[]) {
    super(`Tried to cancel an already-called event${suffix(args)}.`);
    this.name = 'AlreadyCalled';
  }
}

/**
 * Raised by `cancel()`, `reset()` or `delay()` on a delayed call that was cancelled.
 * Port of `twisted.internet.error.AlreadyCancelled` (a ValueError there). The message is
 * Twisted's, `"Tried to cancel an already-cancelled event."`; from `reset()` and `delay()` it
 * names that operation and says to schedule a new call.
 *
 * @example
 * ```ts no-run
 * const call = clock.callLater(1, () => {});
 * call.cancel();
 * call.cancel(); // throws AlreadyCancelled
 * ```
 */
export class AlreadyCancelled extends Error {
  constructor(...args: unknown[]) {
    super(`Tried to cancel an already-cancelled event${suffix(args)}.`);
    this.name = 'AlreadyCancelled';
  }
}

/**
 * Raised by `reactor.stop()` when the reactor is not running (never started, or already stopped
 * or stopping). Port of `twisted.internet.error.ReactorNotRunning` (a RuntimeError there).
 *
 * @example
 * ```ts no-run
 * new Reactor().stop(); // throws ReactorNotRunning
 * ```
 */
export class ReactorNotRunning extends Error {
  constructor(message = "Can't stop reactor that isn't running.") {
    super(message);
    this.name = 'ReactorNotRunning';
  }
}

/**
 * Raised by `reactor.run()` while the reactor is already running.
 * Port of `twisted.internet.error.ReactorAlreadyRunning`.
 *
 * @example
 * ```ts no-run
 * reactor.callWhenRunning(() => reactor.run()); // throws ReactorAlreadyRunning
 * ```
 */
export class ReactorAlreadyRunning extends Error {
  constructor(message = 'reactor already running: run() was called twice without a stop() or crash() in between') {
    super(message);
    this.name = 'ReactorAlreadyRunning';
  }
}

/**
 * Raised by `reactor.run()` after the reactor has been stopped with `stop()`: like Twisted's, a
 * twistless reactor cannot be restarted (it can after `crash()`).
 * Port of `twisted.internet.error.ReactorNotRestartable`.
 *
 * @example
 * ```ts no-run
 * await reactor.run(); // ... someone calls reactor.stop()
 * reactor.run();       // throws ReactorNotRestartable
 * ```
 */
export class ReactorNotRestartable extends Error {
  constructor(message = 'reactor not restartable: it was stopped with stop(); create a new Reactor instead') {
    super(message);
    this.name = 'ReactorNotRestartable';
  }
}

/**
 * A delay that is negative, NaN or infinite was given to `callLater()` or `reset()`, or a
 * non-finite amount to `delay()` or `Clock.advance()`. Twisted's reactor asserts
 * `delay >= 0` (AssertionError); twistless raises this RangeError instead, and schedules nothing.
 *
 * Port of the `AssertionError` of `twisted.internet.base.ReactorBase.callLater`'s `delay >= 0` check.
 *
 * @example
 * ```ts no-run
 * clock.callLater(-1, f); // throws InvalidDelayError
 * ```
 */
export class InvalidDelayError extends RangeError {
  /** The rejected value. */
  readonly delay: unknown;
  constructor(what: string, delay: unknown, expected = 'a finite number of seconds >= 0') {
    super(`${what}: got ${typeof delay === 'number' ? String(delay) : `${typeof delay} ${String(delay)}`}, expected ${expected}`);
    this.name = 'InvalidDelayError';
    this.delay = delay;
  }
}

/**
 * A delay or an amount of time that is not a number at all (undefined, a string, an object, a
 * function) was given to `callLater()`, `Clock.advance()`, `DelayedCall.reset()` or `delay()`.
 * The message names the call, says what to pass and what was given; for a function given as
 * the delay (`callLater(fn, 1)`, setTimeout's order) it says that the delay comes first.
 * Nothing is scheduled or moved.
 *
 * Port of the `TypeError` Python raises on arithmetic with a non-number (`seconds() + delay`).
 *
 * @example
 * ```ts no-run
 * clock.callLater(undefined as never, f); // throws NotANumberError
 * ```
 */
export class NotANumberError extends TypeError {
  /** The rejected value. */
  readonly value: unknown;
  /**
   * @param where - the call, e.g. `'Clock.callLater(delay, fn)'`
   * @param name - the parameter, e.g. `'delay'`
   * @param value - what was given
   * @param example - a correct call, e.g. `'callLater(1.5, fn)'`
   */
  constructor(where: string, name: string, value: unknown, example: string) {
    super(`${where}: ${name} must be a number of seconds, e.g. ${example}, but got ${describeNonNumber(name, value)}`);
    this.name = 'NotANumberError';
    this.value = value;
  }
}

function describeNonNumber(name: string, value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return `undefined (no ${name} was given)`;
    case 'string':
      return `the string ${JSON.stringify(value)}`;
    case 'function':
      return name === 'delay'
        ? `function ${value.name || '(anonymous)'}: the delay comes first, then the function: callLater(seconds, fn, ...args)`
        : `function ${value.name || '(anonymous)'}`;
    case 'bigint':
    case 'boolean':
      return `the ${typeof value} ${String(value)}`;
    case 'symbol':
      return 'a symbol';
    default:
      return value === null ? 'null' : Array.isArray(value) ? 'an array' : 'an object';
  }
}

/**
 * @internal The error for a bad `callLater(delay, fn)`: NotANumberError, NotCallableError or
 * InvalidDelayError, in that order of checks. Kept out of callLater so its hot path is one test.
 */
export function callLaterError(where: string, delay: unknown, fn: unknown): Error {
  if (typeof delay !== 'number') return new NotANumberError(where, 'delay', delay, 'callLater(1.5, fn)');
  if (typeof fn !== 'function') return new NotCallableError(where, fn);
  return new InvalidDelayError(where, delay);
}

/**
 * @internal AlreadyCalled / AlreadyCancelled for `reset()` or `delay()`: the same classes as
 * `cancel()` raises, worded for the operation tried and saying what to do.
 */
export function notPendingError(cancelled: boolean, action: 'reset' | 'delay'): AlreadyCalled | AlreadyCancelled {
  const e = cancelled ? new AlreadyCancelled() : new AlreadyCalled();
  e.message = cancelled
    ? `Tried to ${action} an already-cancelled event. It was cancelled: schedule a new call with callLater().`
    : `Tried to ${action} an already-called event. It has run: schedule a new call with callLater().`;
  return e;
}

/**
 * Something that is not a function was given where a function to call is required
 * (`callLater`, `callWhenRunning`, `addSystemEventTrigger`, `ThreePhaseEvent.addTrigger`,
 * `MemoryReactorClock`, `LoopingCall`, `deferLater`, `react`). Twisted asserts `callable(f)`
 * (AssertionError "<f> is not callable"); twistless raises this TypeError and schedules nothing.
 *
 * Port of the `AssertionError` of Twisted's `callable(f)` checks (`ReactorBase.callLater`, `LoopingCall`).
 *
 * @example
 * ```ts no-run
 * clock.callLater(1, 'not a function' as never); // throws NotCallableError
 * ```
 */
export class NotCallableError extends TypeError {
  /** The rejected value. */
  readonly value: unknown;
  constructor(what: string, value: unknown) {
    super(`${what}: ${typeof value === 'string' ? JSON.stringify(value) : String(value)} is not callable; pass a function`);
    this.name = 'NotCallableError';
    this.value = value;
  }
}

/**
 * A system event phase other than `'before'`, `'during'` or `'after'`. Port of the
 * `KeyError('invalid phase')` raised by `addSystemEventTrigger`.
 *
 * @example
 * ```ts no-run
 * reactor.addSystemEventTrigger('xxx' as never, 'shutdown', f); // throws InvalidPhaseError
 * ```
 */
export class InvalidPhaseError extends RangeError {
  /** The rejected phase. */
  readonly phase: unknown;
  constructor(phase: unknown) {
    super(`invalid phase ${JSON.stringify(phase)}: a system event trigger phase is 'before', 'during' or 'after'`);
    this.name = 'InvalidPhaseError';
    this.phase = phase;
  }
}

/**
 * `removeSystemEventTrigger` was given something that is not a handle returned by
 * `addSystemEventTrigger` (Twisted: TypeError/ValueError "invalid trigger handle"), or a handle
 * whose trigger was already removed or has already run (Twisted: ValueError from the list
 * removal). `removed` tells which.
 *
 * Port of the `TypeError`/`ValueError` of `twisted.internet.base.ReactorBase.removeSystemEventTrigger`.
 *
 * @example
 * ```ts no-run
 * const id = reactor.addSystemEventTrigger('during', 'test', f);
 * reactor.removeSystemEventTrigger(id);
 * reactor.removeSystemEventTrigger(id); // throws InvalidTriggerError
 * ```
 */
export class InvalidTriggerError extends TypeError {
  /** True when the handle was valid but its trigger is gone (removed, or already run). */
  readonly removed: boolean;
  constructor(message: string, removed: boolean) {
    super(message);
    this.name = 'InvalidTriggerError';
    this.removed = removed;
  }
}

/**
 * @internal Check an options object (Python's keyword arguments): an object or undefined, with
 * known names only. Throws InvalidOptionsError (a TypeError) naming the call and the known names.
 */
export function checkOptionNames(where: string, options: unknown, names: readonly string[]): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidOptionsError(
      `${where}: options must be an options object ({ ${names.join(', ')} }), but got ${describe(options)}`,
      options,
    );
  }
  for (const key of Object.keys(options)) {
    if (!names.includes(key)) {
      throw new InvalidOptionsError(`${where} has no option ${JSON.stringify(key)}: its options are ${names.join(', ')}`, options);
    }
  }
}

