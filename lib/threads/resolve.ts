// Where a worker thread finds a function: an absolute path or a file: URL of an ES module (a
// TypeScript file when tsx is installed), checked on the calling side, the way Node would
// resolve it, before any thread is asked. Covered by spec/channelProcessor/worker.spec.ts and
// spec/threads/threadpool.spec.ts.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { InvalidWorkerModule } from '../channelProcessor/errors.js';

const TS_FILE = /\.(?:[cm]?ts|tsx)$/;

/** @internal Where tsx's registration APIs are (its ESM and CommonJS hooks). */
export interface TsxApis {
  esm: string;
  cjs: string;
}

let tsxFound: TsxApis | undefined | null = null;

/** @internal tsx's registration APIs, or undefined without tsx (looked up once). */
export function tsxApis(): TsxApis | undefined {
  if (tsxFound !== null) return tsxFound;
  let pkgFile: string;
  try {
    pkgFile = require.resolve('tsx/package.json');
  } catch {
    return (tsxFound = undefined);
  }
  // Read tsx's own exports map: `import` of ./esm/api and `require` of ./cjs/api.
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports?: Record<string, unknown> };
  const pick = (key: string, condition: 'import' | 'require'): string | undefined => {
    const entry = pkg.exports?.[key] as Record<string, string | { default?: string }> | undefined;
    const target = entry?.[condition];
    return typeof target === 'string' ? target : target?.default;
  };
  const esm = pick('./esm/api', 'import');
  const cjs = pick('./cjs/api', 'require');
  if (esm === undefined || cjs === undefined) return (tsxFound = undefined);
  return (tsxFound = { esm: pathToFileURL(join(dirname(pkgFile), esm)).href, cjs: join(dirname(pkgFile), cjs) });
}

/** @internal Makes the "function not found" error of the caller's API. */
export type NotFound = (modulePath: string, exportName: string, problem: string, advice: string) => Error;

/**
 * @internal Check the module path at once, the way Node would resolve it, and return its file:
 * URL (and tsx's APIs when it is a TypeScript file).
 * @throws InvalidWorkerModule for a relative path or a bad URL; `notFound`'s error for a missing
 *   file, an empty export name, or a TypeScript file without tsx.
 */
export function resolveModule(modulePath: string | URL, exportName: string, where: string, notFound: NotFound): { url: string; tsx: TsxApis | undefined } {
  let file: string;
  const given = modulePath instanceof URL ? modulePath.href : modulePath;
  if (typeof given !== 'string') throw new InvalidWorkerModule(modulePath, 'pass a string or a URL', where);
  if (typeof exportName !== 'string' || exportName === '') {
    throw notFound(String(given), String(exportName), 'the export name must be a non-empty string', 'pass the name the function is exported under');
  }
  if (given.startsWith('file:')) {
    try {
      file = fileURLToPath(given);
    } catch (e) {
      throw new InvalidWorkerModule(given, `it is not a valid file: URL (${(e as Error).message})`, where);
    }
  } else if (isAbsolute(given)) {
    file = given;
  } else {
    throw new InvalidWorkerModule(
      given,
      "a worker thread resolves modules from no particular directory; use path.join(__dirname, 'file.mjs') or new URL('./file.mjs', import.meta.url)",
      where,
    );
  }
  if (!existsSync(file)) {
    throw notFound(given, exportName, `there is no file at ${file}`, 'check the path (it must name the module file itself, with its extension)');
  }
  let tsx: TsxApis | undefined;
  if (TS_FILE.test(file)) {
    tsx = tsxApis();
    if (tsx === undefined) {
      throw notFound(
        given,
        exportName,
        'it is a TypeScript file, and a worker thread can load TypeScript only through tsx, which is not installed',
        'compile the module to JavaScript and pass the .js/.mjs path, or install tsx',
      );
    }
  }
  return { url: pathToFileURL(file).href, tsx };
}
