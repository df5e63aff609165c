// twistless/address: the public face of the port of twisted.internet.address (Twisted 22.4).
// Covered by spec/address/*.spec.ts.
export { IPv4Address, IPv6Address, HostnameAddress, UNIXAddress, InvalidAddressTypeError, bytesRepr } from './address.js';
export type { AddressType, IAddress } from './address.js';
export { ProcessAddress, PipeAddress } from './process.js';
