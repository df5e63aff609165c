// Port of the process and standard I/O endpoints of twisted.internet.endpoints (Twisted 22.4):
// ProcessEndpoint (with _WrapIProtocol, _ProcessEndpointTransport, StandardErrorBehavior) and
// StandardIOEndpoint. Covered by spec/endpoints/process.spec.ts.
import { bytesRepr } from '../address/address.js';
import { PipeAddress, ProcessAddress } from '../address/process.js';
import type { Deferred } from '../defer/deferred.js';
import { execute, fail, succeed } from '../defer/helpers.js';
import { Failure } from '../failure/failure.js';
import * as log from '../log/log.js';
import { ConnectionDone, ProcessDone } from '../error/connectionErrors.js';
import { pyRepr } from '../error/pyText.js';
import type { IOReactor } from '../internet/base.js';
import { StandardIO } from '../internet/stdio.js';
import { ProcessProtocol } from '../protocol/process.js';
import type { IProtocol, IProtocolFactory, IPullProducer, IPushProducer, IStreamClientEndpoint } from '../protocol/interfaces.js';
import type {
  ChildFDTarget,
  IProcessProtocol,
  IProcessTransport,
  ProcessSignal,
  SpawnProcessOptions,
} from '../protocol/processInterfaces.js';

/**
 * What a process endpoint does with the child's stderr: log it (the default) or drop it. Port of
 * `twisted.internet.endpoints.StandardErrorBehavior`.
 */
export const StandardErrorBehavior = { LOG: 'LOG', DROP: 'DROP' } as const;
/** One of StandardErrorBehavior's values. */
export type StandardErrorBehavior = (typeof StandardErrorBehavior)[keyof typeof StandardErrorBehavior];

/** A reactor that spawns processes, as ProcessEndpoint needs it. Port of `IReactorProcess`. */
export interface ProcessEndpointReactor {
  spawnProcess(processProtocol: IProcessProtocol, executable: string, args?: readonly string[], options?: SpawnProcessOptions): IProcessTransport;
}

/** Options of `new ProcessEndpoint(...)`: spawnProcess's, and `errFlag`. */
export interface ProcessEndpointOptions extends SpawnProcessOptions {
  /** What to do with the child's stderr (default StandardErrorBehavior.LOG). */
  errFlag?: StandardErrorBehavior;
}

/**
 * The transport a process endpoint's protocol sees: the process transport's methods and nothing
 * else. Port of `twisted.internet.endpoints._ProcessEndpointTransport`.
 */
export class _ProcessEndpointTransport implements IProcessTransport {
  /** The process transport it forwards to. */
  readonly _process: IProcessTransport;
  constructor(process: IProcessTransport) {
    this._process = process;
  }
  /** The child's pid. */
  get pid(): number | null {
    return this._process.pid;
  }
  write(data: Uint8Array): void {
    this._process.write(data);
  }
  writeSequence(data: Iterable<Uint8Array>): void {
    this._process.writeSequence(data);
  }
  loseConnection(): void {
    this._process.loseConnection();
  }
  getHost(): ProcessAddress {
    return this._process.getHost() as ProcessAddress;
  }
  getPeer(): ProcessAddress {
    return this._process.getPeer() as ProcessAddress;
  }
  closeStdin(): void {
    this._process.closeStdin();
  }
  closeStdout(): void {
    this._process.closeStdout();
  }
  closeStderr(): void {
    this._process.closeStderr();
  }
  closeChildFD(descriptor: number): void {
    this._process.closeChildFD(descriptor);
  }
  writeToChild(childFD: number, data: Uint8Array): void {
    this._process.writeToChild(childFD, data);
  }
  signalProcess(signalID: ProcessSignal): void {
    this._process.signalProcess(signalID);
  }
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    this._process.registerProducer(producer, streaming);
  }
  unregisterProducer(): void {
    this._process.unregisterProducer();
  }
  pauseProducing(): void {
    this._process.pauseProducing();
  }
  resumeProducing(): void {
    this._process.resumeProducing();
  }
  stopProducing(): void {
    (this._process as IProcessTransport & { stopProducing(): void }).stopProducing();
  }
}

/**
 * A process protocol wrapping a stream protocol: stdout goes to its dataReceived, stderr is
 * logged or dropped, processEnded becomes connectionLost (ConnectionDone for exit code 0). Port
 * of `twisted.internet.endpoints._WrapIProtocol`.
 */
export class _WrapIProtocol extends ProcessProtocol {
  /** The wrapped protocol. */
  readonly protocol: IProtocol;
  /** What to do with stderr. */
  readonly errFlag: StandardErrorBehavior;
  /** The executable (for the log line). */
  readonly executable: string;
  constructor(proto: IProtocol, executable: string, errFlag: StandardErrorBehavior) {
    super();
    this.protocol = proto;
    this.errFlag = errFlag;
    this.executable = executable;
  }

  /** Hand the wrapped protocol a `_ProcessEndpointTransport`. */
  override makeConnection(process: IProcessTransport): void {
    this.connected = true;
    this.transport = new _ProcessEndpointTransport(process);
    this.protocol.makeConnection(this.transport);
  }

  /** stdout to dataReceived; stderr logged (LOG) or dropped (DROP). */
  override childDataReceived(childFD: number, data: Buffer): void {
    if (childFD === 1) this.protocol.dataReceived(data);
    else if (childFD === 2 && this.errFlag === StandardErrorBehavior.LOG) {
      log.msg(`Process ${pyRepr(this.executable)} wrote stderr unhandled by ${String(this.protocol)}: ${bytesRepr(data)}`);
    }
  }

