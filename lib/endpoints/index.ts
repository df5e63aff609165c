// twistless/endpoints: the public face of the port of twisted.internet.endpoints (Twisted 22.4):
// TCP4/TCP6/UNIX server and client endpoints, HostnameEndpoint, connectProtocol, and the
// description grammar (serverFromString, clientFromString, quoteStringArgument) with an explicit
// parser registry. Covered by spec/endpoints/*.spec.ts.
export {
  TCP4ServerEndpoint,
  TCP6ServerEndpoint,
  TCP4ClientEndpoint,
  TCP6ClientEndpoint,
  UNIXServerEndpoint,
  UNIXClientEndpoint,
  connectProtocol,
} from './endpoints.js';
export { HostnameEndpoint } from './hostname.js';
export type { HostnameEndpointOptions } from './hostname.js';
export { _WrappingFactory, _WrappingProtocol } from './wrapping.js';
export type {
  TCPServerEndpointOptions,
  TCPClientEndpointOptions,
  UNIXServerEndpointOptions,
  UNIXClientEndpointOptions,
  TCPEndpointReactor,
} from './endpoints.js';
export {
  serverFromString,
  clientFromString,
  quoteStringArgument,
  registerServerParser,
  registerClientParser,
  tokenize,
  parse,
} from './parser.js';
export { UnknownEndpointTypeError, EndpointDescriptionError } from './errors.js';
export type { IStreamServerEndpointStringParser, IStreamClientEndpointStringParser, EndpointReactor } from './parser.js';
// The process and standard I/O endpoints (twisted.internet.endpoints.ProcessEndpoint,
// StandardIOEndpoint) and twisted.internet.stdio.StandardIO.
export { ProcessEndpoint, StandardIOEndpoint, StandardErrorBehavior, _WrapIProtocol, _ProcessEndpointTransport } from './process.js';
export type { ProcessEndpointOptions, ProcessEndpointReactor, StandardIOFactory } from './process.js';
export { StandardIO } from '../internet/stdio.js';
export type { StandardIOOptions } from '../internet/stdio.js';
export { SSL4ServerEndpoint, SSL4ClientEndpoint, wrapClientTLS } from './ssl.js';
export type { SSLServerEndpointOptions, SSLClientEndpointOptions } from './ssl.js';
