import type { HeaderReader } from "../definitions/context.js";
import { McpError } from "../errors.js";

// SEP-2243: `=?base64?…?=` (markers exactly so, lowercase) wraps canonical, padded base64 of UTF-8;
// any other value, `=?BASE64?…?=` or a missing suffix included, is literal.
const SENTINEL = /^=\?base64\?(.*)\?=$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
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
  const encoded = SENTINEL.exec(value)?.[1];
  try {
    if (/[^\t\x20-\x7e]/.test(value) || (encoded !== undefined && !BASE64.test(encoded))) throw 0;
    // The decoder refuses bytes that are not UTF-8.
    return encoded === undefined ? value : utf8.decode(Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0)));
  } catch {
    throw new McpError("HEADER_MISMATCH", `Invalid ${display} header`);
  }
}

/** Checks that a standard header mirrors the body value it stands for (SEP-2243). */
export function expectHeader(headers: HeaderReader, name: string, display: string, expected: string, what: string): void {
  const value = mcpHeader(headers, name, display);
  if (value === undefined) throw new McpError("HEADER_MISMATCH", `Missing ${display} header`);
  if (value !== expected) throw new McpError("HEADER_MISMATCH", `${display} header does not match ${what}`);
}
