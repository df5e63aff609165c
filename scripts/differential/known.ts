// Known differences between twistless and Twisted 22.4 that the differential harness leaves out:
// each entry is a coarse predicate over a program (a feature combination), and the generator
// draws again any program it matches. `permanent` entries are documented differences (docs/);
// the others are bugs: remove an entry once its fix has landed, then run the harness again.
// See docs/differential.md.

import type { FnSpec, Op, Program } from './program.js';
import { fnsOf, slotOf } from './program.js';

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
  // A run() waits on its function's Deferred; a function that acquires, gets or runs may make its chain wait.
  if (hasFn(prog, 'retD', 'acquire', 'get', 'run') || has(prog, 'ic', 'dl', 'gather', 'lstart', 'run')) return true;
  return [...below].some((d) => paused.has(d));
}

/** The edges D -> a D it may wait on (see `waitingCycle`); the run() Deferred of a function's 'run' action is numbered below zero. */
function waitEdges(prog: Program): Map<number, Set<number>> {
  const edges = new Map<number, Set<number>>();
  const edge = (from: number, to: number): void => {
    if (from === to) return; // a Deferred waiting on itself is callback-returns-own-deferred
    let set = edges.get(from);
    if (!set) edges.set(from, (set = new Set()));
    set.add(to);
  };
  const anon = (f: FnSpec): number => -1 - f[0];
  // `from` waits on what `f` returns: a D, or the run() Deferred of a 'run' action that returns it.
  const returns = (from: number, f: FnSpec): void => {
    if (f[1] === 'retD') edge(from, f[2]);
    if (f[1] === 'run' && f[4]) edge(from, anon(f));
  };
  for (const f of allFns(prog)) if (f[1] === 'run') returns(anon(f), f[3]);
  for (const [d, f] of attached(prog)) returns(d, f);
  for (const [d, f] of runs(prog)) returns(d, f);
  let n = 0;
  for (const op of prog.ops) {
    if (op[0] === 'ic') for (const st of op[2]) if (st[0] === 'y') edge(n, st[1]);
    // A DeferredList (or gatherResults) waits on its inputs: cancel() goes through them.
    if (op[0] === 'dl' || op[0] === 'gather') for (const input of op[1]) edge(n, input);
    if (slotOfD(op)) n++;
  }
  return edges;
}

/**
 * Two or more Deferreds may wait on each other in a ring: edges D -> the D its callback returns, an
 * inlineCallbacks D -> what it yields, a list -> its inputs, a run() D -> the D its function returns.
 * The run() Deferred a function's 'run' action makes is a node of its own (numbered below zero).
 */
function waitingCycle(prog: Program): boolean {
  const edges = waitEdges(prog);
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
  return slotOf(op) === 'D';
}

/** Each run() operation's D index with its function. */
function runs(prog: Program): [number, FnSpec][] {
  const out: [number, FnSpec][] = [];
  let n = 0;
  for (const op of prog.ops) {
    if (op[0] === 'run') out.push([n, op[2]]);
    if (slotOfD(op)) n++;
  }
  return out;
}

/** The D indexes the operations of `kind` make. */
function madeBy(prog: Program, kind: Op[0]): Set<number> {
  const made = new Set<number>();
  let n = 0;
  for (const op of prog.ops) {
    if (op[0] === kind) made.add(n);
    if (slotOfD(op)) n++;
  }
  return made;
}

/** One of `made` may be fired by hand (callback, errback, the target of chainDeferred, or a function's fire/efire). */
function firedByHand(prog: Program, made: Set<number>): boolean {
  if (made.size === 0) return false;
  const opFires = prog.ops.some((op) => ((op[0] === 'cb' || op[0] === 'eb') && made.has(op[1])) || (op[0] === 'chain' && made.has(op[2])));
  return opFires || allFns(prog).some((f) => (f[1] === 'fire' || f[1] === 'efire') && made.has(f[2]));
}

