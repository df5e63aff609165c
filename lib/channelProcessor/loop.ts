// The article's `process()` loop of a ChannelProcessor, run step by step in the processor's own
// tasklet, and the delivery of each reply on its caller's reply channel. How the loop ends (stop,
// kill, failure) and how every caller is then answered is decided here. Covered by
// spec/channelProcessor/channelProcessor.spec.ts, answered.spec.ts and articleTrace.spec.ts.
import { Deferred as DeferredImport } from '../defer/deferred.js';
import { Failure as FailureImport, isFailure as isFailureImport } from '../failure/failure.js';
import * as log from '../log/log.js';
import { deferredTasklet } from '../tasklets/bridge.js';
import { channelStep, type Channel } from '../tasklets/channel.js';
import { getcurrent } from '../tasklets/operations.js';
import { endJob } from '../tasklets/scheduler/lifecycle.js';
import { BLOCKED, endsItself, runAsStep, takeOverWakeUp, waitsOnPromise, type Waiting } from '../tasklets/stepBody.js';
import type { Tasklet } from '../tasklets/tasklet.js';
import { isTaskletExit } from '../tasklets/errors.js';
import { ChannelProcessorStopped } from './errors.js';
import { _wrapper, chainResult, firesLater, isRequest, type AnyAction } from './request.js';
import { watchStuck } from './stuck.js';
import type { ChannelProcessor } from './channelProcessor.js';

// Module-local copies of the imports used on every call: under tsx an import binding is a getter.
const Deferred = DeferredImport;
type Deferred<T> = DeferredImport<T>;
const Failure = FailureImport;
type Failure = FailureImport;
const isFailure = isFailureImport;

// The Deferred of the request a loop is running an action for now, and that loop: sendReply
// knows by them that the reply is the loop's own blocking send (module slots, not a closure per
// request; saved and restored around each action).
let loopD: Deferred<unknown> | null = null;
let loopSteps: LoopSteps | null = null;
// > 0 while an action runs synchronously inside a loop: a call made there must not block.
let actionDepth = 0;

/** @internal The loop running an action on the stack now (synchronously), else null. */
export function actingLoop(): LoopSteps | null {
  return loopSteps;
}

/** @internal True while an action runs synchronously inside a loop: a call made there must not block. */
export function inAction(): boolean {
  return actionDepth > 0;
}

function replyLost(e: unknown): void {
  // The caller's tasklet went away (killed) while waiting for its reply: nothing to deliver to.
  if (!isTaskletExit(e)) log.err(e, 'ChannelProcessor could not deliver a reply:');
}

/**
 * A reply sent from outside the loop (a Deferred that fired later): its own small tasklet sends
 * it. A closed reply channel means the call's tasklet was killed: nobody is left to tell. Killed
 * itself, the reply's tasklet hands the reply to another one: the caller is always answered.
 */
async function sendLateReply(outcome: unknown, c: Channel<unknown>, cp: ChannelProcessor<AnyAction>): Promise<void> {
  try {
    await c.send(outcome);
  } catch (e) {
    if (c.closing) return;
    if (isTaskletExit(e)) replyLater(outcome, c, cp);
    else replyLost(e);
  } finally {
    replyDone(cp);
  }
}
const runSendLateReply = deferredTasklet(sendLateReply);

function replyAside(outcome: unknown, c: Channel<unknown>, cp: ChannelProcessor<AnyAction>): void {
  void runSendLateReply(outcome, c, cp);
}

/**
 * Send `outcome` on `c` by a tasklet of its own, started from the event loop's next turn, where
 * no tasklet holds the turn half-way; `done` waits for it.
 */
function replyLater(outcome: unknown, c: Channel<unknown>, cp: ChannelProcessor<AnyAction>): void {
  cp._outstanding++;
  setImmediate(replyAside, outcome, c, cp);
}

function replyDone(cp: ChannelProcessor<AnyAction>): void {
  if (--cp._outstanding === 0 && cp._end !== RUNNING) setImmediate(fireDone, cp);
}

