/** What a validated access token says about its bearer. */
export interface TokenInfo {
  readonly subject?: string | undefined;
  readonly scopes: readonly string[];
  /** Expiry, in seconds since the epoch; an expired token is refused even if the validator let it through. */
  readonly expiresAt?: number | undefined;
  readonly clientId?: string | undefined;
  /** The token's audience(s); when present it must include the resource (RFC 8707). */
  readonly audience?: string | readonly string[] | undefined;
}

/**
 * Checks an access token for this resource. Resolve null for a token that is not valid (401);
 * throw when validation could not be done (the authorization server is down: 503).
 */
export interface TokenValidator {
  validateToken(token: string, resource: string): Promise<TokenInfo | null> | TokenInfo | null;
}

/** Seconds of clock skew tolerated on expiry checks. */
export const DEFAULT_CLOCK_TOLERANCE_SEC = 5;

/** The audience check of RFC 8707 and the expiry check, applied to whatever a validator returned. */
export function acceptable(info: TokenInfo, resource: string, nowSec: number, toleranceSec: number): boolean {
  if (!Array.isArray(info.scopes)) return false;
  if (info.expiresAt !== undefined && info.expiresAt + toleranceSec <= nowSec) return false;
  if (info.audience === undefined) return true;
  return typeof info.audience === "string" ? info.audience === resource : info.audience.includes(resource);
}

/** Scopes from a `scope` string (RFC 8693/7662) or an `scp` claim (string or array). */
export function scopesFromClaims(claims: Record<string, unknown>): string[] {
  const raw = claims.scope ?? claims.scp;
  if (typeof raw === "string") return raw.split(" ").filter(Boolean);
  if (Array.isArray(raw)) return raw.filter((scope): scope is string => typeof scope === "string");
  return [];
}
