// The layout of lib/tasklets (CONTRIBUTING.md): no file of lib/tasklets reaches itself through
// run-time imports (the scheduler's mutual recursion goes through the late-bound slots of
// scheduler/state.ts), and the state imports nothing of the module. Only imports that exist at run
// time count (`import type` is erased).
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const dir = join(__dirname, '..', '..', 'lib', 'tasklets');

/** The lib/tasklets files (relative to it, without .ts) that `file` imports at run time. */
function valueImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(join(dir, `${file}.ts`), 'utf8'), ts.ScriptTarget.ES2022);
  const found: string[] = [];
  for (const node of source.statements) {
    if (!ts.isImportDeclaration(node) || !ts.isStringLiteral(node.moduleSpecifier)) continue;
    const clause = node.importClause;
    if (clause?.isTypeOnly) continue;
    const bindings = clause?.namedBindings;
    if (clause?.name === undefined && bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.every((e) => e.isTypeOnly)) continue;
    if (!node.moduleSpecifier.text.startsWith('.')) continue;
    const target = relative(dir, resolve(dirname(join(dir, file)), node.moduleSpecifier.text)).replace(/\.js$/, '');
    if (!target.startsWith('..')) found.push(target.split('\\').join('/'));
  }
  return found;
}

/** The strongly connected components of the import graph with more than one file (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1) out.push(scc.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out.sort((a, b) => a.length - b.length);
}

describe('TaskletsLayout', function () {
  const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => f.split('\\').join('/').replace(/\.ts$/, ''));
  const graph = new Map(files.map((f) => [f, valueImports(f)]));

  it('import_cycles: no two files of lib/tasklets import one another, directly or through others', function () {
    expect(files).to.include.members(['tasklet', 'operations', 'scheduler/state', 'scheduler/switch', 'scheduler/lifecycle', 'stepBody']);
    expect(cycles(graph)).to.deep.equal([]);
  });

  it('cycles: the scan finds a cycle in a graph that has one', function () {
    const g = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
    expect(cycles(g)).to.deep.equal([['a', 'b', 'c']]);
  });

  it('state_imports_nothing_of_the_scheduler: the process-wide state loads first, whatever file is loaded first', function () {
    expect(graph.get('scheduler/state')).to.deep.equal([]);
  });

  it('value_imports: the scan sees value imports and skips type-only ones', function () {
    expect(valueImports('operations')).to.include('tasklet');
    expect(valueImports('tasklet')).to.include('scheduler/switch').and.not.include('stepBody');
    expect(valueImports('scheduler/state')).to.not.include('tasklet');
  });
});
