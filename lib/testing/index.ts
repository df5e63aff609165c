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
export { MemoryReactor, MemoryReactorClock, RaisingMemoryReactor, FakePort, FakeConnector } from './memoryReactor.js';
export type {
  RecordedCall,
  RaisingMemoryReactorOptions,
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
  LoopbackRelay,
} from './loopback.js';
export type { PumpPolicy, LoopbackAsyncOptions, LoopbackLogFile } from './loopback.js';
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