/**
 * The loop's own blocking `c.send(outcome)`, as the article's loop blocks in it: made in the
 * loop's tasklet while it runs an action; the loop takes the next request once it completes.
 */
function replyInLoop(outcome: unknown, c: Channel<unknown>, loop: LoopSteps): void {
  const plain = loop.cp._plain;
  if (plain !== null && plain.c === c) {
    // The receiver waiting on `c` is a call from plain code (call.ts, PlainCall): the send completes into it.
    loop.cp._plain = null;
    plain.reply(outcome);
    return;
  }
  let r: unknown;
  try {
    r = channelStep(c, 1, outcome, loop);
  } catch (e) {
    // A closed reply channel: the call's tasklet was killed, nobody to tell.
    if (!c.closing) replyLost(e);
    return;
  }
  if (r === BLOCKED) {
    loop.step = REPLYING;
    loop.replyC = c;
    loop.replyOutcome = outcome;
  }
}

/** `d.addBoth(c.send)`: the outcome (value or Failure) goes back on the caller's reply channel. */
function sendReply(outcome: unknown, c: Channel<unknown>, d: Deferred<unknown>, loop: LoopSteps): unknown {
  if (d === loopD && loop === loopSteps && getcurrent() === loop.me) {
    // Fired by the action itself, inside the loop's tasklet.
    replyInLoop(outcome, c, loop);
  } else if (d === loopD) {
    // Fired during the action, but not in the loop's tasklet (that tasklet is blocked): the send
    // must not suspend whoever fired it, so a tasklet of its own carries it.
    replyLater(outcome, c, loop.cp);
  } else {
    // Fired later, from the reactor, a promise's microtask or another tasklet (handle() counted
    // it as outstanding already): a tasklet of its own carries it, as above.
    setImmediate(replyAside, outcome, c, loop.cp);
    // The action that blocked the loop failed with TaskletExit: resumeLoop, next, ends the loop.
    if (d === loop.actingD && isFailure(outcome) && isTaskletExit(outcome.value)) return outcome;
  }
  // Returning a promise would make `d` wait on it.
  return undefined;
}

// How a processor's loop ended (ChannelProcessor._end).
/** @internal */
export const RUNNING = 0;
const STOPPED = 1;
const KILLED = 2;
const FAILED = 3;

/** The loop has ended and every reply is delivered: `done` fires (after the callers' own Deferreds). */
function fireDone(cp: ChannelProcessor<AnyAction>): void {
  const done = cp.done;
  if (done.called) return;
  if (cp._end === STOPPED) done.callback(cp._endValue as number);
  else {
    const f = new Failure(cp._endValue);
    // Killing is deliberate: the TaskletExit is there for whoever asks, never reported.
    f.handled = cp._end === KILLED;
    done.errback(f);
  }
}

/** @internal The failure given to a caller the processor can no longer answer. */
export function cannotAnswer(cp: ChannelProcessor<AnyAction>): ChannelProcessorStopped {
  const name = cp.action.name;
  if (cp._end === KILLED) return loopKilled(name, cp._endValue);
  if (cp._end === FAILED) return new ChannelProcessorStopped(name, { reason: 'its loop ended with an error', cause: cp._endValue });
  return new ChannelProcessorStopped(name);
}

/** @internal */
export function loopKilled(name: string, cause: unknown): ChannelProcessorStopped {
  return new ChannelProcessorStopped(name, {
    reason: 'its loop tasklet was killed',
    advice: 'stop a processor with stop(), not kill(); create a new ChannelProcessor to handle more calls',
    cause,
  });
}

/**
 * The loop's last act, in its tasklet: `running` becomes false, the requests still queued are
 * taken (without blocking) and answered with ChannelProcessorStopped, `done` fires once every
 * reply is delivered, and the tasklet ends.
 */
