// `npm run bench [filter]`: compile lib/ and bench/ with tsc (the same CommonJS output the package
// ships, not a dev-time transform), then run the benchmarks from that build with --expose-gc.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.tmp', 'bench-build');
rmSync(out, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.bench.json')], {
  stdio: 'inherit',
});
// Fixtures the benches load at run time (worker-thread actions), beside the compiled files.
cpSync(join(root, 'spec', 'channelProcessor', 'fixtures'), join(out, 'spec', 'channelProcessor', 'fixtures'), {
  recursive: true,
});
execFileSync(process.execPath, ['--expose-gc', join(out, 'bench', 'index.js'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
