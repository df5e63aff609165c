// Test support for the ports of Stackless/unittests (Stackless 3.7-slp): the parts of
// support.py that make sense in TypeScript (StacklessTestCase's set-up and tear-down,
// AsTaskletTestCase) plus stand-ins for the Python exception classes the tests raise.
import { expect } from 'chai';
import { getruncount, run, tasklet as makeTasklet, type Tasklet } from '../../../lib/tasklets/index.js';

const created: Tasklet[] = [];

/**
 * `tasklet(fn)` of lib/tasklets, recording the tasklet so the tear-down can kill what a test
 * leaves behind (support.py's tearDown kills every tasklet still in the scheduler).
 */
export const tasklet: typeof makeTasklet = ((...args: unknown[]) => {
  const t = (makeTasklet as (...a: unknown[]) => Tasklet)(...args);
  created.push(t);
  return t;
}) as typeof makeTasklet;

/**
 * Registers StacklessTestCase's set-up and tear-down in the current `describe`: nothing may be
 * left in the scheduler before a test; after it, leftover tasklets are killed and the run count
 * must be back to 1 (only main).
 */
export function stacklessTestCase(): void {
  beforeEach(function () {
    created.length = 0;
    expect(getruncount(), 'Leakage from other tests, with tasklets still in the scheduler').to.equal(1);
  });
  afterEach(async function () {
    const leftovers = created.splice(0);
    for (const t of leftovers) {
      if (t.alive && !t.isCurrent && !t.isMain) {
        try {
          await t.kill();
        } catch {
          // a leftover that refuses to die is reported by the run count check below
        }
      }
    }
    expect(getruncount(), 'Leakage from this test, with tasklets still in the scheduler').to.equal(1);
  });
}

/**
 * AsTaskletTestCase: runs the test body inside a tasklet under `run()`. An error in the body
 * comes out of `run()` (the body's tasklet dies with it and main is its watchdog).
 */
export async function asTasklet(body: () => Promise<void>): Promise<void> {
  let finished = false;
  tasklet(async () => {
    await body();
    finished = true;
  }).setup();
  await run();
  expect(finished, 'the test body did not run to its end inside its tasklet').to.equal(true);
}

/**
 * Awaits `action()` and returns what it threw or rejected with; fails when it did neither, or
 * when the error is not an instance of `cls` or its message does not match `match`
 * (unittest's assertRaises / assertRaisesRegex).
 */
export async function raises(
  action: () => unknown,
  cls?: abstract new (...args: never[]) => unknown,
  match?: RegExp,
): Promise<unknown> {
  let threw = false;
  let error: unknown;
  try {
    await action();
  } catch (e) {
    threw = true;
    error = e;
  }
  expect(threw, `expected ${cls?.name ?? 'an error'}${match ? ` matching ${String(match)}` : ''}`).to.equal(true);
  if (cls) expect(error).to.be.instanceOf(cls);
  if (match) expect(String((error as { message?: unknown } | null)?.message)).to.match(match);
  return error;
}

/** Stand-in for a Python exception: keeps its constructor arguments as `args`. */
export class PyError extends Error {
  readonly args: unknown[];
  constructor(...args: unknown[]) {
    super(args.map(String).join(', '));
    this.args = args;
    this.name = new.target.name;
  }
}
export class IndexError extends PyError {}
export class UserValueError extends PyError {}
export class ZeroDivisionError extends PyError {}
export class NotImplementedError extends PyError {}
export class UserRuntimeError extends PyError {}
