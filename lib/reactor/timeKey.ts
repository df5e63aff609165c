// A due time as two small integers that compare as the float does: the key every part of the
// timer heap (lib/reactor/heap.ts) orders calls by. No Python original. Covered by
// spec/reactor/timeKey.spec.ts and, through the heap, spec/reactor/heap.spec.ts and batch.spec.ts.
//
// How and why
// -----------
// V8 keeps a number field of an object as a small integer (Smi) in place only while every value
// ever stored in that field, in any object of the class, was an integer; after the first
// fraction the field holds a pointer to a separate boxed number, one more object per call that
// the collector copies while the call waits. A double passed to or returned from a function that
// is not inlined is boxed the same way. So a DelayedCall keeps its due time as the 64 bits of the
// float split into two signed 32-bit integers, which are Smis on 64-bit Node (no pointer
// compression), and the heap compares those, never a double:
//
//      bits of the float:     sign | exponent | mantissa      as (hi, lo), two 32-bit words
//      positive (hi >= 0):    keyHi = hi,              keyLo = lo ^ 0x80000000
//      negative (hi < 0):     keyHi = hi ^ 0x7fffffff, keyLo = lo ^ 0x7fffffff
//
// (keyHi, keyLo) compared as signed integers, high word first, orders as the floats do: flipping
// a negative float's magnitude bits reverses their order, and the low word's top bit is flipped
// so that a signed comparison orders it as unsigned. -0 is turned into +0 first (equal times),
// and Infinity and -Infinity order last and first. NaN orders after Infinity (schedulers reject
// NaN delays before a key is made).

/** @internal A word below every time key's high word: an empty part's "last key". */
export const KEY_MIN = -(2 ** 31);

const scratchTime = new Float64Array(1);
// The two words of scratchTime; little-endian (x64, arm64): [0] is the low word.
const scratchWords = new Int32Array(scratchTime.buffer);

/**
 * The high word of `time`'s key (call `timeKeyLo` right after, with the same time, for the low
 * word: it reads what this one wrote).
 *
 * @internal
 */
export function timeKeyHi(time: number): number {
  scratchTime[0] = time + 0; // + 0 turns -0 into 0: the two are equal times
  const hi = scratchWords[1];
  return hi ^ ((hi >> 31) >>> 1);
}

/**
 * The low word of the key of the time last given to `timeKeyHi`.
 *
 * @internal
 */
export function timeKeyLo(): number {
  return scratchWords[0] ^ (scratchWords[1] >> 31) ^ 0x80000000;
}

/**
 * The time whose key is (`hi`, `lo`): the inverse of `timeKeyHi`/`timeKeyLo` (+0 for -0).
 *
 * @internal
 */
export function timeOfKey(hi: number, lo: number): number {
  const m = hi >> 31;
  scratchWords[1] = hi ^ (m >>> 1);
  scratchWords[0] = lo ^ m ^ 0x80000000;
  return scratchTime[0];
}

/**
 * True when the time with key (`hi`, `lo`) is at or before `time`: a call due then is due at
 * `time`. A function of its own so that the heap's `popDue` stays small enough to be inlined.
 *
 * @internal
 */
export function keyDueBy(hi: number, lo: number, time: number): boolean {
  const timeHi = timeKeyHi(time);
  return hi < timeHi || (hi === timeHi && lo <= timeKeyLo());
}
