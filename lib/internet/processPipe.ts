// Port of the parent-side descriptor ends of twisted.internet.process (Twisted 22.4):
// ProcessReader/ProcessWriter as one Pipe record, and the producer half of ProcessWriter (a
// producer on the child's standard input, driven by the pipe's flow). The Process transport that
// owns them is in process.ts. Covered by spec/internet/process.spec.ts and
// spec/internet/processTests.spec.ts.
import type { Readable, Writable } from 'node:stream';
import type { IPullProducer, IPushProducer } from '../protocol/interfaces.js';
import { logFailure } from './base.js';
import { ProducerRegisteredError } from './errors.js';

/** @internal One parent-side end of a child descriptor. Port of `ProcessReader` / `ProcessWriter`. */
export class Pipe {
  readonly childFD: number;
  readonly reading: boolean;
  /** The Node stream (null when the exec failed before Node made one). */
  readonly stream: Readable | Writable | null;
  /** loseConnection() was called (a writer ends once its buffer is written). */
  disconnecting: boolean;
  /** connectionLost ran. */
  disconnected: boolean;
  constructor(childFD: number, reading: boolean, stream: Readable | Writable | null) {
    this.childFD = childFD;
    this.reading = reading;
    this.stream = stream;
    this.disconnecting = false;
    this.disconnected = false;
  }
}

/**
 * @internal The producer registered on a child's standard input: a push producer is paused when
 * a write fills the pipe and resumed on 'drain'; a pull producer is asked for more while the pipe
 * has room. Port of the producer half of Twisted's ProcessWriter (its FileDescriptor base).
 */
export class StdinProducer {
  /** The producer, or null. */
  producer: IPushProducer | IPullProducer | null;
  /** True for a push producer. */
  streaming: boolean;
  /** True while a push producer is paused because the pipe is full. */
  paused: boolean;
  /** The stdin pipe now (it goes away when lost). */
  private readonly _stdin: () => Pipe | undefined;

  constructor(stdin: () => Pipe | undefined) {
    this.producer = null;
    this.streaming = false;
    this.paused = false;
    this._stdin = stdin;
  }

  /** Port of `Process.registerProducer`: with no stdin, the producer is stopped at once. */
  register(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    const pipe = this._stdin();
    if (pipe === undefined || pipe.reading || pipe.disconnecting || pipe.stream === null) {
      producer.stopProducing();
      return;
    }
    if (this.producer !== null) {
      throw new ProducerRegisteredError(`Cannot register producer ${String(producer)}, because producer ${String(this.producer)} was never unregistered.`);
    }
    this.producer = producer;
    this.streaming = streaming;
    this.paused = false;
    if (!streaming) setImmediate(() => this.pullMore());
  }

  /** Port of `Process.unregisterProducer`. */
  unregister(): void {
    this.producer = null;
    this.paused = false;
  }

  /** A write to stdin filled the pipe: pause a push producer. */
  full(): void {
    if (this.producer === null || !this.streaming || this.paused) return;
    this.paused = true;
    try {
      (this.producer as IPushProducer).pauseProducing();
    } catch (e) {
      logFailure(e, 'while pausing the producer of a process');
    }
  }

  /** Ask a pull producer for more, again on the next turn, while the pipe has room. */
  pullMore(): void {
    const producer = this.producer;
    const pipe = this._stdin();
    if (producer === null || this.streaming || pipe === undefined || pipe.disconnecting) return;
    if ((pipe.stream as Writable).writableNeedDrain) return; // 'drain' asks again
    try {
      producer.resumeProducing();
    } catch (e) {
      logFailure(e, 'while asking the producer of a process for more');
      return;
    }
    setImmediate(() => this.pullMore());
  }

  /** The pipe drained: resume a paused push producer, or ask a pull producer for more. */
  drained(): void {
    const producer = this.producer;
    if (producer === null) return;
    if (!this.streaming) {
      this.pullMore();
    } else if (this.paused) {
      this.paused = false;
      try {
        (producer as IPushProducer).resumeProducing();
      } catch (e) {
        logFailure(e, 'while resuming the producer of a process');
      }
    }
  }

  /** Stdin is lost: stop the producer and forget it. */
  lost(): void {
    const producer = this.producer;
    if (producer === null) return;
    this.producer = null;
    try {
      producer.stopProducing();
    } catch (e) {
      logFailure(e, 'while stopping the producer of a process');
    }
  }
}
