// The callback loop of a Deferred (port of Deferred._runCallbacks and the add* logic of
// twisted.internet.defer, Twisted 22.4): appending pairs, the fast path on a fired Deferred,
// waiting on a Deferred a callback returned, and running the queue. Its own file because it is
// the one hot path of the module: deferred.ts keeps the public methods (argument checks, docs)
// and calls these. Covered by spec/defer/deferred.spec.ts, spec/defer/stack.spec.ts,
// spec/defer/model.spec.ts and spec/defer/callbackQueue.spec.ts.
//
// How and why
// -----------
// The queue's shapes are described in callbackQueue.ts: null, one entry, two (the second in
// `_next`), or an array of three or more. The field goes back to null as the last entry is taken,
// so an entry pushed later starts the queue again as one entry.
//
// `runCallbacks` is ONE loop over an explicit stack of Deferreds, so chains of any depth use
// constant JavaScript stack: when a Deferred meets a waiting Deferred in its queue (Twisted's
// CONTINUE) it gives its result to the waiting
// Deferred, pushes that one and carries on with it; when the waiting one is done, it is popped
// and the one below resumes with its remaining callbacks (its result now undefined). FORWARD
// and HANDOFF do the same for chainDeferred and the library's pairs, where Twisted itself
// recurses; a HAND marker on the stack (with the result to restore below it) marks where Twisted
// would have returned from that nested call.
//
// `add` on a Deferred that has fired and is idle (nothing queued, not paused, not running) takes
// a fast path: the callback is called at once, never touching the queue.

import { Failure, isFailure } from '../failure/failure.js';
import { adoptable, adoptableOther } from './adopt.js';
import { isDeferred } from './brand.js';
import {
  CALLED,
  Entry,
  FORWARD,
  HANDOFF,
  handRequest,
  isPrimitive,
  KEEP_RESULT,
  OBSERVE,
  PAIR,
  PAUSE_STEP,
  RUNNING,
  SUPPRESS_ONE_CALL,
  type AnyFunction,
  type Queue,
  type Queued,
  type Slot,
} from './callbackQueue.js';
import { captureStack, newDebugInfo, recordUnhandled, state } from './debug.js';
import type { Deferred } from './deferred.js';
import { AlreadyCalledError, CircularChainError, DeferredAsResultError } from './errors.js';

/** On the loop's stack: a nested call of Twisted's returns here (the result to restore is below it). */
const HAND: unique symbol = Symbol('hand-off');

/**
 * Append one entry and run the chain if fired. Logic shared by the add* methods.
 * @internal
 */
export function add(d: Deferred<unknown>, cb: Slot | null, cbArgs: unknown[] | undefined, eb: Slot | null, ebArgs: unknown[] | undefined): void {
  if (d._state === CALLED && d._cbs === null) {
    // Fast path: fired and idle, nothing queued. Run the one callback now, without the queue.
    const res = d._result;
    let fn: Slot | null;
    let args: unknown[] | undefined;
    if (isFailure(res)) {
      fn = eb;
      args = ebArgs;
    } else {
      fn = cb;
      args = cbArgs;
    }
    if (fn !== null) {
      d._chainedTo = null;
      d._state |= RUNNING;
      let r: unknown;
      try {
        r = args === undefined ? fn(res) : fn(res, ...args);
        if ((typeof r === 'object' && r !== null) || typeof r === 'function') r = adoptable(r);
      } catch (e) {
        r = new Failure(e);
      } finally {
        d._state &= ~RUNNING;
      }
      settleFirst(d, r);
      return;
    }
    // A pass-through slot: nothing to call, unless the result is a Deferred (left there by an
    // extra unpause()): Twisted's passthru returns it and the chain waits on it again.
    if (typeof res !== 'object' || res === null) return;
    if (!isDeferred(res)) {
      // A failure that reached here without a run of the chain (fired while unbalanced-paused,
      // then unpaused by pause()) is recorded now, as Twisted's run after passthru would.
      if (isFailure(res) && !res.handled && (d._debugInfo === null || d._debugInfo.failResult !== res)) {
        res.cleanFailure();
        recordFailure(d, res);
      }
      return;
    }
  }
  push(d, eb === null && cbArgs === undefined && cb !== null ? cb : new Entry(PAIR, cb, cbArgs, eb, ebArgs, null));
  if ((d._state & CALLED) !== 0) runCallbacks(d);
  return;
}

