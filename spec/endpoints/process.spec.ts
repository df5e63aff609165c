// Port of the process and standard I/O parts of twisted/internet/test/test_endpoints.py (Twisted
// 22.4): ProcessEndpointsTests, ProcessEndpointTransportTests, WrappedIProtocolTests (on a memory
// process reactor and transport, as there) and StandardIOEndpointsTests; plus one ProcessEndpoint
// over a real child.
import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { PipeAddress, ProcessAddress } from '../../lib/address/index.js';
import { ConnectionDone, ConnectionLost, ProcessDone, ProcessTerminated, PTYNotSupportedError } from '../../lib/error/index.js';
import { Failure } from '../../lib/failure/index.js';
import {
  _ProcessEndpointTransport,
  _WrapIProtocol,
  ProcessEndpoint,
  StandardErrorBehavior,
  StandardIO,
  StandardIOEndpoint,
} from '../../lib/endpoints/index.js';
import { Factory, Protocol } from '../../lib/protocol/index.js';
import type { IAddress, IProcessProtocol, IProcessTransport, IProtocol, IPullProducer, IPushProducer, ProcessSignal, SpawnProcessOptions } from '../../lib/protocol/index.js';
import { reactor } from '../../lib/reactor/index.js';
import { failureResultOf, successResultOf } from '../../lib/testing/index.js';
import { LogCapture } from '../reactor/logCapture.js';

/** Port of StubApplicationProtocol: records data and the connectionLost reason. */
class StubApplicationProtocol extends Protocol {
  data: Buffer[] = [];
  reason: Failure | null = null;
  override dataReceived(data: Buffer): void {
    this.data.push(data);
  }
  override connectionLost(reason: Failure): void {
    this.reason = reason;
  }
}

/** Port of MemoryProcessTransport: records what the endpoint transport forwards. */
class MemoryProcessTransport implements IProcessTransport {
  pid = 4321;
  signals: ProcessSignal[] = [];
  producer: IPushProducer | IPullProducer | null = null;
  streaming: boolean | null = null;
  paused = false;
  stopped = false;
  data: Buffer[] = [];
  childFDs: [number, Buffer][] = [];
  closed: string[] = [];
  extraneous = 'should not be forwarded';
  write(data: Uint8Array): void {
    this.data.push(Buffer.from(data));
  }
  writeSequence(data: Iterable<Uint8Array>): void {
    for (const d of data) this.write(d);
  }
  loseConnection(): void {
    this.closed.push('loseConnection');
  }
  getHost(): IAddress {
    return new ProcessAddress();
  }
  getPeer(): IAddress {
    return new ProcessAddress();
  }
  closeStdin(): void {
    this.closed.push('stdin');
  }
  closeStdout(): void {
    this.closed.push('stdout');
  }
  closeStderr(): void {
    this.closed.push('stderr');
  }
  closeChildFD(descriptor: number): void {
    this.closed.push(`fd ${descriptor}`);
  }
  writeToChild(childFD: number, data: Uint8Array): void {
    this.childFDs.push([childFD, Buffer.from(data)]);
  }
  signalProcess(signalID: ProcessSignal): void {
    this.signals.push(signalID);
  }
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    this.producer = producer;
    this.streaming = streaming;
  }
  unregisterProducer(): void {
    this.producer = null;
    this.streaming = null;
  }
  pauseProducing(): void {
    this.paused = true;
  }
  resumeProducing(): void {
    this.paused = false;
  }
  stopProducing(): void {
    this.stopped = true;
  }
}

/** Port of MemoryProcessReactor: records spawnProcess's arguments. */
class MemoryProcessReactor {
  processProtocol: IProcessProtocol | null = null;
  executable: string | null = null;
  args: readonly string[] | undefined;
  options: SpawnProcessOptions | undefined;
  spawnProcess(processProtocol: IProcessProtocol, executable: string, args?: readonly string[], options?: SpawnProcessOptions): IProcessTransport {
    this.processProtocol = processProtocol;
    this.executable = executable;
    this.args = args;
    this.options = options;
    const t = new MemoryProcessTransport();
    processProtocol.makeConnection(t);
    return t;
  }
}

