// Benchmarks for lib/internet over real loopback TCP, each beside Node's own `net` measured in the
// same run: a 32-byte LineReceiver echo round trip, bulk one-way throughput into a Protocol's
// dataReceived, and the heap held per idle connection. Both ends run in this one process.
import * as net from 'node:net';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { ClientFactory, Factory, Protocol } from '../lib/protocol/index.js';
import type { Port } from '../lib/internet/tcp.js';
import type { ITCPTransport } from '../lib/protocol/index.js';
import { reactor } from '../lib/reactor/index.js';
import type { BenchGroup, BenchReport } from './harness.js';
import { CHUNK, HOST, ROUND_TRIPS, LineEcho, LinePinger, Sink, Source, clientFactory, holding, quiet, rawRoundTrips, socketOf, unref } from './streamProtocols.js';

const BULK_MIB = 100;
const IDLE = 5_000;

async function bound(port: Port): Promise<number> {
  await port.whenListening();
  return port.getHost().port;
}

function netListen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, HOST, 1024, () => resolve((server.address() as net.AddressInfo).port)));
}

// ------------------------------------------------------------------ round trip

let twistedPinger: Promise<LinePinger> | null = null;
function twistlessPinger(): Promise<LinePinger> {
  twistedPinger ??= (async () => {
    const port = reactor.listenTCP(0, quiet(Factory.forProtocol(LineEcho)), { interface: HOST });
    const n = await bound(port);
    const pinger = await new Promise<LinePinger>((resolve) => {
      reactor.connectTCP(HOST, n, clientFactory(() => new LinePinger(), (p) => {
        (p.transport as ITCPTransport).setTcpNoDelay(true);
        unref(p);
        resolve(p);
      }));
    });
    await port.stopListening();
    return pinger;
  })();
  return twistedPinger;
}

let rawPinger: Promise<net.Socket> | null = null;
function netPinger(): Promise<net.Socket> {
  rawPinger ??= (async () => {
    const server = net.createServer((s) => {
      s.setNoDelay(true);
      s.unref();
      s.on('data', (d) => s.write(d));
    });
    const n = await netListen(server);
    const client = await new Promise<net.Socket>((resolve) => {
      const s = net.connect({ host: HOST, port: n, noDelay: true }, () => resolve(s));
    });
    client.unref();
    server.close();
    return client;
  })();
  return rawPinger;
}

async function netRoundTrips(): Promise<void> {
  await rawRoundTrips(await netPinger());
}

const roundTripGroup: BenchGroup = {
  name: 'internet: 32-byte echo round trip over loopback TCP',
  subject: { name: 'LineReceiver echo server and client', ops: ROUND_TRIPS, fn: async () => {
    const p = await twistlessPinger();
    await holding(socketOf(p), () => p.run());
  } },
  baselines: [{ name: "raw net echo ('data' -> write)", ops: ROUND_TRIPS, fn: netRoundTrips }],
  note: 'target: at most 1.15x raw net; Twisted 22.4 under CPython: 1.38x to 1.63x of a Node raw echo',
};

// ------------------------------------------------------------------ bulk

/** Counts bytes; `until(n)` resolves once n more have arrived. */
let twistedBulk: Promise<[Source, () => Sink]> | null = null;
function twistlessBulkPair(): Promise<[Source, () => Sink]> {
  twistedBulk ??= (async () => {
    let sink: Sink | null = null;
    const f = quiet(Factory.forProtocol(Sink));
    const build = f.buildProtocol.bind(f);
    f.buildProtocol = (addr) => (sink = build(addr) as Sink);
    const port = reactor.listenTCP(0, f, { interface: HOST });
    const n = await bound(port);
    const source = await new Promise<Source>((resolve) => {
      reactor.connectTCP(HOST, n, clientFactory(() => new Source(), (p) => {
        (p.transport as ITCPTransport).registerProducer(p, true);
        unref(p);
        resolve(p);
      }));
    });
    await port.stopListening();
    return [source, () => sink!];
  })();
  return twistedBulk;
}

async function twistlessBulk(): Promise<void> {
  const [source, sink] = await twistlessBulkPair();
  const arrived = sink().until(BULK_MIB * 1024 * 1024);
  await holding(socketOf(source), async () => {
    source.send(BULK_MIB * 16);
    await arrived;
  });
}

let rawBulk: Promise<[net.Socket, { until(n: number): Promise<void> }]> | null = null;
function netBulkPair(): Promise<[net.Socket, { until(n: number): Promise<void> }]> {
  rawBulk ??= (async () => {
    let want = 0;
    let got = 0;
    let done: (() => void) | null = null;
    const counter = {
      until(n: number): Promise<void> {
        return new Promise<void>((resolve) => {
          want = n;
          got = 0;
          done = resolve;
        });
      },
    };
    const server = net.createServer((s) => {
      s.unref();
      s.on('data', (d: Buffer) => {
        got += d.length;
        if (got >= want && done !== null) {
          const fire = done;
          done = null;
          fire();
        }
      });
    });
    const n = await netListen(server);
    const client = await new Promise<net.Socket>((resolve) => {
      const s = net.connect({ host: HOST, port: n }, () => resolve(s));
    });
    client.unref();
    server.close();
    return [client, counter];
  })();
  return rawBulk;
}

