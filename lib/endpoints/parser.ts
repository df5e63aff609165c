// Port of the endpoint description grammar of twisted.internet.endpoints (Twisted 22.4):
// _tokenize, _parse, serverFromString, clientFromString, quoteStringArgument, with an explicit
// registry of parsers instead of Twisted's plugin discovery. Covered by
// spec/endpoints/endpoints.spec.ts (ParserTests, ServerStringTests, ClientStringTests).
import type { IReactorTCP, IReactorUNIX, IStreamClientEndpoint, IStreamServerEndpoint } from '../protocol/interfaces.js';
import type { IReactorTime } from '../defer/interfaces.js';
import { TCP4ClientEndpoint, TCP4ServerEndpoint, TCP6ServerEndpoint, UNIXClientEndpoint, UNIXServerEndpoint } from './endpoints.js';
import { processWide } from '../internal/processWide.js';
import { sslParsers } from './ssl.js';

/** The reactor the built-in parsers need. */
export type EndpointReactor = IReactorTCP & IReactorUNIX & IReactorTime;

/**
 * A description names an endpoint type no parser is registered for. Port of the
 * `ValueError("Unknown endpoint type: 'bogus'")` of serverFromString/clientFromString:
 * register a parser with `registerServerParser`/`registerClientParser`.
 */
export class UnknownEndpointTypeError extends RangeError {}
UnknownEndpointTypeError.prototype.name = 'UnknownEndpointTypeError';

/**
 * A description's parameters are wrong: a missing port, a non-number where a number is needed, an
 * unknown keyword. Port of the ValueError/TypeError Twisted's parsers raise.
 */
export class EndpointDescriptionError extends RangeError {}
EndpointDescriptionError.prototype.name = 'EndpointDescriptionError';

/**
 * A server endpoint parser for one prefix. Port of `IStreamServerEndpointStringParser`.
 */
export interface IStreamServerEndpointStringParser {
  /** The endpoint type this parser handles (`'tcp'`). */
  readonly prefix: string;
  /** Build the endpoint from the positional and keyword parameters after the prefix. */
  parseStreamServer(reactor: EndpointReactor, args: string[], kwargs: Record<string, string>): IStreamServerEndpoint;
}

/**
 * A client endpoint parser for one prefix. Port of `IStreamClientEndpointStringParserWithReactor`.
 */
export interface IStreamClientEndpointStringParser {
  /** The endpoint type this parser handles (`'tcp'`, matched case-insensitively). */
  readonly prefix: string;
  /** Build the endpoint from the positional and keyword parameters after the prefix. */
  parseStreamClient(reactor: EndpointReactor, args: string[], kwargs: Record<string, string>): IStreamClientEndpoint;
}

const STRING = 0;
const OP = 1;

/**
 * Split a description into strings and operators (':' and '='); '\' escapes the next character;
 * after '=' only ':' is an operator. Port of `endpoints._tokenize`.
 */
export function tokenize(description: string): Array<[typeof STRING | typeof OP, string]> {
  const out: Array<[typeof STRING | typeof OP, string]> = [];
  let current = '';
  let ops = ':=';
  for (let i = 0; i < description.length; i++) {
    const ch = description[i]!;
    if (ops.includes(ch)) {
      out.push([STRING, current]);
      out.push([OP, ch]);
      current = '';
      ops = ch === ':' ? ':=' : ':';
    } else if (ch === '\\') {
      i++;
      if (i < description.length) current += description[i];
    } else {
      current += ch;
    }
  }
  out.push([STRING, current]);
  return out;
}

/**
 * Parse a description into positional and keyword parameters: `'a:b:d=1:c'` gives
 * `[['a', 'b', 'c'], { d: '1' }]`. Port of `endpoints._parse`.
 */
export function parse(description: string): [string[], Record<string, string>] {
  const args: string[] = [];
  const kw: Record<string, string> = {};
  let sofar: string[] = [];
  const add = (): void => {
    if (sofar.length === 1) args.push(sofar[0]!);
    else kw[sofar[0]!] = sofar[1]!;
  };
  for (const [type, value] of tokenize(description)) {
    if (type === STRING) sofar.push(value);
    else if (value === ':') {
      add();
      sofar = [];
    }
  }
  add();
  return [args, kw];
}

/**
 * Escape `\` and `:` so the text survives as one parameter. Port of
 * `endpoints.quoteStringArgument`.
 *
 * @example
 * ```ts
 * quoteStringArgument('/tmp/a:b'); // '/tmp/a\\:b'
 * ```
 */
export function quoteStringArgument(argument: string): string {
  const backslash = '\\';
  return argument.split(backslash).join(backslash + backslash).split(':').join(backslash + ':');
}

