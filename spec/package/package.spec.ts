// The package as users get it: build, `npm pack`, install the tarball by its name into a scratch
// folder, then load it with `require` and with `import` in ONE process and prove both give the
// same module instances (one copy of the code, so process-wide state exists once). publint and
// attw (@arethetypeswrong/cli) must find nothing wrong with the packed tarball. The networking
// subpaths are checked one by one, and objects made through one are used through another.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');
const scratch = join(root, '.tmp', 'package');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
const subpaths = Object.keys(pkg.exports).filter((k) => k !== './package.json');
// The networking subpaths: each must load with import and require, and share state with the others.
const networking = ['protocol', 'address', 'error', 'basic', 'policies', 'endpoints', 'testing', 'utils', 'threads', 'ssl'];
const rootKeeps: Record<string, string[]> = { './error': ['TimeoutError'] };
const npmCli = process.env.npm_execpath && process.env.npm_execpath.endsWith('.js') ? process.env.npm_execpath : undefined;

async function npm(args: string[], cwd: string): Promise<string> {
  const { stdout } = npmCli
    ? await run(process.execPath, [npmCli, ...args], { cwd, maxBuffer: 1 << 24 })
    : await run('npm', args, { cwd, maxBuffer: 1 << 24 });
  return stdout;
}

describe('the packed package', function () {
  this.timeout(240000);
  let tarball = '';

  before(async function () {
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(scratch, { recursive: true });
    await npm(['pack', '--silent', '--pack-destination', scratch], root);
    tarball = join(scratch, readdirSync(scratch).find((f) => f.endsWith('.tgz'))!);
    const app = join(scratch, 'app');
    mkdirSync(join(app, 'node_modules', 'twistless'), { recursive: true });
    await run('tar', ['-xzf', tarball, '-C', join(app, 'node_modules', 'twistless'), '--strip-components=1']);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'commonjs' }));
  });

  it('holds dist, the README, the LICENSE and the CHANGELOG, and no sources or specs', async function () {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.split('\n').filter(Boolean);
    for (const f of ['package/package.json', 'package/README.md', 'package/LICENSE', 'package/CHANGELOG.md', 'package/dist/cjs/index.js', 'package/dist/esm/index.mjs']) {
      expect(files, f).to.include(f);
    }
    expect(files.filter((f) => /^package\/(lib|spec|bench)\//.test(f))).to.deep.equal([]);
  });

  it('ships source maps that carry their sources (the package holds no lib/*.ts to point to)', function () {
    const dir = join(scratch, 'app', 'node_modules', 'twistless', 'dist', 'cjs');
    const maps = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.js.map'));
    expect(maps.length).to.be.greaterThan(10);
    for (const m of maps) {
      const map = JSON.parse(readFileSync(join(dir, m), 'utf8')) as { sources: string[]; sourcesContent?: unknown[] };
      expect(map.sourcesContent, m).to.be.an('array').with.lengthOf(map.sources.length);
      for (const content of map.sourcesContent!) expect(content, m).to.be.a('string').and.not.equal('');
    }
  });

  it('ships .d.ts files without the internals (stripInternal drops what is tagged @internal)', function () {
    const dir = join(scratch, 'app', 'node_modules', 'twistless', 'dist', 'cjs');
    const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
    expect(read('defer/deferred.d.ts')).to.not.match(/\b(_cbs|_add|_runCallbacks|_called)\b/);
    expect(read('channelProcessor/index.d.ts')).to.not.match(/\b(_wrapper|NO_KWARGS)\b/);
    expect(read('channelProcessor/channelProcessor.d.ts')).to.not.match(/\b(_wrapper|NO_KWARGS)\b/);
    expect(read('tasklets/tasklet.d.ts')).to.not.match(/\b(_res|takeOverWakeUp|waitsOnPromise)\b/);
  });

  it('ships .d.ts files that type-check on their own: nothing stripped as @internal is still named by a public declaration', async function () {
    const app = join(scratch, 'app');
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { noEmit: true, skipLibCheck: false, strict: true, module: 'node16', moduleResolution: 'node16', target: 'es2022', types: ['node'], typeRoots: [join(root, 'node_modules', '@types')] },
        include: ['node_modules/twistless/dist/**/*.d.ts', 'node_modules/twistless/dist/**/*.d.mts'],
      }),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const { stdout } = await run(process.execPath, [tsc, '-p', join(app, 'tsconfig.json')], { cwd: app, maxBuffer: 1 << 24 }).catch((e: { stdout: string }) => e);
    expect(stdout.trim()).to.equal('');
  });

  // The module, names its index must export, how many .d.ts files and declarations at least, and the `_` names that are public API.
  const sealed: [string, string[], number, number, string[]][] = [
    ['tasklets', ['Tasklet', 'schedule', 'Channel', 'blockOn', 'DeadlockError'], 15, 20, []],
    ['channelProcessor', ['ChannelProcessor', 'channelProcessor', 'WorkerChannelProcessor'], 6, 8, ['_cp']],
  ];
  for (const [module, mustExport, minFiles, minDeclared, publicUnderscored] of sealed) {
    it(`ships the ${module} .d.ts files with nothing but the public face: every declared name is one ${module}/index.d.ts exports, and no \`_\` internal outside comments`, function () {
      const dir = join(scratch, 'app', 'node_modules', 'twistless', 'dist', 'cjs', module);
      const code = (f: string): string =>
        readFileSync(join(dir, f), 'utf8')
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/\/\/.*$/gm, '');
      const index = code('index.d.ts');
      const publicNames = new Set([...index.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((m) => m[1].split(',').map((n) => n.trim())).filter(Boolean));
      expect(publicNames).to.include.members(mustExport);
      const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.d.ts') && f !== 'index.d.ts');
      expect(files.length).to.be.greaterThan(minFiles);
      const declared: string[] = [];
      for (const f of files) {
        let text = code(f);
        for (const name of publicUnderscored) text = text.split(name).join('');
        expect(text, f).to.not.match(/(^|[^\w$'"`])_[A-Za-z]\w*/m);
        for (const m of text.matchAll(/^export (?:declare )?(?:abstract )?(?:function|const|let|class|interface|type|enum) (\w+)/gm)) declared.push(`${f}: ${m[1]}`);
      }
      expect(declared.filter((d) => !publicNames.has(d.split(': ')[1]))).to.deep.equal([]);
      expect(declared.length).to.be.greaterThan(minDeclared);
    });
  }

  it('ships the defer .d.ts files without any `_` internal outside comments, and without the private cancelledToTimedOutError', function () {
    const dir = join(scratch, 'app', 'node_modules', 'twistless', 'dist', 'cjs', 'defer');
    const files = readdirSync(dir).filter((f) => f.endsWith('.d.ts'));
    expect(files.length).to.be.greaterThan(10);
    for (const f of files) {
      // Declarations only: doc comments may name Twisted's private names (`_ConcurrencyPrimitive`).
      const code = readFileSync(join(dir, f), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      expect(code, f).to.not.match(/(^|[^\w$'"`])_[A-Za-z]\w*/m);
      expect(code, f).to.not.match(/\bcancelledToTimedOutError\b/);
    }
  });

  it('require and import give the same module instances, at the root and every subpath', async function () {
    const app = join(scratch, 'app');
    const script = `
      const assert = require('node:assert');
      (async () => {
        const subpaths = ${JSON.stringify(subpaths)};
        // Names the root takes from another module on purpose (error's TimeoutError: the root's is defer's).
        const rootKeeps = ${JSON.stringify(rootKeeps)};
        const rootCjs = require('twistless');
        const rootEsm = await import('twistless');
        let checked = 0;
        for (const sp of subpaths) {
          const name = sp === '.' ? 'twistless' : 'twistless/' + sp.slice(2);
          const cjs = require(name);
          const esm = await import(name);
          const names = Object.keys(cjs).filter((n) => n !== '__esModule');
          assert.ok(names.length > 0, name + ' exports nothing');
          for (const n of names) {
            assert.strictEqual(esm[n], cjs[n], name + ': import and require disagree on ' + n);
            if (sp !== '.' && n in rootCjs && !(rootKeeps[sp] || []).includes(n)) assert.strictEqual(rootCjs[n], cjs[n], 'root and ' + name + ' disagree on ' + n);
            checked++;
          }
        }
        assert.strictEqual(rootEsm.Deferred, rootCjs.Deferred);
        const d = new rootCjs.Deferred();
        assert.ok(d instanceof rootEsm.Deferred, 'instanceof Deferred fails across import and require');
        if (rootCjs.reactor) assert.strictEqual((await import('twistless/reactor')).reactor, require('twistless/reactor').reactor);
        console.log(checked);
      })().catch((e) => { console.error(e); process.exit(1); });
    `;
    writeFileSync(join(app, 'check.cjs'), script);
    const { stdout } = await run(process.execPath, ['check.cjs'], { cwd: app });
    expect(Number(stdout.trim())).to.be.greaterThan(subpaths.length);
  });

  it('exports the networking subpaths for import and require, with types, and they share one copy of state', async function () {
    const full = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      exports: Record<string, { import: { types: string; default: string }; require: { types: string; default: string } }>;
      typesVersions: { '*': Record<string, string[]> };
    };
    const { stdout: listing } = await run('tar', ['-tzf', tarball]);
    const files = new Set(listing.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, './')));
    for (const m of networking) {
      const entry = full.exports[`./${m}`];
      expect(entry, `exports["./${m}"]`).to.not.equal(undefined);
      for (const target of [entry.import.types, entry.import.default, entry.require.types, entry.require.default]) {
        expect(files.has(target), `${m}: ${target} is in the tarball`).to.equal(true);
      }
      expect(full.typesVersions['*'][m], `typesVersions ${m}`).to.deep.equal([entry.require.types]);
    }
    const app = join(scratch, 'app');
    // Objects made through one subpath (and one module system) are used through another: each
    // check fails if a subpath had its own copy of a class, a brand or the reactor.
    const script = `
      const assert = require('node:assert');
      (async () => {
        const esm = {}, cjs = {};
        for (const m of ${JSON.stringify(networking)}.concat(['failure', 'defer', 'reactor', 'task'])) {
          cjs[m] = require('twistless/' + m);
          esm[m] = await import('twistless/' + m);
        }
        const rootEsm = await import('twistless');
        // testing (require) builds addresses that address (import) recognises.
        assert.ok(new cjs.testing.StringTransport().getPeer() instanceof esm.address.IPv4Address, 'StringTransport address');
        // basic (require) and policies (import) sit on the one protocol module.
        assert.ok(new cjs.basic.LineReceiver() instanceof esm.protocol.Protocol, 'LineReceiver is a Protocol');
        assert.ok(new cjs.testing.AccumulatingProtocol() instanceof esm.protocol.Protocol, 'AccumulatingProtocol is a Protocol');
        for (const name of Object.keys(cjs.policies)) assert.strictEqual(esm.policies[name], cjs.policies[name], 'policies ' + name);
        // A transport's Failure is one Failure class, with one error class, whichever way loaded.
        const p = new esm.testing.AccumulatingProtocol();
        const t = new cjs.testing.StringTransportWithDisconnection({ protocol: p });
        p.makeConnection(t);
        t.loseConnection();
        assert.ok(esm.failure.Failure.prototype.isPrototypeOf(p.closedReason), 'closedReason is a Failure');
        assert.strictEqual(p.closedReason.check(cjs.error.ConnectionDone), cjs.error.ConnectionDone, 'ConnectionDone');
        assert.ok(p.closedReason.value instanceof rootEsm.ConnectionDone, 'root ConnectionDone');
        // A string write is refused with protocol's one DataNotBytesError.
        assert.throws(() => t.write('text'), esm.protocol.DataNotBytesError);
        // One reactor, with the I/O methods, through every door.
        assert.strictEqual(cjs.reactor.reactor, esm.reactor.reactor);
        assert.strictEqual(rootEsm.reactor, cjs.reactor.reactor);
        for (const m of ['listenTCP', 'connectTCP', 'listenUNIX', 'connectUNIX']) assert.strictEqual(typeof cjs.reactor.reactor[m], 'function', m);
        // An endpoint (import) listening on a MemoryReactorClock (require) records there, and the
        // Deferred it returns is the one Deferred class.
        const reactor = new cjs.testing.MemoryReactorClock();
        const endpoint = esm.endpoints.serverFromString(reactor, 'tcp:8080');
        const listening = endpoint.listen(cjs.protocol.Factory.forProtocol(esm.protocol.Protocol));
        assert.ok(cjs.defer.Deferred.prototype.isPrototypeOf(listening), 'listen() gives a Deferred');
        assert.strictEqual(reactor.tcpServers.length, 1, 'listenTCP recorded');
        assert.strictEqual(reactor.tcpServers[0][0], 8080);
        assert.ok(reactor instanceof esm.task.Clock && reactor instanceof esm.testing.MemoryReactor, 'MemoryReactorClock bases');
        console.log('ok');
      })().catch((e) => { console.error(e); process.exit(1); });
    `;
    writeFileSync(join(app, 'networking.cjs'), script);
    const { stdout } = await run(process.execPath, ['networking.cjs'], { cwd: app });
    expect(stdout.trim()).to.equal('ok');
  });

  it('loads whichever built tasklets file comes first, with require and with import: the main tasklet is there and the scheduler runs', async function () {
    const app = join(scratch, 'app');
    const dir = join(app, 'node_modules', 'twistless', 'dist', 'cjs', 'tasklets');
    const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.js')).map((f) => f.split('\\').join('/'));
    expect(files).to.include.members(['tasklet.js', 'operations.js', 'scheduler/state.js', 'scheduler/ring.js', 'scheduler/switch.js']);
    // After the first file, the public face: one main tasklet of the one Tasklet class, and a
    // tasklet, a channel, schedule() and the automatic turn (a setImmediate from main) all work.
    const check = `
      const assert = require('node:assert');
      module.exports = (t) => {
        const main = t.getmain();
        assert.ok(main instanceof t.Tasklet && main.isMain && t.getcurrent() === main, 'main tasklet');
        const ch = t.channel();
        const got = [];
        t.tasklet(async () => { got.push(await ch.receive()); }).setup();
        t.tasklet(async () => { await ch.send(1); await t.schedule(); got.push(2); }).setup();
        return new Promise((resolve) => setImmediate(resolve)).then(() => t.run()).then(() => {
          assert.deepStrictEqual(got, [1, 2]);
          console.log('ok');
        });
      };
    `;
    writeFileSync(join(app, 'firstFileCheck.cjs'), check);
    const runs = files.flatMap((f) => {
      const path = JSON.stringify(join(dir, f));
      return [
        `require(${path}); require('./firstFileCheck.cjs')(require('twistless/tasklets')).catch((e) => { console.error(e); process.exit(1); });`,
        `import(require('node:url').pathToFileURL(${path}).href).then(() => import('twistless/tasklets')).then((t) => require('./firstFileCheck.cjs')(t)).catch((e) => { console.error(e); process.exit(1); });`,
      ].map((code) => ({ f, code }));
    });
    const out = await Promise.all(runs.map(({ f, code }) => run(process.execPath, ['-e', code], { cwd: app }).then((r) => `${f}: ${r.stdout.trim()}`, (e: Error) => `${f}: ${e.message}`)));
    expect(out).to.deep.equal(runs.map(({ f }) => `${f}: ok`));
  });

  it('passes publint', async function () {
    const { stdout } = await run(process.execPath, [join(root, 'node_modules/publint/src/cli.js'), '--strict', join(scratch, 'app', 'node_modules', 'twistless')], { cwd: root });
    expect(stdout).to.not.match(/Errors?:|Warnings?:/);
  });

  it('passes attw --pack for ESM and CommonJS (node10, node16-cjs, node16-esm, bundler)', async function () {
    const bin = join(root, 'node_modules/@arethetypeswrong/cli/dist/index.js');
    const { stdout } = await run(process.execPath, [bin, tarball, '--format', 'ascii'], { cwd: root });
    expect(stdout).to.match(/No problems found/);
  });
});
