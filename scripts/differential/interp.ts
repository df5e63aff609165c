// The differential harness's interpreter on twistless: runs a Program (program.ts) and returns
// its trace. interp.py is the same interpreter on Twisted 22.4; keep the two line for line alike.
// See docs/differential.md.

import { Deferred, DeferredList, DeferredLock, DeferredQueue, DeferredSemaphore, gatherResults, inlineCallbacks, isDeferred, MalformedListResultError, passthru } from '../../lib/defer/index.js';
import { Failure, isFailure } from '../../lib/failure/index.js';
import { Clock, LoopingCall } from '../../lib/task/index.js';
import type { DelayedCall } from '../../lib/reactor/index.js';
import { addObserver, removeObserver } from '../../lib/log/index.js';
import type { LogEvent } from '../../lib/log/index.js';
import { MAX_STEPS, slotOf } from './program.js';
import type { ErrName, FnSpec, IcEnd, IcStep, Op, Program, TraceEvent } from './program.js';

class E1 extends Error {
  constructor() {
    super('E1');
    this.name = 'E1';
  }
}
class E2 extends Error {
  constructor() {
    super('E2');
    this.name = 'E2';
  }
}
/** Raised by every function once a program has made MAX_STEPS calls. */
class Budget extends Error {
  constructor() {
    super('Budget');
    this.name = 'Budget';
  }
}
const ERRORS: Record<ErrName, new () => Error> = { E1, E2 };

/**
 * twistless raises a named error where Twisted raises AssertionError or TypeError; the trace records
 * Twisted's name for these, so that only behaviour (not naming, a documented difference) differs.
 */
export const NAME_EQUIV: Record<string, string> = {
  LoopingCallAlreadyRunning: 'AssertionError',
  LoopingCallNotRunning: 'AssertionError',
  // A Deferred given to callback() (Twisted asserts it is not one).
  DeferredAsResultError: 'AssertionError',
  // gatherResults fired by hand with a malformed list: a TypeError subclass named for what it is
  // (errName gives Twisted's exact name, see parserErrorName).
  MalformedListResultError: 'TypeError',
  // The private marker an inlineCallbacks canceller fails its Deferred with.
  InlineCallbacksCancelled: '_InternalInlineCallbacksCancelledError',
  // release() of an unlocked lock, or of a semaphore with every token free (Twisted asserts).
  NotLockedError: 'AssertionError',
  TooManyReleasesError: 'AssertionError',
};

/**
 * What Twisted's gatherResults parser raises where twistless refuses a result with
 * MalformedListResultError. For each item, in order: `assert result is not None`, then
 * `success, value = result` (TypeError for a non-iterable, ValueError for another length than 2;
 * a string is iterable), then `assert success` (a failed pair).
 */
function parserErrorName(e: MalformedListResultError): string {
  if (e.failedPair) return 'AssertionError';
  // The result itself is not a list: iterating it fails, unless it is a string (its characters are the items).
  if (e.index < 0) return typeof e.value === 'string' ? 'ValueError' : 'TypeError';
  const item = (e.value as unknown[])[e.index];
  if (item === undefined || item === null) return 'AssertionError';
  return typeof item === 'string' || Array.isArray(item) ? 'ValueError' : 'TypeError';
}

function errName(e: unknown): string {
  if (isFailure(e)) return errName(e.value);
  if (e instanceof MalformedListResultError) return parserErrorName(e);
  if (e instanceof Error) return NAME_EQUIV[e.name] ?? e.name;
  return typeof e;
}

type AnyFn = (...args: unknown[]) => unknown;
type Prim = DeferredLock | DeferredSemaphore | DeferredQueue<unknown>;

class Run {
  D: (Deferred<unknown> | null)[] = [];
  C: (DelayedCall | null)[] = [];
  L: (LoopingCall<[]> | null)[] = [];
  K: (Prim | null)[] = [];
  trace: TraceEvent[] = [];
  clock = new Clock();
  steps = 0;

