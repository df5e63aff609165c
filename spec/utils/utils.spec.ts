// Port of twisted/test/test_iutils.py ProcessUtilsTests (Twisted 22.4): getProcessOutput,
// getProcessValue and getProcessOutputAndValue on real children (process.execPath running small
// scripts written to a temporary folder). SuppressWarningsTests is not ported: JavaScript has no
// warnings filters for runWithWarningsSuppressed to change.
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Deferred } from '../../lib/defer/index.js';
import { InvalidProcessArgumentError, ProcessDone } from '../../lib/error/index.js';
import type { Failure } from '../../lib/failure/index.js';
import type { IProcessProtocol, SpawnProcessOptions } from '../../lib/protocol/index.js';
import { reactor } from '../../lib/reactor/index.js';
import { getProcessOutput, getProcessOutputAndValue, getProcessValue, UnexpectedErrorOutput } from '../../lib/utils/index.js';

const exe = process.execPath;

/** Resolve a Deferred's failure (or throw if it succeeds). */
function failureOf<T>(d: Deferred<T>): Promise<Failure> {
  return new Promise((resolve, reject) => {
    d.addCallbacks(
      (v) => reject(new Error(`expected a failure, got ${String(v)}`)),
      (f: Failure) => resolve(f),
    );
  });
}

