// Port of twisted.protocols.loopback (Twisted 22.4): loopbackAsync with its queues, transports
// and pump policies (LoopbackRelay is in loopbackRelay.ts). loopbackTCP/loopbackUNIX (the same
// over real sockets) are not ported. Covered by spec/testing/loopback.spec.ts (LoopbackAsyncTests).
import { Deferred } from '../defer/deferred.js';
import { succeed } from '../defer/helpers.js';
import type { IReactorTime } from '../defer/interfaces.js';
import { CONNECTION_DONE } from '../error/errors.js';
import { Failure } from '../failure/failure.js';
import { ProducerRegisteredError } from '../internet/errors.js';
import { checkBytes } from '../protocol/errors.js';
import type { IAddress } from '../address/address.js';
import type { IConsumer, IProtocol, IPullProducer, IPushProducer, ITransport } from '../protocol/interfaces.js';
import { reactor as globalReactor } from '../reactor/reactor.js';
import { deferLater } from '../task/deferLater.js';
import { NoProducerError } from './errors.js';
import { IdentityAddress } from './identityAddress.js';

/**
 * The queue of bytes one side of a `loopbackAsync` connection wrote: chunks, then null once the
 * side called `loseConnection()`. A pump policy empties it with `get()` while `length > 0`.
 *
 * Port of `twisted.protocols.loopback._LoopbackQueue` (Python's truth test is `length > 0`).
 *
 * @example
 * ```ts no-run
 * while (queue.length > 0) { const chunk = queue.get(); if (chunk === null) break; target.dataReceived(chunk); }
 * ```
 */
export class LoopbackQueue {
  /** True once the writing side called `loseConnection()`. */
  disconnect: boolean;
  /** @internal the items; taken from `_head` on (no shift()). */
  _items: (Buffer | null)[];
  /** @internal */
  _head: number;
  /** @internal fired (and cleared) by the next put(). */
  _notificationDeferred: Deferred<void> | null;

  constructor() {
    this.disconnect = false;
    this._items = [];
    this._head = 0;
    this._notificationDeferred = null;
  }

  /** How many items are waiting. */
  get length(): number {
    return this._items.length - this._head;
  }

  /**
   * Add a chunk (or null, the end) and wake the loop waiting for one. Port of `_LoopbackQueue.put`.
   *
   * @param v - bytes, or null.
   */
  put(v: Buffer | null): void {
    this._items.push(v);
    const d = this._notificationDeferred;
    if (d !== null) {
      this._notificationDeferred = null;
      d.callback(undefined);
    }
  }

  /**
   * Take the oldest item. Port of `_LoopbackQueue.get`.
   *
   * @returns a chunk, or null for the end of the stream (also when the queue is empty).
   */
  get(): Buffer | null {
    if (this._head >= this._items.length) return null;
    const v = this._items[this._head];
    this._items[this._head++] = null;
    if (this._head === this._items.length) {
      this._items = [];
      this._head = 0;
    }
    return v;
  }
}

/** The address of either end of a loopbackAsync connection. Port of `_LoopbackAddress`. */
export class LoopbackAddress extends IdentityAddress {
  constructor() {
    super('LoopbackAddress');
  }
}

/**
 * The transport of each side of a `loopbackAsync` connection: writes go to the queue the other
 * side reads. Port of `twisted.protocols.loopback._LoopbackTransport`.
 */
export class LoopbackTransport implements ITransport, IConsumer {
  /** Always false (as Twisted's: `loseConnection()` marks the queue instead). */
  disconnecting: boolean;
  /** The registered producer, or null. */
  producer: IPushProducer | IPullProducer | null;
  /** True when the producer is a push producer. */
  streamingProducer: boolean;
  /** The queue this side writes to. */
  readonly q: LoopbackQueue;

  /** @param q - the queue this side writes to. */
  constructor(q: LoopbackQueue) {
    this.disconnecting = false;
    this.producer = null;
    this.streamingProducer = false;
    this.q = q;
  }

  /**
   * Queue a copy of `data` for the other side.
   *
   * @throws DataNotBytesError for a string or other non-bytes value.
   */
  write(data: Uint8Array): void {
    checkBytes('loopback transport write()', data);
    this.q.put(Buffer.from(data));
  }

