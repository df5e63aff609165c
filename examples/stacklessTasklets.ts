// A Stackless program from Stackless's own documentation, ported to TypeScript: the examples of
// "Tasklets --- Lightweight threads" (Doc/library/stackless/tasklets.rst): launching a tasklet
// with arguments, then `t1.run()` on a scheduled tasklet and `t2.run()` on a removed one.
// Run it with `npx tsx examples/stacklessTasklets.ts`; spec/examples/examples.spec.ts checks it.
// Differences: the documentation prints `id()`s, which differ on every run; this prints the
// tasklets' names and the run count instead. Keyword arguments are a trailing options object.
// Switching operations are awaited (`await stackless.run()`, `await t1.run()`). The
// documentation's `f` loops for ever and the interpreter kills what is left at exit; here the
// program kills the three tasklets at the end, which is what Stackless does at exit.
import * as stackless from 'twistless/tasklets';

// Example - launching a more concrete tasklet
function func(...args: unknown[]): void {
  const kwargs = args.pop();
  console.log('scheduled with', args, 'and', kwargs);
}

async function main(): Promise<void> {
  stackless.tasklet(func).setup(1, 2, 3, { string: 'test' });
  await stackless.run();

  // Example - running a tasklet that is scheduled
  const names = new Map<unknown, string>();
  async function f(name: string): Promise<void> {
    while (true) {
      const c = stackless.getcurrent();
      const m = stackless.getmain();
      if (!c.scheduled) throw new Error('assert c.scheduled');
      console.log(`${name} current=${names.get(c)}, runcount=${stackless.getruncount()}, main.scheduled=${m.scheduled ? 'True' : 'False'}`);
      await stackless.schedule();
    }
  }

  const t1 = stackless.tasklet(f).setup('t1');
  const t2 = stackless.tasklet(f).setup('t2');
  const t3 = stackless.tasklet(f).setup('t3');
  names.set(t1, 't1').set(t2, 't2').set(t3, 't3');

  console.log('>>> t1.run()');
  await t1.run();

  // Example - running a tasklet that is not scheduled
  console.log('>>> t2.remove()');
  t2.remove();
  console.log('>>> t2.run()');
  await t2.run();
  console.log('>>> t2.scheduled');
  console.log(t2.scheduled ? 'True' : 'False');

  // What the interpreter does at exit: kill the tasklets that are left.
  for (const t of [t1, t2, t3]) await t.kill();
}

void main();