function endLoop(loop: LoopSteps, end: number, value: unknown): void {
  const cp = loop.cp;
  cp.running = false;
  cp._loop = null;
  cp._end = end;
  cp._endValue = value;
  // A request handed to the loop that it never got to run (it was killed first).
  const handed = cp._handed;
  if (handed !== null) {
    cp._handed = null;
    replyLater(new Failure(cannotAnswer(cp)), handed.c, cp);
  }
  const ch = cp.channel;
  while (ch.balance > 0) {
    let vals: unknown;
    try {
      vals = channelStep(ch, -1, undefined, loop);
    } catch {
      break;
    }
    if (vals === BLOCKED) break;
    if (isRequest(vals)) replyLater(new Failure(cannotAnswer(cp)), vals[0], cp);
  }
  if (cp._outstanding === 0) setImmediate(fireDone, cp);
  endJob(false, undefined);
}

/** The loop ended on an error: killed (a TaskletExit), or an operation that failed. */
function loopFailed(loop: LoopSteps, error: unknown): void {
  endLoop(loop, isTaskletExit(error) ? KILLED : FAILED, error);
}

// The steps of the loop tasklet (LoopSteps.step).
const TAKING = 1;
const REPLYING = 2;
/** @internal */
export const ACTING = 3;

/**
 * The article's `process()` loop, in the processor's own tasklet:
 *
 *     while self.running:
 *         vals = self.channel.receive()
 *         if len(vals) == 3:
 *             c, args, kwargs = vals
 *             d = defer.Deferred()
 *             d.addBoth(c.send)
 *             self._wrapper(d, self.action, *args, **kwargs)
 *         else:
 *             self.running = False
 *
 * run step by step, as the call tasklets are (see CallSteps): each blocking operation either
 * completes at once or parks the tasklet on this object, which the scheduler calls with the
 * outcome when the tasklet gets the turn back. The loop's outcome (the number of requests
 * handled) goes to `done` through endJob.
 */
/** @internal */
export class LoopSteps implements Waiting {
  step = TAKING;
  handled = 0;
  readonly me: Tasklet = getcurrent();
  /** While the reply send blocks (REPLYING): its channel and outcome, resent if the loop is killed. */
  replyC: Channel<unknown> | null = null;
  replyOutcome: unknown = undefined;
  /** While an action blocks the loop (ACTING): the Deferred of its request. */
  actingD: Deferred<unknown> | null = null;
  /** Set once the loop has been watched for a deadlock (see stuck.ts). */
  watchRef: WeakRef<LoopSteps> | null = null;
  /** Calls sent aside by tasklets running inside the current action: sender, caller, ... */
  asideCalls: Tasklet[] = [];
  constructor(readonly cp: ChannelProcessor<AnyAction>) {
    cp._loop = this;
  }

  /** True while an action blocks the loop. */
  isActing(): boolean {
    return this.step === ACTING;
  }

  /** `vals = self.channel.receive()`, and each message taken at once, until the loop parks. */
  take(): void {
    for (;;) {
      this.step = TAKING;
      let vals: unknown;
      try {
        vals = channelStep(this.cp.channel, -1, undefined, this);
      } catch (e) {
        loopFailed(this, e);
        return;
      }
      if (vals === BLOCKED || !this.handle(vals)) return;
    }
  }

