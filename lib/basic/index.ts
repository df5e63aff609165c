// twistless/basic: the public face of the port of twisted.protocols.basic (Twisted 22.4).
// Covered by spec/basic/*.spec.ts.
export { LineReceiver } from './lineReceiver.js';
export { LineOnlyReceiver } from './lineOnlyReceiver.js';
export { NetstringReceiver, formatNetstring } from './netstringReceiver.js';
export { IntNStringReceiver, Int32StringReceiver, Int16StringReceiver, Int8StringReceiver } from './intNStringReceiver.js';
export { FileSender, BytesFile, FdFile } from './fileSender.js';
export type { IReadableFile } from './fileSender.js';
export { NetstringParseError, IncompleteNetstring, StringTooLongError } from './errors.js';
export { TransportNotProducerError } from './pauseable.js';
export type { ReceiverTransport } from './pauseable.js';
