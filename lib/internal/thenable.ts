// The one test for "can be awaited": shared by every module that adopts promises (internal, not
// exported from the package). Kept tiny so that V8 inlines it into the loops that call it.

/** True for anything with a callable `then` (a promise, a Deferred, any thenable). */
export function isThenable(x: unknown): x is PromiseLike<unknown> {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof (x as { then?: unknown }).then === 'function';
}
