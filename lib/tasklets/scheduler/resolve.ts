// The hot end of every switch: resolving the promise a suspended body awaits with its pending
// operation's outcome (resolveNow), and the hook on a body's promise that hears its end (hookEnd),
// attached at the body's first resumption when it was parked since its start. Covered by
// spec/tasklets/scheduler.spec.ts and spec/tasklets/memory.spec.ts.
import { BODY_PENDING, HAS_ERR, RET_TEMPVAL } from './state.js';
import type { Tasklet } from '../tasklet.js';

/** @internal Resolves the promise `t` awaits with its pending operation's outcome (`t` continues a microtask later). */
export function resolveNow(t: Tasklet, res: (v: unknown) => void): void {
  // The hot end of every switch: the flag bits directly, not through the accessors.
  t._res = null;
  // The body may run to its end from here on: it needs its end hook now.
  if ((t._flags & BODY_PENDING) !== 0) hookPending(t);
  const f = t._flags;
  const v = (f & HAS_ERR) !== 0 ? new Raise(t._val) : (f & RET_TEMPVAL) !== 0 ? t.tempval : t._val;
  t._val = undefined;
  t._flags = f & ~(HAS_ERR | RET_TEMPVAL);
  res(v);
}

/** The first resumption of a body parked since its start: its end hook, attached now. */
function hookPending(t: Tasklet): void {
  hookEnd(t, t._body as PromiseLike<unknown>);
  t._body = null;
  t._flags &= ~BODY_PENDING;
}

/**
 * Resolving a switch's promise with a Raise rejects it with `e` (the thenable's `then` is called
 * with the promise's own resolvers), so a suspended tasklet keeps only its resolve function
 * (the reject function, 56 bytes, is dropped at once). The exception arrives one microtask
 * later than a direct reject would deliver it; the schedule is the same.
 */
class Raise {
  readonly e: unknown;
  constructor(e: unknown) {
    this.e = e;
  }

  then(_res: unknown, rej: (e: unknown) => void): void {
    rej(this.e);
  }
}

/**
 * @internal Attaches the end hook to the body's promise. Not returned from runBody: a returned promise
 * would keep a chain of adopting promises alive per tasklet. The hook costs memory for as long as
 * the tasklet lives: two proxies whose handler is the tasklet itself (2 x 32 bytes) instead of
 * two closures and their context (152 bytes); bound functions would be 2 x 48, but a loader that
 * redefines names (tsx's keepNames) turns bind() into ~340-byte dictionary objects.
 */
export function hookEnd(t: Tasklet, r: PromiseLike<unknown>): void {
  void r.then(new Proxy(bodyReturned, t as ProxyHandler<typeof bodyReturned>), new Proxy(bodyFailed, t as ProxyHandler<typeof bodyFailed>));
}

// The targets of the end hook's proxies: only their identity matters (never called; tasklet.ts's
// trap tells them apart).
/** @internal */
export function bodyReturned(): void {}
function bodyFailed(): void {}
