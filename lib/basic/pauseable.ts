// Port of twisted.protocols.basic._PauseableMixin (Twisted 22.4): a receiver that is also its
// transport's push producer. LineReceiver and IntNStringReceiver extend it. Covered by
// spec/basic/lineReceiver.spec.ts (ProducerTests) and spec/basic/intNStringReceiver.spec.ts.
import { Protocol } from '../protocol/protocol.js';
import type { IPushProducer, ITransport } from '../protocol/interfaces.js';

const EMPTY = Buffer.alloc(0);

/** A transport as the receivers see it: maybe a push producer, maybe disconnecting. */
export type ReceiverTransport = ITransport & {
  disconnecting?: boolean;
  pauseProducing?: () => void;
  resumeProducing?: () => void;
  stopProducing?: () => void;
};

/**
 * The receiver's transport has no `pauseProducing`/`resumeProducing`/`stopProducing`, or there
 * is no transport yet. Port of the AttributeError Python raises there.
 *
 * @example
 * ```ts no-run
 * new LineReceiver().pauseProducing(); // throws TransportNotProducerError (no transport)
 * ```
 */
export class TransportNotProducerError extends TypeError {
  constructor(method: string, hasTransport: boolean) {
    super(
      hasTransport
        ? `${method}(): the transport has no ${method}() method; a receiver pauses by pausing its transport, so give it a transport that is a push producer`
        : `${method}(): the protocol has no transport yet; call it after makeConnection()`,
    );
    this.name = 'TransportNotProducerError';
  }
}

/** Call the transport's producer method `method`, or throw TransportNotProducerError. */
export function callTransport(transport: ITransport | null, method: 'pauseProducing' | 'resumeProducing' | 'stopProducing'): void {
  const t = transport as ReceiverTransport | null;
  const fn = t === null ? undefined : t[method];
  if (typeof fn !== 'function') throw new TransportNotProducerError(method, t !== null);
  fn.call(t);
}

/**
 * A receiver that is its transport's push producer: pausing it stops delivery and pauses the
 * transport; resuming resumes the transport and delivers what was buffered (by calling
 * `dataReceived` with no bytes). Port of `twisted.protocols.basic._PauseableMixin`; use it
 * through `LineReceiver` or `IntNStringReceiver`.
 *
 * @example
 * ```ts no-run
 * receiver.pauseProducing(); // nothing more reaches lineReceived until resumeProducing()
 * ```
 */
export abstract class PauseableReceiver extends Protocol implements IPushProducer {
  /** True while paused with `pauseProducing()`. */
  paused: boolean = false;

  /** Stop delivering, and pause the transport. Port of `_PauseableMixin.pauseProducing`. */
  pauseProducing(): void {
    this.paused = true;
    callTransport(this.transport, 'pauseProducing');
  }

  /** Resume the transport and deliver what is buffered. Port of `_PauseableMixin.resumeProducing`. */
  resumeProducing(): void {
    this.paused = false;
    callTransport(this.transport, 'resumeProducing');
    this.dataReceived(EMPTY);
  }

  /** Stop for good: the transport's `stopProducing()`. Port of `_PauseableMixin.stopProducing`. */
  stopProducing(): void {
    this.paused = true;
    callTransport(this.transport, 'stopProducing');
  }
}
