// The article's `__call__` of a ChannelProcessor, run step by step in the calling tasklet (a call
// from a tasklet) or in a call's own tasklet (from plain code, when main cannot make it itself:
// plainCall.ts), and stop()'s send. Covered by
// spec/channelProcessor/channelProcessor.spec.ts, answered.spec.ts, plainCaller.spec.ts and inlineCall.spec.ts.
import { nonBlockingTasklet, blockingTaskletDeferred, deferredTasklet } from '../tasklets/bridge.js';
import { endJob } from '../tasklets/scheduler/lifecycle.js';
import { BLOCKED, endsItself, type Waiting } from '../tasklets/stepBody.js';
import { channel as channelImport, channelStep, type Channel } from '../tasklets/channel.js';
import { ValueError, isTaskletExit } from '../tasklets/errors.js';
import { tasklet } from '../tasklets/operations.js';
import { Deferred as DeferredImport } from '../defer/deferred.js';
import { isFailure as isFailureImport } from '../failure/failure.js';
import { ChannelProcessorStopped } from './errors.js';
import { RUNNING, cannotAnswer, loopKilled } from './loop.js';
import { NO_KWARGS, type AnyAction, type ProcessorRequest } from './request.js';
import type { ChannelProcessor } from './channelProcessor.js';

// Module-local copies of the imports used on every call: under tsx an import binding is a getter.
const isFailure = isFailureImport;
const channel = channelImport;
const Deferred = DeferredImport;
type Deferred<T> = DeferredImport<T>;

// The steps of a call tasklet (CallSteps.step).
const SENDING = 1;
const RECEIVING = 2;
const ANSWERED = 3;

/** Nobody receives on `c` any more: a reply sent later is dropped, one waiting to be taken is told so. */
function closeReply(c: Channel<unknown>): void {
  c.close();
  const sender = c.queue;
  if (sender !== null) void sender.throw(new ValueError('Send/receive operation on a closed channel'), { pending: true });
}

/**
 * What the two ways of making a call share: the reply channel and the receiving half of
 * `__call__` (`rv = c.receive()`, then `raise rv.value` or `return rv`), run step by step. The
 * outcome goes to `succeed`/`fail`, which each way delivers its own way.
 */
/** @internal */
export abstract class ReplySteps implements Waiting {
  step = SENDING;
  readonly c: Channel<unknown>;
  readonly cp: ChannelProcessor<AnyAction>;
  readonly args: unknown[];
  constructor(cp: ChannelProcessor<AnyAction>, args: unknown[], c: Channel<unknown> = channel<unknown>()) {
    this.c = c;
    this.cp = cp;
    this.args = args;
  }

  /** The call's outcome: the action's result. */
  protected abstract succeed(rv: unknown): void;
  /** The call's outcome: what it failed with. */
  abstract fail(e: unknown): void;
  /** The blocked operation raised (a sent exception, kill(), a deadlock). */
  abstract errback(error: unknown): void;

  /** `rv = c.receive()`. */
  receive(): void {
    this.step = RECEIVING;
    let r: unknown;
    try {
      r = channelStep(this.c, -1, undefined, this);
    } catch (e) {
      this.fail(e);
      return;
    }
    if (r !== BLOCKED) this.received(r);
  }

  /** `raise rv.value` or `return rv`. */
  received(rv: unknown): void {
    this.step = ANSWERED;
    // Answered: a reply sent again (by a loop killed before it resumed from this send) is dropped.
    this.c.close();
    if (isFailure(rv)) {
      const e = rv.value;
      // A TaskletExit out of the action: the loop's tasklet was killed in it. Thrown as is, it
      // would end a tasklet caller silently (and a blockingTasklet drops it): say what happened.
      this.fail(isTaskletExit(e) ? loopKilled(this.cp.action.name, e) : e);
    } else this.succeed(rv);
  }

  /** The blocked operation completed (the scheduler calls this when the tasklet resumes). */
  callback(value: unknown): void {
    if (this.step === SENDING) this.receive();
    else this.received(value);
  }

  /** `self.channel.send((c, args, kwargs))`. */
  abstract send(): void;
}

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
/** @internal */
export class CallSteps extends ReplySteps {
  /** `self.channel.send((c, args, kwargs))`. */
  send(): void {
    if (this.cp._end !== RUNNING) {
      // Accepted while the processor ran, started after its loop ended: nobody would take it.
      this.fail(cannotAnswer(this.cp));
      return;
    }
    const cp = this.cp;
    // The loop waits in its receive (the only receiver): the request goes straight to it.
    const handing = cp.channel.balance < 0;
    let r: unknown;
    try {
      r = channelStep(cp.channel, 1, [this.c, this.args, NO_KWARGS] satisfies ProcessorRequest, this);
    } catch (e) {
      this.fail(e);
      return;
    }
    // Until the loop runs, the request is only in its tasklet's transfer slot, which a kill
    // overwrites: the processor remembers whose it is.
    if (handing) cp._handed = this;
    if (r !== BLOCKED) this.receive();
  }

