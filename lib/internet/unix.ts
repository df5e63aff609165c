// Port of twisted.internet.unix (Twisted 22.4): the UNIX stream Port (listenUNIX, with mode and the
// wantPID lock file), Server and Client transports, Connector (connectUNIX, checkPID), over
// Node's net module; Linux abstract names start with '\0'. Not ported: file descriptor passing
// (Node's net cannot send descriptors). Covered by spec/internet/unix.spec.ts.
import * as fs from 'node:fs';
import * as net from 'node:net';
import { UNIXAddress } from '../address/address.js';
import { CannotListenError } from '../error/errors.js';
import { BadFileError } from '../error/connectErrors.js';
import { socketErrorFromNode } from '../error/systemErrors.js';
import type { IAddress } from '../protocol/interfaces.js';
import { logFailure, logPrefixOf, type IOReactor } from './base.js';
import { BaseConnector, type ConnectorFactory } from './connector.js';
import { InvalidPortError } from './errors.js';
import { readIntoBufferOptions, StreamTransport, type StreamProtocol } from './stream.js';
import { StreamClient } from './client.js';
import { checkTimeout } from './tcp.js';
import { StreamPort, type ServerFactory } from './port.js';

/** Options of `reactor.listenUNIX`. Port of its keyword arguments. */
export interface ListenUNIXOptions {
  /** The listen backlog (default 50). */
  backlog?: number;
  /** The socket file's permission bits (default 0o666). */
  mode?: number;
  /** Hold `<path>.lock` (a symlink to this process's PID) while listening (default false). */
  wantPID?: boolean;
}

/** Options of `reactor.connectUNIX`. Port of its keyword arguments. */
export interface ConnectUNIXOptions {
  /** Seconds before the attempt fails with TimeoutError (default 30; null for none). */
  timeout?: number | null;
  /** Fail with BadFileError unless `<path>.lock` is held by a live process (default false). */
  checkPID?: boolean;
}

