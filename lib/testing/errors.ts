// Error classes of twistless/testing: trial's FailTest and the typed errors of the helpers.
// Covered by spec/testing/assertions.spec.ts and spec/testing/loggedErrors.spec.ts.
import { AssertionError } from 'node:assert';
import type { Failure } from '../failure/failure.js';

/**
 * A failed assertion of a testing helper. Port of `twisted.trial.unittest.FailTest` (trial's
 * `failureException`): like it, an AssertionError (Node's `assert.AssertionError`), so every test
 * runner reports it as a failure.
 *
 * @example
 * ```ts
 * try { successResultOf(new Deferred()); } catch (e) { console.log((e as Error).name); } // FailTest
 * ```
 */
export class FailTest extends AssertionError {
  constructor(message: string) {
    super({ message });
    this.name = 'FailTest';
  }
}

/**
 * Thrown by the end of a logged-errors capture (`stopCapturingLoggedErrors`, `LoggedErrors.stop`
 * with `assert`) when errors were logged and not flushed: trial reports such errors as test
 * errors. `failures` holds them; flush the ones a test expects with `flushLoggedErrors(...types)`.
 *
 * Stands for the error trial reports for a test that leaves logged errors (`twisted.trial._synctest`'s logged-errors check).
 *
 * @example
 * ```ts
 * captureLoggedErrors();
 * log.err(new Error('forgotten'));
 * stopCapturingLoggedErrors(); // throws UnflushedLoggedErrors: "1 error was logged and not flushed ..."
 * ```
 */
export class UnflushedLoggedErrors extends FailTest {
  /** The errors that were logged and not flushed, in logging order. */
  readonly failures: Failure[];
  constructor(message: string, failures: Failure[]) {
    super(message);
    this.name = 'UnflushedLoggedErrors';
    this.failures = failures;
  }
}

/**
 * Thrown by `successResultOf`, `failureResultOf` and `assertNoResult` when given something that is
 * not a Deferred. A Promise's state cannot be read synchronously, so trial's acceptance of
 * coroutines has no JavaScript counterpart.
 *
 * No Python counterpart: trial's helpers accept coroutines through `ensureDeferred`.
 *
 * @example
 * ```ts
 * successResultOf(Promise.resolve(1) as never); // throws DeferredRequiredError
 * ```
 */
export class DeferredRequiredError extends TypeError {
  /** What was passed. */
  readonly value: unknown;
  constructor(helper: string, value: unknown) {
    const what = value === null ? 'null' : typeof (value as { then?: unknown })?.then === 'function' ? 'a promise' : typeof value;
    super(
      `${helper} needs a Deferred, got ${what}: a Promise's state cannot be read synchronously; ` +
        'test a Deferred (Deferred.fromPromise(p) settles only on a later turn)',
    );
    this.name = 'DeferredRequiredError';
    this.value = value;
  }
}

/**
 * Thrown by `flushLoggedErrors` and `stopCapturingLoggedErrors` when no capture is active.
 *
 * No Python counterpart: trial always observes the log during a test.
 *
 * @example
 * ```ts
 * flushLoggedErrors(); // throws NotCapturingLoggedErrorsError before captureLoggedErrors()
 * ```
 */
export class NotCapturingLoggedErrorsError extends Error {
  constructor(what: string) {
    super(`${what} was called while no logged-errors capture is active: call captureLoggedErrors() first (e.g. in beforeEach)`);
    this.name = 'NotCapturingLoggedErrorsError';
  }
}

/**
 * Thrown by `collectGarbage` when the process was started without `--expose-gc`.
 *
 * No Python counterpart: Python's `gc.collect()` is always available.
 *
 * @example
 * ```ts
 * await collectGarbage(); // throws GcNotExposedError under plain `node file.js`
 * ```
 */
export class GcNotExposedError extends Error {
  constructor() {
    super('collectGarbage needs global.gc: start node with --expose-gc (mocha: node-option "expose-gc")');
    this.name = 'GcNotExposedError';
  }
}
