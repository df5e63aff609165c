// The differential harness's command line: `node scripts/differential/run.mjs --count 50000 --seed 1`.
// Runs random programs on Twisted 22.4 (python3 with twisted) and on twistless, and prints the
// differences grouped by class, each with a shrunk example in Python and TypeScript.
// Options: --seed N, --count N, --start N (first program index), --only N (one program, verbose),
// --program JSON (run one program given as JSON, e.g. a shrunk one from a report),
// --allow id,id (do not leave out these known differences; `--allow all` keeps every one),
// --keep N (examples kept per class), --no-minimize, --json FILE (write the classes as JSON),
// --triage (with --allow: shrink every differing program and group them by class and by the known
// differences the shrunk program still matches; a group matching none is a new difference).
// See docs/differential.md.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { register } from 'tsx/cjs/api';

register();
const require = createRequire(import.meta.url);
const { PythonOracle, twistedUnavailable } = require('./oracle.ts');
const { runDifferential, minimalExample, describeDifference } = require('./harness.ts');
const { KNOWN_DIFFERENCES, matchingDifferences } = require('./known.ts');
const { generate } = require('./generate.ts');
const { runProgram } = require('./interp.ts');
const { differenceClass, minimize } = require('./compare.ts');
const { render } = require('./render.ts');

function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  return process.argv[i + 1];
}
const flag = (name) => process.argv.includes(`--${name}`);

const why = twistedUnavailable();
if (why !== null) {
  console.error(`differential: ${why}`);
  process.exit(2);
}
const seed = Number(arg('seed', '1'));
const count = Number(arg('count', '1000'));
const start = Number(arg('start', '0'));
const keep = Number(arg('keep', '3'));
const allow = String(arg('allow', '')).split(',').filter(Boolean);
const exclude = allow.includes('all') ? [] : KNOWN_DIFFERENCES.filter((k) => !allow.includes(k.id));
const oracle = new PythonOracle();

if (arg('only', null) !== null || arg('program', null) !== null) {
  const index = Number(arg('only', '-1'));
  const prog = index >= 0 ? generate(seed, index, exclude) : JSON.parse(arg('program'));
  const [py] = await oracle.runMany([prog]);
  const js = runProgram(prog);
  console.log(describeDifference({ index, prog, py, js }));
  console.log(`class: ${differenceClass(py, js) ?? 'same on both'}`);
  oracle.close();
} else if (flag('triage')) {
  // Every differing program, shrunk, grouped by class and by the known differences it still matches.
  const res = await runDifferential(oracle, { seed, start, count, exclude, keep: Number(arg('keep', '1000000')) });
  const groups = new Map();
  for (const [cls, { examples }] of res.classes) {
    for (const ex of examples) {
      const prog = await minimize(ex.prog, cls, oracle);
      const ids = matchingDifferences(prog).map((k) => k.id).join(',') || 'NONE';
      const key = `${cls} [${ids}]`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { n: 0, best: null }));
      g.n++;
      const size = prog.ops.filter((op) => op[0] !== 'nop').length;
      if (g.best === null || size < g.best.size) g.best = { size, index: ex.index, prog };
    }
  }
  const total = [...res.classes.values()].reduce((s, c) => s + c.count, 0);
  console.log(`triage: seed ${seed}, ${count} programs, ${total} differ, ${groups.size} groups (class [known differences the shrunk program matches])`);
  const out = [];
  for (const [key, g] of [...groups].sort((a, b) => (a[0].includes('[NONE]') ? 0 : 1) - (b[0].includes('[NONE]') ? 0 : 1) || b[1].n - a[1].n)) {
    const [py] = await oracle.runMany([g.best.prog]);
    const js = runProgram(g.best.prog);
    console.log(`\n=== ${key}: ${g.n} programs`);
    console.log(describeDifference({ index: g.best.index, prog: g.best.prog, py, js }));
    out.push({ key, count: g.n, index: g.best.index, minimal: g.best.prog, py, js, python: render(g.best.prog, 'py'), ts: render(g.best.prog, 'ts') });
  }
  const json = arg('json', null);
  if (json) writeFileSync(json, JSON.stringify({ seed, start, count, differ: total, groups: out }, null, 1));
  oracle.close();
} else {
  const t0 = Date.now();
  let last = 0;
  const res = await runDifferential(oracle, {
    seed,
    start,
    count,
    exclude,
    keep,
    onProgress: (done) => {
      if (Date.now() - last > 10000) {
        last = Date.now();
        console.error(`  ${done}/${count} programs (${Math.round((Date.now() - t0) / 1000)} s)`);
      }
    },
  });
  const total = [...res.classes.values()].reduce((s, c) => s + c.count, 0);
  console.log(`seed ${seed}, programs ${start}..${start + count - 1}: ${res.programs} programs, ${total} differ, ${res.classes.size} classes (${Math.round((Date.now() - t0) / 1000)} s)`);
  console.log(`left out (known differences): ${exclude.map((k) => k.id).join(', ') || 'none'}`);
  const out = [];
  for (const [cls, { count: n, examples }] of [...res.classes].sort((a, b) => b[1].count - a[1].count)) {
    console.log(`\n=== ${cls}: ${n} programs (e.g. #${examples.map((e) => e.index).join(', #')})`);
    const ex = flag('no-minimize') ? examples[0] : await minimalExample(oracle, cls, examples);
    console.log(describeDifference(ex));
    out.push({ class: cls, count: n, indexes: examples.map((e) => e.index), minimal: ex.prog, py: ex.py, js: ex.js, python: render(ex.prog, 'py'), ts: render(ex.prog, 'ts') });
  }
  const json = arg('json', null);
  if (json) writeFileSync(json, JSON.stringify({ seed, start, count, differ: total, classes: out }, null, 1));
  oracle.close();
  process.exitCode = total === 0 ? 0 : 1;
}
