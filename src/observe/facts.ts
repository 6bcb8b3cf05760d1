// What instrumentation reports about one request, read from the request and its outcome: shared by
// `http-mcp/otel` (span and metric attributes) and `http-mcp/events` (structured events). Only
// values the protocol defines or the server chose: never arguments, results or credentials.
import type { InstrumentedRequest } from "../protocol/instrumentation.js";
import { isObject, type Outcome } from "../protocol/jsonrpc.js";
import { LEGACY_DEFAULT_VERSION, LEGACY_VERSIONS, META_PROTOCOL_VERSION, MODERN_VERSIONS } from "../protocol/versions.js";

/** How a request failed: a JSON-RPC error (its code), or a tool result with `isError` (`tool_error`). */
export interface Failure {
  /** `error.type`: the JSON-RPC code as a string, or `tool_error`. */
  readonly type: string;
  /** The JSON-RPC error code; absent for a tool error. */
  readonly code?: number;
  /** The error kind (`INVALID_PARAMS`, `INTERNAL_ERROR`…), or `tool_error`. */
  readonly kind: string;
  /** The JSON-RPC error's message (what the client got); absent for a tool error. */
  readonly message?: string;
  /** The unexpected error behind an internal error (server side only: never sent to the client). */
  readonly cause?: unknown;
}

/** The tool or prompt a request names (`tools/call`, `prompts/get`), for span names and events. */
export function targetOf(request: InstrumentedRequest): { tool?: string; prompt?: string } {
  const name = request.params.name;
  if (typeof name !== "string") return {};
  if (request.method === "tools/call") return { tool: name };
  if (request.method === "prompts/get") return { prompt: name };
  return {};
}

/**
 * The MCP revision the request is served in, as the dispatcher decides it: the `_meta` version of
 * a 2026-07-28 request, else `initialize`'s requested one, the `MCP-Protocol-Version` header, or
 * the one the session (or stdio peer) negotiated; only versions the server speaks (a made-up
 * value is refused anyway, and would only add cardinality).
 */
export function protocolVersionOf({ params, channel, method }: InstrumentedRequest): string | undefined {
  const meta = params._meta;
  if (isObject(meta) && Object.hasOwn(meta, META_PROTOCOL_VERSION)) {
    const version = meta[META_PROTOCOL_VERSION];
    return typeof version === "string" && MODERN_VERSIONS.includes(version) ? version : undefined;
  }
  // initialize negotiates the version its params ask for; later requests name it in a header.
  const requested = method === "initialize" ? params.protocolVersion : undefined;
  const version = typeof requested === "string" ? requested : (channel.headers?.get("mcp-protocol-version") ?? channel.peer?.protocolVersion ?? LEGACY_DEFAULT_VERSION);
  return LEGACY_VERSIONS.includes(version) ? version : undefined;
}

/** The 2025-era HTTP session the request belongs to (stdio has none that is named). */
export function sessionIdOf({ channel }: InstrumentedRequest): string | undefined {
  const id = (channel.peer as { id?: unknown } | undefined)?.id;
  return typeof id === "string" ? id : undefined;
}

/** `network.transport`: `pipe` for stdio, `tcp` for HTTP. */
export function networkTransportOf({ exchange }: InstrumentedRequest): "pipe" | "tcp" {
  return exchange.request.transport === "stdio" ? "pipe" : "tcp";
}

/** The peer's address and port when the transport knows them (a Node socket; a fetch Request does not say). */
export function clientOf({ exchange }: InstrumentedRequest): { address: string; port: number | undefined; httpVersion: string | undefined } | undefined {
  const raw = exchange.request.raw as { socket?: { remoteAddress?: string; remotePort?: number }; httpVersion?: string } | undefined;
  const address = raw?.socket?.remoteAddress;
  return typeof address === "string" ? { address, port: raw!.socket!.remotePort, httpVersion: raw!.httpVersion } : undefined;
}

/** How the request failed, or undefined when it succeeded. */
export function failureOf(request: InstrumentedRequest, outcome: Outcome): Failure | undefined {
  const { error } = outcome;
  if (error) {
    const code = error.codeFor(outcome.era === "legacy");
    return { type: String(code), code, kind: error.kind, message: error.message, cause: error.cause };
  }
  if (request.method === "tools/call" && outcome.body !== undefined && isToolError(outcome.body)) return { type: "tool_error", kind: "tool_error" };
  return undefined;
}

const IS_ERROR = '"isError":true';

/**
 * True when a response's result has `isError: true` at its top level. The body is the JSON the
 * server wrote; the key is looked for only where it is a key of the result object (depth 2, outside
 * strings), so the same text in a tool's content or structured output does not count.
 */
export function isToolError(body: string): boolean {
  if (!body.includes(IS_ERROR)) return false;
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 34 /* " */) {
      if (depth === 2 && expectKey && body.startsWith(IS_ERROR, i)) return true;
      i = endOfString(body, i);
      expectKey = false;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      depth++;
      expectKey = c === 123;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
    else if (c === 44 /* , */) expectKey = true;
  }
  return false;
}

/** The index of the quote that closes the string opening at `start`. */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) i++;
    else if (c === 34) return i;
  }
  return text.length;
}
