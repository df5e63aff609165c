// Port of stackless.tasklet (Stackless 3.7: Stackless/module/taskletobject.c): the Tasklet class,
// its flag accessors, its switches (run, switch, kill, throw), and the main tasklet. Covered by spec/tasklets/scheduler.spec.ts,
// spec/tasklets/traces.spec.ts, spec/tasklets/memory.spec.ts and
// spec/tasklets/stackless/miscell.spec.ts. How the scheduler around it works: lib/tasklets/index.ts.
import { RuntimeError, TaskletExit, isTaskletExit, withArgs } from './errors.js';
import type { ChannelQueue } from './channelQueue.js';
import { checkRunnable, inCallbackError, takePending, trapped } from './operationChecks.js';
import { onImmediate } from './scheduler/eventLoopTurn.js';
import { abandonedWaiting, endTasklet, runBody, type TaskletJob } from './scheduler/lifecycle.js';
import { bodyReturned } from './scheduler/resolve.js';
import { detach, ringAppend, ringInsertBefore, ringUnlink } from './scheduler/ring.js';
import { ALIVE, ATOMIC, BLOCK_ON, BLOCK_TRAP, BODY_PENDING, CHANNEL, DIR_RECV, DIR_SEND, HAS_ERR, MAIN, NOWHERE, RET_TEMPVAL, RING, sched, SEND_ERR, STARTED, WATCHDOG } from './scheduler/state.js';
import { noteParked, suspend, switchTo } from './scheduler/switch.js';
import type { Waiting } from './stepBody.js';

/** A tasklet body: usually an async function; its result is discarded, as in Stackless. */
export type TaskletFunction<A extends unknown[] = unknown[]> = (...args: A) => unknown;