  desc(x: unknown): unknown {
    if (x === undefined || x === null) return null;
    if (typeof x === 'number' || typeof x === 'boolean' || typeof x === 'string') return x;
    if (isFailure(x)) return ['F', errName(x.value)];
    if (isDeferred(x)) {
      const i = this.D.indexOf(x);
      return ['D', i < 0 ? '?' : i];
    }
    if (x instanceof LoopingCall) {
      const i = this.L.indexOf(x as LoopingCall<[]>);
      return ['L', i < 0 ? '?' : i];
    }
    if (x instanceof DeferredLock || x instanceof DeferredSemaphore || x instanceof DeferredQueue) {
      const i = this.K.indexOf(x);
      return ['K', i < 0 ? '?' : i];
    }
    if (Array.isArray(x)) return x.map((y) => this.desc(y));
    return ['?', (x as object).constructor?.name ?? typeof x];
  }

  getD(i: number): Deferred<unknown> | null {
    return i < this.D.length ? this.D[i] : null;
  }

  getK(k: number): Prim | null {
    return k < this.K.length ? this.K[k] : null;
  }

  /** K[k] as a lock or semaphore, or null (a removed slot, or a queue). */
  lockK(k: number): DeferredLock | DeferredSemaphore | null {
    const p = this.getK(k);
    return p instanceof DeferredQueue ? null : p;
  }

  /** K[k] as a queue, or null. */
  queueK(k: number): DeferredQueue<unknown> | null {
    const p = this.getK(k);
    return p instanceof DeferredQueue ? p : null;
  }

  /** Run an action of a function; an error it raises is recorded and swallowed. */
  safe(tag: number, thunk: () => void): void {
    try {
      thunk();
    } catch (e) {
      this.trace.push(['x', `f${tag}`, errName(e)]);
    }
  }

  /** A function's action that makes a Deferred: the Deferred, or null (no primitive, or it raised: recorded and swallowed). */
  making(tag: number, thunk: () => Deferred<unknown> | undefined): Deferred<unknown> | null {
    try {
      return thunk() ?? null;
    } catch (e) {
      this.trace.push(['x', `f${tag}`, errName(e)]);
      return null;
    }
  }

  fn(spec: FnSpec): AnyFn {
    if (spec[1] === 'passthru') return passthru as AnyFn;
    return (...args: unknown[]) => {
      this.steps++;
      if (this.steps > MAX_STEPS) throw new Budget();
      const arg = args.length > 0 ? args[0] : undefined;
      const ev: unknown[] = ['f', spec[0], this.desc(arg)];
      if (args.length > 1) ev.push(this.desc(args.slice(1)));
      this.trace.push(ev);
      return this.act(spec, arg);
    };
  }

  act(spec: FnSpec, arg: unknown): unknown {
    const tag = spec[0];
    switch (spec[1]) {
      case 'pass':
      case 'passthru':
        return arg;
      case 'val':
        return spec[2];
      case 'add':
        return typeof arg === 'number' ? arg + spec[2] : arg;
      case 'raise':
        throw new ERRORS[spec[2]]();
      case 'trap':
        if (isFailure(arg)) {
          arg.trap(ERRORS[spec[2]]);
          return 'T';
        }
        return arg;
      case 'retD': {
        const d = this.getD(spec[2]);
        return d === null ? arg : d;
      }
      case 'fire': {
        const d = this.getD(spec[2]);
        const v = spec[3];
        if (d !== null) this.safe(tag, () => d.callback(v));
        return arg;
      }
      case 'efire': {
        const d = this.getD(spec[2]);
        const E = ERRORS[spec[3]];
        if (d !== null) this.safe(tag, () => d.errback(new E()));
        return arg;
      }
      case 'cancel': {
        const d = this.getD(spec[2]);
        if (d !== null) this.safe(tag, () => d.cancel());
        return arg;
      }
      case 'pause': {
        const d = this.getD(spec[2]);
        if (d !== null) this.safe(tag, () => d.pause());
        return arg;
      }
      case 'unpause': {
        const d = this.getD(spec[2]);
        if (d !== null) this.safe(tag, () => d.unpause());
        return arg;
      }
      case 'lstop': {
        const l = spec[2] < this.L.length ? this.L[spec[2]] : null;
        if (l !== null) this.safe(tag, () => l.stop());
        return arg;
      }
      case 'dcancel': {
        const c = spec[2] < this.C.length ? this.C[spec[2]] : null;
        if (c !== null) this.safe(tag, () => c.cancel());
        return arg;
      }
      case 'dreset': {
        const c = spec[2] < this.C.length ? this.C[spec[2]] : null;
        const t = spec[3];
        if (c !== null) this.safe(tag, () => c.reset(t));
        return arg;
      }
      case 'advance': {
        const t = spec[2];
        this.safe(tag, () => this.clock.advance(t));
        return arg;
      }
      case 'later': {
        const g = this.fn([spec[3], 'pass']);
        const t = spec[2];
        this.safe(tag, () => {
          this.C.push(this.clock.callLater(t, g));
        });
        return arg;
      }
      case 'selfcb': {
        const v = spec[2];
        if (isDeferred(arg)) this.safe(tag, () => arg.callback(v));
        return undefined;
      }
      case 'selfeb': {
        const E = ERRORS[spec[2]];
        if (isDeferred(arg)) this.safe(tag, () => arg.errback(new E()));
        return undefined;
      }
      case 'release': {
        const p = this.lockK(spec[2]);
        if (p !== null) this.safe(tag, () => p.release());
        return arg;
      }
      case 'put': {
        const q = this.queueK(spec[2]);
        const v = spec[3];
        if (q !== null) this.safe(tag, () => q.put(v));
        return arg;
      }
      case 'acquire': {
        const d = this.making(tag, () => this.lockK(spec[2])?.acquire());
        return spec[3] && d !== null ? d : arg;
      }
      case 'get': {
        const d = this.making(tag, () => this.queueK(spec[2])?.get());
        return spec[3] && d !== null ? d : arg;
      }
      case 'run': {
        const g = spec[3];
        const d = this.making(tag, () => this.lockK(spec[2])?.run(this.fn(g)));
        return spec[4] && d !== null ? d : arg;
      }
    }
  }

