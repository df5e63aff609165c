// The addresses of the in-memory transports (iosim's FakeAddress, loopback's _LoopbackAddress):
// each names no endpoint and equals only itself. Covered by spec/testing/iosim.spec.ts and
// spec/testing/loopback.spec.ts.
import type { IAddress } from '../protocol/interfaces.js';

let nextId = 0;

/** An address of nothing, equal only to itself; `toString()` is `<Label>()`. */
export abstract class IdentityAddress implements IAddress {
  /** @internal */
  readonly _id: number = nextId++;
  /** @internal the class name shown by toString() and hashKey(). */
  readonly _label: string;

  constructor(label: string) {
    this._label = label;
  }

  /** The same object only. */
  equals(other: unknown): boolean {
    return other === this;
  }

  /** A key unique to this address (it equals only itself). */
  hashKey(): string {
    return `${this._label}#${this._id}`;
  }

  /** `<Label>()`, as Python's repr. */
  toString(): string {
    return `${this._label}()`;
  }
}
