// Type-level spec of twistless/tasklets: checked by `tsc --noEmit` (never run). Every line below
// an expect-error directive must stay a type error.
import { RuntimeError, StopIteration, ValueError, channel, tasklet, type Tasklet } from '../../lib/tasklets/index.js';

declare const t: Tasklet<[number]>;
const ch = channel<number>();

// Python-style exceptions take any arguments, as Python's do (send_exception(ValueError, 7)).
void ch.sendException(ValueError, 7);
void ch.sendException(ValueError, 1, 2, 3);
void ch.sendException(RuntimeError, 'why', 2);
void ch.sendException(StopIteration);
void t.raiseException(ValueError, 7);
const _args: unknown[] = new ValueError(7).args;

// Python's call style `tasklet(f)(1)` is not a call here: use `.setup(1)`.
// @ts-expect-error a tasklet is not callable
tasklet(async (n: number) => n)(1);
tasklet(async (n: number) => n).setup(1);

// `setup` checks the arguments against the function.
// @ts-expect-error a string where the function takes a number
tasklet(async (n: number) => n).setup('x');
