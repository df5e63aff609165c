// Port of `ChannelProcessor` from Steve Coursen's article "Stackless Event Loops" (2008, the
// follow-on to "Stackless Python meets Twisted Matrix"; the article's recovered code is described
// in docs/channelProcessor.md). Covered by
// spec/channelProcessor/channelProcessor.spec.ts, articleTrace.spec.ts and badInput.spec.ts.
//
// The class is composed from the pieces exactly as the article composes it: a Stackless channel
// that carries `[replyChannel, args, kwargs]` requests, a `process()` loop that is a
// deferredTasklet, `_wrapper` firing a Deferred whose addBoth sends the outcome on the reply
// channel, and a `call()` (the article's `__call__`) that is a blockingTasklet.
//
// The article's bugs are fixed, each documented where it is fixed:
// - a failing action reaches its caller as a thrown error (the original never fires the reply);
// - stop() ends the loop through its `else` branch, not by a swallowed TypeError from len(1);
// - requests already queued when stop() is called are answered, not dropped;
// - a call after stop() fails at once with ChannelProcessorStopped instead of hanging;
// - the loop's own Deferred (`done`) reports how the loop ended, once every caller is answered;
// - an action that is not a function is refused at construction (ActionNotCallable);
// - a call from inside the processor's own action fails at once (ChannelProcessorReentryError);
// - killing the loop's tasklet, or a call's, answers every caller (ChannelProcessorStopped).
import { Deferred as DeferredImport, isDeferred } from '../defer/deferred.js';
import { Failure as FailureImport, isFailure as isFailureImport } from '../failure/failure.js';
import * as log from '../log/log.js';
import { blockingTaskletDeferred, deferredTasklet, endJob, endsItself, nonBlockingTasklet } from '../tasklets/bridge.js';
import { BLOCKED, channel as channelImport, channelStep, type Channel } from '../tasklets/channel.js';
import { BLOCK_ON, RING, getcurrent, runAsStep, takeOverWakeUp, waitsOnPromise, type Tasklet, type Waiting } from '../tasklets/tasklet.js';
import { ValueError, isTaskletExit } from '../tasklets/errors.js';
import { ChannelProcessorReentryError, ChannelProcessorStopped, ActionNotCallable } from './errors.js';
import { WorkerChannelProcessor, type ActionResult } from './worker.js';
import { isThenable } from '../util/thenable.js';

// Module-local copies of the imports used on every call: under tsx an import binding is a getter.
const Deferred = DeferredImport;
type Deferred<T> = DeferredImport<T>;
const Failure = FailureImport;
type Failure = FailureImport;
const isFailure = isFailureImport;
const channel = channelImport;

export type { ActionResult } from './worker.js';

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

function isRequest(vals: unknown): vals is ProcessorRequest {
  // The article tests `len(vals) == 3`; a non-sequence (the 1 that stop() sends) made len() throw.
  return Array.isArray(vals) && vals.length === 3 && Array.isArray(vals[1]);
}

/**
 * @internal The article's `_wrapper(d, f, *args, **kwargs)`, with the intent it evidently had: run `f`
 * and fire `d` with its result, or with a Failure when it throws or its Deferred fails. (The
 * recovered `_wrapper` forwards only successes, so a failing action left its caller blocked for
 * ever.) A result that is a Deferred or a promise is chained: `d` fires when it
 * does, and the loop goes on to the next request meanwhile.
 */
