// Port of twisted.internet.process.Process (with ProcessReader, ProcessWriter and
// _BaseProcess; Twisted 22.4) and of the posix reactor's spawnProcess, over Node's child_process.
// Covered by spec/internet/process.spec.ts (internet/test/test_process.py) and
// spec/internet/processTests.spec.ts (twisted/test/test_process.py).
//
// How Node's ChildProcess is driven (each line is a Node trap this avoids):
// - the environment defaults to an EMPTY one, as Twisted's spawnProcess does (Node inherits);
// - args[0] is argv[0] (Node takes it apart, as `argv0`);
// - readers use 'readable' + read(), never 'data': Node resumes every flowing-mode stdio stream
//   when the child exits, which would undo pauseProducing();
// - when the child exits, Node destroys its stdin; the writers are lost here first, in Twisted's
//   order (descriptors, then processExited, then processEnded);
// - a failed exec (ENOENT, EACCES, EPERM for uid/gid) is an 'error' event in Node and no child;
//   here it ends as Twisted's does: a message on stderr, every descriptor lost, exit code 1;
// - every call into the protocol is guarded and logged, as Twisted's reactor logs them.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { ProcessAddress } from '../address/process.js';
import { Failure } from '../failure/failure.js';
import * as log from '../log/log.js';
import { CONNECTION_DONE, ProcessExitedAlready } from '../error/errors.js';
import { ConnectionLost, ProcessDone, ProcessTerminated } from '../error/connectionErrors.js';
import { pyRepr } from '../error/pyText.js';
import { NoSuchChildFDError, UnknownSignalError } from '../error/process.js';
import { checkBytes } from '../protocol/errors.js';
import type {
  ChildFDTarget,
  IProcessProtocol,
  IProcessTransport,
  IPullProducer,
  IPushProducer,
  ProcessSignal,
  SpawnProcessOptions,
} from '../protocol/interfaces.js';
import { logFailure, selectablesOf, type IOReactor, type Selectable } from './base.js';
import { ProducerRegisteredError } from './errors.js';
import { checkSpawnArguments } from './spawnArguments.js';

export type { SpawnProcessOptions, ChildFDTarget, ProcessSignal } from '../protocol/interfaces.js';

// The names Twisted's signalProcess translates; any other signal is given by number.
const SIGNAL_NAMES: Readonly<Record<string, number>> = {
  HUP: osConstants.signals.SIGHUP,
  STOP: osConstants.signals.SIGSTOP,
  INT: osConstants.signals.SIGINT,
  KILL: osConstants.signals.SIGKILL,
  TERM: osConstants.signals.SIGTERM,
};

/** The reason a wait status gives: ProcessDone for exit code 0, else ProcessTerminated. Port of `_BaseProcess._getReason`. */
export function reasonForStatus(status: number): ProcessDone | ProcessTerminated {
  const signal = status & 0x7f;
  const exitCode = signal === 0 ? (status >> 8) & 0xff : null;
  if (signal !== 0) return new ProcessTerminated(null, signal, status);
  if (exitCode !== 0) return new ProcessTerminated(exitCode, null, status);
  return new ProcessDone(status);
}

/** The raw wait status of Node's exit event (a signal number, or the exit code shifted left by 8). */
export function waitStatus(code: number | null, signal: NodeJS.Signals | null): number {
  if (signal !== null) return (osConstants.signals as Record<string, number>)[signal] ?? 0;
  return ((code ?? 0) & 0xff) << 8;
}

/** One parent-side end of a child descriptor. Port of `ProcessReader` / `ProcessWriter`. */
class Pipe {
  readonly childFD: number;
  readonly reading: boolean;
  /** The Node stream (null when the exec failed before Node made one). */
  readonly stream: Readable | Writable | null;
  /** loseConnection() was called (a writer ends once its buffer is written). */
  disconnecting: boolean;
  /** connectionLost ran. */
  disconnected: boolean;
  constructor(childFD: number, reading: boolean, stream: Readable | Writable | null) {
    this.childFD = childFD;
    this.reading = reading;
    this.stream = stream;
    this.disconnecting = false;
    this.disconnected = false;
  }
}

