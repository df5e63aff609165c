// DeferredList.cancel(): cancel every input, as Twisted's does, without recursing for ever
// through a ring of Deferreds waiting on each other. Covered by spec/defer/canceller.spec.ts.
//
// How and why: Twisted's cancel() loops over the inputs and cancels each; a cancel() re-entered
// from an input's callback does the same again at once, and twistless follows it. But a ring
// (an input that waits on the list, directly or through the inputs of other lists) re-enters
// cancel() through the input being cancelled, for ever: Twisted recurses until RecursionError.
// So a re-entry through the input being cancelled does nothing, and past 100 nested list
// cancel()s any re-entry does nothing (an input's canceller that cancels the list again would
// otherwise recurse for ever too, as in Twisted).

import { Failure } from '../failure/failure.js';
import { err as logErr } from '../log/log.js';
import { CALLED } from './callbackQueue.js';
import { isDeferred } from './brand.js';
import type { Deferred } from './deferred.js';

/** @internal What cancel() reads of a DeferredList. */
export interface CancellableList {
  readonly called: boolean;
  /** The inputs, until the list fires. */
  _deferredList: Deferred<unknown>[];
  /** The input cancel() is cancelling now (null when it is not running). */
  _cancelling: Deferred<unknown> | null;
}

/** How many DeferredList cancel()s are running, one inside another. */
let listCancelNesting = 0;
/** Past this many nested list cancel()s, a re-entered one does nothing. */
const MAX_LIST_CANCEL_NESTING = 100;

/**
 * @internal Cancel every input of the unfired `list`; an input whose canceller throws is logged
 * and the others are still cancelled. Port of the body of `DeferredList.cancel`.
 */
export function cancelInputs(list: CancellableList): void {
  if (list.called) return;
  const outer = list._cancelling;
  if (outer !== null && (listCancelNesting >= MAX_LIST_CANCEL_NESTING || waitsOn(outer, list))) return;
  const inputs = list._deferredList;
  listCancelNesting++;
  try {
    for (let i = 0; i < inputs.length; i++) {
      list._cancelling = inputs[i];
      try {
        inputs[i].cancel();
      } catch (e) {
        logErr(new Failure(e), 'Exception raised from user supplied canceller');
      }
    }
  } finally {
    list._cancelling = outer;
    listCancelNesting--;
  }
}

/**
 * True when `from` waits on `list`: down its chain of Deferreds waiting on others, and through
 * the inputs of an unfired DeferredList met there, as `cancel()` walks.
 */
function waitsOn(from: Deferred<unknown>, list: CancellableList): boolean {
  const seen = new Set<unknown>();
  const todo: unknown[] = [from];
  while (todo.length !== 0) {
    let d = todo.pop();
    for (;;) {
      if (d === list) return true;
      if (seen.has(d)) break;
      seen.add(d);
      const inputs = (d as Partial<CancellableList>)._deferredList;
      if (inputs !== undefined && !(d as CancellableList).called) {
        for (const input of inputs) todo.push(input);
        break;
      }
      const w = d as Deferred<unknown>;
      if ((w._state & CALLED) === 0 || !isDeferred(w._result)) break;
      d = w._result;
    }
  }
  return false;
}