function toInt(value: string, what: string, radix = 10): number {
  const text = value.trim();
  const ok = radix === 8 ? /^[+-]?[0-7]+$/.test(text) : /^[+-]?\d+$/.test(text);
  if (!ok) throw new EndpointDescriptionError(`invalid literal for ${what}: ${JSON.stringify(value)} (expected an integer${radix === 8 ? ' in octal' : ''})`);
  return parseInt(text, radix);
}

function takeOnly(kwargs: Record<string, string>, allowed: string[], what: string): void {
  for (const k of Object.keys(kwargs)) {
    if (!allowed.includes(k)) throw new EndpointDescriptionError(`${what} got an unexpected keyword argument ${JSON.stringify(k)} (allowed: ${allowed.join(', ')})`);
  }
}

function positional(args: string[], kwargs: Record<string, string>, names: string[], what: string): Record<string, string> {
  if (args.length > names.length) throw new EndpointDescriptionError(`${what} takes at most ${names.length} positional parameters (${names.join(', ')}), got ${args.length}`);
  const out: Record<string, string> = { ...kwargs };
  args.forEach((a, i) => {
    const name = names[i]!;
    if (name in kwargs) throw new EndpointDescriptionError(`${what} got multiple values for ${JSON.stringify(name)}`);
    out[name] = a;
  });
  return out;
}

const tcpServer: IStreamServerEndpointStringParser = {
  prefix: 'tcp',
  parseStreamServer(reactor, args, kwargs) {
    const p = positional(args, kwargs, ['port', 'interface', 'backlog'], 'tcp');
    takeOnly(p, ['port', 'interface', 'backlog'], 'tcp');
    if (p.port === undefined) throw new EndpointDescriptionError("tcp: missing the port (e.g. 'tcp:8080')");
    return new TCP4ServerEndpoint(reactor, toInt(p.port, 'port'), { interface: p.interface ?? '', backlog: p.backlog === undefined ? 50 : toInt(p.backlog, 'backlog') });
  },
};

const tcp6Server: IStreamServerEndpointStringParser = {
  prefix: 'tcp6',
  parseStreamServer(reactor, args, kwargs) {
    const p = positional(args, kwargs, ['port', 'interface', 'backlog'], 'tcp6');
    takeOnly(p, ['port', 'interface', 'backlog'], 'tcp6');
    if (p.port === undefined) throw new EndpointDescriptionError("tcp6: missing the port (e.g. 'tcp6:8080')");
    return new TCP6ServerEndpoint(reactor, toInt(p.port, 'port'), { interface: p.interface ?? '::', backlog: p.backlog === undefined ? 50 : toInt(p.backlog, 'backlog') });
  },
};

const unixServer: IStreamServerEndpointStringParser = {
  prefix: 'unix',
  parseStreamServer(reactor, args, kwargs) {
    const p = positional(args, kwargs, ['address', 'mode', 'backlog', 'lockfile'], 'unix');
    takeOnly(p, ['address', 'mode', 'backlog', 'lockfile'], 'unix');
    if (p.address === undefined) throw new EndpointDescriptionError("unix: missing the path (e.g. 'unix:/tmp/app.sock')");
    return new UNIXServerEndpoint(reactor, p.address, {
      mode: toInt(p.mode ?? '666', 'mode', 8),
      backlog: p.backlog === undefined ? 50 : toInt(p.backlog, 'backlog'),
      wantPID: Boolean(toInt(p.lockfile ?? '1', 'lockfile')),
    });
  },
};

const tcpClient: IStreamClientEndpointStringParser = {
  prefix: 'tcp',
  parseStreamClient(reactor, args, kwargs) {
    const kw: Record<string, string> = { ...kwargs };
    if (args.length === 2) {
      kw.port = args[1]!;
      kw.host = args[0]!;
    } else if (args.length === 1) {
      if ('host' in kw) kw.port = args[0]!;
      else kw.host = args[0]!;
    } else if (args.length > 2) throw new EndpointDescriptionError(`tcp: at most host and port as positional parameters, got ${args.length}`);
    takeOnly(kw, ['host', 'port', 'timeout', 'bindAddress'], 'tcp');
    if (kw.host === undefined || kw.port === undefined) throw new EndpointDescriptionError("tcp: a client needs a host and a port (e.g. 'tcp:example.com:80')");
    return new TCP4ClientEndpoint(reactor, kw.host, toInt(kw.port, 'port'), {
      timeout: kw.timeout === undefined ? 30 : toInt(kw.timeout, 'timeout'),
      bindAddress: kw.bindAddress === undefined ? null : [kw.bindAddress, 0],
    });
  },
};