/** Options of `kill` and `throw` (Python's keyword argument). */
export interface ThrowOptions {
  /** Only make the target runnable; the exception is raised when it next runs. */
  pending?: boolean;
}

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
  // small (16 fields, 144 bytes; a field more costs every blocked tasklet 8 bytes), so three
  // fields carry two or three meanings each, one at a time, each read through its own name:
  //   `_val`  the value its pending operation returns; `_err` the pending exception (HAS_ERR set);
  //           `_args` the arguments until the body starts (no operation is pending before).
  //   `_chan` the channel it waits on (CHANNEL); `_blockOnToken` what it waits on in blockOn (BLOCK_ON).
  //   `_fn`   the body; `_job` a bridge tasklet's job, which starts the body and hears its end.
  // The hot paths (resolveNow, deliverWaiting, rendezvous, runBody, endTasklet) read the fields
  // directly. The booleans and the direction share one bit field, and `_body` keeps the body's
  // promise until the end hook is attached at the first resumption. Every field is set in the
  // constructor, in one order.
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

  /** @internal */
  set _atomic(v: boolean) {
    this._flags = v ? this._flags | ATOMIC : this._flags & ~ATOMIC;
  }

  /** @internal */
  get _alive(): boolean {
    return (this._flags & ALIVE) !== 0;
  }

  /** @internal */
  set _alive(v: boolean) {
    this._flags = v ? this._flags | ALIVE : this._flags & ~ALIVE;
  }

  /** @internal */
  get _started(): boolean {
    return (this._flags & STARTED) !== 0;
  }

  /** @internal */
  set _started(v: boolean) {
    this._flags = v ? this._flags | STARTED : this._flags & ~STARTED;
  }

  /** @internal */
  get _isMain(): boolean {
    return (this._flags & MAIN) !== 0;
  }

  /** @internal */
  set _isMain(v: boolean) {
    this._flags = v ? this._flags | MAIN : this._flags & ~MAIN;
  }

  /** @internal a pending exception (in `_val`) */
  get _hasErr(): boolean {
    return (this._flags & HAS_ERR) !== 0;
  }

  /** @internal */
  set _hasErr(v: boolean) {
    this._flags = v ? this._flags | HAS_ERR : this._flags & ~HAS_ERR;
  }

  /** @internal the pending exception: shares `_val` (read it only when `_hasErr`) */
  get _err(): unknown {
    return this._val;
  }

  /** @internal */
  set _err(v: unknown) {
    this._val = v;
  }

  /** @internal the pending operation returns tempval (schedule, scheduleRemove) */
  get _retTempval(): boolean {
    return (this._flags & RET_TEMPVAL) !== 0;
  }

  /** @internal */
  set _retTempval(v: boolean) {
    this._flags = v ? this._flags | RET_TEMPVAL : this._flags & ~RET_TEMPVAL;
  }

  /** @internal parked in run() */
  get _watchdog(): boolean {
    return (this._flags & WATCHDOG) !== 0;
  }

  /** @internal */
  set _watchdog(v: boolean) {
    this._flags = v ? this._flags | WATCHDOG : this._flags & ~WATCHDOG;
  }

  /** @internal the value sent is an exception to raise in the receiver */
  get _sendErr(): boolean {
    return (this._flags & SEND_ERR) !== 0;
  }

  /** @internal */
  set _sendErr(v: boolean) {
    this._flags = v ? this._flags | SEND_ERR : this._flags & ~SEND_ERR;
  }

  /** @internal 1 sending, -1 receiving, 0 neither */
  get _dir(): number {
    const f = this._flags;
    return (f & DIR_SEND) !== 0 ? 1 : (f & DIR_RECV) !== 0 ? -1 : 0;
  }

  /** @internal */
  set _dir(v: number) {
    const f = this._flags & ~(DIR_SEND | DIR_RECV);
    this._flags = v > 0 ? f | DIR_SEND : v < 0 ? f | DIR_RECV : f;
  }

  /** @internal what it waits on in blockOn (a token of the bridge's): shares `_chan`, null unless BLOCK_ON */
  get _blockOnToken(): object | null {
    return this._where === BLOCK_ON ? this._chan : null;
  }

  /** @internal */
  set _blockOnToken(v: object | null) {
    this._chan = v;
  }

  /** @internal the arguments of the body until it starts: share `_val` */
  get _args(): unknown[] | undefined {
    return this._val as unknown[] | undefined;
  }

  /** @internal */
  set _args(v: unknown[] | undefined) {
    this._val = v;
  }

  /** @internal a bridge tasklet's job (null for a plain body): shares `_fn` */
  get _job(): TaskletJob | null {
    const fn = this._fn;
    return fn !== null && typeof fn === 'object' ? fn : null;
  }

  /** @internal */
  set _job(v: TaskletJob | null) {
    this._fn = v;
  }

  /**
   * Creates a tasklet bound to `fn` (not yet alive: call `setup(...args)` to start it).
   * Port of `stackless.tasklet(func)`.
   * @param fn The body; `null`/omitted leaves it unbound.
   * @throws TypeError "tasklet function must be a callable or None" when `fn` is not a function.
   */
  constructor(fn?: TaskletFunction<A> | null) {
    if (fn !== undefined && fn !== null && typeof fn !== 'function') throw new TypeError('tasklet function must be a callable or None');
    // The first tasklet of the process is main (installMain), number 0.
    this.id = (sched.main as Tasklet | undefined) === undefined ? 0 : sched.nextId++;
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
      this._args = args as unknown[];
      this._alive = true;
      this.tempval = null;
    }
    return this;
  }

  /** @internal forget a started body (its promise is abandoned) */
  _dropFrame(): void {
    const tell = this._res === null ? null : abandonedWaiting(this);
    this._flags &= ~BODY_PENDING;
    this._body = null;
    this._alive = false;
    this._started = false;
    this._res = null;
    this._hasErr = false;
    this._err = undefined;
    if (tell !== null) tell();
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

/** tasklet.run() and tasklet.switch(): the caller stays runnable in its place, or leaves the ring. */
function switchOp(target: Tasklet, removeCaller: boolean): Promise<unknown> {
  try {
    checkRunnable(target);
  } catch (e) {
    return Promise.reject(e);
  }
  const cb = inCallbackError();
  if (cb !== null) return Promise.reject(cb);
  const current = sched.current;
  if (current === target) return Promise.resolve();
  if (current === null) {
    if (target._where === NOWHERE) ringAppend(target);
    return Promise.resolve();
  }
  if (current._hasErr) return takePending(current);
  if (sched.switchTrap > 0) return trapped();
  if (target._where === NOWHERE) ringInsertBefore(target, current);
  if (removeCaller) ringUnlink(current);
  current._val = undefined;
  const p = suspend(current);
  switchTo(current, target);
  noteParked(p);
  return p;
}

/** tasklet.kill/throw/raiseException: the error raised in `target` now, or when it next runs (`pending`). */
function throwOp(target: Tasklet, error: unknown, pending: boolean): Promise<void> {
  const current = sched.current ?? sched.main;
  // Inside a channel or schedule callback a switch is in progress and nothing may switch: the
  // exception is armed as with `pending` (the caller's own operation raises it, if it is the target).
  const inCallback = sched.inCallback !== 0;
  if (target === current && !inCallback) return Promise.reject(error);
  if (!target._alive) {
    if (isTaskletExit(error)) return Promise.resolve();
    return Promise.reject(new RuntimeError('You cannot throw to a dead tasklet'));
  }
  if (inCallback) pending = true;
  else if (current._hasErr && sched.current === current) return takePending(current);
  if (sched.switchTrap > 0 && !pending && sched.current !== null) return trapped();
  const wasRunnable = target._where === RING;
  if (!wasRunnable) detach(target);
  target._err = error;
  target._hasErr = true;
  if (pending || sched.current === null) {
    if (!wasRunnable) ringAppend(target);
    return Promise.resolve();
  }
  if (!wasRunnable) ringInsertBefore(target, current);
  current._val = undefined;
  const p = suspend(current) as Promise<void>;
  switchTo(current, target);
  noteParked(p);
  return p;
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

/** Creates the main tasklet, the one of all code outside tasklets, and gives it the turn. */
function installMain(): void {
  const main = new Tasklet(null);
  main._isMain = true;
  main._alive = true;
  main._started = true;
  main.label = 'main';
  main._next = main;
  main._prev = main;
  main._where = RING;
  sched.main = main;
  sched.current = main;
  sched.head = main;
  sched.runcount = 1;
}

// The state (state.ts) cannot import this class: main joins it here, once per process.
if ((sched.main as Tasklet | undefined) === undefined) installMain();
// The files below call these up the import graph through the state (see SchedulerState).
sched.runBody = runBody;
sched.onImmediate = onImmediate;
