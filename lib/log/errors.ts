// Error classes of the port of twisted.python.log (Twisted 22.4). Covered by spec/log/log.spec.ts.

/**
 * Thrown by `addObserver` when it is given something that is not a function.
 * Port of the `TypeError("Observer is not callable: …")` of `twisted.logger.LogPublisher.addObserver`.
 *
 * @example
 * ```ts
 * try { addObserver(42 as never); } catch (e) { console.log((e as Error).name); } // ObserverNotCallableError
 * ```
 */
export class ObserverNotCallableError extends TypeError {
  /** What was passed instead of a function. */
  readonly observer: unknown;
  constructor(observer: unknown) {
    super(`Observer is not callable: got ${observer === null ? 'null' : typeof observer}; pass a function (event) => void`);
    this.name = 'ObserverNotCallableError';
    this.observer = observer;
  }
}
