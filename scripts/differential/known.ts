// Known differences between twistless and Twisted 22.4 that the differential harness leaves out:
// each entry is a coarse predicate over a program (a feature combination), and the generator
// draws again any program it matches. `permanent` entries are documented differences (docs/);
// the others are bugs: remove an entry once its fix has landed, then run the harness again.
// See docs/differential.md.

import type { FnSpec, Op, Program } from './program.js';
import { fnsOf } from './program.js';

export interface KnownDifference {
  /** A short name, used by `--allow` on the command line. */
  id: string;
  /** Where it is tracked or documented. */
  ref: string;
  /** True when it is a documented difference that stays. */
  permanent: boolean;
  description: string;
  matches(prog: Program): boolean;
}


function allFns(prog: Program): FnSpec[] {
  return prog.ops.flatMap(fnsOf);
}

function has(prog: Program, ...kinds: string[]): boolean {
  return prog.ops.some((op) => kinds.includes(op[0]));
}

function hasFn(prog: Program, ...kinds: string[]): boolean {
  return allFns(prog).some((f) => kinds.includes(f[1]));
}

/** A cancel reaches some Deferred: cancel(), addTimeout (cancels when it expires), or a function that cancels. */
function cancels(prog: Program): boolean {
  return has(prog, 'cancel', 'timeout') || hasFn(prog, 'cancel');
}

/**
 * Some D may be unpaused below zero and then brought back to zero: an unpause without a matching
 * earlier pause (at the operation level) or by a function, on a D that is also paused somewhere,
 * or in a program where a D can wait on another (which counts as a pause).
 */
function unbalancedUnpause(prog: Program): boolean {
  const below = new Set<number>();
  for (const f of allFns(prog)) if (f[1] === 'unpause') below.add(f[2]);
  const count = new Map<number, number>();
  const paused = new Set<number>();
  for (const f of allFns(prog)) if (f[1] === 'pause') paused.add(f[2]);
  for (const op of prog.ops) {
    if (op[0] === 'pause') {
      count.set(op[1], (count.get(op[1]) ?? 0) + 1);
      paused.add(op[1]);
    }
    if (op[0] === 'unpause') {
      const c = (count.get(op[1]) ?? 0) - 1;
      if (c < 0) below.add(op[1]);
      count.set(op[1], c);
    }
  }
  if (below.size === 0) return false;
  if (hasFn(prog, 'retD') || has(prog, 'ic', 'dl', 'gather', 'lstart')) return true;
  return [...below].some((d) => paused.has(d));
}

/** Two or more Deferreds may wait on each other in a ring: edges D -> the D its callback returns, an inlineCallbacks D -> what it yields, a list -> its inputs. */
function waitingCycle(prog: Program): boolean {
  const edges = new Map<number, Set<number>>();
  const edge = (from: number, to: number): void => {
    if (from === to) return; // a Deferred waiting on itself is callback-returns-own-deferred
    let set = edges.get(from);
    if (!set) edges.set(from, (set = new Set()));
    set.add(to);
  };
  for (const [d, f] of attached(prog)) if (f[1] === 'retD') edge(d, f[2]);
  let n = 0;
  for (const op of prog.ops) {
    if (op[0] === 'ic') for (const st of op[2]) if (st[0] === 'y') edge(n, st[1]);
    // A DeferredList (or gatherResults) waits on its inputs: cancel() goes through them.
    if (op[0] === 'dl' || op[0] === 'gather') for (const input of op[1]) edge(n, input);
    if (slotOfD(op)) n++;
  }
  const state = new Map<number, number>(); // 1 on the path, 2 done
  const visit = (v: number): boolean => {
    state.set(v, 1);
    for (const w of edges.get(v) ?? []) {
      if (state.get(w) === 1) return true;
      if (state.get(w) === undefined && visit(w)) return true;
    }
    state.set(v, 2);
    return false;
  };
  return [...edges.keys()].some((v) => state.get(v) === undefined && visit(v));
}

function slotOfD(op: Op): boolean {
  return ['new', 'succeed', 'fail', 'dl', 'gather', 'ic', 'lstart'].includes(op[0]) || (op[0] === 'nop' && op[1] === 'D');
}