/**
 * A running child process as a Twisted process transport: write to its stdin, close its
 * descriptors, signal it, pause and resume reading its output. Returned by `spawnProcess`.
 *
 * Port of `twisted.internet.process.Process`.
 */
export class Process implements IProcessTransport, Selectable {
  /** The child's process id; null once it exited (and when it never started). Port of `Process.pid`. */
  pid: number | null;
  /** The raw wait status once it exited (768 for exit code 3, 15 for SIGTERM), else null. Port of `Process.status`. */
  status: number | null;
  /** The protocol; null once processEnded ran. Port of `Process.proto`. */
  proto: IProcessProtocol | null;
  /** True once the child exited. Port of `_BaseProcess.lostProcess`. */
  lostProcess: boolean;
  /** The reactor the process belongs to. */
  readonly reactor: IOReactor;
  /** @internal the open parent-side pipes by child descriptor. Port of `Process.pipes`. */
  readonly _pipes: Map<number, Pipe>;
  /** @internal Node's child (null when the exec failed synchronously). */
  _child: ChildProcess | null;
  /** @internal reading paused by pauseProducing(). */
  _readPaused: boolean;
  /** @internal the producer registered on stdin. */
  _producer: IPushProducer | IPullProducer | null;
  _streamingProducer: boolean;
  _producerPaused: boolean;
  _execFailed: boolean;

  constructor(reactor: IOReactor, proto: IProcessProtocol) {
    this.pid = null;
    this.status = null;
    this.proto = proto;
    this.lostProcess = false;
    this.reactor = reactor;
    this._pipes = new Map();
    this._child = null;
    this._readPaused = false;
    this._producer = null;
    this._streamingProducer = false;
    this._producerPaused = false;
    this._execFailed = false;
  }

  // ------------------------------------------------------------------ writing

  /**
   * Write to the child's standard input; dropped silently when there is none (or it is closed),
   * as Twisted does. Port of `Process.write`.
   *
   * @param data - the bytes
   * @throws DataNotBytesError when `data` is not bytes
   */
  write(data: Uint8Array): void {
    checkBytes('process.write(data)', data);
    const pipe = this._pipes.get(0);
    if (pipe !== undefined && !pipe.reading) this._writePipe(pipe, data);
  }

  /**
   * Write several chunks to the child's standard input. Port of `Process.writeSequence`.
   *
   * @param data - the chunks
   * @throws DataNotBytesError when any chunk is not bytes
   */
  writeSequence(data: Iterable<Uint8Array>): void {
    const chunks = Array.from(data);
    for (const c of chunks) checkBytes('process.writeSequence(data)', c);
    const pipe = this._pipes.get(0);
    if (pipe !== undefined && !pipe.reading) for (const c of chunks) this._writePipe(pipe, c);
  }

  /**
   * Write to child descriptor `childFD`, which childFDs gave as 'w'. Port of `Process.writeToChild`.
   *
   * @param childFD - the child's descriptor
   * @param data - the bytes
   * @throws NoSuchChildFDError when the parent does not write to that descriptor (or closed it; Twisted: KeyError)
   * @throws DataNotBytesError when `data` is not bytes
   */
  writeToChild(childFD: number, data: Uint8Array): void {
    checkBytes('process.writeToChild(childFD, data)', data);
    const pipe = this._pipes.get(childFD);
    if (pipe === undefined || pipe.reading) throw new NoSuchChildFDError(childFD);
    this._writePipe(pipe, data);
  }

