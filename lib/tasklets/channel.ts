// Port of stackless.channel (Stackless 3.7: Stackless/module/channelobject.c).
// Covered by spec/tasklets/stackless/channel.spec.ts, spec/tasklets/traces.spec.ts and
// spec/tasklets/hooks.spec.ts.
//
// A channel is unbuffered: a value moves only at a rendezvous. Blocked tasklets wait in the
// channel's queue (channelQueue.ts); `balance` counts waiting senders (> 0) or receivers (< 0).
// After a rendezvous, who runs next follows Stackless's `preference` / `scheduleAll` table exactly.
import { RuntimeError, withArgs, UnboundChannelMethodError, ValueError, isStopIteration } from './errors.js';
import { chanEnqueue, type ChannelQueue, chanRemove } from './channelQueue.js';
import { callChannelCallback } from './hooks.js';
import { caller, idleError } from './operations.js';
import { deadlockFor } from './scheduler/deadlock.js';
import { ringAppend, ringInsertBefore, ringUnlink } from './scheduler/ring.js';
import { HAS_ERR, sched, SEND_ERR } from './scheduler/state.js';
import { leaveTurn, noteParked, suspend, switchTo } from './scheduler/switch.js';
import { BLOCKED, type Waiting } from './stepBody.js';
import type { Tasklet } from './tasklet.js';

/**
 * An unbuffered channel between tasklets. Port of `stackless.channel`.
 *
 * @example
 * ```ts
 * const ch = channel<string>();
 * tasklet(async () => { await ch.send('hi'); }).setup();
 * console.log(await ch.receive()); // hi
 * ```
 */
export class Channel<T = unknown> implements AsyncIterable<T> {
  /** A number for reports. */
  readonly id: number;
  /** A label for reports. */
  label: string;
  /** When true, every rendezvous appends the partner and the caller yields, as `schedule()`. Port of `channel.schedule_all`. */
  scheduleAll: boolean;
  /** @internal */ _head: Tasklet | null;
  /** @internal */ _tail: Tasklet | null;
  /** @internal */ _balance: number;
  /** @internal */ _preference: number;
  /** @internal */ _closing: boolean;
  /** @internal */ _wref: WeakRef<ChannelQueue> | true | null;

  /** Creates an empty channel (`preference` -1, `scheduleAll` false). Port of `stackless.channel()`. */
  constructor(label = '') {
    this.id = sched.nextChannelId++;
    this.label = label;
    this.scheduleAll = false;
    this._head = null;
    this._tail = null;
    this._balance = 0;
    this._preference = -1;
    this._closing = false;
    this._wref = null;
  }

  /** Waiting senders (> 0) or minus waiting receivers (< 0). Port of `channel.balance`. */
  get balance(): number {
    return this._balance;
  }

  /** The first blocked tasklet, or null. Port of `channel.queue`. */
  get queue(): Tasklet | null {
    return this._head;
  }

  /**
   * Who runs after a rendezvous: -1 the receiver (default), 1 the sender, 0 the caller.
   * Setting clamps to -1/0/1 (`true` is 1). Port of `channel.preference`.
   * @throws TypeError "preference must be set to an integer" for a non-number.
   */
  get preference(): number {
    return this._preference;
  }

  set preference(value: number) {
    let v: number;
    if (typeof value === 'boolean') v = value ? 1 : 0;
    else if (typeof value === 'number' && Number.isFinite(value)) v = value;
    else throw new TypeError('preference must be set to an integer');
    this._preference = v > 0 ? 1 : v < 0 ? -1 : 0;
  }

  /** True after `close()` until `open()`. Port of `channel.closing`. */
  get closing(): boolean {
    return this._closing;
  }

  /** Closing and nobody waiting. Port of `channel.closed`. */
  get closed(): boolean {
    return this._closing && this._balance === 0;
  }

  /** Marks the channel closing; wakes nobody. Operations that would block then throw ValueError. Port of `channel.close()`. */
  close(): void {
    this._closing = true;
  }

  /** Clears `closing`. Port of `channel.open()`. */
  open(): void {
    this._closing = false;
  }

  /**
   * Sends `value`; resolves once the value is taken (at once when a receiver waits and the
   * preference lets the sender continue). Port of `channel.send(value)`.
   * @throws ValueError "Send/receive operation on a closed channel" when it would block on a closing channel.
   * @throws DeadlockError when the last runnable tasklet would block.
   * @throws RuntimeError "this tasklet does not like to be blocked." with `blockTrap`.
   */
  send(value: T): Promise<void> {
    if ((this as unknown) == null) return unbound('send', this);
    return rendezvous(this as Channel<unknown>, 1, value, false, null) as Promise<void>;
  }

  /**
   * Receives a value (or has the sent exception thrown). Port of `channel.receive()`.
   * @throws as `send`, plus whatever exception was sent.
   */
  receive(): Promise<T> {
    if ((this as unknown) == null) return unbound('receive', this);
    return rendezvous(this as Channel<unknown>, -1, undefined, false, null) as Promise<T>;
  }

