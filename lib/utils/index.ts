// twistless/utils: the public face of the port of twisted.internet.utils (Twisted 22.4):
// getProcessOutput, getProcessValue, getProcessOutputAndValue. Covered by spec/utils/*.spec.ts.
export { getProcessOutput, getProcessValue, getProcessOutputAndValue, UnexpectedErrorOutput } from './utils.js';
export type { ProcessReactor, GetProcessValueOptions, GetProcessOutputOptions, GetProcessOutputAndValueOptions } from './utils.js';
