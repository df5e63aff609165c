// Render a differential program as Python (Twisted) and TypeScript (twistless) source, for
// reports: the harness itself interprets programs and never runs these. See docs/differential.md.

import type { FnSpec, IcStep, Op, Program } from './program.js';
import { fnsOf, slotOf } from './program.js';

type Lang = 'py' | 'ts';

const list = (xs: number[], lang: Lang): string => (lang === 'py' ? `[${xs.map((i) => `D${i}`).join(', ')}]` : `[${xs.map((i) => `D${i}`).join(', ')}]`);
const bool = (b: boolean, lang: Lang): string => (lang === 'py' ? (b ? 'True' : 'False') : String(b));
const num = (n: number): string => String(n);
const fname = (f: FnSpec): string => (f[1] === 'passthru' ? 'passthru' : `f${f[0]}`);
const none = (n: number | null, lang: Lang): string => (n !== null ? String(n) : lang === 'py' ? 'None' : 'null');

function action(f: FnSpec, lang: Lang, arg: string): string {
  const E = (e: string): string => (lang === 'py' ? `${e}()` : `new ${e}()`);
  switch (f[1]) {
    case 'pass':
    case 'passthru':
      return `return ${arg}`;
    case 'val':
      return `return ${f[2]}`;
    case 'add':
      return `return ${arg} + ${f[2]}`;
    case 'raise':
      return lang === 'py' ? `raise ${E(f[2])}` : `throw ${E(f[2])}`;
    case 'trap':
      return lang === 'py' ? `${arg}.trap(${f[2]}); return 'T'` : `${arg}.trap(${f[2]}); return 'T'`;
    case 'retD':
      return `return D${f[2]}`;
    case 'fire':
      return `D${f[2]}.callback(${f[3]}); return ${arg}`;
    case 'efire':
      return `D${f[2]}.errback(${E(f[3])}); return ${arg}`;
    case 'cancel':
    case 'pause':
    case 'unpause':
      return `D${f[2]}.${f[1]}(); return ${arg}`;
    case 'lstop':
      return `L${f[2]}.stop(); return ${arg}`;
    case 'dcancel':
      return `C${f[2]}.cancel(); return ${arg}`;
    case 'dreset':
      return `C${f[2]}.reset(${f[3]}); return ${arg}`;
    case 'advance':
      return `clock.advance(${f[2]}); return ${arg}`;
    case 'later':
      return `clock.callLater(${f[2]}, f${f[3]}); return ${arg}`;
    case 'selfcb':
      return `${arg}.callback(${f[2]})`;
    case 'selfeb':
      return `${arg}.errback(${E(f[2])})`;
    case 'release':
      return `K${f[2]}.release(); return ${arg}`;
    case 'put':
      return `K${f[2]}.put(${f[3]}); return ${arg}`;
    case 'acquire':
    case 'get':
      return f[3] ? `return K${f[2]}.${f[1]}()` : `K${f[2]}.${f[1]}(); return ${arg}`;
    case 'run':
      return f[4] ? `return K${f[2]}.run(${fname(f[3])})` : `K${f[2]}.run(${fname(f[3])}); return ${arg}`;
  }
}

/** The definition of a function, or '' for passthru. */
function fnDef(f: FnSpec, lang: Lang): string {
  if (f[1] === 'passthru') return '';
  // The inner function first, then this one with its action in place of the pass body.
  if (f[1] === 'later') return fnDef([f[3], 'pass'], lang) + fnDef([f[0], 'pass'], lang).replace('return r', action(f, lang, 'r').replace(/; /g, lang === 'py' ? '\n    ' : '; '));
  const name = `f${f[0]}`;
  if (lang === 'py') return `def ${name}(r=None, *a):  # records ('${name}', r)\n    ${action(f, lang, 'r').replace(/; /g, '\n    ')}\n`;
  return `const ${name} = (r?: any, ..._a: any[]) => { /* records ('${name}', r) */ ${action(f, lang, 'r')}; };\n`;
}

function icBody(tag: number, steps: IcStep[], end: Op & { 0: 'ic' }, lang: Lang): string {
  const lines: string[] = [];
  const ind = lang === 'py' ? '    ' : '  ';
  for (const s of steps) {
    if (s[0] === 'y') {
      if (lang === 'py') {
        lines.push(s[2] ? `try:\n${ind}${ind}v = yield D${s[1]}  # records got v\n${ind}except Exception: pass  # records the exception` : `v = yield D${s[1]}  # records got v`);
      } else {
        lines.push(s[2] ? `try { const v = yield D${s[1]}; /* records got v */ } catch { /* records the exception */ }` : `const v = yield D${s[1]}; // records got v`);
      }
    } else if (s[0] === 'v') lines.push(`${lang === 'ts' ? 'const ' : ''}v = yield ${s[1]}${lang === 'ts' ? ';' : ''}`);
    else lines.push(`f${s[1][0]}()${lang === 'ts' ? ';' : ''}`);
  }
  const e = end[3];
  if (e[0] === 'ret') lines.push(`return ${e[1]}${lang === 'ts' ? ';' : ''}`);
  else lines.push(lang === 'py' ? `raise ${e[1]}()` : `throw new ${e[1]}();`);
  if (lang === 'py') return `@inlineCallbacks\ndef g${tag}():\n${lines.map((l) => ind + l).join('\n')}\n`;
  return `const g${tag} = inlineCallbacks(function* () {\n${lines.map((l) => ind + l).join('\n')}\n});\n`;
}

