/** RFC 6750 §2.1 b64token. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
/** Longer tokens are refused before any validator sees them. */
export const MAX_TOKEN_LENGTH = 2048;

/**
 * What an Authorization header holds: nothing usable (absent, or another scheme: RFC 6750 §3.1 then
 * wants a challenge without an error code), a malformed bearer token, or a well-formed one.
 */
export type BearerCredential = { readonly kind: "none" } | { readonly kind: "malformed" } | { readonly kind: "token"; readonly token: string };

const NONE: BearerCredential = { kind: "none" };
const MALFORMED: BearerCredential = { kind: "malformed" };

export function readBearer(header: string | null): BearerCredential {
  const value = header?.trim();
  if (!value) return NONE;
  const space = value.indexOf(" ");
  const scheme = space === -1 ? value : value.slice(0, space);
  if (scheme.toLowerCase() !== "bearer") return NONE;
  const token = space === -1 ? "" : value.slice(space + 1).trimStart();
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH || !B64TOKEN.test(token)) return MALFORMED;
  return { kind: "token", token };
}
