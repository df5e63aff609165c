// Port of stackless.tasklet and the core of Stackless's scheduler (Stackless 3.7:
// Stackless/module/taskletobject.c, scheduling.c). Covered by spec/tasklets/scheduler.spec.ts,
// spec/tasklets/traces.spec.ts, spec/tasklets/memory.spec.ts and spec/tasklets/stackless/miscell.spec.ts.
//
// How it works. The runnable tasklets form Stackless's ring: a circular doubly-linked list
// threaded through the tasklets themselves (`_next`/`_prev`, no arrays), whose head is the
// current tasklet. "The end of the ring" is just before the head. A tasklet body is an async
// function; it suspends only by awaiting a promise that a tasklet operation returned, and that
// promise's resolve function is kept on the tasklet (`_res`) and called by the scheduler alone.
// A switch is therefore: do the ring bookkeeping, resolve exactly one waiting tasklet (one
// microtask later its body continues), and hand the caller its own fresh promise. Because the
// operation itself is the suspension point, the scheduler always knows which tasklet holds the
// turn; a promise settling elsewhere never resumes a tasklet by itself.
//
// A foreign await (a timer, a plain promise) is not a suspension point: the tasklet keeps the
// turn and no other tasklet runs until it reaches a tasklet operation or ends (as a blocking
// system call stalls a Stackless thread). `blockOn(promise)` is the way to wait and let the
// others run.
//
// Main is the tasklet of all code outside tasklets. When main holds the turn and runnables
// exist, a macrotask (setImmediate) runs them as if main had called run(): main's awaits of
// settled promises are microtasks and never let another tasklet in.
import { performance } from 'node:perf_hooks';
import { err as logErr } from '../log/log.js';
import { processWide } from '../internal/processWide.js';
import { DeadlockError, RuntimeError, TaskletExit, isTaskletExit, withArgs } from './errors.js';
import type { BlockedEntry } from './errors.js';

/** A tasklet body: usually an async function; its result is discarded, as in Stackless. */
export type TaskletFunction<A extends unknown[] = unknown[]> = (...args: A) => unknown;

/** `setScheduleCallback`'s callback: called on every switch with the tasklet left and the tasklet entered. */
export type ScheduleCallback = (prev: Tasklet | null, next: Tasklet | null) => void;

/** `setErrorHandler`'s handler: receives an uncaught tasklet error, inside the dying tasklet. */
export type ErrorHandler = (error: unknown) => void;

/** Options of `kill` and `throw` (Python's keyword argument). */
export interface ThrowOptions {
  /** Only make the target runnable; the exception is raised when it next runs. */
  pending?: boolean;
}

/** Where a tasklet is linked. */
export const NOWHERE = 0;
export const RING = 1;
export const CHANNEL = 2;
export const BLOCK_ON = 3;

// The bits of `Tasklet._flags` (exported for the module's own hot paths, not public).
const ALIVE = 1;
const STARTED = 2;
const MAIN = 4;
/** @internal */
export const HAS_ERR = 8;
const RET_TEMPVAL = 16;
const WATCHDOG = 32;
/** @internal */
export const SEND_ERR = 64;
const BLOCK_TRAP = 128;
const ATOMIC = 256;
const DIR_SEND = 512;
const DIR_RECV = 1024;
/** `_body` holds the body's promise, its end hook not attached yet (see runBody). */
const BODY_PENDING = 2048;
/** The tasklet's weak reference (`_bref`) is in the scheduler's list of blockOn waiters. */
const LISTED = 4096;
/**
 * @internal A bridge job (deferredTasklet, blockingTasklet): it starts the body in place of
 * `_fn(...args)` (so `this` and the arguments need no array of their own) and hears how the body
 * ended, with its result or its error. A job's body never fails towards the watchdog: its outcome
 * is the job's.
 */
export interface TaskletJob {
  start(): unknown;
  ended(t: Tasklet, failed: boolean, value: unknown): void;
  /** The body is twistless's own and ends its tasklet itself (endTasklet) as its last act: no end hook is attached. */
  readonly ownsEnd: boolean;
}

/**
 * @internal What a tasklet blocked in a Deferred-returning operation waits on (a Deferred): fired
 * by the scheduler when the tasklet gets the turn back, with the operation's value or error.
 */
export interface Waiting {
  callback(value: never): void;
  errback(error: unknown): void;
}

/** What a channel looks like to the scheduler: a FIFO of blocked tasklets and a balance. */
export interface ChannelQueue {
  /** @internal */ _head: Tasklet | null;
  /** @internal */ _tail: Tasklet | null;
  /** @internal */ _balance: number;
  /** @internal Its entry in the scheduler's weak list of channels with waiters; true while only in the list of recent ones; null when in neither. */
  _wref: WeakRef<ChannelQueue> | true | null;
  toString(): string;
}

/** Process-wide scheduler state, kept once per process behind `Symbol.for('twistless.scheduler')`. */
export interface SchedulerState {
  main: Tasklet;
  /** The tasklet holding the turn, or null when nothing runs (every tasklet waits on the event loop). */
  current: Tasklet | null;
  /** The ring's head (equals `current` except while idle). */
  head: Tasklet | null;
  runcount: number;
  /** run() callers, innermost last. */
  watchdogs: Tasklet[];
  immediateArmed: boolean;
  /** The caller of a synchronous start (deferredTasklet), below us on the JavaScript stack. */
  onStack: Tasklet | null;
  /** Tasklets waiting in blockOn for a promise. */
  foreignWaits: number;
  /**
   * The tasklets waiting in blockOn (or on a blockingTasklet call), weakly (for deadlock checks
   * and reports): such a tasklet is reachable only through what it waits on. An entry may be
   * stale (dead, or woken meanwhile); `foreignWaits` counts the live waits plus the collected ones.
   */
  foreignRefs: WeakRef<Tasklet>[];
  /** foreignRefs' length at which it is next compacted. */
  foreignRefsLimit: number;
  /**
   * Channels that have had waiters, weakly (for deadlock reports): a tasklet blocked on a channel
   * is reachable only through that channel, so an unreachable channel frees its waiters.
   */
  chanRefs: WeakRef<ChannelQueue>[];
  /** chanRefs' length at which it is next compacted. */
  chanRefsLimit: number;
  /**
   * Channels that got a waiter since the last sweep (sweepRecent), strongly, RECENT_MAX at most:
   * most are empty again at once (a reply channel) and never need a WeakRef.
   */
  chanRecent: ChannelQueue[];
  /** The number of the next block (reports list the blocked tasklets in the order they blocked). */
  blockSeq: number;
  scheduleCallback: ScheduleCallback | null;
  channelCallback: unknown;
  inChannelCallback: boolean;
  /** How many channel or schedule callbacks are running (nothing may switch then). */
  inCallback: number;
  nextId: number;
  nextChannelId: number;
  switchTrap: number;
  errorHandler: ErrorHandler | null;
  /** True while a Waiting is being delivered (see resume). */
  waitingRun: boolean;
  /** The next tasklet whose Waiting is to be delivered by the running delivery loop. */
  waitingNext: Tasklet | null;
  /** More of them, in order (only if something resumed two before the loop took the first). */
  waitingMore: Tasklet[];
  /** True while main waits on a call inside mainAwaitsCall. */
  mainBlocked: boolean;
  /** How many synchronous starts (deferredTasklet, blockingTasklet) are nested on the JavaScript stack. */
  syncDepth: number;
  /** Switches left before the scheduler next reads the clock (see yieldTurn). */
  slice: number;
  /** How many switches run between two readings of the clock (SLICE_SWITCHES unless a spec forces yields). */
  sliceSwitches: number;
  /** How long (ms) tasklets may switch among themselves before Node's event loop gets a turn (SLICE_MS unless a spec forces yields). */
  sliceMs: number;
  /** When the tasklets last gave Node's event loop a turn (performance.now()). */
  sliceStart: number;
  /** The tasklet whose resumption waits for Node's event loop to have had a turn, or null. */
  yielded: Tasklet | null;
  /** Where main was on the watchdog stack when a yield ended its automatic turn (see yieldTurn), or -1. */
  yieldedMainDepth: number;
  /** Set while main awaits blockingTasklet calls: checks, main holding the turn alone, whether they can still finish. */
  mainWaitCheck: (() => void) | null;
}

/** The least length at which the weak list of channels is compacted. */
const CHAN_REFS_MIN = 1024;
/** How many channels with waiters may be held strongly, before a sweep lists them weakly. */
const RECENT_MAX = 16;
/** How many switches run between two readings of the clock. */
const SLICE_SWITCHES = 1024;
/** How long (ms) tasklets may switch among themselves before Node's event loop gets a turn. */
const SLICE_MS = 5;
// The state as the constructor reads it: undefined only while createState builds main.
let stateRef: SchedulerState | undefined = undefined;