function opText(op: Op, target: string, lang: Lang): string {
  const E = (e: string): string => (lang === 'py' ? `${e}()` : `new ${e}()`);
  const assign = (x: string): string => (lang === 'py' ? `${target} = ${x}` : `const ${target} = ${x};`);
  const semi = lang === 'ts' ? ';' : '';
  switch (op[0]) {
    case 'new':
      return assign(lang === 'py' ? `Deferred(${op[1] ? fname(op[1]) : ''})` : `new Deferred(${op[1] ? fname(op[1]) : ''})`);
    case 'succeed':
      return assign(`succeed(${op[1]})`);
    case 'fail':
      return assign(`fail(${E(op[1])})`);
    case 'cb':
      return `D${op[1]}.callback(${op[2]})${semi}`;
    case 'eb':
      return `D${op[1]}.errback(${E(op[2])})${semi}`;
    case 'add': {
      const m = op[2] === 'cb' ? 'addCallback' : op[2] === 'eb' ? 'addErrback' : 'addBoth';
      return `D${op[1]}.${m}(${[fname(op[3]), ...op[4].map(num)].join(', ')})${semi}`;
    }
    case 'cbs':
      if (lang === 'py') {
        return `D${op[1]}.addCallbacks(${fname(op[2])}, ${op[3] ? fname(op[3]) : 'None'}, callbackArgs=(${op[4].map((x) => `${x},`).join('')}), errbackArgs=(${op[5].map((x) => `${x},`).join('')}))`;
      }
      return `D${op[1]}.addCallbacks(${fname(op[2])}, ${op[3] ? fname(op[3]) : 'null'}, [${op[4].join(', ')}], [${op[5].join(', ')}]);`;
    case 'cancel':
    case 'pause':
    case 'unpause':
      return `D${op[1]}.${op[0]}()${semi}`;
    case 'chain':
      return `D${op[1]}.chainDeferred(D${op[2]})${semi}`;
    case 'timeout':
      return `D${op[1]}.addTimeout(${op[2]}, clock)${semi}`;
    case 'dl':
      if (lang === 'py') return assign(`DeferredList(${list(op[1], lang)}, fireOnOneCallback=${bool(op[2], lang)}, fireOnOneErrback=${bool(op[3], lang)}, consumeErrors=${bool(op[4], lang)})`);
      return assign(`new DeferredList(${list(op[1], lang)}, { fireOnOneCallback: ${op[2]}, fireOnOneErrback: ${op[3]}, consumeErrors: ${op[4]} })`);
    case 'gather':
      return assign(`gatherResults(${list(op[1], lang)}, ${bool(op[2], lang)})`);
    case 'ic':
      return assign(`g${op[1]}()`);
    case 'later':
      return assign(`clock.callLater(${op[1]}, ${fname(op[2])})`);
    case 'reset':
    case 'delay':
      return `C${op[1]}.${op[0]}(${op[2]})${semi}`;
    case 'dcancel':
      return `C${op[1]}.cancel()${semi}`;
    case 'advance':
      return `clock.advance(${op[1]})${semi}`;
    case 'lc':
      return lang === 'py' ? `${target} = LoopingCall(${fname(op[1])}); ${target}.clock = clock` : `const ${target} = new LoopingCall(${fname(op[1])}); ${target}.clock = clock;`;
    case 'lstart':
      return assign(`L${op[1]}.start(${op[2]}, ${bool(op[3], lang)})`);
    case 'lstop':
      return `L${op[1]}.stop()${semi}`;
    case 'lock':
      return assign(lang === 'py' ? 'DeferredLock()' : 'new DeferredLock()');
    case 'sem':
      return assign(lang === 'py' ? `DeferredSemaphore(${op[1]})` : `new DeferredSemaphore(${op[1]})`);
    case 'queue':
      return assign(`${lang === 'py' ? '' : 'new '}DeferredQueue(${none(op[1], lang)}, ${none(op[2], lang)})`);
    case 'acquire':
    case 'get':
      return assign(`K${op[1]}.${op[0]}()`);
    case 'release':
      return `K${op[1]}.release()${semi}`;
    case 'run':
      return assign(`K${op[1]}.run(${[fname(op[2]), ...op[3].map(num)].join(', ')})`);
    case 'put':
      return `K${op[1]}.put(${op[2]})${semi}`;
    case 'nop':
      return '';
  }
}

/** The program as source text in Python (Twisted) or TypeScript (twistless); slots keep their numbers. */
export function render(prog: Program, lang: Lang): string {
  const counts = { D: 0, C: 0, L: 0, K: 0 };
  const out: string[] = [];
  for (const op of prog.ops) {
    const slot = slotOf(op);
    const target = slot === null ? '' : `${slot}${counts[slot]++}`;
    if (op[0] === 'nop') continue;
    for (const f of fnsOf(op)) {
      const def = fnDef(f, lang);
      if (def) out.push(def.trimEnd());
    }
    if (op[0] === 'ic') out.push(icBody(op[1], op[2], op, lang).trimEnd());
    out.push(opText(op, target, lang));
  }
  return out.join('\n');
}
