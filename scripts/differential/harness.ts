// The differential harness's driver: generate programs, run each on Twisted (through the oracle)
// and on twistless, group the differences by class. Used by run.mjs and by
// spec/differential/differential.spec.ts. See docs/differential.md.

import { generate } from './generate.js';
import { differenceClass, minimize } from './compare.js';
import { runProgram } from './interp.js';
import { KNOWN_DIFFERENCES } from './known.js';
import type { KnownDifference } from './known.js';
import type { PythonOracle } from './oracle.js';
import type { Program, TraceEvent } from './program.js';
import { render } from './render.js';

export interface Difference {
  index: number;
  prog: Program;
  py: TraceEvent[];
  js: TraceEvent[];
}

export interface RunResult {
  programs: number;
  /** Class of difference -> how many programs, and the first few. */
  classes: Map<string, { count: number; examples: Difference[] }>;
}

export interface RunOptions {
  seed: number;
  start?: number;
  count: number;
  /** Known differences to leave out (default: all of them). */
  exclude?: readonly KnownDifference[];
  batch?: number;
  keep?: number;
  onProgress?: (done: number) => void;
}

/** Run programs start..start+count-1 of `seed` on both sides and group their differences. */
export async function runDifferential(oracle: PythonOracle, o: RunOptions): Promise<RunResult> {
  const start = o.start ?? 0;
  const batch = o.batch ?? 500;
  const keep = o.keep ?? 3;
  const exclude = o.exclude ?? KNOWN_DIFFERENCES;
  const classes: RunResult['classes'] = new Map();
  for (let from = start; from < start + o.count; from += batch) {
    const n = Math.min(batch, start + o.count - from);
    const progs: Program[] = [];
    for (let i = 0; i < n; i++) progs.push(generate(o.seed, from + i, exclude));
    const pending = oracle.runMany(progs);
    const jss = progs.map((p) => runProgram(p));
    const pys = await pending;
    for (let i = 0; i < n; i++) {
      const cls = differenceClass(pys[i], jss[i]);
      if (cls === null) continue;
      let entry = classes.get(cls);
      if (!entry) classes.set(cls, (entry = { count: 0, examples: [] }));
      entry.count++;
      if (entry.examples.length < keep) entry.examples.push({ index: from + i, prog: progs[i], py: pys[i], js: jss[i] });
    }
    o.onProgress?.(from + n - start);
  }
  return { programs: o.count, classes };
}

/** The smallest of a class's examples after shrinking, with both traces. */
export async function minimalExample(oracle: PythonOracle, cls: string, examples: Difference[]): Promise<Difference> {
  let best: Difference | null = null;
  for (const ex of examples) {
    const prog = await minimize(ex.prog, cls, oracle);
    const size = prog.ops.filter((op) => op[0] !== 'nop').length;
    if (best === null || size < best.prog.ops.filter((op) => op[0] !== 'nop').length) {
      const [py] = await oracle.runMany([prog]);
      best = { index: ex.index, prog, py, js: runProgram(prog) };
    }
  }
  return best as Difference;
}

/** A report of one difference: the program (JSON, Python, TypeScript) and both traces. */
export function describeDifference(d: Difference): string {
  return [
    `program #${d.index}: ${JSON.stringify(d.prog)}`,
    '--- Python (Twisted 22.4)',
    render(d.prog, 'py'),
    '--- TypeScript (twistless)',
    render(d.prog, 'ts'),
    `--- trace on Twisted:   ${JSON.stringify(d.py)}`,
    `--- trace on twistless: ${JSON.stringify(d.js)}`,
  ].join('\n');
}