/**
 * A tasklet: a lightweight thread of control run by the scheduler, one at a time, in Stackless
 * order. Its body is a function (usually async) that awaits every blocking operation.
 * Port of `stackless.tasklet`.
 *
 * @example
 * ```ts
 * const t = tasklet(async (name: string) => { console.log('hi', name); await schedule(); }).setup('ann');
 * await run(); // hi ann
 * ```
 */
export class Tasklet<A extends unknown[] = unknown[]> {
  // Field layout. A blocked tasklet is mostly V8's suspended async function; this object is kept
  // small (16 fields, 144 bytes): the booleans and the direction share one bit field, `_chan`
  // doubles as the blockOn token (a tasklet waits on one thing at a time), `_val` holds the
  // pending exception when HAS_ERR is set and the arguments until the body starts, a bridge
  // tasklet's job takes the body's place in `_fn`, and `_body` keeps the body's promise until the
  // end hook is attached at the first resumption. Every field is set in the constructor, in one order.
  /** A number for reports (main is 0). */
  readonly id: number;
  /** A label for reports; defaults to the function's name. */
  label: string;
  /** The transfer slot: the bound function before start, the value being sent while blocked in `send`, `schedule`'s value. Port of `tasklet.tempval`. */
  tempval: unknown;
  /**
   * @internal Always undefined. Resolving a promise with an object looks up its `then`; found
   * here, first, the lookup is cheap (`schedule()` resolves to the tasklet: ~50 ns less per
   * switch than a miss down the prototype chain, measured; ~10 ns less than a hit on the
   * prototype, measured, so it stays an own field).
   */
  then: undefined;
  /** @internal the bits ALIVE, STARTED, MAIN, HAS_ERR, RET_TEMPVAL, WATCHDOG, SEND_ERR, BLOCK_TRAP, ATOMIC, DIR_SEND, DIR_RECV */ _flags: number;
  /** @internal the body, or for a bridge tasklet the job that starts it and hears its end */ _fn: TaskletFunction<never[]> | TaskletJob | null;
  /** @internal where it is linked: NOWHERE, RING, CHANNEL, BLOCK_ON */ _where: number;
  /** @internal */ _next: Tasklet | null;
  /** @internal */ _prev: Tasklet | null;
  /** @internal the channel it waits on (CHANNEL) or the token of its blockOn wait (BLOCK_ON) */ _chan: ChannelQueue | object | null;
  /** @internal how the pending operation returns: the resolve function of its promise, or a Deferred-like waiter fired on resume */ _res: ((v: unknown) => void) | Waiting | null;
  /** @internal value its pending operation returns, or the pending exception (HAS_ERR), or the arguments until the body starts */ _val: unknown;
  /** @internal its weak reference in the scheduler's list of blockOn waiters, made at its first wait */ _bref: WeakRef<Tasklet> | null;
  /** @internal when it blocked (sched.blockSeq), for the order of deadlock reports */ _seq: number;
  /** @internal the started body's promise while its end hook waits for the first resumption (BODY_PENDING) */ _body: PromiseLike<unknown> | null;

  /** When set, a channel operation that would block throws instead. Port of `tasklet.block_trap`. */
  get blockTrap(): boolean {
    return (this._flags & BLOCK_TRAP) !== 0;
  }

  set blockTrap(value: boolean) {
    this._flags = value ? this._flags | BLOCK_TRAP : this._flags & ~BLOCK_TRAP;
  }

  /** @internal inert atomic flag (no pre-emption here) */
  get _atomic(): boolean {
    return (this._flags & ATOMIC) !== 0;
  }

  set _atomic(v: boolean) {
    this._flags = v ? this._flags | ATOMIC : this._flags & ~ATOMIC;
  }

  /** @internal */
  get _alive(): boolean {
    return (this._flags & ALIVE) !== 0;
  }

  set _alive(v: boolean) {
    this._flags = v ? this._flags | ALIVE : this._flags & ~ALIVE;
  }

  /** @internal */
  get _started(): boolean {
    return (this._flags & STARTED) !== 0;
  }

  set _started(v: boolean) {
    this._flags = v ? this._flags | STARTED : this._flags & ~STARTED;
  }

  /** @internal */
  get _isMain(): boolean {
    return (this._flags & MAIN) !== 0;
  }

  set _isMain(v: boolean) {
    this._flags = v ? this._flags | MAIN : this._flags & ~MAIN;
  }

  /** @internal a pending exception (in `_val`) */
  get _hasErr(): boolean {
    return (this._flags & HAS_ERR) !== 0;
  }

  set _hasErr(v: boolean) {
    this._flags = v ? this._flags | HAS_ERR : this._flags & ~HAS_ERR;
  }

  /** @internal the pending exception: shares `_val` (read it only when `_hasErr`) */
  get _err(): unknown {
    return this._val;
  }

  set _err(v: unknown) {
    this._val = v;
  }

  /** @internal the pending operation returns tempval (schedule, scheduleRemove) */
  get _retTempval(): boolean {
    return (this._flags & RET_TEMPVAL) !== 0;
  }

  set _retTempval(v: boolean) {
    this._flags = v ? this._flags | RET_TEMPVAL : this._flags & ~RET_TEMPVAL;
  }

  /** @internal parked in run() */
  get _watchdog(): boolean {
    return (this._flags & WATCHDOG) !== 0;
  }

  set _watchdog(v: boolean) {
    this._flags = v ? this._flags | WATCHDOG : this._flags & ~WATCHDOG;
  }

  /** @internal the value sent is an exception to raise in the receiver */
  get _sendErr(): boolean {
    return (this._flags & SEND_ERR) !== 0;
  }

  set _sendErr(v: boolean) {
    this._flags = v ? this._flags | SEND_ERR : this._flags & ~SEND_ERR;
  }

  /** @internal 1 sending, -1 receiving, 0 neither */
  get _dir(): number {
    const f = this._flags;
    return (f & DIR_SEND) !== 0 ? 1 : (f & DIR_RECV) !== 0 ? -1 : 0;
  }

  set _dir(v: number) {
    const f = this._flags & ~(DIR_SEND | DIR_RECV);
    this._flags = v > 0 ? f | DIR_SEND : v < 0 ? f | DIR_RECV : f;
  }

  /** @internal token of the blockOn wait: shares `_chan` */
  get _foreign(): object | null {
    return this._where === BLOCK_ON ? this._chan : null;
  }

  set _foreign(v: object | null) {
    this._chan = v;
  }

  /**
   * Creates a tasklet bound to `fn` (not yet alive: call `setup(...args)` to start it).
   * Port of `stackless.tasklet(func)`.
   * @param fn The body; `null`/omitted leaves it unbound.
   * @throws TypeError "tasklet function must be a callable or None" when `fn` is not a function.
   */
  constructor(fn?: TaskletFunction<A> | null) {
    if (fn !== undefined && fn !== null && typeof fn !== 'function') throw new TypeError('tasklet function must be a callable or None');
    // While createState builds main the state does not exist yet: main is number 0.
    const st = stateRef;
    this.id = st === undefined ? 0 : st.nextId++;
    this.label = fn ? fn.name : '';
    this.tempval = fn ?? null;
    this.then = undefined;
    this._flags = 0;
    this._fn = (fn ?? null) as TaskletFunction<never[]> | null;
    this._where = NOWHERE;
    this._next = null;
    this._prev = null;
    this._chan = null;
    this._res = null;
    this._val = undefined;
    this._bref = null;
    this._seq = 0;
    this._body = null;
  }

  /** True from `setup` (or `bind` with arguments) until the function ends. Port of `tasklet.alive`. */
  get alive(): boolean {
    return this._alive;
  }

  /** True while waiting on a channel (or in `blockOn`). Port of `tasklet.blocked`. */
  get blocked(): boolean {
    return this._where === CHANNEL || this._where === BLOCK_ON;
  }

  /** True when runnable (in the ring, the current one included) or blocked. Port of `tasklet.scheduled`. */
  get scheduled(): boolean {
    return this._where !== NOWHERE;
  }

  /** Alive but neither runnable nor blocked. Port of `tasklet.paused`. */
  get paused(): boolean {
    return this._alive && this._where === NOWHERE;
  }

  /** True for the main tasklet. Port of `tasklet.is_main`. */
  get isMain(): boolean {
    return this._isMain;
  }

  /** True for the tasklet holding the turn (main for code outside tasklets). Port of `tasklet.is_current`. */
  get isCurrent(): boolean {
    return this === (sched.current ?? sched.main);
  }

  /** An inert flag (nothing pre-empts a tasklet here). Port of `tasklet.atomic`. */
  get atomic(): boolean {
    return this._atomic;
  }

  /** Sets the inert atomic flag; returns the previous value. Port of `tasklet.set_atomic(flag)`. */
  setAtomic(flag: boolean): boolean {
    const old = this._atomic;
    this._atomic = !!flag;
    return old;
  }

