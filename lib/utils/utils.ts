// Port of twisted.internet.utils (Twisted 22.4): getProcessOutput, getProcessValue and
// getProcessOutputAndValue, each a Deferred over reactor.spawnProcess.
// Covered by spec/utils/utils.spec.ts (ProcessUtilsTests of twisted/test/test_iutils.py).
import { bytesRepr } from '../address/address.js';
import { Deferred } from '../defer/deferred.js';
import { Failure } from '../failure/failure.js';
import { InvalidProcessArgumentError } from '../error/process.js';
import { ProcessProtocol } from '../protocol/process.js';
import type { IProcessProtocol, IProcessTransport, SpawnProcessOptions } from '../protocol/processInterfaces.js';
import { reactor as globalReactor } from '../reactor/reactor.js';

/** A reactor that can spawn processes (the global reactor by default). */
export interface ProcessReactor {
  spawnProcess(processProtocol: IProcessProtocol, executable: string, args?: readonly string[], options?: SpawnProcessOptions): IProcessTransport;
}

/** Options of `getProcessValue`. Port of its keyword arguments. */
export interface GetProcessValueOptions {
  /** The child's environment: EMPTY by default, as in Twisted; `null` inherits this process's. */
  env?: Readonly<Record<string, string>> | null;
  /** The child's working directory (default: this process's). */
  path?: string | null;
  /** The reactor (default: the global one). */
  reactor?: ProcessReactor;
}

/** Options of `getProcessOutput`. */
export interface GetProcessOutputOptions extends GetProcessValueOptions {
  /** Collect stderr with stdout instead of failing on it (default false). */
  errortoo?: boolean;
}

/** Options of `getProcessOutputAndValue`. */
export interface GetProcessOutputAndValueOptions extends GetProcessValueOptions {
  /** Bytes written to the child's stdin, which is then closed (default: stdin left open). */
  stdinBytes?: Uint8Array | null;
}

/**
 * The child wrote to stderr while `getProcessOutput` did not expect it (no `errortoo`). An
 * `IOError` in Twisted; `processEnded` fires (with the process's end reason, as a failure) once
 * the child has ended. Port of `twisted.internet.utils._UnexpectedErrorOutput`.
 *
 * @example
 * ```ts no-run
 * getProcessOutput('/bin/sh', ['-c', 'echo oops >&2']).addErrback((f) => f.value instanceof UnexpectedErrorOutput);
 * ```
 */
export class UnexpectedErrorOutput extends Error {
  /** Fails with the process's end reason (ProcessDone or ProcessTerminated) once it has ended. */
  readonly processEnded: Deferred<never>;
  constructor(text: Uint8Array, processEnded: Deferred<never>) {
    super(`got stderr: ${bytesRepr(text)}`);
    this.processEnded = processEnded;
  }
}
UnexpectedErrorOutput.prototype.name = 'UnexpectedErrorOutput';

const VALUE_OPTIONS = ['env', 'path', 'reactor'];

function check(what: string, executable: unknown, args: unknown, options: object, allowed: readonly string[]): void {
  if (options === null || typeof options !== 'object') throw new InvalidProcessArgumentError(`${what}: options must be an object`);
  for (const k of Object.keys(options)) {
    if (!allowed.includes(k)) throw new InvalidProcessArgumentError(`${what}: unknown option ${JSON.stringify(k)} (known: ${allowed.join(', ')})`);
  }
  if (typeof executable !== 'string') throw new InvalidProcessArgumentError(`${what}: the executable must be a string`);
  if (!Array.isArray(args)) throw new InvalidProcessArgumentError(`${what}: args must be an array of strings (without the executable's name)`);
}

function spawnWith(proto: ProcessProtocol, executable: string, args: readonly string[], options: GetProcessValueOptions): void {
  const r = options.reactor ?? globalReactor;
  const spawnOptions: SpawnProcessOptions = { env: options.env === undefined ? {} : options.env };
  if (options.path !== undefined && options.path !== null) spawnOptions.path = options.path;
  r.spawnProcess(proto, executable, [executable, ...args], spawnOptions);
}

/** Port of `twisted.internet.utils._BackRelay`. */
class BackRelay extends ProcessProtocol {
  deferred: Deferred<Buffer> | null;
  onProcessEnded: Deferred<never> | null;
  readonly chunks: Buffer[];
  readonly errortoo: boolean;
  constructor(deferred: Deferred<Buffer>, errortoo: boolean) {
    super();
    this.deferred = deferred;
    this.onProcessEnded = null;
    this.chunks = [];
    this.errortoo = errortoo;
  }
  override outReceived(data: Buffer): void {
    this.chunks.push(data);
  }
  override errReceived(data: Buffer): void {
    if (this.errortoo) {
      this.chunks.push(data);
      return;
    }
    if (this.deferred !== null) {
      const d = this.deferred;
      this.deferred = null;
      this.onProcessEnded = new Deferred<never>();
      d.errback(new Failure(new UnexpectedErrorOutput(data, this.onProcessEnded)));
      this.transport!.loseConnection();
    }
  }
  override processEnded(reason: Failure): void {
    if (this.deferred !== null) this.deferred.callback(Buffer.concat(this.chunks));
    else if (this.onProcessEnded !== null) this.onProcessEnded.errback(reason);
  }
}

