// Small helpers shared by the task module's files (not exported from twistless/task).
// Covered through spec/task/loopingCall.spec.ts.

/** Python's float `%`: the result takes the sign of the divisor (JavaScript's takes the dividend's). */
export function pyMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}
