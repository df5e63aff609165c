// The text of Python's exceptions, as twisted.internet.error's classes build their str()
// (Twisted 22.4): the arguments' str() and repr(), and Twisted's "MESSAGE: args." layout.
// Covered by spec/error/error.spec.ts.
import { inspect } from 'node:util';

// Python's BaseException.__str__: '' for no args, str(arg) for one, the tuple's repr for more.
export function pyStr(args: readonly unknown[]): string {
  if (args.length === 0) return '';
  if (args.length === 1) return String(args[0]);
  return `(${args.map(pyRepr).join(', ')})`;
}

/** Python's repr() for the values error arguments hold (strings quoted as Python quotes them). */
export function pyRepr(value: unknown): string {
  if (typeof value === 'string') {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    const body = value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
    return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
  }
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'object' && Object.prototype.toString !== (value as object).toString) return String(value);
  return inspect(value);
}

// Twisted's common __str__: "MESSAGE", then ": arg1 arg2" when there are args, then ".".
export function withArgs(message: string, args: readonly unknown[]): string {
  return args.length === 0 ? `${message}.` : `${message}: ${args.map((a) => String(a)).join(' ')}.`;
}

export type WithMessage = { readonly MESSAGE: string };
