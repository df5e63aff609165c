// The program representation shared by the differential harness's generator, its two interpreters
// (interp.ts on twistless, interp.py on Twisted) and its renderers (render.ts). See docs/differential.md.
//
// A program is a list of operations on one Clock and four numbered slot lists: Deferreds (D),
// DelayedCalls (C), LoopingCalls (L) and concurrency primitives (K: DeferredLock,
// DeferredSemaphore, DeferredQueue). An operation that makes an object appends it to its list
// (or null when the operation raised), so both interpreters number the objects alike. A function
// (callback, errback, canceller, delayed call, looping function) is a FnSpec: it records its call
// in the trace, then does one action.

/** An error class of the programs: both sides define E1 and E2 (and Budget, raised past MAX_STEPS). */
export type ErrName = 'E1' | 'E2';

/**
 * A function of a program: [tag, kind, ...params]. Every kind but 'passthru' records
 * ['f', tag, result-or-null, extra args?] when called; then:
 * - 'pass': return its argument; 'val' n: return n; 'add' n: argument + n when it is a number;
 * - 'raise' E: throw E; 'trap' E: on a Failure, failure.trap(E) then return 'T';
 * - 'retD' i: return D[i]; 'fire' i v / 'efire' i E: D[i].callback(v) / errback(E), return the argument;
 * - 'cancel' i, 'pause' i, 'unpause' i: on D[i]; 'lstop' l: L[l].stop(); 'dcancel' c, 'dreset' c t: on C[c];
 * - 'advance' t: clock.advance(t); 'selfcb' v / 'selfeb' E: fire the argument (a canceller's Deferred);
 * - 'later' t tag2: clock.callLater(t, g) where g is [tag2, 'pass'], appended to C; return the argument;
 * - 'release' k: K[k].release(); 'put' k v: K[k].put(v); both return the argument;
 * - 'acquire' k ret / 'get' k ret: K[k].acquire() / K[k].get(), returning that Deferred when `ret`
 *   (the chain then waits on it), else the argument;
 * - 'run' k g ret: K[k].run(g) for the function g (never itself a 'run', 'acquire' or 'get'),
 *   returning its Deferred when `ret`, else the argument.
 * 'passthru' is the library's own passthru function (no record).
 * Errors raised by the action of a 'fire'-like kind are recorded as ['x', tag, name] and swallowed.
 */
export type FnSpec =
  | [number, 'pass']
  | [number, 'val', number]
  | [number, 'add', number]
  | [number, 'raise', ErrName]
  | [number, 'trap', ErrName]
  | [number, 'retD', number]
  | [number, 'fire', number, number]
  | [number, 'efire', number, ErrName]
  | [number, 'cancel', number]
  | [number, 'pause', number]
  | [number, 'unpause', number]
  | [number, 'lstop', number]
  | [number, 'dcancel', number]
  | [number, 'dreset', number, number]
  | [number, 'advance', number]
  | [number, 'selfcb', number]
  | [number, 'selfeb', ErrName]
  | [number, 'later', number, number]
  | [number, 'release', number]
  | [number, 'put', number, number]
  | [number, 'acquire', number, boolean]
  | [number, 'get', number, boolean]
  | [number, 'run', number, FnSpec, boolean]
  | [number, 'passthru'];

/** One step of an inlineCallbacks generator: yield D[i] (catching its failure or not), yield a plain value, or act. */
export type IcStep = ['y', number, boolean] | ['v', number] | ['op', FnSpec];

/** How an inlineCallbacks generator ends: return a value or raise an error. */
export type IcEnd = ['ret', number] | ['raise', ErrName];

/** The kinds of concurrency primitive in K. */
export type PrimKind = 'lock' | 'sem' | 'queue';

