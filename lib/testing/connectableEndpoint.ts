// Port of twisted.test.iosim.connectableEndpoint (Twisted 22.4): a client endpoint on a
// MemoryReactorClock whose connections the test completes. Kept apart from iosim.ts because it
// needs the endpoints. Covered by spec/testing/connectableEndpoint.spec.ts.
import { TCP4ClientEndpoint, TCP4ServerEndpoint } from '../endpoints/endpoints.js';
import { Factory } from '../protocol/factory.js';
import { Protocol } from '../protocol/protocol.js';
import { ConnectionCompleter } from './iosim.js';
import { MemoryReactorClock } from './memoryReactor.js';

/**
 * A client endpoint whose connections a test completes or fails on demand: a
 * `TCP4ClientEndpoint` to port 4321 on a new `MemoryReactorClock` on which a server endpoint
 * listens on that port, and the `ConnectionCompleter` of that reactor. `endpoint.connect(factory)`
 * gives a Deferred that `completer.succeedOnce()` fires with the connected protocol, or
 * `completer.failOnce(reason)` fails.
 *
 * Port of `twisted.test.iosim.connectableEndpoint`.
 *
 * @param debug - accepted for Twisted's signature; pass `debug` to `succeedOnce` to print traffic.
 * @returns `[endpoint, completer]`.
 * @example
 * ```ts no-run
 * const [endpoint, completer] = connectableEndpoint();
 * const d = endpoint.connect(Factory.forProtocol(MyClient));
 * const pump = completer.succeedOnce()!; // d has fired with the MyClient instance
 * ```
 */
export function connectableEndpoint(debug: boolean = false): [endpoint: TCP4ClientEndpoint, completer: ConnectionCompleter] {
  void debug;
  const reactor = new MemoryReactorClock();
  const clientEndpoint = new TCP4ClientEndpoint(reactor, '0.0.0.0', 4321);
  const serverEndpoint = new TCP4ServerEndpoint(reactor, 4321);
  serverEndpoint.listen(Factory.forProtocol(Protocol));
  return [clientEndpoint, new ConnectionCompleter(reactor)];
}
