// `npm start`: the Observer pattern of the article "Stackless Event Loops", over real TCP.
//
// The publisher is a LineReceiver server on 127.0.0.1 (a free port, read back once bound); four
// subscribers connect to it. Every 0.25 s it publishes a shop event of examples/demo-events.txt
// as a line, followed by the receipt's scan (SCAN_BYTES of raw bytes, read in raw mode). Each
// subscriber hands each event to its handler, a ChannelProcessor per object, so each runs its
// own event loop: receipt prints, tally counts, inventory keeps the stock (it refuses a bad event
// by throwing; the refusal goes back to the publisher, which handles it), and audit is the slow
// one, 0.4 s per event. A subscriber reads nothing more while its handler works, so the unread
// scans back up through TCP. On the publisher's side each subscriber's feed is a push producer
// registered on its connection: the transport pauses it once the bytes waiting pass bufferSize,
// and the feed leaves the events in the publisher's log rather than buffering them. At the end
// every feed sends "end", each subscriber stops its loop and hangs up, the port closes, and a
// summary is printed; react() ends the program with exit code 0.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IPv4Address } from 'twistless/address';
import { LineReceiver } from 'twistless/basic';
import { channelProcessor, type ChannelProcessor } from 'twistless/channelProcessor';
import { Deferred, DeferredList, succeed } from 'twistless/defer';
import { connectProtocol, serverFromString, TCP4ClientEndpoint } from 'twistless/endpoints';
import type { Failure } from 'twistless/failure';
import { addObserver, formatEvent } from 'twistless/log';
import { Factory, type IPushProducer, type ITCPTransport } from 'twistless/protocol';
import type { Reactor } from 'twistless/reactor';
import { deferLater, LoopingCall, react } from 'twistless/task';

/** One shop event. */
export type ShopEvent = { n: number; customer: string; quantity: number; product: string };

/** What a subscriber refuses an event with. */
export class RefusedEvent extends Error {
  override name = 'RefusedEvent';
}

/** The events of examples/demo-events.txt. */
export function readEvents(file = join(__dirname, 'demo-events.txt')): ShopEvent[] {
  const events: ShopEvent[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^(\w+) buys (\d+) (\w+)$/.exec(line.trim());
    if (m) events.push({ n: events.length + 1, customer: m[1], quantity: Number(m[2]), product: m[3] });
  }
  return events;
}

/** Each event's receipt scan: more, over the run, than the kernel's socket buffers hold. */
export const SCAN_BYTES = 2 * 1024 * 1024;
const SCAN = Buffer.alloc(SCAN_BYTES, 's');
type Print = (line: string) => void;
type Transport = ITCPTransport;

// ------------------------------------------------------------------ the publisher (server side)

/** The publisher: the events published so far (its log), and one feed per subscriber. */
class Shop extends Factory<SubscriberConnection> {
  override noisy = false;
  readonly published: ShopEvent[] = [];
  readonly feeds: EventFeed[] = [];
  closed = false;
  readonly allSubscribed = new Deferred<void>();
  constructor(readonly subscribers: number, readonly print: Print) {
    super();
    this.protocol = SubscriberConnection;
  }
  /** Publish `e`, or with null say that no more will come. */
  publish(e: ShopEvent | null): void {
    if (e === null) this.closed = true;
    else this.published.push(e);
    if (e !== null) this.print(`publish #${e.n}: ${e.customer} buys ${e.quantity} ${e.product}`);
    for (const feed of this.feeds) feed.pump();
  }
}

