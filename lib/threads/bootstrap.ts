// The code that runs inside every worker thread twistless starts: the worker form of
// ChannelProcessor (one action, bound at start) and the threads of a ThreadPool (any function
// named by module and export, per call). It is a JavaScript source string run with
// `new Worker(source, { eval: true })`, so the same bootstrap works from the TypeScript sources
// (specs under tsx) and from the built CommonJS package, with no extra file to ship or resolve.
// Covered by spec/channelProcessor/worker.spec.ts and spec/threads/*.spec.ts.
//
// Protocol (arrays, to keep each message small and allocation-light):
//   main -> worker: [id, args]                 a call of the bound action
//                   [id, args, url, export]    a call of a named function (a pool's work)
//                   0                          stop once every call so far is answered
//   worker -> main: [id, 1, value] | [id, 0, error]  a reply (ok, failed)
//                   [id, 2, problem, advice, url, export]  the named function does not exist
//                   ['ready'] | ['load-error', problem, advice, error] | ['stopped', handled]
//                   ['call', url, export, args]  blockingCallFromThread: the worker now waits
//                                                (Atomics.wait) until the main thread answers on
//                                                the reply port and notifies the flag
// An Error is sent as a plain record (name, message, stack, its own cloneable fields, its `cause`
// and an AggregateError's `errors`, each error among them encoded the same way) and rebuilt on
// the other side, because structured cloning keeps only the built-in error classes and drops
// custom names, fields and an AggregateError's `errors`.

/** The JavaScript source of `encodeError(e)`, shared by the bootstrap and the main thread. */
export const ENCODE_ERROR_SOURCE = String.raw`
const STANDARD = ['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError'];
function cloneable(v) {
  try { return { ok: true, v: structuredClone(v) }; } catch (_) { return { ok: false, v: undefined }; }
}
// An Error as a plain record, with its cause and an AggregateError's errors encoded the same way;
// an error met twice (or in a cycle) gives one record, which structured cloning keeps shared.
function encodeError(e, seen) {
  if (!(e instanceof Error)) return e;
  if (seen === undefined) seen = new Map();
  const known = seen.get(e);
  if (known !== undefined) return known;
  let base = 'Error';
  for (let p = Object.getPrototypeOf(e); p; p = Object.getPrototypeOf(p)) {
    const n = p.constructor && p.constructor.name;
    if (STANDARD.includes(n) && p === globalThis[n].prototype) { base = n; break; }
  }
  const rec = { __twistlessWorkerError: 1, base, name: e.name, message: e.message, stack: e.stack, props: {},
    hasCause: false, cause: undefined, errors: undefined };
  seen.set(e, rec);
  for (const key of Object.keys(e)) {
    if (key === 'cause' || (key === 'errors' && base === 'AggregateError')) continue;
    const v = e[key];
    if (v instanceof Error) { rec.props[key] = encodeError(v, seen); continue; }
    const c = cloneable(v);
    if (c.ok) rec.props[key] = c.v; // not cloneable: dropped
  }
  if (Object.prototype.hasOwnProperty.call(e, 'cause')) {
    const c = e.cause instanceof Error ? { ok: true, v: encodeError(e.cause, seen) } : cloneable(e.cause);
    if (c.ok) { rec.hasCause = true; rec.cause = c.v; }
  }
  if (base === 'AggregateError' && Array.isArray(e.errors)) {
    rec.errors = [];
    for (const x of e.errors) {
      if (x instanceof Error) rec.errors.push(encodeError(x, seen));
      else { const c = cloneable(x); rec.errors.push(c.ok ? c.v : undefined); }
    }
  }
  return rec;
}
`;

/** The key under which a worker's blockingCallFromThread finds its way back to the main thread. */
export const WORKER_CONTEXT_KEY = 'twistless.threads.worker';

