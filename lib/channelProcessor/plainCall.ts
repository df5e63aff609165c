// A call to a ChannelProcessor from plain code: made by main itself, with no tasklet of its own,
// when the loop waits in its receive (the loop's reply send completing into the call), else by a
// tasklet of its own (call.ts's runCall). Covered by spec/channelProcessor/plainCaller.spec.ts and
// answered.spec.ts.
import { channel as channelImport, channelStep, type Channel } from '../tasklets/channel.js';
import { isTaskletExit } from '../tasklets/errors.js';
import { answeredPlain, armPlainAnswered, launchPlain } from '../tasklets/plainCalls.js';
import { HAS_ERR, WATCHDOG, sched } from '../tasklets/scheduler/state.js';
import { syncCallerResumes } from '../tasklets/scheduler/switch.js';
import { endsItself, runAsStep, type Waiting } from '../tasklets/stepBody.js';
import { err as logErr } from '../log/log.js';
import { Deferred as DeferredImport } from '../defer/deferred.js';
import { isFailure as isFailureImport } from '../failure/failure.js';
import { CallSteps, runCall } from './call.js';
import { loopKilled } from './loop.js';
import { NO_KWARGS, type AnyAction, type ProcessorRequest } from './request.js';
import type { ChannelProcessor } from './channelProcessor.js';

// Module-local copies of the imports used on every call: under tsx an import binding is a getter.
const isFailure = isFailureImport;
const channel = channelImport;
const Deferred = DeferredImport;
type Deferred<T> = DeferredImport<T>;

/**
 * A call from plain code made with no tasklet of its own, when the loop waits in its receive and
 * main holds the turn alone: main itself makes the rendezvous on the processor's channel (the
 * loop, preferred as the receiver, runs at once on main's stack, as the tasklets main runs while
 * it awaits a call: mainAwaitsCall), and the loop's reply `c.send(outcome)` completes into this
 * call, the one waiting on `c` (loop.ts, replyInLoop), so the loop goes on at once to its next
 * receive and main gets the turn back. Main parks on this Waiting for the rendezvous only.
 */
/** @internal */
export class PlainCall implements Waiting {
  readonly c: Channel<unknown> = channel<unknown>();
  /** True once the loop's reply send completed into this call (`outcome`), or the send failed (`sendFailed`). */
  answered = false;
  sendFailed = false;
  outcome: unknown = undefined;
  constructor(
    readonly cp: ChannelProcessor<AnyAction>,
    readonly args: unknown[],
  ) {}

  /** The loop's `c.send(outcome)`, taken at once by this call (the receiver waiting on `c`). */
  reply(outcome: unknown): void {
    this.answered = true;
    this.outcome = outcome;
  }

  /** Main has the turn back after the rendezvous. */
  callback(): void {}

  /** An error raised in main meanwhile (a dying tasklet's, main being the watchdog): reported, as main's automatic turn reports it. */
  errback(error: unknown): void {
    logErr(error, 'Unhandled error in tasklet:');
  }
}

/** `self.channel.send((c, args, kwargs))`, made by main (see PlainCall). */
function handOver(call: PlainCall): void {
  const cp = call.cp;
  // Handed to the waiting loop, the request is only in its tasklet's transfer slot until the
  // loop runs (a kill meanwhile would overwrite it): remembered before.
  cp._handed = call;
  try {
    channelStep(cp.channel, 1, [call.c, call.args, NO_KWARGS] satisfies ProcessorRequest, call);
  } catch (e) {
    if (cp._handed === call) cp._handed = null;
    call.answered = true;
    call.sendFailed = true;
    call.outcome = e;
  }
}

/**
 * True when a call from plain code can be handed straight to `cp`'s loop: the loop alone waits
 * in its receive (parked step by step), main holds the turn alone and unparked, and nothing
 * watches or traps the switches (a channel or schedule callback sees every call's own tasklet).
 */
