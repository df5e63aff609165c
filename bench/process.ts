// Benchmarks for lib/internet/spawnProcess.ts and process.ts: spawnProcess of `true` to its processEnded, beside Node's
// own child_process.spawn of `true` to its 'close' measured in the same run (same three pipes,
// same empty environment).
import { spawn } from 'node:child_process';
import { ProcessProtocol } from '../lib/protocol/index.js';
import { reactor } from '../lib/reactor/index.js';
import type { BenchGroup } from './harness.js';

const SPAWNS = 20;

class Ended extends ProcessProtocol {
  constructor(private readonly done: () => void) {
    super();
  }
  override processEnded(): void {
    this.done();
  }
}

async function twistlessSpawns(): Promise<void> {
  for (let i = 0; i < SPAWNS; i++) {
    await new Promise<void>((resolve) => {
      reactor.spawnProcess(new Ended(resolve), 'true', ['true']);
    });
  }
}

async function nodeSpawns(): Promise<void> {
  for (let i = 0; i < SPAWNS; i++) {
    await new Promise<void>((resolve, reject) => {
      const c = spawn('true', [], { argv0: 'true', env: {}, stdio: ['pipe', 'pipe', 'pipe'] });
      c.on('error', reject);
      c.stdout.resume();
      c.stderr.resume();
      c.on('close', () => resolve());
    });
  }
}

const spawnGroup: BenchGroup = {
  name: 'process: spawn `true` and wait for its end (ns per child)',
  subject: { name: 'reactor.spawnProcess -> processEnded', ops: SPAWNS, fn: twistlessSpawns },
  baselines: [{ name: "child_process.spawn -> 'close'", ops: SPAWNS, fn: nodeSpawns }],
  note: 'target: within 1.15x of child_process.spawn',
};

export const groups: BenchGroup[] = [spawnGroup];
