// Port of twisted.internet.protocol.ProcessProtocol (Twisted 22.4).
// Covered by spec/protocol/process.spec.ts (ProcessProtocolTests of twisted/test/test_process.py).
import type { Failure } from '../failure/failure.js';
import type { IProcessProtocol, IProcessTransport } from './processInterfaces.js';
import { BaseProtocol } from './protocol.js';

/**
 * The base of a child process's protocol: override the hooks you need. `childDataReceived`
 * dispatches stdout to `outReceived` and stderr to `errReceived`; `childConnectionLost` dispatches
 * to `inConnectionLost`, `outConnectionLost` and `errConnectionLost`. The events come in Twisted's
 * order: `connectionMade`, data and descriptor losses, `processExited`, and `processEnded` last
 * (once the child exited AND every descriptor closed). Port of
 * `twisted.internet.protocol.ProcessProtocol`.
 *
 * @example
 * ```ts
 * import { ProcessProtocol } from 'twistless/protocol';
 * class Collect extends ProcessProtocol {
 *   out: Buffer[] = [];
 *   override outReceived(data: Buffer) { this.out.push(data); }
 * }
 * const p = new Collect();
 * p.childDataReceived(1, Buffer.from('hi'));
 * console.log(Buffer.concat(p.out).toString()); // hi
 * ```
 */
export class ProcessProtocol extends BaseProtocol implements IProcessProtocol {
  /** The process transport, once the child started; null before. */
  declare transport: IProcessTransport | null;

  /**
   * Attach the process transport, then call `connectionMade()`. Port of
   * `BaseProtocol.makeConnection` as a process calls it.
   *
   * @param process - the process transport
   */
  override makeConnection(process: IProcessTransport): void {
    super.makeConnection(process);
  }

  /**
   * Bytes from a child descriptor: 1 goes to `outReceived`, 2 to `errReceived`, others are
   * dropped (override this for extra descriptors). Port of `ProcessProtocol.childDataReceived`.
   *
   * @param childFD - the child's descriptor
   * @param data - the bytes
   */
  childDataReceived(childFD: number, data: Buffer): void {
    if (childFD === 1) this.outReceived(data);
    else if (childFD === 2) this.errReceived(data);
  }

  /** The child wrote to its standard output. Port of `ProcessProtocol.outReceived`. */
  outReceived(data: Buffer): void {
    void data;
  }

  /** The child wrote to its standard error. Port of `ProcessProtocol.errReceived`. */
  errReceived(data: Buffer): void {
    void data;
  }

  /**
   * A child descriptor closed: 0 goes to `inConnectionLost`, 1 to `outConnectionLost`, 2 to
   * `errConnectionLost`. Port of `ProcessProtocol.childConnectionLost`.
   *
   * @param childFD - the child's descriptor
   */
  childConnectionLost(childFD: number): void {
    if (childFD === 0) this.inConnectionLost();
    else if (childFD === 1) this.outConnectionLost();
    else if (childFD === 2) this.errConnectionLost();
  }

  /** The child's standard input closed. Port of `ProcessProtocol.inConnectionLost`. */
  inConnectionLost(): void {}

  /** The child's standard output closed. Port of `ProcessProtocol.outConnectionLost`. */
  outConnectionLost(): void {}

  /** The child's standard error closed. Port of `ProcessProtocol.errConnectionLost`. */
  errConnectionLost(): void {}

  /**
   * The child exited; descriptors may still be open. Port of `ProcessProtocol.processExited`.
   *
   * @param reason - a Failure of `ProcessDone` (exit code 0) or `ProcessTerminated`
   */
  processExited(reason: Failure): void {
    void reason;
  }

  /**
   * The child exited and all its descriptors closed: the last event. Port of
   * `ProcessProtocol.processEnded`.
   *
   * @param reason - a Failure of `ProcessDone` (exit code 0) or `ProcessTerminated`
   */
  processEnded(reason: Failure): void {
    void reason;
  }
}
