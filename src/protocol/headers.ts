import type { HeaderReader } from "../definitions/context.js";
import { McpError } from "../errors.js";

const SENTINEL = /^=\?base64\?([A-Za-z0-9+/]*={0,2})\?=$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * A standard MCP header's value: trimmed, and decoded when it uses the `=?base64?…?=` form
 * (clients use it for non-ASCII names). Undefined when the header is absent.
 */
export function mcpHeader(headers: HeaderReader, name: string, display: string): string | undefined {
  const raw = headers.get(name);
  if (raw === null) return undefined;
  const value = raw.trim();
  if (!value.startsWith("=?")) return value;
  const match = SENTINEL.exec(value);
  if (!match) throw new McpError("HEADER_MISMATCH", `Invalid encoded value in ${display} header`);
  try {
    return utf8.decode(Uint8Array.from(atob(match[1]!), (c) => c.charCodeAt(0)));
  } catch {
    throw new McpError("HEADER_MISMATCH", `Invalid base64 in ${display} header`);
  }
}

/** Checks that a standard header mirrors the body value it stands for (SEP-2243). */
export function expectHeader(headers: HeaderReader, name: string, display: string, expected: string, what: string): void {
  const value = mcpHeader(headers, name, display);
  if (value === undefined) throw new McpError("HEADER_MISMATCH", `Missing ${display} header`);
  if (value !== expected) throw new McpError("HEADER_MISMATCH", `${display} header does not match ${what}`);
}