/**
 * Run `executable` with `args` and fire with everything it wrote to stdout once it has ended.
 * Output on stderr fails the Deferred with UnexpectedErrorOutput (and closes the child's pipes)
 * unless `errortoo` is set, which collects it with stdout. The child gets an EMPTY environment
 * unless `env` is given, as in Twisted. Port of `twisted.internet.utils.getProcessOutput`.
 *
 * @param executable - the program (a full path is safest)
 * @param args - its arguments, WITHOUT the program's name (argv[0] is `executable`)
 * @param options - env ({}), path, reactor, errortoo (false)
 * @returns a Deferred of the stdout bytes
 * @throws InvalidProcessArgumentError for an argument of the wrong type
 * @example
 * ```ts
 * import { getProcessOutput } from 'twistless/utils';
 * const out = await getProcessOutput('/bin/sh', ['-c', 'echo hello']);
 * console.log(out.toString()); // hello
 * ```
 */
export function getProcessOutput(executable: string, args: readonly string[] = [], options: GetProcessOutputOptions = {}): Deferred<Buffer> {
  check('getProcessOutput', executable, args, options, [...VALUE_OPTIONS, 'errortoo']);
  const d = new Deferred<Buffer>();
  spawnWith(new BackRelay(d, options.errortoo === true), executable, args, options);
  return d;
}

/** Port of `twisted.internet.utils._ValueGetter`. */
class ValueGetter extends ProcessProtocol {
  constructor(readonly deferred: Deferred<number | null>) {
    super();
  }
  override processEnded(reason: Failure): void {
    this.deferred.callback((reason.value as { exitCode: number | null }).exitCode);
  }
}

/**
 * Run `executable` with `args` and fire with its exit code once it has ended (null when a signal
 * ended it, as Twisted's exitCode None). Port of `twisted.internet.utils.getProcessValue`.
 *
 * @param executable - the program
 * @param args - its arguments, without the program's name
 * @param options - env ({}), path, reactor
 * @returns a Deferred of the exit code
 * @throws InvalidProcessArgumentError for an argument of the wrong type
 * @example
 * ```ts
 * import { getProcessValue } from 'twistless/utils';
 * console.log(await getProcessValue('/bin/sh', ['-c', 'exit 3'])); // 3
 * ```
 */
export function getProcessValue(executable: string, args: readonly string[] = [], options: GetProcessValueOptions = {}): Deferred<number | null> {
  check('getProcessValue', executable, args, options, VALUE_OPTIONS);
  const d = new Deferred<number | null>();
  spawnWith(new ValueGetter(d), executable, args, options);
  return d;
}

/** Port of `twisted.internet.utils._EverythingGetter`. */
class EverythingGetter extends ProcessProtocol {
  readonly out: Buffer[] = [];
  readonly err: Buffer[] = [];
  constructor(
    readonly deferred: Deferred<[Buffer, Buffer, number]>,
    readonly stdinBytes: Uint8Array | null,
  ) {
    super();
  }
  override connectionMade(): void {
    if (this.stdinBytes !== null) {
      this.transport!.writeToChild(0, this.stdinBytes);
      this.transport!.closeStdin();
    }
  }
  override outReceived(data: Buffer): void {
    this.out.push(data);
  }
  override errReceived(data: Buffer): void {
    this.err.push(data);
  }
  override processEnded(reason: Failure): void {
    const e = reason.value as { exitCode: number | null; signal: number | string | null };
    const out = Buffer.concat(this.out);
    const err = Buffer.concat(this.err);
    if (e.signal !== null && e.signal !== 0) this.deferred.errback(new Failure([out, err, e.signal]));
    else this.deferred.callback([out, err, e.exitCode ?? 0]);
  }
}

/**
 * Run `executable` with `args` and fire with `[stdout, stderr, exitCode]` once it has ended. When
 * a signal ended it, the Deferred FAILS with a Failure whose value is the array
 * `[stdout, stderr, signalNumber]`, as Twisted's does. Port of
 * `twisted.internet.utils.getProcessOutputAndValue`.
 *
 * @param executable - the program
 * @param args - its arguments, without the program's name
 * @param options - env ({}), path, reactor, stdinBytes (written to stdin, which is then closed)
 * @returns a Deferred of `[out, err, code]`
 * @throws InvalidProcessArgumentError for an argument of the wrong type
 * @example
 * ```ts
 * import { getProcessOutputAndValue } from 'twistless/utils';
 * const [out, err, code] = await getProcessOutputAndValue('/bin/sh', ['-c', 'echo a; echo b >&2; exit 2']);
 * console.log(out.toString(), err.toString(), code); // a\n b\n 2
 * ```
 */
export function getProcessOutputAndValue(
  executable: string,
  args: readonly string[] = [],
  options: GetProcessOutputAndValueOptions = {},
): Deferred<[Buffer, Buffer, number]> {
  check('getProcessOutputAndValue', executable, args, options, [...VALUE_OPTIONS, 'stdinBytes']);
  const d = new Deferred<[Buffer, Buffer, number]>();
  spawnWith(new EverythingGetter(d, options.stdinBytes ?? null), executable, args, options);
  return d;
}
