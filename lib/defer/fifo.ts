// A first-in first-out list for DeferredQueue, DeferredLock and DeferredSemaphore.
// Twisted uses a Python list with `pop(0)`, which is O(n) per item (its own benchmark goes
// quadratic on a 100,000-item backlog). Covered by spec/defer/locks.spec.ts.
//
// How and why: a ring buffer. Items sit in a flat array whose length is a power of two; `head`
// is the index of the oldest item and `size` how many there are, so push and shift are O(1) and
// allocate nothing until the ring is full, when it doubles (copying the items once, in order).
// A queue that fills and drains in turn (get, put, get, put) reuses the same slots for ever.
// `remove()` (a cancelled waiter) is O(n), like Python's `list.remove`.

const INITIAL_CAPACITY = 16;

/** @internal A FIFO of items with O(1) push and shift. */
export class Fifo<T> {
  private items: (T | undefined)[];
  private head: number;
  private size: number;

  constructor() {
    this.items = new Array<T | undefined>(INITIAL_CAPACITY).fill(undefined);
    this.head = 0;
    this.size = 0;
  }

  /** How many items are queued. */
  get length(): number {
    return this.size;
  }

  push(item: T): void {
    if (this.size === this.items.length) this.grow();
    this.items[(this.head + this.size) & (this.items.length - 1)] = item;
    this.size++;
  }

  /** Take the first item; the caller checks `length` first. */
  shift(): T {
    const items = this.items;
    const item = items[this.head] as T;
    items[this.head] = undefined; // drop the reference so the item can be collected
    this.head = (this.head + 1) & (items.length - 1);
    this.size--;
    return item;
  }

  /** Remove the first occurrence of `item`; returns whether it was there. */
  remove(item: T): boolean {
    const items = this.items;
    const mask = items.length - 1;
    for (let i = 0; i < this.size; i++) {
      if (items[(this.head + i) & mask] !== item) continue;
      // Close the gap: move every later item one slot towards the head.
      for (let j = i; j < this.size - 1; j++) items[(this.head + j) & mask] = items[(this.head + j + 1) & mask];
      items[(this.head + this.size - 1) & mask] = undefined;
      this.size--;
      return true;
    }
    return false;
  }

  /** A copy of the queued items, first first. */
  toArray(): T[] {
    const out = new Array<T>(this.size);
    const mask = this.items.length - 1;
    for (let i = 0; i < this.size; i++) out[i] = this.items[(this.head + i) & mask] as T;
    return out;
  }

  /** Double the ring, laying the items out from index 0. */
  private grow(): void {
    const old = this.items;
    const items = new Array<T | undefined>(old.length * 2).fill(undefined);
    for (let i = 0; i < this.size; i++) items[i] = old[(this.head + i) & (old.length - 1)];
    this.items = items;
    this.head = 0;
  }
}