export const WORKER_BOOTSTRAP = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
${ENCODE_ERROR_SOURCE}
// What blockingCallFromThread (twistless/threads) uses in this thread to call the main thread.
globalThis[Symbol.for('${WORKER_CONTEXT_KEY}')] = { parentPort, replyPort: workerData.replyPort, flag: workerData.flag };
let outstanding = 0;
let stopping = false;
let handled = 0;
function finish() {
  if (stopping && outstanding === 0) {
    parentPort.postMessage(['stopped', handled]);
    parentPort.close();
  }
}
function reply(id, ok, value) {
  try {
    parentPort.postMessage([id, ok ? 1 : 0, ok ? value : encodeError(value)]);
  } catch (e) {
    parentPort.postMessage([id, 0, encodeError(new TypeError(
      'the function ' + (ok ? 'returned' : 'threw') + ' a value that cannot be copied to the calling thread (' +
      (e && e.message) + '); return plain data: numbers, strings, arrays, plain objects, Maps, Sets, typed arrays'))]);
  }
  handled++;
  outstanding--;
  finish();
}
function settle(id, fn, args) {
  let result;
  try {
    result = fn(...args);
  } catch (e) {
    reply(id, false, e);
    return;
  }
  if (result !== null && (typeof result === 'object' || typeof result === 'function') && typeof result.then === 'function') {
    result.then((v) => reply(id, true, v), (e) => reply(id, false, e));
  } else {
    reply(id, true, result);
  }
}
let tsxDone = false;
async function registerTsx() {
  // A TypeScript module (this repository's specs run under tsx): worker threads do not inherit
  // the parent's loader hooks, so register tsx's ESM and CommonJS hooks in this thread.
  if (tsxDone || !workerData.tsx) return;
  tsxDone = true;
  (await import(workerData.tsx.esm)).register();
  require(workerData.tsx.cjs).register();
}
const TS_FILE = /\.(?:[cm]?ts|tsx)$/;
function lookUp(mod, name) {
  let fn = mod[name];
  if (fn === undefined && mod.default && typeof mod.default === 'object') fn = mod.default[name];
  return fn;
}
function notFound(mod, name, fn) {
  const names = Object.keys(mod).concat(mod.default && typeof mod.default === 'object' ? Object.keys(mod.default) : []);
  const found = names.filter((n) => n !== 'default' && n !== '__esModule');
  return [fn === undefined ? 'the module has no export named ' + JSON.stringify(name)
      : 'its export ' + JSON.stringify(name) + ' is a ' + typeof fn + ', not a function',
    'export the function under that name (the module exports: ' + (found.length ? found.join(', ') : 'nothing') + ')'];
}
// A pool thread's modules, loaded once each.
const modules = new Map();
async function named(id, args, url, name) {
  let mod = modules.get(url);
  try {
    if (mod === undefined) {
      if (TS_FILE.test(url)) await registerTsx();
      mod = await import(url);
      modules.set(url, mod);
    }
  } catch (e) {
    parentPort.postMessage([id, 2, 'the module could not be loaded (' + (e && e.message) + ')',
      'check the path and that the module runs on its own (node ' + url + ')', url, name]);
    outstanding--;
    finish();
    return;
  }
  const fn = lookUp(mod, name);
  if (typeof fn !== 'function') {
    const [problem, advice] = notFound(mod, name, fn);
    parentPort.postMessage([id, 2, problem, advice, url, name]);
    outstanding--;
    finish();
    return;
  }
  settle(id, fn, args);
}
(async () => {
  let action = null;
  if (workerData.url !== null) {
    if (TS_FILE.test(workerData.url)) await registerTsx();
    let mod;
    try {
      mod = await import(workerData.url);
    } catch (e) {
      parentPort.postMessage(['load-error', 'the module could not be loaded (' + (e && e.message) + ')',
        'check the path and that the module runs on its own (node ' + workerData.url + ')', encodeError(e)]);
      return;
    }
    action = lookUp(mod, workerData.exportName);
    if (typeof action !== 'function') {
      const [problem, advice] = notFound(mod, workerData.exportName, action);
      parentPort.postMessage(['load-error', problem, advice.replace('the function', 'the action function'), null]);
      return;
    }
  }
  parentPort.on('message', (msg) => {
    if (msg === 0) { stopping = true; finish(); return; }
    const id = msg[0];
    outstanding++;
    if (msg.length === 2) settle(id, action, msg[1]);
    else void named(id, msg[1], msg[2], msg[3]);
  });
  parentPort.postMessage(['ready']);
})().catch((e) => parentPort.postMessage(['load-error', 'the worker could not start (' + (e && e.message) + ')',
  'report this as a twistless bug', encodeError(e)]));
`;
