// The request a ChannelProcessor's loop receives (the article's `(c, args, kwargs)` triple) and
// `_wrapper`, which runs the action for one request and fires its Deferred with the outcome.
// Covered by spec/channelProcessor/channelProcessor.spec.ts and stack.spec.ts.
import { Deferred as DeferredImport, isDeferred } from '../defer/deferred.js';
import { Failure as FailureImport, isFailure as isFailureImport } from '../failure/failure.js';
import type { Channel } from '../tasklets/channel.js';
import { isThenable } from '../internal/thenable.js';

// Module-local copies of the imports used on every call: under tsx an import binding is a getter.
type Deferred<T> = DeferredImport<T>;
const Failure = FailureImport;
type Failure = FailureImport;
const isFailure = isFailureImport;

/** Any function a processor can run: its parameters and result types are kept for `call`. */
// `never[]` parameters accept every function type (parameters are contravariant) without `any`.
export type AnyAction = (...args: never[]) => unknown;

/** The default action type when none is given: any arguments, an unknown result. */
export type UntypedAction = (...args: unknown[]) => unknown;

/**
 * @internal The article's keyword arguments. JavaScript has none: a Python keyword argument is a trailing
 * options object in `args`. The slot is kept so a request reads `(c, args, kwargs)` as in the
 * article; it is always this one empty object, so sending a request allocates nothing for it.
 */
export const NO_KWARGS: Readonly<Record<string, never>> = Object.freeze({});

/** A request as it travels on `processor.channel`: the article's `(c, args, kwargs)` triple. */
export type ProcessorRequest = [replyChannel: Channel<unknown>, args: readonly unknown[], kwargs: Readonly<Record<string, never>>];

/** What the loop receives: a request, or anything else (which stops it; stop() sends 1). */
export type ProcessorMessage = ProcessorRequest | unknown;

/** @internal */
export function isRequest(vals: unknown): vals is ProcessorRequest {
  // The article tests `len(vals) == 3`; a non-sequence (the 1 that stop() sends) made len() throw.
  return Array.isArray(vals) && vals.length === 3 && Array.isArray(vals[1]);
}

/**
 * @internal The article's `_wrapper(d, f, *args, **kwargs)`, with the intent it evidently had: run `f`
 * and give its outcome: its result, or a Failure when it throws. (The recovered `_wrapper`
 * forwards only successes, so a failing action left its caller blocked for ever.) The loop fires
 * the request's Deferred `d` with it (see chainResult) only when it fires later (a Deferred or a
 * promise); any other outcome is what `d` would fire with at once, so the loop sends it as
 * `d.addBoth(c.send)` would, without making `d`.
 */
export function _wrapper(f: (...args: never[]) => unknown, self: unknown, args: readonly unknown[]): unknown {
  try {
    return (f as (...a: unknown[]) => unknown).apply(self, args as unknown[]);
  } catch (e) {
    return new Failure(e);
  }
}

/** @internal True when an action's outcome fires later (a Deferred, a promise, any thenable): it needs the request's Deferred. */
export function firesLater(rv: unknown): boolean {
  // A Failure is not a thenable: it is an outcome already.
  return isThenable(rv);
}

/**
 * @internal Fire `d` with an action's outcome: when its Deferred or promise fires, it fires `d`
 * (and the loop goes on to the next request meanwhile); a Failure errbacks it; a value
 * callbacks it.
 */
export function chainResult(d: Deferred<unknown>, rv: unknown): void {
  if (isDeferred(rv)) {
    rv.addCallbacks(
      (v: unknown) => {
        d.callback(v);
        return undefined;
      },
      (f2: Failure) => {
        d.errback(f2);
        return undefined;
      },
    );
  } else if (isFailure(rv)) {
    d.errback(rv);
  } else if (isThenable(rv)) {
    rv.then(
      (v) => d.callback(v),
      (e: unknown) => d.errback(isFailure(e) ? e : new Failure(e)),
    );
  } else {
    d.callback(rv);
  }
}
