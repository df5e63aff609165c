// Cross-language conformance: the networking examples of examples/ talk to their Twisted listings
// (examples/python/, run on Python Twisted) over 127.0.0.1, both ways, and to plain Node sockets.
// Needs a python3 with Twisted (CI installs it; set TWISTLESS_PYTHON to choose the interpreter);
// without one, the Python pairs say so and check only the twistless side.
import { expect } from 'chai';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import { canConnect, command, findPython, freePort, root, type Side } from './pairs.js';

const python = findPython('network.spec.ts');

interface Server {
  child: ChildProcess;
  stdout: () => string;
  stop: () => Promise<void>;
}

async function startServer(side: Side, name: string, port: number): Promise<Server> {
  const [cmd, args] = command(python, side, name, [String(port)]);
  const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', () => {});
  const deadline = Date.now() + 40000;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${name} (${side}) did not start listening on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    stdout: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function runClient(side: Side, name: string, port: number): Promise<string> {
  const [cmd, args] = command(python, side, name, [String(port)]);
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd: root, timeout: 40000 }, (err, stdout) => (err !== null ? reject(err) : resolve(stdout.trimEnd())));
  });
}

/** Send `request` from a plain socket (no half-close: Twisted protocols drop a reply on a peer FIN) and read to the close. */
function exchange(port: number, request: string, onFirstData?: (s: net.Socket, first: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let first = true;
    s.on('connect', () => {
      if (request !== '') s.write(request);
    });
    s.on('data', (d: Buffer) => {
      chunks.push(d);
      if (first && onFirstData !== undefined) {
        first = false;
        onFirstData(s, d.toString());
      }
    });
    s.on('error', reject);
    s.on('close', () => resolve(Buffer.concat(chunks).toString()));
  });
}

const sides: Array<[Side, Side]> = [
  ['ts', 'py'],
  ['py', 'ts'],
];

function pythonMissing(server: Side, client: Side): boolean {
  if (python === null && (server === 'py' || client === 'py')) {
    console.log('    (python3 with Twisted not found: this Python pair is not run; CI installs python3-twisted)');
    return true;
  }
  return false;
}

describe('network examples against their Twisted listings', function () {
  this.timeout(120000);

  for (const [serverSide, clientSide] of sides) {
    it(`echoserv (${serverSide}) / echoclient (${clientSide}): three lines echoed over "localhost", then a clean close`, async () => {
      if (pythonMissing(serverSide, clientSide)) return;
      const port = await freePort();
      const server = await startServer(serverSide, 'echoserv', port);
      try {
        const out = await runClient(clientSide, 'echoclient', port);
        const show = clientSide === 'py' ? (t: string) => `b'${t}'` : (t: string) => t;
        expect(out.split('\n')).to.deep.equal([
          `receive: ${show('Hello, world!')}`,
          `receive: ${show('What a fine day it is.')}`,
          `receive: ${show('Bye-bye!')}`,
          'connection lost: Connection was closed cleanly.',
        ]);
      } finally {
        await server.stop();
      }
    });

    it(`simpleserv (${serverSide}) / simpleclient (${clientSide}): the reply, then connectionLost before clientConnectionLost, which stops the reactor`, async () => {
      if (pythonMissing(serverSide, clientSide)) return;
      const port = await freePort();
      const server = await startServer(serverSide, 'simpleserv', port);
      try {
        const out = await runClient(clientSide, 'simpleclient', port);
        expect(out.split('\n')).to.deep.equal([
          `Server said: ${clientSide === 'py' ? "b'hello, world!'" : 'hello, world!'}`,
          'connection lost',
          'Connection lost - goodbye!',
        ]);
      } finally {
        await server.stop();
      }
    });
  }

  for (const side of ['ts', 'py'] as const) {
    it(`chatserver (${side}): a line from one client reaches every client, LF-terminated`, async () => {
      if (pythonMissing(side, side)) return;
      const port = await freePort();
      const server = await startServer(side, 'chatserver', port);
      try {
        const open = (): Promise<{ s: net.Socket; data: () => string }> =>
          new Promise((resolve) => {
            const s = net.connect(port, '127.0.0.1');
            let data = '';
            s.on('data', (d: Buffer) => (data += d.toString()));
            s.on('error', () => {});
            s.on('connect', () => resolve({ s, data: () => data }));
          });
        const alice = await open();
        const bob = await open();
        while ((server.stdout().match(/Got new client!/g) ?? []).length < 2) await new Promise((r) => setTimeout(r, 20));
        alice.s.write('hello all\r\n');
        while (alice.data() === '' || bob.data() === '') await new Promise((r) => setTimeout(r, 20));
        expect(alice.data()).to.equal('hello all\n');
        expect(bob.data()).to.equal('hello all\n');
        bob.s.destroy();
        while (!server.stdout().includes('Lost a client!')) await new Promise((r) => setTimeout(r, 20));
        alice.s.write('still here\r\n');
        while (alice.data() === 'hello all\n') await new Promise((r) => setTimeout(r, 20));
        expect(alice.data()).to.equal('hello all\nstill here\n');
        alice.s.destroy();
      } finally {
        await server.stop();
      }
    });

    for (const finger of ['finger07', 'finger08'] as const) {
      it(`${finger} (${side}): serverFromString; a known user gets the status, an unknown one "No such user", then the server closes`, async () => {
        if (pythonMissing(side, side)) return;
        const port = await freePort();
        const server = await startServer(side, finger, port);
        try {
          expect(await exchange(port, 'moshez\r\n')).to.equal('Happy and well\r\n');
          expect(await exchange(port, 'nobody\r\n')).to.equal('No such user\r\n');
        } finally {
          await server.stop();
        }
      });
    }

    it(`streaming (${side}): a push producer streams 200,000 lines, paused and resumed by the transport, then closes`, async () => {
      if (pythonMissing(side, side)) return;
      const port = await freePort();
      const server = await startServer(side, 'streaming', port);
      try {
        const text = await exchange(port, '', (s, first) => {
          expect(first.startsWith('How many random integers do you want?\r\n')).to.equal(true);
          s.write('200000\r\n');
        });
        const lines = text.split('\r\n');
        expect(lines[0]).to.equal('How many random integers do you want?');
        expect(lines.at(-1)).to.equal('');
        const numbers = lines.slice(1, -1);
        expect(numbers).to.have.length(200000);
        expect(numbers.every((n) => /^\d+$/.test(n))).to.equal(true);
        while (!server.stdout().includes('Connection lost from')) await new Promise((r) => setTimeout(r, 20));
        expect(server.stdout()).to.match(/Pausing connection from IPv4Address\(type='TCP', host='127\.0\.0\.1', port=\d+\)/);
      } finally {
        await server.stop();
      }
    });
  }
});