function inFilesystem(path: string): boolean {
  return !path.startsWith('\0');
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Take `name` as a lock (a symlink whose target is our PID); a lock whose process is gone is taken
 * over. Port of `twisted.python.lockfile.FilesystemLock.lock`.
 *
 * @returns `{ locked, clean }`: clean is false when a stale lock was taken over
 */
export function takeLock(name: string): { locked: boolean; clean: boolean } {
  let clean = true;
  for (let i = 0; i < 3; i++) {
    try {
      fs.symlinkSync(String(process.pid), name);
      return { locked: true, clean };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let pid: number;
      try {
        pid = Number(fs.readlinkSync(name));
      } catch {
        continue;
      }
      if (Number.isInteger(pid) && pid > 0 && pidAlive(pid)) return { locked: false, clean };
      try {
        fs.unlinkSync(name);
      } catch {
        // raced with another process: try again
      }
      clean = false;
    }
  }
  return { locked: false, clean };
}

/** Whether `name` is a lock held by a live process. Port of `twisted.python.lockfile.isLocked`. */
export function isLocked(name: string): boolean {
  try {
    const pid = Number(fs.readlinkSync(name));
    return Number.isInteger(pid) && pid > 0 && pidAlive(pid);
  } catch {
    return false;
  }
}

/** The transport of a connection a UNIX port accepted. Port of `twisted.internet.unix.Server`. */
export class UNIXServer extends StreamTransport {
  /** The port that accepted it. */
  readonly server: UNIXPort;
  /** Its number on the port. */
  readonly sessionno: number;
  /** @internal */
  readonly _logstr: string;

  constructor(socket: net.Socket, protocol: StreamProtocol, server: UNIXPort, sessionno: number, reactor: IOReactor) {
    super(reactor);
    this.server = server;
    this.sessionno = sessionno;
    this._logstr = `${logPrefixOf(protocol)},${sessionno},${server.path}`;
    this.protocol = protocol;
    this.connected = true;
    this._adopt(socket);
  }

  /** `UNIXAddress(path)` of the listening socket. Port of `unix.Server.getHost`. */
  getHost(): UNIXAddress {
    return new UNIXAddress(this.server.path);
  }

  /** `UNIXAddress(null)`: a connecting UNIX socket is unnamed. Port of `unix.Server.getPeer`. */
  getPeer(): UNIXAddress {
    return new UNIXAddress(null);
  }

  logPrefix(): string {
    return this._logstr;
  }

  override toString(): string {
    return `<${logPrefixOf(this.protocol)} #${this.sessionno} on ${JSON.stringify(this.server.path)}>`;
  }
}

/**
 * A listening UNIX socket. Port of `twisted.internet.unix.Port`. As in Twisted the factory starts
 * before the bind; the lock file (wantPID) is taken synchronously, so a held lock raises
 * CannotListenError from listenUNIX itself; a bind failure fails `whenListening()`.
 */
export class UNIXPort extends StreamPort<UNIXAddress> {
  /** The socket path (a leading '\0' names a Linux abstract socket). */
  readonly path: string;
  /** The file mode set after the bind. */
  readonly mode: number;
  /** Whether a `<path>.lock` is held. */
  readonly wantPID: boolean;
  /** @internal */
  _locked: boolean;

  constructor(path: string, factory: ServerFactory, backlog: number, mode: number, wantPID: boolean, reactor: IOReactor) {
    super(0, factory, backlog, '', reactor);
    this.path = path;
    (this as { port: unknown }).port = path;
    this.mode = mode;
    this.wantPID = wantPID;
    this._locked = false;
  }

  override startListening(): void {
    if (this.wantPID) {
      const lock = takeLock(`${this.path}.lock`);
      if (!lock.locked) throw new CannotListenError('', this.path, 'Cannot acquire lock');
      this._locked = true;
      if (!lock.clean && inFilesystem(this.path)) {
        try {
          if (fs.statSync(this.path).isSocket()) fs.unlinkSync(this.path);
        } catch {
          // best effort, as Twisted: the bind reports what is wrong
        }
      }
    }
    super.startListening();
  }

  /** @internal */
  override _listen(server: net.Server): void {
    server.listen({ path: this.path, backlog: this.backlog, exclusive: true });
  }

  /** @internal */
  override _boundAddress(): { address: IAddress; port: number | string } {
    return { address: new UNIXAddress(this.path), port: this.path };
  }

  /** @internal */
  override _peerOf(): IAddress {
    return new UNIXAddress(null);
  }

  /** @internal */
  override _newTransport(socket: net.Socket, protocol: StreamProtocol, sessionno: number): StreamTransport {
    return new UNIXServer(socket, protocol, this, sessionno, this.reactor);
  }

  /** @internal */
  override _closedMessage(): string {
    return `(UNIX Port ${this.path} Closed)`;
  }

  /** @internal */
  override _cannotListen(err: NodeJS.ErrnoException): CannotListenError {
    this._releaseLock();
    return new CannotListenError('', this.path, socketErrorFromNode(err));
  }

  /** @internal */
  override _afterBound(): void {
    if (inFilesystem(this.path)) {
      try {
        fs.chmodSync(this.path, this.mode);
      } catch (e) {
        logFailure(e, `chmod of ${this.path}`);
      }
    }
  }

  /** @internal */
  override _afterClosed(): void {
    this._releaseLock();
  }

  /** @internal */
  _releaseLock(): void {
    if (!this._locked) return;
    this._locked = false;
    try {
      fs.unlinkSync(`${this.path}.lock`);
    } catch {
      // already gone
    }
  }

  override toString(): string {
    const name = this.factory.constructor?.name ?? 'Factory';
    return this.connected ? `<UNIXPort of ${name} on ${JSON.stringify(this.path)}>` : `<UNIXPort of ${name} (not listening)>`;
  }
}

/** The transport of an outgoing UNIX connection. Port of `twisted.internet.unix.Client`. */
export class UNIXClient extends StreamClient {
  /** The socket path. */
  readonly path: string;

  constructor(path: string, checkPID: boolean, connector: BaseConnector, reactor: IOReactor) {
    super(connector, reactor);
    this.path = path;
    if (checkPID && !isLocked(`${path}.lock`)) {
      this._attempt = reactor.callLater(0, () => this.failIfNotConnected(new BadFileError(path)));
    } else {
      this._attempt = reactor.callLater(0, () => this._doConnect());
    }
  }

  /** @internal */
  _doConnect(): void {
    this._attempt = null;
    if (this._failed) return;
    const socket = new net.Socket(readIntoBufferOptions(this._onRead));
    this._attach(socket, true);
    socket.once('connect', () => this._connectDone());
    socket.connect({ path: this.path });
  }

  /** @internal */
  _connectedPeer(): UNIXAddress {
    return this.getPeer();
  }

  /** `UNIXAddress(path)`. Port of `unix.Client.getPeer`. */
  getPeer(): UNIXAddress {
    return new UNIXAddress(this.path);
  }

  /** `UNIXAddress(null)`. Port of `unix.Client.getHost`. */
  getHost(): UNIXAddress {
    return new UNIXAddress(null);
  }

  logPrefix(): string {
    return this._logstr;
  }
}

/** The IConnector `reactor.connectUNIX` returns. Port of `twisted.internet.unix.Connector`. */
export class UNIXConnector extends BaseConnector {
  /** The socket path. */
  readonly address: string;
  /** Whether to check the lock file first. */
  readonly checkPID: boolean;

  constructor(address: string, factory: ConnectorFactory, timeout: number | null, checkPID: boolean, reactor: IOReactor) {
    super(factory, timeout, reactor);
    this.address = address;
    this.checkPID = checkPID;
  }

  /** @internal */
  _makeTransport(): UNIXClient {
    return new UNIXClient(this.address, this.checkPID, this, this.reactor);
  }

  /** `UNIXAddress(path)`. Port of `unix.Connector.getDestination`. */
  getDestination(): UNIXAddress {
    return new UNIXAddress(this.address);
  }
}

function checkPath(path: unknown, what: string): string {
  if (typeof path !== 'string' || path === '') throw new TypeError(`${what}: the address must be a non-empty path string (a leading '\\0' names a Linux abstract socket), got ${typeof path === 'string' ? "''" : typeof path}`);
  return path;
}

/** @internal listenUNIX's body. Port of `PosixReactorBase.listenUNIX`. */
export function listenUNIX(reactor: IOReactor, address: string, factory: ServerFactory, options: ListenUNIXOptions = {}): UNIXPort {
  checkPath(address, 'listenUNIX');
  const backlog = options.backlog ?? 50;
  if (!Number.isInteger(backlog) || backlog < 0) throw new InvalidPortError(`listenUNIX: backlog must be an integer >= 0, got ${String(backlog)}`);
  const mode = options.mode ?? 0o666;
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) throw new InvalidPortError(`listenUNIX: mode must be permission bits (0 to 0o7777), got ${String(mode)}`);
  const p = new UNIXPort(address, factory, backlog, mode, options.wantPID ?? false, reactor);
  p.startListening();
  return p;
}

/** @internal connectUNIX's body. Port of `PosixReactorBase.connectUNIX`. */
export function connectUNIX(reactor: IOReactor, address: string, factory: ConnectorFactory, options: ConnectUNIXOptions = {}): UNIXConnector {
  checkPath(address, 'connectUNIX');
  const timeout = checkTimeout(options.timeout === undefined ? 30 : options.timeout, 'connectUNIX');
  const c = new UNIXConnector(address, factory, timeout, options.checkPID ?? false, reactor);
  c.connect();
  return c;
}
