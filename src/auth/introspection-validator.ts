import { scopesFromClaims, type TokenValidator } from "./validator.js";

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
  /** The fetch to use (default the global one). */
  fetch?: typeof fetch;
}

/** Validates opaque access tokens by asking the authorization server (RFC 7662). */
export function introspectionValidator(options: IntrospectionValidatorOptions): TokenValidator {
  // RFC 6749 §2.3.1: both parts form-urlencoded before the Basic encoding.
  const authorization = `Basic ${btoa(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`)}`;
  const requireAudience = options.requireAudience ?? true;
  return {
    async validateToken(token) {
      const response = await (options.fetch ?? fetch)(options.endpoint, {
        method: "POST",
        headers: { authorization, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: new URLSearchParams({ token, token_type_hint: "access_token" }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
      if (!response.ok) throw new Error(`introspection endpoint answered HTTP ${response.status}`);
      const claims = (await response.json()) as Record<string, unknown> | null;
      if (claims === null || typeof claims !== "object" || claims.active !== true) return null;
      const audience = claims.aud;
      const validAudience = typeof audience === "string" || (Array.isArray(audience) && audience.every((a) => typeof a === "string"));
      if (!validAudience && (requireAudience || audience !== undefined)) return null;
      const clientId = typeof claims.client_id === "string" ? claims.client_id : undefined;
      return {
        // Without a resource owner (client credentials) the client is the subject (RFC 9068 §2.2).
        subject: typeof claims.sub === "string" ? claims.sub : clientId,
        scopes: scopesFromClaims(claims),
        expiresAt: typeof claims.exp === "number" ? claims.exp : undefined,
        clientId,
        audience: validAudience ? (audience as string | string[]) : undefined,
      };
    },
  };
}
