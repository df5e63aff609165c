// Run by `prestart` and `pretest`: on a fresh clone, install the dev tools from the lock file
// (`npm ci`) before the demo or the specs need them; when they are there, return at once.
// Dependency-free on purpose: it runs before anything is installed.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = join(root, 'package-lock.json');
// npm ci writes this file; the stamp beside it records which lock file it installed.
const installed = join(root, 'node_modules', '.package-lock.json');
const stamp = join(root, 'node_modules', '.twistless-lock-hash');

const wanted = createHash('sha256').update(readFileSync(lock)).digest('hex');
const tools = ['typescript/bin/tsc', 'tsx/dist/cli.mjs', 'mocha/bin/mocha.js', 'eslint/bin/eslint.js'];
const toolsThere = tools.every((t) => existsSync(join(root, 'node_modules', t)));
const current = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : null;

// A tree installed by hand (`npm ci` run before this script existed) has the tools but no stamp:
// trust it and stamp it rather than reinstalling.
if (toolsThere && existsSync(installed) && (current === wanted || current === null)) {
  if (current === null) writeFileSync(stamp, `${wanted}\n`);
  process.exit(0);
}

console.error('twistless: installing the dev dependencies from package-lock.json (npm ci) ...');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
try {
  execFileSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
} catch (error) {
  console.error(`twistless: npm ci failed (${error instanceof Error ? error.message : String(error)}).`);
  console.error('Run `npm ci` by hand to see why, then run the command again.');
  process.exit(1);
}
writeFileSync(stamp, `${wanted}\n`);
