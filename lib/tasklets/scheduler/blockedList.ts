// The tasklets waiting in blockOn (or on a blockingTasklet call), listed weakly for deadlock
// checks and reports: such a tasklet is reachable only through what it waits on. Covered by
// spec/tasklets/memory.spec.ts and spec/tasklets/bridge.spec.ts.
import { BLOCK_ON, CHAN_REFS_MIN, LISTED, sched } from './state.js';
import type { Tasklet } from '../tasklet.js';

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
