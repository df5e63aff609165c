// State that must exist once per process, however many copies of twistless are loaded (import and
// require, two installed versions): kept on globalThis under `Symbol.for('twistless.<name>')`
// (internal, not exported from the package).

/**
 * The process-wide value named `name`, made by `create` on first use. Every copy of twistless
 * that asks for the same name gets the same value, so the name must never change between versions.
 */
export function processWide<T>(name: string, create: () => T): T {
  const slots = globalThis as unknown as Record<symbol, T | undefined>;
  const key = Symbol.for(`twistless.${name}`);
  let value = slots[key];
  if (value === undefined) {
    value = create();
    slots[key] = value;
  }
  return value;
}
