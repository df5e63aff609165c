// Errors of the socket transports and ports that Twisted raises as bare RuntimeError or
// AssertionError, as named classes. Covered by spec/internet/connection.spec.ts and
// spec/internet/tcp.spec.ts.

/**
 * A second producer was registered on a transport that still has one.
 * Port of the `RuntimeError("Cannot register producer ..., because producer ... was never
 * unregistered.")` that `FileDescriptor.registerProducer` raises; call `unregisterProducer()` first.
 *
 * @example
 * ```ts no-run
 * try { transport.registerProducer(p2, true); } catch (e) { e instanceof ProducerRegisteredError; }
 * ```
 */
export class ProducerRegisteredError extends Error {}
ProducerRegisteredError.prototype.name = 'ProducerRegisteredError';

/**
 * `getHost()` was asked of a port that is not bound yet, or no longer listening. Node binds a
 * listening socket on a later tick: wait for `port.whenListening()` (or use an endpoint, whose
 * `listen()` fires once bound). Twisted raises `AttributeError` after `stopListening()`.
 *
 * @example
 * ```ts no-run
 * const port = reactor.listenTCP(0, factory);
 * await port.whenListening();
 * port.getHost().port;
 * ```
 */
export class PortNotBoundError extends Error {}
PortNotBoundError.prototype.name = 'PortNotBoundError';

/**
 * An argument to listenTCP/connectTCP/listenUNIX/connectUNIX (or an endpoint) has the wrong type
 * or is out of range: a negative or non-integer port, a non-string host, a negative timeout.
 * Twisted fails later, inside the socket call, with an OverflowError or TypeError.
 *
 * @example
 * ```ts no-run
 * reactor.listenTCP(-1, factory); // throws InvalidPortError
 * ```
 */
export class InvalidPortError extends RangeError {}
InvalidPortError.prototype.name = 'InvalidPortError';
