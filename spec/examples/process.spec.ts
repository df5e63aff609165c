// Cross-language conformance for child processes: examples/process.ts (twistless) and
// examples/python/process.py (Twisted's process howto listing) spawn the same `wc` child, write to
// it, close its stdin, and must print the same ProcessProtocol events in an order Twisted's
// contract allows; twistless's trace is deterministic and equals Twisted's usual one.
// Needs a python3 with Twisted (CI installs it; TWISTLESS_PYTHON chooses the interpreter);
// without one, only the twistless side is checked against the expected trace.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findPython, root } from './pairs.js';

const run = promisify(execFile);

const python = findPython('process.spec.ts');

// The usual trace of Twisted's listing on Linux (wc's 24 bytes arrive in one read); twistless gives it every time.
const expected = [
  'connectionMade!',
  'inConnectionLost! stdin is closed! (we probably did it)',
  'outReceived! with 24 bytes!',
  'outConnectionLost! The child closed their stdout!',
  'I saw 40 lines',
  'errConnectionLost! The child closed their stderr.',
  'processExited, status 0',
  'processEnded, status 0',
  'quitting',
];

describe('examples/process (the process howto listing)', function () {
  this.timeout(60000);

  it('twistless prints the ProcessProtocol event trace of Twisted\'s listing', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(root, 'examples', 'process.ts')], { cwd: root, timeout: 40000 });
    expect(stdout.trimEnd().split('\n')).to.deep.equal(expected);
  });

  it(`Twisted's listing prints the same events, in an order its contract allows, as twistless${python === null ? ' (no python3 with Twisted here: skipped the Python side)' : ''}`, async () => {
    const ts = (await run(process.execPath, ['--import', 'tsx', join(root, 'examples', 'process.ts')], { cwd: root, timeout: 40000 })).stdout.trimEnd().split('\n');
    checkContract(ts);
    if (python === null) return;
    const py = (await run(python, [join(root, 'examples', 'python', 'process.py')], { cwd: root, timeout: 40000 })).stdout.trimEnd().split('\n');
    checkContract(py);
    expect([...ts].sort()).to.deep.equal([...py].sort());
  });
});

/**
 * What Twisted promises about the order (its own trace varies under load: the end of stdout, of
 * stderr and the exit are noticed in whatever order the poller reports them): connectionMade
 * first; stdin lost before the output (the listing closes it in connectionMade and wc only writes
 * at the end of its input); the output before stdout is lost; processEnded after everything.
 */
function checkContract(lines: string[]): void {
  expect(lines[0]).to.equal('connectionMade!');
  expect(lines.slice(-2)).to.deep.equal(['processEnded, status 0', 'quitting']);
  const at = (l: string): number => lines.indexOf(l);
  expect(at('inConnectionLost! stdin is closed! (we probably did it)')).to.be.lessThan(at('outReceived! with 24 bytes!'));
  expect(at('outReceived! with 24 bytes!')).to.be.lessThan(at('outConnectionLost! The child closed their stdout!'));
  expect(at('I saw 40 lines')).to.equal(at('outConnectionLost! The child closed their stdout!') + 1);
  expect(at('processExited, status 0')).to.be.greaterThan(0);
  expect(at('errConnectionLost! The child closed their stderr.')).to.be.greaterThan(0);
  expect(lines).to.have.lengthOf(9);
}
