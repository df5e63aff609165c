// Port of the reactor-core half of twisted.internet.testing.MemoryReactor (Twisted 22.4): install,
// run, stop, crash, callWhenRunning and the system event triggers, recorded rather than acted on.
// The listen/connect recorders are in memoryReactor.ts. Covered by
// spec/testing/memoryReactor.spec.ts and spec/testing/internetTesting.spec.ts.
import { NotCallableError, ReactorAlreadyRunning, ReactorNotRestartable } from '../reactor/errors.js';
import { eventNamed, ThreePhaseEvent, type SystemEventPhase, type SystemEventTriggerID, type TriggerFunction } from '../reactor/threePhaseEvent.js';

/**
 * A recorded call: the function and its arguments (Twisted's `(callable, args, kw)`).
 * Port of the `(callable, args, kw)` tuples `twisted.internet.testing.MemoryReactor` records.
 */
export type RecordedCall = [fn: TriggerFunction, args: unknown[]];

/**
 * Sets every MemoryReactorCore field on `r`, in one order (MemoryReactor and MemoryReactorClock).
 * @internal
 */
export function initMemoryReactorCore(r: MemoryReactorCore): void {
  r.hasInstalled = false;
  r.running = false;
  r.hasRun = false;
  r.hasStopped = false;
  r.hasCrashed = false;
  (r as { whenRunningHooks: RecordedCall[] }).whenRunningHooks = [];
  (r as { triggers: MemoryReactorCore['triggers'] }).triggers = {};
  (r as { _events: Map<string, ThreePhaseEvent> })._events = new Map();
  (r as { _recorded: Map<SystemEventTriggerID, RecordedCall> })._recorded = new Map();
}

/**
 * The reactor core of a `MemoryReactor`: it records `callWhenRunning` and the system event
 * triggers, and `run()`, `stop()` and `crash()` only set flags (see `MemoryReactor`, which adds
 * the listen and connect recorders). Port of the `IReactorCore` part of
 * `twisted.internet.testing.MemoryReactor`.
 *
 * @example
 * ```ts no-run
 * const reactor = new MemoryReactor();
 * reactor.run(); // reactor.hasRun === true
 * ```
 */
export class MemoryReactorCore {
  /** Set by `install()`. */
  hasInstalled!: boolean;
  /** true while running; false before run() and after stop(); null after crash() (Twisted's choice). */
  running!: boolean | null;
  /** Set by `run()`. */
  hasRun!: boolean;
  /** Set by `stop()` (which `run()` calls at its end). */
  hasStopped!: boolean;
  /** Set by `crash()`. */
  hasCrashed!: boolean;
  /** The `callWhenRunning` calls, in order. */
  readonly whenRunningHooks!: RecordedCall[];
  /** The system event triggers added and not removed: `triggers[phase][eventType]`, in order. */
  readonly triggers!: Partial<Record<SystemEventPhase, Record<string, RecordedCall[]>>>;
  /** @internal the events behind fireSystemEvent. */
  readonly _events!: Map<string, ThreePhaseEvent>;
  /** @internal handle -> its recorded entry. */
  readonly _recorded!: Map<SystemEventTriggerID, RecordedCall>;

  constructor() {
    initMemoryReactorCore(this);
  }

  /**
   * Record that the reactor was installed. Port of `MemoryReactor.install`.
   *
   * @example
   * ```ts
   * reactor.install(); // reactor.hasInstalled === true
   * ```
   */
  install(): void {
    this.hasInstalled = true;
  }

  /**
   * Set `running` and `hasRun`, call every `callWhenRunning` hook in order, then `stop()`.
   * Port of `MemoryReactor.run`.
   *
   * @throws ReactorAlreadyRunning when already running; ReactorNotRestartable after `crash()`
   *   (Twisted asserts `running is False` in both cases).
   * @example
   * ```ts
   * reactor.callWhenRunning(() => console.log('up'));
   * reactor.run(); // prints "up"; then reactor.running === false, reactor.hasStopped === true
   * ```
   */
  run(): void {
    if (this.running === true) throw new ReactorAlreadyRunning();
    if (this.running === null) {
      throw new ReactorNotRestartable(`${this.constructor.name} cannot run after crash(): create a new one`);
    }
    this.running = true;
    this.hasRun = true;
    for (const [fn, args] of this.whenRunningHooks) (fn as (...a: unknown[]) => unknown)(...args);
    this.stop();
  }

