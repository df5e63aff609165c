// A first-in first-out list for DeferredQueue, DeferredLock and DeferredSemaphore.
// Twisted uses a Python list with `pop(0)`, which is O(n) per item (its own benchmark goes
// quadratic on a 100,000-item backlog). Covered by spec/defer/locks.spec.ts.
//
// How and why: a flat array with a head index. `shift()` reads at the head and moves it on, never
// calling Array#shift; the consumed prefix is cut off once it is both long and more than half of
// the array, so memory stays proportional to what is queued and each item is copied O(1) times
// on average. `remove()` (a cancelled waiter) is O(n), like Python's `list.remove`.

/** @internal A FIFO of items with O(1) push and shift. */
export class Fifo<T> {
  private items: (T | undefined)[];
  private head: number;

  constructor() {
    this.items = [];
    this.head = 0;
  }

  /** How many items are queued. */
  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** Take the first item; the caller checks `length` first. */
  shift(): T {
    const items = this.items;
    const item = items[this.head] as T;
    items[this.head++] = undefined; // drop the reference so the item can be collected
    if (this.head === items.length) {
      items.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= items.length) {
      items.splice(0, this.head);
      this.head = 0;
    }
    return item;
  }

  /** Remove the first occurrence of `item`; returns whether it was there. */
  remove(item: T): boolean {
    const i = this.items.indexOf(item, this.head);
    if (i < 0) return false;
    if (i === this.head) this.shift();
    else this.items.splice(i, 1);
    return true;
  }

  /** A copy of the queued items, first first. */
  toArray(): T[] {
    return this.items.slice(this.head) as T[];
  }
}
