// Port of the posix reactor's spawnProcess (Twisted 22.4): check the arguments
// (spawnArguments.ts), start the child with Node's child_process, and wire its descriptors to a
// Process transport (process.ts). Covered by spec/internet/process.spec.ts
// (internet/test/test_process.py) and spec/internet/processTests.spec.ts (twisted/test/test_process.py).
//
// How Node's spawn is called (each line is a Node trap this avoids):
// - the environment defaults to an EMPTY one, as Twisted's spawnProcess does (Node inherits);
// - args[0] is argv[0] (Node takes it apart, as `argv0`);
// - readers use 'readable' + read(), never 'data': Node resumes every flowing-mode stdio stream
//   when the child exits, which would undo pauseProducing();
// - a failed exec (ENOENT, EACCES, EPERM for uid/gid) is an 'error' event in Node and no child;
//   the Process then ends as Twisted's does: a message on stderr, every descriptor lost, exit code 1.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { CONNECTION_DONE } from '../error/errors.js';
import { ConnectionLost } from '../error/connectionErrors.js';
import { Failure } from '../failure/failure.js';
import type { IProcessProtocol, SpawnProcessOptions } from '../protocol/processInterfaces.js';
import { logFailure, selectablesOf, type IOReactor } from './base.js';
import { Process } from './process.js';
import { Pipe } from './processPipe.js';
import { checkSpawnArguments, type SpawnArguments } from './spawnArguments.js';

/** Start the child of `p` with Node's spawn, and wire its descriptors to `p`'s pipes. Port of `Process.__init__`'s fork. */
function startChild(p: Process, a: SpawnArguments): void {
const { executable, args, env, path, uid, gid, childFDs } = a;
  const fds = Object.keys(childFDs).map(Number);
  const top = fds.length === 0 ? 2 : Math.max(2, ...fds);
  const stdio: ('pipe' | 'ignore' | number)[] = [];
  for (let i = 0; i <= top; i++) {
    const target = childFDs[i];
    stdio.push(target === undefined ? 'ignore' : target === 'r' || target === 'w' ? 'pipe' : target);
  }
  let child: ChildProcess;
  try {
    child = spawn(executable, args.slice(1), {
      argv0: args.length > 0 ? args[0] : executable,
      env,
      cwd: path,
      uid,
      gid,
      stdio: stdio as StdioOptions,
      windowsHide: true,
    });
  } catch (e) {
    // A system error thrown at once (EPERM for uid/gid, E2BIG): the child "exits 1", as Twisted's.
    p._execFailed = true;
    for (const fd of fds) {
      const t = childFDs[fd];
      if (t === 'r' || t === 'w') p._pipes.set(fd, new Pipe(fd, t === 'r', null));
    }
    selectablesOf(p.reactor).add(p);
    p.reactor.callLater(0, () => p._failedExec(executable, args, e));
    return;
  }
  p._child = child;
  p.pid = child.pid ?? null;
  child.on('error', (err) => p._childError(executable, args, err));
  child.on('exit', (code, signal) => p._exited(code, signal));
  for (const fd of fds) {
    const target = childFDs[fd];
    if (target !== 'r' && target !== 'w') continue;
    const stream = child.stdio[fd] as Readable | Writable | null;
    if (stream === null || stream === undefined) continue;
    const pipe = new Pipe(fd, target === 'r', stream);
    p._pipes.set(fd, pipe);
    stream.on('error', (err: Error) => p._pipeLost(pipe, new Failure(new ConnectionLost(String(err.message)))));
    stream.on('close', () => p._pipeLost(pipe, new Failure(CONNECTION_DONE)));
    if (pipe.reading) {
      const r = stream as Readable;
      r.on('readable', () => p._readPipe(pipe));
      r.on('end', () => p._pipeLost(pipe, new Failure(CONNECTION_DONE)));
    } else {
      const w = stream as Writable;
      w.on('finish', () => p._pipeLost(pipe, new Failure(CONNECTION_DONE)));
      if (fd === 0) w.on('drain', () => p._stdin.drained());
    }
  }
  selectablesOf(p.reactor).add(p);
}

/**
 * Start `executable` as a child process and connect `processProtocol` to it. `args[0]` is the
 * child's argv[0] (the executable is looked up on the child's PATH). THE CHILD GETS AN EMPTY
 * ENVIRONMENT unless `env` is given (as Twisted does; Node inherits by default): pass
 * `{ env: process.env }` or `{ env: null }` to inherit. `protocol.makeConnection(process)` (so
 * `connectionMade`) runs before this returns. A missing executable is not an exception: as in
 * Twisted, the protocol gets a message on stderr and ends with `ProcessTerminated(exitCode=1)`.
 * Port of `reactor.spawnProcess`.
 *
 * @param reactor - the reactor
 * @param processProtocol - the protocol (a ProcessProtocol)
 * @param executable - the program
 * @param args - its argv, argv[0] first
 * @param options - env (default {}), path, uid, gid, childFDs (default { 0: 'w', 1: 'r', 2: 'r' })
 * @returns the process transport
 * @throws PTYNotSupportedError for `usePTY: true`
 * @throws InvalidProcessArgumentError for an argument of the wrong type
 */
export function spawnProcess(reactor: IOReactor, processProtocol: IProcessProtocol, executable: string, args: readonly string[] = [], options: SpawnProcessOptions = {}): Process {
  const a = checkSpawnArguments(executable, args, options);
  const p = new Process(reactor, processProtocol);
  startChild(p, a);
  try {
    processProtocol.makeConnection(p);
  } catch (e) {
    logFailure(e, 'unexpected error in makeConnection');
  }
  return p;
}
