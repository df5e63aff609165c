// Port of the observer registry of twisted.python.log and twisted.logger.LogPublisher
// (Twisted 22.4). Covered by spec/log/log.spec.ts.
//
// How and why: observers live in one array per process (processWide('log')), so every copy of
// twistless (import and require, two installed versions) logs to the same place. The array is replaced, never mutated, on add/remove, so publishing iterates a stable
// snapshot without copying per event (an observer may remove itself while it runs). With no
// observer at all, events go to stderr in Twisted's `startLogging` layout, so an unhandled error
// is never silent.
import { Failure } from '../failure/failure.js';
import { ObserverNotCallableError } from './errors.js';
import type { LogEvent, LogObserver } from './event.js';
import { formatEvent } from './format.js';
import { processWide } from '../internal/processWide.js';

interface LogState {
  observers: LogObserver[];
}

const state: LogState = processWide('log', () => ({ observers: [] }));

/**
 * Add `observer` to the process-wide log; it is called with every event from then on. Adding the
 * same function twice keeps one registration.
 *
 * Port of `twisted.python.log.addObserver`.
 *
 * @throws ObserverNotCallableError when `observer` is not a function.
 * @example
 * ```ts
 * const events: LogEvent[] = [];
 * const observer = (e: LogEvent) => { events.push(e); };
 * addObserver(observer);
 * msg('hello');
 * removeObserver(observer);
 * ```
 */
export function addObserver(observer: LogObserver): void {
  if (typeof observer !== 'function') throw new ObserverNotCallableError(observer);
  if (state.observers.includes(observer)) return;
  state.observers = [...state.observers, observer];
}

/**
 * Remove `observer`; removing one that was never added does nothing.
 * Port of `twisted.python.log.removeObserver`.
 *
 * @param observer - a function given to `addObserver`.
 * @example
 * ```ts
 * addObserver(observer);
 * removeObserver(observer);
 * ```
 */
export function removeObserver(observer: LogObserver): void {
  const i = state.observers.indexOf(observer);
  if (i < 0) return;
  const next = state.observers.slice();
  next.splice(i, 1);
  state.observers = next;
}

/**
 * The observers currently registered, in the order they were added (a copy). Port of reading
 * `twisted.python.log.theLogPublisher.observers`.
 *
 * @example
 * ```ts
 * getObservers().length; // 0 until an observer is added
 * ```
 */
export function getObservers(): LogObserver[] {
  return state.observers.slice();
}

/** Where events go when no observer is registered. */
function writeToStderr(event: LogEvent): void {
  const text = formatEvent(event);
  if (text !== null) process.stderr.write(text);
}

function observerName(observer: LogObserver): string {
  return observer.name !== '' ? observer.name : '<anonymous observer>';
}

/**
 * Send `event` to every observer (to stderr when there is none). An observer that throws does
 * not stop the others: once all have run, each failure is reported, as an error event, to the
 * observers other than the one that threw, as Twisted's LogPublisher does. Port of
 * `twisted.logger.LogPublisher.__call__` (as the legacy `log.msg` reaches it).
 *
 * @param event - a ready-made event.
 * @param observers - whom to send it to (default: every registered observer).
 * @example
 * ```ts
 * publish({ message: ['hello'], isError: false, time: Date.now() / 1000, system: '-' });
 * ```
 */
export function publish(event: LogEvent, observers: LogObserver[] = state.observers): void {
  if (observers.length === 0) {
    writeToStderr(event);
    return;
  }
  let broken: [LogObserver, Failure][] | null = null;
  for (let i = 0; i < observers.length; i++) {
    try {
      observers[i](event);
    } catch (e) {
      (broken ??= []).push([observers[i], new Failure(e)]);
    }
  }
  if (broken === null) return;
  for (const [observer, failure] of broken) {
    const others = observers.filter((o) => o !== observer);
    publish(
      {
        message: [],
        isError: true,
        failure,
        why: `Temporarily disabling observer ${observerName(observer)} due to exception`,
        time: Date.now() / 1000,
        system: '-',
      },
      others,
    );
  }
}
