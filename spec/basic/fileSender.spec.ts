// Port of twisted/protocols/test/test_basic.py (Twisted 22.4): FileSenderTests.
import { expect } from 'chai';
import { openSync, closeSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BytesFile, FdFile, FileSender } from 'twistless/basic';
import { failureResultOf, successResultOf } from 'twistless/testing';
import { FakeTransport, b } from './fakeTransport.js';

describe('FileSenderTests', () => {
  it('test_interface: FileSender has the IProducer methods', () => {
    const sender = new FileSender();
    for (const m of ['stopProducing', 'resumeProducing', 'pauseProducing'] as const) expect(sender[m]).to.be.a('function');
  });

  it('test_producerRegistered: beginFileTransfer registers the sender as a pull producer', () => {
    const consumer = new FakeTransport();
    const sender = new FileSender();
    sender.beginFileTransfer(new BytesFile(b('Test content')), consumer);
    expect(consumer.producer).to.equal(sender);
    expect(consumer.streaming).to.equal(false);
  });

  it('test_transfer: the file is written, the producer unregistered, and the Deferred fires with the last byte', () => {
    const consumer = new FakeTransport();
    const sender = new FileSender();
    const d = sender.beginFileTransfer(new BytesFile(b('Test content')), consumer);
    sender.resumeProducing();
    sender.resumeProducing();
    expect(consumer.producer).to.equal(null);
    expect(successResultOf(d).toString()).to.equal('t');
    expect(consumer.value().toString()).to.equal('Test content');
  });

  it('test_transferMultipleChunks: CHUNK_SIZE bytes per resumeProducing', () => {
    const consumer = new FakeTransport();
    const sender = new FileSender();
    sender.CHUNK_SIZE = 4;
    const d = sender.beginFileTransfer(new BytesFile(b('Test content')), consumer);
    sender.resumeProducing();
    expect(consumer.value().toString()).to.equal('Test');
    sender.resumeProducing();
    expect(consumer.value().toString()).to.equal('Test con');
    sender.resumeProducing();
    expect(consumer.value().toString()).to.equal('Test content');
    sender.resumeProducing();
    expect(successResultOf(d).toString()).to.equal('t');
    expect(consumer.value().toString()).to.equal('Test content');
  });

  it('test_transferWithTransform: the transform applies to each chunk, and lastSent is transformed', () => {
    const consumer = new FakeTransport();
    const sender = new FileSender();
    const swapcase = (chunk: Buffer): Buffer =>
      Buffer.from([...chunk.toString()].map((ch) => (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase())).join(''));
    const d = sender.beginFileTransfer(new BytesFile(b('Test content')), consumer, swapcase);
    sender.resumeProducing();
    sender.resumeProducing();
    expect(successResultOf(d).toString()).to.equal('T');
    expect(consumer.value().toString()).to.equal('tEST CONTENT');
  });

  it('test_abortedTransfer: stopProducing fails the Deferred with "Consumer asked us to stop producing"', () => {
    const consumer = new FakeTransport();
    const sender = new FileSender();
    const d = sender.beginFileTransfer(new BytesFile(b('Test content')), consumer);
    sender.stopProducing();
    const f = failureResultOf(d);
    f.trap(Error);
    expect(f.getErrorMessage()).to.equal('Consumer asked us to stop producing');
  });

  it('FdFile reads a real file through its descriptor', () => {
    const dir = mkdtempSync(join(tmpdir(), 'twistless-filesender-'));
    try {
      const path = join(dir, 'data');
      writeFileSync(path, 'x'.repeat(40000));
      const fd = openSync(path, 'r');
      const consumer = new FakeTransport();
      const sender = new FileSender();
      const d = sender.beginFileTransfer(new FdFile(fd), consumer);
      let turns = 0;
      while (consumer.producer !== null) {
        sender.resumeProducing();
        turns++;
      }
      closeSync(fd);
      expect(turns).to.equal(4);
      expect(consumer.value().length).to.equal(40000);
      expect(successResultOf(d).toString()).to.equal('x');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
