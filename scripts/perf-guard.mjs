// `node scripts/perf-guard.mjs [--no-build] [--runs N] [filter]`: the regression guard of the
// performance targets (docs/performance.md). It runs the key cases of the bench, by their group
// and baseline names, on the tsc build users get, and prints each ratio beside its target.
// Run it by hand, on a quiet machine; it is not a spec and `npm test` does not run it. Each bench
// file's rows run in a Node process of its own, as in `npm run bench`.
// Exit status: 0 when every measured row is at or under its target, 1 otherwise.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.tmp', 'bench-build');

/**
 * The guarded rows (the targets of docs/performance.md). `group` and `baseline` are the start of a bench group's name and
 * of one of its baselines' names; `max` is the highest ratio subject/baseline allowed. A row
 * with `maxNs` instead has an absolute target: the subject's ns per operation. A group marked
 * `paired` in its bench file is measured as the bench measures it: single samples of the subject
 * and the baseline in alternation, the median of the pairs' ratios (bench/harness.ts).
 */
const ROWS = [
  { file: 'deferExtras', group: 'gatherResults of 100,000 fired Deferreds made in the run', baseline: 'Promise.resolve(i) x N, await Promise.all', max: 0.5 },
  { file: 'deferExtras', group: 'DeferredList of 100,000 fired Deferreds', baseline: 'await Promise.all(resolved)', max: 0.5 },
  { file: 'defer', group: 'defer: await of a fired Deferred', baseline: 'native await Promise.resolve(1)', max: 2 },
  { file: 'defer', group: 'defer: await of an unfired Deferred fired a microtask later', baseline: 'native new Promise, resolved from a microtask', max: 1.5 },
  { file: 'deferExtras', group: 'inlineCallbacks: 100,000 yields of fired Deferreds', baseline: 'bare generator driven by a for loop', max: 3 },
  { file: 'defer', group: 'defer: 10,000 nested chained Deferreds', baseline: 'native: ps[i] resolves with ps[i+1]', max: 1 },
  { file: 'defer', group: 'defer: alternating throw/recover chain, 10,000 steps', baseline: 'plain loop: try', max: 1.25 },
  { file: 'deferExtras', group: 'DeferredLock: 100,000 run() queued behind a held lock', baseline: 'promise-chain mutex', max: 2 },
  { file: 'reactor', group: 'reactor.callLater: 100,000 calls due now', baseline: 'setTimeout', max: 1 },
  { file: 'reactor', group: 'reactor.callLater with mixed delays: 100,000 calls over 10 ', baseline: 'setTimeout', max: 1 },
  { file: 'reactor', group: 'reactor.callLater with mixed delays: 100,000 calls over 1,000 ', baseline: 'setTimeout', max: 1 },
  { file: 'reactor', group: "Clock: 100,000 callLater at scrambled times, then one advance", maxNs: 500 },
  { file: 'reactor', group: 'Clock: 100,000 callLater at scrambled times, 100 calls per time', maxNs: 500 },
  { file: 'tasklets', group: 'tasklets: schedule() between two tasklets', baseline: 'bare `await null` loop', max: 1.5 },
  { file: 'channelProcessor', group: 'channelProcessor: call round trip from plain code', baseline: 'bare promise ping-pong', max: 5 },
  { file: 'channelProcessor', group: 'channelProcessor: call round trip from another tasklet', baseline: 'bare promise ping-pong', max: 5 },
];

const args = process.argv.slice(2);
const noBuild = args.includes('--no-build');
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Math.max(1, Number(args[runsAt + 1]) || 1) : 1;
// `--file F`: the rows of bench/F.ts only, in this process (how the guard runs each file).
const fileAt = args.indexOf('--file');
const onlyFile = fileAt >= 0 ? args[fileAt + 1] : undefined;
const filter = args.filter((a, i) => !a.startsWith('--') && (runsAt < 0 || i !== runsAt + 1) && (fileAt < 0 || i !== fileAt + 1))[0];
const wanted = (row) => !filter || row.group.toLowerCase().includes(filter.toLowerCase());

if (!noBuild || !existsSync(join(out, 'bench', 'harness.js'))) {
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.bench.json')], { stdio: 'inherit' });
  cpSync(join(root, 'spec', 'channelProcessor', 'fixtures'), join(out, 'spec', 'channelProcessor', 'fixtures'), { recursive: true });
}

const require = createRequire(import.meta.url);
const { measure, paired, formatNs } = require(join(out, 'bench', 'harness.js'));
const modules = new Map();
function groupsOf(file) {
  if (!modules.has(file)) modules.set(file, require(join(out, 'bench', `${file}.js`)).groups ?? []);
  return modules.get(file);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

if (onlyFile === undefined) {
  // As `npm run bench` does: each bench file's rows in a Node process of its own, so a row's
  // figure does not depend on the rows of other files run before it.
  console.log(`twistless performance guard on Node ${process.version}: median of ${runs} run(s) per row, ratio = twistless / baseline`);
  let over = 0;
  const files = [...new Set(ROWS.filter(wanted).map((row) => row.file))];
  for (const file of files) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--no-build', '--runs', String(runs), '--file', file, ...(filter ? [filter] : [])],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const lines = (child.stdout ?? '').split('\n').filter((l) => l !== '');
    const tally = lines.find((l) => l.startsWith('@@over '));
    for (const l of lines) if (l !== tally) console.log(l);
    if (child.status !== 0 || tally === undefined) {
      console.log(`  FAIL  the rows of bench/${file}.ts did not run (${child.error?.message ?? `exit status ${child.status}`})`);
      over++;
    } else {
      over += Number(tally.slice(7));
    }
  }
  console.log(over === 0 ? 'every measured row is at or under its target' : `${over} row(s) over their target`);
  process.exit(over === 0 ? 0 : 1);
}

let over = 0;
for (const row of ROWS) {
  if (row.file !== onlyFile || !wanted(row)) continue;
  const group = groupsOf(row.file).find((g) => g.name.startsWith(row.group));
  const baseline = group && row.baseline ? group.baselines.find((b) => b.name.startsWith(row.baseline)) : undefined;
  if (!group || (row.baseline && !baseline)) {
    console.log(`  ----  ${('not in bench/' + row.file + '.ts yet').padEnd(34)} ${row.group}`);
    continue;
  }
  // One untimed pass of each case first: a fresh process starts with a small young generation,
  // which grows only after the first collections, and the first case timed would pay for them.
  await measure(group.subject);
  if (baseline) await measure(baseline);
  const values = [];
  for (let i = 0; i < runs; i++) {
    if (group.paired) {
      values.push((await paired(group.subject, baseline)).ratio);
      continue;
    }
    const subject = await measure(group.subject);
    values.push(row.maxNs !== undefined ? subject : subject / (await measure(baseline)));
  }
  const value = median(values);
  const target = row.maxNs !== undefined ? row.maxNs : row.max;
  const ok = value <= target;
  if (!ok) over++;
  const shown = row.maxNs !== undefined ? `${formatNs(value)}/op (target <= ${formatNs(target)})` : `${value.toFixed(2)}x (target <= ${target}x)`;
  const spread = runs > 1 ? `  [${values.map((v) => (row.maxNs !== undefined ? formatNs(v) : v.toFixed(2))).join(', ')}]` : '';
  console.log(`  ${ok ? 'ok  ' : 'OVER'}  ${shown.padEnd(34)} ${group.name}${row.baseline ? ` / ${baseline.name}` : ''}${spread}`);
}
console.log(`@@over ${over}`);
