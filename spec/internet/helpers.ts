// Shared helpers of the real-socket specs: a recording protocol, factories, a listen helper that
// waits for the bind, and cleanup of every port and connection a spec opened.
import * as net from 'node:net';
import { Deferred } from '../../lib/defer/index.js';
import { Failure } from '../../lib/failure/index.js';
import { ConnectionLost } from '../../lib/error/index.js';
import { disconnectAll } from '../../lib/internet/base.js';
import { ClientFactory, Factory, Protocol } from '../../lib/protocol/index.js';
import type { IAddress, IConnector, ITCPTransport } from '../../lib/protocol/index.js';
import { reactor } from '../../lib/reactor/index.js';
import type { Port } from '../../lib/internet/tcp.js';
import { LogCapture } from '../reactor/logCapture.js';

/** A protocol that records what happens to it; `lost` fires with the connectionLost reason. */
export class Recorder extends Protocol {
  events: string[] = [];
  data: Buffer[] = [];
  reason: Failure | null = null;
  made = new Deferred<this>();
  lost: Promise<Failure>;
  private lostResolve!: (f: Failure) => void;
  constructor() {
    super();
    this.lost = new Promise((r) => (this.lostResolve = r));
  }
  override connectionMade(): void {
    this.events.push('made');
    this.made.callback(this);
  }
  override dataReceived(data: Buffer): void {
    this.events.push(`data ${data.length}`);
    this.data.push(data);
  }
  override connectionLost(reason: Failure): void {
    this.events.push(`lost ${reason.type === null || reason.type === undefined ? '?' : (reason.type as { name: string }).name}`);
    this.reason = reason;
    this.lostResolve(reason);
  }
  received(): Buffer {
    return Buffer.concat(this.data);
  }
  get tcp(): ITCPTransport {
    return this.transport as ITCPTransport;
  }
}

/** A server factory that hands out `make()` protocols and remembers them. */
export class RecordingFactory<P extends Protocol> extends Factory<P> {
  built: P[] = [];
  addrs: IAddress[] = [];
  events: string[] = [];
  private taken = 0;
  private readonly waiters = new Map<number, Deferred<P>>();
  constructor(private readonly make: () => P) {
    super();
  }
  /** The next protocol not yet taken through `next` (each read takes one). */
  get next(): Deferred<P> {
    const i = this.taken++;
    const d = new Deferred<P>();
    if (i < this.built.length) d.callback(this.built[i]!);
    else this.waiters.set(i, d);
    return d;
  }
  override buildProtocol(addr: IAddress): P | null {
    const p = this.make();
    p.factory = this;
    this.addrs.push(addr);
    this.built.push(p);
    const d = this.waiters.get(this.built.length - 1);
    if (d !== undefined) {
      this.waiters.delete(this.built.length - 1);
      d.callback(p);
    }
    return p;
  }
  override startFactory(): void {
    this.events.push('startFactory');
  }
  override stopFactory(): void {
    this.events.push('stopFactory');
  }
}

/** A client factory recording its hooks; `done` fires with the failed/lost reason. */
export class RecordingClientFactory<P extends Protocol> extends ClientFactory<P> {
  built: P[] = [];
  events: string[] = [];
  reason: Failure | null = null;
  done: Promise<Failure>;
  private doneResolve!: (f: Failure) => void;
  protocolD = new Deferred<P>();
  constructor(private readonly make: () => P | null) {
    super();
    this.done = new Promise((r) => (this.doneResolve = r));
  }
  override buildProtocol(addr: IAddress): P | null {
    this.events.push(`buildProtocol ${String(addr)}`);
    const p = this.make();
    if (p !== null) {
      p.factory = this;
      this.built.push(p);
      this.protocolD.callback(p);
    }
    return p;
  }
  override startFactory(): void {
    this.events.push('startFactory');
  }
  override stopFactory(): void {
    this.events.push('stopFactory');
  }
  override startedConnecting(_connector?: IConnector): void {
    this.events.push('startedConnecting');
  }
  override clientConnectionFailed(_c: unknown, reason: Failure): void {
    this.events.push(`clientConnectionFailed ${(reason.type as { name: string }).name}`);
    this.reason = reason;
    this.doneResolve(reason);
  }
  override clientConnectionLost(_c: unknown, reason: Failure): void {
    this.events.push(`clientConnectionLost ${(reason.type as { name: string }).name}`);
    this.reason = reason;
    this.doneResolve(reason);
  }
}

/** Everything a spec opened, closed in its afterEach. */
export class Cleanup {
  ports: Port[] = [];
  sockets: net.Socket[] = [];
  servers: net.Server[] = [];
  log = new LogCapture();
  start(): void {
    this.log = new LogCapture();
    this.log.start();
  }
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    for (const s of this.servers) s.close();
    const ds = this.ports.map((p) => p.stopListening()).filter((d) => d !== null);
    for (const d of ds) await d;
    // stopListening leaves open connections open (as in Twisted): drop what the spec left, so
    // that no socket outlives it.
    disconnectAll(reactor, new Failure(new ConnectionLost()));
    await new Promise((r) => setImmediate(r));
    this.ports = [];
    this.sockets = [];
    this.servers = [];
    this.log.stop();
  }
}

/** listenTCP on 127.0.0.1 (or `iface`), resolved once bound. */
export async function listen(cleanup: Cleanup, factory: Factory<Protocol>, iface = '127.0.0.1'): Promise<Port> {
  const port = reactor.listenTCP(0, factory, { interface: iface });
  cleanup.ports.push(port);
  await port.whenListening();
  return port;
}

/** A raw Node client socket to `port` (connected). */
export function rawConnect(cleanup: Cleanup, port: number, host = '127.0.0.1'): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host, allowHalfOpen: true });
    s.on('error', reject);
    cleanup.sockets.push(s);
    s.once('connect', () => resolve(s));
  });
}

/** Everything a raw socket receives until the peer closes (or resets). */
export function readAll(s: net.Socket): Promise<{ data: Buffer; error: string | null }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let error: string | null = null;
    s.on('data', (d: Buffer) => chunks.push(d));
    s.on('end', () => s.end());
    s.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    s.on('close', () => resolve({ data: Buffer.concat(chunks), error }));
  });
}

/** Resolve after `ms` milliseconds of real time (for "nothing more happens" checks only). */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The name of a Failure's error class. */
export function typeName(f: Failure | null): string {
  return f === null ? 'null' : (f.type as { name: string }).name;
}

/** One turn later (setImmediate). */
export function nextTurn(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

/** The Failure a Deferred fails with (null when it succeeds), without an unhandled error. */
export function failureOf(d: Deferred<unknown>): Promise<Failure | null> {
  return new Promise((resolve) => {
    d.addCallbacks(
      () => {
        resolve(null);
        return null;
      },
      (f: Failure) => {
        resolve(f);
        return null;
      },
    );
  });
}

/** A port number nothing listens on (bound, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const n = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(n));
    });
  });
}
