import type { HeaderReader } from "../definitions/context.js";
import { isScopeToken, sufficientScopes, type Access } from "../protocol/access.js";
import type { Engine } from "../protocol/engine.js";
import { mcpHeader } from "../protocol/headers.js";

/** Never challenged for nor advertised (MCP 2026-07-28): a client asks for it on its own account. */
const OFFLINE_ACCESS = "offline_access";

/** A realm is sent as a quoted-string: printable ASCII only, checked when the app is built. */
export function checkRealm(realm: unknown): string | undefined {
  if (realm === undefined) return undefined;
  if (typeof realm !== "string" || !/^[\x20-\x7e]*$/.test(realm)) throw new TypeError("realm must be printable ASCII (no control characters)");
  return realm;
}

/** Scopes advertised in `scopes_supported`: checked when the app is built; `offline_access` left out of derived lists. */
export function supportedScopes(declared: readonly string[] | undefined, derived: readonly string[]): readonly string[] {
  if (declared === undefined) return derived.filter((scope) => scope !== OFFLINE_ACCESS);
  for (const scope of declared) if (!isScopeToken(scope)) throw new TypeError(`scopes_supported: invalid scope ${JSON.stringify(scope)} (RFC 6749 §3.3)`);
  return declared;
}

/** A challenge's `scope` value: the valid scopes named, or undefined (never `scope=""`). */
export function challengeScope(scopes: unknown): string | undefined {
  const valid = Array.isArray(scopes) ? scopes.filter((scope) => isScopeToken(scope) && scope !== OFFLINE_ACCESS) : [];
  return valid.length > 0 ? valid.join(" ") : undefined;
}

/**
 * What a request's target needs, known before its body is read from the 2026-07-28 headers
 * (`Mcp-Method`, `Mcp-Name`), for the `scope` of a 401. Items with a `visible` predicate stay unnamed.
 */
export function targetScope(engine: Engine, headers: HeaderReader): string | undefined {
  let access: Access | undefined;
  try {
    const method = headers.get("mcp-method");
    const name = mcpHeader(headers, "mcp-name", "Mcp-Name");
    if (name === undefined) return undefined;
    if (method === "tools/call") access = engine.tools.byName.get(name)?.access;
    else if (method === "prompts/get") access = engine.prompts.byName.get(name)?.access;
    else if (method === "resources/read") {
      access = engine.resourceRuntime?.resolveResource(engine.resources, engine.templates, name)?.access;
    }
  } catch {
    return undefined; // a malformed header is refused later, with its own error
  }
  if (access === undefined || access.visible) return undefined;
  return challengeScope(sufficientScopes(access, [], engine.impliedScopes));
}
