// A first-in first-out list for DeferredQueue, DeferredLock and DeferredSemaphore.
// Twisted uses a Python list with `pop(0)`, which is O(n) per item (its own benchmark goes
// quadratic on a 100,000-item backlog). Covered by spec/defer/locks.spec.ts.
//
// How and why: a ring buffer. Items sit in a flat array whose length is a power of two; `head`
// is the index of the oldest item and `size` how many there are, so push and shift are O(1) and
// allocate nothing until the ring is full, when it doubles (copying the items once, in order).
// The ring starts empty and shared, so a queue that never holds an item allocates none (a
// DeferredQueue per connection); its first item makes one of FIRST_CAPACITY slots. A queue that
// fills and drains in turn (get, put, get, put) reuses the same slots for ever.
// `remove()` (a cancelled waiter) is O(n), like Python's `list.remove`.

const FIRST_CAPACITY = 4;
/** The ring of every Fifo that never held an item: never written (the first push replaces it). */
const NO_ITEMS: never[] = [];

/** @internal A FIFO of items with O(1) push and shift. */
export class Fifo<T> {
  private items: (T | undefined)[];
  private head: number;
  private size: number;

  constructor() {
    this.items = NO_ITEMS;
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
    const items = new Array<T | undefined>(old.length === 0 ? FIRST_CAPACITY : old.length * 2).fill(undefined);
    for (let i = 0; i < this.size; i++) items[i] = old[(this.head + i) & (old.length - 1)];
    this.items = items;
    this.head = 0;
  }
}

/** Waiters in a WaiterRing's first block; each next block holds twice as many, up to MAX_BLOCK_WAITERS. */
const FIRST_BLOCK_WAITERS = 4;
/** Waiters in the largest block (one slot each, plus the link to the next block). */
const MAX_BLOCK_WAITERS = 1024;
/** The block of a ring that never had a waiter: no slot, never written, shared. */
const NO_BLOCK: unknown[] = [undefined];

/**
 * @internal The waiting Deferreds of a DeferredLock or DeferredSemaphore, oldest first. A queued
 * `run()` keeps its function in its own Deferred (see lock.ts), so the ring holds one slot per
 * waiter and a queued `run()` costs no object beyond its Deferred.
 *
 * How and why: a queue of blocks linked through their last slot (as Node's own FixedQueue), so a
 * long queue never copies itself and never allocates one large array (a growing ring did both,
 * and the copies were a quarter of a 100,000-waiter run). A ring that never had a waiter holds no
 * block, and blocks grow from 4 waiters to 1,024 by doubling, so that a lock per connection costs
 * a few dozen bytes, not a full block. A cancelled waiter is blanked in place (its slot set to
 * null) and skipped by `shift()`.
 */
export class WaiterRing<D> {
  private headBlock: unknown[];
  private headAt: number;
  private tailBlock: unknown[];
  private tailAt: number;
  /** Live waiters (blanked ones not counted). */
  private size: number;
  /** A drained block kept for the next one needed. */
  private spare: unknown[] | null;

  constructor() {
    this.headBlock = NO_BLOCK;
    this.headAt = 0;
    this.tailBlock = NO_BLOCK;
    this.tailAt = 0;
    this.size = 0;
    this.spare = null;
  }

  /** How many waiters are queued. */
  get length(): number {
    return this.size;
  }

  push(d: D): void {
    let block = this.tailBlock;
    let at = this.tailAt;
    if (at === block.length - 1) {
      const next = this.nextBlock(block);
      if (block === NO_BLOCK) {
        this.headBlock = next;
        this.headAt = 0;
      } else {
        block[at] = next;
      }
      this.tailBlock = block = next;
      at = 0;
    }
    block[at] = d;
    this.tailAt = at + 1;
    this.size++;
  }

  /** Take the first waiter; the caller checks `length` first. */
  shift(): D {
    for (;;) {
      let block = this.headBlock;
      let at = this.headAt;
      const end = block.length - 1;
      if (at === end) {
        const done = block;
        block = this.headBlock = done[end] as unknown[];
        at = 0;
        done[end] = undefined;
        this.spare = done;
      }
      const d = block[at] as D | null;
      block[at] = undefined; // drop the reference so the waiter can be collected
      this.headAt = at + 1;
      if (d === null) continue; // a cancelled waiter, blanked by remove()
      this.size--;
      if (this.size === 0) this.reset();
      return d;
    }
  }

  /** Remove the waiter `d` (blank it in place); returns whether it was there. */
  remove(d: D): boolean {
    let block = this.headBlock;
    let at = this.headAt;
    for (;;) {
      if (block === this.tailBlock && at === this.tailAt) return false;
      if (at === block.length - 1) {
        block = block[at] as unknown[];
        at = 0;
      }
      if (block[at] === d) {
        block[at] = null;
        this.size--;
        if (this.size === 0) this.reset();
        return true;
      }
      at++;
    }
  }

  /** The queued Deferreds, first first. */
  toArray(): D[] {
    const out: D[] = [];
    let block = this.headBlock;
    let at = this.headAt;
    for (;;) {
      if (block === this.tailBlock && at === this.tailAt) return out;
      if (at === block.length - 1) {
        block = block[at] as unknown[];
        at = 0;
      }
      if (block[at] !== null) out.push(block[at] as D);
      at++;
    }
  }

  /** The block after `full`: the spare if it is as large as the next size, else a new one. */
  private nextBlock(full: unknown[]): unknown[] {
    const waiters = full === NO_BLOCK ? FIRST_BLOCK_WAITERS : Math.min((full.length - 1) * 2, MAX_BLOCK_WAITERS);
    const spare = this.spare;
    this.spare = null;
    if (spare !== null && spare.length - 1 >= waiters) return spare;
    // Holes, not undefined: every slot is written before it is read.
    return new Array<unknown>(waiters + 1);
  }

  /** Empty: start again at the head block's first slot (blanked slots left behind are cleared). */
  private reset(): void {
    const block = this.headBlock;
    const end = block.length - 1;
    if (block === this.tailBlock) {
      for (let i = this.headAt; i < this.tailAt; i++) block[i] = undefined;
    } else {
      // Only blanked waiters remain beyond the head block: drop those blocks.
      block[end] = undefined;
      block.fill(undefined, this.headAt, end);
    }
    this.tailBlock = block;
    this.headAt = 0;
    this.tailAt = 0;
  }
}
