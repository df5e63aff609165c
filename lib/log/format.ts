// Port of the legacy text layout of twisted.python.log (Twisted 22.4): textFromEventDict,
// FileLogObserver.formatTime and the text FileLogObserver.emit writes.
// Covered by spec/log/format.spec.ts.
import { safeString } from '../failure/thrownValue.js';
import type { LogEvent } from './event.js';

/**
 * The text of an event, or null when it has none to show. Port of
 * `twisted.python.log.textFromEventDict`: the message parts joined by spaces; for an error event
 * without a message, `why` (or "Unhandled Error") then the failure's traceback.
 *
 * @example
 * ```ts
 * textFromEventDict({ message: ['a', 1], isError: false, time: 0, system: '-' }); // 'a 1'
 * ```
 */
export function textFromEventDict(event: LogEvent): string | null {
  const message = event.message;
  if (message.length === 0) {
    if (event.isError && event.failure !== undefined) {
      const why = event.why ? safeString(event.why) : 'Unhandled Error';
      let traceback: string;
      try {
        traceback = event.failure.getTraceback();
      } catch (e) {
        traceback = `(unable to obtain traceback): ${safeString(e)}`;
      }
      return `${why}\n${traceback}`;
    }
    return null;
  }
  const parts: string[] = new Array<string>(message.length);
  for (let i = 0; i < message.length; i++) parts[i] = safeString(message[i]);
  return parts.join(' ');
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * `2026-11-25 04:42:13+0000`: local time with the UTC offset, as Twisted's legacy file observer
 * writes it. Port of `twisted.python.log.FileLogObserver.formatTime`.
 *
 * @param when - seconds since the epoch (a float, like `LogEvent.time`).
 * @returns the text.
 * @example
 * ```ts
 * formatTime(0); // '1970-01-01 00:00:00+0000' where local time is UTC
 * ```
 */
export function formatTime(when: number): string {
  const d = new Date(when * 1000);
  const offset = -d.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1, 2)}-${pad(d.getDate(), 2)} ` +
    `${pad(d.getHours(), 2)}:${pad(d.getMinutes(), 2)}:${pad(d.getSeconds(), 2)}` +
    `${sign}${pad(Math.floor(abs / 60), 2)}${pad(abs % 60, 2)}`
  );
}

/**
 * An event as one block of text: `time [system] text`, continuation lines indented by a tab,
 * or null when the event has no text. Port of what `FileLogObserver.emit` writes.
 *
 * @param event - the event.
 * @returns the text, ending with a newline, or null.
 * @example
 * ```ts
 * formatEvent({ message: ['a\nb'], isError: false, time: 0, system: '-' });
 * // '1970-01-01 00:00:00+0000 [-] a\n\tb\n' where local time is UTC
 * ```
 */
export function formatEvent(event: LogEvent): string | null {
  const text = textFromEventDict(event);
  if (text === null) return null;
  return `${formatTime(event.time)} [${event.system}] ${text.replace(/\n/g, '\n\t')}\n`;
}
