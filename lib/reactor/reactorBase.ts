// Port of the core of twisted.internet.base.ReactorBase (Twisted 22.4): run/stop/crash,
// callWhenRunning and the system events ('startup', 'shutdown', any other), over the time API of
// reactorTime.ts. The I/O methods (listenTCP, connectTCP, ...) are added by the Reactor subclass
// in reactor.ts. Covered by spec/reactor/core.spec.ts (SystemEventTestsBuilder of test_core.py),
// spec/reactor/systemEvents.spec.ts (SystemEventTests) and spec/reactor/realReactor.spec.ts.
import { Deferred } from '../defer/deferred.js';
import {
  InvalidPhaseError,
  InvalidTriggerError,
  NotCallableError,
  ReactorAlreadyRunning,
  ReactorNotRestartable,
  ReactorNotRunning,
} from './errors.js';
import type { ReactorOptions } from './hostTimers.js';
import { ReactorTime } from './reactorTime.js';
import {
  eventNamed,
  isSystemEventTriggerID,
  ThreePhaseEvent,
  type SystemEventPhase,
  type SystemEventTriggerID,
  type TriggerFunction,
} from './threePhaseEvent.js';

/**
 * Twisted's reactor core on Node's event loop: an `IReactorTime` (callLater, seconds,
 * getDelayedCalls) and the core of `IReactorCore` (run, stop, crash, running, callWhenRunning,
 * system event triggers), without I/O. `Reactor` (reactor.ts) extends it with the socket
 * methods; the process-wide `reactor` is a Reactor. Specs and embedders may create their own,
 * with an injected time source and host timers.
 *
 * Differences from Twisted: delayed calls fire on Node's loop whether or not `run()` was called
 * (Twisted runs nothing until `run()`); `run()` returns a Deferred that fires once the reactor
 * has stopped instead of blocking; calls due at the same time run in the order they were
 * scheduled (Twisted's heap does not promise that); bad input raises typed errors.
 *
 * Port of `twisted.internet.base.ReactorBase` (its time API and core), as `twisted.internet.asyncioreactor.AsyncioSelectorReactor` rides a host loop.
 *
 * @example
 * ```ts no-run
 * import { ReactorBase } from 'twistless/reactor';
 * const r = new ReactorBase();
 * r.callWhenRunning(() => r.callLater(0.01, () => r.stop()));
 * await r.run();
 * ```
 */
export class ReactorBase extends ReactorTime {
  /**
   * True between the 'during startup' phase of `run()` and `stop()` finishing or `crash()`.
   * Port of `reactor.running`.
   */
  running: boolean;
  private readonly _eventTriggers: Map<string, ThreePhaseEvent>;
  private _started: boolean;
  private _stopped: boolean;
  private _justStopped: boolean;
  private _startedBefore: boolean;
  private _whenStopped: Deferred<void> | null;
  private _exitPending: boolean;
  private _release: (() => void) | null;

  /**
   * @param options - an injected time source and host timers (for tests); both default to Node's
   * @throws InvalidOptionsError (a TypeError) for an unknown option name
   * @throws NotCallableError when `seconds` is given and is not a function
   */
  constructor(options: ReactorOptions = {}) {
    super(options);
    this.running = false;
    this._eventTriggers = new Map();
    this._started = false;
    this._stopped = true;
    this._justStopped = false;
    this._startedBefore = false;
    this._whenStopped = null;
    this._exitPending = false;
    this._release = null;
    // As in Twisted's ReactorBase.__init__: these run before any user trigger of their phase.
    this.addSystemEventTrigger('during', 'startup', this._reallyStartRunning);
    this.addSystemEventTrigger('during', 'shutdown', this._crashForShutdown);
  }

  // ---------------------------------------------------------------- IReactorCore

  /**
   * Start the reactor: fire the 'startup' system event ('before' triggers, then `running`
   * becomes true in 'during', then the 'after' triggers, which include `callWhenRunning` calls),
   * and hold the process alive until the reactor stops. Delayed calls already run without it.
   * Port of `reactor.run`.
   *
   * @returns a Deferred that fires (with undefined) once the reactor has stopped: after the
   *   shutdown triggers of `stop()`, or after `crash()`
   * @throws ReactorAlreadyRunning when it is already running
   * @throws ReactorNotRestartable when it was stopped with `stop()` before (`crash()` allows a rerun)
   * @example
   * ```ts no-run
   * reactor.callWhenRunning(() => reactor.stop());
   * await reactor.run();
   * ```
   */
  run(): Deferred<void> {
    if (this._started) throw new ReactorAlreadyRunning();
    if (this._startedBefore) throw new ReactorNotRestartable();
    if (this._exitPending) this._finishRun(); // a crash() whose pass has not come yet
    this._started = true;
    this._stopped = false;
    const d = new Deferred<void>();
    this._whenStopped = d;
    this._release = this._timers.hold();
    this.fireSystemEvent('startup');
    return d;
  }

  /**
   * Stop the reactor: at the end of the current pass of delayed calls (never synchronously), fire
   * the 'shutdown' system event; its 'before' triggers may hold it with a Deferred, and when it
   * completes the reactor stops and `run()`'s Deferred fires. A stopped reactor cannot be run
   * again. Port of `reactor.stop`.
   *
   * @throws ReactorNotRunning when it is not running (never started, stopping, or stopped)
   * @example
   * ```ts no-run
   * reactor.callLater(1, () => reactor.stop());
   * ```
   */
  stop(): void {
    if (this._stopped) throw new ReactorNotRunning("Can't stop reactor that isn't running.");
    this._stopped = true;
    this._justStopped = true;
    this._startedBefore = true;
    this._wake();
  }

