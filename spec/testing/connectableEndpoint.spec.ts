// Port of the use of twisted.test.iosim.connectableEndpoint (Twisted 22.4, used by the endpoint
// and HTTP client tests): behaviour checked against twisted.test.iosim under /usr/bin/python3.
import { expect } from 'chai';
import { ConnectionRefusedError } from '../../lib/error/index.js';
import { Factory } from '../../lib/protocol/index.js';
import {
  AccumulatingProtocol,
  assertNoResult,
  connectableEndpoint,
  failureResultOf,
  successResultOf,
} from '../../lib/testing/index.js';

describe('connectableEndpoint', function () {
  it("the endpoint's connect() fires with the protocol when the completer succeeds, and fails with its reason", function () {
    const [endpoint, completer] = connectableEndpoint();
    const d = endpoint.connect(Factory.forProtocol(AccumulatingProtocol));
    assertNoResult(d);
    const pump = completer.succeedOnce()!;
    const client = successResultOf(d) as AccumulatingProtocol;
    expect(client).to.be.instanceOf(AccumulatingProtocol);
    expect(client.made).to.equal(true);
    client.transport!.write(Buffer.from('to the server'));
    expect(pump.flush()).to.equal(true);
    const refused = endpoint.connect(Factory.forProtocol(AccumulatingProtocol));
    completer.failOnce();
    expect(failureResultOf(refused, ConnectionRefusedError).getErrorMessage()).to.equal('Connection was refused by other side.');
    expect(completer.succeedOnce()).to.equal(null);
  });
});
