// `npm run bench [filter]`: runs every bench/<module>.ts and prints ns/op with the ratios to the
// baselines measured in the same run. The optional filter keeps groups whose name contains it.
// A bench file may also export `reports`: measurements that are not times (memory, say).
//
// Each bench file runs in a Node process of its own (this script again, with `--file`), one
// after the other: a case's figure must not depend on which other modules' cases ran before it.
// In one shared process, the sockets of bench/internet.ts left the Clock's cases of
// bench/reactor.ts 1.5-3x slower (docs/performance.md, "Round four: one process per bench file").
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runGroups, type BenchGroup, type BenchReport } from './harness.js';

/** Run the groups and reports of one bench file, in this process. */
async function runFile(f: string, filter: string | undefined): Promise<void> {
  const mod = (await import(join(__dirname, f))) as { groups?: BenchGroup[]; reports?: BenchReport[] };
  if (!mod.groups && !mod.reports) return;
  console.log(`\n=== bench/${f} ===`);
  if (mod.groups) await runGroups(mod.groups, filter);
  for (const r of mod.reports ?? []) {
    if (filter && !r.name.toLowerCase().includes(filter.toLowerCase())) continue;
    console.log(`\n${r.name}\n  ${(await r.run()).split('\n').join('\n  ')}`);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--file');
  if (at >= 0) {
    const file = args[at + 1];
    args.splice(at, 2);
    await runFile(file, args[0]);
    return;
  }
  const filter = args[0];
  const files = readdirSync(__dirname)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts') && !/^(index|harness)\.(ts|js)$/.test(f))
    .sort();
  console.log(`twistless benchmarks on Node ${process.version} (${process.arch}); ns per operation, median of runs`);
  console.log(`(running ${__filename.endsWith('.js') ? 'the tsc build in .tmp/bench-build' : 'from source through tsx'}; one process per bench file)`);
  for (const f of files) {
    // The same Node flags (--expose-gc, tsx's loader) for each file's process.
    const child = spawnSync(process.execPath, [...process.execArgv, __filename, '--file', f, ...(filter === undefined ? [] : [filter])], {
      stdio: 'inherit',
    });
    if (child.status !== 0) {
      console.error(`bench/${f} failed (${child.error?.message ?? (child.signal ?? `exit status ${String(child.status)}`)})`);
      process.exitCode = 1;
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
