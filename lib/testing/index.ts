// twistless/testing: the public face of the port of trial's SynchronousTestCase helpers, of
// twisted.internet.testing (MemoryReactor, StringTransport, ...), twisted.test.iosim and
// twisted.protocols.loopback (Twisted 22.4). Covered by spec/testing/*.spec.ts.
export { successResultOf, failureResultOf, assertNoResult } from './assertions.js';
export {
  LoggedErrors,
  captureLoggedErrors,
  flushLoggedErrors,
  stopCapturingLoggedErrors,
  installLoggedErrorHooks,
  collectGarbage,
} from './loggedErrors.js';
export type { TestHooks } from './loggedErrors.js';
export { MemoryReactor, MemoryReactorClock } from './memoryReactor.js';
export { RaisingMemoryReactor } from './raisingMemoryReactor.js';
export { FakePort, FakeConnector } from './fakePort.js';
export type { RecordedCall } from './memoryReactorCore.js';
export type { RaisingMemoryReactorOptions } from './raisingMemoryReactor.js';
export type {
  TCPServerRecord,
  TCPClientRecord,
  UNIXServerRecord,
  UNIXClientRecord,
  UDPServerRecord,
  MulticastServerRecord,
} from './memoryReactor.js';
export { FakeDatagramTransport } from './fakeDatagramTransport.js';
export type { SSLServerRecord, SSLClientRecord } from './memoryReactor.js';
export { StringTransport, StringTransportWithDisconnection } from './stringTransport.js';
export type { StringTransportOptions, ProducerState } from './stringTransport.js';
export { AccumulatingProtocol, LineSendingProtocol, NonStreamingProducer, waitUntilAllDisconnected } from './protocols.js';
export { FakeAddress, FakeTransport, makeFakeClient, makeFakeServer } from './fakeTransport.js';
export { IOPump, iosimConnect, connectedServerAndClient, ConnectionCompleter } from './iosim.js';
export { connectableEndpoint } from './connectableEndpoint.js';
export type { FakeTransportOptions } from './fakeTransport.js';
export type { IOSimConnectOptions, ConnectedServerAndClientOptions } from './iosim.js';
export {
  loopbackAsync,
  identityPumpPolicy,
  collapsingPumpPolicy,
  LoopbackQueue,
  LoopbackAddress,
  LoopbackTransport,
} from './loopback.js';
export { LoopbackRelay } from './loopbackRelay.js';
export type { PumpPolicy, LoopbackAsyncOptions } from './loopback.js';
export type { LoopbackLogFile } from './loopbackRelay.js';
export {
  FailTest,
  UnflushedLoggedErrors,
  DeferredRequiredError,
  NotCapturingLoggedErrorsError,
  GcNotExposedError,
  ProducerStateError,
  NoProducerError,
  MissingProtocolError,
  NothingToRaiseError,
} from './errors.js';
