// The example programs of examples/: each is run as a program and its output checked.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..', '..');

async function runExample(name: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(root, 'examples', name)], { cwd: root });
  return stdout.trimEnd();
}

describe('examples', function () {
  this.timeout(30000);

  it('article.ts: the article\'s class A, one event loop per object, and a per-function loop', async function () {
    expect(await runExample('article.ts')).to.equal(
      [
        // Stackless's order: the first tasklet takes its reply and calls b before a's loop takes
        // the second tasklet's request (a call from a tasklet is made by that tasklet itself).
        'Here i am with arg list: [ 1, 2 ]',
        "Here i am with arg list: [ 'x', 'y' ]",
        'Here i am with arg list: [ 3 ]',
        'tenfold(4) returned 40',
        'a.func_cp handled 2 calls',
        'b.func_cp handled 1 call',
        'tenfold._cp handled 1 call',
      ].join('\n'),
    );
  });

  it('twistedLoopingCall.ts: Twisted\'s LoopingCall example prints what Twisted prints', async function () {
    // Twisted 22.4 prints these same four lines for docs/core/howto/time.rst's example.
    expect(await runExample('twistedLoopingCall.ts')).to.equal(
      ['A new second has passed.', 'A new second has passed.', 'A new second has passed.', 'Loop done.'].join('\n'),
    );
  });

  it('stacklessTasklets.ts: Stackless\'s tasklet examples run in Stackless\'s order', async function () {
    expect(await runExample('stacklessTasklets.ts')).to.equal(
      [
        "scheduled with [ 1, 2, 3 ] and { string: 'test' }",
        '>>> t1.run()',
        't1 current=t1, runcount=4, main.scheduled=True',
        't2 current=t2, runcount=4, main.scheduled=True',
        't3 current=t3, runcount=4, main.scheduled=True',
        '>>> t2.remove()',
        '>>> t2.run()',
        't2 current=t2, runcount=4, main.scheduled=True',
        '>>> t2.scheduled',
        'True',
        't3 current=t3, runcount=3, main.scheduled=True',
        't2 current=t2, runcount=3, main.scheduled=True',
      ].join('\n'),
    );
  });
});
