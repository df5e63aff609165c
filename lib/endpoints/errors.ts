// The errors of the endpoint description grammar (serverFromString, clientFromString and the
// parsers behind them). Covered by spec/endpoints/endpoints.spec.ts and spec/endpoints/ssl.spec.ts.

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