  /**
   * Binds a function (and, with `args`, prepares the call: alive but paused); `bind()` with
   * nothing unbinds (a paused tasklet dies without running its `finally`). Returns `this`.
   * Port of `tasklet.bind(func, args)`.
   * @throws RuntimeError "can't (re)bind the current tasklet", "tasklet is scheduled",
   *   "can't unbind the main tasklet", "the tasklet was not bound to a function".
   * @throws TypeError "tasklet function must be a callable or None".
   */
  bind<B extends unknown[] = A>(fn?: TaskletFunction<B> | null, args?: B | null, kwargs?: Record<string, unknown> | null): this {
    if (fn !== undefined && fn !== null && typeof fn !== 'function') throw new TypeError('tasklet function must be a callable or None');
    if (this === (sched.current ?? sched.main)) throw new RuntimeError("can't (re)bind the current tasklet");
    if (this._where !== NOWHERE) throw new RuntimeError('tasklet is scheduled');
    if (this._isMain) throw new RuntimeError("can't unbind the main tasklet");
    if (args === null) args = undefined;
    if (kwargs !== undefined && kwargs !== null) args = [...((args ?? []) as unknown[]), kwargs] as unknown as B;
    if ((fn === undefined || fn === null) && args === undefined) {
      this._fn = null;
      this._dropFrame();
      this.tempval = null;
      return this;
    }
    if (fn !== undefined && fn !== null) {
      this._dropFrame();
      this._fn = fn as TaskletFunction<never[]>;
      this.tempval = fn;
      if (this.label === '') this.label = fn.name;
    }
    if (args !== undefined) {
      if (this._fn === null) throw new RuntimeError('the tasklet was not bound to a function');
      this._dropFrame();
      // The arguments wait in `_val` (no operation is pending before the start).
      this._val = args;
      this._alive = true;
      this.tempval = null;
    }
    return this;
  }

  /** @internal forget a started body (its promise is abandoned) */
  _dropFrame(): void {
    this._flags &= ~BODY_PENDING;
    this._body = null;
    this._alive = false;
    this._started = false;
    this._res = null;
    this._hasErr = false;
    this._err = undefined;
  }

  /**
   * Supplies the arguments and appends the tasklet to the runnables; returns `this`.
   * Port of `tasklet.setup(*args)` / `tasklet(func)(*args)`.
   * @throws RuntimeError "tasklet is alive", "the tasklet was not bound to a function".
   */
  setup(...args: A): this {
    if (this._alive) throw new RuntimeError('tasklet is alive');
    if (this._fn === null) throw new RuntimeError('the tasklet was not bound to a function');
    this.bind(null, args);
    return this.insert();
  }

  /**
   * Appends the tasklet to the end of the runnables (no-op when already scheduled); returns `this`.
   * Port of `tasklet.insert()`.
   * @throws RuntimeError "You cannot run a blocked tasklet", "You cannot run an unbound(dead) tasklet".
   */
  insert(): this {
    checkRunnable(this);
    if (this._where === NOWHERE) ringAppend(this);
    return this;
  }

  /**
   * Takes the tasklet out of the runnables (paused); no-op when not runnable; returns `this`.
   * Port of `tasklet.remove()`.
   * @throws RuntimeError "You cannot remove a blocked tasklet.", "The current tasklet cannot be removed."
   */
  remove(): this {
    if (this.blocked) throw new RuntimeError('You cannot remove a blocked tasklet.');
    if (this === (sched.current ?? sched.main)) throw new RuntimeError('The current tasklet cannot be removed.');
    if (this._where === RING) ringUnlink(this);
    return this;
  }

  /**
   * Switches to this tasklet now (inserting it at the end if needed); the caller stays runnable
   * in its place, so the ring carries on from here. Resolves when the caller's turn comes back.
   * Port of `tasklet.run()`.
   * @throws RuntimeError "You cannot run a blocked tasklet", "You cannot run an unbound(dead) tasklet" (as a rejection).
   */
  run(): Promise<void> {
    return switchOp(this, false) as Promise<void>;
  }

  /**
   * Like `run()`, but the caller is paused (removed from the runnables) until someone inserts
   * or runs it. Switching to oneself is a no-op. Port of `tasklet.switch()`.
   * @throws RuntimeError as `run()`.
   */
  switch(): Promise<void> {
    return switchOp(this, true) as Promise<void>;
  }

  /**
   * Raises `TaskletExit` in the tasklet at its suspension point, now (or, with `pending`, when it
   * next runs); its `finally` blocks run; a blocked victim leaves its channel. No-op on a dead
   * tasklet. Port of `tasklet.kill(pending=False)`.
   */
  kill(options: ThrowOptions | boolean = false): Promise<void> {
    if (arguments.length > 1) return Promise.reject(new TypeError(`kill() takes at most 1 argument (${arguments.length} given)`));
    const pending = pendingOption(options, 'kill');
    if (typeof pending !== 'boolean') return Promise.reject(pending);
    if (!this._alive) return Promise.resolve();
    return throwOp(this, new TaskletExit(), pending);
  }

  /**
   * Raises `new ErrorClass(...args)` in the tasklet now; the exception carries `args`, as Python's
   * do. Port of `tasklet.raise_exception(cls, *args)`.
   * @throws TypeError "raise_exception() takes at least 1 argument" / when ErrorClass is not a class.
   * @throws RuntimeError "You cannot throw to a dead tasklet".
   */
  raiseException<E extends unknown[]>(ErrorClass: new (...args: E) => unknown, ...args: E): Promise<void> {
    if (arguments.length === 0) return Promise.reject(new TypeError('raise_exception() takes at least 1 argument'));
    if (typeof ErrorClass !== 'function') return Promise.reject(new TypeError('raise_exception() needs Exception or string subclass as first parameter'));
    return throwOp(this, withArgs(new ErrorClass(...args), args), false);
  }

  /**
   * Raises `error` in the tasklet: now (switching to it), or with `pending` when it next runs.
   * Port of `tasklet.throw(exc, pending=False)`; pass an Error object to keep its stack.
   * @throws RuntimeError "You cannot throw to a dead tasklet" (TaskletExit to a dead tasklet is a no-op).
   */
  throw(error: unknown, options: ThrowOptions | boolean = false): Promise<void> {
    if (arguments.length === 0) return Promise.reject(new TypeError('throw() takes at least 1 argument'));
    if (arguments.length > 2) return Promise.reject(new TypeError('instance exception may not have a separate value'));
    const pending = pendingOption(options, 'throw');
    if (typeof pending !== 'boolean') return Promise.reject(pending);
    return throwOp(this, error, pending);
  }

  /** `<tasklet 3 'name'>`, `<tasklet main>`: how reports name a tasklet. */
  toString(): string {
    if (this._isMain) return '<tasklet main>';
    return this.label ? `<tasklet ${this.id} '${this.label}'>` : `<tasklet ${this.id}>`;
  }
}

function pendingOption(options: ThrowOptions | boolean | undefined | null, op: string): boolean | TypeError {
  if (options === undefined || options === null) return false;
  if (typeof options === 'boolean') return options;
  if (typeof options === 'object') {
    const p = options.pending;
    if (p === undefined) return false;
    if (typeof p === 'boolean') return p;
  }
  return new TypeError(`${op}() option "pending" must be a boolean, got ${typeof options === 'object' ? typeof options.pending : typeof options}`);
}

function createState(): SchedulerState {
  const state = {
    main: undefined as unknown as Tasklet,
    current: null,
    head: null,
    runcount: 0,
    watchdogs: [],
    immediateArmed: false,
    onStack: null,
    foreignWaits: 0,
    foreignRefs: [],
    foreignRefsLimit: CHAN_REFS_MIN,
    chanRefs: [],
    chanRefsLimit: CHAN_REFS_MIN,
    chanRecent: [],
    blockSeq: 0,
    scheduleCallback: null,
    channelCallback: null,
    inChannelCallback: false,
    inCallback: 0,
    nextId: 1,
    nextChannelId: 1,
    switchTrap: 0,
    errorHandler: null,
    waitingRun: false,
    waitingNext: null,
    waitingMore: [],
    mainBlocked: false,
    syncDepth: 0,
    slice: SLICE_SWITCHES,
    sliceSwitches: SLICE_SWITCHES,
    sliceMs: SLICE_MS,
    sliceStart: performance.now(),
    yielded: null,
    yieldedMainDepth: -1,
    mainWaitCheck: null,
  } as SchedulerState;
  const main = new Tasklet(null);
  main._isMain = true;
  main._alive = true;
  main._started = true;
  main.label = 'main';
  main._next = main;
  main._prev = main;
  main._where = RING;
  state.main = main;
  state.current = main;
  state.head = main;
  state.runcount = 1;
  return state;
}

