// The bad-input errors of reactor.spawnProcess and the process transport that Twisted raises as a
// bare TypeError, KeyError or ValueError (or not at all), as named classes. Port of nothing in
// twisted.internet.error; the process errors Twisted names (ProcessDone, ProcessTerminated,
// ProcessExitedAlready) live in errors.ts. Covered by spec/internet/process.spec.ts.

/**
 * `spawnProcess` was asked for a pseudo-terminal (`usePTY`). Node's core has no PTY support (it
 * needs a native add-on), so twistless refuses rather than silently giving pipes.
 *
 * @example
 * ```ts no-run
 * reactor.spawnProcess(pp, '/bin/sh', ['sh'], { usePTY: true }); // throws PTYNotSupportedError
 * ```
 */
export class PTYNotSupportedError extends Error {
  constructor() {
    super('spawnProcess: usePTY is not supported (Node has no pseudo-terminals in its core); use pipes (leave usePTY unset)');
  }
}
PTYNotSupportedError.prototype.name = 'PTYNotSupportedError';

/**
 * An argument of `spawnProcess` (or of an endpoint or `twistless/utils` call that spawns) has the
 * wrong type: an executable or argument that is not a string, an environment value that is not a
 * string, a childFDs target other than 'r', 'w' or a descriptor number. Twisted raises a TypeError
 * (or an AssertionError for childFDs).
 *
 * @example
 * ```ts no-run
 * reactor.spawnProcess(pp, 'true', ['true'], { env: { A: 1 as never } }); // throws InvalidProcessArgumentError
 * ```
 */
export class InvalidProcessArgumentError extends TypeError {}
InvalidProcessArgumentError.prototype.name = 'InvalidProcessArgumentError';

/**
 * `signalProcess` got a signal it does not know: Twisted translates only 'HUP', 'STOP', 'INT',
 * 'KILL' and 'TERM' (without the SIG prefix); pass any other signal as its number
 * (`os.constants.signals.SIGUSR1`).
 *
 * @example
 * ```ts no-run
 * transport.signalProcess('SIGTERM'); // throws UnknownSignalError: say 'TERM'
 * ```
 */
export class UnknownSignalError extends TypeError {}
UnknownSignalError.prototype.name = 'UnknownSignalError';

/**
 * `writeToChild(fd, data)` named a child descriptor the parent does not write to (not given as
 * 'w' in childFDs, or already closed). Twisted raises KeyError.
 *
 * @example
 * ```ts no-run
 * transport.writeToChild(3, Buffer.from('x')); // throws NoSuchChildFDError when fd 3 is not 'w'
 * ```
 */
export class NoSuchChildFDError extends RangeError {
  /** The child descriptor asked for. */
  readonly childFD: number;
  constructor(childFD: number) {
    super(`writeToChild: the child's descriptor ${String(childFD)} is not a pipe this process writes to (give it as 'w' in childFDs, and write before closing it)`);
    this.childFD = childFD;
  }
}
NoSuchChildFDError.prototype.name = 'NoSuchChildFDError';
