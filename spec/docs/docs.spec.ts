// Runs the examples in README.md and docs/*.md, so the guides cannot rot.
// Convention: every ```ts block is a whole program; it is type-checked against lib/ and run with
// tsx, and it must exit 0. When the next fenced block is ```output, the program's stdout must
// equal it. A block fenced ```ts no-run is a fragment: it is shown only, never checked.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');
const docsDir = join(root, 'docs');
const outDir = join(root, '.tmp', 'docs');

interface Example {
  doc: string;
  line: number;
  code: string;
  output?: string;
  file: string;
}

function extract(doc: string): Example[] {
  const text = readFileSync(doc === 'README.md' ? join(root, doc) : join(docsDir, doc), 'utf8');
  const lines = text.split('\n');
  const blocks: { info: string; line: number; body: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^```(.*)$/.exec(lines[i]);
    if (!m) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    blocks.push({ info: m[1].trim(), line: start + 1, body: body.join('\n') });
  }
  const out: Example[] = [];
  blocks.forEach((b, k) => {
    if (b.info !== 'ts' && b.info !== 'typescript') return;
    const next = blocks[k + 1];
    const base = doc.replace(/\.md$/, '');
    out.push({
      doc,
      line: b.line,
      code: b.body,
      output: next && next.info === 'output' ? next.body : undefined,
      file: join(outDir, `${base}-L${b.line}.ts`),
    });
  });
  return out;
}

const docs = ['README.md', ...readdirSync(docsDir).filter((f) => f.endsWith('.md')).sort()];
const examples = docs.flatMap(extract);

describe('docs examples', function () {
  before(function () {
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    for (const ex of examples) writeFileSync(ex.file, `${ex.code}\nexport {};\n`);
  });

  it('type-check against the library', async function () {
    this.timeout(120000);
    if (examples.length === 0) return;
    const tsconfig = join(outDir, 'tsconfig.json');
    writeFileSync(
      tsconfig,
      JSON.stringify({ extends: '../../tsconfig.json', compilerOptions: { noEmit: true }, include: ['./*.ts'] }),
    );
    try {
      await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', tsconfig], { cwd: root });
    } catch (e) {
      const err = e as { stdout?: string };
      throw new Error(`docs examples do not type-check:\n${err.stdout ?? String(e)}`, { cause: e });
    }
  });

  for (const ex of examples) {
    it(`${ex.doc}:${ex.line} runs${ex.output !== undefined ? ' and prints what the guide says' : ''}`, async function () {
      this.timeout(30000);
      const { stdout } = await run(process.execPath, ['--import', 'tsx', ex.file], { cwd: root });
      if (ex.output !== undefined) expect(stdout.trimEnd()).to.equal(ex.output.trimEnd());
    });
  }
});
