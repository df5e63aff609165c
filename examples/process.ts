// The twistless port of Twisted's process howto listing (beside it in examples/python/process.py):
// spawn `wc`, write verses to its stdin, close it, and print the ProcessProtocol event trace.
// Run: npx tsx examples/process.ts. Checked by spec/examples/process.spec.ts against the Python
// listing: both print the same events in the same order.
import { ProcessProtocol, reactor } from 'twistless';
import type { Failure } from 'twistless';

class MyPP extends ProcessProtocol {
  data = Buffer.alloc(0);
  constructor(readonly verses: number) {
    super();
  }

  override connectionMade(): void {
    console.log('connectionMade!');
    for (let i = 0; i < this.verses; i++) {
      this.transport!.write(
        Buffer.from(
          'Aleph-null bottles of beer on the wall,\n' +
            'Aleph-null bottles of beer,\n' +
            'Take one down and pass it around,\n' +
            'Aleph-null bottles of beer on the wall.\n',
        ),
      );
    }
    this.transport!.closeStdin(); // tell them we're done
  }

  override outReceived(data: Buffer): void {
    console.log(`outReceived! with ${data.length} bytes!`);
    this.data = Buffer.concat([this.data, data]);
  }

  override errReceived(data: Buffer): void {
    console.log(`errReceived! with ${data.length} bytes!`);
  }

  override inConnectionLost(): void {
    console.log('inConnectionLost! stdin is closed! (we probably did it)');
  }

  override outConnectionLost(): void {
    console.log('outConnectionLost! The child closed their stdout!');
    // now is the time to examine what they wrote
    const [, lines] = this.data.toString().split(/\s+/);
    console.log(`I saw ${lines} lines`);
  }

  override errConnectionLost(): void {
    console.log('errConnectionLost! The child closed their stderr.');
  }

  override processExited(reason: Failure): void {
    console.log(`processExited, status ${(reason.value as { exitCode: number }).exitCode}`);
  }

  override processEnded(reason: Failure): void {
    console.log(`processEnded, status ${(reason.value as { exitCode: number }).exitCode}`);
    console.log('quitting');
    reactor.stop();
  }
}

const pp = new MyPP(10);
// As in Twisted, the last argument is the child's environment: {} is an EMPTY one.
reactor.spawnProcess(pp, 'wc', ['wc'], { env: {} });
void reactor.run();