describe('ProcessEndpointsTests', () => {
  let memoryReactor: MemoryProcessReactor;
  let ep: ProcessEndpoint;
  let factory: Factory<StubApplicationProtocol>;
  beforeEach(() => {
    memoryReactor = new MemoryProcessReactor();
    ep = new ProcessEndpoint(memoryReactor, '/bin/executable');
    factory = Factory.forProtocol(StubApplicationProtocol);
  });

  it('test_constructorDefaults: the optional parameters default as in Twisted (env {} : EMPTY, errFlag LOG)', () => {
    expect(ep._reactor).to.equal(memoryReactor);
    expect(ep._executable).to.equal('/bin/executable');
    expect(ep._args).to.deep.equal([]);
    expect(ep._env).to.deep.equal({});
    expect(ep._path).to.equal(null);
    expect(ep._uid).to.equal(null);
    expect(ep._gid).to.equal(null);
    expect(ep._usePTY).to.equal(false);
    expect(ep._childFDs).to.equal(null);
    expect(ep._errFlag).to.equal(StandardErrorBehavior.LOG);
  });

  it('test_constructorNonDefaults: the parameters given are stored', () => {
    const e = new ProcessEndpoint(new MemoryProcessReactor(), '/bin/executable', ['/bin/executable'], {
      env: { HOME: '/home' },
      path: '/runProcessHere/',
      uid: 1,
      gid: 2,
      usePTY: true,
      childFDs: { 3: 'w', 4: 'r', 5: 'r' },
      errFlag: StandardErrorBehavior.DROP,
    });
    expect([e._executable, e._args, e._env, e._path, e._uid, e._gid, e._usePTY, e._childFDs, e._errFlag]).to.deep.equal([
      '/bin/executable',
      ['/bin/executable'],
      { HOME: '/home' },
      '/runProcessHere/',
      1,
      2,
      true,
      { 3: 'w', 4: 'r', 5: 'r' },
      'DROP',
    ]);
  });

  it('test_wrappedProtocol: connect() spawns with a _WrapIProtocol around the built protocol', () => {
    successResultOf(ep.connect(factory));
    expect(memoryReactor.processProtocol).to.be.instanceOf(_WrapIProtocol);
  });

  it('test_spawnProcess: the stored parameters are passed to spawnProcess', () => {
    const e = new ProcessEndpoint(memoryReactor, '/bin/executable', ['/bin/executable'], {
      env: { HOME: '/home' },
      path: '/runProcessHere/',
      uid: 1,
      gid: 2,
      usePTY: true,
      childFDs: { 3: 'w', 4: 'r', 5: 'r' },
    });
    successResultOf(e.connect(factory));
    expect(memoryReactor.processProtocol).to.be.instanceOf(_WrapIProtocol);
    expect(memoryReactor.executable).to.equal('/bin/executable');
    expect(memoryReactor.args).to.deep.equal(['/bin/executable']);
    expect(memoryReactor.options).to.deep.equal({ env: { HOME: '/home' }, path: '/runProcessHere/', uid: 1, gid: 2, usePTY: true, childFDs: { 3: 'w', 4: 'r', 5: 'r' } });
  });

  it('test_processAddress: the factory\'s buildProtocol gets a ProcessAddress', () => {
    const addrs: IAddress[] = [];
    class TestAddrFactory extends Factory<StubApplicationProtocol> {
      override buildProtocol(addr: IAddress): StubApplicationProtocol {
        addrs.push(addr);
        const p = new StubApplicationProtocol();
        p.factory = this;
        return p;
      }
    }
    successResultOf(ep.connect(new TestAddrFactory()));
    expect(addrs).to.have.lengthOf(1);
    expect(addrs[0]).to.be.instanceOf(ProcessAddress);
    expect(String(addrs[0])).to.equal('_ProcessAddress()');
  });

  it('test_connect: connect() fires with the connected protocol', () => {
    const proto = successResultOf(ep.connect(factory));
    expect(proto).to.be.instanceOf(StubApplicationProtocol);
    expect((proto as StubApplicationProtocol).transport).to.be.instanceOf(_ProcessEndpointTransport);
  });

  it('test_connectFailure: connect() fails when spawnProcess throws (on the real reactor, usePTY does)', () => {
    ep._spawnProcess = () => {
      throw new Error('spawn failed');
    };
    failureResultOf(ep.connect(factory), Error);
    const real = new ProcessEndpoint(reactor, '/bin/sh', ['sh'], { usePTY: true });
    failureResultOf(real.connect(factory), PTYNotSupportedError);
  });
});

