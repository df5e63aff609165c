// Port of twisted.internet.defer.NotACoroutineError (Twisted 22.4).
// Covered by spec/defer/inlineCallbacks.spec.ts (EnsureDeferredTests, InlineCallbacksTests).

/**
 * Thrown by `ensureDeferred` for something that is neither a Deferred, a promise nor a
 * generator, and by an inlineCallbacks function whose body does not produce a generator.
 *
 * Port of `twisted.internet.defer.NotACoroutineError` (a TypeError).
 *
 * @example
 * ```ts no-run
 * try { ensureDeferred('something' as never); } catch (e) { console.log((e as Error).name); }
 * // NotACoroutineError
 * ```
 */
export class NotACoroutineError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'NotACoroutineError';
  }
}