/** The process-wide scheduler state (created once per process, whichever copy loads first). */
export const sched: SchedulerState = processWide('scheduler', createState);
stateRef = sched;

// ---------------------------------------------------------------------------------- the ring

/** @internal Links `t` just before `ref` in the ring. */
export function ringInsertBefore(t: Tasklet, ref: Tasklet): void {
  const p = ref._prev as Tasklet;
  t._prev = p;
  t._next = ref;
  p._next = t;
  ref._prev = t;
  t._where = RING;
  sched.runcount++;
  // Linked in beside main while main holds the turn (a rendezvous where main goes on): the event
  // loop must give the newcomer its turn. (ringAppend checks the other cases.)
  if (ref === sched.main && sched.current === ref && !sched.immediateArmed) armImmediate();
}

/** @internal Appends `t` at the end of the ring (just before the head). */
export function ringAppend(t: Tasklet): void {
  const h = sched.head;
  if (h === null) {
    t._next = t;
    t._prev = t;
    t._where = RING;
    sched.head = t;
    sched.runcount++;
  } else ringInsertBefore(t, h);
  // Main holds the turn (or nobody does): the event loop must give the newcomer its turn.
  if (!sched.immediateArmed && (sched.current === null || sched.current === sched.main)) armImmediate();
}

/** @internal Unlinks `t` from the ring. */
export function ringUnlink(t: Tasklet): void {
  const n = t._next as Tasklet;
  if (n === t) sched.head = null;
  else {
    const p = t._prev as Tasklet;
    p._next = n;
    n._prev = p;
    if (sched.head === t) sched.head = n;
  }
  t._next = null;
  t._prev = null;
  t._where = NOWHERE;
  sched.runcount--;
}

// ------------------------------------------------------------------------- the blocked list

/** @internal Records `t` as blocked in blockOn (for deadlock checks and reports), weakly: one WeakRef per tasklet, made at its first wait. */
export function blockedAdd(t: Tasklet): void {
  t._seq = sched.blockSeq++;
  const f = t._flags;
  if ((f & LISTED) !== 0) return;
  t._flags = f | LISTED;
  let ref = t._bref;
  if (ref === null) ref = t._bref = new WeakRef(t);
  const refs = sched.foreignRefs;
  refs.push(ref);
  if (refs.length >= sched.foreignRefsLimit) compactForeign(refs);
}

/** Drops the dead entries of the blockOn waiters' list, and those of tasklets no longer waiting. */
function compactForeign(refs: WeakRef<Tasklet>[]): void {
  let k = 0;
  for (let i = 0; i < refs.length; i++) {
    const r = refs[i];
    const t = r.deref();
    if (t === undefined) continue;
    if (t._where !== BLOCK_ON) {
      t._flags &= ~LISTED;
      continue;
    }
    refs[k++] = r;
  }
  refs.length = k;
  sched.foreignRefsLimit = Math.max(CHAN_REFS_MIN, 2 * k);
}

/**
 * @internal True when a live tasklet waits in blockOn (a promise may still wake it). The count
 * is exact but for waiters collected with what they waited on; only then is the list scanned.
 */
export function anyForeignWait(): boolean {
  if (sched.foreignWaits === 0) return false;
  const refs = sched.foreignRefs;
  for (let i = 0; i < refs.length; i++) {
    const t = refs[i].deref();
    if (t !== undefined && t._where === BLOCK_ON) {
      // Found first next time, while it still waits.
      refs[i] = refs[0];
      refs[0] = t._bref as WeakRef<Tasklet>;
      return true;
    }
  }
  // Every waiter counted is gone: collected unwoken, with whatever it waited on.
  sched.foreignWaits = 0;
  compactForeign(refs);
  return false;
}

/** @internal Appends `t` to a channel's queue (the caller has unlinked it from the ring). */
export function chanEnqueue(ch: ChannelQueue, t: Tasklet, dir: number): void {
  const tail = ch._tail;
  t._prev = tail;
  t._next = null;
  if (tail === null) ch._head = t;
  else tail._next = t;
  ch._tail = t;
  t._chan = ch;
  t._flags = (t._flags & ~(DIR_SEND | DIR_RECV)) | (dir > 0 ? DIR_SEND : DIR_RECV);
  t._where = CHANNEL;
  ch._balance += dir;
  t._seq = sched.blockSeq++;
  if (ch._wref === null) noteChannel(ch);
}

/**
 * A channel got a waiter: noted strongly, and listed weakly only if it still has waiters when
 * the recent ones are swept (when RECENT_MAX are noted, or the scheduler waits on the event loop).
 * Most never are: a reply channel is empty again at once and leaves the list (chanRemove).
 */
function noteChannel(ch: ChannelQueue): void {
  ch._wref = true;
  const recent = sched.chanRecent;
  recent.push(ch);
  if (recent.length >= RECENT_MAX) sweepRecent();
}

/** Moves the recent channels that still have waiters to the weak list; forgets the others. */
function sweepRecent(): void {
  const recent = sched.chanRecent;
  for (let i = 0; i < recent.length; i++) {
    const c = recent[i];
    if (c._wref !== true) continue;
    if (c._head === null) c._wref = null;
    else listChannel(c);
  }
  recent.length = 0;
}

/** Adds `ch` to the weak list of channels with waiters; drops the dead and empty entries now and then. */
function listChannel(ch: ChannelQueue): void {
  const ref = new WeakRef(ch);
  ch._wref = ref;
  const refs = sched.chanRefs;
  refs.push(ref);
  if (refs.length < sched.chanRefsLimit) return;
  let k = 0;
  for (let i = 0; i < refs.length; i++) {
    const r = refs[i];
    const c = r.deref();
    if (c === undefined) continue;
    if (c._head === null) {
      c._wref = null;
      continue;
    }
    refs[k++] = r;
  }
  refs.length = k;
  sched.chanRefsLimit = Math.max(CHAN_REFS_MIN, 2 * k);
}

/** @internal Takes `t` off its channel's queue, moving the balance back toward 0. */
export function chanRemove(t: Tasklet): void {
  const ch = t._chan as ChannelQueue;
  const p = t._prev;
  const n = t._next;
  if (p === null) ch._head = n;
  else p._next = n;
  if (n === null) ch._tail = p;
  else n._prev = p;
  const f = t._flags;
  ch._balance -= (f & DIR_SEND) !== 0 ? 1 : -1;
  t._prev = null;
  t._next = null;
  t._chan = null;
  t._flags = f & ~(DIR_SEND | DIR_RECV);
  t._where = NOWHERE;
  if (n === null && p === null && ch._wref === true) forgetRecent(ch);
}

/** `ch`, noted as recent, has no waiter any more: it leaves the list if it is the last noted. */
function forgetRecent(ch: ChannelQueue): void {
  const recent = sched.chanRecent;
  if (recent[recent.length - 1] !== ch) return;
  recent.pop();
  ch._wref = null;
}

/** @internal Takes `t` out of wherever it is linked (ring, channel, blockOn, watchdog stack). */
export function detach(t: Tasklet): void {
  switch (t._where) {
    case RING:
      ringUnlink(t);
      break;
    case CHANNEL:
      chanRemove(t);
      break;
    case BLOCK_ON:
      t._foreign = null;
      t._where = NOWHERE;
      sched.foreignWaits--;
      break;
  }
  // A run() caller stays on the watchdog stack until it resumes: resume() takes it (and the
  // deeper ones) off then, as Stackless does when its run() returns.
}

function removeWatchdog(t: Tasklet): void {
  t._watchdog = false;
  const w = sched.watchdogs;
  const i = w.lastIndexOf(t);
  if (i < 0) return;
  // A run() caller that wakes takes every deeper run() caller off the stack too and makes the
  // paused ones runnable (PyStackless_RunWatchdogEx); their run() then returns in their turn.
  for (let k = w.length - 1; k > i; k--) {
    const d = w[k];
    d._watchdog = false;
    if (d._where === NOWHERE) {
      if (sched.head === null) ringAppend(d);
      else ringInsertBefore(d, sched.head);
    }
  }
  w.length = i;
}

// ---------------------------------------------------------------------------- switching

/** @internal The caller's promise: its resolver is kept on the tasklet for the scheduler alone. */
export function suspend(t: Tasklet): Promise<unknown> {
  // An executor written inline: TurboFan inlines it into the Promise constructor (and the
  // closure never escapes), which a shared module-level executor does not get (measured).
  return new Promise<unknown>((res) => {
    t._res = res;
  });
}

