// twistless/reactor: the public face of the port of Twisted's reactor time API and core
// (twisted.internet.reactor, twisted.internet.base.DelayedCall, twisted.internet.error's time and
// reactor errors; Twisted 22.4). Covered by spec/reactor/*.spec.ts.
export type { IDelayedCall, IReactorTime } from '../defer/interfaces.js';
export { DelayedCall, NO_ARGS } from './delayedCall.js';
export type { DelayedFunction, DelayedCallCanceller, DelayedCallResetter } from './delayedCall.js';
export { TimerHeap } from './heap.js';
export { Reactor, reactor } from './reactor.js';
export type { ReactorOptions, ReactorTimers } from './reactor.js';
export { ThreePhaseEvent, SystemEventTriggerID } from './threePhaseEvent.js';
export type { SystemEventPhase, TriggerFunction } from './threePhaseEvent.js';
export {
  AlreadyCalled,
  AlreadyCancelled,
  ReactorNotRunning,
  ReactorAlreadyRunning,
  ReactorNotRestartable,
  InvalidDelayError,
  NotANumberError,
  NotCallableError,
  InvalidPhaseError,
  InvalidTriggerError,
} from './errors.js';