/** `f` may return a Deferred: a D, or the Deferred of an acquire, get or run() that it returns. */
function returnsDeferred(f: FnSpec): boolean {
  if (f[1] === 'retD') return true;
  if (f[1] === 'acquire' || f[1] === 'get') return f[3];
  return f[1] === 'run' && f[4];
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
    description:
      "A callback returning its own Deferred fails it with CircularChainError; Twisted 22.4 warns and leaves it paused for ever. This includes a run() whose function returns the run()'s own Deferred (run()'s execute callback then returns it), which twistless fails and releases, while Twisted keeps the lock held.",
    matches: (p) => [...attached(p), ...runs(p)].some(([d, f]) => f[1] === 'retD' && f[2] === d),
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
      return restarted && p.ops.some((op) => op[0] === 'lc' && returnsDeferred(op[1]));
    },
  },
  {
    id: 'list-cancel-nested-past-100',
    ref: 'docs/defer.md (Differences from Twisted: cancel() does not recurse; past 100 nested list cancel()s)',
    permanent: true,
    description:
      "A canceller that cancels a DeferredList (or gatherResults) Deferred, or a Deferred that may wait on one: when it is an input's canceller, each cancel() of the list calls it again. twistless stops after 100 nested list cancel()s; Twisted recurses until RecursionError.",
    matches: (p) => {
      const lists = new Set([...madeBy(p, 'dl'), ...madeBy(p, 'gather')]);
      if (lists.size === 0) return false;
      // The D a canceller cancels, and every D its cancel() may walk to (what it waits on).
      const edges = waitEdges(p);
      const reached = new Set(p.ops.flatMap((op) => (op[0] === 'new' && op[1] !== null && op[1][1] === 'cancel' ? [op[1][2]] : [])));
      for (const d of reached) for (const w of edges.get(d) ?? []) reached.add(w);
      return [...reached].some((d) => lists.has(d));
    },
  },
  {
    id: 'loopingcall-start-fired-by-hand-then-stopped',
    ref: "docs/task.md (Differences from Twisted: the start() Deferred fired by hand, then the loop stopped)",
    permanent: true,
    description:
      "A LoopingCall's start() Deferred fired by hand, the loop stopped while its function's Deferred is outstanding, then that Deferred succeeds: the loop's own firing fails with AlreadyCalledError in both, and Twisted's errback then fails its assertion, leaving AssertionError on the tick's Deferred.",
    matches: (p) => p.ops.some((op) => op[0] === 'lc' && returnsDeferred(op[1])) && firedByHand(p, madeBy(p, 'lstart')) && (has(p, 'lstop') || hasFn(p, 'lstop')),
  },
  {
    id: 'handover-past-100-deep',
    ref: 'docs/defer.md (Differences from Python: handovers past 100 deep are queued)',
    permanent: true,
    description:
      "A LoopingCall function that queues a run() on each call: a zero-interval loop queues a few hundred, and one release() then hands the lock over through all of them, nested. Twisted overflows Python's stack at about 110 (the lock stays held, the rest keep waiting); twistless queues the handovers past 100 deep and completes.",
    matches: (p) => p.ops.some((op) => op[0] === 'lc' && op[1][1] === 'run'),
  },
  {
    id: 'queued-run-fired-by-hand',
    ref: 'docs/defer.md (Differences from Python: a queued run() keeps its function in its Deferred until its turn)',
    permanent: true,
    description:
      'A run() Deferred fired by hand (callback, errback, chainDeferred into it, a function that fires it) while it waits for the lock or a token: Twisted calls the function then, without holding the lock, and releases it afterwards; twistless does not call it.',
    matches: (p) => firedByHand(p, madeBy(p, 'run')),
  },
];

/** The known differences among `list` that `prog` matches. */
export function matchingDifferences(prog: Program, list: readonly KnownDifference[] = KNOWN_DIFFERENCES): KnownDifference[] {
  return list.filter((k) => k.matches(prog));
}
