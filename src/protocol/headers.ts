import type { HeaderReader } from "../definitions/context.js";
import { McpError } from "../errors.js";

// SEP-2243: `=?base64?…?=` (markers exactly so, lowercase) wraps canonical, padded base64 of UTF-8;
// any other value, `=?BASE64?…?=` or a missing suffix included, is literal.
const PREFIX = "=?base64?";
const SUFFIX = "?=";
const NOT_VISIBLE_ASCII = /[^\t -~]/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * A standard MCP header's value: trimmed, and decoded when it uses the `=?base64?…?=` form
 * (clients use it for non-ASCII names). Undefined when the header is absent. A value with bytes
 * outside visible ASCII, space and tab, or with malformed base64, is refused (400, -32020).
 */
export function mcpHeader(headers: HeaderReader, name: string, display: string): string | undefined {
  const raw = headers.get(name);
  if (raw === null) return undefined;
  const value = raw.trim();
  if (NOT_VISIBLE_ASCII.test(value)) throw invalidHeader(display);
  // Read on every request: plain string tests rather than a regular expression.
  if (value.length < PREFIX.length + SUFFIX.length || !value.startsWith(PREFIX) || !value.endsWith(SUFFIX)) return value;
  const encoded = value.slice(PREFIX.length, -SUFFIX.length);
  try {
    // atob forgives missing padding and spaces; only what btoa gives back is canonical.
    const binary = atob(encoded);
    if (btoa(binary) !== encoded) throw 0;
    return utf8.decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))); // refuses bytes that are not UTF-8
  } catch {
    throw invalidHeader(display);
  }
}

function invalidHeader(display: string): McpError {
  return new McpError("HEADER_MISMATCH", `Invalid ${display} header`);
}

/** Checks that a standard header mirrors the body value it stands for (SEP-2243). */
export function expectHeader(headers: HeaderReader, name: string, display: string, expected: string, what: string): void {
  const value = mcpHeader(headers, name, display);
  if (value === undefined) throw new McpError("HEADER_MISMATCH", `Missing ${display} header`);
  if (value !== expected) throw new McpError("HEADER_MISMATCH", `${display} header does not match ${what}`);
}
