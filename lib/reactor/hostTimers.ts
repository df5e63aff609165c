// The host facilities a reactor rides (twistless-only; Twisted's asyncio reactor gets them from
// its host loop): the timer a Reactor arms, the keep-alive handle run() holds, and the time
// source, with Node's defaults; and the options that inject fakes of them. Covered by
// spec/reactor/time.spec.ts and spec/reactor/realReactor.spec.ts.
import { performance } from 'node:perf_hooks';

/**
 * The host timer facility a Reactor arms (Node's setTimeout by default). Inject a fake one to
 * drive a Reactor instance deterministically in tests.
 *
 * Stands for the host loop's timer calls that `twisted.internet.asyncioreactor` makes (`loop.call_later`, `TimerHandle.cancel`); twistless-only injection for tests.
 */
export interface ReactorTimers {
  /** Arm a one-shot timer calling `fn` after `ms` milliseconds; returns a handle for `clear`. */
  set(fn: () => void, ms: number): unknown;
  /** Disarm a timer `set` returned (it will not fire). */
  clear(handle: unknown): void;
  /** Keep the process alive until the returned function is called (used by `run()`). */
  hold(): () => void;
}

/**
 * Options for `new Reactor(...)`.
 * No Python counterpart (a Twisted reactor subclass overrides `seconds`); twistless-only injection for tests.
 */
export interface ReactorOptions {
  /** The time source in float seconds (default: a monotonic clock in seconds since the epoch). */
  seconds?: () => number;
  /** The host timers (default: Node's setTimeout/clearTimeout and a keep-alive interval). */
  timers?: ReactorTimers;
}

/** @internal The option names `new Reactor(options)` accepts. */
export const REACTOR_OPTIONS = ['seconds', 'timers'];

// setTimeout takes at most 2^31-1 ms (about 24.8 days); a later call fires the timer early and
// the reactor re-arms it.
/** @internal */
export const MAX_TIMER_MS = 2147483647;

function noop(): void {}

// Bound once: the global `performance` is a lazy getter in Node 20, and going through it on every
// callLater costs about twice the clock read itself.
const timeOrigin = performance.timeOrigin;
const now = performance.now.bind(performance);

/** @internal The default time source: wall-clock seconds since the epoch, read from a monotonic clock. */
export function monotonicSeconds(): number {
  return (timeOrigin + now()) / 1000;
}

/** @internal Node's setTimeout/clearTimeout, and a keep-alive interval. */
export const nodeTimers: ReactorTimers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  hold: () => {
    const keepAlive = setInterval(noop, MAX_TIMER_MS);
    return () => clearInterval(keepAlive);
  },
};
