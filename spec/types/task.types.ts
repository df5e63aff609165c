// Type-level spec of twistless/task and twistless/reactor: checked by `tsc --noEmit` (never run).
// Every line below an expect-error directive must stay a type error; the Equals checks pin
// inferred types.
import { Deferred } from '../../lib/defer/index.js';
import { Clock, LoopingCall, react, type ReactReactor } from '../../lib/task/index.js';
import { reactor } from '../../lib/reactor/index.js';

type Equals<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_ok?: T): void {}
// Never called: the calls below are type-checked only.
declare function never(): never;
const typeOnly = false;

if (typeOnly) {
  // react(main, argv): Python's react(main, sys.argv[1:]) with main(reactor, *argv).
  react(async (_r: ReactReactor, ...argv: string[]) => argv.length, process.argv.slice(2));
  react((_r, ...argv: string[]) => new Deferred<number>().addCallback(() => argv.length), process.argv.slice(2));
  // A main that takes no argv still accepts the argv list (Python would pass none when it is empty).
  react(async () => undefined, process.argv.slice(2));
  react(async (_r: ReactReactor, name: string, count: string) => name + count, ['a', '1']);
  react(async () => undefined);
  react(async () => undefined, []);
  // @ts-expect-error argv entries must fit main's parameters
  react(async (_r: ReactReactor, n: number) => n, process.argv.slice(2));
  // @ts-expect-error argv is an array, not one value
  react(async (_r: ReactReactor, name: string) => name, 'a');
  react(async (_r: ReactReactor, name: string) => name, ['a'] as const);
  // @ts-expect-error a rest of numbers does not take strings either
  react(async (_r: ReactReactor, ...n: number[]) => n, process.argv.slice(2));
  react(async (_r: ReactReactor, ...rest: unknown[]) => rest, process.argv.slice(2));

  // LoopingCall.start(interval, now) and its keyword form.
  const lc = new LoopingCall(() => undefined);
  lc.start(1, false);
  lc.start(1, { now: false });
  lc.start(1, {});
  // @ts-expect-error now is a boolean
  lc.start(1, 'no');
  // @ts-expect-error the only option is now
  lc.start(1, { nwo: false });

  // callLater unbound still type-checks with its argument types.
  const clock = new Clock();
  const cl = clock.callLater;
  cl(1, (a: number) => a, 2);
  // @ts-expect-error the arguments must fit the function
  cl(1, (a: number) => a, 'x');
  const rcl = reactor.callLater;
  rcl(1, () => undefined);
  never();
}

assertType<Equals<ReturnType<typeof react>, Deferred<number>>>();