/** @internal Gives the turn to `next` (already linked in the ring) and resumes it. */
export function switchTo(prev: Tasklet | null, next: Tasklet): void {
  if (sched.mainBlocked && (next._res === null || typeof next._res === 'function') && next !== sched.main) {
    handBackToMain(prev, next);
    return;
  }
  sched.head = next;
  sched.current = next;
  if (next === sched.main) {
    // Main has the turn back (plain code may drop channels now): no channel stays held strongly.
    if (sched.chanRecent.length !== 0) sweepRecent();
    // With others runnable: if main goes back to the event loop, they run then (alone, while it
    // awaits calls: the event loop checks whether they can still finish).
    if (!sched.immediateArmed && (next._next !== next || sched.mainWaitCheck !== null)) armImmediate();
  }
  if (sched.scheduleCallback !== null && prev !== next) callScheduleCallback(prev, next);
  resume(next);
}

function resume(t: Tasklet): void {
  if ((t._flags & WATCHDOG) !== 0) removeWatchdog(t);
  const onStack = sched.onStack;
  // A synchronous caller below us continues by returning; anyone else waits until it has.
  if (onStack !== null) return;
  const res = t._res;
  if (res === null) {
    if (!t._started) {
      t._started = true;
      // A new body starts one microtask later, after the switching tasklet has suspended.
      void Promise.resolve(t).then(runBody);
    } else if (t._hasErr && t._isMain) {
      // Main is plain code (the automatic turn): it awaits nothing of ours, so report.
      const e = t._err;
      t._err = undefined;
      t._hasErr = false;
      reportError(e, 'Unhandled error in tasklet:');
    }
    // Otherwise the tasklet is in a foreign await: it holds the turn and comes back by itself.
    return;
  }
  if (typeof res === 'function') {
    if (t._isMain) {
      // Main is plain code taking the turn back: the tasklets' slice starts again from here.
      restartSlice();
      resolveNow(t, res);
    } else if (--sched.slice <= 0 && sliceOver()) yieldTurn(t);
    else resolveNow(t, res);
    return;
  }
  // A Waiting (a Deferred the tasklet awaits, or a body of twistless's own run step by step):
  // it is called now, synchronously, the tasklet holding the turn. What it runs may switch to
  // another such tasklet: that one is delivered by the loop, not by a nested call, so the
  // JavaScript stack stays flat however many of them hand the turn on.
  if (sched.waitingRun) {
    if (sched.waitingNext === null) sched.waitingNext = t;
    else sched.waitingMore.push(t);
    return;
  }
  runAsStep(deliverWaiting, t);
}

/** A new slice: the tasklets start switching among themselves from plain code or the event loop. */
function restartSlice(): void {
  sched.slice = sched.sliceSwitches;
  sched.sliceStart = performance.now();
}

/** True when the tasklets have been switching among themselves for a whole time slice. */
function sliceOver(): boolean {
  sched.slice = sched.sliceSwitches;
  return performance.now() - sched.sliceStart >= sched.sliceMs;
}

/**
 * `t` holds the turn but resumes only after Node's event loop has had a turn (timers, I/O): a
 * ring that never blocks must not starve Node. The order of the tasklets, and what the schedule
 * callback sees, do not change. Meanwhile, in an automatic turn, main has the turn back (in the
 * ring just before `t`, as before that turn began): its plain code is free, so it must see the
 * state it sees between two automatic turns (runnables waiting), not a main parked in a run() it
 * never called. Otherwise (main awaits run() or an operation) nobody holds the turn, as when every
 * tasklet waits.
 */
function yieldTurn(t: Tasklet): void {
  sched.yielded = t;
  const main = sched.main;
  if ((main._flags & WATCHDOG) !== 0 && main._res === null && !sched.mainBlocked) {
    const w = sched.watchdogs;
    const i = w.lastIndexOf(main);
    w.splice(i, 1);
    sched.yieldedMainDepth = i;
    main._flags &= ~WATCHDOG;
    ringInsertBefore(main, t);
    sched.head = main;
    sched.current = main;
  } else sched.current = null;
  if (!sched.immediateArmed) armImmediate();
}

/** Node's event loop has had its turn: the yielded tasklet resumes (the ring's head, unless plain code changed the ring meanwhile). */
function resumeYielded(t: Tasklet): void {
  sched.yielded = null;
  restartSlice();
  const depth = sched.yieldedMainDepth;
  if (depth >= 0) {
    sched.yieldedMainDepth = -1;
    const main = sched.main;
    if (sched.current === main && sched.head === main && main._next === t && (main._flags & WATCHDOG) === 0 && depth <= sched.watchdogs.length) {
      // The automatic turn goes on from `t`, main parked where it was, unseen by the schedule callback.
      main._flags |= WATCHDOG;
      sched.watchdogs.splice(depth, 0, main);
      ringUnlink(main);
      sched.head = t;
      sched.current = t;
      resumeNow(t);
    } else automaticTurn();
    return;
  }
  if (sched.current !== null) return;
  if (sched.head === t) {
    sched.current = t;
    resumeNow(t);
  } else leaveTurn(t, false);
}

/** Resumes `t` at once, with no new count of the slice (it has just had its yield). */
function resumeNow(t: Tasklet): void {
  const res = t._res;
  if (typeof res === 'function') resolveNow(t, res);
  else resume(t);
}

/**
 * @internal Sets how often the tasklets give Node's event loop a turn (after `switches` switches
 * once `ms` milliseconds have passed) and returns the previous setting; `setTimeSlice(1, 0)` makes
 * every switch yield, so a spec can check that yields change no trace.
 */
export function setTimeSlice(switches: number, ms: number): [number, number] {
  if (!Number.isInteger(switches) || switches < 1 || typeof ms !== 'number' || !(ms >= 0)) throw new RangeError(`setTimeSlice() needs an integer number of switches >= 1 and a time >= 0 ms, got ${switches} and ${ms}`);
  const old: [number, number] = [sched.sliceSwitches, sched.sliceMs];
  sched.sliceSwitches = switches;
  sched.sliceMs = ms;
  restartSlice();
  return old;
}

/** Resolves the promise `t` awaits with its pending operation's outcome (`t` continues a microtask later). */
function resolveNow(t: Tasklet, res: (v: unknown) => void): void {
  // The hot end of every switch: the flag bits directly, not through the accessors.
  t._res = null;
  // The body may run to its end from here on: it needs its end hook now.
  if ((t._flags & BODY_PENDING) !== 0) hookPending(t);
  const f = t._flags;
  const v = (f & HAS_ERR) !== 0 ? new Raise(t._val) : (f & RET_TEMPVAL) !== 0 ? t.tempval : t._val;
  t._val = undefined;
  t._flags = f & ~(HAS_ERR | RET_TEMPVAL);
  res(v);
}

/** The first resumption of a body parked since its start: its end hook, attached now. */
function hookPending(t: Tasklet): void {
  hookEnd(t, t._body as PromiseLike<unknown>);
  t._body = null;
  t._flags &= ~BODY_PENDING;
}

function drainWaiting(): void {
  let n: Tasklet | null;
  while ((n = sched.waitingNext) !== null) {
    const more = sched.waitingMore;
    sched.waitingNext = more.length > 0 ? (more.shift() as Tasklet) : null;
    deliverWaiting(n);
  }
}

/**
 * @internal Runs `step(arg)`, a step of a body run step by step that did not come from a
 * Waiting delivery (a callback from a Deferred, say), as if it had: the deliveries its
 * operations cause are queued and made after it returns, never nested inside it.
 */
export function runAsStep<A>(step: (arg: A) => void, arg: A): void {
  if (sched.waitingRun) {
    step(arg);
    return;
  }
  sched.waitingRun = true;
  try {
    step(arg);
    drainWaiting();
  } finally {
    sched.waitingRun = false;
  }
}

function deliverWaiting(t: Tasklet): void {
  const res = t._res;
  if (res === null) return;
  if (typeof res === 'function') {
    // Suspended again on a promise meanwhile (an operation made without await): as resume().
    resolveNow(t, res);
    return;
  }
  t._res = null;
  const f = t._flags;
  const v = (f & RET_TEMPVAL) !== 0 ? t.tempval : t._val;
  t._val = undefined;
  t._flags = f & ~(HAS_ERR | RET_TEMPVAL);
  try {
    if ((f & HAS_ERR) !== 0) res.errback(v);
    else res.callback(v as never);
  } catch (e) {
    // A Deferred fired already by someone else (callback() by hand): nothing else to tell it.
    reportError(e, 'Could not deliver a tasklet operation\'s result to its Deferred:');
  }
}

/**
 * Resolving a switch's promise with a Raise rejects it with `e` (the thenable's `then` is called
 * with the promise's own resolvers), so a suspended tasklet keeps only its resolve function
 * (the reject function, 56 bytes, is dropped at once). The exception arrives one microtask
 * later than a direct reject would deliver it; the schedule is the same.
 */
class Raise {
  readonly e: unknown;
  constructor(e: unknown) {
    this.e = e;
  }

  then(_res: unknown, rej: (e: unknown) => void): void {
    rej(this.e);
  }
}