describe('ProcessUtilsTests', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twistless-iutils-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function makeSourceFile(lines: string[]): string {
    const script = path.join(dir, `s${Math.random().toString(36).slice(2)}.mjs`);
    fs.writeFileSync(script, lines.join('\n') + '\n');
    return script;
  }

  it('test_output: getProcessOutput fires with the whole stdout once the child has exited', async () => {
    const script = makeSourceFile(["import { writeSync } from 'node:fs';", "for (const c of 'hello world\\n') writeSync(1, c);"]);
    const out = await getProcessOutput(exe, [script]);
    expect(out.toString()).to.equal('hello world\n');
  });

  it('test_outputWithErrorIgnored: output on stderr fails it with UnexpectedErrorOutput (an IOError in Twisted), whose processEnded fails with ProcessDone', async () => {
    const script = makeSourceFile(["process.stderr.write('hello world\\n');"]);
    const f = await failureOf(getProcessOutput(exe, [script]));
    expect(f.value).to.be.instanceOf(UnexpectedErrorOutput);
    const e = f.value as UnexpectedErrorOutput;
    expect(e.message).to.equal("got stderr: b'hello world\\n'");
    const ended = await failureOf(e.processEnded);
    expect(ended.value).to.be.instanceOf(ProcessDone);
  });

  it('test_outputWithErrorCollected: errortoo collects stderr with stdout', async () => {
    const script = makeSourceFile(["import { writeSync } from 'node:fs';", "writeSync(1, 'foo');", "writeSync(2, 'foo');"]);
    const out = await getProcessOutput(exe, [script], { errortoo: true });
    expect(out.toString()).to.equal('foofoo');
  });

  it('test_value: getProcessValue fires with the exit code', async () => {
    const script = makeSourceFile(['process.exit(1);']);
    expect(await getProcessValue(exe, [script])).to.equal(1);
  });

  it('test_outputAndValue: getProcessOutputAndValue fires with [stdout, stderr, exitCode]', async () => {
    const script = makeSourceFile(["import { writeSync } from 'node:fs';", "writeSync(1, 'hello world!\\n');", "writeSync(2, 'goodbye world!\\n');", 'process.exit(1);']);
    const [out, err, code] = await getProcessOutputAndValue(exe, [script]);
    expect(out.toString()).to.equal('hello world!\n');
    expect(err.toString()).to.equal('goodbye world!\n');
    expect(code).to.equal(1);
  });

  it('test_outputSignal: a child killed by a signal fails it with a Failure of [stdout, stderr, signalNumber]', async () => {
    const script = makeSourceFile([
      "import { writeSync } from 'node:fs';",
      "writeSync(1, 'stdout bytes\\n');",
      "writeSync(2, 'stderr bytes\\n');",
      "process.kill(process.pid, 'SIGKILL');",
    ]);
    const f = await failureOf(getProcessOutputAndValue(exe, [script]));
    expect(Array.isArray(f.value)).to.equal(true);
    const [out, err, sig] = f.value as [Buffer, Buffer, number];
    expect(out.toString()).to.equal('stdout bytes\n');
    expect(err.toString()).to.equal('stderr bytes\n');
    expect(sig).to.equal(os.constants.signals.SIGKILL);
  });

  const cwdScript = ["import { writeSync } from 'node:fs';", 'writeSync(1, process.cwd());'];

  it('test_getProcessOutputPath: path is the child\'s working directory', async () => {
    const out = await getProcessOutput(exe, [makeSourceFile(cwdScript)], { path: dir });
    expect(out.toString()).to.equal(fs.realpathSync(dir));
  });

  it('test_getProcessValuePath: path is the child\'s working directory (the script checks it)', async () => {
    const script = makeSourceFile([`process.exit(process.cwd() === ${JSON.stringify(fs.realpathSync(dir))} ? 0 : 1);`]);
    expect(await getProcessValue(exe, [script], { path: dir })).to.equal(0);
  });

  it('test_getProcessOutputAndValuePath: path is the child\'s working directory', async () => {
    const [out, , status] = await getProcessOutputAndValue(exe, [makeSourceFile(cwdScript)], { path: dir });
    expect(out.toString()).to.equal(fs.realpathSync(dir));
    expect(status).to.equal(0);
  });

  it('test_getProcessOutputDefaultPath / test_getProcessValueDefaultPath / test_getProcessOutputAndValueDefaultPath: without path the child runs in this process\'s directory', async () => {
    const script = makeSourceFile(cwdScript);
    expect((await getProcessOutput(exe, [script])).toString()).to.equal(process.cwd());
    const [out] = await getProcessOutputAndValue(exe, [script]);
    expect(out.toString()).to.equal(process.cwd());
    const check = makeSourceFile([`process.exit(process.cwd() === ${JSON.stringify(process.cwd())} ? 0 : 1);`]);
    expect(await getProcessValue(exe, [check])).to.equal(0);
  });

  it('test_get_processOutputAndValueStdin: stdinBytes are written to the child\'s stdin, which is then closed', async () => {
    const script = makeSourceFile(["import { readFileSync, writeSync } from 'node:fs';", 'writeSync(1, readFileSync(0));']);
    const stdinBytes = Buffer.from('These are the bytes to see.');
    const [out, , code] = await getProcessOutputAndValue(exe, [script], { stdinBytes });
    expect(out.includes(stdinBytes)).to.equal(true);
    expect(code).to.equal(0);
  });

  it('the child gets an EMPTY environment unless env is given, as in Twisted; env: null inherits', async () => {
    const script = makeSourceFile(["import { writeSync } from 'node:fs';", "writeSync(1, Object.keys(process.env).join(','));"]);
    expect((await getProcessOutput(exe, [script])).toString()).to.equal('');
    expect((await getProcessOutput(exe, [script], { env: { A: '1' } })).toString()).to.equal('A');
    expect((await getProcessOutput(exe, [script], { env: null })).toString()).to.include('PATH');
  });

  it('the executable is argv[0]; a reactor option is used instead of the global one', async () => {
    const calls: [string, readonly string[] | undefined, SpawnProcessOptions | undefined][] = [];
    const fake = {
      spawnProcess(pp: IProcessProtocol, executable: string, args?: readonly string[], options?: SpawnProcessOptions) {
        calls.push([executable, args, options]);
        return reactor.spawnProcess(pp, executable, args, options);
      },
    };
    expect(await getProcessValue('/bin/sh', ['-c', 'exit 4'], { reactor: fake, path: '/' })).to.equal(4);
    expect(calls).to.deep.equal([['/bin/sh', ['/bin/sh', '-c', 'exit 4'], { env: {}, path: '/' }]]);
  });

  it('a missing executable: getProcessValue fires with 1 and getProcessOutput fails on the stderr message, as Twisted\'s', async () => {
    expect(await getProcessValue('/no/such/program')).to.equal(1);
    const f = await failureOf(getProcessOutput('/no/such/program'));
    expect(f.value).to.be.instanceOf(UnexpectedErrorOutput);
    expect((f.value as Error).message).to.match(/ENOENT/);
    await failureOf((f.value as UnexpectedErrorOutput).processEnded);
  });

  it('bad input throws InvalidProcessArgumentError: args not an array, an unknown option', () => {
    expect(() => getProcessOutput(exe, 'x' as never)).to.throw(InvalidProcessArgumentError, /array/);
    expect(() => getProcessValue(exe, [], { cwd: '/' } as never)).to.throw(InvalidProcessArgumentError, /unknown option "cwd"/);
    expect(() => getProcessOutputAndValue(1 as never)).to.throw(InvalidProcessArgumentError, /executable/);
  });
});
