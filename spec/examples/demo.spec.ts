// The demo (`npm start`, examples/demo.ts), run deterministically on a Clock; and once for real.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Clock } from '../../lib/task/index.js';
import { demo } from '../../examples/demo.js';

const root = join(__dirname, '..', '..');

const expected = `[0.000s] publish #1: alice buys 2 apple
[0.000s]   inventory  #1 apple 10 -> 8
[0.000s]   receipt    #1 alice: 2 x apple
[0.250s] publish #2: bob buys 1 pear
[0.250s]   inventory  #2 pear 3 -> 2
[0.250s]   receipt    #2 bob: 1 x pear
[0.500s] publish #3: carol buys 3 apple
[0.500s]   inventory  #3 apple 8 -> 5
[0.500s]   receipt    #3 carol: 3 x apple
[0.625s]   audit      #1 checked (the slow observer, 0.625 s after the event)
[0.750s] publish #4: dave buys 1 plum
[0.750s]   receipt    #4 dave: 1 x plum
[0.750s]   publisher  #4 inventory refused it: no such product: plum (handled)
[0.875s]   audit      #2 checked (the slow observer, 0.625 s after the event)
[1.000s] publish #5: erin buys 4 pear
[1.000s]   receipt    #5 erin: 4 x pear
[1.000s]   publisher  #5 inventory refused it: only 2 pear left, erin wants 4 (handled)
[1.125s]   audit      #3 checked (the slow observer, 0.625 s after the event)
[1.250s] publish #6: frank buys 1 fig
[1.250s]   inventory  #6 fig 5 -> 4
[1.250s]   receipt    #6 frank: 1 x fig
[1.375s]   audit      #4 checked (the slow observer, 0.625 s after the event)
[1.500s] publish #7: alice buys 1 pear
[1.500s]   inventory  #7 pear 2 -> 1
[1.500s]   receipt    #7 alice: 1 x pear
[1.625s]   audit      #5 checked (the slow observer, 0.625 s after the event)
[1.750s] publish #8: bob buys 5 apple
[1.750s]   inventory  #8 apple 5 -> 0
[1.750s]   receipt    #8 bob: 5 x apple
[1.875s]   audit      #6 checked (the slow observer, 0.625 s after the event)
[2.125s]   audit      #7 checked (the slow observer, 0.625 s after the event)
[2.375s]   audit      #8 checked (the slow observer, 0.625 s after the event)
[2.375s] summary: 8 events published to 5 observers, each in its own event loop
  deliveries answered: 40 (per loop: 8, 8, 8, 8, 8); refused and handled: 2
  ordered by customer: alice 3, bob 6, carol 3, dave 1, erin 4, frank 1
  ordered by product:  apple 10, pear 6, plum 1, fig 1
  stock left:          apple 0, pear 1, fig 4`;

function turn(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

describe('examples/demo.ts (npm start)', function () {
  it('prints the Observer-pattern run, step by step, on a Clock', async function () {
    const clock = new Clock();
    const lines: string[] = [];
    const d = demo(clock, (line) => lines.push(line));
    let result: unknown;
    d.addCallback((code) => {
      result = code;
    });
    // As a reactor does: let the tasklets run, then jump to the next delayed call's time.
    for (let i = 0; i < 200 && result === undefined; i++) {
      for (let k = 0; k < 10; k++) await turn();
      const due = clock.getDelayedCalls().map((c) => c.getTime());
      if (due.length === 0) break;
      clock.advance(Math.min(...due) - clock.seconds());
    }
    for (let k = 0; k < 10 && result === undefined; k++) await turn();
    expect(lines.join('\n')).to.equal(expected);
    expect(result).to.equal(0);
  });

  it('runs on the real reactor in under three seconds, prints the same lines and exits with 0', async function () {
    this.timeout(30000);
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(root, 'examples', 'demo.ts')], { cwd: root });
    const strip = (s: string) => s.replace(/^\[\d+\.\d+s\]/gm, '[t]');
    expect(strip(stdout.trimEnd())).to.equal(strip(expected));
  });
});
