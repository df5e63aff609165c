// Traceback frames for twisted.python.failure, built from V8's `Error.stack` text.
// Port of the frame handling and `format_frames` of twisted.python.failure (Twisted 22.4).
// Covered by spec/failure/frames.spec.ts and spec/failure/failure.spec.ts.
//
// How and why: Python's Failure walks live traceback objects; JavaScript only has the text that
// V8 writes into `error.stack` ("    at fn (file:line:col)" lines, innermost first). We parse that
// text once, when a traceback is first asked for (never in the Failure constructor, which sits on
// the Deferred's error path), into frames ordered innermost LAST, as Twisted's `frames` are. The
// source line under each frame is read from disk and cached per file, as Python's linecache does.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * One stack frame of a Failure's traceback.
 *
 * Port of an entry of `twisted.python.failure.Failure.frames` (Python's tuple
 * `(funcName, fileName, lineNumber, locals, globals)`; JavaScript has no frame locals).
 */
export interface FailureFrame {
  /** The function name as V8 printed it (`Foo.bar`, `new Foo`, `<anonymous>` when it has none). */
  readonly functionName: string;
  /** The file path or URL (`node:internal/...` for Node's own code, `<anonymous>` when unknown). */
  readonly fileName: string;
  /** 1-based line number, 0 when unknown. */
  readonly lineNumber: number;
  /** 1-based column number, 0 when unknown. */
  readonly columnNumber: number;
}

/** The traceback detail levels of `Failure.getTraceback`: Python's `detail` argument values. */
export type TracebackDetail = 'default' | 'brief' | 'verbose';

/**
 * The line Twisted prints between the callers of the catch point and the frames below it.
 * Port of `twisted.python.failure.EXCEPTION_CAUGHT_HERE`.
 *
 * @example
 * ```ts
 * failure.getTraceback().includes(EXCEPTION_CAUGHT_HERE); // true when the value had a stack
 * ```
 */
export const EXCEPTION_CAUGHT_HERE = '--- <exception caught here> ---';

const LOCATION = /^(.*):(\d+):(\d+)$/;

function parseLocation(loc: string): { fileName: string; lineNumber: number; columnNumber: number } {
  // "eval at f (file:1:2), <anonymous>:3:4": the frame's own position is the last part.
  const comma = loc.lastIndexOf(', ');
  const own = loc.startsWith('eval at ') && comma >= 0 ? loc.slice(comma + 2) : loc;
  const m = LOCATION.exec(own);
  if (m === null) return { fileName: own, lineNumber: 0, columnNumber: 0 };
  return { fileName: m[1], lineNumber: Number(m[2]), columnNumber: Number(m[3]) };
}

/**
 * Parse V8 stack text into frames, innermost last (Twisted's order). Lines that are not
 * "at ..." frame lines (the "Name: message" head, a multi-line message) are skipped. This is
 * what `Failure.frames` is made from.
 *
 * @param stack - an `error.stack` string.
 * @returns the frames, innermost last.
 * @example
 * ```ts
 * parseStack('Error: x\n    at f (/app/a.js:3:9)');
 * // [{ functionName: 'f', fileName: '/app/a.js', lineNumber: 3, columnNumber: 9 }]
 * ```
 */
export function parseStack(stack: string): FailureFrame[] {
  const frames: FailureFrame[] = [];
  const lines = stack.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line.startsWith('at ')) continue;
    let body = line.slice(3);
    if (body.startsWith('async ')) body = body.slice(6);
    let functionName = '<anonymous>';
    let location = body;
    const open = body.indexOf(' (');
    if (open >= 0 && body.endsWith(')')) {
      functionName = body.slice(0, open);
      location = body.slice(open + 2, -1);
    }
    const { fileName, lineNumber, columnNumber } = parseLocation(location);
    frames.push({ functionName, fileName, lineNumber, columnNumber });
  }
  frames.reverse();
  return frames;
}

const MAX_SOURCE = 160;
const sourceCache = new Map<string, string[] | null>();

/** The stripped source text of a frame's line, or '' when the file cannot be read. */
export function sourceLine(fileName: string, lineNumber: number): string {
  if (lineNumber <= 0) return '';
  let lines = sourceCache.get(fileName);
  if (lines === undefined) {
    lines = null;
    try {
      const path = fileName.startsWith('file://') ? fileURLToPath(fileName) : fileName;
      if (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path)) lines = readFileSync(path, 'utf8').split('\n');
    } catch {
      lines = null;
    }
    sourceCache.set(fileName, lines);
  }
  if (lines === null || lineNumber > lines.length) return '';
  const text = lines[lineNumber - 1].trim();
  // A bundled or minified line is noise in a traceback: show its start only.
  return text.length > MAX_SOURCE ? `${text.slice(0, MAX_SOURCE)} ...` : text;
}

/**
 * Write frames in one of Twisted's layouts.
 *
 * Port of `twisted.python.failure.format_frames` (without Python's locals/globals capture).
 */
export function formatFrames(frames: readonly FailureFrame[], write: (text: string) => void, detail: TracebackDetail): void {
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i];
    if (detail === 'brief') {
      write(`${f.fileName}:${f.lineNumber}:${f.functionName}\n`);
    } else if (detail === 'default') {
      write(`  File "${f.fileName}", line ${f.lineNumber}, in ${f.functionName}\n`);
      const src = sourceLine(f.fileName, f.lineNumber);
      if (src !== '') write(`    ${src}\n`);
    } else {
      write(`${f.fileName}:${f.lineNumber}: ${f.functionName}(...)\n`);
    }
  }
}
