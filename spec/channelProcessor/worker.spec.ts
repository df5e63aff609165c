// The worker-thread form of ChannelProcessor (the article's closing idea: "the event loop in its
// own thread"). No upstream suite: the article has no code for it.
import { expect } from 'chai';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread, threadId } from 'node:worker_threads';
import {
  ChannelProcessor,
  ChannelProcessorStopped,
  InvalidWorkerModule,
  WorkerActionNotFound,
  WorkerChannelProcessor,
  WorkerExited,
} from '../../lib/channelProcessor/index.js';
import { addObserver, removeObserver, type LogEvent } from '../../lib/log/index.js';
import { outcome, turns } from './helpers.js';

const actions = join(__dirname, 'fixtures', 'workerActions.mjs');

/** True once the processor's worker thread has exited (its threadId becomes -1). */
function exited(cp: WorkerChannelProcessor<never> | WorkerChannelProcessor): boolean {
  return (cp as unknown as { worker: { threadId: number } }).worker.threadId === -1;
}

/** Collect garbage until the FinalizationRegistry callbacks (the unhandled-error reports) have run. */
async function collect(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run the specs with --expose-gc (see .mocharc.json)');
  for (let i = 0; i < 6; i++) {
    gc();
    await turns(2);
  }
}

describe('ChannelProcessor.inWorker', function () {
  this.timeout(20000);
  let open: WorkerChannelProcessor<never>[] = [];
  function make(path: string | URL, name: string): WorkerChannelProcessor<never> {
    const cp = ChannelProcessor.inWorker(path, name) as WorkerChannelProcessor<never>;
    open.push(cp);
    return cp;
  }
  afterEach(async function () {
    for (const cp of open) {
      if (cp.running) await outcome(cp.stop());
    }
    open = [];
  });

  it('runs the action in another thread and returns its structured-cloned result', async function () {
    const cp = make(actions, 'tenfold');
    const r = await outcome((cp as WorkerChannelProcessor).call(4));
    expect(r).to.deep.equal({ ok: true, value: { value: 40, threadId: (r as { value: { threadId: number } }).value.threadId } });
    expect(isMainThread).to.equal(true);
    expect((r as { value: { threadId: number } }).value.threadId).to.not.equal(threadId);
  });

  it('accepts a file: URL and keeps call order', async function () {
    const cp = ChannelProcessor.inWorker<(n: number) => { value: number; threadId: number }>(pathToFileURL(actions), 'tenfold');
    open.push(cp as never);
    const ds = [1, 2, 3, 4, 5].map((n) => cp.call(n));
    const results = await Promise.all(ds.map((d) => outcome(d)));
    expect(results.map((r) => (r.ok ? (r.value as { value: number }).value : r.error))).to.deep.equal([10, 20, 30, 40, 50]);
  });

  it('throws a failing action\'s error in the caller, keeping its name, message, class and fields', async function () {
    const cp = make(actions, 'checked') as unknown as WorkerChannelProcessor<(x: number) => number>;
    const bad = await outcome(cp.call(-3));
    expect(bad.ok).to.equal(false);
    const e = (bad as { error: Error & { event?: number } }).error;
    expect(e).to.be.instanceOf(Error);
    expect(e.name).to.equal('BadEvent');
    expect(e.message).to.equal('negative input -3');
    expect(e.event).to.equal(-3);
    expect(e.stack).to.contain('checked');
    const range = await outcome(cp.call(0));
    expect((range as { error: Error }).error).to.be.instanceOf(RangeError);
    // The loop goes on after a failure.
    expect(await outcome(cp.call(5))).to.deep.equal({ ok: true, value: 5 });
  });

  it('an AggregateError keeps its class, errors and cause, recursively, with each error\'s class, name and fields', async function () {
    const cp = make(actions, 'aggregate') as unknown as WorkerChannelProcessor<(n: number) => never>;
    const r = await outcome(cp.call(7));
    const e = (r as { error: AggregateError & { cause?: unknown } }).error;
    expect(e).to.be.instanceOf(AggregateError);
    expect(e.name).to.equal('AggregateError');
    expect(e.message).to.equal('3 failures');
    expect(e.errors).to.have.length(3);
    // Like the built-in fields, `errors` and `cause` are own, non-enumerable properties.
    expect(Object.keys(e)).to.deep.equal([]);
    expect(Object.getOwnPropertyDescriptor(e, 'errors')?.enumerable).to.equal(false);
    expect(Object.getOwnPropertyDescriptor(e, 'cause')?.enumerable).to.equal(false);
    const [first, inner, plain] = e.errors as [Error, Error & { event: number; cause: Error & { code: string } }, string];
    expect(first).to.be.instanceOf(TypeError);
    expect(first.message).to.equal('first');
    expect(inner).to.be.instanceOf(Error);
    expect(inner.name).to.equal('BadEvent');
    expect(inner.event).to.equal(7);
    expect(inner.cause).to.be.instanceOf(URIError);
    expect(inner.cause.message).to.equal('root cause');
    expect(inner.cause.code).to.equal('E_ROOT');
    expect(plain).to.equal('not an error');
    const outer = e.cause as RangeError & { cause: Error };
    expect(outer).to.be.instanceOf(RangeError);
    expect(outer.message).to.equal('outer cause');
    // The same error reached twice (inner's cause and outer's cause) arrives as one object.
    expect(outer.cause).to.equal(inner.cause);
  });

  it('a cause cycle arrives as the same cycle; a field that cannot be cloned is dropped, the others kept', async function () {
    const cp = make(actions, 'cyclic') as unknown as WorkerChannelProcessor<() => never>;
    const r = await outcome(cp.call());
    const e = (r as { error: Error & { cause?: unknown; callback?: unknown; detail?: unknown } }).error;
    expect(e.message).to.equal('loops');
    expect(e.cause).to.equal(e);
    expect(e.detail).to.deep.equal({ depth: 1 });
    expect('callback' in e).to.equal(false);
  });

  it('a rejected promise fails the call; a promise lets the worker take the next call first', async function () {
    const rej = make(actions, 'rejects') as unknown as WorkerChannelProcessor<(m: string) => Promise<never>>;
    const r = await outcome(rej.call('no'));
    expect((r as { error: Error }).error).to.be.instanceOf(TypeError);
    expect((r as { error: Error }).error.message).to.equal('no');
    const cp = make(actions, 'later') as unknown as WorkerChannelProcessor<(x: string, ms: number) => Promise<string>>;
    const order: string[] = [];
    const slow = outcome(cp.call('slow', 200)).then((o) => order.push(String((o as { value: string }).value)));
    const fast = outcome(cp.call('fast', 1)).then((o) => order.push(String((o as { value: string }).value)));
    await Promise.all([slow, fast]);
    expect(order).to.deep.equal(['fast', 'slow']);
  });

  it('a result that cannot be cloned fails the call with a TypeError saying what to return', async function () {
    const cp = make(actions, 'returnsFunction');
    const r = await outcome((cp as WorkerChannelProcessor).call());
    expect((r as { error: Error }).error).to.be.instanceOf(TypeError);
    expect((r as { error: Error }).error.message).to.match(/cannot be copied to the calling thread/);
  });

  it('arguments that cannot be cloned fail the call at once and lose nothing queued', async function () {
    const cp = make(actions, 'tenfold') as unknown as WorkerChannelProcessor<(x: unknown) => { value: number }>;
    const first = cp.call(1);
    const bad = cp.call(() => 1);
    const after = cp.call(2);
    expect(bad.called).to.equal(true);
    const b = await outcome(bad);
    expect((b as { error: Error }).error.name).to.equal('DataCloneError');
    expect(((await outcome(first)) as { value: { value: number } }).value.value).to.equal(10);
    expect(((await outcome(after)) as { value: { value: number } }).value.value).to.equal(20);
  });

  it('stop() answers the calls already made, then ends the worker; done reports the count', async function () {
    const cp = make(actions, 'counter') as unknown as WorkerChannelProcessor<() => number>;
    const ds = [cp.call(), cp.call(), cp.call()];
    const done = cp.stop();
    expect(cp.running).to.equal(false);
    const late = await outcome(cp.call());
    expect((late as { error: Error }).error).to.be.instanceOf(ChannelProcessorStopped);
    expect((late as { error: Error }).error.message).to.match(/stopped/);
    const values = await Promise.all(ds.map((d) => outcome(d)));
    expect(values.map((v) => (v as { value: number }).value)).to.deep.equal([1, 2, 3]);
    expect(await outcome(done)).to.deep.equal({ ok: true, value: 3 });
    expect(cp.stop()).to.equal(done);
  });

  it('each worker processor keeps its own state (one loop, one thread per processor)', async function () {
    const a = make(actions, 'counter') as unknown as WorkerChannelProcessor<() => number>;
    const b = make(actions, 'counter') as unknown as WorkerChannelProcessor<() => number>;
    await outcome(a.call());
    await outcome(a.call());
    expect(await outcome(b.call())).to.deep.equal({ ok: true, value: 1 });
    expect(await outcome(a.call())).to.deep.equal({ ok: true, value: 3 });
  });

  it('loads a TypeScript module through tsx', async function () {
    const cp = make(join(__dirname, 'fixtures', 'greeter.ts'), 'greet') as unknown as WorkerChannelProcessor<(n: string) => string>;
    expect(await outcome(cp.call('worker'))).to.deep.equal({ ok: true, value: 'hello, worker' });
  });

  it('a worker that exits on its own fails the waiting calls and done with WorkerExited', async function () {
    const cp = ChannelProcessor.inWorker<(code: number) => never>(actions, 'exits');
    const r = await outcome(cp.call(3));
    expect((r as { error: Error }).error).to.be.instanceOf(WorkerExited);
    expect((r as { error: WorkerExited }).error.exitCode).to.equal(3);
    const d = await outcome(cp.done);
    expect((d as { error: Error }).error).to.be.instanceOf(WorkerExited);
    expect(cp.running).to.equal(false);
    const late = await outcome(cp.call(0));
    expect((late as { error: Error }).error).to.be.instanceOf(WorkerExited);
  });
});