export function _wrapper(d: Deferred<unknown>, f: (...args: never[]) => unknown, self: unknown, args: readonly unknown[]): void {
  let rv: unknown;
  try {
    rv = (f as (...a: unknown[]) => unknown).apply(self, args as unknown[]);
  } catch (e) {
    d.errback(new Failure(e));
    return;
  }
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

// The Deferred of the request a loop is running an action for now, and that loop: sendReply
// knows by them that the reply is the loop's own blocking send (module slots, not a closure per
// request; saved and restored around each action).
let loopD: Deferred<unknown> | null = null;
let loopSteps: LoopSteps | null = null;
// > 0 while an action runs synchronously inside a loop: a call made there must not block.
let actionDepth = 0;

function replyLost(e: unknown): void {
  // The caller's tasklet went away (killed) while waiting for its reply: nothing to deliver to.
  if (!isTaskletExit(e)) log.err(e, 'ChannelProcessor could not deliver a reply:');
}

/**
 * A reply sent from outside the loop (a Deferred that fired later): its own small tasklet sends
 * it. A closed reply channel means the call's tasklet was killed: nobody is left to tell. Killed
 * itself, the reply's tasklet hands the reply to another one: the caller is always answered.
 */
async function sendOn(outcome: unknown, c: Channel<unknown>, cp: ChannelProcessor<AnyAction>): Promise<void> {
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
const runSendOn = deferredTasklet(sendOn);

function replyAside(outcome: unknown, c: Channel<unknown>, cp: ChannelProcessor<AnyAction>): void {
  void runSendOn(outcome, c, cp);
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

/** `d.addBoth(c.send)`: the outcome (value or Failure) goes back on the caller's reply channel. */
function sendReply(outcome: unknown, c: Channel<unknown>, d: Deferred<unknown>, loop: LoopSteps): unknown {
  if (d === loopD && loop === loopSteps && getcurrent() === loop.me) {
    // Fired by the action itself, inside the loop's tasklet: a blocking send of that tasklet, as
    // the article's loop blocks in `c.send`; the loop takes the next request once it completes.
    let r: unknown;
    try {
      r = channelStep(c, 1, outcome, loop);
    } catch (e) {
      // A closed reply channel: the call's tasklet was killed, nobody to tell.
      if (!c.closing) replyLost(e);
      return undefined;
    }
    if (r === BLOCKED) {
      loop.step = REPLYING;
      loop.replyC = c;
      loop.replyOutcome = outcome;
    }
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
const RUNNING = 0;
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

/** The failure given to a caller the processor can no longer answer. */
function cannotAnswer(cp: ChannelProcessor<AnyAction>): ChannelProcessorStopped {
  const name = cp.action.name;
  if (cp._end === KILLED) return loopKilled(name, cp._endValue);
  if (cp._end === FAILED) return new ChannelProcessorStopped(name, { reason: 'its loop ended with an error', cause: cp._endValue });
  return new ChannelProcessorStopped(name);
}

function loopKilled(name: string, cause: unknown): ChannelProcessorStopped {
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
const ACTING = 3;

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
class LoopSteps implements Waiting {
  step = TAKING;
  handled = 0;
  readonly me: Tasklet = getcurrent();
  /** While the reply send blocks (REPLYING): its channel and outcome, resent if the loop is killed. */
  replyC: Channel<unknown> | null = null;
  replyOutcome: unknown = undefined;
  /** While an action blocks the loop (ACTING): the Deferred of its request. */
  actingD: Deferred<unknown> | null = null;
  constructor(readonly cp: ChannelProcessor<AnyAction>) {
    cp._loop = this;
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
    if (!isRequest(vals)) {
      // Fixed: the article's stop() sends 1 and `len(1)` raised inside the loop; here any
      // message that is not a request ends the loop through this branch.
      endLoop(this, STOPPED, this.handled);
      return false;
    }
    const c = vals[0];
    const d = new Deferred<unknown>();
    d.addBoth(sendReply, c, d, this);
    const outerD = loopD;
    const outerLoop = loopSteps;
    loopD = d;
    loopSteps = this;
    actionDepth++;
    try {
      _wrapper(d, cp.action, cp.self, vals[1]);
    } finally {
      actionDepth--;
      loopD = outerD;
      loopSteps = outerLoop;
    }
    this.handled++;
    // A synchronous action fired `d` already, and its reply `c.send` parked this tasklet until
    // the caller reaches `c.receive()`, as in the article: the loop goes on when it completes.
    if (this.step === REPLYING) return false;
    // Not fired yet: its reply is outstanding (`done` waits for it).
    if (!d.called) cp._outstanding++;
    if (getcurrent() !== this.me) {
      // The action blocked the loop's tasklet (blockOn, a channel operation): as the article's
      // loop would, the loop waits. An async action awaits its operation: the loop goes on once
      // the action is done (its reply then goes by a tasklet of its own, see sendReply). A
      // synchronous one did not await it: the loop takes that operation's wake-up over and goes
      // on when its tasklet runs again (the operation's outcome is dropped, as the action did).
      this.step = ACTING;
      if (d.called) takeOverWakeUp(this.me, this);
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

const runProcess = deferredTasklet(processLoop);

// The steps of a call tasklet (CallSteps.step).
const SENDING = 1;
const RECEIVING = 2;

/**
 * The body of the article's `__call__`, in the call's own tasklet:
 *
 *     c = stackless.channel()
 *     self.channel.send((c, args, kwargs))
 *     rv = c.receive()
 *     if isinstance(rv, failure.Failure): raise rv.value
 *     return rv
 *
 * The same operations in the same order as an async function would make them, run step by step:
 * each blocking operation either completes at once or parks the tasklet on this object (a
 * Waiting), which the scheduler calls with the outcome when the tasklet gets the turn back. No
 * async function frame, no promise per operation, no microtask per step. The outcome goes to the
 * caller through endJob, the tasklet's last act (see endsItself).
 */
class CallSteps implements Waiting {
  step = SENDING;
  readonly c: Channel<unknown> = channel<unknown>();
  constructor(
    readonly cp: ChannelProcessor<AnyAction>,
    readonly args: unknown[],
  ) {}

  /** `self.channel.send((c, args, kwargs))`. */
  send(): void {
    if (this.cp._end !== RUNNING) {
      // Accepted while the processor ran, started after its loop ended: nobody would take it.
      endJob(true, cannotAnswer(this.cp));
      return;
    }
    const cp = this.cp;
    // The loop waits in its receive (the only receiver): the request goes straight to it.
    const handing = cp.channel.balance < 0;
    let r: unknown;
    try {
      r = channelStep(cp.channel, 1, [this.c, this.args, NO_KWARGS] satisfies ProcessorRequest, this);
    } catch (e) {
      endJob(true, e);
      return;
    }
    // Until the loop runs, the request is only in its tasklet's transfer slot, which a kill
    // overwrites: the processor remembers whose it is.
    if (handing) cp._handed = this;
    if (r !== BLOCKED) this.receive();
  }

  /** `rv = c.receive()`. */
  receive(): void {
    this.step = RECEIVING;
    let r: unknown;
    try {
      r = channelStep(this.c, -1, undefined, this);
    } catch (e) {
      endJob(true, e);
      return;
    }
    if (r !== BLOCKED) this.received(r);
  }

  /** `raise rv.value` or `return rv`. */
  received(rv: unknown): void {
    // Answered: a reply sent again (by a loop killed before it resumed from this send) is dropped.
    this.c.close();
    if (isFailure(rv)) {
      const e = rv.value;
      // A TaskletExit out of the action: the loop's tasklet was killed in it. Thrown as is, it
      // would end a tasklet caller silently (and a blockingTasklet drops it): say what happened.
      endJob(true, isTaskletExit(e) ? loopKilled(this.cp.action.name, e) : e);
    } else endJob(false, rv);
  }

  /** The blocked operation completed (the scheduler calls this when the tasklet resumes). */
  callback(value: unknown): void {
    if (this.step === SENDING) this.receive();
    else this.received(value);
  }

  /** The blocked operation raised (a sent exception, kill(), a deadlock). */
  errback(error: unknown): void {
    // Nobody receives on the reply channel any more: a reply sent later is dropped, and one
    // already waiting to be taken (the loop's, or a reply tasklet's) is told so.
    const c = this.c;
    c.close();
    const sender = c.queue;
    if (sender !== null) void sender.throw(new ValueError('Send/receive operation on a closed channel'), { pending: true });
    endJob(
      true,
      isTaskletExit(error)
        ? new ChannelProcessorStopped(this.cp.action.name, {
            reason: "the call's own tasklet was killed",
            advice: 'make the call again if it is still wanted',
            cause: error,
          })
        : error,
    );
  }
}

function callThrough(this: ChannelProcessor<AnyAction>, args: unknown[]): void {
  // Fixed: the article let a call after stop() block for ever. call() refuses it at once; a
  // request it accepted is sent at once (this tasklet starts synchronously), so it queues
  // ahead of stop()'s message and is answered.
  new CallSteps(this, args).send();
}
endsItself(callThrough);

function failed<T>(e: Error): Deferred<T> {
  const d = new Deferred<T>();
  d.errback(e);
  return d;
}

/** A blockingTasklet's job, as the bridge keeps it on its tasklet (`_fn`): the caller blocked on it. */
interface BlockingJob {
  waiter: Tasklet | null;
}

/**
 * True when `waiter` is `t`, or waits for `t` to finish through a chain of blockingTasklet calls
 * (however deep): each caller in the chain is blocked on the tasklet of its call, or is about to
 * be (that call still runs synchronously on its caller's stack). Other waits (blockOn of another
 * tasklet's Deferred, a channel) cannot be followed.
 */
function waitsOn(waiter: Tasklet, t: Tasklet): boolean {
  let cur: Tasklet | null = t;
  for (let hops = 0; cur !== null && hops < 1_000_000; hops++) {
    if (cur === waiter) return true;
    const job: unknown = cur._fn;
    if (job === null || typeof job !== 'object' || !('waiter' in job)) return false;
    const w: Tasklet | null = (job as BlockingJob).waiter;
    if (w === null) {
      // Started synchronously, its caller right behind it in the ring: the caller blocks on it
      // as soon as it returns.
      if (cur._where !== RING) return false;
      cur = cur._next;
    } else {
      if (w._where !== BLOCK_ON || w._chan !== job) return false;
      cur = w;
    }
  }
  return false;
}

// The article's `@blocking_tasklet def __call__`: its calls give a Deferred from plain code and
// from a tasklet alike (in a tasklet, the Deferred the blocked caller awaits).
const runCall = blockingTaskletDeferred(callThrough);

// The same request, sent by a tasklet of its own without blocking the caller.
const runCallAside = nonBlockingTasklet(callThrough);

async function stopThrough(this: ChannelProcessor<AnyAction>): Promise<void> {
  await this.channel.send(1);
}
// stop()'s send, by a tasklet of its own: plain code cannot block in a send.
const runStop = deferredTasklet(stopThrough);

/**
 * Turns a function into a continuously running event loop in its own tasklet: each call is
 * sent as a request on `channel` to the `process()` loop, which runs the action and sends the
 * outcome back on a private reply channel. Port of the article's `ChannelProcessor`.
 *
 * - Actions run one at a time in the loop's tasklet, in call order.
 * - An action that returns an unfired Deferred (or a promise) lets the loop take the next
 *   request; that call's reply comes when it fires.
 * - A failing action fails its call: the caller's Deferred fails with the thrown value.
 * - `stop()` lets the requests already queued be answered, then ends the loop; calls after it
 *   fail at once with {@link ChannelProcessorStopped}. `done` fires once every caller is answered.
 * - A call from inside its own running action fails at once with
 *   {@link ChannelProcessorReentryError} (it could never be answered).
 * - Killing the loop's tasklet or a call's answers every caller (ChannelProcessorStopped).
 *
 * @typeParam F - the action's type; `call` takes its parameters and returns a Deferred of its
 *   (unwrapped) result.
 * @example
 * ```ts
 * const cp = new ChannelProcessor((x: number) => x * 10);
 * console.log(await cp.call(1)); // 10
 * await cp.stop();
 * ```
 */
export class ChannelProcessor<F extends AnyAction = UntypedAction> {
  /** The channel requests arrive on: `[replyChannel, args, kwargs]` triples, or a stop message. */
  readonly channel: Channel<ProcessorMessage>;
  /** The function each request runs. */
  readonly action: F;
  /** True until `stop()` is called: calls are accepted while it is true. */
  running: boolean;
  /**
   * How the `process()` loop ended (the article drops its Deferred), once every queued and
   * in-flight caller has been answered: fires with the number of requests handled after a
   * stop message; fails with the TaskletExit when the loop's tasklet was killed (never reported
   * as unhandled), or with the error the loop ended on.
   */
  readonly done: Deferred<number>;
  /** The `this` the action is called with (the object, for the per-object forms). */
  readonly self: unknown;
  /** @internal the loop's steps while the loop runs, else null */
  _loop: LoopSteps | null;
  /** @internal replies on their way by tasklets of their own: `done` waits for them */
  _outstanding: number;
  /** @internal the call whose request was handed to the waiting loop, until the loop runs it */
  _handed: CallSteps | null;
  /** @internal how the loop ended: RUNNING, STOPPED, KILLED or FAILED */
  _end: number;
  /** @internal the loop's outcome: the number handled, or the error it ended on */
  _endValue: unknown;

  /**
   * Create the channel, store the action and start the `process()` loop, which runs at once
   * until it waits for its first request. Port of `ChannelProcessor.__init__`.
   *
   * @param action - the function that handles each call.
   * @param self - the `this` to call it with (used by the per-object forms of `channelProcessor`).
   * @throws ActionNotCallable when `action` is not a function.
   */
  constructor(action: F, self?: unknown) {
    if (typeof action !== 'function') throw new ActionNotCallable('ChannelProcessor', action);
    this.channel = channel<ProcessorMessage>();
    this.action = action;
    this.running = true;
    this.self = self;
    this._loop = null;
    this._outstanding = 0;
    this._handed = null;
    this._end = RUNNING;
    this._endValue = undefined;
    this.done = new Deferred<number>();
    this.process();
  }

  /**
   * The event loop: a deferredTasklet that receives requests until a message that is not a
   * request arrives. Started by the constructor; it reports its end through `done`. Port of the
   * article's `process`.
   *
   * @returns `done` (fires with the number of requests handled once every caller is answered).
   */
  protected process(): Deferred<number> {
    void runProcess.call(this as ChannelProcessor<AnyAction>);
    return this.done;
  }

  /**
   * Call the action through the loop: a blockingTasklet sends the request with a private reply
   * channel and waits for the outcome. Port of `ChannelProcessor.__call__`.
   *
   * @param args - the action's arguments (a Python keyword argument is a trailing options object).
   * @returns a Deferred that fires with the action's result, or fails with what it threw; it
   *   fails with ChannelProcessorStopped, at once, after `stop()` (or later, when a tasklet of
   *   the processor is killed before the call is answered), and with
   *   ChannelProcessorReentryError, at once, when made from inside this processor's running
   *   action (or from a tasklet that action waits on through blockingTasklet).
   * @example
   * ```ts
   * const d = cp.call(2); // Deferred<number>
   * console.log(await d);
   * ```
   */
  call(...args: Parameters<F>): Deferred<ActionResult<ReturnType<F>>> {
    if (!this.running) return failed(this._end === RUNNING ? new ChannelProcessorStopped(this.action.name) : cannotAnswer(this as ChannelProcessor<AnyAction>));
    const loop = this._loop;
    // Inside an action of this processor (running on the loop's stack, or blocked in it): a
    // call from the loop's tasklet, or from a tasklet the loop waits on, can never be answered.
    if (loop !== null && (loop === loopSteps || loop.step === ACTING)) {
      const caller = getcurrent();
      if (waitsOn(loop.me, caller)) return failed(new ChannelProcessorReentryError(this.action.name, caller, caller === loop.me));
    }
    // The blockingTasklet gives the Deferred: from a tasklet, the one the blocked caller awaits;
    // from plain code, one that fires once plain code has the turn back (usually a microtask or
    // two after the reply), so that the caller's callbacks and `await` continuations (plain code,
    // which may call again) never run while a tasklet holds the turn.
    // A call made synchronously by an action (inside another processor's loop) must not block
    // that loop's tasklet: it is sent aside and returns its Deferred, as from plain code.
    return (actionDepth > 0 ? runCallAside : runCall).call(this as ChannelProcessor<AnyAction>, args) as Deferred<ActionResult<ReturnType<F>>>;
  }

  /**
   * Stop the loop: `running` becomes false, then the stop message (the article's `1`) is sent
   * on the channel. Requests already queued ahead of it are answered first. Calling it again
   * only returns `done`. Port of `ChannelProcessor.stop`.
   *
   * @returns `done`, which fires with the number of requests handled when the loop has ended.
   */
  stop(): Deferred<number> {
    if (this.running) {
      this.running = false;
      runStop.call(this as ChannelProcessor<AnyAction>).addErrback((f: Failure) => {
        if (!this.done.called) this.done.errback(f);
      });
    }
    return this.done;
  }

  /**
   * The article's closing idea, "the event loop in its own thread": a processor with the same
   * `call`/`stop` API whose action runs in a Node worker thread.
   *
   * @param modulePath - an absolute path or a `file:` URL of an ES module (a `.ts` file works
   *   when tsx is installed, as in this repository's specs).
   * @param exportName - the name the action is exported under.
   * @throws InvalidWorkerModule for a relative path; WorkerActionNotFound for a missing file
   *   (a missing export fails `ready`, `done` and every call with WorkerActionNotFound).
   * @example
   * ```ts
   * const cp = ChannelProcessor.inWorker<typeof import('./work.js').fib>(require.resolve('./work.js'), 'fib');
   * console.log(await cp.call(30));
   * await cp.stop();
   * ```
   */
  static inWorker<W extends AnyAction = UntypedAction>(modulePath: string | URL, exportName: string): WorkerChannelProcessor<W> {
    return new WorkerChannelProcessor<W>(modulePath, exportName);
  }
}