/** One operation of a program. Those marked "-> D/C/L/K" append to that slot list. */
export type Op =
  | ['new', FnSpec | null] // -> D: new Deferred(canceller)
  | ['succeed', number] // -> D
  | ['fail', ErrName] // -> D
  | ['cb', number, number] // D[i].callback(v)
  | ['eb', number, ErrName] // D[i].errback(E)
  | ['add', number, 'cb' | 'eb' | 'both', FnSpec, number[]] // D[i].addCallback(f, ...args) etc.
  | ['cbs', number, FnSpec, FnSpec | null, number[], number[]] // D[i].addCallbacks(f, g, fArgs, gArgs)
  | ['cancel', number]
  | ['pause', number]
  | ['unpause', number]
  | ['chain', number, number] // D[i].chainDeferred(D[j])
  | ['timeout', number, number] // D[i].addTimeout(t, clock)
  | ['dl', number[], boolean, boolean, boolean] // -> D: DeferredList(ds, fireOnOneCallback, fireOnOneErrback, consumeErrors)
  | ['gather', number[], boolean] // -> D: gatherResults(ds, consumeErrors)
  | ['ic', number, IcStep[], IcEnd] // -> D: an inlineCallbacks call (tag, steps, end)
  | ['later', number, FnSpec] // -> C: clock.callLater(t, f)
  | ['reset', number, number] // C[c].reset(t)
  | ['delay', number, number] // C[c].delay(t)
  | ['dcancel', number] // C[c].cancel()
  | ['advance', number] // clock.advance(t)
  | ['lc', FnSpec] // -> L: new LoopingCall(f) on the clock
  | ['lstart', number, number, boolean] // -> D: L[l].start(interval, now)
  | ['lstop', number] // L[l].stop()
  | ['lock'] // -> K: new DeferredLock()
  | ['sem', number] // -> K: new DeferredSemaphore(tokens)
  | ['queue', number | null, number | null] // -> K: new DeferredQueue(size, backlog)
  | ['acquire', number] // -> D: K[k].acquire()
  | ['release', number] // K[k].release()
  | ['run', number, FnSpec, number[]] // -> D: K[k].run(f, ...args)
  | ['put', number, number] // K[k].put(v)
  | ['get', number] // -> D: K[k].get()
  | ['nop', Slot | null]; // a removed operation (keeps the numbering of later slots)

/** A slot list. */
export type Slot = 'D' | 'C' | 'L' | 'K';

/** A program: its operations. */
export interface Program {
  ops: Op[];
}

/**
 * A trace event. ['f', tag, arg, extra?] a function call; ['x', where, name] an error raised by an
 * operation (where = op index) or by a function's action (where = 'f' + tag); ['ic', tag, 'got'|'exc', x]
 * a generator step; ['end', seconds, D states, C states, L states, K states] the final state.
 */
export type TraceEvent = unknown[];

/** Past this many function calls in one program, every function raises Budget (stops runaway loops). */
export const MAX_STEPS = 300;

/** Which slot list an operation appends to, if any. */
export function slotOf(op: Op): Slot | null {
  switch (op[0]) {
    case 'new':
    case 'succeed':
    case 'fail':
    case 'dl':
    case 'gather':
    case 'ic':
    case 'lstart':
    case 'acquire':
    case 'run':
    case 'get':
      return 'D';
    case 'later':
      return 'C';
    case 'lc':
      return 'L';
    case 'lock':
    case 'sem':
    case 'queue':
      return 'K';
    case 'nop':
      return op[1];
    default:
      return null;
  }
}

/** The functions of an operation (canceller, callbacks, delayed call, looping function, generator steps, run() function), without the ones nested in them. */
function ownFns(op: Op): FnSpec[] {
  switch (op[0]) {
    case 'new':
      return op[1] === null ? [] : [op[1]];
    case 'add':
      return [op[3]];
    case 'cbs':
      return op[3] === null ? [op[2]] : [op[2], op[3]];
    case 'ic':
      return op[2].flatMap((s) => (s[0] === 'op' ? [s[1]] : []));
    case 'later':
      return [op[2]];
    case 'lc':
      return [op[1]];
    case 'run':
      return [op[2]];
    default:
      return [];
  }
}

/** A function and the one its 'run' action runs, the inner one first (it is defined first). */
function withNested(f: FnSpec): FnSpec[] {
  return f[1] === 'run' ? [...withNested(f[3]), f] : [f];
}

/** Every function of an operation, nested ones included (the function of a 'run' action comes before it). */
export function fnsOf(op: Op): FnSpec[] {
  return ownFns(op).flatMap(withNested);
}
