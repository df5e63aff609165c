// What the cross-language specs of spec/examples share: finding a python3 with Twisted (CI
// installs it; TWISTLESS_PYTHON chooses the interpreter), the command that runs one side of an
// example pair (examples/<name>.ts under tsx, examples/python/<name>.py under Python), and free
// loopback TCP ports.
import { execFileSync } from 'node:child_process';
import * as net from 'node:net';
import { join } from 'node:path';

export const root = join(__dirname, '..', '..');

/**
 * The first python3 that imports `modules` (Twisted, and what else a pair needs), or null. On CI
 * a missing one is an error naming `spec`, never a silent pass.
 */
export function findPython(spec: string, modules = 'twisted', packages = 'python3 with Twisted (python3-twisted)'): string | null {
  for (const candidate of [process.env.TWISTLESS_PYTHON, '/usr/bin/python3', 'python3']) {
    if (candidate === undefined || candidate === '') continue;
    try {
      execFileSync(candidate, ['-c', `import ${modules}`], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next one
    }
  }
  if (process.env.CI !== undefined) throw new Error(`spec/examples/${spec}: CI needs ${packages}`);
  return null;
}

/** Which implementation runs a side of a pair. */
export type Side = 'ts' | 'py';

/** The executable and arguments that run example `name` on `side`. */
export function command(python: string | null, side: Side, name: string, args: string[]): [string, string[]] {
  if (side === 'ts') return [process.execPath, ['--import', 'tsx', join(root, 'examples', `${name}.ts`), ...args]];
  return [python!, [join(root, 'examples', 'python', `${name}.py`), ...args]];
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const n = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(n));
    });
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}
