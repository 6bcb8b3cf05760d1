import { isScopeToken, type ImpliedScopes } from "./access.js";

/** A scope hierarchy, made once by `scopeHierarchy({ … })`: broader scopes imply narrower ones. */
export interface ScopeHierarchy {
  /** Every scope it names, broader and narrower (advertised in `scopes_supported`). */
  readonly scopes: readonly string[];
  /** A set of scopes with everything it implies, transitively. */
  readonly widen: ImpliedScopes;
}

/**
 * Declares which scopes imply which (`{ admin: ["write"], write: ["read"] }`: an admin token may do
 * what a write or read token may). Pass it as `MCPServer({ scopeHierarchy })`: the caller's scopes
 * are widened once per request, so every check (lists, calls, reads, completions, listen,
 * challenges) honours it. Scopes are checked against RFC 6749 §3.3 here.
 */
export function scopeHierarchy(implications: Readonly<Record<string, readonly string[]>>): ScopeHierarchy {
  const implies = new Map(Object.entries(implications));
  if (![...implies.values()].every(Array.isArray)) throw new TypeError("scopeHierarchy: each scope maps to an array of the scopes it implies");
  const scopes = [...new Set([...implies].flat(2))];
  for (const scope of scopes) if (!isScopeToken(scope)) throw new TypeError(`scopeHierarchy: invalid scope ${JSON.stringify(scope)} (RFC 6749 §3.3)`);
  const widen: ImpliedScopes = (granted) => {
    const all = [...granted];
    for (let i = 0; i < all.length; i++) for (const narrower of implies.get(all[i]!) ?? []) if (!all.includes(narrower)) all.push(narrower);
    return all;
  };
  return Object.freeze({ scopes: Object.freeze(scopes), widen });
}
