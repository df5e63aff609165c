// The pieces every socket transport, port and connector shares: the structural reactor they need
// (so lib/internet never imports lib/reactor/reactor.ts, which imports lib/internet), the
// per-reactor registry behind disconnectAll (twisted.internet.base.ReactorBase.disconnectAll,
// Twisted 22.4), the bytes check, and guarded calls into user code.
// Covered by spec/internet/tcp.spec.ts and spec/internet/connection.spec.ts.
import type { IReactorTime } from '../defer/interfaces.js';
import { Failure } from '../failure/failure.js';
import * as log from '../log/log.js';
import { processWide } from '../internal/processWide.js';

/**
 * What a transport, port or connector needs of its reactor: the time API and the system events
 * (for reactor.stop()'s disconnect-all). The real `Reactor` provides it.
 * No Python counterpart (Twisted's selectables hold the whole reactor).
 */
export interface IOReactor extends IReactorTime {
  /** Add a trigger to a system event (used once per reactor, for 'during' 'shutdown'). */
  addSystemEventTrigger(phase: 'before' | 'during' | 'after', eventType: string, fn: () => unknown): unknown;
}

/** Something reactor.stop() must disconnect: an open connection or a listening port. */
export interface Selectable {
  /** @internal Drop the connection (or stop listening) at once with `reason`, as disconnectAll does. */
  _disconnectNow(reason: Failure): void;
}

type Registry = WeakMap<object, Set<Selectable>>;

function registry(): Registry {
  return processWide('internet.selectables', (): Registry => new WeakMap());
}

/** The selectables of `reactor` (created on first use). */
export function selectablesOf(reactor: object): Set<Selectable> {
  const reg = registry();
  let set = reg.get(reactor);
  if (set === undefined) {
    set = new Set();
    reg.set(reactor, set);
  }
  return set;
}

/**
 * Disconnect every open connection and listening port of `reactor` with `reason` (by default
 * `ConnectionLost('Connection lost')`). The reactor calls it in the 'during' phase of shutdown.
 * Port of `twisted.internet.posixbase.PosixReactorBase.disconnectAll` (via `_disconnectSelectable`).
 *
 * @param reactor - the reactor whose connections and ports to drop
 * @param reason - the Failure every connectionLost receives
 */
export function disconnectAll(reactor: object, reason: Failure): void {
  const set = registry().get(reactor);
  if (set === undefined || set.size === 0) return;
  const all = Array.from(set);
  set.clear();
  for (const s of all) {
    try {
      s._disconnectNow(reason);
    } catch (e) {
      log.err(e, 'while disconnecting at reactor shutdown');
    }
  }
}

/** Log `e` as Twisted's reactor logs an exception a callback raised, and return it as a Failure. */
export function logFailure(e: unknown, why?: string): Failure {
  const f = new Failure(e);
  log.err(f, why);
  return f;
}

/** The log prefix of an application object: its `logPrefix()` if it has one, else its class name. */
export function logPrefixOf(obj: unknown): string {
  if (obj !== null && typeof obj === 'object') {
    const lp = (obj as { logPrefix?: unknown }).logPrefix;
    if (typeof lp === 'function') {
      try {
        return String((lp as () => unknown).call(obj));
      } catch {
        // fall through to the class name
      }
    }
    const ctor = (obj as { constructor?: { name?: string } }).constructor;
    if (ctor !== undefined && typeof ctor.name === 'string' && ctor.name !== '') return ctor.name;
  }
  return '-';
}
