// twistless/error: the public face of the port of twisted.internet.error (Twisted 22.4): the
// networking errors, the reactor's time and core errors (re-exported), and the mapping from
// Node's system errors. Covered by spec/error/*.spec.ts.
export {
  BindError,
  CannotListenError,
  MulticastJoinError,
  MessageLengthError,
  DNSLookupError,
  ConnectInProgressError,
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
} from './errors.js';
export {
  ConnectError,
  ConnectBindError,
  UnknownHostError,
  NoRouteError,
  ConnectionRefusedError,
  TCPTimedOutError,
  BadFileError,
  ServiceNameUnknownError,
  UserError,
  TimeoutError,
  SSLError,
  VerifyError,
  PeerVerifyError,
  CertificateError,
} from './connectErrors.js';
export {
  ConnectionClosed,
  ConnectionLost,
  ConnectionAborted,
  FileDescriptorOverrun,
  ConnectionFdescWentAway,
  ConnectionDone,
  ProcessDone,
  ProcessTerminated,
} from './connectionErrors.js';
export { VerificationError, InvalidCertificateError, InvalidPrivateKeyError, TLSOptionsError, TLSStateError } from './tls.js';
export {
  SocketError,
  errnoOf,
  socketErrorFromNode,
  getConnectError,
  connectErrorFromNode,
  connectionLostFromNode,
  cannotListenErrorFromNode,
} from './systemErrors.js';
export type { NodeSystemError } from './systemErrors.js';
export {
  AlreadyCalled,
  AlreadyCancelled,
  ReactorNotRunning,
  ReactorAlreadyRunning,
  ReactorNotRestartable,
} from '../reactor/errors.js';
export { PTYNotSupportedError, InvalidProcessArgumentError, UnknownSignalError, NoSuchChildFDError } from './process.js';
