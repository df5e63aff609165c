// Type-level spec of twistless/defer: checked by `tsc --noEmit` (never run). Every line below an
// expect-error directive must stay a type error; the Equals checks pin inferred types.
import { Deferred, fail, maybeDeferred, execute, succeed, type IReactorTime } from '../../lib/defer/index.js';
import type { Failure } from '../../lib/failure/index.js';

type Equals<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_ok?: T): void {}

declare const clock: IReactorTime;

// addCallback infers the next type from the callback's return.
const d1 = new Deferred<number>();
const _d2 = d1.addCallback((n) => String(n));
assertType<Equals<typeof _d2, Deferred<string>>>();

// A returned Deferred<U> or PromiseLike<U> gives U.
const _d3 = d1.addCallback(() => succeed(true));
assertType<Equals<typeof _d3, Deferred<boolean>>>();
const _d4 = d1.addCallback(async () => 'async');
assertType<Equals<typeof _d4, Deferred<string>>>();

// A returned Failure does not become a success type.
const _d5 = d1.addCallback((n): number | Failure => n);
assertType<Equals<typeof _d5, Deferred<number>>>();

// Errbacks widen the type.
const _d6 = d1.addErrback(() => 'recovered');
assertType<Equals<typeof _d6, Deferred<number | string>>>();
const _d6b = d1.addErrback((f: Failure) => f);
assertType<Equals<typeof _d6b, Deferred<number>>>();

// addBoth sees the result or a Failure.
const _d7 = d1.addBoth((r) => (typeof r === 'number' ? r : -1));
assertType<Equals<typeof _d7, Deferred<number>>>();

// addCallbacks: both returns.
const _d8 = d1.addCallbacks(
  (n) => n > 0,
  () => 'none',
);
assertType<Equals<typeof _d8, Deferred<boolean | string>>>();

// Extra args are typed.
d1.addCallback((n, a: string, b: boolean) => `${n}${a}${b}`, 'x', true);
d1.addCallbacks((n, k: number) => n * k, null, [2]);

// await gives T.
async function awaits(): Promise<void> {
  const _v = await succeed(1).addCallback((n) => [n]);
  assertType<Equals<typeof _v, number[]>>();
}
void awaits;

// A Deferred<number> is a Deferred<unknown> and a PromiseLike<number>.
const asUnknown: Deferred<unknown> = d1;
const asPromiseLike: PromiseLike<number> = d1;
void asUnknown;
void asPromiseLike;

// helpers
assertType<Equals<ReturnType<typeof succeed<string>>, Deferred<string>>>();
const _m1 = maybeDeferred((a: number) => succeed(a * 2), 3);
assertType<Equals<typeof _m1, Deferred<number>>>();
const _m2 = maybeDeferred(async () => 'p');
assertType<Equals<typeof _m2, Deferred<string>>>();
const _e1 = execute((a: number, b: number) => a + b, 1, 2);
assertType<Equals<typeof _e1, Deferred<number>>>();
const f1: Deferred<string> = fail(new Error('x'));
void f1;

// ---- misuse that must not compile ----

// @ts-expect-error the callback takes a string but the result is a number
d1.addCallback((s: string) => s.length);

// @ts-expect-error a non-function callback
d1.addCallback(42);

// @ts-expect-error the callback needs an extra argument that was not given
d1.addCallback((n: number, k: number) => n * k);

// @ts-expect-error the extra argument has the wrong type
d1.addCallback((n: number, k: number) => n * k, 'two');

// @ts-expect-error callback() with a value of the wrong type
d1.callback('not a number');

// @ts-expect-error an errback gets a Failure, not the value type
d1.addErrback((f: number) => f);

// @ts-expect-error result is read-only
d1.result = 3;

// @ts-expect-error called is read-only
d1.called = true;

// @ts-expect-error paused is read-only
d1.paused = 0;

// @ts-expect-error addTimeout needs a number of seconds
d1.addTimeout('10', clock);

// @ts-expect-error addTimeout needs an IReactorTime
d1.addTimeout(10, {});

// @ts-expect-error chainDeferred needs a Deferred of the same type
d1.chainDeferred(new Deferred<string>());

// @ts-expect-error after addCallback the type is the new one
const wrongAfter: Deferred<number> = d1.addCallback((n) => String(n));
void wrongAfter;

// @ts-expect-error awaiting gives number, not string
const notString: Promise<string> = (async () => await d1)();
void notString;

// @ts-expect-error fromPromise needs a thenable
Deferred.fromPromise(42);

// @ts-expect-error the canceller gets the Deferred, not a number
new Deferred<number>((d: number) => d);
