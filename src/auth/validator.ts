import { InvalidTokenError } from "./token-refusal.js";

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
 * Checks an access token for this resource. Resolve null, or throw an `InvalidTokenError` with the
 * reason, for a token that is not valid (401); throw anything else when validation could not be
 * done (the authorization server is down: 503).
 */
export interface TokenValidator {
  validateToken(token: string, resource: string): Promise<TokenInfo | null> | TokenInfo | null;
  /**
   * Optional preparation, run once as part of the server's startup (before `serve` listens, or
   * before the first request is handled): e.g. loading a library. A failure stops the startup.
   */
  start?(): Promise<void> | void;
}

/** Seconds of clock skew tolerated on expiry checks. */
export const DEFAULT_CLOCK_TOLERANCE_SEC = 5;

/**
 * The checks applied to whatever a validator returned: the shape of `TokenInfo`, expiry, and the
 * audience (RFC 8707). Returns why the token is refused, or undefined when it is acceptable.
 */
export function refusalOf(info: TokenInfo, resource: string, nowSec: number, toleranceSec: number): InvalidTokenError | undefined {
  if (!Array.isArray(info.scopes) || !info.scopes.every((scope) => typeof scope === "string")) return new InvalidTokenError("claims", "scopes is not an array of strings");
  if (info.subject !== undefined && typeof info.subject !== "string") return new InvalidTokenError("claims", "subject is not a string");
  if (info.clientId !== undefined && typeof info.clientId !== "string") return new InvalidTokenError("claims", "clientId is not a string");
  if (info.expiresAt !== undefined) {
    if (typeof info.expiresAt !== "number" || Number.isNaN(info.expiresAt)) return new InvalidTokenError("claims", "expiresAt is not a number");
    if (info.expiresAt + toleranceSec <= nowSec) return new InvalidTokenError("expired", "the token has expired");
  }
  const { audience } = info;
  if (audience === undefined) return undefined;
  const matches = typeof audience === "string" ? audience === resource : Array.isArray(audience) && audience.includes(resource);
  return matches ? undefined : new InvalidTokenError("audience", "the token is not for this resource");
}

/**
 * The claims every access token format shares (RFC 9068 §2.2, RFC 7662 §2.2), type-checked: a
 * present claim of the wrong type refuses the token rather than being ignored. Scopes come from
 * `scope` (space-separated) or `scp` (a string or an array of strings); the client from
 * `client_id`, or `azp` when `allowAzp`.
 */
export function tokenInfoFromClaims(claims: Record<string, unknown>, options: { allowAzp?: boolean } = {}): TokenInfo {
  const wrong = (claim: string, type: string) => new InvalidTokenError("claims", `the "${claim}" claim is not ${type}`);
  const string = (claim: string): string | undefined => {
    const value = claims[claim];
    if (value !== undefined && typeof value !== "string") throw wrong(claim, "a string");
    return value;
  };
  const subject = string("sub");
  const clientId = string("client_id") ?? (options.allowAzp ? string("azp") : undefined);
  const exp = claims.exp;
  if (exp !== undefined && (typeof exp !== "number" || !Number.isFinite(exp))) throw wrong("exp", "a number");
  let scopes: string[] = [];
  if (claims.scope !== undefined) scopes = (string("scope") ?? "").split(" ").filter(Boolean);
  else if (typeof claims.scp === "string") scopes = claims.scp.split(" ").filter(Boolean);
  else if (Array.isArray(claims.scp) && claims.scp.every((scope) => typeof scope === "string")) scopes = claims.scp as string[];
  else if (claims.scp !== undefined) throw wrong("scp", "a string or an array of strings");
  const aud = claims.aud;
  if (aud !== undefined && typeof aud !== "string" && !(Array.isArray(aud) && aud.every((entry) => typeof entry === "string"))) {
    throw wrong("aud", "a string or an array of strings");
  }
  // Without a resource owner (client credentials) the client is the subject (RFC 9068 §2.2).
  return { subject: subject ?? clientId, scopes, expiresAt: exp, clientId, audience: aud };
}

/**
 * The server's startup with the validator's own `start` run first (once it has succeeded, the
 * wrapper costs one boolean check). A failure rejects startup: `serve` does not listen, and a
 * request arriving meanwhile is refused (500, reported) rather than told to retry.
 */
export function startingWith(validator: TokenValidator, ready: () => Promise<void> | undefined): () => Promise<void> | undefined {
  if (typeof validator.start !== "function") return ready;
  let started = false;
  let starting: Promise<void> | undefined;
  return () => {
    if (started) return ready();
    starting ??= Promise.resolve()
      .then(() => validator.start!())
      .then(
        () => void (started = true),
        (error: unknown) => {
          starting = undefined; // tried again by the next request
          throw error;
        },
      );
    return starting.then(ready);
  };
}
