// Small helpers shared by the task module's files (not exported from twistless/task).
// Covered through spec/task/loopingCall.spec.ts, spec/task/react.spec.ts, spec/task/cooperator.spec.ts.

/** True for anything with a callable `then` (a promise, a Deferred, any thenable). */
export function isThenable(x: unknown): x is PromiseLike<unknown> {
  return (
    x !== null && (typeof x === 'object' || typeof x === 'function') && typeof (x as { then?: unknown }).then === 'function'
  );
}

/** Python's float `%`: the result takes the sign of the divisor (JavaScript's takes the dividend's). */
export function pyMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}
