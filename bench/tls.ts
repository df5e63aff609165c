// Benchmarks for TLS (lib/internet/tls.ts, ssl.ts) over real loopback TCP, each beside Node's own
// `tls` measured in the same run: a 32-byte LineReceiver echo round trip over listenSSL/connectSSL,
// and bulk one-way throughput into a Protocol's dataReceived. Both ends run in this one process,
// with the test certificates of spec/fixtures/tls (the client verifies "localhost").
import { existsSync, readFileSync } from 'node:fs';
import type * as net from 'node:net';
import { dirname, join } from 'node:path';
import * as tls from 'node:tls';
import { Factory } from '../lib/protocol/index.js';
import type { ITCPTransport } from '../lib/protocol/index.js';
import { reactor } from '../lib/reactor/index.js';
import { Certificate, CertificateOptions, optionsForClientTLS, PrivateCertificate } from '../lib/ssl/index.js';
import type { BenchGroup } from './harness.js';
import { CHUNK, HOST, ROUND_TRIPS, LineEcho, LinePinger, Sink, Source, clientFactory, holding, quiet, rawRoundTrips, socketOf } from './streamProtocols.js';

const BULK_MIB = 32;

// From source (bench/) or from the build (.tmp/bench-build/bench/): look upwards for the fixtures.
function fixtures(): string {
  for (let dir = __dirname, i = 0; i < 5; i++, dir = dirname(dir)) {
    const candidate = join(dir, 'spec', 'fixtures', 'tls');
    if (existsSync(join(candidate, 'server.pem'))) return candidate;
  }
  throw new Error('bench/tls.ts: spec/fixtures/tls not found above ' + __dirname);
}
const FIXTURES = fixtures();
const serverCert = PrivateCertificate.loadPEM(readFileSync(join(FIXTURES, 'server.pem')));
const caPEM = readFileSync(join(FIXTURES, 'ca.crt'));
const serverOptions = new CertificateOptions({ privateKey: serverCert.privateKey, certificate: serverCert });
const clientOptions = optionsForClientTLS('localhost', Certificate.loadPEM(caPEM));
const rawServerOptions: tls.TlsOptions = { key: readFileSync(join(FIXTURES, 'server.key')), cert: readFileSync(join(FIXTURES, 'server.crt')) };
const rawClientOptions = (port: number): tls.ConnectionOptions => ({ host: HOST, port, ca: caPEM, servername: 'localhost' });

function rawListen(server: tls.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, HOST, () => resolve((server.address() as net.AddressInfo).port)));
}

// ------------------------------------------------------------------ round trip

let pinger: Promise<LinePinger> | null = null;
function twistlessPinger(): Promise<LinePinger> {
  pinger ??= (async () => {
    const port = reactor.listenSSL(0, quiet(Factory.forProtocol(LineEcho)), serverOptions, { interface: HOST });
    await port.whenListening();
    const p = await new Promise<LinePinger>((resolve) => {
      reactor.connectSSL(HOST, port.getHost().port, clientFactory(() => new LinePinger(), (c) => {
        (c.transport as ITCPTransport).setTcpNoDelay(true);
        resolve(c);
      }), clientOptions);
    });
    await p.run(); // the handshake, once
    socketOf(p).unref();
    await port.stopListening();
    return p;
  })();
  return pinger;
}

let rawPinger: Promise<tls.TLSSocket> | null = null;
function tlsPinger(): Promise<tls.TLSSocket> {
  rawPinger ??= (async () => {
    const server = tls.createServer(rawServerOptions, (s) => {
      s.setNoDelay(true);
      s.unref();
      s.on('data', (d) => s.write(d));
    });
    const n = await rawListen(server);
    const client = await new Promise<tls.TLSSocket>((resolve) => {
      const s = tls.connect(rawClientOptions(n), () => resolve(s));
      s.setNoDelay(true);
    });
    client.unref();
    server.close();
    return client;
  })();
  return rawPinger;
}

async function tlsRoundTrips(): Promise<void> {
  await rawRoundTrips(await tlsPinger());
}

