// A push producer streaming as many random integers as the client asks for: the transport pauses
// the producer when more than 64 KiB wait and resumes it when they have gone out. The twistless
// port of Twisted's examples/streaming.py (beside it in examples/python/streaming.py).
// Run: npx tsx examples/streaming.ts [port]. Checked by spec/examples/network.spec.ts (200,000 lines).
import { Factory, LineReceiver, reactor, type Failure, type IConsumer, type IPushProducer, type ITransport } from 'twistless';

/** Send back the requested number of random integers to the client. */
class Producer implements IPushProducer {
  private produced = 0;
  private paused = false;
  constructor(
    private readonly proto: ServeRandom,
    private readonly goal: number,
  ) {}

  pauseProducing(): void {
    // When we've produced data too fast, pauseProducing() will be called (reentrantly from within
    // resumeProducing's transport.write method, most likely), so set a flag that causes production to pause temporarily.
    this.paused = true;
    console.log(`Pausing connection from ${String(this.proto.transport!.getPeer())}`);
  }

  resumeProducing(): void {
    this.paused = false;
    const transport = this.proto.transport as ITransport & IConsumer;
    while (!this.paused && this.produced < this.goal) {
      const next = Math.floor(Math.random() * 10000);
      transport.write(Buffer.from(`${next}\r\n`));
      this.produced++;
    }
    if (this.produced === this.goal) {
      transport.unregisterProducer();
      transport.loseConnection();
    }
  }

  stopProducing(): void {
    // When a consumer has died, stop producing data for good.
    this.produced = this.goal;
  }
}

/** Serve up random integers. */
class ServeRandom extends LineReceiver {
  override connectionMade(): void {
    this.transport!.write(Buffer.from('How many random integers do you want?\r\n'));
  }

  override lineReceived(line: Buffer): void {
    const producer = new Producer(this, parseInt(line.toString(), 10));
    (this.transport as ITransport & IConsumer).registerProducer(producer, true);
    producer.resumeProducing();
  }

  override connectionLost(_reason: Failure): void {
    console.log(`Connection lost from ${String(this.transport!.getPeer())}`);
  }
}

reactor.listenTCP(Number(process.argv[2] ?? 1234), Factory.forProtocol(ServeRandom));
reactor.run();
