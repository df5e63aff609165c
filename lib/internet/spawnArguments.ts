// spawnProcess's argument checks (twisted.internet.process and _BaseProcess take the same
// arguments): every type and value is checked, and the defaults filled, before anything starts.
// Covered by spec/internet/process.spec.ts.
import { InvalidProcessArgumentError, PTYNotSupportedError } from '../error/process.js';
import type { ChildFDTarget, SpawnProcessOptions } from '../protocol/processInterfaces.js';

const SPAWN_OPTIONS = new Set(['env', 'path', 'uid', 'gid', 'usePTY', 'childFDs']);
const DEFAULT_CHILD_FDS: Readonly<Record<number, ChildFDTarget>> = { 0: 'w', 1: 'r', 2: 'r' };

function checkString(what: string, value: unknown): string {
  if (typeof value !== 'string') {
    throw new InvalidProcessArgumentError(`spawnProcess: ${what} must be a string, got ${typeof value === 'object' ? String(value) : typeof value}`);
  }
  if (value.includes('\0')) throw new InvalidProcessArgumentError(`spawnProcess: ${what} contains a NUL character`);
  return value;
}

/** @internal spawnProcess's arguments, checked, with the defaults filled. */
export interface SpawnArguments {
  executable: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  path: string | undefined;
  uid: number | undefined;
  gid: number | undefined;
  childFDs: Readonly<Record<number, ChildFDTarget>>;
}

/** @internal Check spawnProcess's arguments and fill the defaults; throws before anything starts. */
export function checkSpawnArguments(executable: unknown, args: unknown, options: SpawnProcessOptions): SpawnArguments {
  if (options === null || typeof options !== 'object') throw new InvalidProcessArgumentError('spawnProcess: options must be an object');
  for (const k of Object.keys(options)) {
    if (!SPAWN_OPTIONS.has(k)) throw new InvalidProcessArgumentError(`spawnProcess: unknown option ${JSON.stringify(k)} (known: ${[...SPAWN_OPTIONS].join(', ')})`);
  }
  if (options.usePTY === true) throw new PTYNotSupportedError();
  const exe = checkString('the executable', executable);
  if (!Array.isArray(args) && args !== undefined) throw new InvalidProcessArgumentError('spawnProcess: args must be an array of strings (args[0] is argv[0])');
  const argv = ((args ?? []) as unknown[]).map((a, i) => checkString(`args[${i}]`, a));
  let env: NodeJS.ProcessEnv;
  if (options.env === null) env = process.env;
  else if (options.env === undefined) env = {};
  else {
    if (typeof options.env !== 'object') throw new InvalidProcessArgumentError('spawnProcess: env must be an object of strings (or null to inherit)');
    env = {};
    for (const [k, v] of Object.entries(options.env)) env[checkString(`the name of env ${JSON.stringify(k)}`, k)] = checkString(`env[${JSON.stringify(k)}]`, v);
  }
  const path = options.path === null || options.path === undefined ? undefined : checkString('path', options.path);
  const id = (what: string, v: number | null | undefined): number | undefined => {
    if (v === null || v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new InvalidProcessArgumentError(`spawnProcess: ${what} must be a non-negative integer`);
    return v;
  };
  const childFDs = options.childFDs ?? DEFAULT_CHILD_FDS;
  if (typeof childFDs !== 'object') throw new InvalidProcessArgumentError('spawnProcess: childFDs must be an object mapping child descriptors to \'r\', \'w\' or a number');
  for (const [k, t] of Object.entries(childFDs)) {
    const fd = Number(k);
    if (!Number.isInteger(fd) || fd < 0) throw new InvalidProcessArgumentError(`spawnProcess: childFDs key ${JSON.stringify(k)} is not a descriptor number`);
    if (t !== 'r' && t !== 'w' && !(typeof t === 'number' && Number.isInteger(t) && t >= 0)) {
      throw new InvalidProcessArgumentError(`spawnProcess: childFDs[${k}] must be 'r', 'w' or a parent descriptor number, got ${JSON.stringify(t)}`);
    }
  }
  return { executable: exe, args: argv, env, path, uid: id('uid', options.uid), gid: id('gid', options.gid), childFDs };
}