const roundTripGroup: BenchGroup = {
  name: 'tls: 32-byte echo round trip over loopback TLS',
  subject: { name: 'LineReceiver echo over listenSSL/connectSSL', ops: ROUND_TRIPS, fn: async () => {
    const p = await twistlessPinger();
    await holding(socketOf(p), () => p.run());
  } },
  baselines: [{ name: "raw tls echo ('data' -> write)", ops: ROUND_TRIPS, fn: tlsRoundTrips }],
  note: 'target: at most 1.15x raw tls',
};

// ------------------------------------------------------------------ bulk

let bulk: Promise<[Source, () => Sink | null]> | null = null;
function twistlessBulkPair(): Promise<[Source, () => Sink | null]> {
  bulk ??= (async () => {
    let sink: Sink | null = null;
    const f = quiet(Factory.forProtocol(Sink));
    const build = f.buildProtocol.bind(f);
    f.buildProtocol = (addr) => (sink = build(addr) as Sink);
    const port = reactor.listenSSL(0, f, serverOptions, { interface: HOST });
    await port.whenListening();
    const source = await new Promise<Source>((resolve) => {
      reactor.connectSSL(HOST, port.getHost().port, clientFactory(() => new Source(), (p) => {
        (p.transport as ITCPTransport).registerProducer(p, true);
        socketOf(p).unref();
        resolve(p);
      }), clientOptions);
    });
    await port.stopListening();
    return [source, () => sink];
  })();
  return bulk;
}

async function twistlessBulk(): Promise<void> {
  const [source, sink] = await twistlessBulkPair();
  await holding(socketOf(source), async () => {
    // The first run also waits for the server side to exist (connectionMade fires before the handshake).
    let s = sink();
    while (s === null) {
      await new Promise((r) => setImmediate(r));
      s = sink();
    }
    const arrived = s.until(BULK_MIB * 1024 * 1024);
    source.send(BULK_MIB * 16);
    await arrived;
  });
}

let rawBulk: Promise<[tls.TLSSocket, { until(n: number): Promise<void> }]> | null = null;
function tlsBulkPair(): Promise<[tls.TLSSocket, { until(n: number): Promise<void> }]> {
  rawBulk ??= (async () => {
    let want = 0;
    let got = 0;
    let done: (() => void) | null = null;
    const counter = {
      until(n: number): Promise<void> {
        return new Promise((resolve) => {
          want = n;
          got = 0;
          done = resolve;
        });
      },
    };
    const server = tls.createServer(rawServerOptions, (s) => {
      s.unref();
      s.on('data', (d: Buffer) => {
        got += d.length;
        if (got >= want && done !== null) {
          const f = done;
          done = null;
          f();
        }
      });
    });
    const n = await rawListen(server);
    const client = await new Promise<tls.TLSSocket>((resolve) => {
      const s = tls.connect(rawClientOptions(n), () => resolve(s));
    });
    client.unref();
    server.close();
    return [client, counter];
  })();
  return rawBulk;
}

async function tlsBulk(): Promise<void> {
  const [s, counter] = await tlsBulkPair();
  await holding(s, async () => {
    const arrived = counter.until(BULK_MIB * 1024 * 1024);
    let left = BULK_MIB * 16;
    await new Promise<void>((resolve) => {
      const pump = (): void => {
        while (left > 0) {
          left--;
          if (!s.write(CHUNK)) {
            s.once('drain', pump);
            return;
          }
        }
        resolve();
      };
      pump();
    });
    await arrived;
  });
}

const bulkGroup: BenchGroup = {
  name: `tls: bulk ${BULK_MIB} MiB one way over loopback TLS`,
  subject: { name: 'push producer -> Protocol.dataReceived over listenSSL/connectSSL', ops: BULK_MIB, fn: twistlessBulk },
  baselines: [{ name: "raw tls write/'drain' -> 'data'", ops: BULK_MIB, fn: tlsBulk }],
  note: 'ns per MiB; target: at most 1.15x raw tls',
  paired: true, // loopback throughput swings 2-3x from sample to sample, on both sides
};

export const groups: BenchGroup[] = [roundTripGroup, bulkGroup];
