// The differential harness's program generator: a seeded PRNG makes program `index` of seed `seed`
// the same on every run, alone or in a batch. Programs matching a known difference (known.ts) are
// drawn again. See docs/differential.md.

import type { ErrName, FnSpec, IcEnd, IcStep, Op, PrimKind, Program } from './program.js';
import { KNOWN_DIFFERENCES, matchingDifferences } from './known.js';
import type { KnownDifference } from './known.js';

/** mulberry32: small, fast, good enough for test generation. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mix(...xs: number[]): number {
  let h = 0x811c9dc5;
  for (const x of xs) {
    h = Math.imul(h ^ (x >>> 0), 0x01000193);
    h ^= h >>> 13;
    h = Math.imul(h, 0x5bd1e995);
    h ^= h >>> 15;
  }
  return h >>> 0;
}

class Gen {
  nD = 0;
  nC = 0;
  nL = 0;
  /** The kind of each K slot made so far. */
  K: PrimKind[] = [];
  /** Whether this program uses concurrency primitives (about a third do). */
  prims = false;
  tag = 0;
  constructor(
    readonly r: () => number,
    readonly maxOps: number,
  ) {}

  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  weighted<K extends string>(table: readonly (readonly [K, number])[]): K {
    let total = 0;
    for (const [, w] of table) total += w;
    let x = this.r() * total;
    for (const [k, w] of table) {
      x -= w;
      if (x < 0) return k;
    }
    return table[table.length - 1][0];
  }
  val(): number {
    return this.int(10);
  }
  err(): ErrName {
    return this.chance(0.6) ? 'E1' : 'E2';
  }
  time(): number {
    return this.pick([0, 0.5, 1, 1, 1.5, 2, 3]);
  }
  /** A D index, sometimes one made later in the program (a function runs later). */
  dRef(): number {
    return this.int(this.nD + 2);
  }
  existingD(): number {
    return this.int(this.nD);
  }
  /** Whether some K slot is a lock or semaphore (lockish) or a queue. */
  hasK(queue: boolean): boolean {
    return this.K.some((k) => (k === 'queue') === queue);
  }
  /** A K index of a lock or semaphore (queue false) or of a queue (queue true); one exists. */
  kRef(queue: boolean): number {
    const ks: number[] = [];
    this.K.forEach((k, i) => {
      if ((k === 'queue') === queue) ks.push(i);
    });
    return this.pick(ks);
  }

  /**
   * A function for `context`: a callback, delayed call, looping function, canceller, generator
   * step, the function of a run() op ('run'), or the function a 'run' action runs ('krun', which
   * makes no further acquire, get or run).
   */
  fn(context: 'cb' | 'dc' | 'lc' | 'canc' | 'ic' | 'run' | 'krun'): FnSpec {
    const t = this.tag++;
    if (context === 'canc') {
      const k = this.weighted([
        ['selfcb', 3],
        ['selfeb', 2],
        ['pass', 3],
        ['raise', 1],
        ['fire', 1],
      ] as const);
      if (k === 'selfcb') return [t, 'selfcb', this.val()];
      if (k === 'selfeb') return [t, 'selfeb', this.err()];
      if (k === 'raise') return [t, 'raise', this.err()];
      if (k === 'fire') return [t, 'fire', this.dRef(), this.val()];
      return [t, 'pass'];
    }
    const lockish = this.hasK(false);
    const queue = this.hasK(true);
    const nests = context !== 'krun';
    const k = this.weighted([
      ['pass', 8],
      ['val', 3],
      ['add', 5],
      ['raise', context === 'lc' ? 2 : 4],
      ['trap', context === 'cb' ? 3 : 0],
      ['retD', context === 'dc' ? 0 : 5],
      ['fire', 4],
      ['efire', 2],
      ['cancel', 3],
      ['pause', 1],
      ['unpause', 1],
      ['lstop', this.nL > 0 ? 3 : 0],
      ['dcancel', this.nC > 0 ? 1 : 0],
      ['dreset', this.nC > 0 ? 1 : 0],
      ['advance', 1],
      ['later', 2],
      ['passthru', context === 'cb' ? 1 : 0],
      ['release', lockish ? 4 : 0],
      ['put', queue ? 3 : 0],
      ['acquire', lockish && nests ? 2 : 0],
      ['get', queue && nests ? 2 : 0],
      ['run', lockish && nests ? 2 : 0],
    ] as const);
    switch (k) {
      case 'val':
        return [t, 'val', this.val()];
      case 'add':
        return [t, 'add', 1 + this.int(9)];
      case 'raise':
        return [t, 'raise', this.err()];
      case 'trap':
        return [t, 'trap', this.err()];
      case 'retD':
        return [t, 'retD', this.dRef()];
      case 'fire':
        return [t, 'fire', this.dRef(), this.val()];
      case 'efire':
        return [t, 'efire', this.dRef(), this.err()];
      case 'cancel':
      case 'pause':
      case 'unpause':
        return [t, k, this.dRef()];
      case 'lstop':
        return [t, 'lstop', this.int(this.nL)];
      case 'dcancel':
        return [t, 'dcancel', this.int(this.nC)];
      case 'dreset':
        return [t, 'dreset', this.int(this.nC), this.time()];
      case 'advance':
        return [t, 'advance', this.pick([0, 0.5, 1])];
      case 'passthru':
        return [t, 'passthru'];
      case 'later':
        return [t, 'later', this.time(), this.tag++];
      case 'release':
        return [t, 'release', this.kRef(false)];
      case 'put':
        return [t, 'put', this.kRef(true), this.val()];
      case 'acquire':
        return [t, 'acquire', this.kRef(false), this.chance(0.5)];
      case 'get':
        return [t, 'get', this.kRef(true), this.chance(0.5)];
      case 'run':
        return [t, 'run', this.kRef(false), this.fn('krun'), this.chance(0.5)];
      default:
        return [t, 'pass'];
    }
  }

  ids(): number[] {
    const n = this.nD === 0 ? 0 : this.int(4);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(this.existingD());
    return out;
  }

  args(): number[] {
    return this.chance(0.1) ? [this.val()] : [];
  }

  /** An operation that makes a lock, a semaphore or a queue. */
  maker(): Op {
    const k = this.pick(['lock', 'sem', 'queue'] as const);
    this.K.push(k);
    if (k === 'lock') return ['lock'];
    // One token half the time, so that acquires wait as often as on a lock.
    if (k === 'sem') return ['sem', this.pick([1, 1, 2, 3])];
    return ['queue', this.pick([null, null, 0, 1, 2]), this.pick([null, null, 0, 1, 2])];
  }

  op(): Op {
    for (;;) {
      const k = this.weighted([
        ['new', 10],
        ['succeed', 4],
        ['fail', 3],
        ['cb', 8],
        ['eb', 4],
        ['add', 14],
        ['cbs', 3],
        ['cancel', 5],
        ['pause', 3],
        ['unpause', 3],
        ['chain', 3],
        ['timeout', 3],
        ['dl', 4],
        ['gather', 3],
        ['ic', 5],
        ['later', 6],
        ['reset', 3],
        ['delay', 3],
        ['dcancel', 2],
        ['advance', 7],
        ['lc', 3],
        ['lstart', 4],
        ['lstop', 2],
        // Only in programs that use primitives (see program()).
        ['maker', this.prims ? 4 : 0],
        ['acquire', this.prims ? 22 : 0],
        ['release', this.prims ? 20 : 0],
        ['run', this.prims ? 20 : 0],
        ['put', this.prims ? 14 : 0],
        ['get', this.prims ? 14 : 0],
      ] as const);
      const needsD = ['cb', 'eb', 'add', 'cbs', 'cancel', 'pause', 'unpause', 'chain', 'timeout'].includes(k);
      if (needsD && this.nD === 0) continue;
      if (['reset', 'delay', 'dcancel'].includes(k) && this.nC === 0) continue;
      if (['lstart', 'lstop'].includes(k) && this.nL === 0) continue;
      if (['acquire', 'release', 'run'].includes(k) && !this.hasK(false)) continue;
      if (['put', 'get'].includes(k) && !this.hasK(true)) continue;
      switch (k) {
        case 'new':
          this.nD++;
          return ['new', this.chance(0.5) ? this.fn('canc') : null];
        case 'succeed':
          this.nD++;
          return ['succeed', this.val()];
        case 'fail':
          this.nD++;
          return ['fail', this.err()];
        case 'cb':
          return ['cb', this.existingD(), this.val()];
        case 'eb':
          return ['eb', this.existingD(), this.err()];
        case 'add':
          return ['add', this.existingD(), this.pick(['cb', 'eb', 'both'] as const), this.fn('cb'), this.args()];
        case 'cbs':
          return ['cbs', this.existingD(), this.fn('cb'), this.chance(0.2) ? null : this.fn('cb'), this.args(), this.args()];
        case 'cancel':
        case 'pause':
        case 'unpause':
          return [k, this.existingD()];
        case 'chain':
          return ['chain', this.existingD(), this.existingD()];
        case 'timeout':
          return ['timeout', this.existingD(), this.time()];
        case 'dl': {
          const o: Op = ['dl', this.ids(), this.chance(0.3), this.chance(0.3), this.chance(0.3)];
          this.nD++;
          return o;
        }
        case 'gather': {
          const o: Op = ['gather', this.ids(), this.chance(0.3)];
          this.nD++;
          return o;
        }
        case 'ic': {
          const steps: IcStep[] = [];
          const n = 1 + this.int(3);
          for (let i = 0; i < n; i++) {
            const s = this.weighted([
              ['y', 6],
              ['v', 1],
              ['op', 2],
            ] as const);
            if (s === 'y') steps.push(['y', this.dRef(), this.chance(0.4)]);
            else if (s === 'v') steps.push(['v', this.val()]);
            else steps.push(['op', this.fn('ic')]);
          }
          const end: IcEnd = this.chance(0.8) ? ['ret', this.val()] : ['raise', this.err()];
          this.nD++;
          return ['ic', this.tag++, steps, end];
        }
        case 'later': {
          const o: Op = ['later', this.time(), this.fn('dc')];
          this.nC++;
          return o;
        }
        case 'reset':
        case 'delay':
          return [k, this.int(this.nC), this.time()];
        case 'dcancel':
          return ['dcancel', this.int(this.nC)];
        case 'advance':
          return ['advance', this.pick([0, 0.5, 1, 1, 2, 3])];
        case 'lc': {
          const o: Op = ['lc', this.fn('lc')];
          this.nL++;
          return o;
        }
        case 'lstart': {
          this.nD++;
          return ['lstart', this.int(this.nL), this.pick([0, 0.5, 1, 1, 2]), this.chance(0.6)];
        }
        case 'lstop':
          return ['lstop', this.int(this.nL)];
        case 'maker':
          return this.maker();
        case 'acquire':
          this.nD++;
          return ['acquire', this.kRef(false)];
        case 'release':
          return ['release', this.kRef(false)];
        case 'run': {
          // Made before the D count moves on, so the function may return the run()'s own Deferred.
          const o: Op = ['run', this.kRef(false), this.fn('run'), this.args()];
          this.nD++;
          return o;
        }
        case 'put':
          return ['put', this.kRef(true), this.val()];
        case 'get':
          this.nD++;
          return ['get', this.kRef(true)];
      }
    }
  }

  program(): Program {
    const n = 3 + this.int(this.maxOps - 2);
    const ops: Op[] = [];
    // About a third of the programs use primitives, and those start by making one.
    this.prims = this.chance(0.35);
    if (this.prims) ops.push(this.maker());
    while (ops.length < n) ops.push(this.op());
    if (this.chance(0.5)) ops.push(['advance', this.pick([1, 3, 10])]);
    return { ops };
  }
}

/**
 * Program `index` of `seed`, of 3 to `maxOps` operations (plus maybe a final advance). Programs
 * that match one of `exclude` (by default every known difference, see known.ts) are drawn
 * again, so the stream stays reproducible.
 */
export function generate(seed: number, index: number, exclude: readonly KnownDifference[] = KNOWN_DIFFERENCES, maxOps = 14): Program {
  for (let attempt = 0; ; attempt++) {
    const prog = new Gen(prng(mix(seed, index, attempt)), maxOps).program();
    if (attempt >= 1000 || matchingDifferences(prog, exclude).length === 0) return prog;
  }
}
