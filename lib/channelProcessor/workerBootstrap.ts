// The code that runs inside the worker thread of `ChannelProcessor.inWorker` (the article's
// closing idea: "the event loop in its own thread"). It is a JavaScript source string run with
// `new Worker(source, { eval: true })`, so the same bootstrap works from the TypeScript sources
// (specs under tsx) and from the built CommonJS package, with no extra file to ship or resolve.
// Covered by spec/channelProcessor/worker.spec.ts.
//
// Protocol (arrays, to keep each message small and allocation-light):
//   caller -> worker: [id, args]      a call;  0  stop once every call so far is answered
//   worker -> caller: [id, ok, value] a reply; ['ready'] | ['load-error', problem, advice, error]
//                     | ['stopped', handled]
// An Error thrown by the action is sent as a plain record (name, message, stack, its own
// cloneable fields, its `cause` and an AggregateError's `errors`, each error among them encoded
// the same way) and rebuilt in the caller, because structured cloning keeps only the built-in
// error classes and drops custom names, fields and an AggregateError's `errors`.

export const WORKER_BOOTSTRAP = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
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
    parentPort.postMessage([id, ok, ok ? value : encodeError(value)]);
  } catch (e) {
    parentPort.postMessage([id, false, encodeError(new TypeError(
      'the action ' + (ok ? 'returned' : 'threw') + ' a value that cannot be copied to the calling thread (' +
      (e && e.message) + '); return plain data: numbers, strings, arrays, plain objects, Maps, Sets, typed arrays'))]);
  }
  handled++;
  outstanding--;
  finish();
}
(async () => {
  if (workerData.tsx) {
    // A TypeScript action (this repository's specs run under tsx): worker threads do not inherit
    // the parent's loader hooks, so register tsx's ESM and CommonJS hooks in this thread.
    (await import(workerData.tsx.esm)).register();
    require(workerData.tsx.cjs).register();
  }
  let mod;
  try {
    mod = await import(workerData.url);
  } catch (e) {
    parentPort.postMessage(['load-error', 'the module could not be loaded (' + (e && e.message) + ')',
      'check the path and that the module runs on its own (node ' + workerData.url + ')', encodeError(e)]);
    return;
  }
  let action = mod[workerData.exportName];
  if (action === undefined && mod.default && typeof mod.default === 'object') action = mod.default[workerData.exportName];
  if (typeof action !== 'function') {
    const names = Object.keys(mod).concat(mod.default && typeof mod.default === 'object' ? Object.keys(mod.default) : []);
    const found = names.filter((n) => n !== 'default' && n !== '__esModule');
    parentPort.postMessage(['load-error',
      action === undefined ? 'the module has no export named ' + JSON.stringify(workerData.exportName)
        : 'its export ' + JSON.stringify(workerData.exportName) + ' is a ' + typeof action + ', not a function',
      'export the action function under that name (the module exports: ' + (found.length ? found.join(', ') : 'nothing') + ')', null]);
    return;
  }
  parentPort.on('message', (msg) => {
    if (msg === 0) { stopping = true; finish(); return; }
    const id = msg[0];
    outstanding++;
    let result;
    try {
      result = action(...msg[1]);
    } catch (e) {
      reply(id, false, e);
      return;
    }
    if (result !== null && (typeof result === 'object' || typeof result === 'function') && typeof result.then === 'function') {
      result.then((v) => reply(id, true, v), (e) => reply(id, false, e));
    } else {
      reply(id, true, result);
    }
  });
  parentPort.postMessage(['ready']);
})().catch((e) => parentPort.postMessage(['load-error', 'the worker could not start (' + (e && e.message) + ')',
  'report this as a twistless bug', encodeError(e)]));
`;