  private _writePipe(pipe: Pipe, data: Uint8Array): void {
    if (pipe.disconnecting || pipe.disconnected || data.length === 0) return;
    const stream = pipe.stream as Writable | null;
    if (stream === null) return; // the exec failed: the pipe is lost on the next turn
    const ok = stream.write(data);
    if (!ok && pipe.childFD === 0 && this._producer !== null && this._streamingProducer && !this._producerPaused) {
      this._producerPaused = true;
      try {
        (this._producer as IPushProducer).pauseProducing();
      } catch (e) {
        logFailure(e, 'while pausing the producer of a process');
      }
    }
  }

  // ------------------------------------------------------------------ closing

  /**
   * Close the parent's end of child descriptor `childFD`: a writer after what is queued is
   * written, a reader at once (its childConnectionLost follows on a later turn). A descriptor that
   * is not open is ignored. Port of `Process.closeChildFD`.
   *
   * @param childFD - the child's descriptor
   */
  closeChildFD(childFD: number): void {
    const pipe = this._pipes.get(childFD);
    if (pipe === undefined || pipe.disconnecting || pipe.disconnected) return;
    pipe.disconnecting = true;
    if (pipe.reading) {
      // As ProcessReader.loseConnection: stop reading, lose the connection on the next turn.
      this.reactor.callLater(0, () => this._pipeLost(pipe, new Failure(CONNECTION_DONE)));
    } else if (pipe.stream !== null) {
      (pipe.stream as Writable).end();
    }
  }

  /** Close the child's standard input. Port of `Process.closeStdin`. */
  closeStdin(): void {
    this.closeChildFD(0);
  }

  /** Close the parent's end of the child's standard output. Port of `Process.closeStdout`. */
  closeStdout(): void {
    this.closeChildFD(1);
  }

  /** Close the parent's end of the child's standard error. Port of `Process.closeStderr`. */
  closeStderr(): void {
    this.closeChildFD(2);
  }

  /**
   * Close stdin, stderr and stdout (the child is not signalled). Port of `Process.loseConnection`.
   */
  loseConnection(): void {
    this.closeStdin();
    this.closeStderr();
    this.closeStdout();
  }

  // ------------------------------------------------------------------ signals

  /**
   * Send a signal to the child: 'HUP', 'STOP', 'INT', 'KILL', 'TERM' (Twisted's names, without
   * SIG) or a number. Port of `_BaseProcess.signalProcess`.
   *
   * @param signalID - the signal
   * @throws ProcessExitedAlready when the child has exited (or never started)
   * @throws UnknownSignalError for any other name (give the number: `os.constants.signals.SIGUSR1`)
   */
  signalProcess(signalID: ProcessSignal): void {
    let signum: number;
    if (typeof signalID === 'number' && Number.isInteger(signalID) && signalID >= 0) signum = signalID;
    else if (typeof signalID === 'string' && Object.prototype.hasOwnProperty.call(SIGNAL_NAMES, signalID)) signum = SIGNAL_NAMES[signalID]!;
    else {
      throw new UnknownSignalError(
        `signalProcess: unknown signal ${JSON.stringify(signalID)}; give 'HUP', 'STOP', 'INT', 'KILL' or 'TERM' (without SIG), or a signal number`,
      );
    }
    const child = this._child;
    if (this.pid === null || child === null) throw new ProcessExitedAlready();
    if (!child.kill(signum)) throw new ProcessExitedAlready();
  }

  // ------------------------------------------------------------------ producer

  /** Stop reading the child's output descriptors. Port of `Process.pauseProducing`. */
  pauseProducing(): void {
    this._readPaused = true;
  }

  /** Read them again (what arrived meanwhile is delivered on a later turn). Port of `Process.resumeProducing`. */
  resumeProducing(): void {
    if (!this._readPaused) return;
    this._readPaused = false;
    setImmediate(() => {
      for (const pipe of Array.from(this._pipes.values())) if (pipe.reading) this._readPipe(pipe);
    });
  }

  /** Stop for good: lose the connection. */
  stopProducing(): void {
    this.loseConnection();
  }

