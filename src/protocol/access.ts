import type { AuthInfo, McpRequest } from "../definitions/context.js";

/**
 * The scopes an item requires: any one entry suffices, and an entry is a scope or a list of scopes
 * that are all needed. `["read", "admin"]`: read or admin; `[["read", "write"]]`: read and write.
 */
export type ScopeRequirement = readonly (string | readonly string[])[];

/** Who is asking, as an item's `visible` predicate sees it. */
export interface Caller<State = unknown> {
  readonly auth: AuthInfo | undefined;
  /** The caller's scopes, with those they imply (the server's `scopeHierarchy`). */
  readonly scopes: readonly string[];
  readonly request: McpRequest;
  readonly state: State;
}

/** Decides, per caller, whether an item exists for them at all (e.g. a feature flag per tenant). */
export type Visibility<State = unknown> = (caller: Caller<State>) => boolean;

/** An item's access rule, compiled once. */
export interface Access {
  /** The alternatives in declared order, each the scopes it needs all of; empty for a public item. */
  readonly anyOf: readonly (readonly string[])[];
  readonly visible: Visibility<any> | undefined;
}

/** RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export function isScopeToken(scope: unknown): scope is string {
  return typeof scope === "string" && SCOPE_TOKEN.test(scope);
}

/** Checks a declared requirement once, at definition time; returns it frozen. */
export function checkScopes(scopes: ScopeRequirement = [], owner: string): ScopeRequirement {
  for (const scope of [scopes].flat(2)) if (!isScopeToken(scope)) throw new TypeError(`${owner}: invalid scope ${JSON.stringify(scope)} (RFC 6749 §3.3)`);
  return Object.freeze(scopes.map((entry) => (typeof entry === "string" ? entry : Object.freeze([...entry]))));
}

export function compileAccess(scopes: ScopeRequirement, visible: Visibility<any> | undefined): Access {
  return { anyOf: scopes.map((entry) => (typeof entry === "string" ? [entry] : entry)), visible };
}

/** True when the caller holds every scope of some alternative (always, for a public item). */
export function hasScopes(access: Access, scopes: readonly string[]): boolean {
  return access.anyOf.length === 0 || access.anyOf.some((all) => all.every((scope) => scopes.includes(scope)));
}

/** True when the item exists for this caller: its predicate (if any) says so. */
export function isVisible(access: Access, caller: Caller): boolean {
  return access.visible === undefined || access.visible(caller) === true;
}

/** A set of scopes with everything it implies (the server's `scopeHierarchy`). */
export type ImpliedScopes = (scopes: readonly string[]) => readonly string[];

/**
 * A minimal set of scopes that would let the caller in, for challenges and error data: the
 * alternative with the fewest scopes missing, then the narrowest (implying the fewest scopes:
 * no `admin` where `read` would do), then the first declared; never `offline_access` (MCP 2026-07-28).
 */
export function sufficientScopes(access: Access, callerScopes: readonly string[], implied: ImpliedScopes = (scopes) => scopes): string[] {
  let best: readonly string[] = [];
  let rank = Infinity;
  for (const all of access.anyOf) {
    const missing = all.filter((scope) => !callerScopes.includes(scope)).length;
    const order = missing * 1e6 + implied(all).length;
    if (order < rank) [best, rank] = [all, order];
  }
  return best.filter((scope) => scope !== "offline_access");
}
