// A Twisted program from Twisted's own documentation, ported line for line: the LoopingCall
// example of "Scheduling tasks for the future" (docs/core/howto/time.rst). Run it with
// `npx tsx examples/twistedLoopingCall.ts`; spec/examples/examples.spec.ts checks its output.
// Differences: Python's module globals are module-level `let`s; `print` is `console.log`;
// `failure.getBriefTraceback()` is `failure.getTraceback('brief')`.
import type { Failure } from 'twistless/failure';
import { reactor } from 'twistless/reactor';
import { LoopingCall } from 'twistless/task';

const loopTimes = 3;
const failInTheEnd = false;
let _loopCounter = 0;

/** Called at ever loop interval. */
function runEverySecond(): void {
  if (_loopCounter < loopTimes) {
    _loopCounter += 1;
    console.log('A new second has passed.');
    return;
  }

  if (failInTheEnd) {
    throw new Error('Failure during loop execution.');
  }

  // We looped enough times.
  loop.stop();
  return;
}

/** Called when loop was stopped with success. */
function cbLoopDone(_result: unknown): void {
  console.log('Loop done.');
  reactor.stop();
}

/** Called when loop execution failed. */
function ebLoopFailed(failure: Failure): void {
  console.log(failure.getTraceback('brief'));
  reactor.stop();
}

const loop = new LoopingCall(runEverySecond);

// Start looping every 1 second.
const loopDeferred = loop.start(1.0);

// Add callbacks for stop and failure.
loopDeferred.addCallback(cbLoopDone);
loopDeferred.addErrback(ebLoopFailed);

reactor.run();
