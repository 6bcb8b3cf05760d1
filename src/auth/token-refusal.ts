/**
 * Why a presented token was refused. The client only ever hears the generic `invalid_token` (or
 * `invalid_request`); the reason is for the server's operator.
 */
export type TokenRefusalReason =
  /** Not a bearer token at all (characters outside b64token, too long) or not a parseable JWT. */
  | "malformed"
  /** More than one Authorization header (or credential) in one request: 400 `invalid_request`. */
  | "duplicate"
  | "expired"
  /** `nbf` in the future. */
  | "not_yet_valid"
  /** Not issued for this resource (RFC 8707), or no audience where one is required. */
  | "audience"
  | "issuer"
  /** The signature does not verify against the issuer's keys. */
  | "signature"
  /** A signing algorithm that is not allowed (or not supported). */
  | "algorithm"
  /** Another kind of JWT (its `typ` header, RFC 8725 §3.11), or not the type required. */
  | "typ"
  /** Signed with a key the issuer's JWKS does not have (even after refetching it). */
  | "unknown_kid"
  /** A claim missing or of the wrong type (`sub`, `scope`, `client_id`, `exp`…). */
  | "claims"
  /** Introspection answered `active: false` (revoked, expired, unknown to the authorization server). */
  | "inactive"
  /** Anything else, e.g. a custom validator that resolved null. */
  | "invalid";

/** What the server's operator learns about a refused token (never the token itself). */
export interface TokenRefusal {
  readonly reason: TokenRefusalReason;
  /** A short explanation, safe to log: any occurrence of the token is replaced by "[redacted]". */
  readonly detail: string;
}

/**
 * Thrown by a TokenValidator for a token that is not valid, with the reason: the client gets 401
 * `invalid_token`, the operator the reason and message (through `onTokenRefused`, else `onError`).
 * A validator that resolves null instead refuses with the reason "invalid". Any other error thrown
 * means validation could not be done (503).
 */
export class InvalidTokenError extends Error {
  override readonly name = "InvalidTokenError";
  readonly reason: TokenRefusalReason;

  constructor(reason: TokenRefusalReason, message: string = reason) {
    super(message);
    this.reason = reason;
  }
}

const MAX_DETAIL_LENGTH = 200;
const REDACTED = "[redacted]";

/**
 * The detail with the token removed: the whole token and each of its dot-separated parts (a JWT's
 * header, payload or signature), on one line, capped in length.
 */
export function safeDetail(message: string, token: string): string {
  let text = message;
  const secrets = [token, ...token.split(".")].filter((part) => part.length >= 8);
  for (const secret of secrets) text = text.split(secret).join(REDACTED);
  text = text.replace(/[\r\n]+/g, " ");
  return text.length > MAX_DETAIL_LENGTH ? `${text.slice(0, MAX_DETAIL_LENGTH)}…` : text;
}

/**
 * Receives each refused token's reason and detail (`onTokenRefused`), instead of the server's
 * `onError`.
 */
export type TokenRefusalHook = (refusal: TokenRefusal) => void;

/**
 * Where refusals go: the configured hook, else one line to the server's error reporter. A hook that
 * fails is reported, and the request still gets its 401.
 */
export function refusalSink(hook: TokenRefusalHook | undefined, report: (error: unknown, where: string) => void): TokenRefusalHook {
  if (hook === undefined) {
    return ({ reason, detail }) => {
      const refused = new InvalidTokenError(reason, detail === reason ? reason : `${reason}: ${detail}`);
      // A refusal is the client's doing, not a failure of this code: its report is one line, no stack frames.
      refused.stack = undefined;
      report(refused, "token refused");
    };
  }
  return (refusal) => {
    try {
      const result: unknown = hook(refusal);
      if (typeof (result as PromiseLike<unknown> | undefined)?.then === "function") {
        Promise.resolve(result).catch((error: unknown) => report(error, "onTokenRefused"));
      }
    } catch (error) {
      report(error, "onTokenRefused");
    }
  };
}
