// Type-level spec of twistless/protocol and twistless/policies: checked by `tsc --noEmit` (never
// run). Every line below an expect-error directive must stay a type error. Factory.forProtocol
// keeps the factory's class and the protocol's type; TimeoutMixin keeps the base class's members.
import { ClientFactory, ServerFactory, Factory, Protocol, ReconnectingClientFactory } from '../../lib/protocol/index.js';
import type { IClientFactory } from '../../lib/protocol/index.js';
import { IPv4Address } from '../../lib/address/index.js';
import { TimeoutMixin } from '../../lib/policies/index.js';
import { LineReceiver } from '../../lib/basic/index.js';
class Echo extends Protocol {}
const c = ClientFactory.forProtocol(Echo);
export const ok: IClientFactory = c;
export const c2: ClientFactory<Echo> = c;
export const s: ServerFactory<Echo> = ServerFactory.forProtocol(Echo);
export const r: ReconnectingClientFactory<Echo> = ReconnectingClientFactory.forProtocol(Echo);
export const f: Factory<Echo> = Factory.forProtocol(Echo);
export const e: Echo | null = Factory.forProtocol(Echo).buildProtocol(new IPv4Address('TCP', '1', 1));
class Args extends ClientFactory { constructor(readonly n: number) { super(); } }
export const a: Args = Args.forProtocol(Echo, 3);
// @ts-expect-error wrong constructor argument
Args.forProtocol(Echo, 'x');

class Session extends TimeoutMixin(LineReceiver) {}
const session = new Session();
export const prev: number | null = session.setTimeout(null);
session.sendLine(Buffer.from('x'));
// @ts-expect-error sendLine takes bytes
session.sendLine('x');
