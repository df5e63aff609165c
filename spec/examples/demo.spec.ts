// The demo (`npm start`, examples/demo.ts) over real TCP on 127.0.0.1: its deterministic parts,
// checked once in this process on the reactor and once run as `npm start` runs it. The lines of
// different subscribers may interleave differently from run to run; each one's own lines, each
// event's lines after its publication, and the summary may not.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { addObserver, removeObserver, type LogEvent } from '../../lib/log/index.js';
import { reactor } from '../../lib/reactor/index.js';
import { demo } from '../../examples/demo.js';

const root = join(__dirname, '..', '..');

const audit = (n: number): string => `  audit      #${n} checked (the slow subscriber, 0.4 s per event)`;

// One order the events can come in (the publisher's lines first, then each subscriber's).
const expectedEvents = `publish #1: alice buys 2 apple
  inventory  #1 apple 10 -> 8
  receipt    #1 alice: 2 x apple
${audit(1)}
publish #2: bob buys 1 pear
  inventory  #2 pear 3 -> 2
  receipt    #2 bob: 1 x pear
${audit(2)}
publish #3: carol buys 3 apple
  inventory  #3 apple 8 -> 5
  receipt    #3 carol: 3 x apple
${audit(3)}
publish #4: dave buys 1 plum
  receipt    #4 dave: 1 x plum
  publisher  #4 inventory refused it: no such product: plum (handled)
${audit(4)}
publish #5: erin buys 4 pear
  receipt    #5 erin: 4 x pear
  publisher  #5 inventory refused it: only 2 pear left, erin wants 4 (handled)
${audit(5)}
publish #6: frank buys 1 fig
  inventory  #6 fig 5 -> 4
  receipt    #6 frank: 1 x fig
${audit(6)}
publish #7: alice buys 1 pear
  inventory  #7 pear 2 -> 1
  receipt    #7 alice: 1 x pear
${audit(7)}
publish #8: bob buys 5 apple
  inventory  #8 apple 5 -> 0
  receipt    #8 bob: 5 x apple
${audit(8)}`.split('\n');

const expectedSummary = `summary: 8 events (each with a 2 MiB scan) published over TCP to 4 subscribers, each in its own event loop
  events handled per loop: receipt 8, tally 8, inventory 8, audit 8
  ordered by customer: alice 3, bob 6, carol 3, dave 1, erin 4, frank 1
  ordered by product:  apple 10, pear 6, plum 1, fig 1
  stock left:          apple 0, pear 1, fig 4
  most events a feed held back in the log: (checked apart)
  every connection and the port are closed`.split('\n');

/** Who printed a line: "publish", or the subscriber (or "publisher") named after the indent. */
function owner(line: string): string {
  return line.startsWith('publish ') ? 'publish' : line.trim().split(' ')[0]!;
}

/** Check a run's output: everything but the interleaving and the timing-dependent numbers. */
function checkOutput(output: string): void {
  const lines = output
    .trimEnd()
    .split('\n')
    .map((l) => l.replace(/^\[\d+\.\d{3}s\] /, ''));
  expect(lines[0]).to.match(/^publisher listening on 127\.0\.0\.1:[1-9]\d*$/);
  expect(lines[1]).to.equal('4 subscribers connected: receipt, tally, inventory, audit');
  const events = lines.slice(2, lines.length - expectedSummary.length);
  const summary = lines.slice(lines.length - expectedSummary.length);
  // How far a feed fell behind depends on the machine's socket buffers and timing.
  expect(summary[5]).to.match(/^ {2}most events a feed held back in the log: receipt \d+, tally \d+, inventory \d+, audit \d+$/);
  expect(summary.filter((_, i) => i !== 5)).to.deep.equal(expectedSummary.filter((_, i) => i !== 5));
  expect([...events].sort()).to.deep.equal([...expectedEvents].sort());
  for (const who of new Set(expectedEvents.map(owner))) {
    expect(events.filter((l) => owner(l) === who), `the lines of ${who}, in order`).to.deep.equal(expectedEvents.filter((l) => owner(l) === who));
  }
  for (const [i, line] of events.entries()) {
    const n = /#(\d+)/.exec(line)![1];
    expect(i, `"${line}" after its publication`).to.be.at.least(events.indexOf(events.find((l) => l.startsWith(`publish #${n}:`))!));
  }
}

describe('examples/demo.ts (npm start)', function () {
  it('publishes over TCP to four subscribers, each with its own event loop, and ends with the summary', async function () {
    this.timeout(30000);
    const logged: LogEvent[] = [];
    const observer = (e: LogEvent): void => void logged.push(e);
    addObserver(observer);
    const lines: string[] = [];
    let code: number;
    try {
      code = await demo(reactor, (line) => lines.push(line));
    } finally {
      removeObserver(observer);
    }
    expect(code).to.equal(0);
    checkOutput(lines.join('\n'));
    expect(logged.filter((e) => e.isError)).to.deep.equal([]);
  });

  it('runs as `npm start` does, prints the same and exits by itself with 0', async function () {
    this.timeout(60000);
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(root, 'examples', 'demo.ts')], { cwd: root, timeout: 50000 });
    checkOutput(stdout);
    expect(stderr).to.equal('');
  });
});
