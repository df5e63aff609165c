// Type-level spec of the UDP names (twistless/protocol, twistless/reactor): checked by
// `tsc --noEmit` (never run). Every line below an expect-error directive must stay a type error.
import { DatagramProtocol } from '../../lib/protocol/index.js';
import type { DatagramAddress, IMulticastTransport, IReactorMulticast, IReactorUDP, IUDPTransport } from '../../lib/protocol/index.js';
import { Reactor } from '../../lib/reactor/index.js';
import type { MulticastPort, UDPPort } from '../../lib/reactor/index.js';

declare const reactor: Reactor;
export const asUDP: IReactorUDP = reactor;
export const asMulticast: IReactorMulticast = reactor;

class Echo extends DatagramProtocol {
  override datagramReceived(data: Buffer, addr: DatagramAddress): void {
    this.transport!.write(data, addr);
    // @ts-expect-error write takes bytes
    this.transport!.write('text', addr);
    // @ts-expect-error an address is [host, port]
    this.transport!.write(data, 'host:1');
    // @ts-expect-error a plain UDP transport has no multicast methods
    this.transport!.joinGroup('228.0.0.5');
  }
}

class Member extends DatagramProtocol<IMulticastTransport> {
  override startProtocol(): void {
    this.transport!.joinGroup('228.0.0.5');
    this.transport!.setTTL(2);
  }
}

export const port: UDPPort = reactor.listenUDP(0, new Echo(), { interface: '127.0.0.1', maxPacketSize: 512 });
export const t: IUDPTransport = port;
export const mport: MulticastPort = reactor.listenMulticast(0, new Member(), { listenMultiple: true });
export const mt: IMulticastTransport = mport;
export const hostPort: number = port.getHost().port;
// @ts-expect-error unknown option
reactor.listenUDP(0, new Echo(), { backlog: 5 });
// @ts-expect-error listenUDP takes a datagram protocol, not a factory
reactor.listenUDP(0, { buildProtocol: () => null });