/**
 * The rest of a run whose first callback was called outside the queue (`add`'s fast path, a lock
 * granting a queued `run()`): `r`, what the callback returned (adopted if a thenable), becomes
 * the result or is waited on, and the queue goes on from there.
 * @internal
 */
export function settleFirst(d: Deferred<unknown>, r: unknown): void {
  if (isDeferred(r)) {
    if (waitOn(d, r)) {
      // Now waiting: whatever failure it held was handed to the callback; no record.
      if (d._debugInfo !== null) d._debugInfo.failResult = null;
      return;
    }
  } else {
    d._result = r;
  }
  // Re-entrantly added callbacks, a failure to record, or a record to clear: the full loop,
  // going on as Twisted's does after a callback, even if that callback paused this one.
  if (d._cbs !== null || d._debugInfo !== null || isFailure(d._result)) runCallbacks(d, true);
}

/**
 * Append a HANDOFF pair (see `handOff`) and run the chain if fired. Fired and idle, it calls the
 * slot at once and fires the target it names, then goes on as `_add`'s fast path does.
 * @internal
 */
export function addHandOff(d: Deferred<unknown>, cb: Slot, cbArgs: unknown[] | undefined, eb: Slot, ebArgs: unknown[] | undefined): void {
  if (d._state === CALLED && d._cbs === null) {
    const res = d._result;
    if (!isDeferred(res)) {
      const failed = isFailure(res);
      const fn = failed ? eb : cb;
      const args = failed ? ebArgs : cbArgs;
      d._chainedTo = null;
      d._state |= RUNNING;
      handRequest.target = null;
      let back: unknown;
      try {
        back = args === undefined ? fn(res) : fn(res, ...args);
        const target = handRequest.target;
        if (target !== null) {
          const value = handRequest.value;
          handRequest.target = null;
          handRequest.value = undefined;
          // As the loop fires it, this one "running a callback" meanwhile; the target is fresh
          // here or at the top of the stack (the slot was called right now), so this nests once.
          if (isDeferred(value)) throw new DeferredAsResultError('callback() (through chainDeferred)');
          start(target, value, addHandOff);
        }
      } catch (e) {
        back = new Failure(e);
      } finally {
        handRequest.target = null;
        handRequest.value = undefined;
        d._state &= ~RUNNING;
      }
      d._result = back;
      if (d._cbs !== null || d._debugInfo !== null || isFailure(back)) runCallbacks(d, true);
      return;
    }
  }
  push(d, new Entry(HANDOFF, cb, cbArgs, eb, ebArgs, null));
  if ((d._state & CALLED) !== 0) runCallbacks(d);
}

/**
 * Append an entry to the queue: the first is kept in `_cbs`, the second in `_next`, a third makes
 * an array of exactly three (most Deferreds hold one or two entries; a growing push would
 * allocate 17 slots).
 * @internal
 */
export function push(d: Deferred<unknown>, entry: Queued): void {
  const q = d._cbs;
  if (q === null) {
    d._cbs = entry;
  } else if (Array.isArray(q)) {
    q.push(entry);
  } else if (d._next === 0) {
    d._next = entry;
  } else {
    d._cbs = [q, d._next as Queued, entry];
    d._next = 0;
  }
}

/**
 * `d` just got Deferred `r` from a callback. Either take r's result at once (returns false:
 * carry on), or pause and queue d itself on r (returns true: stop here).
 * @internal
 */
