// Errors across a thread boundary: structured cloning keeps only the built-in error classes and
// drops custom names, own fields and an AggregateError's `errors`, so an error crosses as a plain
// record (made by the bootstrap's encodeError, the same source on both sides) and is rebuilt
// here. Covered by spec/channelProcessor/worker.spec.ts and spec/threads/threads.spec.ts.
import { Failure } from '../failure/failure.js';
import { ENCODE_ERROR_SOURCE } from './bootstrap.js';

interface EncodedError {
  __twistlessWorkerError: 1;
  base: string;
  name: string;
  message: string;
  stack: string | undefined;
  props: Record<string, unknown>;
  hasCause: boolean;
  cause: unknown;
  errors: unknown[] | undefined;
}

/** The built-in error classes a worker error keeps (structured cloning keeps only these). */
const ERROR_CLASSES: Record<string, (message: string) => Error> = {
  Error: (m) => new Error(m),
  TypeError: (m) => new TypeError(m),
  RangeError: (m) => new RangeError(m),
  SyntaxError: (m) => new SyntaxError(m),
  ReferenceError: (m) => new ReferenceError(m),
  EvalError: (m) => new EvalError(m),
  URIError: (m) => new URIError(m),
  AggregateError: (m) => new AggregateError([], m),
};

function isEncodedError(value: unknown): value is EncodedError {
  return value !== null && typeof value === 'object' && (value as EncodedError).__twistlessWorkerError === 1;
}

/** A non-enumerable own field, as the engine makes `cause` and `errors`. */
function defineHidden(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: false });
}

/**
 * @internal Rebuild an error thrown in another thread: same class when built in, same name,
 * message, stack and own fields, with `cause` and an AggregateError's `errors` rebuilt the same
 * way (an error met twice, or in a cycle, is rebuilt once: `seen` maps each record to its error).
 */
export function decodeError(value: unknown, seen: Map<EncodedError, Error> = new Map()): unknown {
  if (!isEncodedError(value)) return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  const make = ERROR_CLASSES[value.base] ?? ERROR_CLASSES.Error;
  const err = make(value.message);
  seen.set(value, err);
  Object.defineProperty(err, 'name', { value: value.name, writable: true, configurable: true, enumerable: false });
  if (value.stack !== undefined) err.stack = value.stack;
  for (const key of Object.keys(value.props)) (err as unknown as Record<string, unknown>)[key] = decodeError(value.props[key], seen);
  if (value.hasCause) defineHidden(err, 'cause', decodeError(value.cause, seen));
  if (value.errors !== undefined) defineHidden(err, 'errors', value.errors.map((e) => decodeError(e, seen)));
  return err;
}

// The bootstrap's own encodeError, compiled once here: one source for both directions.
const encode = new Function(`${ENCODE_ERROR_SOURCE}\nreturn encodeError;`)() as (e: unknown) => unknown;

/** @internal An error as the record that crosses to another thread (anything else as is). */
export function encodeError(e: unknown): unknown {
  return encode(e);
}

/** @internal A Failure of `err`, marked handled (never reported as unhandled) when `handled`. */
export function quiet(err: unknown, handled: boolean): Failure {
  const f = new Failure(err);
  f.handled = handled;
  return f;
}
