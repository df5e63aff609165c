// Port of twisted/internet/test/test_process.py (Twisted 22.4): ProcessTestsBuilderBase and
// ProcessTestsBuilder, on real children (process.execPath running spec/fixtures/process/*.cjs,
// /bin/sh, /bin/cat, true, false); plus the twistless decisions (empty environment, argv0,
// failed exec, usePTY, bad input, reactor.stop()).
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Failure } from '../../lib/failure/index.js';
import {
  InvalidProcessArgumentError,
  NoSuchChildFDError,
  ProcessDone,
  ProcessExitedAlready,
  ProcessTerminated,
  PTYNotSupportedError,
  UnknownSignalError,
} from '../../lib/error/index.js';
import { ProcessProtocol } from '../../lib/protocol/index.js';
import { Reactor, reactor } from '../../lib/reactor/index.js';
import { getProcessOutputAndValue } from '../../lib/utils/index.js';
import { LogCapture } from '../reactor/logCapture.js';
import { Children, fixture, NODE, RecordingPP, sleep, typeName } from './processHelpers.js';

describe('ProcessTestsBuilderBase', () => {
  let children: Children;
  let log: LogCapture;
  beforeEach(() => {
    children = new Children();
    log = new LogCapture().start();
  });
  afterEach(async () => {
    await children.cleanup();
    log.stop();
  });

  it('test_processTransportInterface: spawnProcess connects the protocol to a transport with the IProcessTransport methods', async () => {
    const pp = new RecordingPP();
    const t = children.spawn(pp, 'true', ['true']);
    for (const m of ['write', 'writeSequence', 'loseConnection', 'getHost', 'getPeer', 'closeStdin', 'closeStdout', 'closeStderr', 'closeChildFD', 'writeToChild', 'signalProcess']) {
      expect(typeof (t as unknown as Record<string, unknown>)[m], m).to.equal('function');
    }
    expect(pp.transport).to.equal(t);
    await pp.ended;
  });

  it('test_write: write() sends the bytes to the child\'s standard input', async () => {
    const pp = new RecordingPP();
    const t = children.spawn(pp, '/bin/cat', ['cat']);
    t.write(Buffer.from('hello, world'));
    t.closeStdin();
    await pp.ended;
    expect(pp.stdout()).to.equal('hello, world');
  });

  it('test_writeSequence: writeSequence() sends the chunks, in order, to standard input', async () => {
    const pp = new RecordingPP();
    const t = children.spawn(pp, '/bin/cat', ['cat']);
    t.writeSequence([Buffer.from('hello, '), Buffer.from('world')]);
    t.closeStdin();
    await pp.ended;
    expect(pp.stdout()).to.equal('hello, world');
  });

  it('test_writeToChild: writeToChild(fd, data) writes to that child descriptor (given as \'w\' in childFDs)', async () => {
    const pp = new RecordingPP();
    const t = children.spawn(pp, NODE, ['node', fixture('readfd3.mjs')], { childFDs: { 0: 'w', 1: 'r', 2: 'r', 3: 'w' } });
    t.writeToChild(3, Buffer.from('from fd 3'));
    t.closeChildFD(3);
    await pp.ended;
    expect(pp.stdout()).to.equal('from fd 3');
  });

  it('test_writeToChildBadFileDescriptor: writeToChild on a descriptor spawnProcess did not set up throws NoSuchChildFDError (Twisted: KeyError)', async () => {
    const pp = new RecordingPP();
    const t = children.spawn(pp, '/bin/cat', ['cat']);
    expect(() => t.writeToChild(3, Buffer.from('x'))).to.throw(NoSuchChildFDError, /descriptor 3/);
    expect(() => t.writeToChild(1, Buffer.from('x'))).to.throw(NoSuchChildFDError);
    t.closeStdin();
    await pp.ended;
    expect(() => t.writeToChild(0, Buffer.from('x'))).to.throw(NoSuchChildFDError);
  });

  it('test_spawnProcessEarlyIsReaped: a child started before the reactor runs, which exits, is reaped and ends', async () => {
    const r = new Reactor();
    const pp = new RecordingPP();
    r.spawnProcess(pp, 'true', ['true']);
    expect(r.running).to.equal(false);
    const reason = await pp.ended;
    expect(typeName(reason)).to.equal('ProcessDone');
  });

  it('test_processExitedWithSignal: a child killed by a signal exits with ProcessTerminated (exitCode null, signal the number)', async () => {
    const pp = new RecordingPP();
    const t = children.spawn(pp, NODE, ['node', fixture('block.mjs')]);
    await pp.waitForOutput('ready');
    t.signalProcess('KILL');
    const exited = await pp.exitedP;
    expect(exited.value).to.be.instanceOf(ProcessTerminated);
    const v = exited.value as ProcessTerminated;
    expect(v.exitCode).to.equal(null);
    expect(v.signal).to.equal(os.constants.signals.SIGKILL);
    expect(v.status).to.equal(os.constants.signals.SIGKILL);
    await pp.ended;
  });

  it('test_openFileDescriptors: the child has stdin, stdout and stderr open, and none of the parent\'s other descriptors', async () => {
    const pp = new RecordingPP();
    const extra = fs.openSync(__filename, 'r'); // the parent holds an extra descriptor
    try {
      children.spawn(pp, '/bin/sh', ['sh', '-c', 'ls /proc/self/fd']);
      await pp.ended;
    } finally {
      fs.closeSync(extra);
    }
    const fds = pp.stdout().trim().split(/\s+/).map(Number).sort((a, b) => a - b);
    expect(fds.slice(0, 3)).to.deep.equal([0, 1, 2]);
    // Node marks every descriptor it opens close-on-exec, so the parent's file never reaches the
    // child (Twisted closes every descriptor; one this process inherited without close-on-exec
    // would pass through here).
    expect(fds).to.not.include(extra);
  });

  it('test_errorDuringExec (twistless decision): a missing executable writes why on stderr and ends with ProcessTerminated(exitCode=1), as Twisted\'s child does', async () => {
    const pp = new RecordingPP();
    const t = children.spawn(pp, '/no/such/binary', ['/no/such/binary']);
    expect(pp.events).to.deep.equal(['connectionMade']);
    const reason = await pp.ended;
    expect(pp.stderr()).to.match(/^Upon execvpe \/no\/such\/binary \['\/no\/such\/binary'\] in environment: .*ENOENT/);
    expect(pp.events).to.deep.equal(['connectionMade', 'err', 'lost 0', 'lost 1', 'lost 2', 'processExited ProcessTerminated', 'processEnded ProcessTerminated']);
    const v = reason.value as ProcessTerminated;
    expect([v.exitCode, v.signal, v.status]).to.deep.equal([1, null, 256]);
    expect(t.pid).to.equal(null);
    expect(() => t.signalProcess('TERM')).to.throw(ProcessExitedAlready);
  });

  it('test_errorDuringExec (a failure Node throws at once, E2BIG): spawnProcess still returns; the writes are dropped and the child "exits 1" on a later turn', async () => {
    const pp = new RecordingPP();
    const t = children.spawn(pp, '/bin/echo', ['echo', 'x'.repeat(200000)]);
    expect(pp.events).to.deep.equal(['connectionMade']);
    expect(t.pid).to.equal(null);
    t.write(Buffer.from('dropped'));
    t.closeStdin();
    t.registerProducer({ resumeProducing() {}, stopProducing() {} }, false);
    const reason = await pp.ended;
    expect(pp.stderr()).to.match(/E2BIG/);
    expect(pp.events).to.deep.equal(['connectionMade', 'err', 'lost 0', 'lost 1', 'lost 2', 'processExited ProcessTerminated', 'processEnded ProcessTerminated']);
    expect((reason.value as ProcessTerminated).exitCode).to.equal(1);
  });

  it('test_timelyProcessExited: processExited comes as soon as the child exits', async () => {
    const pp = new RecordingPP();
    children.spawn(pp, 'true', ['true']);
    const reason = await Promise.race([pp.exitedP, sleep(10000).then(() => null)]);
    expect(reason).to.not.equal(null);
    expect(typeName(reason!)).to.equal('ProcessDone');
  });

  it('test_changeUID / test_changeGID: uid and gid are passed to the child (as root); as another user the exec fails like a missing executable (exit code 1)', async function () {
    const pp = new RecordingPP();
    const uid = process.getuid!();
    const gid = process.getgid!();
    children.spawn(pp, '/bin/sh', ['sh', '-c', 'echo $(id -u) $(id -g)'], { uid: uid === 0 ? 1 : uid, gid: uid === 0 ? 1 : gid });
    const reason = await pp.ended;
    if (uid === 0) {
      expect(pp.stdout().trim()).to.equal('1 1');
      expect(typeName(reason)).to.equal('ProcessDone');
    } else {
      expect(typeName(reason)).to.be.oneOf(['ProcessDone', 'ProcessTerminated']);
    }
  });

  it('test_processExitedRaises: an exception in processExited is logged, and processEnded still comes', async () => {
    class Raiser extends RecordingPP {
      override processExited(reason: Failure): void {
        super.processExited(reason);
        throw new Error('processExited boom');
      }
    }
    const pp = new Raiser();
    children.spawn(pp, 'true', ['true']);
    await pp.ended;
    const errs = log.errors(Error).filter((e) => (e.failure!.value as Error).message === 'processExited boom');
    expect(errs).to.have.lengthOf(1);
  });
});