  /** The call's tasklet ends with the result: its caller gets it. */
  protected succeed(rv: unknown): void {
    endJob(false, rv);
  }

  /** The call's tasklet ends with the error: its caller gets it. */
  fail(e: unknown): void {
    endJob(true, e);
  }

  /** The blocked operation raised (a sent exception, kill(), a deadlock). */
  errback(error: unknown): void {
    closeReply(this.c);
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

/**
 * The same `__call__` steps made by a calling tasklet itself, with no tasklet of their own: the
 * caller sends the request and receives the reply parked on this Waiting (the scheduler calls it
 * when the caller gets the turn back), and `out`, the Deferred the caller awaits, fires with the
 * outcome. Killing the caller kills the call: `out` fails with the TaskletExit and the reply is
 * dropped. A caller that ends (or stops waiting) with its call pending is told so (abandoned):
 * a tasklet of its own takes the call over, so the loop never waits for ever in its reply send.
 */
/** @internal */
export class InlineCall extends ReplySteps {
  readonly out: Deferred<unknown> = new Deferred<unknown>();

  /** `self.channel.send((c, args, kwargs))`. */
  send(): void {
    const cp = this.cp;
    // Handed to the waiting loop, the request is only in its tasklet's transfer slot until the
    // loop runs (which it may do inside this send, and then forgets it): remembered before.
    const handing = cp.channel.balance < 0;
    if (handing) cp._handed = this;
    let r: unknown;
    try {
      r = channelStep(cp.channel, 1, [this.c, this.args, NO_KWARGS] satisfies ProcessorRequest, this);
    } catch (e) {
      if (cp._handed === this) cp._handed = null;
      this.fail(e);
      return;
    }
    if (r !== BLOCKED) this.receive();
  }

  /** The caller's Deferred fires with the result (unless it was fired by hand: then it is dropped). */
  protected succeed(rv: unknown): void {
    if (!this.out.called) this.out.callback(rv);
  }

  /** The call failed; a caller that stopped waiting (its Deferred fired by hand) has it dropped, as its reply. */
  fail(e: unknown): void {
    this.step = ANSWERED;
    if (!this.out.called) this.out.errback(e);
  }

  /** The caller was killed (or had an exception sent in) while parked: the call ends with it. */
  errback(error: unknown): void {
    closeReply(this.c);
    this.fail(error);
  }

  /** The caller ended (or stopped waiting) with the call pending: nobody will resume these steps. */
  abandoned(queued: boolean, value: unknown, failed: boolean): void {
    const step = this.step;
    if (step === ANSWERED) return;
    // Its request still queued (taken out with the caller): sent again, as the call's own
    // tasklet would have gone on sending it.
    if (step === SENDING && queued) {
      tasklet(finishCall).setup(this, true);
      return;
    }
    if (this.out.called) {
      // Its Deferred was fired by hand: the caller went on with that; the reply is dropped.
      this.step = ANSWERED;
      closeReply(this.c);
      return;
    }
    if (step === RECEIVING && !queued) {
      // The reply reached the caller, which ended before it took it.
      if (failed) this.fail(value);
      else this.received(value);
      return;
    }
    // Not awaited: the call goes on in a tasklet of its own, its Deferred fires as before.
    tasklet(finishCall).setup(this, false);
  }
}

/**
 * The rest of an abandoned call, in a tasklet of its own: send the request again (it was still
 * queued in its caller, who took it with it), then receive the reply.
 */
async function finishCall(call: InlineCall, resend: boolean): Promise<void> {
  const cp = call.cp;
  try {
    if (resend) {
      if (cp._end !== RUNNING) {
        call.fail(cannotAnswer(cp));
        return;
      }
      await cp.channel.send([call.c, call.args, NO_KWARGS] satisfies ProcessorRequest);
    }
    call.received(await call.c.receive());
  } catch (e) {
    closeReply(call.c);
    call.fail(e);
  }
}

function sendRequest(this: ChannelProcessor<AnyAction>, args: unknown[]): void {
  // Fixed: the article let a call after stop() block for ever. call() refuses it at once; a
  // request it accepted is sent at once (this tasklet starts synchronously), so it queues
  // ahead of stop()'s message and is answered.
  new CallSteps(this, args).send();
}
endsItself(sendRequest);

// The article's `@blocking_tasklet def __call__`: its calls give a Deferred from plain code and
// from a tasklet alike (in a tasklet, the Deferred the blocked caller awaits).
/** @internal */
export const runCall = blockingTaskletDeferred(sendRequest);

// The same request, sent by a tasklet of its own without blocking the caller.
/** @internal */
export const runCallAside = nonBlockingTasklet(sendRequest);

async function sendStop(this: ChannelProcessor<AnyAction>): Promise<void> {
  await this.channel.send(1);
}
// stop()'s send, by a tasklet of its own: plain code cannot block in a send.
/** @internal */
export const runStop = deferredTasklet(sendStop);
