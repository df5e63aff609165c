// twistless/reactor: the public face of the port of Twisted's reactor time API and core
// (twisted.internet.reactor, twisted.internet.base.DelayedCall, twisted.internet.error's time and
// reactor errors; Twisted 22.4). Covered by spec/reactor/*.spec.ts.
export type { IDelayedCall, IReactorTime } from '../defer/interfaces.js';
export { DelayedCall, NO_ARGS } from './delayedCall.js';
export type { DelayedFunction, DelayedCallCanceller, DelayedCallResetter } from './delayedCall.js';
export { TimerHeap } from './heap.js';
export type { TimerHeapOptions } from './heap.js';
export { Reactor, reactor } from './reactor.js';
export { ReactorBase } from './reactorBase.js';
export type { ReactorOptions, ReactorTimers } from './hostTimers.js';
export { ThreePhaseEvent, SystemEventTriggerID } from './threePhaseEvent.js';
export type { SystemEventPhase, TriggerFunction } from './threePhaseEvent.js';
export {
  AlreadyCalled,
  AlreadyCancelled,
  ReactorNotRunning,
  ReactorAlreadyRunning,
  ReactorNotRestartable,
  InvalidDelayError,
  NotANumberError,
  NotCallableError,
  InvalidPhaseError,
  InvalidTriggerError,
} from './errors.js';
// The reactor's I/O (listenTCP/connectTCP/listenUNIX/connectUNIX/listenUDP/listenMulticast): what those methods return, and
// their errors. The classes live in lib/internet (twisted.internet.tcp and twisted.internet.unix).
export type { Port, Connector, TCPServer, TCPClient, TCPAddress } from '../internet/tcp.js';
export type { StreamPort } from '../internet/port.js';
export type { UNIXPort, UNIXConnector, UNIXServer, UNIXClient } from '../internet/unix.js';
export type { StreamTransport } from '../internet/stream.js';
export type { BaseConnector, ConnectorState } from '../internet/connector.js';
export { ProducerRegisteredError, PortNotBoundError, InvalidPortError } from '../internet/errors.js';
export { AlreadyConnectedError, DatagramAddressError, InvalidSocketOptionError } from '../internet/errors.js';
export type { Port as UDPPort } from '../internet/udp.js';
export type { MulticastPort } from '../internet/multicast.js';
export type { UDPAddress } from '../internet/udp.js';
export { ConnectorStateError } from '../internet/connector.js';
// spawnProcess's transport (twisted.internet.process.Process).
export type { Process } from '../internet/process.js';