export function waitOn(d: Deferred<unknown>, r: Deferred<unknown>): boolean {
  if (r === d) {
    d._result = new Failure(new CircularChainError());
    return false;
  }
  if ((r._state & CALLED) === 0 || isDeferred(r._result) || r._state >> 2 !== 0) {
    d._result = r;
    d._state += PAUSE_STEP;
    d._chainedTo = r;
    // r has no result to run (or is paused): appending cannot run anything now. The slot is
    // d itself: the loop hands r's result to a Deferred it finds in the queue.
    push(r, d);
    return true;
  }
  // r has a result: steal it; r is left with undefined.
  d._result = r._result;
  r._result = undefined;
  if (r._debugInfo !== null) r._debugInfo.failResult = null;
  return false;
}

/**
 * Run the queue. Port of `Deferred._runCallbacks`: iterative, with an explicit stack.
 * @internal
 */
export function runCallbacks(d: Deferred<unknown>, firstCallbackRan?: boolean): void {
  if ((d._state & RUNNING) !== 0) return; // an outer frame is already running this Deferred
  // Twisted's `chain` stack, as the Deferred being run (`current`) plus the ones below it
  // (`below`, allocated only when chaining happens). A hand-off (FORWARD, HANDOFF) pushes the
  // Deferred, the result it gets back when the nested run is over, and the HAND marker.
  let current: Deferred<unknown> | null = d;
  let below: unknown[] | null = null;
  // True when `current` was just popped back from a hand-off: Twisted's nested
  // `d2.callback` returned into the middle of current's callback loop, which goes on with the
  // callbacks left even if the target's callbacks paused `current` meanwhile.
  // `firstCallbackRan`: the fast path of `add` ran this Deferred's first callback already; same rule.
  let resumed = firstCallbackRan === true;
  while (current !== null) {
    if (current._state >> 2 !== 0 && !resumed) {
      // This one cannot go on; the ones below it wait too. Twisted returns here. Where a
      // hand-off is below, only Twisted's nested call returns: unwind to it.
      if (below === null) return;
      let k = below.length - 1;
      while (k >= 0 && below[k] !== HAND) k--;
      if (k < 0) return;
      const back = below[k - 1];
      current = below[k - 2] as Deferred<unknown>;
      below.length = k - 2;
      current._state &= ~RUNNING;
      current._result = back; // what Twisted's nested call left as the result
      resumed = true;
      continue;
    }
    resumed = false;
    let finished = true;
    let waiting = false; // the run stopped because `current` now waits on a Deferred
    let next: Deferred<unknown> | null = null; // the Deferred to run next, when not finished
    current._chainedTo = null;
    // `_cbs` is read afresh at each step: a callback may add to this Deferred while it runs.
    for (;;) {
      const q: Queue = current._cbs;
      if (q === null) break;
      let e: Queued;
      if (Array.isArray(q)) {
        const h = current._next as number;
        e = q[h] as Queued;
        q[h] = null; // taken: the queue keeps no reference to it
        if (h + 1 === q.length) {
          current._cbs = null;
          current._next = 0;
        } else {
          current._next = h + 1;
        }
      } else {
        e = q;
        const second = current._next;
        if (second === 0) {
          current._cbs = null;
        } else {
          current._cbs = second as Queued;
          current._next = 0;
        }
      }
      let result = current._result;
      let fn: Slot | null;
      let args: unknown[] | undefined;
      if (typeof e === 'function') {
        // A bare callback: its errback is a pass-through.
        if (isFailure(result)) continue;
        fn = e;
        args = undefined;
      } else if (isDeferred(e)) {
        // A Deferred waiting on this one (Twisted's CONTINUE): give it our result and forget it.
        const chainee: Deferred<unknown> = e;
        chainee._result = result;
        current._result = undefined;
        if (current._debugInfo !== null) current._debugInfo.failResult = null;
        chainee._state -= PAUSE_STEP;
        // Come back to this one afterwards, even with nothing left to run: as in Twisted, a
        // pause() made on it meanwhile (by a callback further up) stops the whole run there.
        (below ??= []).push(current);
        next = chainee;
        finished = false;
        break;
      } else if (e.kind === PAIR) {
        if (isFailure(result)) {
          fn = e.eb;
          args = e.ebArgs;
        } else {
          fn = e.cb;
          args = e.cbArgs;
        }
        if (fn === null) {
          // Pass-through. Twisted calls `passthru`, so a result that is a Deferred (left there by
          // an extra unpause() of a Deferred waiting on it) is waited on again.
          if (typeof result === 'object' && result !== null && isDeferred(result) && waitOn(current, result)) {
            waiting = true;
            break;
          }
          continue;
        }
      } else if (e.kind === OBSERVE) {
        // then()/asPromise(): settle the native Promise; the result goes on unchanged.
        if (isFailure(result)) {
          // Awaiting takes responsibility for the failure: it is not reported as unhandled.
          result.handled = true;
          (e.eb as Slot)(result.value);
          continue;
        }
        if (isPrimitive(result) || !isDeferred(result)) {
          // resolve() never throws; with a thenable it adopts it for the native Promise only:
          // the Deferred's own result stays the thenable (then observes, as Twisted's result
          // stays whatever callback() was given).
          (e.cb as Slot)(result);
          continue;
        }
        // A Deferred left as the result (an extra unpause() of a Deferred waiting on it): as
        // Twisted's passthru, the chain waits on it again; the common call below, result kept.
        fn = e.cb as Slot;
        args = KEEP_RESULT;
      } else {
        // FORWARD (chainDeferred) or HANDOFF: fire a target with a value, as Twisted's nested
        // `target.callback(value)` does, but by pushing instead of recursing. Meanwhile this
        // Deferred keeps its result (a callback of the target may return this Deferred and
        // take it) and is "running a callback"; afterwards its result is `back`.
        let target: Deferred<unknown>;
        let value: unknown;
        let back: unknown = undefined; // chainDeferred: Twisted's d2.callback returns None
        if (e.kind === FORWARD) {
          target = e.target as Deferred<unknown>;
          value = result;
        } else {
          // HANDOFF: call the library slot; it may ask for a hand-off as its last act.
          const hfn = (isFailure(result) ? e.eb : e.cb) as Slot;
          const hargs = isFailure(result) ? e.ebArgs : e.cbArgs;
          current._state |= RUNNING;
          handRequest.target = null;
          try {
            back = hargs === undefined ? hfn(result) : hfn(result, ...hargs);
          } catch (err) {
            back = new Failure(err);
          } finally {
            current._state &= ~RUNNING;
          }
          if (handRequest.target === null) {
            current._result = back;
            continue;
          }
          target = handRequest.target;
          value = handRequest.value;
          handRequest.target = null;
          handRequest.value = undefined;
        }
        if (typeof value === 'object' && value !== null && isDeferred(value)) {
          // target.callback(aDeferred) fails (Twisted: AssertionError), before anything runs.
          current._result = new Failure(new DeferredAsResultError('callback() (through chainDeferred)'));
          continue;
        }
        if ((target._state & CALLED) !== 0) {
          if (target._canceller === SUPPRESS_ONE_CALL) {
            target._canceller = null;
            current._result = back;
          } else {
            current._result = new Failure(alreadyCalledError(target));
          }
          continue;
        }
        if (state.debug) (target._debugInfo ??= newDebugInfo(target, null)).invoker = captureStack(runCallbacks);
        target._state |= CALLED;
        target._result = value;
        if ((target._state & ~CALLED) === 0) {
          current._state |= RUNNING; // as in Twisted, current is "running a callback" meanwhile
          (below ??= []).push(current, back, HAND);
          next = target;
          finished = false;
          break;
        }
        current._result = back;
        continue;
      }
      // The Deferred the callback returned (or made of a thenable it returned), tested once.
      let wait: Deferred<unknown> | null = null;
      current._state |= RUNNING;
      try {
        if (args === undefined) result = fn(result);
        else if (args === KEEP_RESULT) fn(result);
        else result = fn(result, ...args);
        if ((typeof result === 'object' && result !== null) || typeof result === 'function') {
          if (isDeferred(result)) {
            wait = result;
          } else {
            const adopted = adoptableOther(result);
            if (adopted !== result) wait = adopted as Deferred<unknown>; // a thenable, now a Deferred
            result = adopted;
          }
        }
      } catch (err) {
        result = new Failure(err);
      } finally {
        current._state &= ~RUNNING;
      }
      if (wait === null) {
        current._result = result;
      } else if (waitOn(current, wait)) {
        waiting = true;
        break;
      }
    }
    if (finished) {
      const res = current._result;
      // Waiting, the result is the Deferred waited on: no failure to record or clear.
      if (!waiting && isFailure(res)) {
        // Keep it for the unhandled-error report, unless someone took responsibility for it.
        // cleanFailure also formats the value's stack, so the record does not keep `current`
        // alive through V8's raw call sites (see Failure.cleanFailure).
        res.cleanFailure();
        if (!res.handled) recordFailure(current, res);
        else if (current._debugInfo !== null) current._debugInfo.failResult = null;
      } else if (current._debugInfo !== null) {
        current._debugInfo.failResult = null;
      }
      // Back to the Deferred below; past a hand-off marker, it stops "running a callback".
      // Returning here, not looping to the test, keeps a run of one Deferred off the outer
      // loop's back edge: V8 would otherwise enter cached on-stack-replacement code on every call.
      if (below === null || below.length === 0) return;
      let top = below.pop();
      // Climb at once past Deferreds that handed their result on and have nothing to run,
      // record or clear: all the full loop would do to them is reset `_chainedTo`.
      while (top !== HAND) {
        const d = top as Deferred<unknown>;
        if (d._state >> 2 !== 0 || d._cbs !== null || d._debugInfo !== null) break;
        d._chainedTo = null;
        if (below.length === 0) return; // the climb emptied the stack: the run is over
        top = below.pop();
      }
      if (top === HAND) {
        const back = below.pop();
        current = below.pop() as Deferred<unknown>;
        current._state &= ~RUNNING;
        current._result = back; // what Twisted's nested call left as the result
        resumed = true;
      } else {
        current = top as Deferred<unknown>;
      }
    } else {
      current = next;
    }
  }
}