/** @internal Called by the ring walker when the synchronous caller of a synchronous start gets back control. */
export function syncCallerResumes(caller: Tasklet): void {
  // After a synchronous start the turn may have been handed to someone else whose resumption
  // was held back: the caller keeps running (it cannot be stopped) and that tasklet runs next.
  const cur = sched.current;
  if (cur === caller) {
    if (caller === sched.main && !sched.immediateArmed && caller._next !== caller) armImmediate();
    return;
  }
  if (caller._where === RING) ringUnlink(caller);
  else detach(caller);
  if (cur === null || sched.head === null) ringAppend(caller);
  else ringInsertBefore(caller, sched.head);
  sched.head = caller;
  sched.current = caller;
  if (caller === sched.main && !sched.immediateArmed && caller._next !== caller) armImmediate();
}

/**
 * @internal `prev` has left the ring (blocked, paused or ended): give the turn to the next
 * runnable, or revive the innermost run() caller, or main, or go idle. `ended` selects the
 * "main tasklet is receiving without a sender" rule.
 */
export function leaveTurn(prev: Tasklet, ended: boolean): void {
  const h = sched.head;
  if (h !== null) {
    switchTo(prev, h);
    return;
  }
  const w = sched.watchdogs;
  if (w.length > 0) {
    const t = w.pop() as Tasklet;
    t._watchdog = false;
    ringAppend(t);
    switchTo(prev, t);
    return;
  }
  const main = sched.main;
  if (main !== prev && main._where === NOWHERE) {
    ringAppend(main);
    switchTo(prev, main);
    return;
  }
  if (ended && main._where === CHANNEL && !anyForeignWait()) {
    const dir = main._dir;
    chanRemove(main);
    main._err = new RuntimeError(dir > 0 ? 'the main tasklet is sending without a receiver available.' : 'the main tasklet is receiving without a sender available.');
    main._hasErr = true;
    ringAppend(main);
    switchTo(prev, main);
    return;
  }
  // Every tasklet waits on the event loop (blockOn): nothing runs until a promise settles.
  sched.current = null;
  if (sched.chanRecent.length !== 0) sweepRecent();
  if (sched.scheduleCallback !== null) callScheduleCallback(prev, null);
}

/**
 * @internal Null when `t` (the current tasklet, about to leave the ring) may block; otherwise
 * the deadlock error to raise in it.
 */
export function deadlockFor(t: Tasklet, what: string, on?: ChannelQueue): DeadlockError | null {
  if (t._next !== t) return null;
  if (sched.watchdogs.length > 0) return null;
  if (t !== sched.main && sched.main._where === NOWHERE) return null;
  if (anyForeignWait()) return null;
  const target = on === undefined ? what : `${what} ${String(on)}`;
  return makeDeadlock('Deadlock: the last runnable tasklet cannot be blocked.', `${String(t)} tried to ${target}, and it is the last runnable tasklet.`);
}

/** @internal Builds a DeadlockError listing every blocked tasklet. */
export function makeDeadlock(message: string, first: string): DeadlockError {
  const entries: BlockedEntry[] = [];
  const lines = [first];
  const all: Tasklet[] = [];
  for (const r of sched.foreignRefs) {
    const b = r.deref();
    if (b !== undefined && b._where === BLOCK_ON) all.push(b);
  }
  sweepRecent();
  for (const r of sched.chanRefs) {
    const c = r.deref();
    if (c !== undefined) for (let b = c._head; b !== null; b = b._next) all.push(b);
  }
  all.sort(bySeq);
  const n = all.length;
  lines.push(n === 0 ? 'No other tasklet is blocked.' : `Blocked tasklets (${n}):`);
  for (const b of all) {
    if (b._where === CHANNEL) {
      const waiting = b._dir > 0 ? 'sending' : 'receiving';
      entries.push({ tasklet: b, channel: b._chan as object, waiting });
      lines.push(`  ${String(b)} ${waiting} on ${String(b._chan)}`);
    } else {
      entries.push({ tasklet: b, channel: null, waiting: 'blockOn' });
      lines.push(`  ${String(b)} waiting in blockOn for a promise`);
    }
  }
  return new DeadlockError(message, entries, lines.join('\n'));
}

function bySeq(a: Tasklet, b: Tasklet): number {
  return a._seq - b._seq;
}

/** @internal Runs a tasklet body from its start; ends it when the body settles. */
export function runBody(t: Tasklet): void {
  if ((t._flags & HAS_ERR) !== 0) {
    // Thrown into before it started: the function never runs.
    const e = t._val;
    t._val = undefined;
    t._flags &= ~HAS_ERR;
    endTasklet(t, true, e);
    return;
  }
  let r: unknown;
  const fn = t._fn;
  const isJob = typeof fn !== 'function';
  try {
    if (!isJob) {
      const args = t._val as unknown[] | undefined;
      // The arguments are the body's now: a blocked tasklet does not keep the array alive.
      t._val = undefined;
      r = args === undefined ? (fn as () => unknown)() : (fn as (...args: unknown[]) => unknown)(...args);
    } else {
      r = (fn as TaskletJob).start();
      if ((fn as TaskletJob).ownsEnd) return;
    }
  } catch (e) {
    endTasklet(t, true, e);
    return;
  }
  if (r !== null && (typeof r === 'object' || typeof r === 'function') && typeof (r as PromiseLike<unknown>).then === 'function') {
    if (!isJob && typeof t._res === 'function' && (t._flags & ALIVE) !== 0) {
      // The body is parked on a promise of ours and has not been resumed since (a resumption
      // clears `_res`, and the body runs again only in a later microtask): it cannot end before
      // it is resumed, so the end hook waits until then (resolveNow). A tasklet that blocks at
      // once and stays blocked never pays for it (about 160 bytes of a blocked tasklet's heap).
      t._body = r as PromiseLike<unknown>;
      t._flags |= BODY_PENDING;
      return;
    }
    hookEnd(t, r as PromiseLike<unknown>);
    return;
  }
  endTasklet(t, false, r);
}

/**
 * Attaches the end hook to the body's promise. Not returned from runBody: a returned promise
 * would keep a chain of adopting promises alive per tasklet. The hook costs memory for as long as
 * the tasklet lives: two proxies whose handler is the tasklet itself (2 x 32 bytes) instead of
 * two closures and their context (152 bytes); bound functions would be 2 x 48, but a loader that
 * redefines names (tsx's keepNames) turns bind() into ~340-byte dictionary objects.
 */
function hookEnd(t: Tasklet, r: PromiseLike<unknown>): void {
  void r.then(new Proxy(bodyReturned, t as ProxyHandler<typeof bodyReturned>), new Proxy(bodyFailed, t as ProxyHandler<typeof bodyFailed>));
}

// The targets of the end hook's proxies: only their identity matters (never called).
function bodyReturned(): void {}
function bodyFailed(): void {}

// The proxies' `apply` trap, on the prototype so that each tasklet is its own handler; internal
// and non-enumerable.
Object.defineProperty(Tasklet.prototype, 'apply', {
  value: function endTrap(this: Tasklet, target: unknown, _self: unknown, args: unknown[]): void {
    endTasklet(this, target !== bodyReturned, args[0]);
  },
  writable: true,
  configurable: true,
  enumerable: false,
});

/**
 * @internal The body settled (with `value`: its result, or its error when `failed`): the tasklet
 * dies; an uncaught error goes to the watchdog, a bridge job's outcome to the job.
 */
export function endTasklet(t: Tasklet, failed: boolean, value: unknown): void {
  if ((t._flags & ALIVE) === 0) return;
  const wasCurrent = sched.current === t;
  t._flags &= ~(ALIVE | HAS_ERR | BODY_PENDING);
  t._body = null;
  const fn = t._fn;
  const isJob = fn !== null && typeof fn === 'object';
  t._fn = null;
  t.tempval = null;
  t._res = null;
  t._val = undefined;
  if (isJob) {
    const job = fn as TaskletJob;
    detach(t);
    // The bridge fires its Deferred (or wakes its caller) here: out of the ring already, before
    // the turn moves on, so a tasklet waiting on it is runnable again when the next one is chosen.
    job.ended(t, failed, value);
    if (wasCurrent) leaveTurn(t, true);
    return;
  }
  if (failed && !isTaskletExit(value) && sched.errorHandler !== null) {
    // The handler runs inside the dying tasklet; only its own exception goes on to the watchdog.
    const h = sched.errorHandler;
    failed = false;
    try {
      h(value);
    } catch (e) {
      failed = true;
      value = e;
    }
  }
  detach(t);
  if (failed && !isTaskletExit(value)) deliverError(t, value, wasCurrent);
  else if (wasCurrent) leaveTurn(t, true);
}

/**
 * @internal An uncaught error: raised in the innermost run() caller, else in main, wherever it
 * is suspended (pulled off a channel if need be); the other runnables stay queued.
 */
