// The layout of lib/defer (CONTRIBUTING.md): no import circle through the defer, failure or internal
// files, counting only imports that exist at run time (`import type` is erased); and the same
// for every file of lib/.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const lib = join(__dirname, '..', '..', 'lib');

/** Every .ts file under lib/, by path relative to lib/. */
function libFiles(): string[] {
  return (readdirSync(lib, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => f.split('\\').join('/'));
}

/** The lib/ files that `file` imports at run time. */
function runtimeImports(file: string): string[] {
  const text = readFileSync(join(lib, file), 'utf8');
  const out: string[] = [];
  const re = /^(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?'(\.[^']+)';/gm;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[1] !== undefined) continue;
    // `import { type A, type B } from` is erased too.
    const names = /\{([^}]*)\}/.exec(m[0]);
    if (names !== null && names[1].split(',').every((n) => n.trim() === '' || n.trim().startsWith('type '))) continue;
    out.push(relative(lib, resolve(dirname(join(lib, file)), m[2].replace(/\.js$/, '.ts'))).split('\\').join('/'));
  }
  return out;
}

/** A cycle of run-time imports through `start`, or null. */
function cycleFrom(start: string, graph: Map<string, string[]>): string[] | null {
  const path: string[] = [];
  const done = new Set<string>();
  const visit = (f: string): string[] | null => {
    const at = path.indexOf(f);
    if (at >= 0) return path.slice(at).concat(f);
    if (done.has(f)) return null;
    path.push(f);
    for (const g of graph.get(f) ?? []) {
      const c = visit(g);
      if (c !== null) return c;
    }
    path.pop();
    done.add(f);
    return null;
  };
  return visit(start);
}

describe('DeferLayout', function () {
  it('no_import_circle: no file of lib/defer, lib/failure or lib/internal reaches itself through run-time imports', function () {
    const files = libFiles();
    const graph = new Map(files.map((f) => [f, runtimeImports(f)]));
    const mine = files.filter((f) => /^(defer|failure|internal)\//.test(f));
    expect(mine.length).to.be.greaterThan(20);
    for (const f of mine) expect(cycleFrom(f, graph), f).to.equal(null);
  });

  it('runtime_imports: the scan sees a file\'s value imports and skips its type-only ones', function () {
    const deps = runtimeImports('defer/callbackLoop.ts');
    expect(deps).to.include('defer/adopt.ts');
    expect(deps).to.include('failure/failure.ts');
    expect(deps).to.not.include('defer/deferred.ts');
    expect(runtimeImports('defer/deferred.ts')).to.include('defer/callbackLoop.ts');
  });
});

describe('LibLayout', function () {
  it('no_import_circle: no file of lib/ reaches itself through run-time imports', function () {
    const files = libFiles();
    const graph = new Map(files.map((f) => [f, runtimeImports(f)]));
    expect(files.length).to.be.greaterThan(150);
    const circles = files.map((f) => cycleFrom(f, graph)).filter((c) => c !== null);
    expect(circles.map((c) => c.join(' -> '))).to.deep.equal([]);
  });
});
