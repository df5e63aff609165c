// Port of twisted.protocols.basic._PauseableMixin (Twisted 22.4): a receiver that is also its
// transport's push producer. Covered by spec/basic/lineReceiver.spec.ts (ProducerTests).
import type { ITransport } from '../protocol/interfaces.js';

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
