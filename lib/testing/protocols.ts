// Port of AccumulatingProtocol, LineSendingProtocol, NonStreamingProducer and
// waitUntilAllDisconnected of twisted.internet.testing (Twisted 22.4). Covered by
// spec/testing/internetTesting.spec.ts (NonStreamingProducerTests and the specs of each double).
import { Deferred } from '../defer/deferred.js';
import type { IReactorTime } from '../defer/interfaces.js';
import type { Failure } from '../failure/failure.js';
import { LineReceiver } from '../basic/lineReceiver.js';
import { Protocol } from '../protocol/protocol.js';
import type { IConsumer, IProtocol, IPullProducer, ITransport } from '../protocol/interfaces.js';
import { LoopingCall } from '../task/loopingCall.js';
import { ProducerStateError } from './errors.js';

/**
 * A protocol that keeps what happens to it: `made`, `data` (every byte received), `closed` and
 * `closedReason`; it fires `closedDeferred` (when set) on `connectionLost`, and its factory's
 * `protocolConnectionMade` Deferred (when the factory has one) on `connectionMade`, with itself.
 *
 * Port of `twisted.internet.testing.AccumulatingProtocol` (`made` and `closed` are booleans
 * where Twisted uses 0 and 1).
 *
 * @example
 * ```ts
 * import { AccumulatingProtocol, StringTransport } from 'twistless/testing';
 *
 * const p = new AccumulatingProtocol();
 * p.makeConnection(new StringTransport());
 * p.dataReceived(Buffer.from('ab'));
 * p.dataReceived(Buffer.from('c'));
 * console.log(p.made, p.data.toString()); // true abc
 * ```
 */
export class AccumulatingProtocol extends Protocol {
  /** True once `connectionMade` ran. */
  made: boolean = false;
  /** True once `connectionLost` ran. */
  closed: boolean = false;
  /** The reason given to `connectionLost`, or null. */
  closedReason: Failure | null = null;
  /** Fired with undefined (and cleared) by `connectionLost` when set. */
  closedDeferred: Deferred<void> | null = null;
  /** Every byte received, in order. */
  data: Buffer = Buffer.alloc(0);

  /**
   * Set `made`; fire and clear the factory's `protocolConnectionMade` Deferred when it has one.
   * Port of `AccumulatingProtocol.connectionMade`.
   */
  override connectionMade(): void {
    this.made = true;
    const factory = this.factory as { protocolConnectionMade?: Deferred<AccumulatingProtocol> | null } | null;
    if (factory !== null && factory.protocolConnectionMade !== undefined && factory.protocolConnectionMade !== null) {
      const d = factory.protocolConnectionMade;
      factory.protocolConnectionMade = null;
      d.callback(this);
    }
  }

  /** Append `data` to `data`. Port of `AccumulatingProtocol.dataReceived`. */
  override dataReceived(data: Buffer): void {
    this.data = Buffer.concat([this.data, data]);
  }

  /**
   * Set `closed` and `closedReason`; fire and clear `closedDeferred` when set.
   * Port of `AccumulatingProtocol.connectionLost`.
   */
  override connectionLost(reason: Failure): void {
    this.closed = true;
    this.closedReason = reason;
    const d = this.closedDeferred;
    if (d !== null) {
      this.closedDeferred = null;
      d.callback(undefined);
    }
  }
}

/**
 * A line protocol that sends `lines`: all of them in `connectionMade` (with `start`, the
 * default), or else all of them in answer to the first line it receives. It keeps every line
 * received in `response`, and sets `lostConn` on `connectionLost`.
 *
 * Port of `twisted.internet.testing.LineSendingProtocol`. With `start` false, Twisted's appends
 * the last of its own lines to `response` instead of the first line received (a loop variable
 * reused in Python 3); this one keeps the received line.
 *
 * @example
 * ```ts
 * import { LineSendingProtocol, StringTransport } from 'twistless/testing';
 *
 * const p = new LineSendingProtocol([Buffer.from('HELO'), Buffer.from('QUIT')]);
 * const t = new StringTransport();
 * p.makeConnection(t);
 * p.dataReceived(Buffer.from('250 ok\r\n'));
 * console.log(JSON.stringify(t.value().toString()), p.response.map(String)); // "HELO\r\nQUIT\r\n" [ '250 ok' ]
 * ```
 */
export class LineSendingProtocol extends LineReceiver {
  /** The lines still to send. */
  lines: Buffer[];
  /** Every line received, in order. */
  response: Buffer[];
  /** Send in `connectionMade` (true) or in answer to the first line (false). */
  start: boolean;
  /** True once `connectionLost` ran. */
  lostConn: boolean;

