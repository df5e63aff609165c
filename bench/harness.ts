// The benchmark harness: each bench/<module>.ts exports `groups`, a list of comparisons. A group
// has one subject (twistless) and the baselines it is judged against (native Promise, plain
// callbacks, bare promise hand-offs), all measured in the same run so the ratios are fair.

/** One measured case: `fn` performs `ops` operations each time it is called. */
export interface BenchCase {
  name: string;
  ops: number;
  fn: () => unknown;
}

/** A subject measured beside its baselines; ratios are subject ns/op over baseline ns/op. */
export interface BenchGroup {
  name: string;
  subject: BenchCase;
  baselines: BenchCase[];
  /** A short note printed under the group (the target, what the baseline is). */
  note?: string;
  /**
   * Measure each baseline against the subject in alternating single samples (see `paired`):
   * for cases whose cost swings from sample to sample with state both sides share (the garbage
   * collector's, the loopback connection's), which a block of one side's samples followed by a
   * block of the other's would turn into the ratio.
   */
  paired?: boolean;
}

/** A measurement that is not a time (bytes per tasklet, say): `run` returns the lines to print. */
export interface BenchReport {
  name: string;
  run: () => string | Promise<string>;
}

export interface BenchResult {
  group: string;
  name: string;
  nsPerOp: number;
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof (x as { then?: unknown }).then === 'function';
}

async function once(c: BenchCase): Promise<number> {
  const t0 = process.hrtime.bigint();
  const r = c.fn();
  if (isThenable(r)) await r;
  return Number(process.hrtime.bigint() - t0);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** What `paired` measured: each side's median ns/op, and the median of the pairs' ratios. */
export interface PairedResult {
  subjectNs: number;
  baselineNs: number;
  ratio: number;
}

/**
 * Single samples of `subject` and `baseline` in alternation (subject first in even pairs,
 * baseline first in odd ones), after two warm-up samples of each, so both sides see the same
 * heap and the same load: at least `minPairs` pairs and `minMs` milliseconds, at most 200 pairs.
 */
export async function paired(subject: BenchCase, baseline: BenchCase, minPairs = 15, minMs = 800): Promise<PairedResult> {
  for (let i = 0; i < 2; i++) {
    await once(subject);
    await once(baseline);
  }
  const s: number[] = [];
  const b: number[] = [];
  const ratios: number[] = [];
  let total = 0;
  for (let i = 0; (i < minPairs || total < minMs * 1e6) && i < 200; i++) {
    let sn: number;
    let bn: number;
    if (i % 2 === 0) {
      sn = await once(subject);
      bn = await once(baseline);
    } else {
      bn = await once(baseline);
      sn = await once(subject);
    }
    total += sn + bn;
    s.push(sn / subject.ops);
    b.push(bn / baseline.ops);
    ratios.push(sn / subject.ops / (bn / baseline.ops));
  }
  return { subjectNs: median(s), baselineNs: median(b), ratio: median(ratios) };
}

/**
 * Median ns/op of at least `minSamples` runs and at least `minMs` milliseconds, after warm-up.
 * A case whose single run takes longer than a second (a quadratic baseline at 100,000 steps) is
 * warmed up once and sampled three times, so the whole suite stays within minutes.
 */
export async function measure(c: BenchCase, minMs = 400, minSamples = 5): Promise<number> {
  const first = await once(c);
  const slow = first > 1e9;
  if (!slow) await once(c);
  const samples: number[] = [];
  let total = 0;
  const need = slow ? 3 : minSamples;
  while (samples.length < need || (!slow && total < minMs * 1e6)) {
    const ns = await once(c);
    samples.push(ns / c.ops);
    total += ns;
    if (samples.length >= 200) break;
  }
  return median(samples);
}

export function formatNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} us`;
  return `${ns.toFixed(1)} ns`;
}

export async function runGroups(groups: BenchGroup[], filter?: string): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const g of groups) {
    if (filter && !g.name.toLowerCase().includes(filter.toLowerCase())) continue;
    console.log(`\n${g.name}`);
    if (g.paired) {
      // The subject's figure is its median over the pairs with the first baseline.
      let shown = false;
      for (const b of g.baselines) {
        const r = await paired(g.subject, b);
        if (!shown) {
          results.push({ group: g.name, name: g.subject.name, nsPerOp: r.subjectNs });
          console.log(`  ${g.subject.name.padEnd(44)} ${formatNs(r.subjectNs).padStart(11)}/op`);
          shown = true;
        }
        results.push({ group: g.name, name: b.name, nsPerOp: r.baselineNs });
        console.log(`  ${b.name.padEnd(44)} ${formatNs(r.baselineNs).padStart(11)}/op   twistless/this = ${r.ratio.toFixed(2)}x (paired)`);
      }
    } else {
      const subject = await measure(g.subject);
      results.push({ group: g.name, name: g.subject.name, nsPerOp: subject });
      console.log(`  ${g.subject.name.padEnd(44)} ${formatNs(subject).padStart(11)}/op`);
      for (const b of g.baselines) {
        const ns = await measure(b);
        results.push({ group: g.name, name: b.name, nsPerOp: ns });
        console.log(`  ${b.name.padEnd(44)} ${formatNs(ns).padStart(11)}/op   twistless/this = ${(subject / ns).toFixed(2)}x`);
      }
    }
    if (g.note) console.log(`  (${g.note})`);
  }
  return results;
}