/** The push producer of one subscriber's events, registered on its connection. */
class EventFeed implements IPushProducer {
  sent = 0;
  paused = false;
  mostBehind = 0;
  constructor(readonly name: string, readonly conn: SubscriberConnection, readonly shop: Shop) {}
  pauseProducing(): void {
    this.paused = true;
  }
  resumeProducing(): void {
    this.paused = false;
    this.pump();
  }
  stopProducing(): void {
    this.paused = true;
  }
  /** Write what the log holds beyond `sent` until the transport pauses us. */
  pump(): void {
    const log = this.shop.published;
    while (!this.paused && this.sent < log.length) {
      const e = log[this.sent++];
      this.conn.sendLine(Buffer.from(`event ${e.n} ${e.customer} ${e.quantity} ${e.product} ${SCAN_BYTES}`));
      this.conn.transport!.write(SCAN);
    }
    this.mostBehind = Math.max(this.mostBehind, log.length - this.sent);
    if (!this.paused && this.sent === log.length && this.shop.closed && this.conn.feed === this) {
      this.conn.feed = null;
      (this.conn.transport as Transport).unregisterProducer();
      this.conn.sendLine(Buffer.from('end'));
    }
  }
}

/** The publisher's end of one subscriber's connection. */
class SubscriberConnection extends LineReceiver {
  declare factory: Shop;
  feed: EventFeed | null = null;
  override lineReceived(line: Buffer): void {
    const [verb, name, ...rest] = line.toString().split(' ');
    const shop = this.factory;
    if (verb === 'subscribe') {
      this.feed = new EventFeed(name, this, shop);
      shop.feeds.push(this.feed);
      (this.transport as Transport).registerProducer(this.feed, true);
      if (shop.feeds.length === shop.subscribers) shop.allSubscribed.callback(undefined);
    } else if (verb === 'refused') {
      shop.print(`  publisher  #${name} ${rest[0]} refused it: ${rest.slice(1).join(' ')} (handled)`);
    }
  }
}

// ------------------------------------------------------------------ the subscribers (client side)

/** A subscriber: reads one event at a time and hands it to its own event loop. */
abstract class Subscriber extends LineReceiver {
  private scanLeft = 0;
  handled = 0;
  readonly hungUp = new Deferred<void>();
  constructor(readonly name: string, protected readonly print: Print, protected readonly reactor: Reactor) {
    super();
    // The article's `self.handle = channel_processor(self.handle)`: one loop per object.
    this.handle = channelProcessor(this.handle);
  }
  abstract handle(e: ShopEvent): Deferred<unknown>;
  override connectionMade(): void {
    this.sendLine(Buffer.from(`subscribe ${this.name}`));
  }
  override lineReceived(line: Buffer): unknown {
    const [verb, n, customer, quantity, product, scan] = line.toString().split(' ');
    if (verb === 'end') {
      // The loop the first call made, kept on the object as handle_cp: stop it, then hang up.
      void (this as unknown as { handle_cp: ChannelProcessor }).handle_cp.stop().addCallback((handled) => {
        this.handled = handled;
        this.transport!.loseConnection();
      });
      return undefined;
    }
    const e: ShopEvent = { n: Number(n), customer, quantity: Number(quantity), product };
    this.scanLeft = Number(scan);
    this.setRawMode();
    this.pauseProducing(); // read nothing more until this event is handled
    this.handle(e)
      .addErrback((f: Failure) => this.sendLine(Buffer.from(`refused ${e.n} ${this.name} ${f.getErrorMessage()}`)))
      .addBoth(() => this.resumeProducing());
    return undefined;
  }
  override rawDataReceived(data: Buffer): void {
    const rest = data.subarray(this.scanLeft);
    this.scanLeft = Math.max(0, this.scanLeft - data.length);
    if (this.scanLeft === 0) this.setLineMode(rest);
  }
  override connectionLost(): void {
    this.hungUp.callback(undefined);
  }
}

class Receipt extends Subscriber {
  handle(e: ShopEvent): Deferred<void> {
    this.print(`  receipt    #${e.n} ${e.customer}: ${e.quantity} x ${e.product}`);
    return succeed(undefined);
  }
}

