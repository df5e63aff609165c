// A minimal stand-in for twisted.internet.testing.StringTransport, local to the basic and
// policies specs: records writes, `disconnecting`, the producer and its state.
import { IPv4Address } from 'twistless/address';
import type { IPullProducer, IPushProducer, ITransport } from 'twistless/protocol';

export class FakeTransport implements ITransport {
  chunks: Buffer[] = [];
  disconnecting = false;
  disconnected = false;
  producer: IPushProducer | IPullProducer | null = null;
  streaming: boolean | null = null;
  producerState: 'producing' | 'paused' | 'stopped' = 'producing';
  writes = 0;
  write(data: Uint8Array): void {
    if (!(data instanceof Uint8Array)) throw new TypeError('Data must be bytes');
    this.writes++;
    this.chunks.push(Buffer.from(data));
  }
  writeSequence(data: Iterable<Uint8Array>): void {
    for (const d of data) this.write(d);
  }
  loseConnection(): void {
    this.disconnecting = true;
  }
  abortConnection(): void {
    this.disconnected = true;
    this.loseConnection();
  }
  getPeer(): IPv4Address {
    return new IPv4Address('TCP', '192.168.1.1', 54321);
  }
  getHost(): IPv4Address {
    return new IPv4Address('TCP', '10.0.0.1', 12345);
  }
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    if (this.producer !== null) throw new Error('Cannot register two producers');
    this.producer = producer;
    this.streaming = streaming;
  }
  unregisterProducer(): void {
    if (this.producer === null) throw new Error('Cannot unregister a producer unless one is registered');
    this.producer = null;
    this.streaming = null;
  }
  pauseProducing(): void {
    this.producerState = 'paused';
  }
  resumeProducing(): void {
    this.producerState = 'producing';
  }
  stopProducing(): void {
    this.producerState = 'stopped';
  }
  value(): Buffer {
    return Buffer.concat(this.chunks);
  }
  clear(): void {
    this.chunks = [];
  }
}

export const b = (s: string): Buffer => Buffer.from(s, 'latin1');
