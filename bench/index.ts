// `npm run bench [filter]`: runs every bench/<module>.ts and prints ns/op with the ratios to the
// baselines measured in the same run. The optional filter keeps groups whose name contains it.
// A bench file may also export `reports`: measurements that are not times (memory, say).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runGroups, type BenchGroup, type BenchReport } from './harness.js';

async function main(): Promise<void> {
  const filter = process.argv[2];
  const files = readdirSync(__dirname)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts') && !/^(index|harness)\.(ts|js)$/.test(f))
    .sort();
  console.log(`twistless benchmarks on Node ${process.version} (${process.arch}); ns per operation, median of runs`);
  console.log(`(running ${__filename.endsWith('.js') ? 'the tsc build in .tmp/bench-build' : 'from source through tsx'})`);
  for (const f of files) {
    const mod = (await import(join(__dirname, f))) as { groups?: BenchGroup[]; reports?: BenchReport[] };
    if (!mod.groups && !mod.reports) continue;
    console.log(`\n=== bench/${f} ===`);
    if (mod.groups) await runGroups(mod.groups, filter);
    for (const r of mod.reports ?? []) {
      if (filter && !r.name.toLowerCase().includes(filter.toLowerCase())) continue;
      console.log(`\n${r.name}\n  ${(await r.run()).split('\n').join('\n  ')}`);
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