  /**
   * Attach a producer to the child's standard input; with no stdin, the producer is stopped at
   * once. Port of `Process.registerProducer`.
   *
   * @param producer - a push (streaming) or pull producer
   * @param streaming - true for a push producer
   * @throws ProducerRegisteredError when one is registered already
   */
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    const pipe = this._pipes.get(0);
    if (pipe === undefined || pipe.reading || pipe.disconnecting || pipe.stream === null) {
      producer.stopProducing();
      return;
    }
    if (this._producer !== null) {
      throw new ProducerRegisteredError(`Cannot register producer ${String(producer)}, because producer ${String(this._producer)} was never unregistered.`);
    }
    this._producer = producer;
    this._streamingProducer = streaming;
    this._producerPaused = false;
    if (!streaming) setImmediate(() => this._pullMore());
  }

  /** Detach the producer of stdin. Port of `Process.unregisterProducer`. */
  unregisterProducer(): void {
    this._producer = null;
    this._producerPaused = false;
  }

  private _pullMore(): void {
    const producer = this._producer;
    const pipe = this._pipes.get(0);
    if (producer === null || this._streamingProducer || pipe === undefined || pipe.disconnecting) return;
    if ((pipe.stream as Writable).writableNeedDrain) return; // 'drain' asks again
    try {
      producer.resumeProducing();
    } catch (e) {
      logFailure(e, 'while asking the producer of a process for more');
      return;
    }
    setImmediate(() => this._pullMore());
  }

  private _drained(): void {
    const producer = this._producer;
    if (producer === null) return;
    if (!this._streamingProducer) {
      this._pullMore();
    } else if (this._producerPaused) {
      this._producerPaused = false;
      try {
        (producer as IPushProducer).resumeProducing();
      } catch (e) {
        logFailure(e, 'while resuming the producer of a process');
      }
    }
  }

  // ------------------------------------------------------------------ addresses

  /** A ProcessAddress (Twisted's Process raises NotImplementedError here; its endpoint transport returns one). */
  getHost(): ProcessAddress {
    return new ProcessAddress();
  }

  /** A ProcessAddress (see getHost). */
  getPeer(): ProcessAddress {
    return new ProcessAddress();
  }

  /** Python's repr: `<Process pid=1234 status=None>`. */
  toString(): string {
    return `<Process pid=${this.pid === null ? 'None' : this.pid} status=${this.status === null ? 'None' : this.status}>`;
  }

  // ------------------------------------------------------------------ internals

  /** @internal start the child (called once, by spawnProcess). */
  _start(executable: string, args: readonly string[], env: NodeJS.ProcessEnv, path: string | undefined, uid: number | undefined, gid: number | undefined, childFDs: Readonly<Record<number, ChildFDTarget>>): void {
    const fds = Object.keys(childFDs).map(Number);
    const top = fds.length === 0 ? 2 : Math.max(2, ...fds);
    const stdio: ('pipe' | 'ignore' | number)[] = [];
    for (let i = 0; i <= top; i++) {
      const target = childFDs[i];
      stdio.push(target === undefined ? 'ignore' : target === 'r' || target === 'w' ? 'pipe' : target);
    }
    let child: ChildProcess;
    try {
      child = spawn(executable, args.slice(1), {
        argv0: args.length > 0 ? args[0] : executable,
        env,
        cwd: path,
        uid,
        gid,
        stdio: stdio as StdioOptions,
        windowsHide: true,
      });
    } catch (e) {
      // A system error thrown at once (EPERM for uid/gid, E2BIG): the child "exits 1", as Twisted's.
      this._execFailed = true;
      for (const fd of fds) {
        const t = childFDs[fd];
        if (t === 'r' || t === 'w') this._pipes.set(fd, new Pipe(fd, t === 'r', null));
      }
      selectablesOf(this.reactor).add(this);
      this.reactor.callLater(0, () => this._failedExec(executable, args, e));
      return;
    }
    this._child = child;
    this.pid = child.pid ?? null;
    child.on('error', (err) => this._childError(executable, args, err));
    child.on('exit', (code, signal) => this._exited(code, signal));
    for (const fd of fds) {
      const target = childFDs[fd];
      if (target !== 'r' && target !== 'w') continue;
      const stream = child.stdio[fd] as Readable | Writable | null;
      if (stream === null || stream === undefined) continue;
      const pipe = new Pipe(fd, target === 'r', stream);
      this._pipes.set(fd, pipe);
      stream.on('error', (err: Error) => this._pipeLost(pipe, new Failure(new ConnectionLost(String(err.message)))));
      stream.on('close', () => this._pipeLost(pipe, new Failure(CONNECTION_DONE)));
      if (pipe.reading) {
        const r = stream as Readable;
        r.on('readable', () => this._readPipe(pipe));
        r.on('end', () => this._pipeLost(pipe, new Failure(CONNECTION_DONE)));
      } else {
        const w = stream as Writable;
        w.on('finish', () => this._pipeLost(pipe, new Failure(CONNECTION_DONE)));
        if (fd === 0) w.on('drain', () => this._drained());
      }
    }
    selectablesOf(this.reactor).add(this);
  }

  /** @internal deliver what a reader holds, unless paused or closing. */
  _readPipe(pipe: Pipe): void {
    const r = pipe.stream as Readable;
    while (!this._readPaused && !pipe.disconnecting && !pipe.disconnected) {
      const chunk = r.read() as Buffer | null;
      if (chunk === null) return;
      const proto = this.proto;
      if (proto === null) continue;
      try {
        proto.childDataReceived(pipe.childFD, chunk);
      } catch (e) {
        // Twisted's reader loses its descriptor when dataReceived raises.
        this._pipeLost(pipe, logFailure(e, 'unexpected error in childDataReceived'));
        return;
      }
    }
  }

  /** @internal a pipe closed: tell the protocol once, then maybe processEnded. Port of `Process.childConnectionLost`. */
  _pipeLost(pipe: Pipe, reason: Failure): void {
    void reason;
    if (pipe.disconnected) return;
    pipe.disconnected = true;
    this._pipes.delete(pipe.childFD);
    const stream = pipe.stream as Readable | null;
    if (stream !== null && !stream.destroyed) stream.destroy();
    if (pipe.childFD === 0 && !pipe.reading && this._producer !== null) {
      const producer = this._producer;
      this._producer = null;
      try {
        producer.stopProducing();
      } catch (e) {
        logFailure(e, 'while stopping the producer of a process');
      }
    }
    const proto = this.proto;
    if (proto !== null) {
      try {
        proto.childConnectionLost(pipe.childFD);
      } catch (e) {
        logFailure(e, 'unexpected error in childConnectionLost');
      }
    }
    this._maybeCallProcessEnded();
  }

  /** @internal Node's 'exit': writers are gone with the child, then processExited. Port of `BaseProcess.processEnded(status)`. */
  _exited(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.lostProcess) return;
    const status = waitStatus(code, signal);
    // The child's pipe ends closed before it exited, but Node may report the exit before the
    // end of its output: give the loop one more poll phase (two check phases) so that output
    // already written is delivered first, in Twisted's order.
    setImmediate(() =>
      setImmediate(() => {
        if (this.lostProcess) return;
        for (const pipe of Array.from(this._pipes.values())) if (!pipe.reading) this._pipeLost(pipe, new Failure(CONNECTION_DONE));
        this._processGone(status);
      }),
    );
  }

  private _processGone(status: number): void {
    this.status = status;
    this.lostProcess = true;
    this.pid = null;
    const proto = this.proto;
    if (proto !== null) {
      try {
        proto.processExited(new Failure(reasonForStatus(status)));
      } catch (e) {
        logFailure(e, 'unexpected error in processExited');
      }
    }
    this._maybeCallProcessEnded();
  }

  /** @internal processEnded once the child exited and every pipe closed. Port of `Process.maybeCallProcessEnded`. */
  _maybeCallProcessEnded(): void {
    if (this._pipes.size > 0 || !this.lostProcess) return;
    const proto = this.proto;
    if (proto === null) return;
    this.proto = null;
    selectablesOf(this.reactor).delete(this);
    try {
      proto.processEnded(new Failure(reasonForStatus(this.status ?? 0)));
    } catch (e) {
      logFailure(e, 'unexpected error in processEnded');
    }
  }

  private _childError(executable: string, args: readonly string[], err: Error): void {
    if (this._child !== null && this._child.pid === undefined && !this._execFailed) {
      this._execFailed = true;
      this._failedExec(executable, args, err);
      return;
    }
    log.err(err, `error from the child process ${executable}`);
  }

  /**
   * @internal the exec failed: as Twisted's child does, write why on stderr and "exit 1"
   * (every descriptor lost, then processExited and processEnded with ProcessTerminated(1)).
   */
  _failedExec(executable: string, args: readonly string[], err: unknown): void {
    const why = err instanceof Error ? err.message : String(err);
    const pipes = Array.from(this._pipes.values()).sort((a, b) => a.childFD - b.childFD);
    for (const pipe of pipes) {
      const s = pipe.stream as Readable | null;
      if (s !== null) {
        s.removeAllListeners('readable');
        s.removeAllListeners('end');
        s.removeAllListeners('close');
        s.removeAllListeners('finish');
        s.on('error', () => {});
      }
    }
    const errPipe = this._pipes.get(2);
    if (errPipe !== undefined && errPipe.reading && this.proto !== null) {
      const text = `Upon execvpe ${executable} [${args.map((a) => pyRepr(a)).join(', ')}] in environment: ${why}\n`;
      try {
        this.proto.childDataReceived(2, Buffer.from(text));
      } catch (e) {
        logFailure(e, 'unexpected error in childDataReceived');
      }
    }
    for (const pipe of pipes) this._pipeLost(pipe, new Failure(CONNECTION_DONE));
    this._processGone(1 << 8);
  }

  /** @internal reactor.stop(): close every pipe (the child is NOT killed, as in Twisted) and let Node exit. */
  _disconnectNow(reason: Failure): void {
    for (const pipe of Array.from(this._pipes.values()).sort((a, b) => a.childFD - b.childFD)) this._pipeLost(pipe, reason);
    if (this._child !== null) this._child.unref();
  }
}

