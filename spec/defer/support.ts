// Helpers shared by the spec/defer specs: a minimal IReactorTime (the real Clock lives in
// lib/task; these specs must not depend on it), result inspection, and GC draining.
import { expect } from 'chai';
import type { IDelayedCall, IReactorTime } from '../../lib/defer/index.js';
import { Deferred, setDebugging } from '../../lib/defer/index.js';
import { Failure, isFailure } from '../../lib/failure/index.js';
import { addObserver, removeObserver, type LogEvent } from '../../lib/log/index.js';

/** A delayed call of FakeClock. */
class FakeCall implements IDelayedCall {
  called = false;
  cancelled = false;
  constructor(
    public time: number,
    public fn: () => unknown,
    private clock: FakeClock,
  ) {}
  getTime(): number {
    return this.time;
  }
  cancel(): void {
    if (this.called || this.cancelled) throw new Error('not pending');
    this.cancelled = true;
    this.clock.calls = this.clock.calls.filter((c) => c !== this);
  }
  delay(seconds: number): void {
    this.time += seconds;
  }
  reset(seconds: number): void {
    this.time = this.clock.now + seconds;
  }
  active(): boolean {
    return !this.called && !this.cancelled;
  }
}

/** The smallest IReactorTime that can drive addTimeout: a list and a manual advance. */
export class FakeClock implements IReactorTime {
  now = 0;
  calls: FakeCall[] = [];
  seconds(): number {
    return this.now;
  }
  callLater<A extends unknown[]>(delay: number, fn: (...args: A) => unknown, ...args: A): IDelayedCall {
    const call = new FakeCall(this.now + delay, () => fn(...args), this);
    this.calls.push(call);
    return call;
  }
  getDelayedCalls(): IDelayedCall[] {
    return this.calls.slice();
  }
  advance(seconds: number): void {
    this.now += seconds;
    for (;;) {
      const due = this.calls.filter((c) => c.time <= this.now).sort((a, b) => a.time - b.time)[0];
      if (due === undefined) return;
      this.calls = this.calls.filter((c) => c !== due);
      due.called = true;
      due.fn();
    }
  }
}

/** The current success result of a fired Deferred (fails the spec if none or a failure). */
export function successOf<T>(d: Deferred<T>): unknown {
  expect(d.called, 'Deferred has not fired').to.equal(true);
  expect(d.paused, 'Deferred is paused or waiting').to.equal(0);
  if (isFailure(d.result)) throw new Error(`expected a success, got ${d.result.getErrorMessage()}`);
  return d.result;
}

/** The current Failure of a fired Deferred; marks it handled. Checks its type when given. */
export function failureOf(d: Deferred<unknown>, ...types: (abstract new (...a: never[]) => unknown)[]): Failure {
  expect(d.called, 'Deferred has not fired').to.equal(true);
  const f = d.result;
  if (!isFailure(f)) throw new Error(`expected a failure, got ${String(f)}`);
  f.handled = true;
  if (types.length > 0) expect(f.check(...(types as never[])), `failure ${f.getErrorMessage()}`).to.not.equal(null);
  return f;
}

/** Assert that a Deferred has no result yet (not fired, or waiting). */
export function assertNoResult(d: Deferred<unknown>): void {
  expect(!d.called || d.paused > 0, `expected no result, got ${String(d)}`).to.equal(true);
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Run GC and let FinalizationRegistry callbacks run, until `done()` or 30 rounds. */
export async function collectGarbage(done: () => boolean = () => false): Promise<void> {
  if (gc === undefined) throw new Error('specs must run with --expose-gc');
  for (let i = 0; i < 30 && !done(); i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
}

/**
 * Collects garbage (a few rounds, with event-loop turns between them) and returns the heap in
 * use: for specs that measure what objects retain. Cheaper than `collectGarbage`, which waits up
 * to 30 rounds for finalizers.
 */
export async function settledHeap(): Promise<number> {
  if (gc === undefined) throw new Error('specs must run with --expose-gc');
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed;
}

/** An Error subclass for specs (Twisted's GenericError). */
export class GenericError extends Error {
  constructor(message = '') {
    super(message);
    this.name = 'GenericError';
  }
}

/** What captureLog() gives a describe: the events of the running spec, and its error events about a message. */
export interface CapturedLog {
  readonly events: LogEvent[];
  errorsAbout(message: string): LogEvent[];
}

/**
 * Inside a describe: an observer that records every log event of each spec (debugging is turned
 * off after each).
 */
export function captureLog(): CapturedLog {
  let events: LogEvent[] = [];
  const observer = (e: LogEvent): void => {
    events.push(e);
  };
  beforeEach(function () {
    events = [];
    addObserver(observer);
  });
  afterEach(function () {
    removeObserver(observer);
    setDebugging(false);
  });
  return {
    get events() {
      return events;
    },
    errorsAbout: (message) => events.filter((e) => e.isError && e.failure !== undefined && (e.failure.value as Error)?.message === message),
  };
}
