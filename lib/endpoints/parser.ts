// Port of the endpoint description grammar of twisted.internet.endpoints (Twisted 22.4):
// _tokenize, _parse, serverFromString, clientFromString, quoteStringArgument, with an explicit
// registry of parsers instead of Twisted's plugin discovery (the built-in parsers are in
// descriptions.ts and sslDescriptions.ts, their errors in errors.ts). Covered by
// spec/endpoints/endpoints.spec.ts (ParserTests, ServerStringTests, ClientStringTests).
import type { IReactorTCP, IReactorUNIX, IStreamClientEndpoint, IStreamServerEndpoint } from '../protocol/interfaces.js';
import type { IReactorTime } from '../defer/interfaces.js';
import { processWide } from '../internal/processWide.js';
import { streamParsers } from './descriptions.js';
import { UnknownEndpointTypeError } from './errors.js';
import { sslParsers } from './sslDescriptions.js';

/** The reactor the built-in parsers need. */
export type EndpointReactor = IReactorTCP & IReactorUNIX & IReactorTime;

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

/**
 * clientFromString itself, handed to the built-in client parsers as a fourth argument so that
 * tls:'s `endpoint=` can parse a nested description without an import circle.
 * @internal
 */
export type ClientFromString = (reactor: EndpointReactor, description: string) => IStreamClientEndpoint;

/** A client parser as clientFromString calls it (a registered one ignores the fourth argument). */
interface BuiltinClientParser {
  parseStreamClient(reactor: EndpointReactor, args: string[], kwargs: Record<string, string>, nested: ClientFromString): IStreamClientEndpoint;
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

interface Registry {
  server: Map<string, IStreamServerEndpointStringParser>;
  client: Map<string, IStreamClientEndpointStringParser>;
}

function registry(): Registry {
  return processWide('endpoints.parsers', (): Registry => ({
      server: new Map([...streamParsers.server, ...sslParsers.server].map((p): [string, IStreamServerEndpointStringParser] => [p.prefix, p])),
      client: new Map([...streamParsers.client, ...sslParsers.client].map((p): [string, IStreamClientEndpointStringParser] => [p.prefix.toUpperCase(), p])),
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
  return (parser as BuiltinClientParser).parseStreamClient(reactor, args, kw, clientFromString);
}
