// twistless/testing: the public face of the port of trial's SynchronousTestCase helpers and
// twisted.internet.testing.MemoryReactorClock (Twisted 22.4). Covered by spec/testing/*.spec.ts.
export { successResultOf, failureResultOf, assertNoResult } from './assertions.js';
export {
  LoggedErrors,
  captureLoggedErrors,
  flushLoggedErrors,
  stopCapturingLoggedErrors,
  installLoggedErrorHooks,
  collectGarbage,
} from './loggedErrors.js';
export type { TestHooks } from './loggedErrors.js';
export { MemoryReactorClock } from './memoryReactor.js';
export type { RecordedCall } from './memoryReactor.js';
export { FailTest, UnflushedLoggedErrors, DeferredRequiredError, NotCapturingLoggedErrorsError, GcNotExposedError } from './errors.js';