class Tally extends Subscriber {
  readonly by = { customer: new Map<string, number>(), product: new Map<string, number>() };
  handle(e: ShopEvent): Deferred<void> {
    for (const key of ['customer', 'product'] as const) this.by[key].set(e[key], (this.by[key].get(e[key]) ?? 0) + e.quantity);
    return succeed(undefined);
  }
}

class Inventory extends Subscriber {
  readonly stock = new Map([['apple', 10], ['pear', 3], ['fig', 5]]);
  handle(e: ShopEvent): Deferred<number> {
    const have = this.stock.get(e.product);
    if (have === undefined) throw new RefusedEvent(`no such product: ${e.product}`);
    if (have < e.quantity) throw new RefusedEvent(`only ${have} ${e.product} left, ${e.customer} wants ${e.quantity}`);
    this.stock.set(e.product, have - e.quantity);
    this.print(`  inventory  #${e.n} ${e.product} ${have} -> ${have - e.quantity}`);
    return succeed(have - e.quantity);
  }
}

class Audit extends Subscriber {
  handle(e: ShopEvent): Deferred<void> {
    return deferLater(this.reactor, 0.4, () => this.print(`  audit      #${e.n} checked (the slow subscriber, 0.4 s per event)`));
  }
}

const list = (m: Map<string, number>): string => [...m].map(([k, v]) => `${k} ${v}`).join(', ');

/** The demo program, on `reactor`; prints with `print`; fires with the exit code. */
export async function demo(reactor: Reactor, print: Print, events: ShopEvent[] = readEvents()): Promise<number> {
  const start = reactor.seconds();
  const out: Print = (line) => print(`[${(reactor.seconds() - start).toFixed(3)}s] ${line}`);
  const [tally, inventory] = [new Tally('tally', out, reactor), new Inventory('inventory', out, reactor)];
  const subscribers: Subscriber[] = [new Receipt('receipt', out, reactor), tally, inventory, new Audit('audit', out, reactor)];
  const shop = new Shop(subscribers.length, out);

  const port = await serverFromString(reactor, 'tcp:0:interface=127.0.0.1').listen(shop);
  const address = port.getHost() as IPv4Address;
  out(`publisher listening on ${address.host}:${address.port}`);
  const server = new TCP4ClientEndpoint(reactor, address.host, address.port);
  await new DeferredList(subscribers.map((s) => connectProtocol(server, s)), { fireOnOneErrback: true, consumeErrors: true });
  await shop.allSubscribed;
  out(`${subscribers.length} subscribers connected: ${subscribers.map((s) => s.name).join(', ')}`);

  let next = 0;
  const source: LoopingCall = new LoopingCall((): void => (next < events.length ? shop.publish(events[next++]) : source.stop()));
  source.clock = reactor;
  await source.start(0.25);
  shop.publish(null);
  await new DeferredList(subscribers.map((s) => s.hungUp));
  await port.stopListening();

  out(`summary: ${events.length} events (each with a ${SCAN_BYTES / 1048576} MiB scan) published over TCP to ${subscribers.length} subscribers, each in its own event loop`);
  print(`  events handled per loop: ${subscribers.map((s) => `${s.name} ${s.handled}`).join(', ')}`);
  print(`  ordered by customer: ${list(tally.by.customer)}`);
  print(`  ordered by product:  ${list(tally.by.product)}`);
  print(`  stock left:          ${list(inventory.stock)}`);
  print(`  most events a feed held back in the log: ${subscribers.map((s) => `${s.name} ${shop.feeds.find((f) => f.name === s.name)!.mostBehind}`).join(', ')}`);
  print('  every connection and the port are closed');
  return 0;
}

if (require.main === module) {
  // The log's start/stop lines stay quiet; errors still go to stderr.
  addObserver((event) => {
    if (event.isError) process.stderr.write(formatEvent(event) ?? '');
  });
  react((reactor: Reactor) => demo(reactor, (line) => console.log(line)));
}
