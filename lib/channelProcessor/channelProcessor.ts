// Port of `ChannelProcessor` from Steve Coursen's article "Stackless Event Loops" (2008, the
// follow-on to "Stackless Python meets Twisted Matrix"; the article's recovered code is described
// in docs/channelProcessor.md). Covered by
// spec/channelProcessor/channelProcessor.spec.ts, articleTrace.spec.ts and badInput.spec.ts.
//
// The class is composed from the pieces exactly as the article composes it: a Stackless channel
// that carries `[replyChannel, args, kwargs]` requests, a `process()` loop that is a
// deferredTasklet, `_wrapper` running the action and a Deferred whose addBoth sends the outcome
// on the reply channel (made only when the outcome fires later: a value is sent as it would
// send it), and a `call()` (the article's `__call__`): its steps run in the calling tasklet, or,
// from plain code, by main itself when the loop waits (the loop's reply send completing into the
// call), else in a blockingTasklet of their own.
//
// The article's bugs are fixed, each documented where it is fixed:
// - a failing action reaches its caller as a thrown error (the original never fires the reply);
// - stop() ends the loop through its `else` branch, not by a swallowed TypeError from len(1);
// - requests already queued when stop() is called are answered, not dropped;
// - a call after stop() fails at once with ChannelProcessorStopped instead of hanging;
// - the loop's own Deferred (`done`) reports how the loop ended, once every caller is answered;
// - an action that is not a function is refused at construction (ActionNotCallable);
// - a call from inside the processor's own action fails at once (ChannelProcessorReentryError);
// - killing the loop's tasklet, or a call's, answers every caller (ChannelProcessorStopped);
//   killing a calling tasklet kills its call, and one that ends first never blocks the loop.
//
// The pieces live beside this file: request.ts (the request and `_wrapper`), loop.ts (the
// `process()` loop and the replies), call.ts (`__call__` and stop()'s send), plainCall.ts (a call
// from plain code), reentry.ts (a call from inside the processor's own action).
import { Deferred as DeferredImport } from '../defer/deferred.js';
import type { Failure } from '../failure/failure.js';
import type { Channel } from '../tasklets/channel.js';
import { channel } from '../tasklets/channel.js';
import { ChannelProcessorStopped, ActionNotCallable } from './errors.js';
import { WorkerChannelProcessor, type ActionResult } from './worker.js';
import { RUNNING, actingLoop, cannotAnswer, inAction, runProcess, type LoopSteps } from './loop.js';
import { noteAsideCall } from './stuck.js';
import { InlineCall, runCallAside, runStop } from './call.js';
import { callFromPlainCode } from './plainCall.js';
import { sched } from '../tasklets/scheduler/state.js';
import { selfCallError } from './reentry.js';
import type { AnyAction, ProcessorMessage, UntypedAction } from './request.js';

const Deferred = DeferredImport;
type Deferred<T> = DeferredImport<T>;

export type { ActionResult } from './worker.js';
export type { AnyAction, ProcessorMessage, ProcessorRequest, UntypedAction } from './request.js';

function failed<T>(e: Error): Deferred<T> {
  const d = new Deferred<T>();
  d.errback(e);
  return d;
}
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
 * - A call from inside its own running action fails with {@link ChannelProcessorReentryError}
 *   (it could never be answered): at once, or, through a wait that cannot be followed, once the
 *   event loop is idle.
 * - Killing the loop's tasklet or a call's answers every caller (ChannelProcessorStopped);
 *   killing a calling tasklet kills its call (its `await` throws the TaskletExit).
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
  _handed: { readonly c: Channel<unknown> } | null;
  /** @internal a call from plain code that main is making now with no tasklet of its own: the loop's reply send completes into it */
  _plain: { readonly c: Channel<unknown>; reply(outcome: unknown): void } | null;
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
    this._plain = null;
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
   * Call the action through the loop: the request goes with a private reply channel, and the
   * outcome comes back on it; from a tasklet, that tasklet sends and waits itself; from plain
   * code, main sends when the loop waits in its receive (the action runs at once, and a reply
   * there by then has fired the Deferred when this returns), else a tasklet of its own sends and
   * waits. Port of `ChannelProcessor.__call__`.
   *
   * @param args - the action's arguments (a Python keyword argument is a trailing options object).
   * @returns a Deferred that fires with the action's result, or fails with what it threw; it
   *   fails with ChannelProcessorStopped, at once, after `stop()` (or later, when a tasklet of
   *   the processor is killed before the call is answered), and with
   *   ChannelProcessorReentryError, at once, when made from inside this processor's running
   *   action (or from a tasklet that action waits on through blockingTasklet), or, when the
   *   action waits on the calling tasklet through blockOn or a channel, once the event loop runs
   *   out of work (see docs/channelProcessor.md).
   * @example
   * ```ts
   * const d = cp.call(2); // Deferred<number>
   * console.log(await d);
   * ```
   */
  call(...args: Parameters<F>): Deferred<ActionResult<ReturnType<F>>> {
    if (!this.running) return failed(this._end === RUNNING ? new ChannelProcessorStopped(this.action.name) : cannotAnswer(this as ChannelProcessor<AnyAction>));
    const refused = selfCallError(this as ChannelProcessor<AnyAction>);
    if (refused !== null) return failed(refused);
    // From a tasklet, the Deferred is the one the blocked caller awaits; from plain code, one
    // that fires once plain code has the turn back (when this returns, for a call answered at
    // once), so that the caller's callbacks and `await` continuations (plain code, which may
    // call again) never run while a tasklet holds the turn.
    // A call made synchronously by an action (inside another processor's loop) must not block
    // that loop's tasklet: it is sent aside and returns its Deferred, as from plain code.
    if (!inAction()) {
      const current = sched.current;
      // From plain code: main, or a tasklet of its own, makes the call. From a tasklet: the caller makes it.
      if (current === null || current === sched.main) return callFromPlainCode(this as ChannelProcessor<AnyAction>, args) as Deferred<ActionResult<ReturnType<F>>>;
      const call = new InlineCall(this as ChannelProcessor<AnyAction>, args);
      call.send();
      return call.out as Deferred<ActionResult<ReturnType<F>>>;
    }
    const d = runCallAside.call(this as ChannelProcessor<AnyAction>, args) as Deferred<ActionResult<ReturnType<F>>>;
    // Made by a tasklet running inside this processor's own action: the action may wait on it.
    if (this._loop !== null && this._loop === actingLoop()) noteAsideCall(this._loop, this.channel);
    return d;
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
