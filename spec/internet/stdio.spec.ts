// Port of twisted.internet.stdio.StandardIO's behaviour (twisted/test/test_stdio.py is not
// portable as is: it drives Python children); over in-memory streams, and once over a real
// child's own stdin/stdout.
import { expect } from 'chai';
import { PassThrough, Writable } from 'node:stream';
import { PipeAddress } from '../../lib/address/index.js';
import { ConnectionDone, ConnectionLost } from '../../lib/error/index.js';
import type { Failure } from '../../lib/failure/index.js';
import { StandardIO } from '../../lib/endpoints/index.js';
import { Protocol } from '../../lib/protocol/index.js';
import { Reactor, reactor } from '../../lib/reactor/index.js';
import { LogCapture } from '../reactor/logCapture.js';
import { fixture, NODE, RecordingPP, sleep } from './processHelpers.js';

class Rec extends Protocol {
  events: string[] = [];
  data: Buffer[] = [];
  reason: Failure | null = null;
  override connectionMade(): void {
    this.events.push('made');
  }
  override dataReceived(data: Buffer): void {
    this.events.push('data');
    this.data.push(data);
  }
  override connectionLost(reason: Failure): void {
    this.events.push('lost');
    this.reason = reason;
  }
}

class HalfRec extends Rec {
  readConnectionLost(): void {
    this.events.push('readConnectionLost');
  }
  writeConnectionLost(): void {
    this.events.push('writeConnectionLost');
  }
}

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (d: Buffer) => chunks.push(d));
  return () => Buffer.concat(chunks).toString();
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('StandardIO', () => {
  it('connects the protocol at once, delivers stdin to dataReceived and writes to stdout; addresses are PipeAddress', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const out = collect(stdout);
    const p = new Rec();
    const t = new StandardIO(p, { stdin, stdout });
    expect(p.events).to.deep.equal(['made']);
    expect(t.getHost()).to.be.instanceOf(PipeAddress);
    expect(t.getPeer()).to.be.instanceOf(PipeAddress);
    stdin.write('hello');
    await tick();
    expect(Buffer.concat(p.data).toString()).to.equal('hello');
    t.write(Buffer.from('a'));
    t.writeSequence([Buffer.from('b'), Buffer.from('c')]);
    await tick();
    expect(out()).to.equal('abc');
    expect(() => t.write('x' as never)).to.throw(TypeError);
    t.loseConnection();
  });

  it('the end of stdin loses the connection with ConnectionDone (a protocol without readConnectionLost)', async () => {
    const stdin = new PassThrough();
    const p = new Rec();
    new StandardIO(p, { stdin, stdout: new PassThrough() });
    stdin.end('last');
    await sleep(5);
    expect(p.events).to.deep.equal(['made', 'data', 'lost']);
    expect(p.reason!.value).to.be.instanceOf(ConnectionDone);
  });

  it('a half-closeable protocol gets readConnectionLost at the end of stdin and may still write; loseWriteConnection gives writeConnectionLost', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const out = collect(stdout);
    const p = new HalfRec();
    const t = new StandardIO(p, { stdin, stdout });
    stdin.end();
    await sleep(5);
    expect(p.events).to.deep.equal(['made', 'readConnectionLost']);
    t.write(Buffer.from('after eof'));
    t.loseWriteConnection();
    await sleep(5);
    expect(out()).to.equal('after eof');
    expect(p.events).to.deep.equal(['made', 'readConnectionLost', 'writeConnectionLost']);
  });

  it('loseConnection() writes what is queued, stops reading, then connectionLost(ConnectionDone) once', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const out = collect(stdout);
    const p = new Rec();
    const t = new StandardIO(p, { stdin, stdout });
    t.write(Buffer.from('queued'));
    t.loseConnection();
    t.loseConnection();
    stdin.write('ignored');
    await sleep(5);
    expect(out()).to.equal('queued');
    expect(p.events).to.deep.equal(['made', 'lost']);
    expect(p.reason!.value).to.be.instanceOf(ConnectionDone);
    expect(t.disconnected).to.equal(true);
    t.write(Buffer.from('dropped'));
  });

  it('pauseProducing() stops delivering stdin; resumeProducing() delivers what waited', async () => {
    const stdin = new PassThrough();
    const p = new Rec();
    const t = new StandardIO(p, { stdin, stdout: new PassThrough() });
    t.pauseProducing();
    stdin.write('waiting');
    await sleep(5);
    expect(p.data).to.deep.equal([]);
    t.resumeProducing();
    await sleep(5);
    expect(Buffer.concat(p.data).toString()).to.equal('waiting');
    t.loseConnection();
  });

  it('a write error loses the connection with ConnectionLost; an exception in dataReceived is logged and loses it', async () => {
    const bad = new Writable({
      write(_chunk, _enc, cb) {
        cb(new Error('EPIPE: broken pipe'));
      },
    });
    const p = new Rec();
    const t = new StandardIO(p, { stdin: new PassThrough(), stdout: bad });
    t.write(Buffer.from('x'));
    await sleep(5);
    expect(p.reason!.value).to.be.instanceOf(ConnectionLost);
    const log = new LogCapture().start();
    try {
      class Boom extends Rec {
        override dataReceived(): void {
          throw new Error('dataReceived boom');
        }
      }
      const stdin = new PassThrough();
      const b = new Boom();
      new StandardIO(b, { stdin, stdout: new PassThrough() });
      stdin.write('x');
      await sleep(5);
      expect(b.events).to.deep.equal(['made', 'lost']);
      expect(log.errors(Error).map((e) => (e.failure!.value as Error).message)).to.include('dataReceived boom');
    } finally {
      log.stop();
    }
  });

  it('reactor.stop() loses the connection with ConnectionLost, as for every transport', async () => {
    const r = new Reactor();
    const p = new Rec();
    new StandardIO(p, { stdin: new PassThrough(), stdout: new PassThrough(), reactor: r });
    const stopped = r.run();
    r.stop();
    await stopped;
    expect(p.events).to.deep.equal(['made', 'lost']);
    expect(p.reason!.value).to.be.instanceOf(ConnectionLost);
  });

  it('registerProducer: a pull producer is asked for more until unregistered', async () => {
    const stdout = new PassThrough();
    const out = collect(stdout);
    const p = new Rec();
    const t = new StandardIO(p, { stdin: new PassThrough(), stdout });
    let n = 0;
    t.registerProducer(
      {
        resumeProducing() {
          t.write(Buffer.from(String(n++)));
          if (n === 3) t.unregisterProducer();
        },
        stopProducing() {},
      },
      false,
    );
    await sleep(20);
    expect(out()).to.equal('012');
    t.loseConnection();
  });

  it('over a real child\'s own stdin and stdout (StandardIOEndpoint in the child)', async () => {
    const pp = new RecordingPP();
    const t = reactor.spawnProcess(pp, NODE, ['node', '--import', 'tsx', fixture('stdioEcho.ts')], { env: null });
    t.write(Buffer.from('shout'));
    await pp.waitForOutput('SHOUT', 15000);
    t.closeStdin();
    await pp.ended;
    expect(pp.stdout()).to.equal('SHOUTbye\n');
  });
});
