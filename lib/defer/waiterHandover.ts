// The handover trampoline shared by DeferredLock, DeferredSemaphore and DeferredQueue.
// Not in Twisted: there, `release()`/`put()` call the next waiter back directly, so a waiter whose
// callback releases again recurses, and about 120 chained waiters overflow Python's stack.
// Covered by spec/defer/locks.spec.ts (the 100,000-waiter specs and the cancel-in-limbo specs).
//
// How and why: a handover (`release()` giving the lock to the first waiter, `put()` giving an item
// to the first get) fires the waiter's Deferred at once, exactly as Twisted does, as long as fewer
// than HANDOVER_DEPTH handovers are already running further up the stack. Beyond that depth the
// waiter is put in `ready`, a Map from waiter to value kept in insertion order, and the outermost
// handover fires the queued waiters one after another once its own callback chain has returned.
// So any chain of waiters runs in bounded stack, and the order is Twisted's for the first
// HANDOVER_DEPTH nested handovers (Twisted itself overflows not far beyond).
//
// A waiter in `ready` has already been granted its value (the lock is held for it, the item is
// out of the queue). If it is cancelled before it fires, `cancelWaiter` fires it with that value,
// which is what Twisted's waiter would hold by then (cancelling a fired Deferred is a no-op), so
// nothing is lost and the lock is not left held by nobody.

import { processWide } from '../internal/processWide.js';
import type { Deferred } from './deferred.js';

/** Nesting depth up to which handovers fire their waiter synchronously, as in Twisted. */
export const HANDOVER_DEPTH = 100;

interface HandoverState {
  /** How many handovers are running further up the stack. */
  depth: number;
  /** Waiters granted past HANDOVER_DEPTH, with their value, in grant order. */
  ready: Map<Deferred<unknown>, unknown>;
}

/** One per process, however twistless was loaded. */
const state: HandoverState = processWide<HandoverState>('defer.handover', () => ({ depth: 0, ready: new Map() }));

/**
 * Fire `waiter` with `value`: now, or (past HANDOVER_DEPTH nested handovers) as soon as the
 * outermost handover's callbacks have returned.
 */
export function handOver<T>(waiter: Deferred<T>, value: T): void {
  if (!handOverCall(waiter as Deferred<unknown>, value, fireWith, undefined, undefined, undefined)) {
    state.ready.set(waiter as Deferred<unknown>, value);
  }
}

/** `handOver`'s way of firing a waiter. */
function fireWith(waiter: Deferred<unknown>, value: unknown): void {
  waiter.callback(value);
}

/**
 * Hand `value` to `waiter` by calling `fire(waiter, value, a, b, c)`, as a handover: now, if
 * fewer than HANDOVER_DEPTH handovers are running; otherwise do nothing and return false, and the
 * caller hands over with `handOver`. A lock granting a queued `run()` calls its function this way,
 * without making a callback entry for it. The extra arguments spare a closure per call.
 */
export function handOverCall<A, B, C>(
  waiter: Deferred<unknown>,
  value: unknown,
  fire: (waiter: Deferred<unknown>, value: unknown, a: A, b: B, c: C) => void,
  a: A,
  b: B,
  c: C,
): boolean {
  const s = state;
  if (s.depth >= HANDOVER_DEPTH) return false;
  s.depth++;
  try {
    fire(waiter, value, a, b, c);
  } finally {
    s.depth--;
  }
  if (s.depth === 0 && s.ready.size !== 0) drain(s);
  return true;
}

/** Fire every queued waiter in grant order; a Map iterator also visits entries added meanwhile. */
function drain(s: HandoverState): void {
  let error: unknown = null;
  let failed = false;
  s.depth++;
  try {
    for (const [waiter, value] of s.ready) {
      s.ready.delete(waiter);
      try {
        waiter.callback(value);
      } catch (e) {
        // Keep going: one bad waiter must not strand the others. Rethrown below.
        if (!failed) {
          failed = true;
          error = e;
        }
      }
    }
  } finally {
    s.depth--;
  }
  if (failed) throw error;
}

/**
 * If `waiter` was granted its value but not fired yet, fire it now and return true (the
 * cancellation then changes nothing, as in Twisted where it would have fired already).
 */
export function fireIfGranted(waiter: Deferred<unknown>): boolean {
  const s = state;
  if (!s.ready.has(waiter)) return false;
  const value = s.ready.get(waiter);
  s.ready.delete(waiter);
  waiter.callback(value);
  return true;
}
