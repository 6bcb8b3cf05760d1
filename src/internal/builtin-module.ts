/**
 * A Node built-in taken from `process.getBuiltinModule` rather than imported, so that a module that
 * needs it for one option only still loads (and bundles) where there is none, e.g. Workers. Throws
 * a TypeError saying `unavailable` where the runtime cannot give it.
 */
export function builtinModule<T>(id: string, unavailable: string): T {
  const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  if (typeof get !== "function") throw new TypeError(unavailable);
  return get(id) as T;
}
