// How a Deferred is recognised, from whichever copy of twistless made it: the `Symbol.for` brand.
// Its own file so that the files below the Deferred class (the callback loop, the Promise interop)
// can test for a Deferred without importing the class. Covered by spec/defer/deferred.spec.ts.

import type { Deferred } from './deferred.js';

/**
 * The brand every Deferred carries, from whichever copy of twistless made it:
 * `Symbol.for('twistless.deferred')`. No Python counterpart (Python tests `isinstance`); it is
 * what `isDeferred` checks, so two copies of twistless in one process recognise each other's
 * Deferreds.
 *
 * @example
 * ```ts
 * (succeed(1) as unknown as Record<symbol, unknown>)[DEFERRED_BRAND]; // true
 * ```
 */
export const DEFERRED_BRAND: unique symbol = Symbol.for('twistless.deferred') as never;

/**
 * True when `x` is a Deferred from any copy of twistless (by its `Symbol.for` brand).
 *
 * @example
 * ```ts
 * isDeferred(succeed(1)); // true
 * isDeferred(Promise.resolve(1)); // false
 * ```
 */
export function isDeferred(x: unknown): x is Deferred<unknown> {
  return typeof x === 'object' && x !== null && (x as { [DEFERRED_BRAND]?: unknown })[DEFERRED_BRAND] === true;
}
