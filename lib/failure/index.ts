// twistless/failure: the public face of the port of twisted.python.failure (Twisted 22.4).
// Covered by spec/failure/*.spec.ts.
export { Failure, isFailure, FAILURE_BRAND } from './failure.js';
export { safeString } from './thrownValue.js';
export type { FailureTypeMatcher, TextStream } from './failure.js';
export type { FailureClass } from './thrownValue.js';
export { NoCurrentExceptionError, InvalidTracebackDetailError } from './errors.js';
export { EXCEPTION_CAUGHT_HERE, parseStack } from './frames.js';
export type { FailureFrame, TracebackDetail } from './frames.js';
