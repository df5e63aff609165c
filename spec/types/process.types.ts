// Type-level spec of spawnProcess, ProcessProtocol and twistless/utils: checked by `tsc --noEmit`
// (never run). Every line below an expect-error directive must stay a type error; the Equals
// checks pin inferred types.
import type { Deferred } from '../../lib/defer/index.js';
import { ProcessProtocol } from '../../lib/protocol/index.js';
import type { IProcessTransport } from '../../lib/protocol/index.js';
import { reactor, type Process } from '../../lib/reactor/index.js';
import { getProcessOutput, getProcessOutputAndValue, getProcessValue } from '../../lib/utils/index.js';

type Equals<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_ok?: T): void {}

function typeChecks(): void {
  const t = reactor.spawnProcess(new ProcessProtocol(), '/bin/true', ['true'], { env: { A: 'b' }, childFDs: { 0: 'w', 1: 'r', 3: 4 } });
  assertType<Equals<typeof t, Process>>();
  const asInterface: IProcessTransport = t;
  void asInterface;
  t.signalProcess('TERM');
  t.signalProcess(10);
  // @ts-expect-error: Twisted's names go without SIG
  t.signalProcess('SIGTERM');
  // @ts-expect-error: the working directory is `path`
  reactor.spawnProcess(new ProcessProtocol(), 'x', ['x'], { cwd: '/' });
  // @ts-expect-error: environment values are strings
  reactor.spawnProcess(new ProcessProtocol(), 'x', ['x'], { env: { A: 1 } });
  // @ts-expect-error: a childFDs target is 'r', 'w' or a descriptor number
  reactor.spawnProcess(new ProcessProtocol(), 'x', ['x'], { childFDs: { 0: 'rw' } });
  // @ts-expect-error: bytes, not strings
  t.write('text');

  const _out = getProcessOutput('/bin/echo', ['x']);
  assertType<Equals<typeof _out, Deferred<Buffer>>>();
  const _value = getProcessValue('/bin/true');
  assertType<Equals<typeof _value, Deferred<number | null>>>();
  const _all = getProcessOutputAndValue('/bin/true', [], { stdinBytes: Buffer.from('x') });
  assertType<Equals<typeof _all, Deferred<[Buffer, Buffer, number]>>>();
  // @ts-expect-error: errortoo belongs to getProcessOutput
  getProcessValue('/bin/true', [], { errortoo: true });
}
void typeChecks;
