// How an error message names a value it was given (internal, not exported from the package):
// one wording everywhere, so the messages of every module read alike.

/** The longest string shown whole; a longer one is cut and ends with "...". */
const MAX_STRING = 40;

/**
 * A short description of a value for an error message: `null`, `undefined`,
 * `the string "abc"`, `number 42`, `function f`, `a symbol Symbol(x)`, `an object (Map)`.
 * Never throws, whatever the value (a Proxy, an object with a throwing getter).
 */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value.length > MAX_STRING ? value.slice(0, MAX_STRING) + '...' : value)}`;
    case 'number':
    case 'bigint':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'function':
      return `function ${functionName(value)}`;
    case 'symbol':
      return `a symbol ${value.toString()}`;
    default:
      return `an object (${constructorName(value)})`;
  }
}

function functionName(fn: object): string {
  try {
    const name = (fn as { name?: unknown }).name;
    return typeof name === 'string' && name !== '' ? name : '(anonymous)';
  } catch {
    return '(anonymous)';
  }
}

function constructorName(value: object): string {
  try {
    const ctor = (value as { constructor?: { name?: unknown } }).constructor;
    return ctor && typeof ctor.name === 'string' && ctor.name !== '' ? ctor.name : 'Object';
  } catch {
    return 'Object';
  }
}