  /** One message; true when the loop can take the next one at once. */
  handle(vals: unknown): boolean {
    const cp = this.cp;
    cp._handed = null;
    if (this.asideCalls.length !== 0) this.asideCalls = [];
    if (!isRequest(vals)) {
      // Fixed: the article's stop() sends 1 and `len(1)` raised inside the loop; here any
      // message that is not a request ends the loop through this branch.
      endLoop(this, STOPPED, this.handled);
      return false;
    }
    const c = vals[0];
    const outerD = loopD;
    const outerLoop = loopSteps;
    loopD = null;
    loopSteps = this;
    actionDepth++;
    // `d` is made only for an outcome that fires later (see _wrapper).
    let d: Deferred<unknown> | null = null;
    try {
      const outcome = _wrapper(cp.action, cp.self, vals[1]);
      if (firesLater(outcome)) {
        d = new Deferred<unknown>();
        d.addBoth(sendReply, c, d, this);
        loopD = d;
        chainResult(d, outcome);
      } else if (getcurrent() === this.me) replyInLoop(outcome, c, this);
      // The action blocked the loop's tasklet: the send must not suspend it (see sendReply).
      else replyLater(outcome, c, cp);
    } finally {
      actionDepth--;
      loopD = outerD;
      loopSteps = outerLoop;
    }
    this.handled++;
    // A synchronous action's reply `c.send` parked this tasklet until the caller reaches
    // `c.receive()`, as in the article: the loop goes on when it completes.
    if (this.step === REPLYING) return false;
    // Not fired yet: its reply is outstanding (`done` waits for it).
    if (d !== null && !d.called) cp._outstanding++;
    if (getcurrent() !== this.me) {
      // The action blocked the loop's tasklet (blockOn, a channel operation): as the article's
      // loop would, the loop waits. An async action awaits its operation: the loop goes on once
      // the action is done (its reply then goes by a tasklet of its own, see sendReply). A
      // synchronous one did not await it: the loop takes that operation's wake-up over and goes
      // on when its tasklet runs again (the operation's outcome is dropped, as the action did).
      this.step = ACTING;
      watchStuck(this);
      if (d === null || d.called) takeOverWakeUp(this.me, this);
      else {
        this.actingD = d;
        d.addBoth(resumeLoop, this);
      }
      return false;
    }
    // The reply was taken at once, or the Deferred has not fired: the loop takes the next
    // request at once (the reply comes when the Deferred fires).
    return true;
  }

  /** The parked operation completed: the scheduler calls this when the loop gets the turn back. */
  callback(value: unknown): void {
    if (this.step === TAKING) {
      if (this.handle(value)) this.take();
      return;
    }
    if (this.step === REPLYING) {
      this.replyC = null;
      this.replyOutcome = undefined;
    }
    this.take();
  }

  /** The parked operation raised: kill(), a sent exception, an unawaited operation's failure. */
  errback(error: unknown): void {
    const step = this.step;
    if (step === REPLYING) {
      const c = this.replyC as Channel<unknown>;
      const outcome = this.replyOutcome;
      this.replyC = null;
      this.replyOutcome = undefined;
      if (isTaskletExit(error)) {
        // Killed in its reply send: the action's outcome still reaches its caller.
        if (!c.closing) replyLater(outcome, c, this.cp);
      } else if (!c.closing) replyLost(error);
    }
    if (step === TAKING || isTaskletExit(error)) {
      loopFailed(this, error);
      return;
    }
    if (step === ACTING) log.err(error, 'ChannelProcessor action: an operation it did not await failed:');
    this.take();
  }
}

/** An action that blocked the loop is done: the loop goes on, in its tasklet (which holds the turn again). */
function resumeLoop(result: unknown, loop: LoopSteps): unknown {
  const me = loop.me;
  loop.actingD = null;
  // A TaskletExit out of the action ends the loop, as it ends the article's process(): the
  // loop's tasklet was killed inside the action.
  const killed = isFailure(result) && isTaskletExit(result.value);
  if (killed) loop.cp._endValue = result.value;
  if (getcurrent() === me) runAsStep(killed ? endKilled : takeNext, loop);
  else if (waitsOnPromise(me)) {
    // Done while the loop's tasklet is still blocked in an operation the action did not await:
    // the loop takes that operation's wake-up over, as for a synchronous action.
    takeOverWakeUp(me, loop);
  } else log.err(new Error('a ChannelProcessor action finished while its loop tasklet was neither running nor blocked: the loop cannot go on'), 'ChannelProcessor loop stopped:');
  // The outcome is the reply's (already sent aside): nothing left to report here.
  return isFailure(result) ? null : result;
}

function takeNext(loop: LoopSteps): void {
  loop.take();
}

function endKilled(loop: LoopSteps): void {
  endLoop(loop, KILLED, loop.cp._endValue);
}

function processLoop(this: ChannelProcessor<AnyAction>): void {
  new LoopSteps(this).take();
}
endsItself(processLoop);

/** @internal */
export const runProcess = deferredTasklet(processLoop);
