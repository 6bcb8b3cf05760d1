import { DEFAULT_CLOCK_TOLERANCE_SEC, scopesFromClaims, type TokenInfo, type TokenValidator } from "./validator.js";

export interface JwtValidatorOptions {
  /** Required `iss`. */
  issuer: string;
  /** The authorization server's JWKS (its `jwks_uri`); keys are cached and refetched on an unknown `kid`. */
  jwksUrl: string;
  /** Required `aud`; default: the protected resource (RFC 8707). */
  audience?: string;
  /** Accepted signing algorithms (default RS256, PS256, ES256, EdDSA): never `none`, never a MAC. */
  algorithms?: readonly string[];
  /** Required `typ` header, e.g. "at+jwt" (RFC 9068); default: not checked. */
  typ?: string;
  /** Clock skew tolerated on `exp` and `nbf` (default 5 s). */
  clockToleranceSec?: number;
  /** JWKS request timeout (default 5000 ms); a timeout is an outage (503), not an invalid token. */
  timeoutMs?: number;
}

const DEFAULT_ALGORITHMS = ["RS256", "PS256", "ES256", "EdDSA"];

/** jose error codes that mean "this token is not valid"; anything else (JWKS unreachable, timeouts) is an outage. */
const INVALID_TOKEN_CODES = new Set([
  "ERR_JWT_EXPIRED",
  "ERR_JWT_CLAIM_VALIDATION_FAILED",
  "ERR_JWT_INVALID",
  "ERR_JWS_INVALID",
  "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
  "ERR_JWKS_NO_MATCHING_KEY",
  "ERR_JWKS_MULTIPLE_MATCHING_KEYS",
  "ERR_JOSE_ALG_NOT_ALLOWED",
  "ERR_JOSE_NOT_SUPPORTED",
]);

type Verify = (token: string, audience: string) => Promise<TokenInfo | null>;

/**
 * Validates JWT access tokens (RFC 9068) with `jose` (an optional peer dependency, loaded on first
 * use): signature against the remote JWKS, issuer, audience, expiry, allowed algorithms.
 * Scopes come from `scope` (space-separated) or `scp`.
 */
export function jwtValidator(options: JwtValidatorOptions): TokenValidator {
  let verifier: Promise<Verify> | undefined;
  const load = (): Promise<Verify> =>
    (verifier ??= import("jose").then((jose) => {
      const jwks = jose.createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: options.timeoutMs ?? 5000 });
      const verifyOptions = {
        issuer: options.issuer,
        algorithms: [...(options.algorithms ?? DEFAULT_ALGORITHMS)],
        clockTolerance: options.clockToleranceSec ?? DEFAULT_CLOCK_TOLERANCE_SEC,
        requiredClaims: ["exp"],
        ...(options.typ !== undefined && { typ: options.typ }),
      };
      return async (token, audience) => {
        try {
          const { payload } = await jose.jwtVerify(token, jwks, { ...verifyOptions, audience });
          const clientId = payload.client_id ?? payload.azp;
          return {
            subject: payload.sub,
            scopes: scopesFromClaims(payload),
            expiresAt: payload.exp,
            clientId: typeof clientId === "string" ? clientId : undefined,
            audience: payload.aud,
          };
        } catch (error) {
          if (INVALID_TOKEN_CODES.has((error as { code?: string }).code ?? "")) return null;
          throw error;
        }
      };
    }));
  return {
    async validateToken(token, resource) {
      const verify = await load();
      return verify(token, options.audience ?? resource);
    },
  };
}
