// twistless: Twisted's Deferred, reactor and task module, and Stackless Python's tasklets, for Node.
// Every public name of every module, re-exported from the package root.
export type { IDelayedCall, IReactorTime } from './defer/interfaces.js';
export * from './failure/index.js';
export { log } from './log/index.js';
export type { LogEvent, LogObserver } from './log/index.js';
export * from './reactor/index.js';
export * from './defer/index.js';
export * from './testing/index.js';
export * from './task/index.js';
export * from './channelProcessor/index.js';
export * from './tasklets/index.js';
export * from './protocol/index.js';
export * from './address/index.js';
// twistless/error's own TimeoutError (a connect timeout) stays on the subpath: the root's
// TimeoutError is defer's, and the reactor's errors come from the reactor's export above.
export {
  BindError,
  CannotListenError,
  MulticastJoinError,
  MessageLengthError,
  DNSLookupError,
  ConnectInProgressError,
  ConnectError,
  ConnectBindError,
  UnknownHostError,
  NoRouteError,
  ConnectionRefusedError,
  TCPTimedOutError,
  BadFileError,
  ServiceNameUnknownError,
  UserError,
  SSLError,
  VerifyError,
  PeerVerifyError,
  CertificateError,
  ConnectionClosed,
  ConnectionLost,
  ConnectionAborted,
  FileDescriptorOverrun,
  ConnectionFdescWentAway,
  ConnectionDone,
  ProcessDone,
  ProcessTerminated,
  ProcessExitedAlready,
  NotConnectingError,
  NotListeningError,
  ConnectingCancelledError,
  NoProtocol,
  UnsupportedAddressFamily,
  UnsupportedSocketType,
  AlreadyListened,
  InvalidAddressError,
  CONNECTION_DONE,
  CONNECTION_LOST,
  SocketError,
  errnoOf,
  socketErrorFromNode,
  getConnectError,
  connectErrorFromNode,
  connectionLostFromNode,
  cannotListenErrorFromNode,
} from './error/index.js';
export type { NodeSystemError } from './error/index.js';