  /** connectionLost(ConnectionDone) for a clean exit, else connectionLost(reason). */
  override processEnded(reason: Failure): void {
    if (reason.check(ProcessDone) === ProcessDone && (reason.value as ProcessDone).status === 0) {
      this.protocol.connectionLost(new Failure(new ConnectionDone()));
    } else {
      this.protocol.connectionLost(reason);
    }
  }
}

/**
 * A client endpoint whose "connection" is a child process: `connect(factory)` builds a protocol
 * (with a ProcessAddress), spawns the child with it over the child's stdin/stdout, and fires
 * with the protocol (or fails when spawnProcess throws). Like spawnProcess, the child gets an
 * EMPTY environment unless `env` is given. Port of `twisted.internet.endpoints.ProcessEndpoint`.
 *
 * @example
 * ```ts no-run
 * const ep = new ProcessEndpoint(reactor, '/bin/cat', ['cat'], { env: process.env });
 * const proto = await ep.connect(Factory.forProtocol(MyProtocol));
 * ```
 */
export class ProcessEndpoint implements IStreamClientEndpoint {
  readonly _reactor: ProcessEndpointReactor;
  readonly _executable: string;
  readonly _args: readonly string[];
  readonly _env: Readonly<Record<string, string>> | null;
  readonly _path: string | null;
  readonly _uid: number | null;
  readonly _gid: number | null;
  readonly _usePTY: boolean;
  readonly _childFDs: Readonly<Record<number, ChildFDTarget>> | null;
  readonly _errFlag: StandardErrorBehavior;
  /** The spawn hook (the reactor's spawnProcess; replaceable in tests, as Twisted's). */
  _spawnProcess: ProcessEndpointReactor['spawnProcess'];

  /**
   * @param reactor - a reactor with spawnProcess
   * @param executable - the program
   * @param args - its argv, argv[0] first (default [])
   * @param options - spawnProcess's options (env defaults to {}: EMPTY) and errFlag (LOG)
   */
  constructor(reactor: ProcessEndpointReactor, executable: string, args: readonly string[] = [], options: ProcessEndpointOptions = {}) {
    this._reactor = reactor;
    this._executable = executable;
    this._args = args;
    this._env = options.env === undefined ? {} : options.env;
    this._path = options.path ?? null;
    this._uid = options.uid ?? null;
    this._gid = options.gid ?? null;
    this._usePTY = options.usePTY ?? false;
    this._childFDs = options.childFDs ?? null;
    this._errFlag = options.errFlag ?? StandardErrorBehavior.LOG;
    this._spawnProcess = (pp, exe, a, o) => reactor.spawnProcess(pp, exe, a, o);
  }

  /**
   * Spawn the child with a protocol from `protocolFactory`. Port of `ProcessEndpoint.connect`.
   *
   * @param protocolFactory - builds the protocol (given a ProcessAddress)
   * @returns a Deferred of the protocol, or a failed one when spawning threw
   */
  connect(protocolFactory: IProtocolFactory): Deferred<IProtocol> {
    const proto = protocolFactory.buildProtocol(new ProcessAddress());
    try {
      const options: SpawnProcessOptions = { env: this._env, path: this._path, uid: this._uid, gid: this._gid, childFDs: this._childFDs };
      if (this._usePTY) options.usePTY = true;
      if (proto === null) throw new TypeError('ProcessEndpoint.connect: the factory built no protocol (buildProtocol returned null)');
      this._spawnProcess(new _WrapIProtocol(proto, this._executable, this._errFlag), this._executable, this._args, options);
    } catch (e) {
      return fail(new Failure(e));
    }
    return succeed(proto);
  }
}

/** Something that connects a protocol to standard I/O, as StandardIO does. */
export type StandardIOFactory = (proto: IProtocol, options: { reactor: IOReactor | null }) => unknown;

/**
 * A server endpoint over this process's standard input and output: `listen(factory)` builds a
 * protocol (with a PipeAddress) and connects it with StandardIO, firing with the StandardIO.
 * Twisted's is an IStreamServerEndpoint whose "port" is the StandardIO; here it is typed as
 * what it is. Port of `twisted.internet.endpoints.StandardIOEndpoint`.
 *
 * @example
 * ```ts no-run
 * await new StandardIOEndpoint(reactor).listen(Factory.forProtocol(Echo));
 * ```
 */
export class StandardIOEndpoint {
  readonly _reactor: IOReactor | null;
  /** The StandardIO-like constructor (replaceable in tests, as Twisted's `_stdio`). */
  _stdio: StandardIOFactory;

  /** @param reactor - the reactor for the StandardIO (its reactor.stop() loses the connection) */
  constructor(reactor: IOReactor | null) {
    this._reactor = reactor;
    this._stdio = (proto, options) => new StandardIO(proto, options);
  }

  /**
   * Connect a protocol from `stdioProtocolFactory` to standard I/O. Port of `StandardIOEndpoint.listen`.
   *
   * @returns a Deferred of the StandardIO (it is the "port"; loseConnection() to stop)
   */
  listen(stdioProtocolFactory: IProtocolFactory): Deferred<StandardIO> {
    return execute(() => {
      const proto = stdioProtocolFactory.buildProtocol(new PipeAddress());
      if (proto === null) throw new TypeError('StandardIOEndpoint.listen: the factory built no protocol (buildProtocol returned null)');
      return this._stdio(proto, { reactor: this._reactor });
    }) as Deferred<StandardIO>;
  }
}
