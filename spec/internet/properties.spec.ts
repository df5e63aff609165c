// Properties of the TCP transport over 127.0.0.1: whatever mix of write/writeSequence calls,
// spread over any number of turns and followed by loseConnection() and more writes, the peer
// receives exactly their concatenation, then a clean close.
import { expect } from 'chai';
import fc from 'fast-check';
import { Cleanup, listen, rawConnect, readAll, Recorder, RecordingFactory, typeName } from './helpers.js';

type Op = { kind: 'write'; data: Uint8Array } | { kind: 'seq'; data: Uint8Array[] } | { kind: 'turn' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('write' as const), data: fc.uint8Array({ maxLength: 3000 }) }),
  fc.record({ kind: fc.constant('seq' as const), data: fc.array(fc.uint8Array({ maxLength: 2000 }), { maxLength: 4 }) }),
  fc.constant({ kind: 'turn' as const }),
);

describe('TransportProperties', () => {
  const c = new Cleanup();
  beforeEach(() => c.start());
  afterEach(() => c.close());

  it('test_writesArriveInOrder: any writes, turns, then loseConnection and more writes: the peer gets the concatenation, then ConnectionDone', async () => {
    const f = new RecordingFactory(() => new Recorder());
    const port = await listen(c, f);
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 12 }), fc.array(opArb, { maxLength: 4 }), async (before, after) => {
        const s = await rawConnect(c, port.getHost().port);
        const got = readAll(s);
        const server = await (await f.next).made;
        const expected: Uint8Array[] = [];
        const apply = async (ops: Op[]): Promise<void> => {
          for (const op of ops) {
            if (op.kind === 'write') {
              server.transport!.write(op.data);
              expected.push(op.data);
            } else if (op.kind === 'seq') {
              server.transport!.writeSequence(op.data);
              expected.push(...op.data);
            } else await new Promise((r) => setImmediate(r));
          }
        };
        await apply(before);
        server.transport!.loseConnection();
        await apply(after.filter((o) => o.kind !== 'turn'));
        const { data, error } = await got;
        expect(error).to.equal(null);
        expect(Buffer.compare(data, Buffer.concat(expected))).to.equal(0);
        expect(typeName(await server.lost)).to.equal('ConnectionDone');
      }),
      { numRuns: 25 },
    );
  });
});
