// Comments that stay true: every spec, doc or source path that a comment in lib/ names exists in
// the repository, and nothing the project ships or tests points to files outside it (a reader of
// the package, or of a clone, has only what is here).
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..');

function filesUnder(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !pattern.test(entry.name)) continue;
    const path = relative(root, join(entry.parentPath, entry.name));
    if (!path.split('/').includes('node_modules')) out.push(path);
  }
  return out.sort();
}

/** The comment text of a TypeScript file: line comments and block comments, strings left out. */
function comments(source: string): string[] {
  const found: string[] = [];
  const re = /\/\/[^\n]*|\/\*[\s\S]*?\*\//g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(source)) !== null) found.push(m[0]);
  return found;
}

// A path a comment names: something under spec/, docs/, lib/, examples/, bench/ or scripts/.
const NAMED_PATH = /\b((?:spec|docs|lib|examples|bench|scripts)\/[A-Za-z0-9_./-]*[A-Za-z0-9_-]\.(?:ts|md|mjs|py|json|txt))\b/g;

describe('comments and docs that stay true', function () {
  it('every spec, doc or source path named in a lib/ comment exists', function () {
    const missing: string[] = [];
    for (const file of filesUnder('lib', /\.ts$/)) {
      for (const comment of comments(readFileSync(join(root, file), 'utf8'))) {
        for (const m of comment.matchAll(NAMED_PATH)) {
          if (!existsSync(join(root, m[1]!))) missing.push(`${file}: ${m[1]}`);
        }
      }
    }
    expect(missing).to.deep.equal([]);
  });

  it('nothing in lib, spec, docs, examples, bench or scripts points outside the repository', function () {
    // The research notes behind the project are not part of it; say the behaviour, or point to docs/.
    const outside = /\/work\/|shared\/reference|\b(?:stackless|twisted|internet|api|design|style)\.md\b/;
    const offenders: string[] = [];
    for (const dir of ['lib', 'spec', 'docs', 'examples', 'bench', 'scripts']) {
      for (const file of filesUnder(dir, /\.(?:ts|mts|mjs|js|md|py)$/)) {
        if (file === 'spec/docs/comments.spec.ts') continue;
        readFileSync(join(root, file), 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (outside.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
          });
      }
    }
    for (const file of ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md']) {
      readFileSync(join(root, file), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (outside.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).to.deep.equal([]);
  });
});
