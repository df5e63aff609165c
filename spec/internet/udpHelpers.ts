// The datagram protocols of twisted/test/test_udp.py (Server, GoodClient, BadClient) and the
// cleanup of every UDP port a spec opened.
import { Deferred } from '../../lib/defer/index.js';
import { ConnectionRefusedError } from '../../lib/error/index.js';
import { Failure } from '../../lib/failure/index.js';
import { DatagramProtocol } from '../../lib/protocol/index.js';
import type { DatagramAddress, IMulticastTransport, IUDPTransport } from '../../lib/protocol/index.js';
import { LogCapture } from '../reactor/logCapture.js';

/** test_udp.py's Mixin + Server: records datagrams; fires `startedDeferred` and `packetReceived` once each. */
export class Server<T extends IUDPTransport = IUDPTransport> extends DatagramProtocol<T> {
  started = 0;
  stopped = 0;
  startedDeferred: Deferred<void> | null = null;
  packetReceived: Deferred<void> | null = null;
  packets: Array<[Buffer, DatagramAddress]> = [];
  refused = 0;

  override startProtocol(): void {
    this.started = 1;
    const d = this.startedDeferred;
    if (d !== null) {
      this.startedDeferred = null;
      d.callback(undefined);
    }
  }

  override stopProtocol(): void {
    this.stopped = 1;
  }

  override datagramReceived(data: Buffer, addr: DatagramAddress): void {
    this.packets.push([data, addr]);
    const d = this.packetReceived;
    if (d !== null) {
      this.packetReceived = null;
      d.callback(undefined);
    }
  }
}

/** A Server for listenMulticast. */
export class MulticastServer extends Server<IMulticastTransport> {}

/** test_udp.py's GoodClient: a Server whose connectionRefused fails `startedDeferred`. */
export class GoodClient<T extends IUDPTransport = IUDPTransport> extends Server<T> {
  override connectionRefused(): void {
    const d = this.startedDeferred;
    if (d !== null) {
      this.startedDeferred = null;
      d.errback(new Failure(new ConnectionRefusedError('yup')));
    }
    this.refused = 1;
  }
}

/** Raised by BadClient at the end of every datagramReceived. */
export class BadClientError extends Error {
  override name = 'BadClientError';
}

/** test_udp.py's BadClient: datagramReceived fires the Deferred set, then throws. */
export class BadClient extends DatagramProtocol {
  d: Deferred<Buffer> | null = null;
  setDeferred(d: Deferred<Buffer>): void {
    this.d = d;
  }
  override datagramReceived(data: Buffer): void {
    const d = this.d;
    if (d !== null) {
      this.d = null;
      d.callback(data);
    }
    throw new BadClientError('Application code is very buggy!');
  }
}

/** What a UDP spec opened; close() stops every port still listening. */
export class UDPCleanup {
  ports: Array<{ stopListening(): Deferred<void> | null }> = [];
  log = new LogCapture();
  start(): void {
    this.ports = [];
    this.log = new LogCapture();
    this.log.start();
  }
  add<P extends { stopListening(): Deferred<void> | null }>(port: P): P {
    this.ports.push(port);
    return port;
  }
  async close(): Promise<void> {
    for (const p of this.ports) {
      const d = p.stopListening();
      if (d !== null) await d;
    }
    this.ports = [];
    this.log.stop();
  }
  /** The texts of the log lines so far. */
  messages(): string[] {
    return this.log.events.map((e) => e.message.join(' '));
  }
}

/** Resolve after `ms` of real time (only to let a datagram that must not arrive have its chance). */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A Deferred's result or failure as a promise (a failure resolves to the Failure, unhandled nowhere). */
export function settle<T>(d: Deferred<T>): Promise<{ ok: true; value: T } | { ok: false; failure: Failure }> {
  return new Promise((resolve) => {
    d.addCallbacks(
      (value: T) => {
        resolve({ ok: true, value });
        return null;
      },
      (failure: Failure) => {
        resolve({ ok: false, failure });
        return null;
      },
    );
  });
}

/** A Deferred that fails with TimeoutError after `seconds` unless it fired before (bounds waits on UDP). */
export function within<T>(d: Deferred<T>, seconds: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: nothing after ${seconds}s`)), seconds * 1000);
    d.addCallbacks(
      (v: T) => {
        clearTimeout(timer);
        resolve(v);
        return null;
      },
      (f: Failure) => {
        clearTimeout(timer);
        reject(f.value);
        return null;
      },
    );
  });
}
