// `npm run bench [filter]`: runs every bench/<module>.ts and prints ns/op with the ratios to the
// baselines measured in the same run. The optional filter keeps groups whose name contains it.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runGroups, type BenchGroup } from './harness.js';

async function main(): Promise<void> {
  const filter = process.argv[2];
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'harness.ts')
    .sort();
  console.log(`twistless benchmarks on Node ${process.version} (${process.arch}); ns per operation, median of runs`);
  for (const f of files) {
    const mod = (await import(join(__dirname, f))) as { groups?: BenchGroup[] };
    if (!mod.groups) continue;
    console.log(`\n=== bench/${f} ===`);
    await runGroups(mod.groups, filter);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
