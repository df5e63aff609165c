// Cross-language conformance for TLS: examples/echoserv_ssl.ts and echoclient_ssl.ts talk to
// their Twisted listings (examples/python/, on Python Twisted with pyOpenSSL and
// service_identity) over 127.0.0.1, both ways, with the certificates of spec/fixtures/tls.
// Without such a python3 the Python pairs say so and only the twistless pair runs; CI installs
// python3-twisted, python3-openssl and python3-service-identity.
import { expect } from 'chai';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

function findPython(): string | null {
  for (const candidate of [process.env.TWISTLESS_PYTHON, '/usr/bin/python3', 'python3']) {
    if (candidate === undefined || candidate === '') continue;
    try {
      execFileSync(candidate, ['-c', 'import twisted, OpenSSL, service_identity'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next one
    }
  }
  return null;
}

const python = findPython();
if (python === null && process.env.CI !== undefined) throw new Error('spec/examples/tls.spec.ts: CI needs python3 with Twisted, pyOpenSSL and service_identity');

type Side = 'ts' | 'py';

function command(side: Side, name: string, args: string[]): [string, string[]] {
  if (side === 'ts') return [process.execPath, ['--import', 'tsx', join(root, 'examples', `${name}.ts`), ...args]];
  return [python!, [join(root, 'examples', 'python', `${name}.py`), ...args]];
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const n = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(n));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

async function startServer(side: Side, name: string, port: number): Promise<ChildProcess> {
  const [cmd, args] = command(side, name, [String(port)]);
  const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'ignore', 'ignore'] });
  const deadline = Date.now() + 40000;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`${name} (${side}) did not start listening on ${port}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return child;
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function runClient(side: Side, name: string, port: number): Promise<string> {
  const [cmd, args] = command(side, name, [String(port)]);
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd: root, timeout: 40000 }, (err, stdout) => (err !== null ? reject(err) : resolve(stdout.trimEnd())));
  });
}

const pairs: Array<[Side, Side]> = [
  ['ts', 'py'],
  ['py', 'ts'],
  ['ts', 'ts'],
];

describe('TLS examples against their Twisted listings', function () {
  this.timeout(120000);

  for (const [serverSide, clientSide] of pairs) {
    it(`echoserv_ssl (${serverSide}) / echoclient_ssl (${clientSide}): the client verifies "localhost", three lines are echoed over TLS, then a clean TLS close`, async () => {
      if (python === null && (serverSide === 'py' || clientSide === 'py')) {
        console.log('    (python3 with Twisted, pyOpenSSL and service_identity not found: this Python pair is not run)');
        return;
      }
      const port = await freePort();
      const server = await startServer(serverSide, 'echoserv_ssl', port);
      try {
        const out = await runClient(clientSide, 'echoclient_ssl', port);
        const show = clientSide === 'py' ? (t: string) => `b'${t}'` : (t: string) => t;
        expect(out.split('\n')).to.deep.equal([
          `receive: ${show('Hello, world!')}`,
          `receive: ${show('What a fine day it is.')}`,
          `receive: ${show('Bye-bye!')}`,
          'connection lost: Connection was closed cleanly.',
        ]);
      } finally {
        await stop(server);
      }
    });
  }
});
