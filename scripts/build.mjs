// Build: one CommonJS copy of the code (dist/cjs, compiled by tsc) and thin ES module
// wrappers over it (dist/esm), so `import` and `require` share one set of module instances
// (the reactor, the tasklet scheduler and the log observers exist once per process).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});

const require = createRequire(import.meta.url);
const modules = readdirSync(join(root, 'lib'), { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(join(root, 'lib', e.name, 'index.ts')))
  .map((e) => e.name);
const entries = ['index', ...modules.map((m) => `${m}/index`)];

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
for (const m of modules) {
  if (!pkg.exports[`./${m}`]) throw new Error(`build: lib/${m} has no "./${m}" entry in package.json exports`);
}

for (const entry of entries) {
  const cjsFile = join(dist, 'cjs', `${entry}.js`);
  if (!existsSync(cjsFile)) continue;
  const names = Object.keys(require(cjsFile)).filter((n) => n !== '__esModule' && n !== 'default');
  const depth = entry.split('/').length - 1;
  const up = depth === 0 ? './' : '../'.repeat(depth);
  const target = `${up}../cjs/${entry}.js`;
  const out = join(dist, 'esm', `${entry}.mjs`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `// ES module face of ${entry}: re-exports the one CommonJS copy of the code.\n` +
      `import mod from '${target}';\n` +
      (names.length ? `export const { ${names.join(', ')} } = mod;\n` : ''),
  );
  writeFileSync(join(dist, 'esm', `${entry}.d.mts`), `export * from '${target}';\n`);
}
console.log(`build: ${entries.length} entries -> dist/cjs + dist/esm`);
