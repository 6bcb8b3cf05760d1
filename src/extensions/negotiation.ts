// What every extension module needs from SEP-2133 negotiation: the settings a client declared for
// an extension, the -32021 refusal when it declared none, and the server's own declaration.
import { McpError } from "../errors.js";
import type { Engine } from "../protocol/engine.js";
import { isObject } from "../protocol/jsonrpc.js";
import type { Era } from "../protocol/versions.js";

/** Extension identifiers: a reverse-DNS vendor prefix, a slash, a name (e.g. "io.modelcontextprotocol/tasks"). */
const EXTENSION_ID = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Throws a TypeError unless `id` is an extension identifier. */
export function checkExtensionId(id: unknown): asserts id is string {
  if (typeof id !== "string" || !EXTENSION_ID.test(id)) {
    throw new TypeError(`Extension identifier ${JSON.stringify(id)} must be a reverse-DNS prefix, a slash and a name, e.g. "com.example/search"`);
  }
}

/**
 * The settings the client declared for extension `id` (an object; `{}` means no settings), or
 * undefined when it did not declare it. 2026-07-28 clients declare per request, in `_meta`; 2025-era
 * clients once, in `initialize` (stdio and sessions; stateless 2025-era HTTP calls declare nothing).
 */
export function clientExtension(
  context: { readonly clientCapabilities: Readonly<Record<string, unknown>> | undefined },
  id: string,
): Readonly<Record<string, unknown>> | undefined {
  const extensions = context.clientCapabilities?.extensions;
  const settings = isObject(extensions) ? extensions[id] : undefined;
  return isObject(settings) ? settings : undefined;
}

/** The error for a request that needs extension `id` from a client that did not declare it (-32021). */
export function missingExtension(id: string): McpError {
  return new McpError("MISSING_CLIENT_CAPABILITY", `Missing required client capability: the ${id} extension`, {
    data: { requiredCapabilities: { extensions: { [id]: {} } } },
  });
}

const declared = new WeakMap<Engine, Set<string>>();

/**
 * Declares extension `id` with its settings under `capabilities.extensions` (a server declares each
 * id once): in `server/discover` and in 2025-era `initialize` results, or only where `era` says.
 */
export function advertiseExtension(engine: Engine, id: string, settings: Readonly<Record<string, unknown>>, era?: Era): void {
  const ids = declared.get(engine) ?? new Set<string>();
  if (ids.has(id)) throw new TypeError(`Extension ${id} is given to the server twice`);
  declared.set(engine, ids.add(id));
  const frozen = structuredClone(settings);
  engine.methods.advertise({ name: "extensions", settings: (_engine, _push, describedTo) => (era === undefined || era === describedTo ? { [id]: frozen } : undefined) });
}