function deliverError(from: Tasklet, error: unknown, fromHeldTurn: boolean): void {
  const w = sched.watchdogs;
  const target = w.length > 0 ? (w.pop() as Tasklet) : sched.main;
  target._watchdog = false;
  // A runnable target keeps its place and the ring carries on from it (slp_schedule_task);
  // a blocked or paused one is put first.
  const runnable = target._where === RING;
  if (!runnable) detach(target);
  target._err = error;
  target._hasErr = true;
  if (!fromHeldTurn) {
    // The dying tasklet ended in a foreign await, off its turn: the watchdog gets the error on its turn.
    if (!runnable) ringAppend(target);
    return;
  }
  if (!runnable) {
    if (sched.head === null) ringAppend(target);
    else ringInsertBefore(target, sched.head);
  }
  switchTo(from, target);
}

// ----------------------------------------------------------------------- the operations

/** @internal The tasklet calling an operation: the one holding the turn, else main. */
export function caller(): Tasklet {
  return sched.current ?? sched.main;
}

/** @internal A pending exception (thrown in while away) is raised by the next operation. */
export function takePending(t: Tasklet): Promise<never> {
  const e = t._err;
  t._err = undefined;
  t._hasErr = false;
  return Promise.reject(e);
}

/** @internal The error for an operation that must suspend main while main already waits. */
export function idleError(op: string): RuntimeError {
  return new RuntimeError(`${op} cannot suspend here: no tasklet holds the turn and the main tasklet is already blocked (this is plain code running while every tasklet waits); do it from a tasklet`);
}

/** @internal A real switch while the switch trap is set: Stackless's "switch_trap" error. */
export function trapped(): Promise<never> {
  return Promise.reject(new RuntimeError('switch_trap'));
}

function checkRunnable(t: Tasklet): void {
  if (t._where === CHANNEL || t._where === BLOCK_ON) throw new RuntimeError('You cannot run a blocked tasklet');
  if (!t._alive) throw new RuntimeError('You cannot run an unbound(dead) tasklet');
}

/** @internal A switching operation called from inside a channel or schedule callback. */
export function inCallbackError(): RuntimeError | null {
  return sched.inCallback !== 0 ? new RuntimeError('Recursive scheduler call due to callbacks!') : null;
}

function switchOp(target: Tasklet, removeCaller: boolean): Promise<unknown> {
  try {
    checkRunnable(target);
  } catch (e) {
    return Promise.reject(e);
  }
  const cb = inCallbackError();
  if (cb !== null) return Promise.reject(cb);
  const T = sched.current;
  if (T === target) return Promise.resolve();
  if (T === null) {
    if (target._where === NOWHERE) ringAppend(target);
    return Promise.resolve();
  }
  if (T._hasErr) return takePending(T);
  if (sched.switchTrap > 0) return trapped();
  if (target._where === NOWHERE) ringInsertBefore(target, T);
  if (removeCaller) ringUnlink(T);
  T._val = undefined;
  const p = suspend(T);
  switchTo(T, target);
  return p;
}

function throwOp(target: Tasklet, error: unknown, pending: boolean): Promise<void> {
  const T = caller();
  // Inside a channel or schedule callback a switch is in progress and nothing may switch: the
  // exception is armed as with `pending` (the caller's own operation raises it, if it is the target).
  const inCallback = sched.inCallback !== 0;
  if (target === T && !inCallback) return Promise.reject(error);
  if (!target._alive) {
    if (isTaskletExit(error)) return Promise.resolve();
    return Promise.reject(new RuntimeError('You cannot throw to a dead tasklet'));
  }
  if (inCallback) pending = true;
  else if (T._hasErr && sched.current === T) return takePending(T);
  if (sched.switchTrap > 0 && !pending && sched.current !== null) return trapped();
  const wasRunnable = target._where === RING;
  if (!wasRunnable) detach(target);
  target._err = error;
  target._hasErr = true;
  if (pending || sched.current === null) {
    if (!wasRunnable) ringAppend(target);
    return Promise.resolve();
  }
  if (!wasRunnable) ringInsertBefore(target, T);
  T._val = undefined;
  const p = suspend(T) as Promise<void>;
  switchTo(T, target);
  return p;
}

/**
 * The tasklet holding the turn; for code outside any tasklet, the main tasklet. It is the very
 * object `tasklet(fn)` returned. Port of `stackless.getcurrent()`.
 * @example
 * ```ts
 * console.log(getcurrent() === getmain()); // true outside any tasklet
 * ```
 */
export function getcurrent(): Tasklet {
  return sched.current ?? sched.main;
}

/**
 * The main tasklet: the one of all code outside tasklets. Port of `stackless.getmain()`.
 * @example
 * ```ts
 * console.log(getmain().isMain); // true
 * ```
 */
export function getmain(): Tasklet {
  return sched.main;
}

/**
 * The number of runnable tasklets, the current one included (main is not counted while it is
 * parked in `run()` or blocked). Port of `stackless.getruncount()`.
 * @example
 * ```ts
 * tasklet(async () => {}).setup();
 * console.log(getruncount()); // 2
 * ```
 */
export function getruncount(): number {
  return sched.runcount;
}

/**
 * Moves the current tasklet to the end of the runnables and lets the next one run; resolves to
 * `retval` (by default the current tasklet, Stackless's default) when its turn comes back.
 * Port of `stackless.schedule(retval)`.
 * @example
 * ```ts
 * tasklet(async () => { console.log('a'); }).setup();
 * await schedule(); // a
 * ```
 */
export function schedule<R = Tasklet>(retval?: R): Promise<R> {
  const T = sched.current;
  if (T === null) return Promise.resolve((arguments.length > 0 ? retval : sched.main) as R);
  if ((T._flags & HAS_ERR) !== 0) return takePending(T);
  T.tempval = arguments.length > 0 ? retval : T;
  if (T._next === T) {
    // The only runnable tasklet: no switch, but Node's event loop still gets its turns.
    if (--sched.slice > 0 || sched.inCallback !== 0 || !sliceOver()) return Promise.resolve(T.tempval as R);
    T._flags |= RET_TEMPVAL;
    const p = suspend(T);
    yieldTurn(T);
    return p as Promise<R>;
  }
  if (sched.switchTrap > 0) return trapped();
  if (sched.inCallback !== 0) return Promise.reject(inCallbackError());
  T._flags |= RET_TEMPVAL;
  const p = suspend(T);
  switchTo(T, T._next as Tasklet);
  return p as Promise<R>;
}

/**
 * Like `schedule`, but the current tasklet is paused until someone `insert()`s it; resolves to
 * its `tempval` then (set `t.tempval` before `t.insert()` to pass a value). Main alone returns
 * at once. Port of `stackless.schedule_remove(retval)`.
 * @throws DeadlockError when the caller is the last runnable tasklet and main is blocked.
 * @example
 * ```ts
 * const w = tasklet(async () => console.log('got', await scheduleRemove())).setup();
 * await schedule();          // w parks
 * w.tempval = 'val'; w.insert();
 * await run();               // got val
 * ```
 */
export function scheduleRemove<R = unknown>(retval?: unknown): Promise<R> {
  const T = sched.current;
  if (T === null) return Promise.reject(idleError('scheduleRemove()'));
  if (T._hasErr) return takePending(T);
  if (sched.inCallback !== 0) return Promise.reject(inCallbackError());
  T.tempval = arguments.length > 0 ? retval : T;
  if (T._next === T) {
    if (T === sched.main && sched.watchdogs.length === 0) return Promise.resolve(T.tempval as R);
    const dl = deadlockFor(T, 'scheduleRemove()');
    if (dl !== null) return Promise.reject(dl);
  }
  if (sched.switchTrap > 0) return trapped();
  ringUnlink(T);
  T._retTempval = true;
  const p = suspend(T);
  leaveTurn(T, false);
  return p as Promise<R>;
}

/**
 * Runs the other tasklets until none is runnable (all ended or blocked), then resolves. The
 * caller is parked meanwhile (it becomes the watchdog: uncaught tasklet errors reject this
 * promise). Nested calls are allowed; only the innermost wakes when the ring empties.
 * Port of `stackless.run()` (no pre-emption arguments).
 * @example
 * ```ts
 * tasklet(async () => console.log('ran')).setup();
 * await run(); // ran
 * ```
 */
export function run(): Promise<void> {
  const T = sched.current;
  if (T === null) return Promise.resolve();
  if (T._hasErr) return takePending(T);
  if (T._next === T) return Promise.resolve();
  if (sched.switchTrap > 0) return trapped();
  if (sched.inCallback !== 0) return Promise.reject(inCallbackError());
  const next = T._next as Tasklet;
  T._watchdog = true;
  sched.watchdogs.push(T);
  ringUnlink(T);
  T._val = undefined;
  const p = suspend(T);
  if (T._isMain) restartSlice();
  switchTo(T, next);
  return p as Promise<void>;
}

