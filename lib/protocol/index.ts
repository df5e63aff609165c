// twistless/protocol: the public face of the port of twisted.internet.protocol and the
// networking interfaces of twisted.internet.interfaces (Twisted 22.4).
// Covered by spec/protocol/*.spec.ts.
export { BaseProtocol, Protocol, connectionDone } from './protocol.js';
export { ProcessProtocol } from './process.js';
export { Factory, ServerFactory, ClientFactory } from './factory.js';
export { AbstractDatagramProtocol, DatagramProtocol } from './datagram.js';
export type { ProtocolClass } from './factory.js';
export { ReconnectingClientFactory, normalvariate } from './reconnecting.js';
export { ClientCreator, InstanceFactory, ReactorMethodMissingError } from './clientCreator.js';
export type { ClientCreatorReactor } from './clientCreator.js';
export {
  DataNotBytesError,
  NoProtocolClassError,
  NoConnectorError,
  NotImplementedError,
  checkBytes,
  DatagramProtocolStateError,
} from './errors.js';
export type {
  IAddress,
  ILoggingContext,
  IProducer,
  IPushProducer,
  IPullProducer,
  IConsumer,
  ITransport,
  ITCPTransport,
  IProtocol,
  IHalfCloseableProtocol,
  IProtocolFactory,
  IClientFactory,
  IConnector,
  IListeningPort,
  IReactorTCP,
  IReactorUNIX,
  IStreamServerEndpoint,
  IStreamClientEndpoint,
  ListenTCPOptions,
  ConnectTCPOptions,
  ListenUNIXOptions,
  ConnectUNIXOptions,
} from './interfaces.js';
export type {
  DatagramAddress,
  IUDPTransport,
  IMulticastTransport,
  IDatagramProtocol,
  ListenUDPOptions,
  ListenMulticastOptions,
  IReactorUDP,
  IReactorMulticast,
} from './datagramInterfaces.js';
export type {
  ChildFDTarget,
  ProcessSignal,
  IProcessTransport,
  IProcessProtocol,
  SpawnProcessOptions,
  IReactorProcess,
} from './processInterfaces.js';
export type { ISSLContextFactory, ITLSTransport, ISSLTransport, IReactorSSL } from './interfaces.js';
