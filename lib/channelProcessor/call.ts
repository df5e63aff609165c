// The article's `__call__` of a ChannelProcessor, run step by step in each call's own tasklet
// (send the request, receive the reply), and stop()'s send. Covered by
// spec/channelProcessor/channelProcessor.spec.ts, answered.spec.ts and plainCaller.spec.ts.
import { nonBlockingTasklet, blockingTaskletDeferred, deferredTasklet } from '../tasklets/bridge.js';
import { endJob } from '../tasklets/scheduler/lifecycle.js';
import { BLOCKED, endsItself, type Waiting } from '../tasklets/stepBody.js';
import { channel as channelImport, channelStep, type Channel } from '../tasklets/channel.js';
import { ValueError, isTaskletExit } from '../tasklets/errors.js';
import { isFailure as isFailureImport } from '../failure/failure.js';
import { ChannelProcessorStopped } from './errors.js';
import { RUNNING, cannotAnswer, loopKilled } from './loop.js';
import { NO_KWARGS, type AnyAction, type ProcessorRequest } from './request.js';
import type { ChannelProcessor } from './channelProcessor.js';

// Module-local copies of the imports used on every call: under tsx an import binding is a getter.
const isFailure = isFailureImport;
const channel = channelImport;

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
/** @internal */
export class CallSteps implements Waiting {
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
