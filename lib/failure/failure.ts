// Port of twisted.python.failure.Failure (Twisted 22.4); what it tells about the value it
// wraps (type, parents, safe text) is in thrownValue.ts. Covered by spec/failure/failure.spec.ts (a port of twisted/test/test_failure.py) and
// spec/failure/matching.spec.ts.
import { InvalidTracebackDetailError, NoCurrentExceptionError } from './errors.js';
import { EXCEPTION_CAUGHT_HERE, formatFrames, parseStack, type FailureFrame, type TracebackDetail } from './frames.js';
import { processWide } from '../internal/processWide.js';
import { nameOfType, parentsOf, safeString, typeOfValue, WRAPPERS, type FailureClass } from './thrownValue.js';

/**
 * The brand that marks a Failure, `Symbol.for('twistless.failure')`, shared by every copy of
 * twistless loaded in the process. `isFailure` tests it.
 *
 * @example
 * ```ts
 * (new Failure(1) as unknown as Record<symbol, unknown>)[FAILURE_BRAND]; // true
 * ```
 */
export const FAILURE_BRAND: unique symbol = Symbol.for('twistless.failure') as never;

/** Process-wide Failure state (the `count` sequence), one per process whatever copy made it. */
interface FailureState {
  count: number;
}
const state: FailureState = processWide('failureState', () => ({ count: 0 }));

/**
 * What `check`/`trap` accept: a class (matched with `instanceof`, or, for a primitive value, its
 * wrapper class: `String` for a thrown string), a class NAME as a string (matched against the
 * names in `parents`, so classes from a second copy of a library still match, like Twisted's
 * match by qualified name), or `null`/`undefined` to match a thrown `null`/`undefined`.
 */
export type FailureTypeMatcher = FailureClass | string | null | undefined;

/**
 * Anything with a `write(text)` method: `process.stderr`, a stream, an object collecting text.
 * The part Python's file objects play for `printTraceback(file=...)`.
 */
export interface TextStream {
  write(text: string): unknown;
}

/**
 * True when `x` is a Failure, from this copy of twistless or any other (recognised by the
 * `Symbol.for('twistless.failure')` brand, not by `instanceof`).
 *
 * @example
 * ```ts
 * isFailure(new Failure(new Error('x'))); // true
 * isFailure(new Error('x'));              // false
 * ```
 */
export function isFailure(x: unknown): x is Failure {
  if (typeof x !== 'object' || x === null) return false;
  try {
    if (x instanceof Failure) return true; // this copy's Failures: the fast, common case
    return (x as { [FAILURE_BRAND]?: unknown })[FAILURE_BRAND] === true;
  } catch {
    return false; // a Proxy whose get trap throws is not a Failure
  }
}

/**
 * A thrown value, caught and carried down an errback chain.
 *
 * Port of `twisted.python.failure.Failure`. It wraps ANY value JavaScript can throw: an Error, a
 * string, `null`, `undefined`, `0`. `new Failure()` with no argument at all throws
 * `NoCurrentExceptionError` (JavaScript has no "current exception" to pick up); `new Failure(f)`
 * of a Failure returns that same Failure.
 *
 * `type` is the value's class: its constructor for an object (`TypeError`, `Object` for a
 * prototype-less object), the wrapper class for a primitive (`String`, `Number`, `Boolean`,
 * `BigInt`, `Symbol`), and `null` / `undefined` for a thrown `null` / `undefined`.
 *
 * The field `handled` is a small, documented surface for the Deferred layer (see its comment);
 * nothing in lib/failure reads it.
 *
 * @example
 * ```ts
 * const f = new Failure(new RangeError('too big'));
 * f.check(TypeError, RangeError); // RangeError
 * f.getErrorMessage();            // 'too big'
 * ```
 */
export class Failure {
  /** The wrapped value, exactly as it was thrown. */
  value: unknown;
  /** The value's class; see the class comment for primitives, `null` and `undefined`. */
  type: FailureClass | null | undefined;
  /** This Failure's number in the process (1, 2, 3, …), shown by the verbose traceback. */
  count: number;
  /** True once `cleanFailure()` ran (Twisted's `pickled`); the verbose header then says "(pickled)". */
  pickled: boolean;
  /**
   * For lib/defer: true while some consumer (an errback, `await`, a trial helper) has taken
   * responsibility for this Failure; the Deferred layer sets and clears it. Starts false.
   */
  handled: boolean;
  /** @internal parsed frames, filled on first use (see `frames`). */
  _frames: FailureFrame[] | null;

