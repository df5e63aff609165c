// Port of twisted/test/test_process.py (Twisted 22.4): ProcessTests (test_process,
// test_manyProcesses, test_echo, test_commandLine, test_unsetPid), TestTwoProcessesBase
// (test_close), TwoProcessesPosixTests (test_kill), FDTests (test_linger), PosixProcessBase
// (terminations, signals, execution error, processEnded raising) and ClosingPipesTests; the
// process_*.py children are rewritten as spec/fixtures/process/*.mjs.
import { expect } from 'chai';
import * as os from 'node:os';
import type { Failure } from '../../lib/failure/index.js';
import { ProcessExitedAlready, ProcessTerminated } from '../../lib/error/index.js';
import { ProcessProtocol } from '../../lib/protocol/index.js';
import { reactor } from '../../lib/reactor/index.js';
import { LogCapture } from '../reactor/logCapture.js';
import { Children, fixture, NODE, RecordingPP, typeName } from './processHelpers.js';

/** Port of TestProcessProtocol: the staged conversation with tester.mjs, undispatched. */
class StagedPP extends ProcessProtocol {
  stages: number[] = [];
  data = Buffer.alloc(0);
  err = Buffer.alloc(0);
  reason: Failure | null = null;
  ended: Promise<Failure>;
  private resolve!: (f: Failure) => void;
  constructor() {
    super();
    this.ended = new Promise((r) => (this.resolve = r));
  }
  override connectionMade(): void {
    this.stages = [1];
    this.transport!.write(Buffer.from('abcd'));
  }
  override childDataReceived(childFD: number, data: Buffer): void {
    if (childFD === 1) this.data = Buffer.concat([this.data, data]);
    else if (childFD === 2) this.err = Buffer.concat([this.err, data]);
  }
  override childConnectionLost(childFD: number): void {
    if (childFD === 1) {
      this.stages.push(2);
      if (this.data.toString() !== 'abcd') throw new Error(`Data was ${this.data.toString()} instead of 'abcd'`);
      this.transport!.write(Buffer.from('1234'));
    } else if (childFD === 2) {
      this.stages.push(3);
      if (this.err.toString() !== '1234') throw new Error(`Err was ${this.err.toString()} instead of '1234'`);
      this.transport!.write(Buffer.from('abcd'));
      this.stages.push(4);
    } else if (childFD === 0) {
      this.stages.push(5);
    }
  }
  override processEnded(reason: Failure): void {
    this.reason = reason;
    this.resolve(reason);
  }
}

/** Port of EchoProtocol: writes 10 copies of a 7,007-byte block and checks the echo. */
class EchoPP extends ProcessProtocol {
  static readonly s = Buffer.from('1234567'.repeat(1001));
  static readonly n = 10;
  count = 0;
  failure: string | null = null;
  finished = false;
  buffer = Buffer.alloc(0);
  ended: Promise<Failure>;
  private resolve!: (f: Failure) => void;
  constructor() {
    super();
    this.ended = new Promise((r) => (this.resolve = r));
  }
  override connectionMade(): void {
    for (let i = 0; i < EchoPP.n - 2; i++) this.transport!.write(EchoPP.s);
    this.transport!.writeSequence([EchoPP.s, EchoPP.s]);
    this.buffer = Buffer.concat(Array(EchoPP.n).fill(EchoPP.s));
  }
  override outReceived(data: Buffer): void {
    if (!this.buffer.subarray(this.count, this.count + data.length).equals(data)) {
      this.failure = `wrong bytes received at ${this.count}`;
      this.transport!.closeStdin();
    } else {
      this.count += data.length;
      if (this.count === this.buffer.length) this.transport!.closeStdin();
    }
  }
  override processEnded(reason: Failure): void {
    this.finished = true;
    this.resolve(reason);
  }
}

describe('ProcessTests', () => {
  let children: Children;
  beforeEach(() => {
    children = new Children();
  });
  afterEach(() => children.cleanup());

  it('test_process: the staged conversation runs in order (stdout lost, stderr lost, stdin lost), exit code 23, then signalProcess raises ProcessExitedAlready', async () => {
    const p = new StagedPP();
    const t = reactor.spawnProcess(p, NODE, ['node', fixture('tester.mjs')]);
    const reason = await p.ended;
    expect(p.stages).to.deep.equal([1, 2, 3, 4, 5]);
    expect(reason.value).to.be.instanceOf(ProcessTerminated);
    expect((reason.value as ProcessTerminated).exitCode).to.equal(23);
    expect(() => t.signalProcess('INT')).to.throw(ProcessExitedAlready);
  });

  it('test_manyProcesses: several staged children at once all complete their conversation', async () => {
    const ps = Array.from({ length: 6 }, () => new StagedPP());
    for (const p of ps) reactor.spawnProcess(p, NODE, ['node', fixture('tester.mjs')]);
    await Promise.all(ps.map((p) => p.ended));
    for (const p of ps) {
      expect(p.stages).to.deep.equal([1, 2, 3, 4, 5]);
      expect((p.reason!.value as ProcessTerminated).exitCode).to.equal(23);
    }
  });

  it('test_echo: a child echoing stdin to stdout returns every byte of 70 kB, in order', async () => {
    const p = new EchoPP();
    reactor.spawnProcess(p, NODE, ['node', fixture('echo.mjs')]);
    await p.ended;
    expect(p.failure).to.equal(null);
    expect(p.finished).to.equal(true);
    expect(p.count).to.equal(EchoPP.s.length * EchoPP.n);
  });

  it('test_commandLine: arguments with spaces, quotes and backslashes reach the child unchanged', async () => {
    const args = [' a b ', '"\\"', ' \\\\ ', '"a\\\\"', 'b\\\\"c', '\\"', ''];
    const pp = new RecordingPP();
    children.spawn(pp, NODE, ['node', fixture('cmdline.mjs'), ...args]);
    await pp.ended;
    expect(pp.stdout().split('\n').slice(1, -1)).to.deep.equal(args);
  });

  it('test_unsetPid: pid is set while the child runs and null after it ended', async () => {
    const pp = new RecordingPP();
    const t = children.spawn(pp, NODE, ['node', fixture('echo.mjs')]);
    expect(t.pid).to.be.a('number').and.greaterThan(0);
    t.closeStdin();
    await pp.ended;
    expect(t.pid).to.equal(null);
  });
});

