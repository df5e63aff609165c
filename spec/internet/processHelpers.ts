// Shared helpers of the child-process specs: a recording ProcessProtocol, the fixture paths, and
// cleanup that kills every child a spec left running and waits for its processEnded.
import * as path from 'node:path';
import type { Failure } from '../../lib/failure/index.js';
import { ProcessProtocol } from '../../lib/protocol/index.js';
import type { IProcessTransport } from '../../lib/protocol/index.js';
import { reactor } from '../../lib/reactor/index.js';
import type { SpawnProcessOptions } from '../../lib/protocol/index.js';

export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'process');
export const NODE = process.execPath;

/** The path of a fixture script. */
export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

/** The type name of a Failure's value. */
export function typeName(f: Failure): string {
  return (f.value as { constructor: { name: string } }).constructor.name;
}

/** A ProcessProtocol that records every event; `ended` resolves with processEnded's reason. */
export class RecordingPP extends ProcessProtocol {
  events: string[] = [];
  out: Buffer[] = [];
  err: Buffer[] = [];
  fds = new Map<number, Buffer[]>();
  exited: Failure | null = null;
  reason: Failure | null = null;
  ended: Promise<Failure>;
  exitedP: Promise<Failure>;
  made: Promise<void>;
  private endedResolve!: (f: Failure) => void;
  private exitedResolve!: (f: Failure) => void;
  private madeResolve!: () => void;
  constructor() {
    super();
    this.ended = new Promise((r) => (this.endedResolve = r));
    this.exitedP = new Promise((r) => (this.exitedResolve = r));
    this.made = new Promise((r) => (this.madeResolve = r));
  }
  override connectionMade(): void {
    this.events.push('connectionMade');
    this.madeResolve();
  }
  override childDataReceived(childFD: number, data: Buffer): void {
    if (childFD !== 1 && childFD !== 2) {
      this.events.push(`fd${childFD}`);
      const l = this.fds.get(childFD) ?? [];
      l.push(data);
      this.fds.set(childFD, l);
    }
    super.childDataReceived(childFD, data);
  }
  override outReceived(data: Buffer): void {
    if (this.events[this.events.length - 1] !== 'out') this.events.push('out');
    this.out.push(data);
  }
  override errReceived(data: Buffer): void {
    if (this.events[this.events.length - 1] !== 'err') this.events.push('err');
    this.err.push(data);
  }
  override childConnectionLost(childFD: number): void {
    this.events.push(`lost ${childFD}`);
    super.childConnectionLost(childFD);
  }
  override processExited(reason: Failure): void {
    this.events.push(`processExited ${typeName(reason)}`);
    this.exited = reason;
    this.exitedResolve(reason);
  }
  override processEnded(reason: Failure): void {
    this.events.push(`processEnded ${typeName(reason)}`);
    this.reason = reason;
    this.endedResolve(reason);
  }
  stdout(): string {
    return Buffer.concat(this.out).toString();
  }
  stderr(): string {
    return Buffer.concat(this.err).toString();
  }
  /** Resolve once stdout holds `text`. */
  async waitForOutput(text: string, ms = 5000): Promise<void> {
    const until = Date.now() + ms;
    while (!this.stdout().includes(text)) {
      if (Date.now() > until) throw new Error(`no ${JSON.stringify(text)} on stdout after ${ms} ms (got ${JSON.stringify(this.stdout())})`);
      await sleep(5);
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Spawns children and kills (then awaits) every one still running in `cleanup()`. */
export class Children {
  readonly spawned: { t: IProcessTransport; pp: RecordingPP }[] = [];
  spawn(pp: RecordingPP, executable: string, args: string[], options: SpawnProcessOptions = {}): IProcessTransport {
    const t = reactor.spawnProcess(pp, executable, args, options);
    this.spawned.push({ t, pp });
    return t;
  }
  async cleanup(): Promise<void> {
    for (const { t, pp } of this.spawned) {
      if (t.pid !== null) {
        try {
          t.signalProcess('KILL');
        } catch {
          // exited meanwhile
        }
      }
      t.loseConnection();
      await Promise.race([pp.ended, sleep(3000)]);
    }
    this.spawned.length = 0;
  }
}
