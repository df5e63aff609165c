// Port of twisted.internet.base._ThreePhaseEvent (Twisted 22.4): the before/during/after trigger
// lists behind the reactor's system events ('startup', 'shutdown', or any name).
// Covered by spec/reactor/threePhaseEvent.spec.ts (ThreePhaseEventTests of test_internet.py) and
// spec/reactor/systemEvents.spec.ts (SystemEventTests).
import { Deferred, isDeferred } from '../defer/deferred.js';
import { Failure } from '../failure/failure.js';
import * as log from '../log/log.js';
import { InvalidPhaseError, InvalidTriggerError, NotCallableError } from './errors.js';
import { isThenable } from '../internal/thenable.js';

/**
 * A system event trigger phase.
 * Port of the phase names `'before'`, `'during'`, `'after'` of `twisted.internet.base._ThreePhaseEvent`.
 */
export type SystemEventPhase = 'before' | 'during' | 'after';

/**
 * A trigger function: any arguments, any result (a Deferred or promise from a 'before' trigger holds the event).
 * Stands for the callables given to `twisted.internet.base._ThreePhaseEvent.addTrigger`.
 */
export type TriggerFunction = (...args: never[]) => unknown;

const TRIGGER_BRAND = Symbol.for('twistless.SystemEventTrigger');

/**
 * The handle `addSystemEventTrigger` returns, to pass to `removeSystemEventTrigger`: an opaque
 * record of the event type, phase, function and arguments (Twisted's `(eventType, (phase, f,
 * args, kw))` tuple). Handles are compared by identity.
 *
 * Port of the `(eventType, (phase, callable, args, kwargs))` tuple `twisted.internet.base.ReactorBase.addSystemEventTrigger` returns.
 *
 * @example
 * ```ts no-run
 * const id: SystemEventTriggerID = reactor.addSystemEventTrigger('before', 'shutdown', flush);
 * reactor.removeSystemEventTrigger(id);
 * ```
 */
export class SystemEventTriggerID {
  /** The event type, e.g. 'shutdown'. */
  readonly eventType: string;
  /** The phase. */
  readonly phase: SystemEventPhase;
  /** The trigger function. */
  readonly fn: TriggerFunction;
  /** Its arguments. */
  readonly args: readonly unknown[];
  /** @internal */
  readonly [TRIGGER_BRAND]: true;

  /** @internal Made by addSystemEventTrigger / ThreePhaseEvent.addTrigger. */
  constructor(eventType: string, phase: SystemEventPhase, fn: TriggerFunction, args: unknown[]) {
    this.eventType = eventType;
    this.phase = phase;
    this.fn = fn;
    this.args = args;
    this[TRIGGER_BRAND] = true;
  }
}

/** True when `x` is a handle made by addSystemEventTrigger (by any loaded copy of twistless). */
export function isSystemEventTriggerID(x: unknown): x is SystemEventTriggerID {
  return x !== null && typeof x === 'object' && (x as { [TRIGGER_BRAND]?: unknown })[TRIGGER_BRAND] === true;
}

function callTrigger(t: SystemEventTriggerID): unknown {
  const fn = t.fn as (...args: unknown[]) => unknown;
  return fn(...t.args);
}

/**
 * The triggers of one system event, in three phases. `fireEvent()` runs the 'before' triggers
 * (waiting for any Deferred or promise they return), then the 'during' and 'after' triggers.
 * An exception thrown by a trigger is logged with `log.err` and the phase goes on. Each trigger
 * runs once per registration. Port of `twisted.internet.base._ThreePhaseEvent`.
 *
 * @example
 * ```ts no-run
 * const event = new ThreePhaseEvent('test');
 * event.addTrigger('after', () => console.log('after'));
 * event.addTrigger('before', () => console.log('before'));
 * event.fireEvent(); // prints "before", then "after"
 * ```
 */
export class ThreePhaseEvent {
  /** The event type the handles are made for. */
  readonly eventType: string;
  /** Pending 'before' triggers, in order. */
  readonly before: SystemEventTriggerID[];
  /** Pending 'during' triggers, in order. */
  readonly during: SystemEventTriggerID[];
  /** Pending 'after' triggers, in order. */
  readonly after: SystemEventTriggerID[];
  /** 'BEFORE' while the before-phase triggers run, 'BASE' otherwise. */
  state: 'BASE' | 'BEFORE';
  /** The before-phase triggers already run, while `state` is 'BEFORE'; empty otherwise. */
  finishedBefore: SystemEventTriggerID[];

  constructor(eventType = '') {
    this.eventType = eventType;
    this.before = [];
    this.during = [];
    this.after = [];
    this.state = 'BASE';
    this.finishedBefore = [];
  }

