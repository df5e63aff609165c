// Port of the time API and core of twisted.internet.base.ReactorBase (Twisted 22.4): callLater,
// seconds, getDelayedCalls, runUntilCurrent, run/stop/crash, callWhenRunning and system events,
// riding Node's own event loop the way Twisted's asyncio reactor rides a host loop.
// Covered by spec/reactor/time.spec.ts (TimeTests, DelayedTests of test_internet.py),
// spec/reactor/core.spec.ts (SystemEventTestsBuilder of test_core.py),
// spec/reactor/systemEvents.spec.ts (SystemEventTests) and spec/reactor/realReactor.spec.ts.
//
// How it rides Node's loop: every pending call sits in one TimerHeap; ONE host timer
// (setTimeout) is armed for the earliest call. When it fires, `runUntilCurrent()` runs every call
// due by then and the timer is armed again for the new earliest call. The timer is re-armed only
// when a call lands earlier than the time it is armed for; when the earliest call is cancelled or
// moved later the timer is left alone, fires early, finds nothing due and re-arms (cheaper than a
// clearTimeout/setTimeout pair per cancel). When no call is left the timer is cleared, so pending
// calls keep the process alive exactly while they exist; `run()` holds the process with a
// separate keep-alive handle until the reactor stops.
import { performance } from 'node:perf_hooks';
import { Deferred } from '../defer/deferred.js';
import type { IReactorTime } from '../defer/interfaces.js';
import { Failure } from '../failure/failure.js';
import * as log from '../log/log.js';
import { DelayedCall, NO_ARGS, type DelayedCallCanceller, type DelayedCallResetter, type DelayedFunction } from './delayedCall.js';
import {
  InvalidPhaseError,
  InvalidTriggerError,
  NotCallableError,
  ReactorAlreadyRunning,
  callLaterError,
  checkOptionNames,
  ReactorNotRestartable,
  ReactorNotRunning,
} from './errors.js';
import { TimerHeap } from './heap.js';
// The I/O methods live in lib/internet, which never imports this file (it takes the reactor as an
// argument), so importing it here makes no cycle and listenTCP works for `twistless/reactor` alone.
import { disconnectAll } from '../internet/base.js';
import { CONNECTION_LOST } from '../error/errors.js';
import {
  connectTCP as connectTCPImpl,
  listenTCP as listenTCPImpl,
  type ConnectTCPOptions,
  type Connector as TCPConnector,
  type ListenTCPOptions,
  type Port as TCPPort,
} from '../internet/tcp.js';
import {
  connectUNIX as connectUNIXImpl,
  listenUNIX as listenUNIXImpl,
  type ConnectUNIXOptions,
  type ListenUNIXOptions,
  type UNIXConnector,
  type UNIXPort,
} from '../internet/unix.js';
import {
  connectSSL as connectSSLImpl,
  listenSSL as listenSSLImpl,
  type ConnectSSLOptions,
  type ListenSSLOptions,
  type SSLConnector,
  type SSLPort,
} from '../internet/ssl.js';
import type { IOpenSSLContextFactory } from '../ssl/options.js';
import type { IClientFactory, IProtocolFactory, IReactorSSL, IReactorTCP, IReactorUNIX } from '../protocol/interfaces.js';
import {
  isSystemEventTriggerID,
  ThreePhaseEvent,
  type SystemEventPhase,
  type SystemEventTriggerID,
  type TriggerFunction,
} from './threePhaseEvent.js';
import { processWide } from '../util/processWide.js';

/**
 * The host timer facility a Reactor arms (Node's setTimeout by default). Inject a fake one to
 * drive a Reactor instance deterministically in tests.
 *
 * Stands for the host loop's timer calls that `twisted.internet.asyncioreactor` makes (`loop.call_later`, `TimerHandle.cancel`); twistless-only injection for tests.
 */
export interface ReactorTimers {
  /** Arm a one-shot timer calling `fn` after `ms` milliseconds; returns a handle for `clear`. */
  set(fn: () => void, ms: number): unknown;
  /** Disarm a timer `set` returned (it will not fire). */
  clear(handle: unknown): void;
  /** Keep the process alive until the returned function is called (used by `run()`). */
  hold(): () => void;
}

