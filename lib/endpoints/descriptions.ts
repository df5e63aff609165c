// The built-in endpoint description parsers for tcp, tcp6 and unix (Twisted 22.4's
// _parseServer/_parseTCP/_parseUNIX and _parseClientTCP/_parseClientUNIX), and the one
// parameter table they and the ssl:/tls: parsers (sslDescriptions.ts) read their parameters
// through. The grammar and the registry are in parser.ts. Covered by
// spec/endpoints/endpoints.spec.ts (ServerStringTests, ClientStringTests) and spec/endpoints/ssl.spec.ts.
import { TCP4ClientEndpoint, TCP4ServerEndpoint, TCP6ServerEndpoint, UNIXClientEndpoint, UNIXServerEndpoint } from './endpoints.js';
import { EndpointDescriptionError } from './errors.js';
import type { IStreamClientEndpointStringParser, IStreamServerEndpointStringParser } from './parser.js';

/**
 * How one endpoint kind reads a description's parameters: the names it accepts, how many may come
 * by position, and what a positional parameter does to a keyword of the same name: `signature`
 * refuses it (a Python function's parameters), `override` replaces it, `hostPort` is Twisted's
 * client rule (one positional parameter is the port when `host=` was given, else the host).
 * @internal
 */
export interface ParameterTable {
  readonly kind: string;
  readonly names: readonly string[];
  readonly positional: number;
  readonly mode: 'signature' | 'override' | 'hostPort';
}

/**
 * The parameters of one description as keyword -> text, positional ones named by `table`.
 * @throws EndpointDescriptionError for too many positional parameters, a name given twice, or an unknown keyword.
 * @internal
 */
export function readParameters(table: ParameterTable, args: string[], kwargs: Record<string, string>): Record<string, string> {
  const { kind, names, positional } = table;
  if (args.length > positional) {
    throw new EndpointDescriptionError(`${kind} takes at most ${positional} positional parameters (${names.slice(0, positional).join(', ')}), got ${args.length}`);
  }
  const out: Record<string, string> = { ...kwargs };
  if (table.mode === 'hostPort' && args.length === 1 && 'host' in kwargs) out.port = args[0]!;
  else {
    args.forEach((a, i) => {
      const name = names[i]!;
      if (table.mode === 'signature' && name in kwargs) throw new EndpointDescriptionError(`${kind} got multiple values for ${JSON.stringify(name)}`);
      out[name] = a;
    });
  }
  for (const k of Object.keys(out)) {
    if (!names.includes(k)) throw new EndpointDescriptionError(`${kind} got an unexpected keyword argument ${JSON.stringify(k)} (allowed: ${names.join(', ')})`);
  }
  return out;
}

/**
 * The integer a parameter spells (octal for radix 8), or `fallback` when it is absent.
 * @throws EndpointDescriptionError when it is not an integer.
 * @internal
 */
export function intParameter(value: string | undefined, fallback: number, what: string, radix = 10): number {
  if (value === undefined) return fallback;
  const text = value.trim();
  const ok = radix === 8 ? /^[+-]?[0-7]+$/.test(text) : /^[+-]?\d+$/.test(text);
  if (!ok) throw new EndpointDescriptionError(`invalid literal for ${what}: ${JSON.stringify(value)} (expected an integer${radix === 8 ? ' in octal' : ''})`);
  return parseInt(text, radix);
}

/**
 * The value of a parameter that must be there.
 * @throws EndpointDescriptionError saying what is missing, with an example.
 * @internal
 */
export function required(value: string | undefined, message: string): string {
  if (value === undefined) throw new EndpointDescriptionError(message);
  return value;
}

const SERVER_TCP: ParameterTable = { kind: 'tcp', names: ['port', 'interface', 'backlog'], positional: 3, mode: 'signature' };
const SERVER_TCP6: ParameterTable = { ...SERVER_TCP, kind: 'tcp6' };
const SERVER_UNIX: ParameterTable = { kind: 'unix', names: ['address', 'mode', 'backlog', 'lockfile'], positional: 4, mode: 'signature' };
const CLIENT_TCP: ParameterTable = { kind: 'tcp', names: ['host', 'port', 'timeout', 'bindAddress'], positional: 2, mode: 'hostPort' };
const CLIENT_UNIX: ParameterTable = { kind: 'unix', names: ['path', 'lockfile', 'timeout'], positional: 1, mode: 'override' };

/** The `tcp:` and `tcp6:` server parsers: the same parameters, another endpoint and default interface. */
function tcpServer(table: ParameterTable, Endpoint: typeof TCP4ServerEndpoint, defaultInterface: string): IStreamServerEndpointStringParser {
  return {
    prefix: table.kind,
    parseStreamServer(reactor, args, kwargs) {
      const p = readParameters(table, args, kwargs);
      const port = required(p.port, `${table.kind}: missing the port (e.g. '${table.kind}:8080')`);
      return new Endpoint(reactor, intParameter(port, 0, 'port'), { interface: p.interface ?? defaultInterface, backlog: intParameter(p.backlog, 50, 'backlog') });
    },
  };
}

const unixServer: IStreamServerEndpointStringParser = {
  prefix: 'unix',
  parseStreamServer(reactor, args, kwargs) {
    const p = readParameters(SERVER_UNIX, args, kwargs);
    const address = required(p.address, "unix: missing the path (e.g. 'unix:/tmp/app.sock')");
    return new UNIXServerEndpoint(reactor, address, {
      mode: intParameter(p.mode ?? '666', 0, 'mode', 8),
      backlog: intParameter(p.backlog, 50, 'backlog'),
      wantPID: Boolean(intParameter(p.lockfile ?? '1', 1, 'lockfile')),
    });
  },
};

const tcpClient: IStreamClientEndpointStringParser = {
  prefix: 'tcp',
  parseStreamClient(reactor, args, kwargs) {
    const kw = readParameters(CLIENT_TCP, args, kwargs);
    if (kw.host === undefined || kw.port === undefined) throw new EndpointDescriptionError("tcp: a client needs a host and a port (e.g. 'tcp:example.com:80')");
    return new TCP4ClientEndpoint(reactor, kw.host, intParameter(kw.port, 0, 'port'), {
      timeout: intParameter(kw.timeout, 30, 'timeout'),
      bindAddress: kw.bindAddress === undefined ? null : [kw.bindAddress, 0],
    });
  },
};

const unixClient: IStreamClientEndpointStringParser = {
  prefix: 'unix',
  parseStreamClient(reactor, args, kwargs) {
    const kw = readParameters(CLIENT_UNIX, args, kwargs);
    const path = required(kw.path, "unix: missing the path (e.g. 'unix:/tmp/app.sock')");
    return new UNIXClientEndpoint(reactor, path, {
      checkPID: Boolean(intParameter(kw.lockfile, 0, 'lockfile')),
      timeout: intParameter(kw.timeout, 30, 'timeout'),
    });
  },
};

/** @internal the tcp, tcp6 and unix parsers the registry starts with. */
export const streamParsers = {
  server: [tcpServer(SERVER_TCP, TCP4ServerEndpoint, ''), tcpServer(SERVER_TCP6, TCP6ServerEndpoint, '::'), unixServer],
  client: [tcpClient, unixClient],
};