describe('ProcessEndpointTransportTests', () => {
  let process_: MemoryProcessTransport;
  let endpointTransport: _ProcessEndpointTransport;
  beforeEach(() => {
    process_ = new MemoryProcessTransport();
    endpointTransport = new _ProcessEndpointTransport(process_);
  });

  it('test_verifyConsumer / test_verifyProducer / test_verifyTransport: it has the IConsumer, IPushProducer and ITransport methods', () => {
    for (const m of ['registerProducer', 'unregisterProducer', 'write', 'pauseProducing', 'resumeProducing', 'stopProducing', 'writeSequence', 'loseConnection', 'getHost', 'getPeer']) {
      expect(typeof (endpointTransport as unknown as Record<string, unknown>)[m], m).to.equal('function');
    }
  });

  it('test_constructor: it stores the process transport', () => {
    expect(endpointTransport._process).to.equal(process_);
  });

  it('test_registerProducer: registering forwards to the process transport', () => {
    const producer = { pauseProducing() {}, resumeProducing() {}, stopProducing() {} };
    endpointTransport.registerProducer(producer, false);
    expect(process_.producer).to.equal(producer);
    expect(process_.streaming).to.equal(false);
  });

  it('test_pauseProducing: pausing forwards', () => {
    endpointTransport.pauseProducing();
    expect(process_.paused).to.equal(true);
  });

  it('test_resumeProducing: resuming forwards', () => {
    endpointTransport.pauseProducing();
    endpointTransport.resumeProducing();
    expect(process_.paused).to.equal(false);
  });

  it('test_stopProducing: stopping forwards', () => {
    endpointTransport.stopProducing();
    expect(process_.stopped).to.equal(true);
  });

  it('test_unregisterProducer: unregistering forwards', () => {
    endpointTransport.registerProducer({ resumeProducing() {}, stopProducing() {} }, false);
    endpointTransport.unregisterProducer();
    expect(process_.producer).to.equal(null);
  });

  it('test_extraneousAttributes: the underlying transport\'s other attributes are not exposed', () => {
    expect((endpointTransport as unknown as Record<string, unknown>).extraneous).to.equal(undefined);
    expect(endpointTransport.pid).to.equal(4321);
  });

  it('test_writeSequence: writeSequence forwards the chunks to stdin', () => {
    endpointTransport.writeSequence([Buffer.from('test1'), Buffer.from('test2'), Buffer.from('test3')]);
    expect(Buffer.concat(process_.data).toString()).to.equal('test1test2test3');
  });

  it('test_write: write forwards to stdin', () => {
    endpointTransport.write(Buffer.from('test'));
    expect(Buffer.concat(process_.data).toString()).to.equal('test');
  });

  it('test_loseConnection: loseConnection forwards', () => {
    endpointTransport.loseConnection();
    expect(process_.closed).to.deep.equal(['loseConnection']);
  });

  it('test_getHost / test_getPeer: both are the process transport\'s ProcessAddress', () => {
    expect(endpointTransport.getHost()).to.be.instanceOf(ProcessAddress);
    expect(endpointTransport.getPeer()).to.be.instanceOf(ProcessAddress);
  });

  it('the process-only methods forward too: closeStdin/closeStdout/closeStderr/closeChildFD, writeToChild, signalProcess', () => {
    endpointTransport.closeStdin();
    endpointTransport.closeStdout();
    endpointTransport.closeStderr();
    endpointTransport.closeChildFD(3);
    endpointTransport.writeToChild(3, Buffer.from('x'));
    endpointTransport.signalProcess('TERM');
    expect(process_.closed).to.deep.equal(['stdin', 'stdout', 'stderr', 'fd 3']);
    expect(process_.childFDs.map(([fd, d]) => [fd, d.toString()])).to.deep.equal([[3, 'x']]);
    expect(process_.signals).to.deep.equal(['TERM']);
  });
});