  /**
   * Queue the chunks' concatenation.
   *
   * @throws DataNotBytesError when `data` is a string or a chunk is not bytes (nothing is queued).
   */
  writeSequence(data: Iterable<Uint8Array>): void {
    if (typeof data === 'string') checkBytes('loopback transport writeSequence()', data);
    const chunks = Array.from(data);
    for (const chunk of chunks) checkBytes('loopback transport writeSequence() chunk', chunk);
    this.q.put(Buffer.concat(chunks));
  }

  /** Mark the end of this side's stream; the loop then closes the connection. */
  loseConnection(): void {
    this.q.disconnect = true;
    this.q.put(null);
  }

  /** The same as `loseConnection()`. */
  abortConnection(): void {
    this.loseConnection();
  }

  /** A new `LoopbackAddress`. */
  getPeer(): IAddress {
    return new LoopbackAddress();
  }

  /** A new `LoopbackAddress`. */
  getHost(): IAddress {
    return new LoopbackAddress();
  }

  /**
   * Register a producer; a pull producer is resumed now and whenever this side's queue is drained.
   *
   * @throws ProducerRegisteredError when one is registered already (Twisted asserts).
   */
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    if (this.producer !== null) {
      throw new ProducerRegisteredError(
        `Cannot register producer ${String(producer)}, because producer ${String(this.producer)} was never unregistered: ` +
          'call unregisterProducer() first',
      );
    }
    this.producer = producer;
    this.streamingProducer = streaming;
    this._pollProducer();
  }

  /**
   * Forget the producer.
   *
   * @throws NoProducerError when none is registered (Twisted asserts).
   */
  unregisterProducer(): void {
    if (this.producer === null) throw new NoProducerError('loopback transport unregisterProducer(): no producer is registered');
    this.producer = null;
  }

  /** @internal resume a pull producer. */
  _pollProducer(): void {
    if (this.producer !== null && !this.streamingProducer) this.producer.resumeProducing();
  }
}

/**
 * Empties `queue` into `target`: called with a side's queue and the other side's protocol.
 * `identityPumpPolicy` and `collapsingPumpPolicy` are the two Twisted offers.
 */
export type PumpPolicy = (queue: LoopbackQueue, target: IProtocol) => void;

/**
 * Deliver each queued chunk as it was written, one `dataReceived` each, up to the end marker.
 * Port of `twisted.protocols.loopback.identityPumpPolicy`.
 *
 * @param queue - the queue to empty.
 * @param target - the protocol to deliver to.
 */
export function identityPumpPolicy(queue: LoopbackQueue, target: IProtocol): void {
  while (queue.length > 0) {
    const bytes = queue.get();
    if (bytes === null) break;
    target.dataReceived(bytes);
  }
}

/**
 * Deliver every queued chunk up to the end marker as one `dataReceived`.
 * Port of `twisted.protocols.loopback.collapsingPumpPolicy`.
 *
 * @param queue - the queue to empty.
 * @param target - the protocol to deliver to.
 */
export function collapsingPumpPolicy(queue: LoopbackQueue, target: IProtocol): void {
  const chunks: Buffer[] = [];
  while (queue.length > 0) {
    const chunk = queue.get();
    if (chunk === null) break;
    chunks.push(chunk);
  }
  if (chunks.length > 0) target.dataReceived(Buffer.concat(chunks));
}

/** Options of `loopbackAsync`. */
export interface LoopbackAsyncOptions {
  /** How queued bytes are delivered (default `identityPumpPolicy`). */
  pumpPolicy?: PumpPolicy;
  /**
   * The clock the loop waits on between rounds (default: the global reactor). With a `Clock`,
   * `clock.advance(0)` runs the next round. Not in Twisted (it always uses the reactor).
   */
  clock?: IReactorTime;
}

