// twistless/defer: the public face of the port of twisted.internet.defer (Twisted 22.4).
// Covered by spec/defer/*.spec.ts.
export { Deferred, isDeferred, DEFERRED_BRAND } from './deferred.js';
export type { Canceller, Unwrap } from './deferred.js';
export { succeed, fail, maybeDeferred, execute, passthru, logError } from './helpers.js';
export { setDebugging, getDebugging } from './debug.js';
export {
  AlreadyCalledError,
  CancelledError,
  TimeoutError,
  DeferredAsResultError,
  CircularChainError,
  InvalidCallbackError,
  InvalidTimeoutError,
  InvalidClockError,
  NotAPromiseError,
  NotACoroutineError,
  InvalidOptionsError,
} from './errors.js';
export { NotADeferredError, NotIterableError, MalformedListResultError } from './listErrors.js';
export { NotLockedError, InvalidTokensError, TooManyReleasesError, QueueOverflow, QueueUnderflow, InvalidQueueLimitError } from './concurrencyErrors.js';
export type { IReactorTime, IDelayedCall } from './interfaces.js';
// defer-extras: DeferredList, gatherResults, race, inlineCallbacks, ensureDeferred, locks, queues.
export { DeferredList, gatherResults, SUCCESS, FAILURE } from './deferredList.js';
export { FirstError } from './listErrors.js';
export type { GatherResultsOptions } from './deferredList.js';
export type { DeferredListOptions, DeferredListOutcome, DeferredListPair, DeferredListResult, DeferredResult } from './deferredList.js';
export { race, FailureGroup } from './race.js';
export { inlineCallbacks } from './inlineCallbacks.js';
export type { InlineGenerator } from './inlineCallbacks.js';
export { ensureDeferred } from './ensureDeferred.js';
export { ConcurrencyPrimitive, DeferredLock } from './lock.js';
export { DeferredSemaphore } from './semaphore.js';
export { DeferredQueue } from './queue.js';