describe('ChannelProcessor.inWorker bad input', function () {
  this.timeout(20000);

  it('a relative path is an InvalidWorkerModule (a TypeError) saying how to make it absolute', function () {
    expect(() => ChannelProcessor.inWorker('./fixtures/workerActions.mjs', 'tenfold')).to.throw(InvalidWorkerModule, /absolute file path.*__dirname/);
    expect(() => ChannelProcessor.inWorker('./x.mjs', 'tenfold')).to.throw(TypeError);
    expect(() => ChannelProcessor.inWorker(42 as never, 'tenfold')).to.throw(InvalidWorkerModule, /number 42/);
  });

  it('a module file that does not exist is a WorkerActionNotFound at once', function () {
    const missing = join(__dirname, 'fixtures', 'nope.mjs');
    expect(() => ChannelProcessor.inWorker(missing, 'tenfold')).to.throw(WorkerActionNotFound, /there is no file at .*nope\.mjs; check the path/);
  });

  it('a missing export fails ready, done and every call with WorkerActionNotFound naming the exports', async function () {
    const cp = ChannelProcessor.inWorker(actions, 'nothere');
    const c1 = outcome(cp.call(1));
    const c2 = outcome(cp.call(2));
    const ready = await outcome(cp.ready);
    expect(ready.ok).to.equal(false);
    const err = (ready as { error: WorkerActionNotFound }).error;
    expect(err).to.be.instanceOf(WorkerActionNotFound);
    expect(err.message).to.match(/no export named "nothere"; export the action function under that name \(the module exports: .*tenfold/);
    expect(err.exportName).to.equal('nothere');
    expect(((await c1) as { error: Error }).error).to.equal(err);
    expect(((await c2) as { error: Error }).error).to.equal(err);
    expect(((await outcome(cp.done)) as { error: Error }).error).to.equal(err);
    expect(((await outcome(cp.call(3))) as { error: Error }).error).to.equal(err);
  });

  it('a missing export whose failed call was handled makes no "Unhandled error in Deferred" report from ready or done', async function () {
    const events: string[] = [];
    const observer = (e: LogEvent): void => {
      if (e.isError) events.push(String(e.why));
    };
    addObserver(observer);
    try {
      await (async () => {
        const cp = ChannelProcessor.inWorker(actions, 'nothere');
        const r = await outcome(cp.call(1));
        expect((r as { error: Error }).error).to.be.instanceOf(WorkerActionNotFound);
        // The worker is gone once its exit is heard; then nothing holds the processor.
        while (cp.running || !exited(cp)) await new Promise((resolve) => setTimeout(resolve, 5));
      })();
      await collect();
    } finally {
      removeObserver(observer);
    }
    expect(events).to.deep.equal([]);
  });

  it('a missing export that nobody asks about is reported once, not once per internal Deferred', async function () {
    const events: string[] = [];
    const observer = (e: LogEvent): void => {
      if (e.isError) events.push(`${String(e.why)} ${(e.failure?.value as Error).name}`);
    };
    addObserver(observer);
    try {
      await (async () => {
        const cp = ChannelProcessor.inWorker(actions, 'nothere');
        while (cp.running || !exited(cp)) await new Promise((resolve) => setTimeout(resolve, 5));
      })();
      await collect();
    } finally {
      removeObserver(observer);
    }
    expect(events).to.deep.equal(['Unhandled error in Deferred: WorkerActionNotFound']);
  });

  it('an export that is not a function is a WorkerActionNotFound saying so', async function () {
    const cp = ChannelProcessor.inWorker(actions, 'notAFunction');
    const r = await outcome(cp.ready);
    expect((r as { error: Error }).error.message).to.match(/export "notAFunction" is a number, not a function/);
    await outcome(cp.done);
  });

  it('a module that fails to load is a WorkerActionNotFound with the cause', async function () {
    const cp = ChannelProcessor.inWorker(join(__dirname, 'fixtures', 'broken.mjs'), 'x');
    const r = await outcome(cp.ready);
    const err = (r as { error: Error & { cause?: Error } }).error;
    expect(err).to.be.instanceOf(WorkerActionNotFound);
    expect(err.message).to.match(/could not be loaded \(broken on purpose\)/);
    expect(err.cause?.message).to.equal('broken on purpose');
    await outcome(cp.done);
  });

  it('an empty export name is refused at once', function () {
    expect(() => ChannelProcessor.inWorker(actions, '')).to.throw(WorkerActionNotFound, /non-empty string/);
  });
});
