// Port of the `channel_processor` decorator of "Stackless Event Loops". The article's decorator
// was not recovered; this follows the article's prose: one ChannelProcessor per function, kept on
// it as `_cp`, or one per object and method, kept on the object as `<name>_cp`. Covered by
// spec/channelProcessor/decorator.spec.ts.
import type { Deferred } from '../defer/deferred.js';
import { ChannelProcessor, type ActionResult, type AnyAction } from './channelProcessor.js';
import { ActionNotCallable } from './errors.js';

/**
 * The type of a function wrapped by {@link channelProcessor}: same parameters and `this`, and a
 * Deferred of the original result (a wrapped `(x: number) => string` is callable as
 * `(x: number) => Deferred<string>`). `_cp` is the function's processor once it has one.
 */
export type ChannelProcessed<F extends AnyAction> = ((this: ThisParameterType<F>, ...args: Parameters<F>) => Deferred<ActionResult<ReturnType<F>>>) & {
  /** The per-function processor, created on the first call made without an object. */
  _cp?: ChannelProcessor<F>;
};

/** The property a function keeps its processor under (`f._cp` in the article). */
const FUNCTION_KEY = '_cp';

function keep(target: object, key: string, value: unknown): void {
  // Non-enumerable, so the processor does not show up in JSON.stringify or Object.keys of the
  // user's objects; still a plain property (`obj.handle_cp`) for introspection and stop().
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: false });
}

/**
 * Per-function processor for `f` (the article's `f._cp`), created on first use.
 *
 * @returns the ChannelProcessor kept on `f` as `_cp`.
 */
export function functionProcessor<F extends AnyAction>(f: F): ChannelProcessor<F> {
  const held = (f as { _cp?: ChannelProcessor<F> })._cp;
  if (held !== undefined) return held;
  const cp = new ChannelProcessor(f);
  keep(f, FUNCTION_KEY, cp);
  return cp;
}

/**
 * Per-object processor for method `f` of `target` (the article's `target.<name>_cp`), created on
 * first use; the action runs with `this` = `target`.
 *
 * @returns the ChannelProcessor kept on `target` as `<name>_cp`.
 */
export function objectProcessor<F extends AnyAction>(target: object, name: string, f: F): ChannelProcessor<F> {
  const key = `${name}_cp`;
  const held = (target as Record<string, unknown>)[key];
  if (held instanceof ChannelProcessor && Object.prototype.hasOwnProperty.call(target, key)) return held as ChannelProcessor<F>;
  const cp = new ChannelProcessor(f, target);
  keep(target, key, cp);
  return cp;
}

/**
 * Make each call of `fn` go through a ChannelProcessor, so that `fn` runs as a continuously
 * running event loop in its own tasklet. Port of the article's `channel_processor` decorator
 * (reconstructed from the article's prose).
 *
 * Three forms, as in the article:
 * - **Per function**: `const handle = channelProcessor(function handle(e) {...})`. One processor
 *   for the function, created on its first call and kept on it as `handle._cp`.
 * - **Per object**: `this.handle = channelProcessor(this.handle)` in a constructor (the article's
 *   `self.func = channel_processor(self.func)`). Called as `obj.handle(e)`, each object gets its
 *   own processor, kept on it as `obj.handle_cp`, and the action runs with `this` = `obj`.
 * - **Method decorator** (standard TC39 decorators): `@channelProcessor handle(e) {...}` in a
 *   class body; one processor per object and method, kept as `obj.handle_cp`.
 *
 * The wrapper tells the forms apart the way Python tells a bound method from a function: called
 * with an object as `this` it is per object, called without one it is per function. The wrapper
 * keeps the function's `name` and `length`.
 *
 * @param fn - the function (or method) to run in its own event loop.
 * @returns the wrapper: same parameters, returns a Deferred of the result.
 * @throws ActionNotCallable when `fn` is not a function.
 * @example
 * ```ts
 * const tenfold = channelProcessor((x: number) => x * 10);
 * console.log(await tenfold(4)); // 40
 * await tenfold._cp?.stop();
 * ```
 */
export function channelProcessor<F extends AnyAction>(fn: F): ChannelProcessed<F>;
/**
 * The method-decorator form. A TC39 decorator cannot change a method's type, so the decorated
 * method must already be declared with an awaitable result (`PromiseLike<T>` or `Deferred<T>`):
 * the replacement returns a Deferred of the same value. For a method with a plain result, use
 * the per-object form `this.m = channelProcessor(this.m)` instead.
 *
 * @param fn - the method to run in its own event loop, one per object.
 * @param context - given by the runtime when used as a method decorator.
 * @returns the replacement method.
 * @throws ActionNotCallable when `fn` is not a function.
 */
export function channelProcessor<This, A extends unknown[], R extends PromiseLike<unknown>>(
  fn: (this: This, ...args: A) => R,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: A) => R>,
): (this: This, ...args: A) => R;
export function channelProcessor<F extends AnyAction>(fn: F, context?: ClassMethodDecoratorContext): ChannelProcessed<F> {
  if (typeof fn !== 'function') throw new ActionNotCallable('channelProcessor', fn);
  const name = context !== undefined ? String(context.name) : fn.name;
  const wrapper = function (this: unknown, ...args: Parameters<F>): Deferred<ActionResult<ReturnType<F>>> {
    // `this` is an object when called as a method (obj.handle(x)): one processor per object.
    const cp =
      this !== undefined && this !== null && this !== globalThis && (typeof this === 'object' || typeof this === 'function')
        ? objectProcessor(this as object, name, fn)
        : functionProcessor(fn);
    return cp.call(...args);
  };
  Object.defineProperty(wrapper, 'name', { value: name, configurable: true });
  Object.defineProperty(wrapper, 'length', { value: fn.length, configurable: true });
  // The article keeps the processor on the original function (`f._cp`); the wrapper shows it too.
  Object.defineProperty(wrapper, FUNCTION_KEY, { get: () => (fn as { _cp?: ChannelProcessor<F> })._cp, configurable: true, enumerable: false });
  return wrapper as ChannelProcessed<F>;
}