  icgen(tag: number, steps: IcStep[], end: IcEnd): Deferred<unknown> {
    const run = this;
    const body = inlineCallbacks(function* (): Generator<unknown, unknown, unknown> {
      for (const st of steps) {
        if (st[0] === 'y') {
          const target = run.getD(st[1]);
          try {
            const v = yield target === null ? -1 : target;
            run.trace.push(['ic', tag, 'got', run.desc(v)]);
          } catch (e) {
            run.trace.push(['ic', tag, 'exc', errName(e)]);
            if (!st[2]) throw e;
          }
        } else if (st[0] === 'v') {
          const v = yield st[1];
          run.trace.push(['ic', tag, 'got', run.desc(v)]);
        } else {
          run.fn(st[1])(undefined);
        }
      }
      if (end[0] === 'ret') return end[1];
      throw new ERRORS[end[1]]();
    });
    return body();
  }

  ds(idxs: number[]): Deferred<unknown>[] {
    const out: Deferred<unknown>[] = [];
    for (const i of idxs) {
      const d = this.getD(i);
      if (d !== null) out.push(d);
    }
    return out;
  }

  exec(op: Op): unknown {
    switch (op[0]) {
      case 'new': {
        const canc = op[1];
        return new Deferred<unknown>(canc === null ? null : this.fn(canc));
      }
      case 'succeed': {
        const d = new Deferred<unknown>();
        d.callback(op[1]);
        return d;
      }
      case 'fail': {
        const d = new Deferred<unknown>();
        d.errback(new Failure(new ERRORS[op[1]]()));
        return d;
      }
      case 'cb':
        this.D[op[1]]?.callback(op[2]);
        return null;
      case 'eb':
        this.D[op[1]]?.errback(new ERRORS[op[2]]());
        return null;
      case 'add': {
        const d = this.D[op[1]];
        if (d === null || d === undefined) return null;
        const f = this.fn(op[3]);
        const args = op[4];
        if (op[2] === 'cb') d.addCallback(f, ...args);
        else if (op[2] === 'eb') d.addErrback(f, ...args);
        else d.addBoth(f, ...args);
        return null;
      }
      case 'cbs': {
        const d = this.D[op[1]];
        if (d === null || d === undefined) return null;
        d.addCallbacks(this.fn(op[2]), op[3] === null ? null : this.fn(op[3]), op[4], op[5]);
        return null;
      }
      case 'cancel':
        this.D[op[1]]?.cancel();
        return null;
      case 'pause':
        this.D[op[1]]?.pause();
        return null;
      case 'unpause':
        this.D[op[1]]?.unpause();
        return null;
      case 'chain': {
        const a = this.D[op[1]];
        const b = this.D[op[2]];
        if (a && b) a.chainDeferred(b);
        return null;
      }
      case 'timeout':
        this.D[op[1]]?.addTimeout(op[2], this.clock);
        return null;
      case 'dl':
        return new DeferredList(this.ds(op[1]), { fireOnOneCallback: op[2], fireOnOneErrback: op[3], consumeErrors: op[4] });
      case 'gather':
        return gatherResults(this.ds(op[1]), op[2]);
      case 'ic':
        return this.icgen(op[1], op[2], op[3]);
      case 'later':
        return this.clock.callLater(op[1], this.fn(op[2]));
      case 'reset':
        this.C[op[1]]?.reset(op[2]);
        return null;
      case 'delay':
        this.C[op[1]]?.delay(op[2]);
        return null;
      case 'dcancel':
        this.C[op[1]]?.cancel();
        return null;
      case 'advance':
        this.clock.advance(op[1]);
        return null;
      case 'lc': {
        const lc = new LoopingCall<[]>(this.fn(op[1]) as () => unknown);
        lc.clock = this.clock;
        return lc;
      }
      case 'lstart': {
        const l = this.L[op[1]];
        return l ? l.start(op[2], op[3]) : null;
      }
      case 'lstop':
        this.L[op[1]]?.stop();
        return null;
      case 'lock':
        return new DeferredLock();
      case 'sem':
        return new DeferredSemaphore(op[1]);
      case 'queue':
        return new DeferredQueue<unknown>(op[1], op[2]);
      case 'acquire':
        return this.lockK(op[1])?.acquire() ?? null;
      case 'release':
        this.lockK(op[1])?.release();
        return null;
      case 'run':
        return this.lockK(op[1])?.run(this.fn(op[2]), ...op[3]) ?? null;
      case 'put':
        this.queueK(op[1])?.put(op[2]);
        return null;
      case 'get':
        return this.queueK(op[1])?.get() ?? null;
      case 'nop':
        return null;
    }
  }