  /**
   * Wrap `value`.
   *
   * @param value - any thrown value; a Failure (from any copy of twistless) is returned as is.
   * @throws NoCurrentExceptionError when called with no argument at all.
   */
  constructor(value?: unknown) {
    this.value = undefined;
    this.type = undefined;
    this.count = 0;
    this.pickled = false;
    this.handled = false;
    this._frames = null;
    if (arguments.length === 0) throw new NoCurrentExceptionError();
    if (isFailure(value)) return value;
    this.value = value;
    this.type = typeOfValue(value);
    this.count = ++state.count;
  }

  /**
   * The frames the value was thrown through, innermost last, parsed from the value's JavaScript
   * stack (`error.stack`). Empty for a value with no stack (a thrown string, number, …).
   * Port of `Failure.frames`.
   */
  get frames(): FailureFrame[] {
    if (this._frames === null) {
      let text: unknown;
      try {
        text = typeof this.value === 'object' && this.value !== null ? (this.value as { stack?: unknown }).stack : undefined;
      } catch {
        text = undefined;
      }
      this._frames = typeof text === 'string' ? parseStack(text) : [];
    }
    return this._frames;
  }

  /**
   * The frames above the point where the exception was caught. Port of `Failure.stack`. A
   * JavaScript stack already runs from the throw point to the outermost caller, all of it in
   * `frames`, so this is always empty.
   */
  get stack(): FailureFrame[] {
    return [];
  }

  /**
   * The names of the classes the value is an instance of, nearest first
   * (`['RangeError', 'Error', 'Object']`; `['String']` for a thrown string; `['null']`).
   * Port of `Failure.parents` (which holds qualified names).
   */
  get parents(): string[] {
    return parentsOf(this.value, this.type);
  }

  /**
   * The first of `types` the value matches, or null.
   *
   * Port of `twisted.python.failure.Failure.check`. Returns the argument as it was passed.
   *
   * @param types - classes (instanceof; a primitive matches its wrapper class), class names, or
   *   `null`/`undefined` for a thrown `null`/`undefined`. See {@link FailureTypeMatcher}.
   * @returns the first matching argument, or null.
   * @example
   * ```ts
   * new Failure(new TypeError('x')).check(RangeError, Error); // Error
   * new Failure('boom').check(String);                         // String
   * ```
   */
  check<T extends FailureTypeMatcher[]>(...types: T): T[number] | null {
    const value = this.value;
    let parents: string[] | null = null;
    for (let i = 0; i < types.length; i++) {
      const t = types[i];
      if (t === null || t === undefined) {
        if (value === t) return t;
      } else if (typeof t === 'string') {
        if (parents === null) parents = this.parents;
        if (parents.includes(t)) return t;
      } else if (typeof t === 'function') {
        if (value !== null && (typeof value === 'object' || typeof value === 'function')) {
          try {
            if (value instanceof (t as unknown as new () => unknown)) return t;
          } catch {
            // t is not usable with instanceof (no prototype): no match
          }
        } else if (value !== null && value !== undefined && WRAPPERS[typeof value] === t) {
          return t;
        }
      }
    }
    return null;
  }

  /**
   * Return the first of `types` the value matches; when none matches, rethrow the wrapped VALUE
   * (not the Failure), so that inside an errback the next errback gets a new Failure around the
   * same value.
   *
   * Port of `twisted.python.failure.Failure.trap` (Twisted 22.4, Python 3 behaviour).
   *
   * @returns the matching argument.
   * @throws the wrapped `value` when nothing matches.
   * @example
   * ```ts
   * d.addErrback((f: Failure) => { f.trap(CancelledError); return 'cancelled'; });
   * ```
   */
  trap<T extends FailureTypeMatcher[]>(...types: T): T[number] {
    const match = this.check(...types);
    if (match === null) this.raiseException();
    return match;
  }

  /**
   * Throw the wrapped value. Port of `twisted.python.failure.Failure.raiseException`.
   *
   * @throws the wrapped `value`, exactly as it was thrown.
   */
  raiseException(): never {
    throw this.value;
  }

  /**
   * Throw the wrapped value into a generator at its paused `yield`, and return what the
   * generator does next. Port of `Failure.throwExceptionIntoGenerator`.
   *
   * @param gen - a generator paused at a `yield`.
   * @returns the generator's next iterator result.
   */
  throwExceptionIntoGenerator<Y, R, N>(gen: Generator<Y, R, N>): IteratorResult<Y, R> {
    return gen.throw(this.value);
  }

