// The StringTransport of twistless/testing, recording each write separately (for the specs that
// count writes or look at them one by one), shared by the basic, protocol and policies specs.
import { StringTransport } from 'twistless/testing';

export class FakeTransport extends StringTransport {
  chunks: Buffer[] = [];
  writes = 0;
  override write(data: Uint8Array): void {
    super.write(data);
    this.writes++;
    this.chunks.push(Buffer.from(data));
  }
}

export const b = (s: string): Buffer => Buffer.from(s, 'latin1');
