// Port of the child-process interfaces of twisted.internet.interfaces (Twisted 22.4:
// IProcessTransport, IProcessProtocol, IReactorProcess) as TypeScript interfaces. Types only;
// covered by spec/internet/process.spec.ts and spec/types.
import type { Failure } from '../failure/failure.js';
import type { IPullProducer, IPushProducer, ITransport } from './interfaces.js';

/** What a child descriptor is connected to: `'r'` the parent reads it, `'w'` the parent writes it, a number: that parent descriptor. */
export type ChildFDTarget = 'r' | 'w' | number;

/** A signal `signalProcess` takes: one of Twisted's five names (no `SIG` prefix) or a number. */
export type ProcessSignal = 'HUP' | 'STOP' | 'INT' | 'KILL' | 'TERM' | number;

/**
 * The transport of a child process. Port of `IProcessTransport` (with the producer and consumer
 * methods Twisted's `Process` also has).
 */
export interface IProcessTransport extends ITransport {
  /** The child's process id; null once it has been reaped (or when it never started). */
  readonly pid: number | null;
  /** Close the child's standard input (after what is queued is written). */
  closeStdin(): void;
  /** Close the parent's end of the child's standard output. */
  closeStdout(): void;
  /** Close the parent's end of the child's standard error. */
  closeStderr(): void;
  /** Close the parent's end of child descriptor `descriptor` (a no-op when it is not open). */
  closeChildFD(descriptor: number): void;
  /** Write to child descriptor `childFD` (given as 'w' in childFDs). */
  writeToChild(childFD: number, data: Uint8Array): void;
  /** Send a signal to the child. */
  signalProcess(signalID: ProcessSignal): void;
  /** Stop reading the child's output descriptors. */
  pauseProducing(): void;
  /** Read them again. */
  resumeProducing(): void;
  /** Attach a producer to the child's standard input. */
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void;
  /** Detach it. */
  unregisterProducer(): void;
}

/** What a child process's transport feeds. Port of `IProcessProtocol`. */
export interface IProcessProtocol {
  /** The child is started: attach its transport and call `connectionMade()`. */
  makeConnection(process: IProcessTransport): void;
  /** Bytes from child descriptor `childFD` (1: stdout, 2: stderr, or an extra 'r' descriptor). */
  childDataReceived(childFD: number, data: Buffer): void;
  /** Child descriptor `childFD` closed. */
  childConnectionLost(childFD: number): void;
  /** The child exited (its descriptors may still be open). */
  processExited(reason: Failure): void;
  /** The child exited and every descriptor closed: the last event. */
  processEnded(reason: Failure): void;
}

/** Options of `spawnProcess`. Port of its keyword arguments. */
export interface SpawnProcessOptions {
  /**
   * The child's environment. Default: an EMPTY environment, as in Twisted (not Node's default of
   * inheriting); `null` inherits this process's environment.
   */
  env?: Readonly<Record<string, string>> | null;
  /** The child's working directory (default: this process's). */
  path?: string | null;
  /** Run the child as this user id (needs privileges). */
  uid?: number | null;
  /** Run the child as this group id (needs privileges). */
  gid?: number | null;
  /** Not supported (no PTY in Node's core): true raises PTYNotSupportedError. */
  usePTY?: boolean;
  /** The child's descriptors (default `{ 0: 'w', 1: 'r', 2: 'r' }`). */
  childFDs?: Readonly<Record<number, ChildFDTarget>> | null;
}

/** A reactor that starts child processes. Port of `IReactorProcess`. */
export interface IReactorProcess {
  /** Start `executable` with argv `args` (args[0] is argv[0]) and connect `processProtocol` to it. */
  spawnProcess(processProtocol: IProcessProtocol, executable: string, args?: readonly string[], options?: SpawnProcessOptions): IProcessTransport;
}

