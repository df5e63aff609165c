// The shapes of a Deferred's callback queue (internal): the slot types, the entry kinds and the
// hand-off signal that the callback loop (callbackLoop.ts) reads. Covered by
// spec/defer/callbackQueue.spec.ts.
//
// How and why
// -----------
// A Deferred holds its (callback, errback) pairs in two fields, `_cbs` and `_next`: `_cbs` is
// null when nothing is queued, the first entry itself when one or two are (the commonest cases:
// one callback, a callback and an errback added apart, a callback and a Deferred waiting on
// this one), the second then kept in `_next` (0 when there is none); from the third entry on,
// `_cbs` is a flat array read from an index, `_next`. So a Deferred with one or two entries
// allocates nothing for its queue, and running a longer chain allocates nothing per step and
// never shifts. Each array slot is set to null as it is taken, and the field goes back to null
// when the last entry is taken, so a drained queue keeps no callback alive and `_cbs === null`
// is the one test of "nothing queued". The commonest pair, addCallback(fn) with no extra args,
// is stored as the bare function `fn` (its errback a pass-through), with no Entry. A Deferred
// waiting on this one (Twisted's `_CONTINUE` marker: "hand my result to d", left on an inner
// Deferred when a callback of d returned it before it had a result) is stored as that Deferred
// itself, also without an Entry. Any other pair is an `Entry`, one shape for all kinds:
//   PAIR       a callback and an errback (null = pass the result through, Twisted's `passthru`),
//              with their args;
//   FORWARD d  "fire d with my result, then carry on with undefined" (chainDeferred);
//   OBSERVE    then()/asPromise(): `cb`/`eb` are a native Promise's resolve/reject, called with
//              the value / the failure's value; the result goes on unchanged;
//   HANDOFF    a library pair (inlineCallbacks' resume, DeferredList's collector, race) that may
//              end by asking, through `handOff(target, value)`, to fire another Deferred: the loop
//              fires it as it does for FORWARD, so cascades are delivered without recursion.
// This file imports nothing at run time, so every file of the defer core may import it.

import type { Deferred } from './deferred.js';

/** A function stored in a callback slot: called as `fn(result, ...args)`. */
export type Slot = (result: unknown, ...args: unknown[]) => unknown;
/** Any function, as the debug stacks' `captureStack` takes it. */
export type AnyFunction = (...args: never[]) => unknown;

// Entry kinds (see the header).
export const PAIR = 0;
export const FORWARD = 2;
export const OBSERVE = 3;
export const HANDOFF = 4;

/** A queued pair that is not a bare callback, or a FORWARD/OBSERVE/HANDOFF marker. */
export class Entry {
  kind: number;
  cb: Slot | null;
  cbArgs: unknown[] | undefined;
  eb: Slot | null;
  ebArgs: unknown[] | undefined;
  target: Deferred<unknown> | null;
  constructor(kind: number, cb: Slot | null, cbArgs: unknown[] | undefined, eb: Slot | null, ebArgs: unknown[] | undefined, target: Deferred<unknown> | null) {
    this.kind = kind;
    this.cb = cb;
    this.cbArgs = cbArgs;
    this.eb = eb;
    this.ebArgs = ebArgs;
    this.target = target;
  }
}

/** One queued entry: a bare callback, an Entry, or a Deferred waiting on this one. */
export type Queued = Slot | Entry | Deferred<unknown>;
/** A slot of a queue array: an entry, or null once taken. */
export type QueueSlot = Queued | null;
/**
 * A Deferred's `_cbs`: nothing queued (null), the first entry (a second is in `_next`), or an
 * array of three or more read from the index in `_next`.
 */
export type Queue = Queued | QueueSlot[] | null;

/** The args of an OBSERVE slot called in the loop: call it with the result, and keep the result. */
export const KEEP_RESULT: unknown[] = [];
/** A Deferred's `_state` bit: it has fired. */
export const CALLED = 1;
/** A Deferred's `_state` bit: one of its callbacks is running. */
export const RUNNING = 2;
/** One pause in a Deferred's `_state` (the count sits above the two bits). */
export const PAUSE_STEP = 4;
/**
 * The canceller of a Deferred that cancel() fired without a canceller of its own: its next
 * callback()/errback() is swallowed once (Twisted's `_suppressAlreadyCalled`). Kept in the
 * canceller field, which nothing reads once the Deferred has fired, to spare every Deferred a
 * field of its own.
 */
export const SUPPRESS_ONE_CALL = (): void => undefined;

/** The hand-off a HANDOFF slot asked for (see `handOff`): read and cleared by whoever called it. */
export const handRequest: { target: Deferred<unknown> | null; value: unknown } = { target: null, value: undefined };

/**
 * @internal Called by a HANDOFF slot (added with `addHandOff`) as its last act: fire `target`
 * with `value` once the slot has returned. Whoever called the slot does it: the callback loop
 * without recursing, as Twisted's nested `target.callback(value)` would have run.
 */
export function handOff(target: Deferred<unknown>, value: unknown): void {
  handRequest.target = target;
  handRequest.value = value;
}

/** True for a value that cannot be a thenable, a Deferred or a Failure (nothing to read on it). */
export function isPrimitive(x: unknown): boolean {
  return (typeof x !== 'object' && typeof x !== 'function') || x === null;
}
