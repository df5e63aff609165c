// Port of trial's SynchronousTestCase.successResultOf, failureResultOf and assertNoResult
// (twisted.trial._synctest, Twisted 22.4). Covered by spec/testing/assertions.spec.ts (a port of
// ResultOfAssertionsTests of twisted/trial/test/test_assertions.py).
import { inspect } from 'node:util';
import { isFailure, type Failure, type FailureTypeMatcher } from '../failure/failure.js';
import { isDeferred, type Deferred } from '../defer/deferred.js';
import { FailTest, DeferredRequiredError } from './errors.js';

function repr(x: unknown): string {
  return inspect(x, { depth: 2, breakLength: Infinity });
}

function matcherName(t: FailureTypeMatcher): string {
  if (t === null) return 'null';
  if (t === undefined) return 'undefined';
  if (typeof t === 'string') return t;
  return t.name || '<anonymous class>';
}

function typeRepr(f: Failure): string {
  const t = f.type;
  return `<class '${t === null ? 'null' : t === undefined ? 'undefined' : t.name || '<anonymous class>'}'>`;
}

/** Add a callback that records the result (and consumes it), as trial's `addBoth(result.append)`. */
function takeResult(helper: string, d: unknown): [boolean, unknown] {
  if (!isDeferred(d)) throw new DeferredRequiredError(helper, d);
  let has = false;
  let value: unknown;
  d.addBoth((r: unknown) => {
    has = true;
    value = r;
  });
  return [has, value];
}

/**
 * The success result of a Deferred that has one now.
 *
 * Port of `twisted.trial.unittest.SynchronousTestCase.successResultOf`. Like trial it adds a
 * callback that takes the result: afterwards the Deferred's result is `undefined`, whether it was a
 * success or a failure (a failure found here is consumed, so it is not reported as unhandled);
 * on a Deferred with no result yet, that callback stays and will take the result when it comes.
 *
 * @param d - the Deferred.
 * @returns its result.
 * @throws FailTest "Success result expected on <Deferred …>, found no result instead" (also when
 *   paused or waiting on another Deferred), or "…, found failure result instead:" and the
 *   failure's traceback.
 * @throws DeferredRequiredError when `d` is not a Deferred.
 * @example
 * ```ts
 * successResultOf(succeed(3)); // 3
 * ```
 */
export function successResultOf<T>(d: Deferred<T>): T {
  const [has, result] = takeResult('successResultOf', d);
  if (!has) throw new FailTest(`Success result expected on ${String(d)}, found no result instead`);
  if (isFailure(result)) {
    throw new FailTest(`Success result expected on ${String(d)}, found failure result instead:\n${result.getTraceback()}`);
  }
  return result as T;
}

/**
 * The failure result of a Deferred that has one now, optionally checked against types.
 *
 * Port of `twisted.trial.unittest.SynchronousTestCase.failureResultOf`. It consumes the result as
 * `successResultOf` does.
 *
 * @param d - the Deferred.
 * @param types - if given, the failure must match one of them (as `Failure.check` matches).
 * @returns the Failure.
 * @throws FailTest "Failure result expected on <Deferred …>, found no result instead", "…, found
 *   success result (<value>) instead", or "Failure of type (A or B) expected on <Deferred …>,
 *   found type <class 'C'> instead: " and the traceback.
 * @throws DeferredRequiredError when `d` is not a Deferred.
 * @example
 * ```ts
 * failureResultOf(fail(new RangeError('r')), RangeError).getErrorMessage(); // 'r'
 * ```
 */
export function failureResultOf(d: Deferred<unknown>, ...types: FailureTypeMatcher[]): Failure {
  const [has, result] = takeResult('failureResultOf', d);
  if (!has) throw new FailTest(`Failure result expected on ${String(d)}, found no result instead`);
  if (!isFailure(result)) {
    throw new FailTest(`Failure result expected on ${String(d)}, found success result (${repr(result)}) instead`);
  }
  if (types.length > 0 && result.check(...types) === null) {
    const expected = types.map(matcherName).join(' or ');
    throw new FailTest(
      `Failure of type (${expected}) expected on ${String(d)}, found type ${typeRepr(result)} instead: ${result.getTraceback()}`,
    );
  }
  return result;
}

/**
 * Assert that a Deferred has no result now (not fired, paused, or waiting on another Deferred).
 *
 * Port of `twisted.trial.unittest.SynchronousTestCase.assertNoResult`. The callback it adds passes
 * the result through, so a result that comes later still reaches callbacks added afterwards. If
 * there IS a result, a failure result is swallowed (the Deferred's result becomes `undefined`, so
 * it is not reported as unhandled) while a success result is left as it is, then it throws.
 *
 * @param d - the Deferred.
 * @throws FailTest "No result expected on <Deferred …>, found <result> instead".
 * @throws DeferredRequiredError when `d` is not a Deferred.
 * @example
 * ```ts
 * assertNoResult(new Deferred()); // passes
 * ```
 */
export function assertNoResult(d: Deferred<unknown>): void {
  if (!isDeferred(d)) throw new DeferredRequiredError('assertNoResult', d);
  let has = false;
  let value: unknown;
  d.addBoth((r: unknown) => {
    has = true;
    value = r;
    return r;
  });
  if (has) {
    // The failure (if any) is reported below; swallow it so it is not also logged as unhandled.
    d.addErrback(() => undefined);
    throw new FailTest(`No result expected on ${String(d)}, found ${repr(value)} instead`);
  }
}