  /**
   * Sends `new ErrorClass(...args)`, raised out of the receiver's `receive()`.
   * The exception carries `args` (the arguments given), as Python's exceptions do.
   * Port of `channel.send_exception(cls, *args)`.
   * @throws TypeError "send_exception() takes at least 1 argument" / a non-class.
   */
  sendException<E extends unknown[]>(ErrorClass: new (...args: E) => unknown, ...args: E): Promise<void> {
    if ((this as unknown) == null) return unbound('sendException', this);
    if (arguments.length === 0) return Promise.reject(new TypeError('send_exception() takes at least 1 argument'));
    if (typeof ErrorClass !== 'function') return Promise.reject(new TypeError('send_exception() needs Exception or string subclass as first parameter'));
    return rendezvous(this as Channel<unknown>, 1, withArgs(new ErrorClass(...args), args), true, null) as Promise<void>;
  }

  /**
   * Sends an existing error object, raised as is (stack kept) out of the receiver's `receive()`.
   * Port of `channel.send_throw(exc)`.
   */
  sendThrow(error: unknown): Promise<void> {
    if ((this as unknown) == null) return unbound('sendThrow', this);
    if (arguments.length === 0) return Promise.reject(new TypeError('send_throw() takes at least 1 argument'));
    return rendezvous(this as Channel<unknown>, 1, error, true, null) as Promise<void>;
  }

  /**
   * Sends each item in turn; resolves to the count. Port of `channel.send_sequence(iterable)`.
   * @throws TypeError when `iterable` is neither iterable nor async iterable.
   */
  async sendSequence(iterable: Iterable<T> | AsyncIterable<T>): Promise<number> {
    if ((this as unknown) == null) return unbound('sendSequence', this);
    if (iterable === null || iterable === undefined || (typeof (iterable as Iterable<T>)[Symbol.iterator] !== 'function' && typeof (iterable as AsyncIterable<T>)[Symbol.asyncIterator] !== 'function')) {
      throw new TypeError(`send_sequence() needs an iterable or an async iterable, got ${iterable === null ? 'null' : typeof iterable} ${typeof iterable === 'object' || typeof iterable === 'function' ? '' : String(iterable)}`.trimEnd());
    }
    let n = 0;
    for await (const v of iterable as AsyncIterable<T>) {
      await this.send(v);
      n++;
    }
    return n;
  }

  /**
   * Receives until a sent `StopIteration` arrives, or ends at once (without blocking) when the
   * channel is closing and no sender waits. Port of `channel.__iter__`/`__next__`.
   */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    const ch = this;
    return {
      next(): Promise<IteratorResult<T>> {
        // Stackless's channel.next takes no argument (for await passes none).
        if (arguments.length > 0) return Promise.reject(new TypeError(`next() takes no arguments (${arguments.length} given)`));
        if (ch._closing && ch._balance <= 0) return Promise.resolve({ done: true, value: undefined });
        return ch.receive().then(
          (value) => ({ done: false, value }),
          (e: unknown) => {
            if (isStopIteration(e)) return { done: true, value: undefined };
            throw e;
          },
        );
      },
    };
  }

  /** `<channel 2 'name'>`: how reports name a channel. */
  toString(): string {
    return this.label ? `<channel ${this.id} '${this.label}'>` : `<channel ${this.id}>`;
  }
}

function unbound(method: string, self: unknown): Promise<never> {
  return Promise.reject(new UnboundChannelMethodError(method, self));
}

/**
 * Creates a channel. Port of `stackless.channel()`.
 * @example
 * ```ts
 * const ch = channel<number>();
 * ```
 */
export function channel<T = unknown>(label?: string): Channel<T> {
  return new Channel<T>(label);
}

/**
 * @internal A send or receive for a body run step by step (a Waiting, not an async function):
 * the value at once, or BLOCKED when the tasklet had to wait or yield (`w` is then called with
 * the outcome when it gets the turn back); an error is thrown, as `await` would throw it.
 */
export function channelStep(ch: Channel<unknown>, dir: number, value: unknown, w: Waiting): unknown {
  return rendezvous(ch, dir, value, false, w);
}

// The outcome of an operation that did not suspend: a settled promise, or (step by step) the
// value itself or a throw.
function settled(w: Waiting | null, result: unknown, isErr: boolean): unknown {
  if (w === null) return isErr ? Promise.reject(result) : Promise.resolve(result);
  if (isErr) throw result;
  return result;
}

// The caller suspends: on its own promise, or on its Waiting.
function park(actor: Tasklet, w: Waiting | null): unknown {
  if (w === null) return suspend(actor);
  actor._res = w;
  return BLOCKED;
}