/**
 * Options for `new Reactor(...)`.
 * No Python counterpart (a Twisted reactor subclass overrides `seconds`); twistless-only injection for tests.
 */
export interface ReactorOptions {
  /** The time source in float seconds (default: a monotonic clock in seconds since the epoch). */
  seconds?: () => number;
  /** The host timers (default: Node's setTimeout/clearTimeout and a keep-alive interval). */
  timers?: ReactorTimers;
}

const REACTOR_OPTIONS = ['seconds', 'timers'];

// setTimeout takes at most 2^31-1 ms (about 24.8 days); a later call fires the timer early and
// the reactor re-arms it.
const MAX_TIMER_MS = 2147483647;

function noop(): void {}

// Bound once: the global `performance` is a lazy getter in Node 20, and going through it on every
// callLater costs about twice the clock read itself.
const timeOrigin = performance.timeOrigin;
const now = performance.now.bind(performance);

/** The default time source: wall-clock seconds since the epoch, read from a monotonic clock. */
function monotonicSeconds(): number {
  return (timeOrigin + now()) / 1000;
}

const nodeTimers: ReactorTimers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  hold: () => {
    const keepAlive = setInterval(noop, MAX_TIMER_MS);
    return () => clearInterval(keepAlive);
  },
};

/**
 * Twisted's reactor core on Node's event loop: an `IReactorTime` (callLater, seconds,
 * getDelayedCalls) and the core of `IReactorCore` (run, stop, crash, running, callWhenRunning,
 * system event triggers). The process-wide `reactor` is one instance; specs and embedders may
 * create their own, with an injected time source and host timers.
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
 * import { Reactor } from 'twistless/reactor';
 * const r = new Reactor();
 * r.callWhenRunning(() => r.callLater(0.01, () => r.stop()));
 * await r.run();
 * ```
 */
