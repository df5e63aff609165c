// Comparing a program's traces on Twisted and on twistless, naming the class of a difference, and
// shrinking a differing program to a small one of the same class. See docs/differential.md.

import type { Op, Program, TraceEvent } from './program.js';
import { fnsOf, slotOf } from './program.js';
import { runProgram } from './interp.js';
import type { PythonOracle } from './oracle.js';

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function eventClass(ev: TraceEvent | undefined): string {
  if (ev === undefined) return 'nothing';
  switch (ev[0]) {
    case 'f':
      return 'call';
    case 'x':
      return `raise ${String(ev[2])}`;
    case 'ic':
      return ev[2] === 'exc' ? `generator caught ${String(ev[3])}` : 'generator got';
    default:
      return String(ev[0]);
  }
}

const D_FIELDS = ['called', 'paused', 'result', 'unhandled'];
const C_FIELDS = ['active', 'called', 'cancelled', 'time'];
// A lock's `locked`, a semaphore's `tokens` or a queue's `pending` is its `state`.
const K_FIELDS = ['kind', 'state', 'waiting'];

/** Null when the traces agree, else the class of the first difference (a short stable string). */
export function differenceClass(py: TraceEvent[], js: TraceEvent[]): string | null {
  const n = Math.max(py.length, js.length);
  for (let k = 0; k < n; k++) {
    const a = py[k];
    const b = js[k];
    if (same(a, b)) continue;
    if (a?.[0] === 'crash' || b?.[0] === 'crash') return `harness crash (${a?.[0] === 'crash' ? 'Twisted' : 'twistless'}: ${String((a?.[0] === 'crash' ? a : b)?.[1])})`;
    if (a?.[0] === 'end' && b?.[0] === 'end') {
      if (a[1] !== b[1]) return 'end: clock time';
      const parts: [string, string[], number][] = [
        ['D', D_FIELDS, 2],
        ['C', C_FIELDS, 3],
        ['L', ['running'], 4],
        ['K', K_FIELDS, 5],
      ];
      for (const [name, fields, at] of parts) {
        const xs = a[at] as unknown[][];
        const ys = b[at] as unknown[][];
        for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
          if (same(xs[i], ys[i])) continue;
          if (xs[i] === null || ys[i] === null || xs[i] === undefined || ys[i] === undefined) return `end: ${name} made on one side only`;
          const f = fields.findIndex((_, j) => !same(xs[i][j], ys[i][j]));
          return `end: ${name}.${fields[f]}`;
        }
      }
      return 'end: other';
    }
    const ca = eventClass(a);
    const cb = eventClass(b);
    if (ca === 'call' && cb === 'call') return a[1] === b[1] ? 'call: other argument' : 'call: other order';
    return `${ca} (Twisted) / ${cb} (twistless)`;
  }
  return null;
}

/** Smaller variants of a program, one step each: an operation removed, a function made 'pass', a list shortened. */
function* shrinks(prog: Program): Generator<Program> {
  const ops = prog.ops;
  for (let k = ops.length - 1; k >= 0; k--) {
    if (ops[k][0] === 'nop') continue;
    const copy = ops.slice();
    copy[k] = ['nop', slotOf(ops[k])];
    // Trailing nops that make nothing are dropped.
    while (copy.length > 0 && copy[copy.length - 1][0] === 'nop') copy.pop();
    yield { ops: copy };
  }
  for (let k = 0; k < ops.length; k++) {
    const op = ops[k];
    if (op[0] === 'dl' || op[0] === 'gather') {
      for (let j = 0; j < op[1].length; j++) {
        const copy = ops.slice();
        const ids = op[1].filter((_, i) => i !== j);
        copy[k] = (op[0] === 'dl' ? ['dl', ids, op[2], op[3], op[4]] : ['gather', ids, op[2]]) as Op;
        yield { ops: copy };
      }
    }
    if (op[0] === 'ic' && op[2].length > 0) {
      for (let j = 0; j < op[2].length; j++) {
        const copy = ops.slice();
        copy[k] = ['ic', op[1], op[2].filter((_, i) => i !== j), op[3]];
        yield { ops: copy };
      }
    }
    for (const f of fnsOf(op)) {
      if (f[1] === 'pass' || f[1] === 'passthru') continue;
      const json = JSON.stringify(op).replace(JSON.stringify(f), JSON.stringify([f[0], 'pass']));
      const copy = ops.slice();
      copy[k] = JSON.parse(json) as Op;
      yield { ops: copy };
    }
  }
}

/** Shrink `prog` while it keeps differing with the same class (greedy, one batch of candidates per round). */
export async function minimize(prog: Program, cls: string, oracle: PythonOracle, rounds = 60): Promise<Program> {
  let best = prog;
  for (let r = 0; r < rounds; r++) {
    const cands = [...shrinks(best)];
    if (cands.length === 0) break;
    const pys = await oracle.runMany(cands);
    let found = -1;
    for (let i = 0; i < cands.length; i++) {
      if (differenceClass(pys[i], runProgram(cands[i])) === cls) {
        found = i;
        break;
      }
    }
    if (found < 0) break;
    best = cands[found];
  }
  return best;
}