function rendezvous(ch: Channel<unknown>, dir: number, value: unknown, isErr: boolean, w: Waiting | null): unknown {
  if (sched.inChannelCallback) return settled(w, new RuntimeError('Recursive channel call due to callbacks!'), true);
  if (sched.inCallback !== 0) return settled(w, new RuntimeError('Recursive scheduler call due to callbacks!'), true);
  const actor = caller();
  if ((actor._flags & HAS_ERR) !== 0 && sched.current === actor) {
    const e = actor._val;
    actor._val = undefined;
    actor._flags &= ~HAS_ERR;
    return settled(w, e, true);
  }
  const bal = ch._balance;
  let willBlock = dir > 0 ? bal >= 0 : bal <= 0;
  if (sched.channelCallback !== null) {
    const saved = actor.tempval;
    if (dir > 0) actor.tempval = value;
    callChannelCallback(ch, actor, dir > 0, willBlock);
    actor.tempval = saved;
    // The callback may have killed a waiting partner or the caller (a kill there is pending:
    // nothing switches inside a callback): the operation goes on from the channel as it is now.
    if ((actor._flags & HAS_ERR) !== 0 && sched.current === actor) {
      const e = actor._val;
      actor._val = undefined;
      actor._flags &= ~HAS_ERR;
      return settled(w, e, true);
    }
    const b = ch._balance;
    willBlock = dir > 0 ? b >= 0 : b <= 0;
  }
  if (!willBlock) {
    const partner = ch._head as Tasklet;
    chanRemove(partner);
    let result: unknown;
    let resultIsErr = false;
    if (dir > 0) {
      // partner is a receiver: it gets the value (or the exception) when it resumes.
      if (isErr) {
        partner._err = value;
        partner._hasErr = true;
      } else partner._val = value;
    } else {
      // partner is a sender: its value waits in its tempval.
      result = partner.tempval;
      const f = partner._flags;
      resultIsErr = (f & SEND_ERR) !== 0;
      partner.tempval = null;
      partner._flags = f & ~SEND_ERR;
      partner._val = undefined;
    }
    const cur = sched.current;
    if (cur === null) {
      // Plain code while every tasklet waits: the caller continues, the partner is appended.
      ringAppend(partner);
      return settled(w, result, resultIsErr);
    }
    if (sched.switchTrap > 0 && (ch.scheduleAll || (dir > 0 ? ch._preference < 0 : ch._preference > 0))) {
      undo(ch, partner, dir, result, resultIsErr);
      return settled(w, new RuntimeError('switch_trap'), true);
    }
    if (ch.scheduleAll) {
      // The partner goes to the end; the caller keeps its place but yields, as schedule().
      ringInsertBefore(partner, actor);
      if (resultIsErr) {
        actor._err = result;
        actor._hasErr = true;
      } else actor._val = result;
      const p = park(actor, w);
      switchTo(actor, actor._next as Tasklet);
      noteParked(w ?? p);
      return p;
    }
    const pref = ch._preference;
    if (dir > 0 ? pref < 0 : pref > 0) {
      // The partner is preferred: it runs now, inserted right after the caller, who is then last.
      ringInsertBefore(partner, actor._next as Tasklet);
      if (resultIsErr) {
        actor._err = result;
        actor._hasErr = true;
      } else actor._val = result;
      const p = park(actor, w);
      switchTo(actor, partner);
      noteParked(w ?? p);
      return p;
    }
    // The caller continues; the partner is appended at the end.
    ringInsertBefore(partner, actor);
    return settled(w, result, resultIsErr);
  }
  // Nobody to pair with: the caller must block.
  if (actor.blockTrap) return settled(w, new RuntimeError('this tasklet does not like to be blocked.'), true);
  if (ch._closing) return settled(w, new ValueError('Send/receive operation on a closed channel'), true);
  if (sched.current === null) return settled(w, idleError(dir > 0 ? 'send()' : 'receive()'), true);
  if (sched.switchTrap > 0) return settled(w, new RuntimeError('switch_trap'), true);
  const dl = deadlockFor(actor, dir > 0 ? 'send on' : 'receive from', ch);
  if (dl !== null) return settled(w, dl, true);
  ringUnlink(actor);
  chanEnqueue(ch, actor, dir);
  if (dir > 0) {
    actor.tempval = value;
    actor._flags = isErr ? actor._flags | SEND_ERR : actor._flags & ~SEND_ERR;
  }
  actor._val = undefined;
  const p = park(actor, w);
  leaveTurn(actor, false);
  noteParked(w ?? p);
  return p;
}

/** A trapped rendezvous: put the partner back at the head of the queue, as if nothing happened. */
function undo(ch: Channel<unknown>, partner: Tasklet, dir: number, result: unknown, resultIsErr: boolean): void {
  if (dir > 0) {
    partner._hasErr = false;
    partner._err = undefined;
    partner._val = undefined;
  } else {
    partner.tempval = result;
    partner._sendErr = resultIsErr;
  }
  chanEnqueue(ch, partner, -dir);
  // chanEnqueue appended at the tail: move it back to the head.
  if (ch._head !== partner) {
    const prev = partner._prev as Tasklet;
    prev._next = null;
    ch._tail = prev;
    partner._prev = null;
    partner._next = ch._head;
    (ch._head as Tasklet)._prev = partner;
    ch._head = partner;
  }
}
