// Port of twisted.internet.process.Process (with _BaseProcess; Twisted 22.4) over Node's
// child_process: the transport of a running child. spawnProcess, which starts the child and
// wires its descriptors here, is in spawnProcess.ts; the pipe ends and the stdin producer in
// processPipe.ts; signals and wait statuses in processStatus.ts. Covered by
// spec/internet/process.spec.ts (internet/test/test_process.py) and
// spec/internet/processTests.spec.ts (twisted/test/test_process.py).
//
// - when the child exits, Node destroys its stdin; the writers are lost here first, in Twisted's
//   order (descriptors, then processExited, then processEnded);
// - a failed exec ends as Twisted's does: a message on stderr, every descriptor lost, exit code 1;
// - every call into the protocol is guarded and logged, as Twisted's reactor logs them.
import type { ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { ProcessAddress } from '../address/process.js';
import { Failure } from '../failure/failure.js';
import * as log from '../log/log.js';
import { CONNECTION_DONE, ProcessExitedAlready } from '../error/errors.js';
import { pyRepr } from '../error/pyText.js';
import { NoSuchChildFDError } from '../error/process.js';
import { checkBytes } from '../protocol/errors.js';
import type { IPullProducer, IPushProducer } from '../protocol/interfaces.js';
import type { IProcessProtocol, IProcessTransport, ProcessSignal } from '../protocol/processInterfaces.js';
import { logFailure, selectablesOf, type IOReactor, type Selectable } from './base.js';
import { Pipe, StdinProducer } from './processPipe.js';
import { reasonForStatus, signalNumber, waitStatus } from './processStatus.js';

export type { SpawnProcessOptions, ChildFDTarget, ProcessSignal } from '../protocol/processInterfaces.js';

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
  readonly _stdin: StdinProducer;
  /** @internal the exec failed (the child "exits 1"). */
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
    this._stdin = new StdinProducer(() => this._pipes.get(0));
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
    if (!stream.write(data) && pipe.childFD === 0) this._stdin.full();
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
    const signum = signalNumber(signalID);
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
    this._stdin.register(producer, streaming);
  }

  /** Detach the producer of stdin. Port of `Process.unregisterProducer`. */
  unregisterProducer(): void {
    this._stdin.unregister();
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
    if (pipe.childFD === 0 && !pipe.reading) this._stdin.lost();
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

  /** @internal Node's 'error' on the child: a failed exec, or an error to log. */
  _childError(executable: string, args: readonly string[], err: Error): void {
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
