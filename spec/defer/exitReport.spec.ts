// The unhandled-error report at process exit (issue 9, items 6 and 21): each program runs in a
// child process (node with tsx, bounded by a timeout) and its output is checked. Twisted 22.4
// reports these failures at once, when CPython frees the Deferred; V8 may never collect before a
// short program ends, so twistless also reports every failure still unhandled when the process
// exits, once each, through the log observers.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Deferred, succeed } from '../../lib/defer/index.js';

const root = resolve(__dirname, '..', '..');
const lib = (name: string): string => JSON.stringify(pathToFileURL(join(root, 'lib', name, 'index.ts')).href);

let dir = '';

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `body` (TypeScript, with `defer`, `log` and `failure` imported) in a child process. */
function run(body: string, nodeArgs: string[] = []): Promise<Outcome> {
  const file = join(dir, `p${Math.random().toString(36).slice(2)}.ts`);
  writeFileSync(
    file,
    `import * as defer from ${lib('defer')};\nimport * as log from ${lib('log')};\nimport * as failure from ${lib('failure')};\n` +
      'void defer; void log; void failure;\n' +
      body,
  );
  return new Promise((done) => {
    execFile(process.execPath, [...nodeArgs, '--import', 'tsx', file], { cwd: root, timeout: 20000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      done({ code, stdout, stderr });
    });
  });
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe('Unhandled failures at process exit', function () {
  this.timeout(60000);

  before(function () {
    dir = mkdtempSync(join(tmpdir(), 'twistless-exit-'));
  });

  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it('a failed Deferred with no errback is reported at exit in Twisted\'s form, once, and the exit code is kept', async function () {
    const out = await run("defer.fail(new Error('lost at exit'));\n");
    expect(out.code).to.equal(0);
    expect(count(out.stderr, 'Unhandled error in Deferred:')).to.equal(1);
    expect(out.stderr).to.match(/Unhandled error in Deferred:\n\tTraceback \(most recent call last\):/);
    expect(out.stderr).to.contain('Error: lost at exit');
  });

  it('a failure handled later, before exit, is never reported', async function () {
    const out = await run(
      "const d = defer.fail(new Error('handled later'));\n" +
        "setTimeout(() => { d.addErrback(() => null); console.log('handled'); }, 20);\n" +
        "const e = new defer.Deferred(); e.addCallback(() => { throw new Error('also'); }); e.callback(1);\n" +
        'void e.then(undefined, () => null);\n',
    );
    expect(out.stdout).to.equal('handled\n');
    expect(out.stderr).to.equal('');
  });

  it('the report goes through the log observers, with the failure and Twisted\'s why', async function () {
    const out = await run(
      "log.addObserver((e) => { console.log(JSON.stringify([e.isError, e.why, failure.isFailure(e.failure) ? e.failure.getErrorMessage() : null])); });\n" +
        "defer.fail(new RangeError('observed'));\n",
    );
    expect(out.stdout).to.equal('[true,"Unhandled error in Deferred:","observed"]\n');
    expect(out.stderr).to.equal('');
  });

  it('each failure is reported once, after process.exit(n) too, whose code is kept', async function () {
    const out = await run(
      "for (let i = 0; i < 3; i++) defer.fail(new Error('failure ' + i));\n" +
        "defer.fail(new Error('and one more')).addErrback(() => null);\n" +
        'process.exit(3);\n',
    );
    expect(out.code).to.equal(3);
    expect(count(out.stderr, 'Unhandled error in Deferred:')).to.equal(3);
    for (let i = 0; i < 3; i++) expect(count(out.stderr, `Error: failure ${i}`)).to.equal(1);
    expect(out.stderr).not.to.contain('and one more');
  });

  it('a failure reported when its Deferred was garbage-collected is not reported again at exit', async function () {
    const out = await run(
      "(function () { defer.fail(new Error('collected')); })();\n" +
        'const gc = (globalThis as { gc?: () => void }).gc as () => void;\n' +
        "setTimeout(() => { gc(); setTimeout(() => { gc(); console.log('collected'); }, 10); }, 10);\n",
      ['--expose-gc'],
    );
    expect(out.stdout).to.equal('collected\n');
    expect(count(out.stderr, 'Unhandled error in Deferred:')).to.equal(1);
    expect(out.stderr).to.contain('Error: collected');
  });

  it('a failure left in the middle of a chain by a callback and never handled is reported', async function () {
    const out = await run(
      "const d = new defer.Deferred<number>(); d.addCallback(() => { throw new TypeError('in a callback'); }); d.callback(1);\n",
    );
    expect(count(out.stderr, 'Unhandled error in Deferred:')).to.equal(1);
    expect(out.stderr).to.contain('TypeError: in a callback');
  });

  it('a stack overflow in user callbacks ends as a reported failure or a thrown error, never silence', async function () {
    const out = await run(
      'function rec(): defer.Deferred<unknown> { const d = new defer.Deferred(); d.addCallback(() => rec()); d.callback(1); return d; }\n' +
        "try { rec(); console.log('returned'); } catch (e) { console.log('threw', (e as Error).name); }\n",
    );
    expect(out.stdout + out.stderr).to.contain('RangeError');
  });
});

describe('Unhandled failures reached through the fast path (issue 9, item 21)', function () {
  this.timeout(60000);

  before(function () {
    dir = mkdtempSync(join(tmpdir(), 'twistless-exit-'));
  });

  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  // Twisted 22.4 logs "Unhandled error in Deferred:" with the CancelledError for each of these.
  for (const [name, program] of [
    ['unpause(), cancel(), pause(), addCallback(passthru)', 'd.unpause(); d.cancel(); d.pause(); d.addCallback(defer.passthru);'],
    ['unpause(), cancel(), pause(), addCallback(f)', 'd.unpause(); d.cancel(); d.pause(); d.addCallback((x) => x);'],
    ['unpause(), errback(), pause(), addErrback(passthru)', "d.unpause(); d.errback(new defer.CancelledError()); d.pause(); d.addErrback(defer.passthru);"],
    ['pause(), cancel(), unpause()', 'd.pause(); d.cancel(); d.unpause();'],
  ] as const) {
    it(`${name}: the CancelledError is reported as unhandled`, async function () {
      const out = await run(`const d = new defer.Deferred();\n${program}\nconsole.log(String(failure.isFailure(d.result)));\n`);
      expect(out.stdout).to.equal('true\n');
      expect(count(out.stderr, 'Unhandled error in Deferred:')).to.equal(1);
      expect(out.stderr).to.contain('CancelledError');
    });
  }
});

describe('The success path records nothing', function () {
  it('a Deferred that succeeds, fired before or after its callbacks, keeps no unhandled-error record', function () {
    const a = succeed(1).addCallback((x) => x + 1);
    const b = new Deferred<number>();
    b.addCallback((x) => x + 1);
    b.callback(1);
    const c = new Deferred<number>();
    c.addCallback(() => succeed(2));
    c.callback(0);
    for (const d of [a, b, c]) expect((d as unknown as { _debugInfo: unknown })._debugInfo).to.equal(null);
  });
});