/**
 * Connect `server` and `client` in memory and move bytes between them until either side calls
 * `loseConnection()`; then both get `connectionLost(ConnectionDone)` and the returned Deferred
 * fires. `makeConnection` is called on the server, then the client, at once. Bytes are delivered
 * in rounds (server's first): a round delivers everything queued; when nothing was queued the
 * loop waits for the next write, then runs again on a later reactor turn, so `dataReceived` never
 * runs inside the `write` that sent its bytes.
 *
 * Port of `twisted.protocols.loopback.loopbackAsync`. The third argument is the pump policy, as
 * in Twisted, or an options object (`pumpPolicy`, `clock`).
 *
 * @param server - the server protocol.
 * @param client - the client protocol.
 * @param pumpPolicyOrOptions - `identityPumpPolicy` (default), `collapsingPumpPolicy`, your own,
 *   or `{ pumpPolicy?, clock? }`.
 * @returns a Deferred that fires (with undefined) once both sides were told of the close.
 * @example
 * ```ts
 * import { Protocol } from 'twistless/protocol';
 * import { loopbackAsync } from 'twistless/testing';
 *
 * class Echo extends Protocol {
 *   override dataReceived(data: Buffer) { this.transport!.write(data); }
 * }
 * class Ask extends Protocol {
 *   override connectionMade() { this.transport!.write(Buffer.from('ping')); }
 *   override dataReceived(data: Buffer) {
 *     console.log('answer:', data.toString());
 *     this.transport!.loseConnection();
 *   }
 * }
 * loopbackAsync(new Echo(), new Ask()).addCallback(() => console.log('closed')); // answer: ping, closed
 * ```
 */
export function loopbackAsync(
  server: IProtocol,
  client: IProtocol,
  pumpPolicyOrOptions: PumpPolicy | LoopbackAsyncOptions = identityPumpPolicy,
): Deferred<void> {
  const options: LoopbackAsyncOptions =
    typeof pumpPolicyOrOptions === 'function' ? { pumpPolicy: pumpPolicyOrOptions } : pumpPolicyOrOptions;
  const loop: Loop = {
    server,
    client,
    serverToClient: new LoopbackQueue(),
    clientToServer: new LoopbackQueue(),
    pumpPolicy: options.pumpPolicy ?? identityPumpPolicy,
    clock: options.clock ?? globalReactor,
  };
  server.makeConnection(new LoopbackTransport(loop.serverToClient));
  client.makeConnection(new LoopbackTransport(loop.clientToServer));
  return loopbackAsyncBody(loop);
}

interface Loop {
  server: IProtocol;
  client: IProtocol;
  serverToClient: LoopbackQueue;
  clientToServer: LoopbackQueue;
  pumpPolicy: PumpPolicy;
  clock: IReactorTime;
}

/** Deliver `q` to `target`; when that drained it, let `source`'s pull producer write more. */
function pump(loop: Loop, source: IProtocol, q: LoopbackQueue, target: IProtocol): boolean {
  let sent = false;
  if (q.length > 0) {
    loop.pumpPolicy(q, target);
    sent = true;
  }
  if (sent && q.length === 0) {
    const transport = (source as { transport?: unknown }).transport;
    if (transport instanceof LoopbackTransport) transport._pollProducer();
  }
  return sent;
}

/** Twisted's `_loopbackAsyncBody`: rounds until both queues are quiet, or one side closed. */
function loopbackAsyncBody(loop: Loop): Deferred<void> {
  const { server, client, serverToClient, clientToServer } = loop;
  while (true) {
    const serverSent = pump(loop, server, serverToClient, client);
    const clientSent = pump(loop, client, clientToServer, server);
    if (!clientSent && !serverSent) {
      // Nothing moved: wait for a write, then go on from a later turn (never inside write()).
      const d = new Deferred<void>();
      clientToServer._notificationDeferred = d;
      serverToClient._notificationDeferred = d;
      return d.addCallback(() => {
        clientToServer._notificationDeferred = null;
        serverToClient._notificationDeferred = null;
        return deferLater(loop.clock, 0, loopbackAsyncBody, loop);
      }) as unknown as Deferred<void>;
    }
    let disconnect = false;
    if (serverToClient.disconnect) {
      disconnect = true;
      pump(loop, server, serverToClient, client);
    } else if (clientToServer.disconnect) {
      disconnect = true;
      pump(loop, client, clientToServer, server);
    }
    if (disconnect) {
      server.connectionLost(new Failure(CONNECTION_DONE));
      client.connectionLost(new Failure(CONNECTION_DONE));
      return succeed(undefined);
    }
  }
}
