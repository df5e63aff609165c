// The scheduler's process-wide state and the flag bits of a tasklet: the one place every other
// scheduler file reads and writes. Part of the port of Stackless's scheduler (Stackless 3.7:
// Stackless/module/scheduling.c); covered by spec/tasklets/scheduler.spec.ts.
import { performance } from 'node:perf_hooks';
import { processWide } from '../../internal/processWide.js';
import type { Tasklet } from '../tasklet.js';
import type { ChannelQueue } from '../channelQueue.js';
import type { ChannelCallback, ErrorHandler, ScheduleCallback } from '../hooks.js';

/** @internal Where a tasklet is linked. */
export const NOWHERE = 0;
/** @internal */
export const RING = 1;
/** @internal */
export const CHANNEL = 2;
/** @internal */
export const BLOCK_ON = 3;

/** @internal The bits of `Tasklet._flags` (the hot paths test them directly). */
export const ALIVE = 1;
/** @internal */
export const STARTED = 2;
/** @internal */
export const MAIN = 4;
/** @internal */
export const HAS_ERR = 8;
/** @internal */
export const RET_TEMPVAL = 16;
/** @internal */
export const WATCHDOG = 32;
/** @internal */
export const SEND_ERR = 64;
/** @internal */
export const BLOCK_TRAP = 128;
/** @internal */
export const ATOMIC = 256;
/** @internal */
export const DIR_SEND = 512;
/** @internal */
export const DIR_RECV = 1024;
/** @internal `_body` holds the body's promise, its end hook not attached yet (see runBody). */
export const BODY_PENDING = 2048;
/** @internal The tasklet's weak reference (`_bref`) is in the scheduler's list of blockOn waiters. */
export const LISTED = 4096;

/** @internal Process-wide scheduler state, kept once per process behind `Symbol.for('twistless.scheduler')`. */
export interface SchedulerState {
  main: Tasklet;
  /** The tasklet holding the turn, or null when nothing runs (every tasklet waits on the event loop). */
  current: Tasklet | null;
  /** The ring's head (equals `current` except while idle). */
  head: Tasklet | null;
  runcount: number;
  /** run() callers, innermost last. */
  watchdogs: Tasklet[];
  immediateArmed: boolean;
  /** The caller of a synchronous start (deferredTasklet), below us on the JavaScript stack. */
  onStack: Tasklet | null;
  /** Tasklets waiting in blockOn for a promise. */
  foreignWaits: number;
  /**
   * The tasklets waiting in blockOn (or on a blockingTasklet call), weakly (for deadlock checks
   * and reports): such a tasklet is reachable only through what it waits on. An entry may be
   * stale (dead, or woken meanwhile); `foreignWaits` counts the live waits plus the collected ones.
   */
  foreignRefs: WeakRef<Tasklet>[];
  /** foreignRefs' length at which it is next compacted. */
  foreignRefsLimit: number;
  /**
   * Channels that have had waiters, weakly (for deadlock reports): a tasklet blocked on a channel
   * is reachable only through that channel, so an unreachable channel frees its waiters.
   */
  chanRefs: WeakRef<ChannelQueue>[];
  /** chanRefs' length at which it is next compacted. */
  chanRefsLimit: number;
  /**
   * Channels that got a waiter since the last sweep (sweepRecent), strongly, RECENT_MAX at most:
   * most are empty again at once (a reply channel) and never need a WeakRef.
   */
  chanRecent: ChannelQueue[];
  /** The number of the next block (reports list the blocked tasklets in the order they blocked). */
  blockSeq: number;
  scheduleCallback: ScheduleCallback | null;
  channelCallback: ChannelCallback | null;
  inChannelCallback: boolean;
  /** How many channel or schedule callbacks are running (nothing may switch then). */
  inCallback: number;
  nextId: number;
  nextChannelId: number;
  switchTrap: number;
  errorHandler: ErrorHandler | null;
  /** True while a Waiting is being delivered (see resume). */
  waitingRun: boolean;
  /** The next tasklet whose Waiting is to be delivered by the running delivery loop. */
  waitingNext: Tasklet | null;
  /** More of them, in order (only if something resumed two before the loop took the first). */
  waitingMore: Tasklet[];
  /** True while main waits on a call inside mainAwaitsCall. */
  mainBlocked: boolean;
  /** How many synchronous starts (deferredTasklet, blockingTasklet) are nested on the JavaScript stack. */
  syncDepth: number;
  /** Switches left before the scheduler next reads the clock (see yieldTurn). */
  slice: number;
  /** How many switches run between two readings of the clock (SLICE_SWITCHES unless a spec forces yields). */
  sliceSwitches: number;
  /** How long (ms) tasklets may switch among themselves before Node's event loop gets a turn (SLICE_MS unless a spec forces yields). */
  sliceMs: number;
  /** When the tasklets last gave Node's event loop a turn (performance.now()). */
  sliceStart: number;
  /** The tasklet whose resumption waits for Node's event loop to have had a turn, or null. */
  yielded: Tasklet | null;
  /** Where main was on the watchdog stack when a yield ended its automatic turn (see yieldTurn), or -1. */
  yieldedMainDepth: number;
  /** Set while main awaits blockingTasklet calls: checks, main holding the turn alone, whether they can still finish. */
  mainWaitCheck: (() => void) | null;
  /**
   * What the last operation that parked its caller returned (its promise, or the Waiting it parked
   * on): in the caller's synchronous code right after it, blockOn of that thenable is the caller
   * waiting for its own operation, while `current` is already someone else (see blockOn).
   */
  parkedOn: unknown;
  /** Counts the operations that parked their caller (blockOn tells from it whether anything ran since). */
  parkSeq: number;
  /** A microtask will clear `parkedOn`. */
  parkedClearArmed: boolean;
  /**
   * Late-bound calls up the import graph (tasklet.ts fills them when it loads): the files below
   * cannot import the files above them. `runBody` starts a body (lifecycle.ts; switch.ts calls
   * it), `onImmediate` runs the automatic turn (eventLoopTurn.ts; ring.ts arms it).
   */
  runBody: (t: Tasklet) => void;
  onImmediate: () => void;
}