  /**
   * The value as a message: an Error's `message`, a string itself, another value's text. Never
   * throws. Port of `Failure.getErrorMessage`.
   */
  getErrorMessage(): string {
    return safeString(this.value);
  }

  /**
   * A Twisted-layout traceback.
   *
   * Port of `Failure.getTraceback`. 'default' is Python's "Traceback (most recent call last):"
   * layout with `File "...", line N, in fn` lines and their source; 'brief' is one
   * `file:line:fn` line per frame; 'verbose' has the `*--- Failure #N ---` header and footer.
   *
   * @param detail - 'default' (the default), 'brief' or 'verbose'.
   * @throws InvalidTracebackDetailError for any other detail.
   */
  getTraceback(detail: TracebackDetail = 'default'): string {
    if (detail !== 'default' && detail !== 'brief' && detail !== 'verbose') {
      throw new InvalidTracebackDetailError(detail);
    }
    const out: string[] = [];
    const w = (s: string): void => {
      out.push(s);
    };
    const frames = this.frames;
    const qual = nameOfType(this.type);
    const msg = safeString(this.value);
    if (detail === 'verbose') {
      w(`*--- Failure #${this.count}${this.pickled ? ' (pickled) ' : ' '}---\n`);
    } else if (detail === 'brief') {
      w(`${frames.length > 0 ? 'Traceback' : 'Traceback (failure with no frames)'}: <class '${qual}'>: ${msg}\n`);
    } else {
      w('Traceback (most recent call last):\n');
    }
    if (frames.length > 0) {
      formatFrames(this.stack.slice(-4), w, detail);
      w(`${EXCEPTION_CAUGHT_HERE}\n`);
      formatFrames(frames, w, detail);
    } else if (detail !== 'brief') {
      w('Failure: ');
    }
    if (detail !== 'brief') w(`${qual}: ${msg}\n`);
    if (detail === 'verbose') w(`*--- End of Failure #${this.count} ---\n`);
    return out.join('');
  }

  /** The 'brief' traceback. Port of `Failure.getBriefTraceback`. */
  getBriefTraceback(): string {
    return this.getTraceback('brief');
  }

  /**
   * Write the traceback to `stream` (default: `process.stderr`).
   * Port of `Failure.printTraceback` (whose default is Twisted's log error stream).
   *
   * @param stream - any object with `write(text)`.
   * @param detail - as for `getTraceback`.
   * @throws InvalidTracebackDetailError for an unknown detail.
   */
  printTraceback(stream?: TextStream, detail: TracebackDetail = 'default'): void {
    const text = this.getTraceback(detail);
    (stream ?? process.stderr).write(text);
  }

  /** `printTraceback(stream, 'brief')`. Port of `Failure.printBriefTraceback`. */
  printBriefTraceback(stream?: TextStream): void {
    this.printTraceback(stream, 'brief');
  }

  /** `printTraceback(stream, 'verbose')`. Port of `Failure.printDetailedTraceback`. */
  printDetailedTraceback(stream?: TextStream): void {
    this.printTraceback(stream, 'verbose');
  }

  /**
   * Drop references to live frames and mark the Failure as cleaned (`pickled`), as Deferred does
   * to a Failure a chain leaves behind. Port of `Failure.cleanFailure`.
   *
   * Python drops its traceback's frame objects here. The JavaScript analog: until an Error's
   * `stack` is first read, V8 keeps the raw call sites, which hold each frame's receiver (the
   * Deferred whose callback threw, say), so a kept Failure would keep them alive. Reading
   * `value.stack` makes V8 format it to text and let them go. The frames stay available (they are
   * parsed from that text); the visible change is the "(pickled)" mark in the verbose header.
   *
   * @example
   * ```ts
   * const f = new Failure(new Error('x'));
   * f.cleanFailure();
   * f.pickled; // true
   * ```
   */
  cleanFailure(): void {
    this.pickled = true;
    const value = this.value;
    if (typeof value === 'object' && value !== null) {
      try {
        void (value as { stack?: unknown }).stack;
      } catch {
        // a throwing stack getter (a Proxy, an odd class): nothing to drop
      }
    }
  }

  /** `[Failure instance: <brief traceback>]`. Port of `Failure.__str__`. */
  toString(): string {
    return `[Failure instance: ${this.getTraceback('brief')}]`;
  }

  /** `<Failure RangeError: too big>`, what `console.log` and `util.inspect` show. Port of `Failure.__repr__`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `<Failure ${nameOfType(this.type)}: ${safeString(this.value)}>`;
  }
}

Object.defineProperty(Failure.prototype, FAILURE_BRAND, { value: true, enumerable: false, writable: false });
