// Cross-language conformance for TLS: examples/echoserv_ssl.ts and echoclient_ssl.ts talk to
// their Twisted listings (examples/python/, on Python Twisted with pyOpenSSL and
// service_identity) over 127.0.0.1, both ways, with the certificates of spec/fixtures/tls.
// Without such a python3 the Python pairs say so and only the twistless pair runs; CI installs
// python3-twisted, python3-openssl and python3-service-identity.
import { expect } from 'chai';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { canConnect, command, findPython, freePort, root, type Side } from './pairs.js';

const python = findPython('tls.spec.ts', 'twisted, OpenSSL, service_identity', 'python3 with Twisted, pyOpenSSL and service_identity');

async function startServer(side: Side, name: string, port: number): Promise<ChildProcess> {
  const [cmd, args] = command(python, side, name, [String(port)]);
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
  const [cmd, args] = command(python, side, name, [String(port)]);
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