/** @internal Twisted's `_startRunCallbacks`. */
export function start(d: Deferred<unknown>, result: unknown, api: AnyFunction): void {
  if ((d._state & CALLED) !== 0) {
    if (d._canceller === SUPPRESS_ONE_CALL) {
      d._canceller = null;
      return;
    }
    throw alreadyCalledError(d);
  }
  if (state.debug) (d._debugInfo ??= newDebugInfo(d, null)).invoker = captureStack(api);
  d._state |= CALLED;
  d._result = result;
  if (d._cbs === null && d._state >> 2 === 0 && d._debugInfo === null && !isFailure(result)) {
    // Nothing queued, no record to keep or clear: all a run would do is forget a chainDeferred source.
    d._chainedTo = null;
    return;
  }
  runCallbacks(d);
}

/** @internal */
export function alreadyCalledError(d: Deferred<unknown>): AlreadyCalledError {
  if (!state.debug) return new AlreadyCalledError();
  const info = (d._debugInfo ??= newDebugInfo(d, null));
  return new AlreadyCalledError('\n' + info.getDebugTracebacks());
}

/** Keep `failure`, the unhandled result `d`'s chain stopped on, for the unhandled-error reports. */
function recordFailure(d: Deferred<unknown>, failure: Failure): void {
  recordUnhandled((d._debugInfo ??= newDebugInfo(d, null)), failure);
}