describe('WrappedIProtocolTests', () => {
  let memoryReactor: MemoryProcessReactor;
  let ep: ProcessEndpoint;
  let log: LogCapture;
  beforeEach(() => {
    memoryReactor = new MemoryProcessReactor();
    ep = new ProcessEndpoint(memoryReactor, '/bin/executable');
    log = new LogCapture().start();
  });
  afterEach(() => log.stop());

  function connect(e = ep): [StubApplicationProtocol, _WrapIProtocol] {
    const proto = successResultOf(e.connect(Factory.forProtocol(StubApplicationProtocol))) as StubApplicationProtocol;
    return [proto, memoryReactor.processProtocol as _WrapIProtocol];
  }

  it('test_constructor: it stores the protocol and the stderr flag', () => {
    const wpp = new _WrapIProtocol(new StubApplicationProtocol(), '/bin/executable', StandardErrorBehavior.DROP);
    expect(wpp.protocol).to.be.instanceOf(StubApplicationProtocol);
    expect(wpp.errFlag).to.equal('DROP');
  });

  it('test_makeConnection: the wrapped protocol gets the endpoint transport, which forwards to the process transport', () => {
    const [proto, wpp] = connect();
    expect(proto.transport).to.equal(wpp.transport);
    expect((proto.transport as _ProcessEndpointTransport)._process).to.be.instanceOf(MemoryProcessTransport);
  });

  it('test_logStderr: with LOG, stderr is logged with the executable and the bytes', () => {
    const [, wpp] = connect();
    wpp.childDataReceived(2, Buffer.from('stderr1'));
    const msgs = log.events.map((e) => (e.message as unknown[]).join(' '));
    expect(msgs.some((m) => m.includes("Process '/bin/executable' wrote stderr unhandled by") && m.includes("b'stderr1'"))).to.equal(true);
  });

  it('test_stderrSkip: with DROP, stderr is ignored', () => {
    const [, wpp] = connect(new ProcessEndpoint(memoryReactor, '/bin/executable', [], { errFlag: StandardErrorBehavior.DROP }));
    wpp.childDataReceived(2, Buffer.from('stderr2'));
    expect(log.events).to.deep.equal([]);
  });

  it('test_stdout: stdout goes to the protocol\'s dataReceived', () => {
    const [proto, wpp] = connect();
    wpp.childDataReceived(1, Buffer.from('stdout'));
    expect(Buffer.concat(proto.data).toString()).to.equal('stdout');
  });

  it('test_processDone: ProcessDone with status 0 becomes connectionLost(ConnectionDone)', () => {
    const [proto, wpp] = connect();
    wpp.processEnded(new Failure(new ProcessDone(0)));
    expect(proto.reason!.value).to.be.instanceOf(ConnectionDone);
    expect(proto.reason!.value).to.not.be.instanceOf(ProcessDone);
  });

  it('test_processEnded: any other reason is passed on (a ConnectionLost)', () => {
    const [proto, wpp] = connect();
    const f = new Failure(new ProcessTerminated(1));
    wpp.processEnded(f);
    expect(proto.reason).to.equal(f);
    expect(proto.reason!.value).to.be.instanceOf(ConnectionLost);
  });
});

describe('ProcessEndpoint (real child)', () => {
  it('connect() runs a stream protocol over a child\'s stdin and stdout: /bin/cat echoes, then connectionLost(ConnectionDone)', async () => {
    const ep = new ProcessEndpoint(reactor, '/bin/cat', ['cat']);
    const proto = (await ep.connect(Factory.forProtocol(StubApplicationProtocol))) as StubApplicationProtocol;
    const lost = new Promise<Failure>((resolve) => {
      proto.connectionLost = resolve;
    });
    proto.transport!.write(Buffer.from('through cat'));
    (proto.transport as IProcessTransport).closeStdin();
    const reason = await lost;
    expect(Buffer.concat(proto.data).toString()).to.equal('through cat');
    expect(reason.value).to.be.instanceOf(ConnectionDone);
  });
});

describe('StandardIOEndpointsTests', () => {
  it('test_protocolCreation: listen() fires with the StandardIO-like object, given the built protocol (built with a PipeAddress)', () => {
    const calls: [IProtocol, unknown][] = [];
    const ep = new StandardIOEndpoint(reactor);
    ep._stdio = (proto, options) => {
      calls.push([proto, options]);
      return { fake: 'stdio' };
    };
    const addrs: IAddress[] = [];
    class F extends Factory<StubApplicationProtocol> {
      override buildProtocol(addr: IAddress): StubApplicationProtocol {
        addrs.push(addr);
        return new StubApplicationProtocol();
      }
    }
    const result = successResultOf(ep.listen(new F()));
    expect(result).to.deep.equal({ fake: 'stdio' });
    expect(calls[0]![0]).to.be.instanceOf(StubApplicationProtocol);
    expect(addrs[0]).to.be.instanceOf(PipeAddress);
  });

  it('test_passedReactor: the endpoint passes its reactor to the StandardIO', () => {
    const ep = new StandardIOEndpoint(reactor);
    let seen: unknown = null;
    ep._stdio = (_proto, options) => {
      seen = options.reactor;
      return null;
    };
    successResultOf(ep.listen(Factory.forProtocol(StubApplicationProtocol)));
    expect(seen).to.equal(reactor);
  });

  it('listen() with the default _stdio connects a StandardIO (over given streams here)', () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const proto = new StubApplicationProtocol();
    const stdio = new StandardIO(proto, { stdin, stdout, reactor });
    expect(proto.transport).to.equal(stdio);
    stdio.loseConnection();
  });
});