export class Reactor implements IReactorTime, IReactorTCP, IReactorUNIX, IReactorSSL {
  /**
   * True between the 'during startup' phase of `run()` and `stop()` finishing or `crash()`.
   * Port of `reactor.running`.
   */
  running: boolean;
  private readonly _heap: TimerHeap;
  private readonly _timers: ReactorTimers;
  private readonly _secondsSource: () => number;
  private readonly _callSeconds: () => number;
  private readonly _canceller: DelayedCallCanceller;
  private readonly _resetter: DelayedCallResetter;
  private readonly _onTimer: () => void;
  private readonly _eventTriggers: Map<string, ThreePhaseEvent>;
  private _timer: unknown;
  private _armedFor: number;
  private _wakeRequested: boolean;
  private _inPass: boolean;
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
    checkOptionNames('new Reactor(options)', options, REACTOR_OPTIONS);
    if (options.seconds !== undefined && typeof options.seconds !== 'function') {
      throw new NotCallableError('new Reactor({ seconds })', options.seconds);
    }
    this.running = false;
    // Bound, so that `const cl = reactor.callLater` (a Python bound method passed alone) works.
    this.callLater = this.callLater.bind(this);
    this.seconds = this.seconds.bind(this);
    // Each move measured from the call's previous time (see lib/reactor/heap.ts): no per-move cost.
    this._heap = new TimerHeap({ exactMoveOrder: false });
    this._timers = options.timers ?? nodeTimers;
    this._secondsSource = options.seconds ?? monotonicSeconds;
    this._callSeconds = () => this.seconds();
    const heap = this._heap;
    this._canceller = (call) => {
      heap.remove(call);
      if (heap.size === 0) this._arm();
    };
    this._resetter = (call, previousTime) => {
      heap.update(call, previousTime);
      if (call._due < previousTime) this._arm();
    };
    this._onTimer = () => {
      this._timer = null;
      this._armedFor = Infinity;
      this._wakeRequested = false;
      try {
        this.runUntilCurrent();
      } finally {
        this._arm(); // even if something unexpected escaped, the calls still pending stay armed
      }
    };
    this._eventTriggers = new Map();
    this._timer = null;
    this._armedFor = Infinity;
    this._wakeRequested = false;
    this._inPass = false;
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
    this.addSystemEventTrigger('during', 'shutdown', this._disconnectAll);
  }

  // ---------------------------------------------------------------- IReactorTime

  /**
   * The current time in float seconds (by default seconds since the epoch, from a monotonic
   * clock, so it never jumps backwards). Port of `reactor.seconds`.
   *
   * @returns the time in seconds
   * @example
   * ```ts no-run
   * const t0 = reactor.seconds();
   * ```
   */
  seconds(): number {
    return this._secondsSource();
  }

  /**
   * Call `fn(...args)` `delay` seconds from now, on Node's event loop. Calls due at the same time
   * run in the order they were scheduled; a call scheduled while calls are running waits for the
   * next pass, even when already due. An exception it throws is logged with `log.err` and the
   * reactor goes on. Port of `reactor.callLater`.
   *
   * @param delay - float seconds, finite and >= 0
   * @param fn - the function to call
   * @param args - its arguments
   * @returns the DelayedCall (an IDelayedCall: cancel, reset, delay, getTime, active)
   * @throws NotANumberError (a TypeError) when `delay` is not a number (say `callLater(undefined, f)`
   *   or setTimeout's order `callLater(f, 1)`)
   * @throws InvalidDelayError for a negative or non-finite delay (Twisted: AssertionError)
   * @throws NotCallableError when `fn` is not a function
   * @example
   * ```ts no-run
   * const call = reactor.callLater(0.5, (name: string) => console.log(`hi ${name}`), 'ann');
   * call.cancel();
   * ```
   */
  callLater<A extends unknown[]>(delay: number, fn: (...args: A) => unknown, ...args: A): DelayedCall;
  callLater(delay: number, fn: DelayedFunction): DelayedCall {
    if (typeof fn !== 'function' || typeof delay !== 'number' || !(delay >= 0) || delay === Infinity) {
      throw callLaterError('reactor.callLater(delay, fn)', delay, fn);
    }
    // `arguments`, not a rest parameter: the common call without arguments allocates no array.
    // eslint-disable-next-line prefer-rest-params
    const args = arguments.length <= 2 ? NO_ARGS : Array.prototype.slice.call(arguments, 2);
    const call = new DelayedCall(this.seconds() + delay, fn, args, this._canceller, this._resetter, this._callSeconds);
    this._heap.push(call);
    if (call._due < this._armedFor) this._arm();
    return call;
  }

  /**
   * Every pending call (not in any particular order; a fresh array). Port of
   * `reactor.getDelayedCalls`.
   *
   * @returns the pending DelayedCalls
   * @example
   * ```ts no-run
   * reactor.getDelayedCalls().length;
   * ```
   */
  getDelayedCalls(): DelayedCall[] {
    return this._heap.toArray();
  }

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
  runUntilCurrent(): void {
    if (!this._inPass) {
      this._inPass = true;
      const heap = this._heap;
      const now = this.seconds();
      // Calls pushed from here on get sequence numbers >= limit: they wait for the next pass,
      // as Twisted's _newTimedCalls do, so a callLater(0) loop cannot starve Node's loop.
      const limit = heap.nextSeq;
      try {
        for (let call = heap.popDue(now, limit); call !== undefined; call = heap.popDue(now, limit)) {
          call.called = true;
          const fn = call.func as DelayedFunction;
          const args = call.args as never[];
          try {
            if (args.length === 0) fn();
            else fn(...args);
          } catch (e) {
            log.err(new Failure(e));
            if (call.creator !== null) {
              log.msg(`\n C: previous exception occurred in a DelayedCall created here:\n C:${call.creator.replace(/\n/g, '\n C:')}\n`);
            }
          }
        }
      } finally {
        this._inPass = false;
      }
    }
    if (this._justStopped) {
      this._justStopped = false;
      this.fireSystemEvent('shutdown');
    }
    if (this._exitPending) this._finishRun();
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
    let event = this._eventTriggers.get(eventType);
    if (event === undefined) {
      event = new ThreePhaseEvent(eventType);
      this._eventTriggers.set(eventType, event);
    }
    return event.addTrigger(phase, fn as TriggerFunction, ...args);
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

  // ---------------------------------------------------------------- IReactorTCP

  /**
   * Listen for TCP connections on `port` (0: a free port), building a protocol per connection
   * with `factory`. Returns the port at once; Node binds it on a later tick: `port.whenListening()`
   * fires once it is bound (then `port.getHost().port` is the real port) or fails with
   * CannotListenError (a failure nobody waits for is logged). `interface: ''` (the default) binds
   * IPv4 0.0.0.0, as in Twisted; use '::' for IPv6 (dual-stack). Port of `reactor.listenTCP`.
   *
   * @param port - the port number, an integer from 0 to 65535
   * @param factory - the protocol factory (its doStart runs once bound)
   * @param options - `backlog` (50) and `interface` ('')
   * @returns the listening port (an IListeningPort)
   * @throws InvalidPortError for a bad port or backlog
   * @example
   * ```ts no-run
   * const port = reactor.listenTCP(0, Factory.forProtocol(Echo), { interface: '127.0.0.1' });
   * await port.whenListening();
   * console.log(port.getHost().port);
   * ```
   */
  listenTCP(port: number, factory: IProtocolFactory, options?: ListenTCPOptions): TCPPort {
    return listenTCPImpl(this, port, factory, options);
  }

  /**
   * Connect to `host`:`port` (a host name is resolved to IPv4 first, as Twisted does). Before
   * this returns: the factory's startFactory (on its first use) and startedConnecting(connector);
   * the attempt runs on a later turn and ends in clientConnectionFailed (refused, timed out after
   * `timeout` seconds, DNS failure) or a connection whose protocol's connectionLost runs before
   * clientConnectionLost. Port of `reactor.connectTCP`.
   *
   * @param host - a host name or an IP address
   * @param port - the port number
   * @param factory - a ClientFactory
   * @param options - `timeout` (30 seconds; null for none) and `bindAddress` ([host, port])
   * @returns the connector (an IConnector)
   * @throws InvalidPortError for a bad port or timeout
   * @example
   * ```ts no-run
   * reactor.connectTCP('127.0.0.1', 8000, new EchoClientFactory());
   * ```
   */
  connectTCP(host: string, port: number, factory: IClientFactory | IProtocolFactory, options?: ConnectTCPOptions): TCPConnector {
    return connectTCPImpl(this, host, port, factory, options);
  }

  // ---------------------------------------------------------------- IReactorUNIX

  /**
   * Listen on a UNIX socket at `address` (a leading '\0' names a Linux abstract socket). Like
   * listenTCP the port is returned at once and `whenListening()` fires once bound; `mode` is
   * applied to the socket file, and `wantPID` holds `<address>.lock` (a held lock raises
   * CannotListenError at once). Port of `reactor.listenUNIX`.
   *
   * @param address - the socket path
   * @param factory - the protocol factory
   * @param options - `backlog` (50), `mode` (0o666), `wantPID` (false)
   * @returns the listening port
   * @throws CannotListenError when `wantPID` and another live process holds the lock
   * @example
   * ```ts no-run
   * const port = reactor.listenUNIX('/tmp/app.sock', factory);
   * await port.whenListening();
   * ```
   */
  listenUNIX(address: string, factory: IProtocolFactory, options?: ListenUNIXOptions): UNIXPort {
    return listenUNIXImpl(this, address, factory, options);
  }

  /**
   * Connect to the UNIX socket at `address`, with connectTCP's callback order. `checkPID` fails the
   * attempt with BadFileError unless `<address>.lock` is held by a live process. Port of
   * `reactor.connectUNIX`.
   *
   * @param address - the socket path
   * @param factory - a ClientFactory
   * @param options - `timeout` (30) and `checkPID` (false)
   * @returns the connector
   * @example
   * ```ts no-run
   * reactor.connectUNIX('/tmp/app.sock', new MyClientFactory());
   * ```
   */
  connectUNIX(address: string, factory: IClientFactory | IProtocolFactory, options?: ConnectUNIXOptions): UNIXConnector {
    return connectUNIXImpl(this, address, factory, options);
  }

  // ---- TLS (IReactorSSL): the logic is in lib/internet/ssl.ts and tls.ts.

  /**
   * Listen on a TCP port where every connection is a TLS server with `contextFactory`'s key,
   * certificate and client-verification policy. As with listenTCP the port is returned at once
   * and `whenListening()` fires once bound. Port of `reactor.listenSSL`.
   *
   * @param port - the port (0: any)
   * @param factory - builds a protocol per connection (connectionMade comes before the handshake)
   * @param contextFactory - a twistless/ssl context factory (CertificateOptions, ...)
   * @param options - `backlog` (50) and `interface` ('')
   * @returns the listening port
   * @throws InvalidPortError, TypeError for bad arguments; what getContext() raises
   * @example
   * ```ts no-run
   * reactor.listenSSL(8443, factory, new DefaultOpenSSLContextFactory('server.key', 'server.crt'));
   * ```
   */
  listenSSL(port: number, factory: IProtocolFactory, contextFactory: IOpenSSLContextFactory, options?: ListenSSLOptions): SSLPort {
    return listenSSLImpl(this, port, factory, contextFactory, options);
  }

  /**
   * Connect over TLS, with connectTCP's callback order; a failed handshake or a hostname mismatch
   * ends the connection through connectionLost with SSLError / VerificationError, and no data
   * crosses. Port of `reactor.connectSSL`.
   *
   * @param host - a name or an IP address
   * @param port - the port
   * @param factory - a ClientFactory
   * @param contextFactory - `optionsForClientTLS(host, trustRoot)` to verify the server
   * @param options - `timeout` (30) and `bindAddress`
   * @returns the connector
   * @example
   * ```ts no-run
   * reactor.connectSSL('example.com', 443, factory, optionsForClientTLS('example.com'));
   * ```
   */
  connectSSL(host: string, port: number, factory: IClientFactory | IProtocolFactory, contextFactory: IOpenSSLContextFactory, options?: ConnectSSLOptions): SSLConnector {
    return connectSSLImpl(this, host, port, factory, contextFactory, options);
  }

  // ---------------------------------------------------------------- internals

  private readonly _disconnectAll = (): void => {
    disconnectAll(this, new Failure(CONNECTION_LOST));
  };

  private readonly _reallyStartRunning = (): void => {
    this.running = true;
  };

  private readonly _crashForShutdown = (): void => {
    this.crash();
  };

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

  /** Make sure the host timer fires in time for the earliest call (or a requested wake). */
  private _arm(): void {
    const top = this._heap.peek();
    const due = this._wakeRequested ? -Infinity : top !== undefined ? top._due : Infinity;
    if (due === Infinity) {
      if (this._timer !== null) {
        this._timers.clear(this._timer);
        this._timer = null;
        this._armedFor = Infinity;
      }
      return;
    }
    if (this._timer !== null) {
      if (this._armedFor <= due) return; // it fires early enough; it re-arms itself if early
      this._timers.clear(this._timer);
    }
    let ms = due === -Infinity ? 0 : Math.ceil((due - this.seconds()) * 1000);
    if (!(ms > 0)) ms = 0;
    else if (ms > MAX_TIMER_MS) ms = MAX_TIMER_MS;
    this._armedFor = due;
    this._timer = this._timers.set(this._onTimer, ms);
  }
}

/**
 * The process-wide reactor (one per process, however twistless was loaded). Port of
 * `twisted.internet.reactor`.
 *
 * @example
 * ```ts no-run
 * import { reactor } from 'twistless/reactor';
 * reactor.callLater(1, () => reactor.stop());
 * await reactor.run();
 * ```
 */
export const reactor: Reactor = processWide('reactor', () => new Reactor());