  run(prog: Program): TraceEvent[] {
    prog.ops.forEach((op, k) => {
      const slot = slotOf(op);
      let made: unknown;
      try {
        made = this.exec(op);
      } catch (e) {
        this.trace.push(['x', k, errName(e)]);
        made = null;
      }
      if (slot === 'D') this.D.push(made as Deferred<unknown> | null);
      else if (slot === 'C') this.C.push(made as DelayedCall | null);
      else if (slot === 'L') this.L.push(made as LoopingCall<[]> | null);
      else if (slot === 'K') this.K.push(made as Prim | null);
    });
    const ds = this.D.map((d) => {
      if (d === null) return null;
      const info = d._debugInfo;
      const unhandled = info !== null && info.failResult !== null ? this.desc(info.failResult) : null;
      // Nothing is left for the garbage collector or the exit hook to report.
      if (info !== null) info.failResult = null;
      return [d.called, d.paused, this.desc(d.result), unhandled];
    });
    const cs = this.C.map((c) => (c === null ? null : [c.active(), c.called, c.cancelled, c.active() ? c.getTime() : null]));
    const ls = this.L.map((l) => (l === null ? null : [l.running]));
    const ks = this.K.map((p) => {
      if (p === null) return null;
      if (p instanceof DeferredLock) return ['lock', p.locked, p.waiting.length];
      if (p instanceof DeferredSemaphore) return ['sem', p.tokens, p.waiting.length];
      return ['queue', this.desc(p.pending), p.waiting.length];
    });
    this.trace.push(['end', this.clock.seconds(), ds, cs, ls, ks]);
    return this.trace;
  }
}

/** Run one program on twistless and return its trace (never throws: a harness crash is a trace event). */
export function runProgram(prog: Program): TraceEvent[] {
  const run = new Run();
  const observer = (event: LogEvent): void => {
    // Unhandled-error reports come when the garbage collector runs: not comparable.
    if (!event.isError || (event.why ?? '').includes('Unhandled error in Deferred')) return;
    run.trace.push(['log', event.why ?? null, event.failure ? errName(event.failure) : null]);
  };
  addObserver(observer);
  try {
    return run.run(prog);
  } catch (e) {
    run.trace.push(['crash', errName(e), String(e)]);
    return run.trace;
  } finally {
    removeObserver(observer);
  }
}
