// Helpers shared by the channelProcessor specs.
import type { Deferred } from '../../lib/defer/index.js';
import type { Failure } from '../../lib/failure/index.js';
import { addObserver, removeObserver, type LogEvent } from '../../lib/log/index.js';

/** What a Deferred ended with: its value, or the value of its Failure. */
export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Wait for a Deferred's outcome without letting a failure escape as an unhandled error. The spec
 * resumes on the event loop's next turn: a Deferred fired inside a tasklet would otherwise
 * resume the spec's plain code while that tasklet holds the turn.
 */
export function outcome<T>(d: Deferred<T>): Promise<Outcome> {
  return new Promise<Outcome>((resolve) => {
    d.addCallbacks(
      (value: T) => {
        setImmediate(resolve, { ok: true, value } as Outcome);
        return undefined;
      },
      (f: Failure) => {
        setImmediate(resolve, { ok: false, error: f.value } as Outcome);
        return undefined;
      },
    );
  });
}

/** Let pending macrotasks (and the tasklet scheduler's turns) run. */
export function turns(n = 5): Promise<void> {
  let p = Promise.resolve();
  for (let i = 0; i < n; i++) p = p.then(() => new Promise<void>((r) => setImmediate(r)));
  return p;
}

/**
 * `await run()`, then let the event-loop turns go on until `done()` holds. lib/tasklets' run()
 * can return while a tasklet woken by blockOn is still to run (reported to its owner); the specs
 * check the results, not when run() returns.
 */
export async function runUntil(run: () => Promise<void>, done: () => boolean, maxTurns = 200): Promise<void> {
  await run();
  for (let i = 0; i < maxTurns && !done(); i++) await turns(1);
  if (!done()) throw new Error('the tasklets did not finish');
}

/** Collect the error events logged while `body` runs (and a few turns after). */
export async function logged(body: () => Promise<void>): Promise<unknown[]> {
  const errors: unknown[] = [];
  const observer = (e: LogEvent): void => {
    if (e.isError) errors.push(e.failure?.value);
  };
  addObserver(observer);
  try {
    await body();
    await turns(3);
  } finally {
    removeObserver(observer);
  }
  return errors;
}