// ------------------------------------------------------------- the automatic event-loop turn

// The automatic turn is a macrotask (setImmediate): main's awaits of settled promises, however
// many, and every other microtask of plain code all come first. When main ran the tasklets in
// the meantime (mainAwaitsCall, awaiting a call's Deferred), the turn finds nothing to do.
function armImmediate(): void {
  sched.immediateArmed = true;
  setImmediate(onImmediate);
}

function onImmediate(): void {
  sched.immediateArmed = false;
  if (sched.onStack !== null) return;
  const y = sched.yielded;
  if (y !== null) {
    resumeYielded(y);
    return;
  }
  restartSlice();
  if (sched.chanRecent.length !== 0) sweepRecent();
  automaticTurn();
}

/** Main holds the turn with runnables waiting, or nobody holds it and a tasklet woke: run them. */
function automaticTurn(): void {
  const cur = sched.current;
  if (cur === null) {
    // Idle: a tasklet woke (blockOn) while nobody held the turn.
    const h = sched.head;
    if (h !== null) switchTo(null, h);
    return;
  }
  const main = sched.main;
  if (cur === main && sched.head === main && main._next !== main && !main._watchdog) {
    // Main went back to the event loop with runnables waiting: run them as main's run() would.
    const next = main._next as Tasklet;
    main._watchdog = true;
    sched.watchdogs.push(main);
    ringUnlink(main);
    switchTo(main, next);
    return;
  }
  const check = sched.mainWaitCheck;
  if (check !== null && cur === main && sched.head === main && main._next === main) check();
}


/**
 * @internal Main awaits calls and holds the turn alone: the DeadlockError to fail them with when
 * nothing can run any more (no runnable tasklet, no run() caller, nobody waiting on a promise), else null.
 */
export function mainCallsDeadlock(what: string): DeadlockError | null {
  const main = sched.main;
  if (sched.current !== main || sched.head !== main || main._next !== main || (main._flags & WATCHDOG) !== 0) return null;
  if (sched.watchdogs.length > 0 || sched.onStack !== null || sched.yielded !== null || anyForeignWait()) return null;
  return makeDeadlock('Deadlock: the last runnable tasklet cannot be blocked.', `${String(main)} awaits ${what}, and it is the last runnable tasklet.`);
}

/**
 * @internal Main waits on a call made from plain code (it awaits the call's Deferred): the
 * runnables run now, as main's run() would, for as long as each runs step by step (twistless's
 * own bodies: the ChannelProcessor loop and call tasklets), all inside this call, from a flat
 * delivery loop. The first tasklet that would resume as an async function (user code, whose
 * continuation is a microtask) is left for the automatic turn instead: main gets the turn back
 * at once and keeps it, so plain code never runs while such a tasklet holds the turn.
 */
export function mainAwaitsCall(): void {
  const main = sched.main;
  if (sched.current !== main || sched.head !== main || main._next === main || (main._flags & WATCHDOG) !== 0 || sched.onStack !== null || sched.waitingRun || sched.mainBlocked) return;
  const next = main._next as Tasklet;
  const r = next._res;
  if (r === null || typeof r === 'function') return;
  main._flags |= WATCHDOG;
  sched.watchdogs.push(main);
  ringUnlink(main);
  sched.mainBlocked = true;
  try {
    runAsStep(switchFromMain, next);
  } finally {
    sched.mainBlocked = false;
  }
}

function switchFromMain(next: Tasklet): void {
  switchTo(sched.main, next);
}

/** During mainAwaitsCall: `next` would resume as an async function; main takes the turn back instead. */
function handBackToMain(prev: Tasklet | null, next: Tasklet): void {
  const main = sched.main;
  sched.mainBlocked = false;
  main._flags &= ~WATCHDOG;
  const w = sched.watchdogs;
  const i = w.lastIndexOf(main);
  if (i >= 0) w.splice(i, 1);
  if (main._where === NOWHERE) ringInsertBefore(main, next);
  sched.head = main;
  sched.current = main;
  if (sched.scheduleCallback !== null && prev !== main) callScheduleCallback(prev, main);
  if (!sched.immediateArmed) armImmediate();
}

// ---------------------------------------------------------------------------- callbacks

/** @internal */
export function callScheduleCallbackIfAny(prev: Tasklet | null, next: Tasklet | null): void {
  if (sched.scheduleCallback !== null && prev !== next) callScheduleCallback(prev, next);
}

function callScheduleCallback(prev: Tasklet | null, next: Tasklet | null): void {
  const cb = sched.scheduleCallback as ScheduleCallback;
  sched.inCallback++;
  try {
    cb(prev, next);
  } catch (e) {
    reportError(e, 'Exception in schedule callback (ignored):');
  } finally {
    sched.inCallback--;
  }
}

/** @internal Reports an error through lib/log. */
export function reportError(e: unknown, why: string): void {
  logErr(e, why);
}

/**
 * Installs `cb(prev, next)`, called on every switch between tasklets; returns the previous
 * callback. A callback that throws is reported through `log.err` and ignored.
 * Port of `stackless.set_schedule_callback`.
 * @throws TypeError when `cb` is neither a function nor null.
 * @example
 * ```ts
 * setScheduleCallback((prev, next) => console.log(String(prev), '->', String(next)));
 * ```
 */
export function setScheduleCallback(cb: ScheduleCallback | null): ScheduleCallback | null {
  if (cb !== null && cb !== undefined && typeof cb !== 'function') throw new TypeError('schedule callback must be callable or None');
  const old = sched.scheduleCallback;
  sched.scheduleCallback = cb ?? null;
  return old;
}

/**
 * The current schedule callback, or null. Port of `stackless.get_schedule_callback`.
 * @example
 * ```ts
 * console.log(getScheduleCallback()); // null
 * ```
 */
export function getScheduleCallback(): ScheduleCallback | null {
  return sched.scheduleCallback;
}

/**
 * Creates a tasklet bound to `fn`; `tasklet(fn).setup(...args)` makes it runnable, as Stackless's
 * `tasklet(fn)(*args)`. Port of `stackless.tasklet(func)`.
 * @throws TypeError "tasklet function must be a callable or None".
 * @example
 * ```ts
 * const t = tasklet(async (n: number) => console.log(n)).setup(1);
 * ```
 */
export function tasklet<A extends unknown[]>(fn?: TaskletFunction<A> | null): Tasklet<A> {
  return new Tasklet<A>(fn);
}

/**
 * Adds `delta` to the switch-trap level and returns the previous level. While the level is
 * above 0, every operation that would switch tasklets throws RuntimeError "switch_trap"
 * (switching to oneself is allowed). Port of `stackless.switch_trap(delta)`.
 * @example
 * ```ts
 * switchTrap(1);
 * await schedule().catch((e) => console.log(e.message)); // switch_trap (when others are runnable)
 * switchTrap(-1);
 * ```
 */
export function switchTrap(delta: number): number {
  if (typeof delta !== 'number') throw new TypeError('switch_trap() argument must be an integer');
  const old = sched.switchTrap;
  sched.switchTrap = old + delta;
  return old;
}

/**
 * Installs `handler(error)`, called inside a tasklet that dies of an uncaught error instead of
 * sending the error to the watchdog (if the handler throws, that goes to the watchdog); returns
 * the previous handler. Port of `stackless.set_error_handler`.
 * @throws TypeError when `handler` is neither a function nor null.
 * @example
 * ```ts
 * const old = setErrorHandler((e) => console.log('tasklet died:', e));
 * ```
 */
export function setErrorHandler(handler: ErrorHandler | null): ErrorHandler | null {
  if (handler !== null && handler !== undefined && typeof handler !== 'function') throw new TypeError('error handler must be callable or None');
  const old = sched.errorHandler;
  sched.errorHandler = handler ?? null;
  return old;
}

/**
 * Runs `fn` with the current tasklet's (inert) atomic flag set, restoring it afterwards; returns
 * `fn`'s result. Port of `stackless.atomic()` (a context manager in Python).
 * @example
 * ```ts
 * atomic(() => console.log(getcurrent().atomic)); // true
 * ```
 */
export function atomic<R>(fn: () => R): R {
  const t = sched.current ?? sched.main;
  const old = t.setAtomic(true);
  try {
    return fn();
  } finally {
    t.setAtomic(old);
  }
}

/** @internal True when `t` waits in an operation that returns through its promise (not a Waiting). */
export function waitsOnPromise(t: Tasklet): boolean {
  return typeof t._res === 'function';
}

/** @internal Hand the wake-up of the operation `t` waits in to `w`: the scheduler fires `w` instead. */
export function takeOverWakeUp(t: Tasklet, w: Waiting): void {
  t._res = w;
}
