// Captures log.err events for a spec (trial's flushLoggedErrors, done by hand with a log observer).
import * as log from '../../lib/log/index.js';
import type { LogEvent } from '../../lib/log/index.js';

export class LogCapture {
  readonly events: LogEvent[] = [];
  private readonly observer = (e: LogEvent): void => {
    this.events.push(e);
  };
  start(): this {
    log.addObserver(this.observer);
    return this;
  }
  stop(): void {
    log.removeObserver(this.observer);
  }
  /** The error events whose failure's value is an instance of `type`. */
  errors(type?: new (...args: never[]) => unknown): LogEvent[] {
    return this.events.filter((e) => e.isError && (type === undefined || e.failure?.value instanceof type));
  }
}
