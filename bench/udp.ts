// Benchmarks for lib/internet/udp.ts over real loopback UDP, each beside Node's own `dgram`
// measured in the same run: a 32-byte datagram echo round trip (one in flight), and datagrams
// echoed per second with 16 in flight. Both ends run in this one process; a run that loses a
// datagram (it should not on loopback) fails after 5 s instead of hanging.
import * as dgram from 'node:dgram';
import { DatagramProtocol } from '../lib/protocol/index.js';
import type { DatagramAddress } from '../lib/protocol/index.js';
import { reactor } from '../lib/reactor/index.js';
import type { BenchGroup } from './harness.js';

const HOST = '127.0.0.1';
const ROUND_TRIPS = 200;
const WINDOW = 16;
const PIPELINED = 2000;
const DATAGRAM = Buffer.alloc(32, 'x');

/** A run that does not finish in 5 s lost a datagram: fail loudly. */
function bounded(what: string, start: (done: () => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench/udp.ts: ${what} lost a datagram (no progress in 5 s)`)), 5000);
    start(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

// ------------------------------------------------------------------ twistless

class Echo extends DatagramProtocol {
  override datagramReceived(data: Buffer, addr: DatagramAddress): void {
    this.transport!.write(data, addr);
  }
}

/** Sends `total` datagrams to the echo server with `window` in flight; `run()` resolves when all came back. */
class Pinger extends DatagramProtocol {
  target: DatagramAddress = [HOST, 0];
  private left = 0;
  private inFlight = 0;
  private done: (() => void) | null = null;
  run(total: number, window: number): Promise<void> {
    return bounded('twistless UDP', (done) => {
      this.left = total;
      this.done = done;
      for (let i = 0; i < window && this.left > 0; i++) this.send();
    });
  }
  private send(): void {
    this.left--;
    this.inFlight++;
    this.transport!.write(DATAGRAM, this.target);
  }
  override datagramReceived(): void {
    this.inFlight--;
    if (this.left > 0) this.send();
    else if (this.inFlight === 0) this.done!();
  }
}

let twistless: Pinger | null = null;
function twistlessPinger(): Pinger {
  if (twistless === null) {
    const echo = new Echo();
    echo.noisy = false;
    const server = reactor.listenUDP(0, echo, { interface: HOST });
    const pinger = new Pinger();
    pinger.noisy = false;
    const client = reactor.listenUDP(0, pinger, { interface: HOST });
    pinger.target = [HOST, server.getHost().port];
    // Let the process exit with the two ports open.
    server.getHandle()!.unref();
    client.getHandle()!.unref();
    twistless = pinger;
  }
  return twistless;
}

// ------------------------------------------------------------------ raw dgram

interface RawPinger {
  run(total: number, window: number): Promise<void>;
}

let raw: RawPinger | null = null;
async function rawPinger(): Promise<RawPinger> {
  if (raw === null) {
    const server = dgram.createSocket('udp4');
    server.on('message', (msg, rinfo) => server.send(msg, rinfo.port, rinfo.address));
    await new Promise<void>((r) => server.bind(0, HOST, r));
    const client = dgram.createSocket('udp4');
    await new Promise<void>((r) => client.bind(0, HOST, r));
    const port = server.address().port;
    server.unref();
    client.unref();
    let left = 0;
    let inFlight = 0;
    let done: (() => void) | null = null;
    const send = (): void => {
      left--;
      inFlight++;
      client.send(DATAGRAM, port, HOST);
    };
    client.on('message', () => {
      inFlight--;
      if (left > 0) send();
      else if (inFlight === 0) done!();
    });
    raw = {
      run: (total, window) =>
        bounded('raw dgram', (d) => {
          left = total;
          done = d;
          for (let i = 0; i < window && left > 0; i++) send();
        }),
    };
  }
  return raw;
}

async function holding(run: () => Promise<void>): Promise<void> {
  // The sockets are unref'd between runs; a timer holds the process during one.
  const hold = setInterval(() => {}, 1000);
  try {
    await run();
  } finally {
    clearInterval(hold);
  }
}

export const groups: BenchGroup[] = [
  {
    name: 'UDP echo round trip, 32-byte datagram, one in flight (per round trip)',
    note: 'target: within 1.15x of raw dgram',
    subject: { name: 'twistless listenUDP echo', ops: ROUND_TRIPS, fn: () => holding(() => twistlessPinger().run(ROUND_TRIPS, 1)) },
    baselines: [{ name: 'raw dgram echo', ops: ROUND_TRIPS, fn: () => holding(async () => (await rawPinger()).run(ROUND_TRIPS, 1)) }],
  },
  {
    name: `UDP datagrams echoed, 32 bytes, ${WINDOW} in flight (per datagram)`,
    note: 'target: within 1.15x of raw dgram',
    subject: { name: 'twistless listenUDP echo', ops: PIPELINED, fn: () => holding(() => twistlessPinger().run(PIPELINED, WINDOW)) },
    baselines: [{ name: 'raw dgram echo', ops: PIPELINED, fn: () => holding(async () => (await rawPinger()).run(PIPELINED, WINDOW)) }],
  },
];
