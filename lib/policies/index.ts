// twistless/policies: the public face of the port of twisted.protocols.policies (Twisted 22.4).
// Covered by spec/policies/*.spec.ts.
export { ProtocolWrapper, WrappingFactory, TransportMethodMissingError } from './wrapper.js';
export type { IWrapperFactory, ProtocolWrapperClass, WrappedFactory } from './wrapper.js';
export { TimeoutMixin, NoTransportToTimeOutError } from './timeoutMixin.js';
export type { MixinBase } from './timeoutMixin.js';
export { TimeoutProtocol, TimeoutFactory } from './timeout.js';
export type { TimeoutFactoryOptions } from './timeout.js';
export { LimitTotalConnectionsFactory, ThrottlingProtocol, ThrottlingFactory } from './limits.js';
export type { ThrottlingFactoryOptions } from './limits.js';