  /**
   * Add a trigger to a phase. Port of `_ThreePhaseEvent.addTrigger`.
   *
   * @param phase - 'before', 'during' or 'after'
   * @param fn - the function to call
   * @param args - its arguments
   * @returns the handle for `removeTrigger`
   * @throws InvalidPhaseError for any other phase
   * @throws NotCallableError when `fn` is not a function (nothing is added)
   * @example
   * ```ts no-run
   * const id = new ThreePhaseEvent('test').addTrigger('before', (x: number) => console.log(x), 1);
   * ```
   */
  addTrigger(phase: SystemEventPhase, fn: TriggerFunction, ...args: unknown[]): SystemEventTriggerID {
    const list = this._list(phase);
    if (typeof fn !== 'function') throw new NotCallableError('ThreePhaseEvent.addTrigger(phase, fn)', fn);
    const handle = new SystemEventTriggerID(this.eventType, phase, fn, args);
    list.push(handle);
    return handle;
  }

  /**
   * Remove a trigger that has not run yet. Removing a 'before' trigger that already ran, while
   * the before phase is still running, only emits a DeprecationWarning, as Twisted does.
   * Port of `_ThreePhaseEvent.removeTrigger`.
   *
   * @param handle - a handle from `addTrigger`
   * @throws InvalidTriggerError when `handle` is not a handle, or its trigger is gone
   * @throws InvalidPhaseError when the handle names an unknown phase
   * @example
   * ```ts no-run
   * const id = event.addTrigger('during', f);
   * event.removeTrigger(id); // f will not run
   * ```
   */
  removeTrigger(handle: SystemEventTriggerID): void {
    if (!isSystemEventTriggerID(handle)) {
      throw new InvalidTriggerError(
        `invalid trigger handle: ${String(handle)} is not a handle returned by addSystemEventTrigger`,
        false,
      );
    }
    if (this.state === 'BEFORE' && handle.phase === 'before' && this.finishedBefore.includes(handle)) {
      process.emitWarning(
        'Removing already-fired system event triggers will raise an exception in a future version of Twisted.',
        { type: 'DeprecationWarning', code: 'TWISTLESS_REMOVE_FIRED_TRIGGER' },
      );
      return;
    }
    const list = this._list(handle.phase);
    const i = list.indexOf(handle);
    if (i < 0) {
      throw new InvalidTriggerError(
        `cannot remove the ${handle.phase} ${JSON.stringify(handle.eventType)} trigger: it was already removed or has already run`,
        true,
      );
    }
    list.splice(i, 1);
  }

  /**
   * Run the triggers: 'before' ones first (each Deferred or promise they return is waited for),
   * then 'during', then 'after'. Port of `_ThreePhaseEvent.fireEvent`.
   *
   * @example
   * ```ts no-run
   * event.fireEvent(); // before, (waiting for their Deferreds,) during, after
   * ```
   */
  fireEvent(): void {
    this.state = 'BEFORE';
    this.finishedBefore = [];
    const waiting: Deferred<unknown>[] = [];
    while (this.before.length > 0) {
      const t = this.before.shift() as SystemEventTriggerID; // trigger lists are short; not a hot path
      this.finishedBefore.push(t);
      let result: unknown;
      try {
        result = callTrigger(t);
      } catch (e) {
        log.err(new Failure(e));
        continue;
      }
      if (isDeferred(result)) waiting.push(result as Deferred<unknown>);
      else if (isThenable(result)) waiting.push(Deferred.fromPromise(result));
    }
    // Twisted waits with DeferredList(waiting): every Deferred fires (failures are passed on,
    // not consumed), then the event continues.
    let remaining = waiting.length;
    if (remaining === 0) {
      this._continueFiring();
      return;
    }
    const onFired = (result: unknown): unknown => {
      if (--remaining === 0) this._continueFiring();
      return result;
    };
    for (const d of waiting) d.addBoth(onFired);
  }

  private _continueFiring(): void {
    this.state = 'BASE';
    this.finishedBefore = [];
    for (const list of [this.during, this.after]) {
      while (list.length > 0) {
        const t = list.shift() as SystemEventTriggerID;
        try {
          callTrigger(t);
        } catch (e) {
          log.err(new Failure(e));
        }
      }
    }
  }

  private _list(phase: unknown): SystemEventTriggerID[] {
    if (phase === 'before') return this.before;
    if (phase === 'during') return this.during;
    if (phase === 'after') return this.after;
    throw new InvalidPhaseError(phase);
  }
}

/**
 * The event named `eventType` in `events`, made (and kept there) on first use: how a reactor
 * keeps its system events by name (Twisted's `ReactorBase._eventTriggers`).
 * @internal
 */
export function eventNamed(events: Map<string, ThreePhaseEvent>, eventType: string): ThreePhaseEvent {
  let event = events.get(eventType);
  if (event === undefined) {
    event = new ThreePhaseEvent(eventType);
    events.set(eventType, event);
  }
  return event;
}
