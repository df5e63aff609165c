// The Twisted side of the differential harness: one long-lived `python3 interp.py` process that
// runs programs sent as JSON lines and answers with their traces. See docs/differential.md.

import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import type { Program, TraceEvent } from './program.js';

const here = __dirname;

/** The Python to use: $TWISTLESS_PYTHON, else /usr/bin/python3 (where Debian's python3-twisted installs). */
export const PYTHON = process.env.TWISTLESS_PYTHON ?? '/usr/bin/python3';

/** Null when `PYTHON` can import Twisted, else why not (for a skip message). */
export function twistedUnavailable(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import twisted; print(twisted.__version__)'], { encoding: 'utf8', timeout: 20000 });
  if (r.error) return `${PYTHON} cannot run (${r.error.message}); install it with: apt-get install -y python3-twisted`;
  if (r.status !== 0) return `${PYTHON} cannot import twisted; install it with: apt-get install -y python3-twisted`;
  return null;
}

export class PythonOracle {
  private readonly proc: ChildProcessWithoutNullStreams;
  private buf = '';
  private nextId = 0;
  private readonly waiting = new Map<number, (trace: TraceEvent[]) => void>();
  private failed: Error | null = null;
  private stderr = '';

  constructor() {
    this.proc = spawn(PYTHON, [join(here, 'interp.py')], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdout.setEncoding('utf8');
    this.proc.stdout.on('data', (chunk: string) => this.onData(chunk));
    this.proc.stderr.setEncoding('utf8');
    this.proc.stderr.on('data', (chunk: string) => {
      this.stderr += chunk;
      if (this.stderr.length > 20000) this.stderr = this.stderr.slice(-20000);
    });
    this.proc.on('exit', (code, signal) => {
      this.failed = new Error(`the Python interpreter exited (code ${code}, signal ${signal}): ${this.stderr}`);
      for (const resolve of this.waiting.values()) resolve([['crash', 'PythonExited', this.failed.message]]);
      this.waiting.clear();
    });
  }

  private onData(chunk: string): void {
    this.buf += chunk;
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl);
      this.buf = this.buf.slice(nl + 1);
      const msg = JSON.parse(line) as { id: number; trace: TraceEvent[] };
      const resolve = this.waiting.get(msg.id);
      this.waiting.delete(msg.id);
      resolve?.(msg.trace);
    }
  }

  /** Run programs on Twisted; the traces come back in the same order. */
  runMany(progs: Program[]): Promise<TraceEvent[][]> {
    if (this.failed) return Promise.reject(this.failed);
    const out: Promise<TraceEvent[]>[] = [];
    const lines: string[] = [];
    progs.forEach((p, i) => {
      const id = this.nextId++;
      out.push(new Promise((resolve) => this.waiting.set(id, resolve)));
      lines.push(JSON.stringify({ id, ops: p.ops, flush: i === progs.length - 1 }));
    });
    this.proc.stdin.write(lines.join('\n') + '\n');
    // A program that loops for ever inside Twisted (none should: functions stop past MAX_STEPS
    // calls) would hang the run: fail it loudly instead.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.proc.kill();
        reject(new Error(`the Python interpreter gave no answer in ${PythonOracle.timeoutMs / 1000} s for a batch of ${progs.length} programs: one of them loops inside Twisted`));
      }, PythonOracle.timeoutMs);
    });
    return Promise.race([Promise.all(out), timeout]).finally(() => clearTimeout(timer));
  }

  /** How long a batch may take on the Python side. */
  static timeoutMs = 120000;

  close(): void {
    this.proc.stdin.end();
  }
}