function loopTakesAtOnce(cp: ChannelProcessor<AnyAction>): boolean {
  const loop = cp._loop;
  if (loop === null) return false;
  const ch = cp.channel;
  const me = loop.me;
  const main = sched.main;
  return (
    ch._head === me &&
    me._next === null &&
    me._res === loop &&
    ch._preference < 0 &&
    !ch.scheduleAll &&
    sched.current === main &&
    sched.head === main &&
    main._next === main &&
    main._res === null &&
    (main._flags & (WATCHDOG | HAS_ERR)) === 0 &&
    !sched.mainBlocked &&
    !sched.waitingRun &&
    sched.onStack === null &&
    sched.yielded === null &&
    sched.channelCallback === null &&
    sched.scheduleCallback === null &&
    sched.switchTrap === 0 &&
    sched.inCallback === 0 &&
    !sched.inChannelCallback
  );
}

/**
 * The article's `__call__` from plain code. When the loop takes the request at once and answers
 * it at once (an action whose outcome is there when it returns), no tasklet is made: see
 * PlainCall; the Deferred is fired when this returns. Otherwise a tasklet of its own makes the
 * call (the loop busy: its request must queue), or, the request taken, receives the reply that
 * comes later; its Deferred fires once plain code has the turn back, as before.
 */
/** @internal */
export function callFromPlainCode(cp: ChannelProcessor<AnyAction>, args: unknown[]): Deferred<unknown> {
  if (!loopTakesAtOnce(cp)) return runCall.call(cp, args);
  const call = new PlainCall(cp, args);
  const main = sched.main;
  // As main awaiting a call: the step-by-step tasklets run now; one that would resume as an
  // async function is left for the automatic turn, main taking the turn back at once.
  sched.mainBlocked = true;
  cp._plain = call;
  try {
    runAsStep(handOver, call);
  } finally {
    sched.mainBlocked = false;
    cp._plain = null;
    // Given the turn back without the rendezvous' wake-up (an async tasklet came next).
    if (main._res === call) {
      main._res = null;
      main._val = undefined;
    }
  }
  // Plain code goes on as main, as after a synchronous start: a tasklet handed the turn meanwhile
  // (one in a foreign await, say) runs next.
  if (sched.current !== main) syncCallerResumes(main);
  if (!call.answered) {
    armPlainAnswered();
    return launchPlain(receiveReply as (...args: unknown[]) => unknown, cp, [call.c], 'receiveReply');
  }
  const rv = call.outcome;
  const failed = call.sendFailed || isFailure(rv);
  // A TaskletExit out of the action: the loop's tasklet was killed in it (see ReplySteps.received).
  const value = call.sendFailed || !isFailure(rv) ? rv : isTaskletExit(rv.value) ? loopKilled(cp.action.name, rv.value) : rv.value;
  if (++answeredAtOnce >= RESET_AT && !resetArmed) {
    resetArmed = true;
    queueMicrotask(resetAnswered);
  }
  // Too many in one synchronous stretch (the callbacks of each calling again, say): this one
  // fires once plain code has the turn back, after the stack has unwound.
  if (answeredAtOnce > MAX_ANSWERED_AT_ONCE) return answeredPlain(failed, value);
  const d = new Deferred<unknown>();
  if (failed) d.errback(value);
  else d.callback(value);
  return d;
}

// Calls from plain code answered inside call() since the count was last reset (a microtask after
// it reached RESET_AT): a Deferred fired at once runs callbacks added to it at once, and a callback
// that calls again nests on the stack; past MAX_ANSWERED_AT_ONCE the Deferred fires a microtask later.
let answeredAtOnce = 0;
let resetArmed = false;
const RESET_AT = 16;
const MAX_ANSWERED_AT_ONCE = 64;

function resetAnswered(): void {
  answeredAtOnce = 0;
  resetArmed = false;
}

/**
 * The rest of a plain-code call whose request the loop took but did not answer at once (its
 * outcome fires later, or the action blocked the loop), in a tasklet of its own whose Deferred
 * fires once plain code has the turn: receive the reply on `c`.
 */
function receiveReply(this: ChannelProcessor<AnyAction>, c: Channel<unknown>): void {
  new CallSteps(this, NO_ARGS, c).receive();
}
endsItself(receiveReply);
const NO_ARGS: unknown[] = [];
