// twistless/log: the public face of the port of twisted.python.log, the legacy observer API
// (Twisted 22.4). Covered by spec/log/*.spec.ts. Keep this module free of any import from
// lib/defer: the Deferred layer sits below it and reports through it.
import { addObserver, removeObserver, getObservers, publish } from './observers.js';
import { err, msg, startLogging, FileLogObserver } from './log.js';
import { textFromEventDict, formatTime, formatEvent } from './format.js';

export { addObserver, removeObserver, getObservers, publish } from './observers.js';
export { msg, err, startLogging, FileLogObserver } from './log.js';
export { textFromEventDict, formatTime, formatEvent } from './format.js';
export { ObserverNotCallableError } from './errors.js';
export type { LogEvent, LogObserver } from './event.js';

/**
 * The log functions as one object, for `log.msg(...)`-style calls after
 * `import { log } from 'twistless'` or `import { log } from 'twistless/log'` (the same object
 * both ways). The counterpart of Python's `from twisted.python import log`.
 *
 * @example
 * ```ts no-run
 * import { log } from 'twistless';
 * log.msg('started');
 * ```
 */
export const log = {
  addObserver,
  removeObserver,
  getObservers,
  publish,
  msg,
  err,
  startLogging,
  FileLogObserver,
  textFromEventDict,
  formatTime,
  formatEvent,
} as const;
