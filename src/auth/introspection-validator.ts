import { TokenCache, type TokenCacheOptions } from "./token-cache.js";
import { InvalidTokenError } from "./token-refusal.js";
import { tokenInfoFromClaims, type TokenInfo, type TokenValidator } from "./validator.js";

/**
 * Options of `introspectionValidator()`: the RFC 7662 introspection endpoint, the resource server's
 * credentials there, and the cache of answers.
 */
export interface IntrospectionValidatorOptions {
  /** The authorization server's RFC 7662 introspection endpoint. */
  endpoint: string;
  /** This resource server's own client credentials at the authorization server (HTTP Basic). */
  clientId: string;
  clientSecret: string;
  /** Request timeout (default 5000 ms); a timeout or an error status is an outage (503), not an invalid token. */
  timeoutMs?: number;
  /** Refuse active tokens whose response has no `aud` to check against the resource (default true). */
  requireAudience?: boolean;
  /**
   * Reuse introspection results (keyed by a SHA-256 of the token): active ones for `ttlSec`
   * (default 60, never past the token's `exp`), refusals for `inactiveTtlSec` (default 10), at most
   * `maxEntries` (default 1000, least recently used dropped first). A token revoked at the
   * authorization server may be accepted until its cached result ages out. `false` (or `ttlSec: 0`
   * with `inactiveTtlSec: 0`) asks on every request.
   */
  cache?: TokenCacheOptions | false;
  /** The fetch to use (default the global one). */
  fetch?: typeof fetch;
}

/** Validates opaque access tokens by asking the authorization server (RFC 7662). */
export function introspectionValidator(options: IntrospectionValidatorOptions): TokenValidator {
  // RFC 6749 §2.3.1: both parts form-urlencoded before the Basic encoding.
  const authorization = `Basic ${btoa(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`)}`;
  const requireAudience = options.requireAudience ?? true;
  const cache = options.cache === false ? undefined : new TokenCache(options.cache);

  const introspect = async (token: string): Promise<TokenInfo> => {
    const response = await (options.fetch ?? fetch)(options.endpoint, {
      method: "POST",
      headers: { authorization, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ token, token_type_hint: "access_token" }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
    if (!response.ok) throw new Error(`introspection endpoint answered HTTP ${response.status}`);
    const claims = (await response.json()) as Record<string, unknown> | null;
    if (claims === null || typeof claims !== "object" || Array.isArray(claims)) throw new Error("introspection endpoint answered with no JSON object");
    if (claims.active !== true) throw new InvalidTokenError("inactive", "the authorization server says the token is not active");
    const info = tokenInfoFromClaims(claims);
    if (info.audience === undefined && requireAudience) throw new InvalidTokenError("audience", "the introspection response has no audience");
    return info;
  };

  return {
    validateToken: cache?.enabled ? (token) => cache.get(token, () => introspect(token)) : introspect,
  };
}
