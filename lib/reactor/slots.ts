// Growing the slot arrays of the timer heap's parts (lib/reactor/sortedRun.ts, lanes.ts,
// batch.ts). Covered through them by spec/reactor/heap.spec.ts and spec/reactor/batch.spec.ts.

/**
 * A copy of `slots` with room for at least `need` slots, the new ones set to `empty`. The parts
 * grow their arrays this way, doubling, instead of storing one past the end: V8's own growth on
 * such a store is far dearer for long arrays (docs/performance.md, "Round two").
 */
export function grown<T, E extends null | undefined>(slots: (T | E)[], need: number, empty: E): (T | E)[] {
  const out = new Array<T | E>(Math.max(16, need, 2 * slots.length)).fill(empty);
  for (let i = 0; i < slots.length; i++) out[i] = slots[i];
  return out;
}