async function netBulk(): Promise<void> {
  const [client, counter] = await netBulkPair();
  const arrived = counter.until(BULK_MIB * 1024 * 1024);
  let left = BULK_MIB * 16;
  const pump = (): void => {
    while (left > 0) {
      left--;
      if (!client.write(CHUNK)) {
        client.once('drain', pump);
        return;
      }
    }
  };
  await holding(client, async () => {
    pump();
    await arrived;
  });
}

const bulkGroup: BenchGroup = {
  name: 'internet: bulk one-way throughput, 100 MiB in 64 KiB writes (ns per MiB; MiB/s = 1e9 / that)',
  subject: { name: "push producer -> Protocol.dataReceived", ops: BULK_MIB, fn: twistlessBulk },
  baselines: [{ name: "net write()/'drain' -> 'data'", ops: BULK_MIB, fn: netBulk }],
  note: "target: at least raw net's 'data' throughput (a ratio at most 1.00x)",
  paired: true, // loopback throughput swings 2-3x from sample to sample, on both sides
};

export const groups: BenchGroup[] = [roundTripGroup, bulkGroup];

// ------------------------------------------------------------------ memory per idle connection

/** `global.gc`, or one obtained through V8's flags, or null. */
function getGc(): (() => void) | null {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return g;
  try {
    v8.setFlagsFromString('--expose-gc');
    const f = vm.runInNewContext('gc') as unknown;
    return typeof f === 'function' ? (f as () => void) : null;
  } catch {
    return null;
  }
}

function heap(gc: (() => void) | null): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

/** Heap bytes per idle connection (both ends, so one client and one server transport) with twistless. */
async function twistlessIdle(gc: (() => void) | null): Promise<number> {
  let accepted = 0;
  const clients: Protocol[] = [];
  let allAccepted: () => void = () => {};
  const serverFactory = quiet(Factory.forProtocol(Protocol));
  const build = serverFactory.buildProtocol.bind(serverFactory);
  serverFactory.buildProtocol = (addr) => {
    if (++accepted === IDLE) setImmediate(allAccepted);
    return build(addr);
  };
  const port = reactor.listenTCP(0, serverFactory, { interface: HOST, backlog: 1024 });
  const n = await bound(port);
  const before = heap(gc);
  const serversUp = new Promise<void>((resolve) => (allAccepted = resolve));
  // One client factory for all, as an application has; it counts the connections made.
  let made: () => void = () => {};
  let lost: () => void = () => {};
  let gone = 0;
  class Idle extends Protocol {
    override connectionMade(): void {
      clients.push(this);
      made();
    }
    override connectionLost(): void {
      lost();
    }
  }
  const factory = quiet(ClientFactory.forProtocol(Idle));
  for (let i = 0; i < IDLE; i += 250) {
    const batch = Math.min(250, IDLE - i);
    const target = clients.length + batch;
    const up = new Promise<void>((resolve) => (made = () => clients.length === target && resolve()));
    for (let k = 0; k < batch; k++) reactor.connectTCP(HOST, n, factory);
    await up;
  }
  await serversUp;
  const after = heap(gc);
  const closed = new Promise<void>((resolve) => (lost = () => ++gone === IDLE && resolve()));
  for (const c of clients) c.transport!.loseConnection();
  await closed;
  await port.stopListening();
  return (after - before) / IDLE;
}

/** The same with raw net sockets, each end with one 'data' listener. */
async function netIdle(gc: (() => void) | null): Promise<number> {
  const servers: net.Socket[] = [];
  let allAccepted: () => void = () => {};
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    s.on('data', () => {});
    servers.push(s);
    if (servers.length === IDLE) setImmediate(allAccepted);
  });
  const n = await netListen(server);
  const before = heap(gc);
  const serversUp = new Promise<void>((resolve) => (allAccepted = resolve));
  const clients: net.Socket[] = [];
  for (let i = 0; i < IDLE; i += 250) {
    await Promise.all(
      Array.from({ length: Math.min(250, IDLE - i) }, () => new Promise<void>((resolve) => {
        const s = net.connect({ host: HOST, port: n, allowHalfOpen: true }, () => resolve());
        s.on('data', () => {});
        clients.push(s);
      })),
    );
  }
  await serversUp;
  const after = heap(gc);
  const closed = Promise.all([...clients, ...servers].map((s) => new Promise((resolve) => s.once('close', resolve))));
  for (const s of clients) s.destroy();
  for (const s of servers) s.destroy();
  await closed;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return (after - before) / IDLE;
}

const idleReport: BenchReport = {
  name: `internet: heap bytes per idle connection (${IDLE} connections, both ends in this process)`,
  async run() {
    const gc = getGc();
    const raw = await netIdle(gc);
    const ours = await twistlessIdle(gc);
    return [
      `twistless Protocol pair (listenTCP + connectTCP)  ${Math.round(ours)} bytes/connection`,
      `raw net socket pair                               ${Math.round(raw)} bytes/connection   twistless/this = ${(ours / raw).toFixed(2)}x`,
      "(target: at most 1.5x raw net's; heap only, the sockets' kernel and libuv memory is outside it)",
    ].join('\n');
  },
};

export const reports: BenchReport[] = [idleReport];
