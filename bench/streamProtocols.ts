// What bench/internet.ts and bench/tls.ts share: the line echo and pinger protocols, the bulk
// source and sink, quiet factories, and the raw round-trip loop they are measured beside.
import type * as net from 'node:net';
import { LineReceiver } from '../lib/basic/index.js';
import { ClientFactory, Protocol } from '../lib/protocol/index.js';
import type { IPushProducer, ITCPTransport } from '../lib/protocol/index.js';

export const HOST = '127.0.0.1';
export const ROUND_TRIPS = 200;
export const LINE = Buffer.alloc(30, 'x'); // 32 bytes on the wire with the CRLF
export const RAW_MESSAGE = Buffer.concat([LINE, Buffer.from('\r\n')]);
export const CHUNK = Buffer.alloc(64 * 1024, 'b');

/** The Node socket under a protocol's transport. */
export function socketOf(p: Protocol): net.Socket {
  return (p.transport as ITCPTransport & { getHandle(): net.Socket | null }).getHandle()!;
}

/**
 * Let the process exit with this connection open: the groups keep one connection for all their
 * runs, and the client end holds the process (ref) only while a run is going on.
 */
export function unref(p: Protocol): void {
  socketOf(p).unref();
}

/** Run `fn` with `socket` holding the process. */
export async function holding(socket: net.Socket, fn: () => Promise<void>): Promise<void> {
  socket.ref();
  try {
    await fn();
  } finally {
    socket.unref();
  }
}

export class LineEcho extends LineReceiver {
  override connectionMade(): void {
    unref(this);
  }
  override lineReceived(line: Buffer): void {
    this.sendLine(line);
  }
}

/** Sends a line, waits for its echo, ROUND_TRIPS times per call of `run()`. */
export class LinePinger extends LineReceiver {
  private left = 0;
  private done: (() => void) | null = null;
  run(): Promise<void> {
    return new Promise((resolve) => {
      this.left = ROUND_TRIPS;
      this.done = resolve;
      this.sendLine(LINE);
    });
  }
  override lineReceived(): void {
    if (--this.left > 0) this.sendLine(LINE);
    else this.done!();
  }
}

/** A factory that does not log its start and stop. */
export function quiet<F extends { noisy: boolean }>(f: F): F {
  f.noisy = false;
  return f;
}

/** A client factory that hands the connected protocol to `ready`. */
export function clientFactory<P extends Protocol>(make: () => P, ready: (p: P) => void): ClientFactory<P> {
  const f = quiet(new ClientFactory<P>());
  f.buildProtocol = () => {
    const p = make();
    (p as { factory: unknown }).factory = f;
    const made = p.connectionMade.bind(p);
    p.connectionMade = () => {
      made();
      ready(p);
    };
    return p;
  };
  return f;
}

/** ROUND_TRIPS raw echo round trips on `s`, 'data' to write, with `s` holding the process. */
export async function rawRoundTrips(s: net.Socket): Promise<void> {
  await holding(s, () => new Promise<void>((resolve) => {
    let left = ROUND_TRIPS;
    let got = 0;
    const onData = (d: Buffer): void => {
      got += d.length;
      if (got < RAW_MESSAGE.length) return;
      got = 0;
      if (--left > 0) s.write(RAW_MESSAGE);
      else {
        s.removeListener('data', onData);
        resolve();
      }
    };
    s.on('data', onData);
    s.write(RAW_MESSAGE);
  }));
}

export class Sink extends Protocol {
  private want = 0;
  private got = 0;
  private done: (() => void) | null = null;
  until(n: number): Promise<void> {
    return new Promise((resolve) => {
      this.want = n;
      this.got = 0;
      this.done = resolve;
    });
  }
  override connectionMade(): void {
    unref(this);
  }
  override dataReceived(data: Buffer): void {
    this.got += data.length;
    if (this.got >= this.want && this.done !== null) {
      const done = this.done;
      this.done = null;
      done();
    }
  }
}

/** Writes `left` chunks through the transport's push-producer backpressure. */
export class Source extends Protocol implements IPushProducer {
  private left = 0;
  private paused = false;
  send(chunks: number): void {
    this.left = chunks;
    this.paused = false;
    this.resumeProducing();
  }
  pauseProducing(): void {
    this.paused = true;
  }
  resumeProducing(): void {
    this.paused = false;
    while (!this.paused && this.left > 0) {
      this.left--;
      this.transport!.write(CHUNK);
    }
  }
  stopProducing(): void {
    this.left = 0;
  }
}
