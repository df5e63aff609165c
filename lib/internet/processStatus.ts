// Port of the signal names and wait statuses of twisted.internet.process (Twisted 22.4): the
// signals signalProcess translates, and the reason (ProcessDone or ProcessTerminated) a child's
// exit gives. Covered by spec/internet/process.spec.ts and spec/internet/processTests.spec.ts.
import { constants as osConstants } from 'node:os';
import { ProcessDone, ProcessTerminated } from '../error/connectionErrors.js';
import { UnknownSignalError } from '../error/process.js';
import type { ProcessSignal } from '../protocol/processInterfaces.js';

// The names Twisted's signalProcess translates; any other signal is given by number.
const SIGNAL_NAMES: Readonly<Record<string, number>> = {
  HUP: osConstants.signals.SIGHUP,
  STOP: osConstants.signals.SIGSTOP,
  INT: osConstants.signals.SIGINT,
  KILL: osConstants.signals.SIGKILL,
  TERM: osConstants.signals.SIGTERM,
};

/** @internal The reason a wait status gives: ProcessDone for exit code 0, else ProcessTerminated. Port of `_BaseProcess._getReason`. */
export function reasonForStatus(status: number): ProcessDone | ProcessTerminated {
  const signal = status & 0x7f;
  const exitCode = signal === 0 ? (status >> 8) & 0xff : null;
  if (signal !== 0) return new ProcessTerminated(null, signal, status);
  if (exitCode !== 0) return new ProcessTerminated(exitCode, null, status);
  return new ProcessDone(status);
}

/** @internal The raw wait status of Node's exit event (a signal number, or the exit code shifted left by 8). */
export function waitStatus(code: number | null, signal: NodeJS.Signals | null): number {
  if (signal !== null) return (osConstants.signals as Record<string, number>)[signal] ?? 0;
  return ((code ?? 0) & 0xff) << 8;
}

/**
 * The signal number `signalProcess` sends for `signalID`: Twisted's names without SIG, or a number.
 * @throws UnknownSignalError for any other name or value.
 * @internal
 */
export function signalNumber(signalID: ProcessSignal): number {
  if (typeof signalID === 'number' && Number.isInteger(signalID) && signalID >= 0) return signalID;
  if (typeof signalID === 'string' && Object.prototype.hasOwnProperty.call(SIGNAL_NAMES, signalID)) return SIGNAL_NAMES[signalID]!;
  throw new UnknownSignalError(
    `signalProcess: unknown signal ${JSON.stringify(signalID)}; give 'HUP', 'STOP', 'INT', 'KILL' or 'TERM' (without SIG), or a signal number`,
  );
}
