// Port of what twisted.python.failure and twisted.python.reflect tell about a thrown value
// (Twisted 22.4): its class (Failure.type), the names of its classes (Failure.parents, which
// check/trap match by name) and its text (reflect.safe_str). Covered by
// spec/failure/failure.spec.ts and spec/failure/matching.spec.ts.
import { inspect, types as utilTypes } from 'node:util';

/**
 * A class (any constructor function: an Error subclass, `String`, `Number`, `Object`, your own).
 * Used for `Failure.type` and as an argument of `check`/`trap`: the part Python's exception
 * classes play there.
 */
export interface FailureClass {
  readonly prototype: unknown;
  readonly name: string;
}

/** The brand of a Failure (failure.ts), tested here without importing the class. */
const FAILURE_BRAND_KEY = Symbol.for('twistless.failure');

function isBranded(value: unknown): value is { getErrorMessage(): string } {
  if (typeof value !== 'object' || value === null) return false;
  try {
    return (value as Record<symbol, unknown>)[FAILURE_BRAND_KEY] === true;
  } catch {
    return false; // a Proxy whose get trap throws is not a Failure
  }
}

/** @internal The wrapper class of each primitive type: a thrown string's `type` is `String`. */
export const WRAPPERS: Record<string, FailureClass> = {
  string: String,
  number: Number,
  boolean: Boolean,
  bigint: BigInt,
  symbol: Symbol,
};

/** @internal A thrown value's class (Failure.type): its constructor, a primitive's wrapper, or null/undefined. */
export function typeOfValue(value: unknown): FailureClass | null | undefined {
  if (value === null) return null;
  if (value === undefined) return undefined;
  const t = typeof value;
  if (t !== 'object' && t !== 'function') return WRAPPERS[t];
  try {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === null) return Object;
    const ctor = (proto as { constructor?: unknown }).constructor;
    if (typeof ctor === 'function') return ctor as FailureClass;
  } catch {
    // a Proxy or an exotic object refused to tell us: fall through
  }
  return Object;
}

/** @internal A class's name for a message, never throwing. */
export function nameOfType(type: FailureClass | null | undefined): string {
  if (type === null) return 'null';
  if (type === undefined) return 'undefined';
  try {
    const n = type.name;
    if (typeof n === 'string' && n !== '') return n;
  } catch {
    // unreadable name
  }
  return '<anonymous class>';
}

/** @internal The names of a value's classes, most derived first (Failure.parents). */
export function parentsOf(value: unknown, type: FailureClass | null | undefined): string[] {
  if (value === null || value === undefined || (typeof value !== 'object' && typeof value !== 'function')) {
    return [nameOfType(type)];
  }
  const names: string[] = [];
  try {
    let proto: unknown = Object.getPrototypeOf(value);
    while (proto !== null && proto !== undefined) {
      const ctor = (proto as { constructor?: unknown }).constructor;
      if (typeof ctor === 'function' && ctor.name !== '' && !names.includes(ctor.name)) names.push(ctor.name);
      proto = Object.getPrototypeOf(proto);
    }
  } catch {
    // stop at an exotic prototype
  }
  if (names.length === 0) names.push('Object');
  return names;
}

function isErrorLike(value: unknown): value is Error {
  return value instanceof Error || utilTypes.isNativeError(value);
}

/**
 * `str(value)` that never throws. Port of `twisted.python.reflect.safe_str` as Failure uses it:
 * an Error gives its `message`, a string itself, an object its own `toString()` or, when it has
 * none, `util.inspect` of it; a value that throws while being described gives
 * `<Type instance with str error:\n Error: why>`.
 *
 * @param value - anything.
 * @returns its text.
 * @example
 * ```ts
 * safeString(new RangeError('too big')); // 'too big'
 * safeString({ a: 1 });                  // '{ a: 1 }'
 * ```
 */
export function safeString(value: unknown): string {
  try {
    if (typeof value === 'string') return value;
    if (isBranded(value)) return value.getErrorMessage();
    if (isErrorLike(value)) return String(value.message);
    if (typeof value === 'symbol') return value.toString();
    if (typeof value === 'object' && value !== null) {
      const toString = (value as { toString?: unknown }).toString;
      if (typeof toString === 'function' && toString !== Object.prototype.toString) return String(toString.call(value));
      return inspect(value, { depth: 2, breakLength: Infinity });
    }
    return String(value);
  } catch (e) {
    let why: string;
    try {
      why = isErrorLike(e) ? `${e.name}: ${e.message}` : String(e);
    } catch {
      why = 'unprintable error';
    }
    return `<${nameOfType(typeOfValue(value))} instance with str error:\n ${why}>`;
  }
}