/** @internal The least length at which the weak list of channels is compacted. */
export const CHAN_REFS_MIN = 1024;
/** @internal How many channels with waiters may be held strongly, before a sweep lists them weakly. */
export const RECENT_MAX = 16;
/** How many switches run between two readings of the clock. */
const SLICE_SWITCHES = 1024;
/** How long (ms) tasklets may switch among themselves before Node's event loop gets a turn. */
const SLICE_MS = 5;

/** What the late-bound slots hold until tasklet.ts has loaded (it always has once a tasklet exists). */
function notLoaded(): never {
  throw new Error('twistless: the tasklet scheduler ran before lib/tasklets/tasklet.ts loaded');
}

function createState(): SchedulerState {
  const state = {
    // Set by tasklet.ts once the class exists (installMain).
    main: undefined as unknown as Tasklet,
    current: null,
    head: null,
    runcount: 0,
    watchdogs: [],
    immediateArmed: false,
    onStack: null,
    foreignWaits: 0,
    foreignRefs: [],
    foreignRefsLimit: CHAN_REFS_MIN,
    chanRefs: [],
    chanRefsLimit: CHAN_REFS_MIN,
    chanRecent: [],
    blockSeq: 0,
    scheduleCallback: null,
    channelCallback: null,
    inChannelCallback: false,
    inCallback: 0,
    nextId: 1,
    nextChannelId: 1,
    switchTrap: 0,
    errorHandler: null,
    waitingRun: false,
    waitingNext: null,
    waitingMore: [],
    mainBlocked: false,
    syncDepth: 0,
    slice: SLICE_SWITCHES,
    sliceSwitches: SLICE_SWITCHES,
    sliceMs: SLICE_MS,
    sliceStart: performance.now(),
    yielded: null,
    yieldedMainDepth: -1,
    mainWaitCheck: null,
    parkedOn: null,
    parkSeq: 0,
    parkedClearArmed: false,
    runBody: notLoaded,
    onImmediate: notLoaded,
  } as SchedulerState;
  return state;
}

/** @internal The process-wide scheduler state (created once per process, whichever copy loads first). */
export const sched: SchedulerState = processWide('scheduler', createState);
