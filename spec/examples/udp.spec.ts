// Cross-language conformance for UDP: examples/echoserv_udp.ts and echoclient_udp.ts against
// their Twisted listings (examples/python/), both ways, over 127.0.0.1; and the client alone
// against a closed port (connectionRefused). Needs a python3 with Twisted (CI installs it; set
// TWISTLESS_PYTHON to choose the interpreter); without one, the Python pairs say so and only the
// twistless side runs.
import { expect } from 'chai';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as dgram from 'node:dgram';
import { command, findPython, root, type Side } from './pairs.js';

const python = findPython('udp.spec.ts');

/** A UDP port nothing listens on (bound on 0.0.0.0, then released). */
function freeUDPPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.bind(0, '0.0.0.0', () => {
      const n = s.address().port;
      s.close(() => resolve(n));
    });
  });
}

/** Whether a datagram to 127.0.0.1:`port` comes back within `ms`. */
function echoes(port: number, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const timer = setTimeout(() => done(false), ms);
    function done(ok: boolean): void {
      clearTimeout(timer);
      s.close();
      resolve(ok);
    }
    s.on('error', () => done(false));
    s.on('message', (m) => done(m.toString() === 'probe'));
    s.send('probe', port, '127.0.0.1');
  });
}

interface Server {
  child: ChildProcess;
  stop: () => Promise<void>;
}

async function startServer(side: Side, name: string, port: number): Promise<Server> {
  const [cmd, args] = command(python, side, name, [String(port)]);
  const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'ignore', 'ignore'] });
  const server: Server = {
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
  const deadline = Date.now() + 40000;
  while (!(await echoes(port, 200))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await server.stop();
      throw new Error(`${name} (${side}) did not start echoing on UDP ${port}`);
    }
  }
  return server;
}

function runClient(side: Side, name: string, port: number): Promise<string> {
  const [cmd, args] = command(python, side, name, [String(port)]);
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd: root, timeout: 40000 }, (err, stdout) => (err !== null ? reject(err) : resolve(stdout.trimEnd())));
  });
}

function pythonMissing(server: Side, client: Side): boolean {
  if (python === null && (server === 'py' || client === 'py')) {
    console.log('    (python3 with Twisted not found: this Python pair is not run; CI installs python3-twisted)');
    return true;
  }
  return false;
}

const sides: Array<[Side, Side]> = [
  ['ts', 'py'],
  ['py', 'ts'],
  ['ts', 'ts'],
];

describe('UDP examples against their Twisted listings', function () {
  this.timeout(120000);

  for (const [serverSide, clientSide] of sides) {
    it(`echoserv_udp (${serverSide}) / echoclient_udp (${clientSide}): three datagrams echoed one at a time, then the client stops`, async () => {
      if (pythonMissing(serverSide, clientSide)) return;
      const port = await freeUDPPort();
      const server = await startServer(serverSide, 'echoserv_udp', port);
      try {
        const out = await runClient(clientSide, 'echoclient_udp', port);
        expect(out.split('\n')).to.deep.equal([
          "Datagram received:  b'Hello, world!'",
          "Datagram received:  b'What a fine day it is.'",
          "Datagram received:  b'Bye-bye!'",
        ]);
      } finally {
        await server.stop();
      }
    });
  }

  it('echoclient_udp (ts) with no server: connectionRefused() (the select/asyncio reactors\' behaviour), then it stops', async () => {
    const port = await freeUDPPort();
    expect(await runClient('ts', 'echoclient_udp', port)).to.equal('No one listening');
  });
});