/**
 * Start `executable` as a child process and connect `processProtocol` to it. `args[0]` is the
 * child's argv[0] (the executable is looked up on the child's PATH). THE CHILD GETS AN EMPTY
 * ENVIRONMENT unless `env` is given (as Twisted does; Node inherits by default): pass
 * `{ env: process.env }` or `{ env: null }` to inherit. `protocol.makeConnection(process)` (so
 * `connectionMade`) runs before this returns. A missing executable is not an exception: as in
 * Twisted, the protocol gets a message on stderr and ends with `ProcessTerminated(exitCode=1)`.
 * Port of `reactor.spawnProcess`.
 *
 * @param reactor - the reactor
 * @param processProtocol - the protocol (a ProcessProtocol)
 * @param executable - the program
 * @param args - its argv, argv[0] first
 * @param options - env (default {}), path, uid, gid, childFDs (default { 0: 'w', 1: 'r', 2: 'r' })
 * @returns the process transport
 * @throws PTYNotSupportedError for `usePTY: true`
 * @throws InvalidProcessArgumentError for an argument of the wrong type
 */
export function spawnProcess(reactor: IOReactor, processProtocol: IProcessProtocol, executable: string, args: readonly string[] = [], options: SpawnProcessOptions = {}): Process {
  const a = checkSpawnArguments(executable, args, options);
  const p = new Process(reactor, processProtocol);
  p._start(a.executable, a.args, a.env, a.path, a.uid, a.gid, a.childFDs);
  try {
    processProtocol.makeConnection(p);
  } catch (e) {
    logFailure(e, 'unexpected error in makeConnection');
  }
  return p;
}
