import { InvalidTokenError, type TokenRefusalReason } from "./token-refusal.js";
import { DEFAULT_CLOCK_TOLERANCE_SEC, tokenInfoFromClaims, type TokenInfo, type TokenValidator } from "./validator.js";

/** Options of `jwtValidator()`: the issuer, where its keys are, and what the tokens must say. */
export interface JwtValidatorOptions {
  /** Required `iss`. */
  issuer: string;
  /** The authorization server's JWKS (its `jwks_uri`); keys are cached and refetched on an unknown `kid`. */
  jwksUrl: string;
  /** Required `aud`; default: the protected resource (RFC 8707). */
  audience?: string;
  /** Accepted signing algorithms (default RS256, PS256, ES256, EdDSA): never `none`, never a MAC. */
  algorithms?: readonly string[];
  /**
   * The only `typ` header accepted, compared case-insensitively with or without `application/`:
   * `"at+jwt"` is the strict RFC 9068 check. Default: `at+jwt`, `JWT` or no `typ`; a JWT typed as
   * anything else (`logout+jwt`, `secevent+jwt`, `id_token+jwt`…) is refused (RFC 8725 §3.11).
   */
  typ?: string;
  /** Clock skew tolerated on `exp` and `nbf` (default 5 s). */
  clockToleranceSec?: number;
  /** JWKS request timeout (default 5000 ms); a timeout is an outage (503), not an invalid token. */
  timeoutMs?: number;
}

const DEFAULT_ALGORITHMS = ["RS256", "PS256", "ES256", "EdDSA"];

/** `typ` values as jose compares them (RFC 7515 §4.1.9): lowercased, with the `application/` prefix. */
function normalizeTyp(typ: string): string {
  const lower = typ.toLowerCase();
  return lower.includes("/") ? lower : `application/${lower}`;
}

/** Untyped, plain JWT, or an access token: the types accepted when no `typ` is required. */
const ACCESS_TOKEN_TYPES = new Set(["application/jwt", "application/at+jwt"]);

const CLAIM_REASONS: Readonly<Record<string, TokenRefusalReason>> = { aud: "audience", iss: "issuer", nbf: "not_yet_valid", typ: "typ" };

/** Why jose refused a token, or undefined when its error is not about the token (JWKS unreachable, timeouts: an outage). */
function reasonOf(error: { code?: unknown; claim?: unknown; reason?: unknown }): TokenRefusalReason | undefined {
  switch (error.code) {
    case "ERR_JWT_EXPIRED":
      return "expired";
    case "ERR_JWT_CLAIM_VALIDATION_FAILED":
      // A claim of the wrong type ("invalid") is a claims problem whichever claim it is.
      return (typeof error.claim === "string" && error.reason !== "invalid" && CLAIM_REASONS[error.claim]) || "claims";
    case "ERR_JWT_INVALID":
    case "ERR_JWS_INVALID":
    case "ERR_JOSE_NOT_SUPPORTED": // an unrecognized `crit` extension (unlisted algorithms fail as not allowed first)
      return "malformed";
    case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
    case "ERR_JWKS_MULTIPLE_MATCHING_KEYS":
      return "signature";
    case "ERR_JWKS_NO_MATCHING_KEY":
      return "unknown_kid";
    case "ERR_JOSE_ALG_NOT_ALLOWED":
      return "algorithm";
    default:
      return undefined;
  }
}

type Verify = (token: string, audience: string) => Promise<TokenInfo>;

function joseUnavailable(error: unknown): Error {
  const missing = (error as { code?: unknown } | null)?.code === "ERR_MODULE_NOT_FOUND";
  const message = missing
    ? 'jwtValidator needs "jose", an optional peer dependency of http-mcp: install it (npm install jose)'
    : `jwtValidator could not load "jose" (install it with npm install jose): ${String((error as Error | null)?.message ?? error)}`;
  return new Error(message, { cause: error });
}

/**
 * Validates JWT access tokens (RFC 9068) with `jose` (an optional peer dependency, loaded when the
 * server starts): signature against the remote JWKS, issuer, audience, expiry, allowed algorithms,
 * the `typ` header, and the types of the claims it reads. Scopes come from `scope` (space-separated) or `scp`.
 */
export function jwtValidator(options: JwtValidatorOptions): TokenValidator {
  let verifier: Promise<Verify> | undefined;
  const load = (): Promise<Verify> =>
    (verifier ??= import("jose").then(
      (jose) => {
        const jwks = jose.createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: options.timeoutMs ?? 5000 });
        const verifyOptions = {
          issuer: options.issuer,
          algorithms: [...(options.algorithms ?? DEFAULT_ALGORITHMS)],
          clockTolerance: options.clockToleranceSec ?? DEFAULT_CLOCK_TOLERANCE_SEC,
          requiredClaims: ["exp"],
          ...(options.typ !== undefined && { typ: options.typ }),
        };
        return async (token, audience) => {
          let verified: Awaited<ReturnType<typeof jose.jwtVerify>>;
          try {
            verified = await jose.jwtVerify(token, jwks, { ...verifyOptions, audience });
          } catch (error) {
            const reason = reasonOf(error as { code?: unknown });
            if (reason === undefined) throw error;
            throw new InvalidTokenError(reason, (error as Error).message);
          }
          const typ = verified.protectedHeader.typ;
          if (options.typ === undefined && typ !== undefined && (typeof typ !== "string" || !ACCESS_TOKEN_TYPES.has(normalizeTyp(typ)))) {
            throw new InvalidTokenError("typ", `a JWT of type ${JSON.stringify(String(typ)).slice(0, 60)} is not an access token`);
          }
          return tokenInfoFromClaims(verified.payload, { allowAzp: true });
        };
      },
      (error: unknown) => {
        verifier = undefined;
        throw joseUnavailable(error);
      },
    ));
  return {
    async start() {
      await load();
    },
    async validateToken(token, resource) {
      const verify = await load();
      return verify(token, options.audience ?? resource);
    },
  };
}
