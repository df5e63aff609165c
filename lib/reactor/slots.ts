// Growing the slot arrays of the timer heap's parts (lib/reactor/sortedRun.ts, lanes.ts,
// batch.ts), and reusing the large ones. Covered through them by spec/reactor/heap.spec.ts and
// spec/reactor/batch.spec.ts, and by spec/reactor/slots.spec.ts.
//
// A part whose calls all left (the run or the batch of a Clock after advance()) offers its array,
// every slot null, as a spare; the next part to grow takes it instead of a fresh array. A fresh
// array of 100,000 slots costs far more than filling it (new pages for the collector's large
// objects), and a test that makes a Clock per case would pay that for every Clock.

// The spare all-null arrays, at most MAX_SPARES, none shorter than SPARE_FROM slots. Held weakly:
// the next full collection frees a spare no part has taken.
const spares: WeakRef<(unknown | null)[]>[] = [];
const MAX_SPARES = 2;
const SPARE_FROM = 4096;

/**
 * A copy of `slots` with room for at least `need` slots, the new ones set to `empty`. The parts
 * grow their arrays this way, doubling, instead of storing one past the end: V8's own growth on
 * such a store is far dearer for long arrays (docs/performance.md, "Round two"). Past
 * SPARE_FROM slots, a spare all-null array that is long enough is taken when there is one.
 */
export function grown<T, E extends null | undefined>(slots: (T | E)[], need: number, empty: E): (T | E)[] {
  const size = Math.max(16, need, 2 * slots.length);
  // Only a long array takes a spare: a spare is old to the collector, and storing new calls into
  // an old array costs a write barrier per store and a remembered slot per scavenge.
  if (empty === null && size >= SPARE_FROM) {
    for (let k = spares.length - 1; k >= 0; k--) {
      const spare = spares[k].deref();
      if (spare !== undefined && spare.length < size) continue;
      // Taken, or collected: either way it leaves the list.
      spares[k] = spares[spares.length - 1];
      spares.pop();
      if (spare === undefined) continue;
      const out = spare as (T | E)[];
      for (let i = 0; i < slots.length; i++) out[i] = slots[i];
      return out;
    }
  }
  const out = new Array<T | E>(size).fill(empty);
  for (let i = 0; i < slots.length; i++) out[i] = slots[i];
  return out;
}

/**
 * What a part whose slots are all null now keeps: its own array when short, else an empty one,
 * its long array becoming a spare for the next part that grows (it replaces a shorter spare).
 */
export function released<T>(slots: (T | null)[]): (T | null)[] {
  if (slots.length < SPARE_FROM) return slots;
  if (spares.length < MAX_SPARES) {
    spares.push(new WeakRef(slots));
    return [];
  }
  // Replace a collected spare, else the shortest if this one is longer.
  let shortest = 0;
  let shortestLength = Infinity;
  for (let k = 0; k < spares.length; k++) {
    const length = spares[k].deref()?.length ?? -1;
    if (length < shortestLength) {
      shortest = k;
      shortestLength = length;
    }
  }
  if (shortestLength < slots.length) spares[shortest] = new WeakRef(slots);
  return [];
}