  /**
   * Set `running` false and `hasStopped` (shutdown triggers do not run: see `fireSystemEvent`).
   * Port of `MemoryReactor.stop`.
   *
   * @example
   * ```ts
   * reactor.stop(); // reactor.hasStopped === true
   * ```
   */
  stop(): void {
    this.running = false;
    this.hasStopped = true;
  }

  /**
   * Set `running` to null ("crashy") and `hasCrashed`. Port of `MemoryReactor.crash`.
   *
   * @example
   * ```ts
   * reactor.crash(); // reactor.running === null, reactor.hasCrashed === true
   * ```
   */
  crash(): void {
    this.running = null;
    this.hasCrashed = true;
  }

  /**
   * Record `fn(...args)` to be called by `run()`. Port of `MemoryReactor.callWhenRunning`.
   *
   * @throws NotCallableError when `fn` is not a function (Twisted's records anything; its
   *   `run()` would then fail half-way, leaving the reactor running)
   * @example
   * ```ts
   * reactor.callWhenRunning(console.log, 'started'); // whenRunningHooks: [[console.log, ['started']]]
   * ```
   */
  callWhenRunning<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): void {
    if (typeof fn !== 'function') throw new NotCallableError(`${this.constructor.name}.callWhenRunning(fn)`, fn);
    this.whenRunningHooks.push([fn as TriggerFunction, args]);
  }

  /**
   * Record a system event trigger in `triggers[phase][eventType]`.
   * Port of `MemoryReactor.addSystemEventTrigger`.
   *
   * @param phase - 'before', 'during' or 'after'.
   * @returns a handle for `removeSystemEventTrigger`.
   * @throws InvalidPhaseError for another phase.
   * @throws NotCallableError when `fn` is not a function (nothing is recorded).
   * @example
   * ```ts
   * reactor.addSystemEventTrigger('before', 'shutdown', flush); // triggers.before.shutdown: [[flush, []]]
   * ```
   */
  addSystemEventTrigger<A extends unknown[]>(
    phase: SystemEventPhase,
    eventType: string,
    fn: (...args: A) => unknown,
    ...args: A
  ): SystemEventTriggerID {
    if (typeof fn !== 'function') {
      throw new NotCallableError(`${this.constructor.name}.addSystemEventTrigger(phase, eventType, fn)`, fn);
    }
    const handle = eventNamed(this._events, eventType).addTrigger(phase, fn as TriggerFunction, ...args);
    const entry: RecordedCall = [fn as TriggerFunction, args];
    const byType = (this.triggers[phase] ??= {});
    (byType[eventType] ??= []).push(entry);
    this._recorded.set(handle, entry);
    return handle;
  }

  /**
   * Remove a trigger added by `addSystemEventTrigger`, from `triggers` too. Port of
   * `MemoryReactor.removeSystemEventTrigger` (which raises NotImplementedError in Twisted).
   *
   * @throws InvalidTriggerError for a handle this reactor did not return, or one already removed.
   * @example
   * ```ts
   * const id = reactor.addSystemEventTrigger('during', 'shutdown', flush);
   * reactor.removeSystemEventTrigger(id);
   * ```
   */
  removeSystemEventTrigger(handle: SystemEventTriggerID): void {
    const event = this._events.get((handle as { eventType?: string } | null)?.eventType ?? '');
    if (event === undefined) {
      // let ThreePhaseEvent produce its typed error for a bad handle
      new ThreePhaseEvent().removeTrigger(handle);
      return;
    }
    event.removeTrigger(handle);
    const entry = this._recorded.get(handle);
    if (entry !== undefined) {
      this._recorded.delete(handle);
      const list = this.triggers[handle.phase]?.[handle.eventType];
      const i = list ? list.indexOf(entry) : -1;
      if (list && i >= 0) list.splice(i, 1);
    }
  }

  /**
   * Run the pending triggers of `eventType`: 'before' (waiting for Deferreds they return), then
   * 'during', then 'after', each once, as the real reactor does. `triggers` keeps its record. Port of
   * `MemoryReactor.fireSystemEvent` (which raises NotImplementedError in Twisted).
   *
   * @example
   * ```ts
   * reactor.fireSystemEvent('shutdown');
   * ```
   */
  fireSystemEvent(eventType: string): void {
    const event = this._events.get(eventType);
    if (event !== undefined) event.fireEvent();
  }

}
