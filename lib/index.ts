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
// twistless/threads: twisted.internet.threads and ThreadPool on worker threads.
export * from './threads/index.js';
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
export * from './basic/index.js';
export * from './policies/index.js';
// The root leaves out the endpoints module's grammar internals (tokenize, parse) and its private
// wrapping classes, as Twisted keeps them underscored; they stay on twistless/endpoints.
export {
  TCP4ServerEndpoint,
  TCP6ServerEndpoint,
  TCP4ClientEndpoint,
  TCP6ClientEndpoint,
  HostnameEndpoint,
  UNIXServerEndpoint,
  UNIXClientEndpoint,
  connectProtocol,
  serverFromString,
  clientFromString,
  quoteStringArgument,
  registerServerParser,
  registerClientParser,
  UnknownEndpointTypeError,
  EndpointDescriptionError,
} from './endpoints/index.js';
export type {
  TCPServerEndpointOptions,
  TCPClientEndpointOptions,
  HostnameEndpointOptions,
  UNIXServerEndpointOptions,
  UNIXClientEndpointOptions,
  TCPEndpointReactor,
  IStreamServerEndpointStringParser,
  IStreamClientEndpointStringParser,
  EndpointReactor,
} from './endpoints/index.js';
// Child processes and twisted.internet.utils: spawnProcess's errors, the process addresses, the
// process and standard I/O endpoints, and twistless/utils (ProcessProtocol comes with protocol).
export { PTYNotSupportedError, InvalidProcessArgumentError, UnknownSignalError, NoSuchChildFDError } from './error/index.js';
export { ProcessEndpoint, StandardIOEndpoint, StandardErrorBehavior, StandardIO } from './endpoints/index.js';
export type { ProcessEndpointOptions, ProcessEndpointReactor, StandardIOFactory, StandardIOOptions } from './endpoints/index.js';
export * from './utils/index.js';
// TLS: twistless/ssl, the TLS errors of twistless/error and the SSL endpoints.
export * from './ssl/index.js';
export { VerificationError, InvalidCertificateError, InvalidPrivateKeyError, TLSOptionsError, TLSStateError } from './error/index.js';
export { SSL4ServerEndpoint, SSL4ClientEndpoint, wrapClientTLS } from './endpoints/index.js';
export type { SSLServerEndpointOptions, SSLClientEndpointOptions } from './endpoints/index.js';
