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

/**
 * A producer method was called on a test double in a state that forbids it: pausing or resuming
 * a `StringTransport` after `loseConnection()` (unless lenient) or after `stopProducing()`, or
 * resuming a `NonStreamingProducer` after it finished or was stopped.
 *
 * Port of the `RuntimeError`s of `twisted.internet.testing.StringTransport._checkState` and
 * `NonStreamingProducer`.
 *
 * @example
 * ```ts
 * const t = new StringTransport();
 * t.stopProducing();
 * try { t.resumeProducing(); } catch (e) { console.log((e as Error).name); } // ProducerStateError
 * ```
 */
export class ProducerStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProducerStateError';
  }
}

/**
 * `unregisterProducer()` was called on a `StringTransport` that has no producer.
 * Port of `StringTransport.unregisterProducer`'s `RuntimeError("Cannot unregister a producer
 * unless one is registered")`.
 *
 * @example
 * ```ts
 * try { new StringTransport().unregisterProducer(); } catch (e) { console.log((e as Error).name); } // NoProducerError
 * ```
 */
export class NoProducerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoProducerError';
  }
}

/**
 * A test double needed a protocol it was not given: `StringTransportWithDisconnection.loseConnection()`
 * before `transport.protocol` was set. Twisted fails with an AttributeError.
 *
 * @example
 * ```ts
 * try { new StringTransportWithDisconnection().loseConnection(); } catch (e) { console.log((e as Error).name); } // MissingProtocolError
 * ```
 */
export class MissingProtocolError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'MissingProtocolError';
  }
}

/**
 * A `RaisingMemoryReactor` method was called but the reactor was given nothing to throw for it.
 * Twisted's raises `None`, a TypeError.
 *
 * @example
 * ```ts
 * try { new RaisingMemoryReactor().connectTCP('h', 1, new ClientFactory()); } catch (e) { console.log((e as Error).name); } // NothingToRaiseError
 * ```
 */
export class NothingToRaiseError extends TypeError {
  constructor(method: string, option: string) {
    super(`RaisingMemoryReactor.${method}() has nothing to throw: pass { ${option}: someError } to its constructor`);
    this.name = 'NothingToRaiseError';
  }
}