  /**
   * @param lines - the lines to send (copied).
   * @param start - send them at once (default true).
   */
  constructor(lines: readonly Uint8Array[], start: boolean = true) {
    super();
    this.lines = lines.map((line) => Buffer.from(line));
    this.response = [];
    this.start = start;
    this.lostConn = false;
  }

  /** With `start`, send every line. Port of `LineSendingProtocol.connectionMade`. */
  override connectionMade(): void {
    if (this.start) for (const line of this.lines) this.sendLine(line);
  }

  /**
   * Without `start`, send every line (once); keep `line` in `response`.
   * Port of `LineSendingProtocol.lineReceived`.
   */
  override lineReceived(line: Buffer): void {
    if (!this.start) {
      for (const toSend of this.lines) this.sendLine(toSend);
      this.lines = [];
    }
    this.response.push(line);
  }

  /** Set `lostConn`. Port of `LineSendingProtocol.connectionLost`. */
  override connectionLost(reason: Failure): void {
    void reason;
    this.lostConn = true;
  }
}

/**
 * A pull producer that writes `'0'`, `'1'`, ... `'9'` to its consumer, one per
 * `resumeProducing()`, then unregisters itself and fires `result`. `stopProducing()` sets
 * `stopped` and fires `result` too.
 *
 * Port of `twisted.internet.testing.NonStreamingProducer`.
 *
 * @example
 * ```ts
 * import { NonStreamingProducer, StringTransport } from 'twistless/testing';
 *
 * const transport = new StringTransport();
 * const producer = new NonStreamingProducer(transport);
 * transport.registerProducer(producer, false);
 * while (transport.producer !== null) producer.resumeProducing();
 * console.log(transport.value().toString()); // 0123456789
 * ```
 */
export class NonStreamingProducer implements IPullProducer {
  /** The consumer, until done (then null). */
  consumer: IConsumer | null;
  /** How many chunks were written. */
  counter: number;
  /** True once `stopProducing()` was called. */
  stopped: boolean;
  /** Fires with undefined when ten chunks were written or production was stopped. */
  readonly result: Deferred<void>;

  /**
   * @param consumer - where to write (register this producer on it yourself, not streaming).
   */
  constructor(consumer: IConsumer) {
    this.consumer = consumer;
    this.counter = 0;
    this.stopped = false;
    this.result = new Deferred<void>();
  }

  /**
   * Write the next digit; after the tenth, unregister from the consumer and fire `result`.
   * Port of `NonStreamingProducer.resumeProducing`.
   *
   * @throws ProducerStateError ("BUG: resume after unregister/stop.") once done or stopped.
   */
  resumeProducing(): void {
    const consumer = this.consumer;
    if (consumer === null || this.counter >= 10) {
      throw new ProducerStateError('BUG: resume after unregister/stop.: NonStreamingProducer has written its 10 chunks or was stopped');
    }
    consumer.write(Buffer.from(String(this.counter)));
    this.counter += 1;
    if (this.counter === 10) {
      consumer.unregisterProducer();
      this._done();
    }
  }

  /**
   * A pull producer is never paused. Port of `NonStreamingProducer.pauseProducing`.
   *
   * @throws ProducerStateError ("BUG: pause should never be called.") always.
   */
  pauseProducing(): void {
    throw new ProducerStateError('BUG: pause should never be called.: NonStreamingProducer is a pull producer (register it with streaming false)');
  }

  /** Set `stopped` and fire `result` (once). Port of `NonStreamingProducer.stopProducing`. */
  stopProducing(): void {
    this.stopped = true;
    this._done();
  }

  /** @internal forget the consumer and fire result, once. */
  _done(): void {
    this.consumer = null;
    if (!this.result.called) this.result.callback(undefined);
  }
}

/**
 * A Deferred that fires once every protocol's transport has `connected` false, checking every
 * 0.01 seconds on `reactor` (a `LoopingCall`). Port of
 * `twisted.internet.testing.waitUntilAllDisconnected`.
 *
 * @param reactor - the clock to check on (the reactor, or a `Clock` in a test).
 * @param protocols - protocols whose transports are closing.
 * @returns a Deferred firing when all are disconnected.
 * @example
 * ```ts no-run
 * await waitUntilAllDisconnected(reactor, [client, server]);
 * ```
 */
export function waitUntilAllDisconnected(reactor: IReactorTime, protocols: readonly IProtocol[]): Deferred<void> {
  const check = (): void => {
    const stillConnected = protocols.some((p) => {
      const t = (p as { transport?: ITransport | null }).transport as { connected?: unknown } | null | undefined;
      return t !== null && t !== undefined && Boolean(t.connected);
    });
    if (!stillConnected) loop.stop();
  };
  const loop = new LoopingCall(check);
  loop.clock = reactor;
  return loop.start(0.01, true).addCallback(() => undefined);
}
