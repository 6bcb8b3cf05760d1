import type { McpRequest } from "../definitions/context.js";

/** RFC 6750 §2.1 b64token. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
/** Longer tokens are refused before any validator sees them. */
export const MAX_TOKEN_LENGTH = 2048;

/**
 * What an Authorization header holds: nothing usable (absent, or another scheme: RFC 6750 §3.1 then
 * wants a challenge without an error code), more than one credential (RFC 6750 §3.1 `invalid_request`),
 * a malformed bearer token, or a well-formed one.
 */
export type BearerCredential =
  | { readonly kind: "none" }
  | { readonly kind: "duplicate" }
  | { readonly kind: "malformed" }
  | { readonly kind: "token"; readonly token: string };

const NONE: BearerCredential = { kind: "none" };
const DUPLICATE: BearerCredential = { kind: "duplicate" };
const MALFORMED: BearerCredential = { kind: "malformed" };

/** A second credential joined to the first: `Headers` and most frameworks join repeated headers with ", ". */
const JOINED_BEARER = /,\s*bearer(?:\s|$)/i;

/** Node drops all but the first Authorization header from `req.headers`; its raw headers still list every one. */
function authorizationHeaderCount(raw: unknown): number {
  const rawHeaders = (raw as { rawHeaders?: unknown } | null | undefined)?.rawHeaders;
  if (!Array.isArray(rawHeaders)) return 0;
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    if (typeof name === "string" && name.length === 13 && name.toLowerCase() === "authorization") count++;
  }
  return count;
}

/** Reads the request's bearer credential, refusing a request that carries two. */
export function readCredential(request: McpRequest): BearerCredential {
  const header = request.headers.get("authorization");
  if (header === null) return NONE;
  if (authorizationHeaderCount(request.raw) > 1) return DUPLICATE;
  return readBearer(header);
}

export function readBearer(header: string | null): BearerCredential {
  const value = header?.trim();
  if (!value) return NONE;
  const space = value.indexOf(" ");
  const scheme = space === -1 ? value : value.slice(0, space);
  // A bearer token never holds a comma: one after the scheme is a second header (or credential) joined on.
  if (scheme.toLowerCase() !== "bearer") return JOINED_BEARER.test(value) ? DUPLICATE : NONE;
  const token = space === -1 ? "" : value.slice(space + 1).trimStart();
  if (token.includes(",")) return DUPLICATE;
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH || !B64TOKEN.test(token)) return MALFORMED;
  return { kind: "token", token };
}
