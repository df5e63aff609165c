// Known differences between twistless and Twisted 22.4 that the differential harness leaves out:
// each entry is a coarse predicate over a program (a feature combination), and the generator
// draws again any program it matches. `permanent` entries are documented differences (docs/);
// the others are bugs: remove an entry once its fix has landed, then run the harness again.
// See docs/differential.md.

import type { FnSpec, Op, Program } from './program.js';

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

/** Every function of an operation (canceller, callbacks, delayed call, looping function, generator steps). */
export function fnsOf(op: Op): FnSpec[] {
  switch (op[0]) {
    case 'new':
      return op[1] === null ? [] : [op[1]];
    case 'add':
      return [op[3]];
    case 'cbs':
      return op[3] === null ? [op[2]] : [op[2], op[3]];
    case 'ic':
      return op[2].flatMap((s) => (s[0] === 'op' ? [s[1]] : []));
    case 'later':
      return [op[2]];
    case 'lc':
      return [op[1]];
    default:
      return [];
  }
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

/** The D indexes made by operations of these kinds. */
function slotsMadeBy(prog: Program, ...kinds: string[]): Set<number> {
  const out = new Set<number>();
  let n = 0;
  for (const op of prog.ops) {
    const made = ['new', 'succeed', 'fail', 'dl', 'gather', 'ic', 'lstart'].includes(op[0]) || (op[0] === 'nop' && op[1] === 'D');
    if (made) {
      if (kinds.includes(op[0])) out.add(n);
      n++;
    }
  }
  return out;
}

/** Some D in `slots` is fired by hand: callback/errback, a function firing it, or chainDeferred into it. */
function firedByHand(prog: Program, slots: Set<number>, withCancel: boolean): boolean {
  for (const op of prog.ops) {
    if ((op[0] === 'cb' || op[0] === 'eb') && slots.has(op[1])) return true;
    if (op[0] === 'chain' && slots.has(op[2])) return true;
    if (withCancel && (op[0] === 'cancel' || op[0] === 'timeout') && slots.has(op[1])) return true;
  }
  return allFns(prog).some((f) => (f[1] === 'fire' || f[1] === 'efire' || (withCancel && f[1] === 'cancel')) && slots.has(f[2]));
}

/** An unpause without a matching earlier pause on the same D (at the operation level), or any unpause done by a function. */
function unbalancedUnpause(prog: Program): boolean {
  if (hasFn(prog, 'unpause')) return true;
  const count = new Map<number, number>();
  for (const op of prog.ops) {
    if (op[0] === 'pause') count.set(op[1], (count.get(op[1]) ?? 0) + 1);
    if (op[0] === 'unpause') {
      const c = (count.get(op[1]) ?? 0) - 1;
      if (c < 0) return true;
      count.set(op[1], c);
    }
  }
  return false;
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
    id: 'deferredlist-cancel',
    ref: 'issue 9 item 20',
    permanent: false,
    description:
      "Deferred.cancel walks down to the innermost waited-on Deferred and applies the base cancel there, bypassing DeferredList.cancel (Twisted cancels each Deferred of the chain through its own cancel()).",
    matches: (p) => has(p, 'dl', 'gather') && cancels(p),
  },
  {
    id: 'fast-path-unhandled',
    ref: 'issue 9 item 21',
    permanent: false,
    description: 'A failure first reached through the fast path of addCallback (after an unbalanced unpause) is not marked unhandled.',
    matches: (p) => unbalancedUnpause(p),
  },
  {
    id: 'clock-reset-order',
    ref: 'issue 9 item 22',
    permanent: false,
    description: 'Calls moved by reset()/delay() onto the time of other calls run in a different order than Twisted.',
    matches: (p) =>
      (has(p, 'reset', 'delay') || hasFn(p, 'dreset')) &&
      (p.ops.filter((op) => op[0] === 'later').length >= 2 || has(p, 'lc', 'timeout') || hasFn(p, 'later')),
  },
  {
    id: 'loopingcall-fired-by-hand',
    ref: 'issue 9 item 23',
    permanent: false,
    description: "A LoopingCall whose function raises after its start() Deferred was fired (or cancelled) by hand makes advance() throw.",
    matches: (p) => {
      if (!has(p, 'lstart')) return false;
      if (firedByHand(p, slotsMadeBy(p, 'lstart'), true)) return true;
      return cancels(p) && (hasFn(p, 'retD') || has(p, 'chain', 'dl', 'gather', 'ic'));
    },
  },
  {
    id: 'inlinecallbacks-cancel-parent',
    ref: 'issue 9 item 24',
    permanent: false,
    description: 'Cancelling an inlineCallbacks Deferred that waits on the Deferred whose callback returned it leaves it paused for ever.',
    matches: (p) => has(p, 'ic') && cancels(p) && (hasFn(p, 'retD') || has(p, 'chain')),
  },
  {
    id: 'gatherresults-fired-by-hand',
    ref: 'issue 9 item 25',
    permanent: false,
    description: 'A gatherResults Deferred fired by hand with a non-list gives [undefined] instead of failing with TypeError.',
    matches: (p) => firedByHand(p, slotsMadeBy(p, 'gather'), false),
  },
  {
    id: 'loopingcall-start-zero-later',
    ref: 'issue 9 item 15',
    permanent: false,
    description: 'LoopingCall.start(0, false) is refused (Twisted accepts it).',
    matches: (p) => p.ops.some((op) => op[0] === 'lstart' && op[2] === 0 && !op[3]),
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
