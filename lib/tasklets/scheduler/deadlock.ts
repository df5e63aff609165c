// Deadlock detection: the last runnable tasklet may not block, and main may not await calls
// that nothing can finish. The DeadlockError lists every blocked tasklet in the order they
// blocked. Covered by spec/tasklets/errors.spec.ts and spec/tasklets/mainAwait.spec.ts.
import { DeadlockError } from '../errors.js';
import type { BlockedEntry } from '../errors.js';
import { type ChannelQueue, sweepRecent } from '../channelQueue.js';
import { anyForeignWait } from './blockedList.js';
import { BLOCK_ON, CHANNEL, NOWHERE, sched, WATCHDOG } from './state.js';
import type { Tasklet } from '../tasklet.js';

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

/** Builds a DeadlockError listing every blocked tasklet. */
function makeDeadlock(message: string, first: string): DeadlockError {
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