  /**
   * Stop at once, without firing the shutdown triggers; `run()` may be called again. `run()`'s
   * Deferred fires at the end of the current pass. Port of `reactor.crash`.
   *
   * @example
   * ```ts no-run
   * reactor.crash();
   * ```
   */
  crash(): void {
    this._started = false;
    this.running = false;
    this.addSystemEventTrigger('during', 'startup', this._reallyStartRunning);
    if (this._whenStopped !== null) {
      this._exitPending = true;
      this._wake();
    }
  }

  /**
   * Call `fn(...args)` now if the reactor is running, otherwise once it is (as an 'after'
   * 'startup' trigger). Port of `reactor.callWhenRunning`.
   *
   * @param fn - the function to call
   * @param args - its arguments
   * @returns the trigger's handle when it was deferred, undefined when it ran at once
   * @throws NotCallableError when `fn` is not a function
   * @example
   * ```ts no-run
   * reactor.callWhenRunning(() => console.log('started'));
   * ```
   */
  callWhenRunning<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): SystemEventTriggerID | undefined {
    if (typeof fn !== 'function') throw new NotCallableError('reactor.callWhenRunning(fn)', fn);
    if (this.running) {
      fn(...args);
      return undefined;
    }
    return this.addSystemEventTrigger('after', 'startup', fn, ...args);
  }

  /**
   * Add a trigger to a phase of a system event ('startup', 'shutdown', or any name). A 'before'
   * trigger that returns a Deferred (or a promise) holds the event's 'during' phase until it
   * fires. Port of `reactor.addSystemEventTrigger`.
   *
   * @param phase - 'before', 'during' or 'after'
   * @param eventType - the event's name
   * @param fn - the function to call
   * @param args - its arguments
   * @returns a handle for `removeSystemEventTrigger`
   * @throws InvalidPhaseError for any other phase (Twisted: KeyError)
   * @throws NotCallableError when `fn` is not a function
   * @example
   * ```ts no-run
   * reactor.addSystemEventTrigger('before', 'shutdown', () => flushEverything());
   * ```
   */
  addSystemEventTrigger<A extends unknown[]>(
    phase: SystemEventPhase,
    eventType: string,
    fn: (...args: A) => unknown,
    ...args: A
  ): SystemEventTriggerID {
    if (typeof fn !== 'function') throw new NotCallableError('reactor.addSystemEventTrigger(phase, eventType, fn)', fn);
    if (phase !== 'before' && phase !== 'during' && phase !== 'after') throw new InvalidPhaseError(phase);
    return eventNamed(this._eventTriggers, eventType).addTrigger(phase, fn as TriggerFunction, ...args);
  }

  /**
   * Remove a trigger that has not run yet. Port of `reactor.removeSystemEventTrigger`.
   *
   * @param triggerID - a handle from `addSystemEventTrigger` or `callWhenRunning`
   * @throws InvalidTriggerError when it is not such a handle, or its trigger was removed or has run
   * @example
   * ```ts no-run
   * const id = reactor.addSystemEventTrigger('during', 'shutdown', f);
   * reactor.removeSystemEventTrigger(id);
   * ```
   */
  removeSystemEventTrigger(triggerID: SystemEventTriggerID): void {
    if (!isSystemEventTriggerID(triggerID)) {
      throw new InvalidTriggerError(
        `invalid trigger handle: ${String(triggerID)} is not a handle returned by addSystemEventTrigger`,
        false,
      );
    }
    const event = this._eventTriggers.get(triggerID.eventType);
    if (event === undefined) {
      throw new InvalidTriggerError(`cannot remove the trigger: this reactor has no ${JSON.stringify(triggerID.eventType)} event`, true);
    }
    event.removeTrigger(triggerID);
  }

  /**
   * Fire a system event: its 'before' triggers, then (once any Deferreds they returned have
   * fired) its 'during' and 'after' triggers; each trigger runs once. An unknown event is a
   * no-op. Port of `reactor.fireSystemEvent`.
   *
   * @param eventType - the event's name
   * @example
   * ```ts no-run
   * reactor.fireSystemEvent('my-event');
   * ```
   */
  fireSystemEvent(eventType: string): void {
    const event = this._eventTriggers.get(eventType);
    if (event !== undefined) event.fireEvent();
  }

  private readonly _reallyStartRunning = (): void => {
    this.running = true;
  };

  private readonly _crashForShutdown = (): void => {
    this.crash();
  };

  /**
   * Run every call due now, in order, logging any exception and going on; then, if `stop()` was
   * called, fire the shutdown event. The host timer calls this; tests with injected timers may
   * call it directly. Calls scheduled meanwhile wait for the next pass. Port of
   * `ReactorBase.runUntilCurrent`.
   *
   * @example
   * ```ts no-run
   * r.runUntilCurrent();
   * ```
   */
  override runUntilCurrent(): void {
    super.runUntilCurrent();
    if (this._justStopped) {
      this._justStopped = false;
      this.fireSystemEvent('shutdown');
    }
    if (this._exitPending) this._finishRun();
  }

  private _finishRun(): void {
    this._exitPending = false;
    const release = this._release;
    this._release = null;
    if (release !== null) release();
    const d = this._whenStopped;
    this._whenStopped = null;
    if (!this._justStopped) this._wakeRequested = false; // the wake that brought us here is served
    this._arm();
    if (d !== null) d.callback(undefined);
  }

  /** Ask for a pass of runUntilCurrent soon (stop, crash). */
  private _wake(): void {
    this._wakeRequested = true;
    this._arm();
  }
}
