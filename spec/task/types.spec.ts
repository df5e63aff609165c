// Type-level specs for twistless/task: the lines marked @ts-expect-error must stay type errors
// (npx tsc --noEmit -p . fails if one of them starts compiling); the rest must compile. The
// runtime part only checks that the well-typed calls do what their types say.
import { expect } from 'chai';
import { Deferred, succeed } from '../../lib/defer/index.js';
import { Clock, Cooperator, LoopingCall, deferLater, react } from '../../lib/task/index.js';
import type { CooperativeTask } from '../../lib/task/index.js';

describe('task types', function () {
  it('LoopingCall checks the arguments against the function, and start() is a Deferred of the LoopingCall', function () {
    const clock = new Clock();
    const lc = new LoopingCall((a: number, b: string) => `${a}${b}`, 1, 'x');
    // @ts-expect-error: the second argument must be a string
    void (() => new LoopingCall((a: number, b: string) => `${a}${b}`, 1, 2));
    // @ts-expect-error: a missing argument
    void (() => new LoopingCall((a: number) => a));
    // @ts-expect-error: the count function takes a number
    void (() => LoopingCall.withCount((s: string) => s));
    lc.clock = clock;
    const d: Deferred<LoopingCall<[number, string]>> = lc.start(1);
    // @ts-expect-error: interval is a number of seconds
    void (() => lc.start('1'));
    lc.stop();
    expect(d.called).to.equal(true);
  });

  it('deferLater types its Deferred from the function, unwrapping a returned Deferred or promise', function () {
    const clock = new Clock();
    const n: Deferred<number> = deferLater(clock, 1, (a: number, b: number) => a + b, 1, 2);
    const s: Deferred<string> = deferLater(clock, 1, () => succeed('inner'));
    const p: Deferred<boolean> = deferLater(clock, 1, async () => true);
    const u: Deferred<undefined> = deferLater(clock, 1);
    // @ts-expect-error: the arguments must match the function
    void (() => deferLater(clock, 1, (a: number) => a, 'x'));
    clock.advance(1);
    expect([n.called, s.called, u.called]).to.deep.equal([true, true, true]);
    p.addErrback(() => undefined);
  });

  it('react passes the reactor type and argv to main, which must return a Deferred or a promise', function () {
    const typed = (): void => {
      react(async (_reactor, name: string, n: number) => `${name}${n}`, ['a', 1]);
      // @ts-expect-error: argv must match main's parameters
      react(async (_reactor, name: string) => name, [1]);
      // @ts-expect-error: main must return a Deferred or a promise
      react(() => 42);
    };
    expect(typeof typed).to.equal('function');
  });

  it('cooperate keeps the iterator type for whenDone', function () {
    const coop = new Cooperator({ scheduler: () => ({ cancel() {} }) });
    const arr = [1, 2, 3];
    const t: CooperativeTask<number[]> = coop.cooperate(arr);
    const done: Deferred<number[]> = t.whenDone();
    // @ts-expect-error: not an iterator or iterable
    void (() => coop.cooperate(42));
    t.stop();
    done.addErrback(() => undefined);
    expect(t._iterator).to.equal(arr);
  });
});
