// `npm start`: the Observer pattern of the article "Stackless Event Loops", on the real reactor.
//
// An event source (a LoopingCall reading examples/demo-events.txt) publishes shop events, one
// every 0.25 s, to four observers. Each observer is a channelProcessor-wrapped function or method,
// so each runs as its own event loop in its own tasklet, handling its events one at a time:
//   receipt    a plain function: one loop for the function (kept as receipt._cp)
//   Tally      an object with per-object state (this.add = channelProcessor(this.add)):
//              one loop per object; two objects count by customer and by product
//   Inventory  a method decorator (@channelProcessor): it refuses a bad event (unknown product,
//              not enough stock) by throwing, and the publisher gets that error and handles it
//   audit      a slow observer: it answers through deferLater, 0.625 s later; its loop takes
//              the next events meanwhile
// When the stream is exhausted the publisher waits for the last answers, stops every loop,
// prints a summary, and react() ends the program with exit code 0.
//
// The same program runs on an injected Clock: spec/examples/demo.spec.ts checks its output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { channelProcessor, type ChannelProcessed, type ChannelProcessor } from 'twistless/channelProcessor';
import { Deferred, DeferredList, succeed, type IReactorTime } from 'twistless/defer';
import type { Failure } from 'twistless/failure';
import { deferLater, LoopingCall, react } from 'twistless/task';

/** One shop event. */
export interface ShopEvent {
  n: number;
  customer: string;
  quantity: number;
  product: string;
}

/** What an observer refuses an event with. */
export class RefusedEvent extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedEvent';
  }
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

/** Counts events by one key, in its own event loop (one loop per Tally object). */
class Tally {
  readonly counts = new Map<string, number>();
  /** `count`, run in this object's own event loop (kept on the object as `count_cp`). */
  readonly add: ChannelProcessed<Tally['count']>;
  constructor(readonly by: 'customer' | 'product') {
    // The article's `self.func = channel_processor(self.func)`, under a typed field.
    this.add = channelProcessor(this.count);
  }
  count(e: ShopEvent): number {
    const key = e[this.by];
    const total = (this.counts.get(key) ?? 0) + e.quantity;
    this.counts.set(key, total);
    return total;
  }
  toString(): string {
    return [...this.counts].map(([k, v]) => `${k} ${v}`).join(', ');
  }
}

/** Keeps the stock; refuses what it cannot serve. */
class Inventory {
  constructor(
    readonly stock: Map<string, number>,
    private readonly print: (line: string) => void,
    private readonly stamp: () => string,
  ) {}

  @channelProcessor
  take(e: ShopEvent): Deferred<number> {
    const have = this.stock.get(e.product);
    if (have === undefined) throw new RefusedEvent(`no such product: ${e.product}`);
    if (have < e.quantity) throw new RefusedEvent(`only ${have} ${e.product} left, ${e.customer} wants ${e.quantity}`);
    this.stock.set(e.product, have - e.quantity);
    this.print(`${this.stamp()}   inventory  #${e.n} ${e.product} ${have} -> ${have - e.quantity}`);
    return succeed(have - e.quantity);
  }
}

/** The demo program: runs on `clock` (the reactor, or a Clock in the spec), prints with `print`. */
export function demo(clock: IReactorTime, print: (line: string) => void, events: ShopEvent[] = readEvents()): Deferred<number> {
  const start = clock.seconds();
  const stamp = (): string => `[${(clock.seconds() - start).toFixed(3)}s]`;

  // The observers.
  const receipt = channelProcessor(function receipt(e: ShopEvent): void {
    print(`${stamp()}   receipt    #${e.n} ${e.customer}: ${e.quantity} x ${e.product}`);
  });
  const byCustomer = new Tally('customer');
  const byProduct = new Tally('product');
  const inventory = new Inventory(new Map([['apple', 10], ['pear', 3], ['fig', 5]]), print, stamp);
  const audit = channelProcessor(function audit(e: ShopEvent): Deferred<string> {
    return deferLater(clock, 0.625, () => {
      print(`${stamp()}   audit      #${e.n} checked (the slow observer, 0.625 s after the event)`);
      return 'ok';
    });
  });

  const observers: [string, (e: ShopEvent) => Deferred<unknown>][] = [
    ['receipt', (e) => receipt(e)],
    ['tally by customer', (e) => byCustomer.add(e)],
    ['tally by product', (e) => byProduct.add(e)],
    ['inventory', (e) => inventory.take(e)],
    ['audit', (e) => audit(e)],
  ];

  // The publisher.
  const answers: Deferred<unknown>[] = [];
  let refused = 0;
  function publish(e: ShopEvent): void {
    print(`${stamp()} publish #${e.n}: ${e.customer} buys ${e.quantity} ${e.product}`);
    for (const [name, notify] of observers) {
      const d = notify(e).addErrback((f: Failure) => {
        refused += 1;
        print(`${stamp()}   publisher  #${e.n} ${name} refused it: ${f.getErrorMessage()} (handled)`);
      });
      answers.push(d);
    }
  }

  // The event source.
  let next = 0;
  const source = new LoopingCall(() => {
    if (next < events.length) publish(events[next++]);
    else source.stop();
  });
  source.clock = clock;

  return source
    .start(0.25)
    .addCallback(() => new DeferredList(answers))
    .addCallback(() => {
      const loops: { stop(): Deferred<number> }[] = [
        receipt._cp!,
        (byCustomer as unknown as { count_cp: ChannelProcessor }).count_cp,
        (byProduct as unknown as { count_cp: ChannelProcessor }).count_cp,
        (inventory as unknown as { take_cp: ChannelProcessor }).take_cp,
        audit._cp!,
      ];
      return new DeferredList(loops.map((cp) => cp.stop()));
    })
    .addCallback((stopped) => {
      const handled = stopped.map(([, count]) => count as number);
      print(`${stamp()} summary: ${events.length} events published to ${observers.length} observers, each in its own event loop`);
      print(`  deliveries answered: ${handled.reduce((a, b) => a + b, 0)} (per loop: ${handled.join(', ')}); refused and handled: ${refused}`);
      print(`  ordered by customer: ${byCustomer}`);
      print(`  ordered by product:  ${byProduct}`);
      print(`  stock left:          ${[...inventory.stock].map(([k, v]) => `${k} ${v}`).join(', ')}`);
      return 0;
    });
}

if (require.main === module) {
  react((reactor) => demo(reactor, (line) => console.log(line)));
}