describe('ProcessTestsBuilder', () => {
  let children: Children;
  beforeEach(() => {
    children = new Children();
  });
  afterEach(() => children.cleanup());

  it('test_childConnectionLost: childConnectionLost is called each time a child descriptor closes', async () => {
    const pp = new RecordingPP();
    const t = children.spawn(pp, NODE, ['node', fixture('closefds.mjs')]);
    const waitLost = async (fd: number): Promise<void> => {
      while (!pp.events.includes(`lost ${fd}`)) await sleep(5);
    };
    t.write(Buffer.from('2\n'));
    await waitLost(2);
    expect(pp.events).to.not.include('lost 1');
    t.write(Buffer.from('1\n'));
    await waitLost(1);
    t.write(Buffer.from('\n'));
    await pp.ended;
    expect(pp.events.filter((e) => e.startsWith('lost'))).to.deep.equal(['lost 2', 'lost 1', 'lost 0']);
  });

  it('test_processEnded: processEnded comes after the exit and after childConnectionLost for every descriptor', async () => {
    const pp = new RecordingPP();
    const t = children.spawn(pp, '/bin/sh', ['sh', '-c', 'echo out; echo err >&2; exit 0']);
    t.closeStdin();
    await pp.ended;
    const ev = pp.events;
    expect(ev[ev.length - 1]).to.equal('processEnded ProcessDone');
    for (const fd of [0, 1, 2]) expect(ev.indexOf(`lost ${fd}`)).to.be.greaterThan(-1).and.lessThan(ev.length - 1);
    expect(ev.indexOf('processExited ProcessDone')).to.be.lessThan(ev.length - 1);
  });

  it('test_processExited: processExited comes when the child exits even though a grandchild keeps its stdout open; the rest follows loseConnection()', async () => {
    class Waiter extends RecordingPP {
      override processExited(reason: Failure): void {
        super.processExited(reason);
        this.transport!.loseConnection();
      }
    }
    const pp = new Waiter();
    children.spawn(pp, NODE, ['node', fixture('grandchild.mjs')]);
    const exited = await pp.exitedP;
    expect(typeName(exited)).to.equal('ProcessDone');
    // Node closes the child's stdin pipe when the child exits (Twisted keeps it while a grandchild holds it).
    expect(pp.events.filter((e) => e.startsWith('lost'))).to.deep.equal(['lost 0']);
    await pp.ended;
    expect(pp.events.filter((e) => e.startsWith('lost')).sort()).to.deep.equal(['lost 0', 'lost 1', 'lost 2']);
  });

  it('test_shebang: an executable script with a #! line runs with that interpreter', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twistless-shebang-'));
    try {
      const script = path.join(dir, 'script');
      fs.writeFileSync(script, `#!${NODE}\nprocess.stdout.write('shebang works')\n`, { mode: 0o755 });
      const pp = new RecordingPP();
      children.spawn(pp, script, [script]);
      const reason = await pp.ended;
      expect(typeName(reason)).to.equal('ProcessDone');
      expect(pp.stdout()).to.equal('shebang works');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('test_pauseAndResumeProducing: pausing stops reading the output (the process does not end meanwhile); resuming delivers it and the end', async () => {
    const pp = new RecordingPP();
    const t = children.spawn(pp, '/bin/sh', ['sh', '-c', 'echo paused-output']);
    t.pauseProducing();
    await pp.exitedP;
    await sleep(50);
    expect(pp.stdout()).to.equal('');
    expect(pp.events).to.not.include('processEnded ProcessDone');
    t.resumeProducing();
    await pp.ended;
    expect(pp.stdout()).to.equal('paused-output\n');
  });

  it('test_processCommandLineArguments: arguments reach the child exactly as given (quotes, spaces, shell metacharacters, every non-NUL byte)', async () => {
    let allChars = '';
    for (let i = 1; i < 255; i++) allChars += String.fromCharCode(i);
    const args = ['hello', '"', ' \t|<>^&', '"\\\\"hello\\\\"', '"foo\\ bar baz\\""', allChars];
    const [out, , code] = await getProcessOutputAndValue(NODE, ['-e', 'process.stdout.write(process.argv.slice(1).join("\\0") + "\\0")', ...args]);
    expect(code).to.equal(0);
    const got = out.toString('utf8').split('\0');
    got.pop();
    expect(got).to.deep.equal(args);
  });

  it('test_process_unregistered_before_protocol_ended_callback: the process is no longer tracked (pid null, reactor.stop() will not touch it) when processEnded runs', async () => {
    let seen: unknown = 'unset';
    class Checker extends RecordingPP {
      override processEnded(reason: Failure): void {
        seen = this.transport!.pid;
        super.processEnded(reason);
      }
    }
    const pp = new Checker();
    children.spawn(pp, 'true', ['true']);
    await pp.ended;
    expect(seen).to.equal(null);
  });
});

describe('spawnProcess (twistless decisions)', () => {
  let children: Children;
  beforeEach(() => {
    children = new Children();
  });
  afterEach(() => children.cleanup());

  it('env defaults to an EMPTY environment, as in Twisted (Node inherits by default); null inherits; an object is the whole environment', async () => {
    const empty = new RecordingPP();
    children.spawn(empty, NODE, ['node', fixture('env.mjs')]);
    await empty.ended;
    expect(empty.stdout()).to.equal('');
    const inherit = new RecordingPP();
    children.spawn(inherit, NODE, ['node', fixture('env.mjs')], { env: null });
    await inherit.ended;
    expect(inherit.stdout().split('\n')).to.include('PATH');
    const given = new RecordingPP();
    children.spawn(given, NODE, ['node', fixture('env.mjs')], { env: { ONLY: 'me' } });
    await given.ended;
    expect(given.stdout()).to.equal('ONLY');
  });

  it('args[0] is the child\'s argv[0]; the executable is looked up on the child\'s PATH even with an empty environment', async () => {
    const pp = new RecordingPP();
    children.spawn(pp, NODE, ['my-name', fixture('cmdline.mjs'), 'a b', 'c']);
    await pp.ended;
    expect(pp.stdout()).to.equal('my-name\na b\nc\n');
    const sh = new RecordingPP();
    children.spawn(sh, 'sh', ['renamed', '-c', 'echo $0']);
    await sh.ended;
    expect(sh.stdout()).to.equal('renamed\n');
  });

  it('path is the child\'s working directory', async () => {
    const pp = new RecordingPP();
    const dir = fs.realpathSync(os.tmpdir());
    children.spawn(pp, '/bin/sh', ['sh', '-c', 'pwd'], { path: dir });
    await pp.ended;
    expect(pp.stdout().trim()).to.equal(dir);
  });

  it('exit codes and the wait status: exit 0 -> ProcessDone(status 0); exit 3 -> ProcessTerminated(3, null, 768)', async () => {
    const ok = new RecordingPP();
    children.spawn(ok, 'true', ['true']);
    const r0 = await ok.ended;
    expect(r0.value).to.be.instanceOf(ProcessDone);
    expect((r0.value as ProcessDone).status).to.equal(0);
    expect(String((r0.value as Error).message)).to.equal('A process has ended without apparent errors: process finished with exit code 0.');
    const three = new RecordingPP();
    children.spawn(three, '/bin/sh', ['sh', '-c', 'exit 3']);
    const r3 = await three.ended;
    const v = r3.value as ProcessTerminated;
    expect([v.exitCode, v.signal, v.status]).to.deep.equal([3, null, 768]);
    expect(v.message).to.equal('A process has ended with a probable error condition: process ended with exit code 3.');
  });

  it('the event order of a stdin -> stdout child matches Twisted\'s: connectionMade, inConnectionLost, output, the output descriptors, processExited, processEnded', async () => {
    const pp = new RecordingPP();
    const t = children.spawn(pp, '/bin/cat', ['cat']);
    t.write(Buffer.from('abc'));
    t.closeStdin();
    await pp.ended;
    expect(pp.events[0]).to.equal('connectionMade');
    expect(pp.events[1]).to.equal('lost 0');
    expect(pp.events[2]).to.equal('out');
    expect(pp.events.slice(3, 5).sort()).to.deep.equal(['lost 1', 'lost 2']);
    expect(pp.events.slice(5)).to.deep.equal(['processExited ProcessDone', 'processEnded ProcessDone']);
  });

  it('childFDs: an extra \'r\' descriptor is read with childDataReceived(3, data); a number passes a parent descriptor', async () => {
    const pp = new RecordingPP();
    children.spawn(pp, NODE, ['node', fixture('fd3.mjs')], { childFDs: { 0: 'w', 1: 'r', 2: 'r', 3: 'r' } });
    await pp.ended;
    expect(Buffer.concat(pp.fds.get(3)!).toString()).to.equal('fd3!');
    expect(pp.stdout()).to.equal('out!');
    expect(pp.events).to.include('lost 3');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twistless-fds-'));
    const file = path.join(dir, 'out.txt');
    const fd = fs.openSync(file, 'w');
    try {
      const pp2 = new RecordingPP();
      children.spawn(pp2, '/bin/sh', ['sh', '-c', 'echo to-file'], { childFDs: { 0: 'w', 1: fd, 2: 'r' } });
      await pp2.ended;
      expect(fs.readFileSync(file, 'utf8')).to.equal('to-file\n');
      expect(pp2.events).to.not.include('lost 1');
    } finally {
      fs.closeSync(fd);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('pid is a number while the child runs and null once it exited', async () => {
    const pp = new RecordingPP();
    const t = children.spawn(pp, NODE, ['node', fixture('block.mjs')]);
    expect(t.pid).to.be.a('number');
    await pp.waitForOutput('ready');
    t.signalProcess('TERM');
    await pp.exitedP;
    expect(t.pid).to.equal(null);
    await pp.ended;
  });

  it('signalProcess takes Twisted\'s names without SIG and numbers; another name throws UnknownSignalError; after the exit ProcessExitedAlready', async () => {
    const pp = new RecordingPP();
    const t = children.spawn(pp, NODE, ['node', fixture('block.mjs')]);
    await pp.waitForOutput('ready');
    expect(() => t.signalProcess('SIGTERM' as never)).to.throw(UnknownSignalError, /without SIG/);
    expect(() => t.signalProcess('USR1' as never)).to.throw(UnknownSignalError);
    t.signalProcess(0); // probes only
    t.signalProcess(os.constants.signals.SIGTERM);
    const r = await pp.ended;
    expect((r.value as ProcessTerminated).signal).to.equal(15);
    expect((r.value as ProcessTerminated).message).to.equal('A process has ended with a probable error condition: process ended by signal 15.');
    expect(() => t.signalProcess('KILL')).to.throw(ProcessExitedAlready);
    expect(() => t.signalProcess(9)).to.throw(ProcessExitedAlready);
  });

  it('usePTY is refused with PTYNotSupportedError (no PTY in Node\'s core); nothing is spawned', () => {
    const pp = new RecordingPP();
    expect(() => reactor.spawnProcess(pp, '/bin/sh', ['sh'], { usePTY: true })).to.throw(PTYNotSupportedError, /usePTY/);
    expect(pp.events).to.deep.equal([]);
  });

  it('bad input throws InvalidProcessArgumentError before anything starts: a non-string executable, argument or env value, a NUL byte, a bad childFDs target, an unknown option', () => {
    const pp = new RecordingPP();
    expect(() => reactor.spawnProcess(pp, 1 as never, ['x'])).to.throw(InvalidProcessArgumentError, /executable/);
    expect(() => reactor.spawnProcess(pp, 'true', ['true', 2 as never])).to.throw(InvalidProcessArgumentError, /args\[1\]/);
    expect(() => reactor.spawnProcess(pp, 'true', 'true' as never)).to.throw(InvalidProcessArgumentError, /array/);
    expect(() => reactor.spawnProcess(pp, 'true', ['true'], { env: { A: 1 as never } })).to.throw(InvalidProcessArgumentError, /env\["A"\]/);
    expect(() => reactor.spawnProcess(pp, 'true', ['tr\0ue'])).to.throw(InvalidProcessArgumentError, /NUL/);
    expect(() => reactor.spawnProcess(pp, 'true', ['true'], { childFDs: { 0: 'x' as never } })).to.throw(InvalidProcessArgumentError, /childFDs\[0\]/);
    expect(() => reactor.spawnProcess(pp, 'true', ['true'], { cwd: '/' } as never)).to.throw(InvalidProcessArgumentError, /unknown option "cwd"/);
    expect(() => reactor.spawnProcess(pp, 'true', ['true'], { uid: -1 })).to.throw(InvalidProcessArgumentError, /uid/);
    expect(pp.events).to.deep.equal([]);
  });

  it('write() after closeStdin() and writes with no stdin are dropped silently, as Twisted does; a string is refused', async () => {
    const pp = new RecordingPP();
    const t = children.spawn(pp, '/bin/cat', ['cat'], { childFDs: { 1: 'r', 2: 'r' } });
    t.write(Buffer.from('nowhere'));
    t.writeSequence([Buffer.from('nowhere')]);
    expect(() => t.write('text' as never)).to.throw(TypeError);
    await pp.ended;
    const pp2 = new RecordingPP();
    const t2 = children.spawn(pp2, '/bin/cat', ['cat']);
    t2.write(Buffer.from('a'));
    t2.closeStdin();
    t2.write(Buffer.from('b'));
    await pp2.ended;
    expect(pp2.stdout()).to.equal('a');
  });

  it('closeStdout/closeStderr/closeChildFD of a descriptor that is not open are no-ops; each close runs childConnectionLost once', async () => {
    const pp = new RecordingPP();
    const t = children.spawn(pp, '/bin/cat', ['cat']);
    t.closeChildFD(7);
    t.closeStdout();
    t.closeStdout();
    t.closeStderr();
    t.closeStdin();
    await pp.ended;
    expect(pp.events.filter((e) => e === 'lost 1')).to.have.lengthOf(1);
    expect(pp.events.filter((e) => e === 'lost 2')).to.have.lengthOf(1);
  });

  it('an exception in childDataReceived is logged and loses that descriptor; the process still ends', async () => {
    const log = new LogCapture().start();
    try {
      class Bad extends RecordingPP {
        override outReceived(): void {
          throw new Error('outReceived boom');
        }
      }
      const pp = new Bad();
      children.spawn(pp, '/bin/sh', ['sh', '-c', 'echo x']);
      await pp.ended;
      expect(log.errors(Error).map((e) => (e.failure!.value as Error).message)).to.include('outReceived boom');
      expect(pp.events).to.include('lost 1');
    } finally {
      log.stop();
    }
  });

  it('an exception in processEnded is logged and the process is still forgotten', async () => {
    const log = new LogCapture().start();
    try {
      class Bad extends RecordingPP {
        override processEnded(reason: Failure): void {
          super.processEnded(reason);
          throw new Error('processEnded boom');
        }
      }
      const pp = new Bad();
      const t = children.spawn(pp, 'true', ['true']);
      await pp.ended;
      expect(log.errors(Error).map((e) => (e.failure!.value as Error).message)).to.include('processEnded boom');
      expect(t.pid).to.equal(null);
    } finally {
      log.stop();
    }
  });

  it('reactor.stop() closes the pipes (childConnectionLost for each) but does not kill the child, as in Twisted; its exit is still reported', async () => {
    const r = new Reactor();
    const pp = new RecordingPP();
    const t = r.spawnProcess(pp, NODE, ['node', fixture('block.mjs')]);
    children.spawned.push({ t, pp });
    await pp.waitForOutput('ready');
    const stopped = r.run();
    r.stop();
    await stopped;
    expect(pp.events.filter((e) => e.startsWith('lost')).sort()).to.deep.equal(['lost 0', 'lost 1', 'lost 2']);
    expect(t.pid).to.be.a('number');
    expect(pp.events.join()).to.not.include('process');
    t.signalProcess('KILL');
    const reason = await pp.ended;
    expect((reason.value as ProcessTerminated).signal).to.equal(9);
  });

  it('a ProcessProtocol subclass that overrides nothing runs a child to its end', async () => {
    const pp = new ProcessProtocol();
    const ended = new Promise<Failure>((resolve) => {
      pp.processEnded = resolve;
    });
    reactor.spawnProcess(pp, '/bin/sh', ['sh', '-c', 'echo ignored; echo ignored >&2']);
    expect(typeName(await ended)).to.equal('ProcessDone');
  });
});
