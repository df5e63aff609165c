// Port of twisted.internet.address._ProcessAddress and twisted.internet._posixstdio.PipeAddress
// (Twisted 22.4): the field-less addresses of a child process and of standard I/O.
// Covered by spec/endpoints/process.spec.ts.
import type { IAddress } from './address.js';

/**
 * The address of a child process, as a process endpoint's factory and transport see it (it
 * carries nothing). Port of `twisted.internet.address._ProcessAddress`.
 *
 * @example
 * ```ts
 * String(new ProcessAddress()); // '_ProcessAddress()'
 * ```
 */
export class ProcessAddress implements IAddress {
  /** Every ProcessAddress equals every other (they carry no field). */
  equals(other: unknown): boolean {
    return other instanceof ProcessAddress;
  }
  /** The same key for all. */
  hashKey(): string {
    return '_ProcessAddress()';
  }
  /** `_ProcessAddress()`. */
  toString(): string {
    return '_ProcessAddress()';
  }
}

/**
 * The address of this process's standard input and output. Port of
 * `twisted.internet._posixstdio.PipeAddress`.
 *
 * @example
 * ```ts
 * String(new PipeAddress()); // 'PipeAddress()'
 * ```
 */
export class PipeAddress implements IAddress {
  /** Every PipeAddress equals every other. */
  equals(other: unknown): boolean {
    return other instanceof PipeAddress;
  }
  /** The same key for all. */
  hashKey(): string {
    return 'PipeAddress()';
  }
  /** `PipeAddress()`. */
  toString(): string {
    return 'PipeAddress()';
  }
}