const unixClient: IStreamClientEndpointStringParser = {
  prefix: 'unix',
  parseStreamClient(reactor, args, kwargs) {
    const kw: Record<string, string> = { ...kwargs };
    if (args.length === 1) kw.path = args[0]!;
    else if (args.length > 1) throw new EndpointDescriptionError(`unix: one path, got ${args.length} positional parameters`);
    takeOnly(kw, ['path', 'lockfile', 'timeout'], 'unix');
    if (kw.path === undefined) throw new EndpointDescriptionError("unix: missing the path (e.g. 'unix:/tmp/app.sock')");
    return new UNIXClientEndpoint(reactor, kw.path, {
      checkPID: kw.lockfile === undefined ? false : Boolean(toInt(kw.lockfile, 'lockfile')),
      timeout: kw.timeout === undefined ? 30 : toInt(kw.timeout, 'timeout'),
    });
  },
};

interface Registry {
  server: Map<string, IStreamServerEndpointStringParser>;
  client: Map<string, IStreamClientEndpointStringParser>;
}

function registry(): Registry {
  return processWide('endpoints.parsers', (): Registry => ({
      server: new Map([
        ['tcp', tcpServer],
        ['tcp6', tcp6Server],
        ['unix', unixServer],
        ...sslParsers.server.map((p): [string, IStreamServerEndpointStringParser] => [p.prefix, p]),
      ]),
      client: new Map([
        ['TCP', tcpClient],
        ['UNIX', unixClient],
        ...sslParsers.client.map((p): [string, IStreamClientEndpointStringParser] => [p.prefix.toUpperCase(), p]),
      ]),
  }));
}

/**
 * Make `serverFromString` understand `parser.prefix`. twistless's stand-in for Twisted's plugin
 * discovery (a `twisted.plugins` module providing `IStreamServerEndpointStringParser`).
 *
 * @param parser - the parser; a later registration for the same prefix replaces the earlier
 */
export function registerServerParser(parser: IStreamServerEndpointStringParser): void {
  registry().server.set(parser.prefix, parser);
}

/**
 * Make `clientFromString` understand `parser.prefix` (case-insensitively). twistless's stand-in
 * for Twisted's client parser plugins.
 *
 * @param parser - the parser
 */
export function registerClientParser(parser: IStreamClientEndpointStringParser): void {
  registry().client.set(parser.prefix.toUpperCase(), parser);
}

/**
 * Build a server endpoint from a description: `tcp:8080`, `tcp:port=0:interface=127.0.0.1`,
 * `tcp6:8080:interface=\:\:1`, `unix:/tmp/app.sock:mode=660:lockfile=0`. Port of
 * `twisted.internet.endpoints.serverFromString`.
 *
 * @param reactor - the reactor the endpoint uses
 * @param description - the description
 * @returns the endpoint
 * @throws UnknownEndpointTypeError for a type no parser handles ("Unknown endpoint type: 'bogus'")
 * @throws EndpointDescriptionError for bad parameters
 * @example
 * ```ts no-run
 * const port = await serverFromString(reactor, 'tcp:0:interface=127.0.0.1').listen(factory);
 * ```
 */
export function serverFromString(reactor: EndpointReactor, description: string): IStreamServerEndpoint {
  const [args, kw] = parse(description);
  const type = args.shift();
  const parser = type === undefined ? undefined : registry().server.get(type);
  if (parser === undefined) throw new UnknownEndpointTypeError(`Unknown endpoint type: '${type ?? ''}'`);
  return parser.parseStreamServer(reactor, args, kw);
}

/**
 * Build a client endpoint from a description: `tcp:host=example.com:port=80`, `tcp:127.0.0.1:8000:timeout=5`,
 * `unix:/tmp/app.sock:lockfile=1`. Port of `twisted.internet.endpoints.clientFromString`
 * (there is no client `tcp6` in Twisted 22.4 either).
 *
 * @param reactor - the reactor the endpoint uses
 * @param description - the description
 * @returns the endpoint
 * @throws UnknownEndpointTypeError for a type no parser handles
 * @throws EndpointDescriptionError for bad parameters
 * @example
 * ```ts no-run
 * const proto = await clientFromString(reactor, 'tcp:127.0.0.1:8000').connect(factory);
 * ```
 */
export function clientFromString(reactor: EndpointReactor, description: string): IStreamClientEndpoint {
  const [args, kw] = parse(description);
  const aname = args.shift() ?? '';
  const parser = registry().client.get(aname.toUpperCase());
  if (parser === undefined) throw new UnknownEndpointTypeError(`Unknown endpoint type: '${aname}'`);
  return parser.parseStreamClient(reactor, args, kw);
}
