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

/**
 * `connect()` was called on a UDP port that is already connected. Port of the
 * `RuntimeError("already connected, reconnecting is not currently supported")` of
 * `twisted.internet.udp.Port.connect`: listen on a new port to talk to another peer.
 *
 * @example
 * ```ts no-run
 * port.connect('127.0.0.1', 8000);
 * port.connect('127.0.0.1', 8001); // throws AlreadyConnectedError
 * ```
 */
export class AlreadyConnectedError extends Error {}
AlreadyConnectedError.prototype.name = 'AlreadyConnectedError';

/**
 * A UDP `write()` got no destination on a port that is not connected, or a destination other
 * than the connected peer on one that is. Port of the `AssertionError` of
 * `twisted.internet.udp.Port.write` (`assert addr != None`, `assert addr in (None, connected)`).
 *
 * @example
 * ```ts no-run
 * port.write(Buffer.from('x')); // throws DatagramAddressError: pass [host, port] or connect() first
 * ```
 */
export class DatagramAddressError extends TypeError {}
DatagramAddressError.prototype.name = 'DatagramAddressError';

/**
 * A socket option got a value out of its range: a multicast TTL outside 0..255, a
 * maxPacketSize that is not a positive integer. Twisted fails inside `struct.pack` or the
 * socket call with `struct.error` or `OverflowError`.
 *
 * @example
 * ```ts no-run
 * port.setTTL(300); // throws InvalidSocketOptionError
 * ```
 */
export class InvalidSocketOptionError extends RangeError {}
InvalidSocketOptionError.prototype.name = 'InvalidSocketOptionError';
