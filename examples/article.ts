// The example of the article "Stackless Event Loops" (Steve Coursen, 2008), ported line for
// line: class A turns its method into a per-object event loop with
// `self.func = channel_processor(self.func)`. Around it, a small driver (not in the article)
// calls two objects from two tasklets and shows that each object's calls are handled, in order,
// by that object's own loop tasklet, and that calls return results like ordinary calls.
// Run it with `npx tsx examples/article.ts`; spec/examples/examples.spec.ts checks its output.
import { channelProcessor, type ChannelProcessor } from 'twistless/channelProcessor';
import { run, tasklet } from 'twistless/tasklets';

class A {
  constructor() {
    this.func = channelProcessor(this.func);
  }

  func(...args: unknown[]): void {
    console.log('Here i am with arg list:', args);
  }
}

// The driver. Each object's loop runs in its own tasklet; a call from a tasklet blocks that
// tasklet until the object's loop has handled it, as in Stackless.
async function main(): Promise<void> {
  const a = new A();
  const b = new A();

  tasklet(async () => {
    await a.func(1, 2);
    await b.func('x', 'y');
  }).setup();
  tasklet(async () => {
    await a.func(3);
  }).setup();
  await run();

  // The per-function form, with a result: the caller gets it back as from a plain call.
  const tenfold = channelProcessor(function tenfold(x: number): number {
    return x * 10;
  });
  tasklet(async () => {
    console.log('tenfold(4) returned', await tenfold(4));
  }).setup();
  await run();

  // One processor per object (a.func_cp, b.func_cp), one per function (tenfold._cp).
  const aLoop = (a as unknown as { func_cp: ChannelProcessor }).func_cp;
  const bLoop = (b as unknown as { func_cp: ChannelProcessor }).func_cp;
  console.log('a.func_cp handled', await aLoop.stop(), 'calls');
  console.log('b.func_cp handled', await bLoop.stop(), 'call');
  console.log('tenfold._cp handled', await tenfold._cp!.stop(), 'call');
}

void main();