describe('TestTwoProcessesBase', () => {
  it('test_close / test_kill: two children end independently, one by closing its stdin, one by a signal', async () => {
    const a = new RecordingPP();
    const b = new RecordingPP();
    const ta = reactor.spawnProcess(a, '/bin/cat', ['cat']);
    const tb = reactor.spawnProcess(b, '/bin/cat', ['cat']);
    ta.closeStdin();
    expect(typeName(await a.ended)).to.equal('ProcessDone');
    expect(tb.pid).to.be.a('number');
    tb.signalProcess('KILL');
    const rb = await b.ended;
    expect((rb.value as ProcessTerminated).signal).to.equal(os.constants.signals.SIGKILL);
  });
});

describe('FDTests', () => {
  it('test_linger: processEnded waits for stderr even after stdout closed and the output arrived', async () => {
    const pp = new RecordingPP();
    reactor.spawnProcess(pp, NODE, ['node', fixture('linger.mjs')]);
    await pp.ended;
    expect(pp.stdout()).to.equal('here is some text\n');
    expect(pp.stderr()).to.equal('goodbye\n');
    expect(pp.events.indexOf('lost 1')).to.be.lessThan(pp.events.indexOf('err'));
  });
});

describe('PosixProcessBase', () => {
  let children: Children;
  beforeEach(() => {
    children = new Children();
  });
  afterEach(() => children.cleanup());

  it('test_normalTermination: `true` ends with ProcessDone, exitCode 0', async () => {
    const pp = new RecordingPP();
    children.spawn(pp, 'true', ['true']);
    const r = await pp.ended;
    expect(typeName(r)).to.equal('ProcessDone');
    expect((r.value as { exitCode: number }).exitCode).to.equal(0);
  });

  it('test_abnormalTermination: `false` ends with ProcessTerminated, exitCode 1, no signal', async () => {
    const pp = new RecordingPP();
    children.spawn(pp, 'false', ['false']);
    const r = await pp.ended;
    const v = r.value as ProcessTerminated;
    expect([typeName(r), v.exitCode, v.signal, v.status]).to.deep.equal(['ProcessTerminated', 1, null, 256]);
  });

  for (const sig of ['HUP', 'INT', 'KILL', 'TERM'] as const) {
    it(`test_signal${sig}: signalProcess('${sig}') ends the child with ProcessTerminated(exitCode null, signal SIG${sig})`, async () => {
      const pp = new RecordingPP();
      const t = children.spawn(pp, NODE, ['node', fixture('block.mjs')]);
      await pp.waitForOutput('ready');
      t.signalProcess(sig);
      const r = await pp.ended;
      const v = r.value as ProcessTerminated;
      const num = (os.constants.signals as Record<string, number>)[`SIG${sig}`];
      expect([v.exitCode, v.signal, v.status]).to.deep.equal([null, num, num]);
      expect(v.message).to.equal(`A process has ended with a probable error condition: process ended by signal ${num}.`);
    });
  }

  it('test_executionError: an executable that cannot be run ends with exit code 1 and the reason on stderr', async () => {
    const pp = new RecordingPP();
    children.spawn(pp, '/etc', ['/etc']);
    const r = await pp.ended;
    expect((r.value as ProcessTerminated).exitCode).to.equal(1);
    expect(pp.stderr()).to.match(/Upon execvpe \/etc/);
  });

  it('test_errorInProcessEnded: an exception in processEnded is logged; the process is forgotten all the same', async () => {
    const log = new LogCapture().start();
    try {
      const pp = new RecordingPP();
      pp.processEnded = (reason: Failure) => {
        RecordingPP.prototype.processEnded.call(pp, reason);
        throw new Error('processEnded raised');
      };
      const t = children.spawn(pp, 'true', ['true']);
      await pp.ended;
      expect(log.errors(Error).some((e) => (e.failure!.value as Error).message === 'processEnded raised')).to.equal(true);
      expect(t.pid).to.equal(null);
      expect(() => t.signalProcess('TERM')).to.throw(ProcessExitedAlready);
    } finally {
      log.stop();
    }
  });
});

describe('ClosingPipesTests', () => {
  async function doit(fd: 1 | 2): Promise<RecordingPP> {
    const pp = new RecordingPP();
    const t = reactor.spawnProcess(pp, NODE, ['node', fixture('writeloop.mjs'), String(fd)]);
    if (fd === 1) t.closeStdout();
    else t.closeStderr();
    t.write(Buffer.from('go\n'));
    t.closeStdin();
    const r = await pp.ended;
    // The child must not get past the failed write to its custom exit code.
    expect((r.value as ProcessTerminated).exitCode).to.not.equal(42);
    expect(pp.stdout()).to.equal('');
    return pp;
  }

  it('test_stdout: closeStdout() really closes the pipe: the child\'s next write fails with a broken pipe', async () => {
    const pp = await doit(1);
    expect(pp.stderr()).to.include('EPIPE').and.include('Broken pipe');
  });

  it('test_stderr: closeStderr() really closes the pipe', async () => {
    await doit(2);
  });
});
