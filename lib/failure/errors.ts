// Port of the error classes of twisted.python.failure (Twisted 22.4).
// Covered by spec/failure/failure.spec.ts.

/**
 * Thrown by `new Failure()` when it is called with no argument at all.
 *
 * Port of `twisted.python.failure.NoCurrentExceptionError`. Python's `Failure()` picks up the
 * exception being handled; JavaScript has no "current exception", so a Failure always needs the
 * value to wrap. `new Failure(undefined)` is fine: it wraps `undefined`, which JavaScript can throw.
 *
 * @example
 * ```ts
 * try { new Failure(); } catch (e) { console.log((e as Error).name); } // NoCurrentExceptionError
 * ```
 */
export class NoCurrentExceptionError extends TypeError {
  constructor(message?: string) {
    super(
      message ??
        'Failure was created with no argument, and JavaScript has no current exception to pick up: ' +
          'pass the caught value, as in `catch (e) { new Failure(e) }`',
    );
    this.name = 'NoCurrentExceptionError';
  }
}

/**
 * Thrown by `Failure.getTraceback`/`printTraceback` for a `detail` that is not `'default'`,
 * `'brief'` or `'verbose'`.
 *
 * Port of the `ValueError` raised by `twisted.python.failure.format_frames`.
 *
 * @example
 * ```ts
 * try { failure.getTraceback('bogus' as never); } catch (e) { console.log((e as Error).name); }
 * ```
 */
export class InvalidTracebackDetailError extends RangeError {
  /** The detail level that was asked for. */
  readonly detail: unknown;
  constructor(detail: unknown) {
    super(`Detail must be default, brief, or verbose (not ${JSON.stringify(String(detail))}): pass one of those three`);
    this.name = 'InvalidTracebackDetailError';
    this.detail = detail;
  }
}