/** The D each 'add'/'cbs' function is attached to. */
function attached(prog: Program): [number, FnSpec][] {
  const out: [number, FnSpec][] = [];
  for (const op of prog.ops) {
    if (op[0] === 'add') out.push([op[1], op[3]]);
    if (op[0] === 'cbs') {
      out.push([op[1], op[2]]);
      if (op[3] !== null) out.push([op[1], op[3]]);
    }
  }
  return out;
}

export const KNOWN_DIFFERENCES: KnownDifference[] = [
  {
    id: 'unbalanced-unpause',
    ref: 'docs/defer.md (Differences from Twisted: an unpause() below zero)',
    permanent: true,
    description:
      'An unpause() with no matching pause() (misuse: the count goes below zero in both) on a Deferred that also waits on others or is paused elsewhere: Twisted and twistless then disagree on when the chain resumes.',
    matches: (p) => unbalancedUnpause(p),
  },
  {
    id: 'loopingcall-returns-own-deferred',
    ref: 'docs/task.md (Differences from Twisted: a LoopingCall function returning its own start() Deferred)',
    permanent: true,
    description:
      "A LoopingCall whose function returns the loop's own start() Deferred, fired by hand: its failure is an AlreadyCalledError in twistless, an AssertionError in Twisted.",
    matches: (p) => {
      const starts = new Set<number>();
      let n = 0;
      for (const op of p.ops) {
        if (op[0] === 'lstart') starts.add(n);
        if (slotOfD(op)) n++;
      }
      return p.ops.some((op) => op[0] === 'lc' && op[1][1] === 'retD' && starts.has(op[1][2]));
    },
  },
  {
    id: 'passthru-extra-args',
    ref: 'issue 9 item 26; docs/defer.md',
    permanent: true,
    description:
      "passthru (given explicitly, or standing for a missing errback of addCallbacks) ignores extra arguments; Twisted's raises TypeError.",
    matches: (p) =>
      p.ops.some(
        (op) =>
          (op[0] === 'cbs' && ((op[3] === null && op[5].length > 0) || (op[2][1] === 'passthru' && op[4].length > 0) || (op[3] !== null && op[3][1] === 'passthru' && op[5].length > 0))) ||
          (op[0] === 'add' && op[3][1] === 'passthru' && op[4].length > 0),
      ),
  },
  {
    id: 'callback-returns-own-deferred',
    ref: 'docs/defer.md (Differences from Twisted: CircularChainError)',
    permanent: true,
    description: "A callback returning its own Deferred fails it with CircularChainError; Twisted 22.4 warns and leaves it paused for ever.",
    matches: (p) => attached(p).some(([d, f]) => f[1] === 'retD' && f[2] === d),
  },
  {
    id: 'cancel-on-cycle',
    ref: 'docs/defer.md (Differences from Twisted: cancel() does not recurse)',
    permanent: true,
    description:
      'cancel() of a Deferred in a ring of Deferreds waiting on each other does nothing; Twisted recurses until RecursionError (which escapes from cancel(), or from advance() when a timeout cancels).',
    matches: (p) => cancels(p) && waitingCycle(p),
  },
  {
    id: 'loopingcall-restart-while-stopping',
    ref: 'docs/task.md (Differences from Twisted: no restart while stopping)',
    permanent: true,
    description: "start() of a LoopingCall stopped while its function's Deferred is outstanding throws; Twisted restarts anyway.",
    matches: (p) => {
      const starts = new Map<number, number>();
      for (const op of p.ops) if (op[0] === 'lstart') starts.set(op[1], (starts.get(op[1]) ?? 0) + 1);
      const restarted = [...starts.values()].some((n) => n > 1);
      return restarted && p.ops.some((op) => op[0] === 'lc' && op[1][1] === 'retD');
    },
  },
];

/** The known differences among `list` that `prog` matches. */
export function matchingDifferences(prog: Program, list: readonly KnownDifference[] = KNOWN_DIFFERENCES): KnownDifference[] {
  return list.filter((k) => k.matches(prog));
}
