import { checkScopes, type ScopeRequirement } from "../protocol/access.js";
import type { Icon } from "./content.js";

/** The fields every tool and prompt definition shares. */
export interface DefinitionBase {
  /** Defaults to the handler function's name. */
  name?: string;
  /** Defaults to the name in title case ("get_time" → "Get Time"). */
  title?: string;
  description?: string;
  icons?: Icon[];
  _meta?: Record<string, unknown>;
  /**
   * Scopes the caller needs to see or use the item: any one entry suffices, and an entry may list
   * scopes that are all needed (`["read", ["files", "write"]]`). Omit for a public item.
   */
  scopes?: ScopeRequirement;
}

const NAME_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;
/** Names a function gets from where it was written rather than from its author. */
const GENERIC_FUNCTION_NAMES = new Set(["", "handler", "anonymous", "default"]);

/** The name given, else the handler function's own name (as Python http_mcp derives it from `__name__`). */
export function resolveName(kind: "tool" | "prompt", given: string | undefined, handler: Function): string {
  const derived = handler.name.startsWith("bound ") ? handler.name.slice(6) : handler.name;
  const name = given ?? (GENERIC_FUNCTION_NAMES.has(derived) ? undefined : derived);
  if (name === undefined) {
    throw new TypeError(`A ${kind} needs a name: pass \`name\` or use a named function as its handler`);
  }
  if (!NAME_PATTERN.test(name)) {
    throw new TypeError(`Invalid ${kind} name ${JSON.stringify(name.slice(0, 140))}: use 1-128 characters from A-Z a-z 0-9 _ - .`);
  }
  return name;
}

/** "get_time" and "getTime" both become "Get Time". */
export function titleFromName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[\s_.-]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join(" ");
}

export function assertUniqueNames(kind: string, names: Iterable<string>): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new TypeError(`Duplicate ${kind} name "${name}"`);
    seen.add(name);
  }
}

/** The identity every tool and prompt derives from its definition, checked once. */
export function identify(
  kind: "tool" | "prompt",
  definition: DefinitionBase & { handler: unknown },
): { name: string; title: string; description: string | undefined; scopes: ScopeRequirement } {
  if (typeof definition?.handler !== "function") throw new TypeError(`A ${kind} needs a \`handler\` function`);
  const name = resolveName(kind, definition.name, definition.handler);
  return {
    name,
    title: definition.title ?? titleFromName(name),
    description: definition.description,
    scopes: checkScopes(definition.scopes, `${kind} ${name}`),
  };
}
