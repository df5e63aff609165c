// Port of twisted.internet.endpoints.HostnameEndpoint (Twisted 22.4): resolve a name to every
// address and race connection attempts to them, one started every attemptDelay seconds (happy
// eyeballs). Covered by spec/endpoints/endpoints.spec.ts (HostnameEndpointTests).
import * as dns from 'node:dns';
import * as net from 'node:net';
import { Deferred } from '../defer/deferred.js';
import type { IDelayedCall, IReactorTime } from '../defer/interfaces.js';
import { Failure } from '../failure/failure.js';
import { HostnameAddress } from '../address/address.js';
import { ConnectingCancelledError, DNSLookupError } from '../error/errors.js';
import type { IProtocol, IProtocolFactory, IReactorTCP, IStreamClientEndpoint, ITransport } from '../protocol/interfaces.js';
import { TCP4ClientEndpoint, type TCPClientEndpointOptions } from './endpoints.js';
/** Options of HostnameEndpoint. */
export interface HostnameEndpointOptions extends TCPClientEndpointOptions {
  /** Seconds between the starts of successive attempts (default 0.3). */
  attemptDelay?: number;
  /** Resolve a name to addresses (default: Node's dns.lookup, both families). twistless-only, for tests. */
  resolve?: (host: string) => Promise<string[]>;
}

function defaultResolve(host: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    dns.lookup(host, { all: true, verbatim: true }, (err, addresses) => {
      if (err !== null) reject(err);
      else resolve(addresses.map((a) => a.address));
    });
  });
}

/**
 * A client endpoint for a host name: resolves every address (IPv4 and IPv6) and tries them in
 * order, starting one attempt every `attemptDelay` seconds until one connects (happy eyeballs);
 * the others are then cancelled. Port of `twisted.internet.endpoints.HostnameEndpoint`.
 *
 * @example
 * ```ts no-run
 * const proto = await new HostnameEndpoint(reactor, 'localhost', 8000).connect(factory);
 * ```
 */
export class HostnameEndpoint implements IStreamClientEndpoint {
  readonly _reactor: IReactorTCP & IReactorTime;
  readonly _host: string;
  readonly _port: number;
  readonly _timeout: number;
  readonly _bindAddress: readonly [string, number] | null;
  readonly _attemptDelay: number;
  readonly _resolve: (host: string) => Promise<string[]>;

  constructor(reactor: IReactorTCP & IReactorTime, host: string, port: number, options: HostnameEndpointOptions = {}) {
    this._reactor = reactor;
    this._host = host;
    this._port = port;
    this._timeout = options.timeout ?? 30;
    this._bindAddress = options.bindAddress ?? null;
    this._attemptDelay = options.attemptDelay ?? 0.3;
    this._resolve = options.resolve ?? defaultResolve;
  }

  /** Connect with `protocolFactory` to the first address that answers. Port of `connect`. */
  connect(protocolFactory: IProtocolFactory): Deferred<IProtocol> {
    const pending: Deferred<IProtocol>[] = [];
    const timers: IDelayedCall[] = [];
    let done = false;
    const stopAll = (): void => {
      for (const t of timers) if (t.active()) t.cancel();
      for (const p of pending) if (!p.called) p.cancel();
    };
    const d = new Deferred<IProtocol>(() => {
      done = true;
      stopAll();
      d.errback(new Failure(new ConnectingCancelledError(new HostnameAddress(Buffer.from(this._host), this._port))));
    });
    const isLiteral = net.isIP(this._host) !== 0;
    const names = isLiteral ? Promise.resolve([this._host]) : this._resolve(this._host);
    names.then(
      (addresses) => {
        if (done) return;
        if (addresses.length === 0) {
          done = true;
          d.errback(new Failure(new DNSLookupError(this._host)));
          return;
        }
        let failed = 0;
        let lastFailure: Failure | null = null;
        const attempt = (address: string): void => {
          if (done) return;
          const ep = new TCP4ClientEndpoint(this._reactor, address, this._port, { timeout: this._timeout, bindAddress: this._bindAddress });
          const a = ep.connect(protocolFactory);
          pending.push(a);
          a.addCallbacks(
            (proto: IProtocol) => {
              if (done) {
                (proto as Partial<{ transport: ITransport | null }>).transport?.loseConnection();
                return null;
              }
              done = true;
              stopAll();
              d.callback(proto);
              return null;
            },
            (f: Failure) => {
              failed++;
              lastFailure = f;
              if (!done && failed === addresses.length) {
                done = true;
                d.errback(lastFailure);
              }
              return null;
            },
          );
        };
        addresses.forEach((address, i) => {
          if (i === 0) attempt(address);
          else timers.push(this._reactor.callLater(this._attemptDelay * i, attempt, address));
        });
      },
      () => {
        if (done) return;
        done = true;
        d.errback(new Failure(new DNSLookupError(this._host)));
      },
    );
    return d;
  }

  toString(): string {
    return `HostnameEndpoint(${this._host}:${this._port})`;
  }
}
