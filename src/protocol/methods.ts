import type { Engine, MethodCapability, MethodEntry, MethodLookup } from "./engine.js";
import type { Era } from "./versions.js";

export type { MethodCall, MethodCapability, MethodEntry, MethodResult } from "./engine.js";

/** The methods a server answers, by name. A Map, so `__proto__` or `toString` find nothing. */
export class MethodTable implements MethodLookup {
  readonly #entries = new Map<string, MethodEntry>();
  readonly #capabilities: MethodCapability[] = [];

  /** Adds a method; a name already taken throws, so an extension cannot silently replace a core method. */
  register(name: string, entry: MethodEntry): void {
    // A configuration mistake, found when the server is built: a TypeError with a code to tell it by.
    if (this.#entries.has(name)) throw Object.assign(new TypeError(`Method ${name} is already registered`), { code: "DUPLICATE_METHOD" });
    this.#entries.set(name, entry);
  }

  wrap(name: string, wrapper: (entry: MethodEntry) => MethodEntry): void {
    this.#entries.set(name, wrapper(this.#entries.get(name)!));
  }

  advertise(capability: MethodCapability): void {
    this.#capabilities.push(capability);
  }

  /** The entry serving `method` in `era`, if any. */
  find(method: string, era: Era): MethodEntry | undefined {
    const entry = this.#entries.get(method);
    return entry && (entry.era ?? era) === era ? entry : undefined;
  }

  /** The capabilities the registered methods contribute, in registration order. */
  capabilities(engine: Engine, push: boolean, era: Era): Record<string, object> {
    const capabilities: Record<string, object> = {};
    for (const capability of [...[...this.#entries.values()].map((entry) => entry.capability), ...this.#capabilities]) {
      const settings = capability?.settings(engine, push, era);
      if (settings) capabilities[capability!.name] = { ...capabilities[capability!.name], ...settings };
    }
    return capabilities;
  }
}
