import type { HeaderReader } from "../definitions/context.js";
import { McpError, truncateName } from "../errors.js";
import { redactCredentials } from "../server/report.js";
import { canUse, type Catalog } from "./catalog.js";
import { expectHeader, mcpHeader } from "./headers.js";
import { ACCEPTED, errorOutcome, fail, isObject, isValidId, resultOutcome, type Outcome, type RequestId } from "./jsonrpc.js";
import { runPrompt, type CompiledPrompt } from "./prompts.js";
import { RequestContext, type Exchange } from "./request-context.js";
import { runTool, type CompiledTool } from "./tools.js";
import {
  LEGACY_VERSIONS,
  LOG_LEVELS,
  META_CLIENT_CAPABILITIES,
  META_CLIENT_INFO,
  META_LOG_LEVEL,
  META_PROTOCOL_VERSION,
  MODERN_VERSIONS,
  type Era,
} from "./versions.js";

/** What the dispatcher needs from the server: registries, precomputed payloads, state, logging. */
export interface Engine {
  readonly tools: Catalog<CompiledTool>;
  readonly prompts: Catalog<CompiledPrompt>;
  /** Result `_meta` of modern responses (server identity). */
  readonly resultMeta: Readonly<Record<string, unknown>>;
  readonly discoverJson: string;
  initializeJson(protocolVersion: string): string;
  readonly state: unknown;
  report(error: unknown, where: string): void;
  reportStateMismatch(detail: string): void;
}

/** Where a message came from, as far as the protocol rules differ between transports. */
export interface Channel {
  /** The HTTP request's headers: enables the 2026-07-28 header checks. Absent on stdio. */
  readonly headers?: HeaderReader | undefined;
  /**
   * Written by a successful `initialize`. A stdio process is a 2025-era session, so its later
   * legacy requests run at this version; HTTP clients send theirs in a header on every request.
   */
  negotiatedVersion?: string;
}

type Params = Record<string, unknown>;
const NO_PARAMS: Params = Object.freeze({});
const NO_SCOPES: readonly string[] = Object.freeze([]);
const LEGACY_DEFAULT_VERSION = "2025-03-26";

/**
 * Handles one parsed JSON-RPC message: validates its shape, tells the eras apart (per request,
 * never from earlier traffic), checks the 2026-07-28 metadata and HTTP headers, and routes it.
 */
export async function dispatch(engine: Engine, message: unknown, exchange: Exchange, channel: Channel): Promise<Outcome> {
  if (!isObject(message)) {
    return fail("INVALID_REQUEST", Array.isArray(message) ? "Invalid request: batches are not supported" : "Invalid request: expected a JSON-RPC object");
  }
  const hasId = Object.hasOwn(message, "id");
  const id = isValidId(message.id) ? message.id : undefined;
  if (message.jsonrpc !== "2.0") return fail("INVALID_REQUEST", 'Invalid request: jsonrpc must be "2.0"', id);
  const method = message.method;
  if (typeof method !== "string") {
    // A 2025-era client answering a server request: accepted, nothing to do (we send none).
    if (id !== undefined && (Object.hasOwn(message, "result") || Object.hasOwn(message, "error"))) return ACCEPTED;
    return fail("INVALID_REQUEST", "Invalid request: method must be a string", id);
  }
  if (hasId && id === undefined) return fail("INVALID_REQUEST", "Invalid request: id must be a string or an integer");
  const params = message.params;
  if (params !== undefined && !isObject(params)) return fail("INVALID_REQUEST", "Invalid request: params must be an object", id);
  if (id === undefined) return ACCEPTED; // notifications are never answered
  const p = params ?? NO_PARAMS;
  const era: Era = isObject(p._meta) && Object.hasOwn(p._meta, META_PROTOCOL_VERSION) ? "modern" : "legacy";
  try {
    return era === "modern" ? await modern(engine, id, method, p, exchange, channel.headers) : await legacy(engine, id, method, p, exchange, channel);
  } catch (error) {
    if (error instanceof McpError) return errorOutcome(error, id, era);
    engine.report(redactCredentials(error, exchange.request), method);
    return fail("INTERNAL_ERROR", "Internal error", id, era);
  }
}

function invalidMeta(detail: string): McpError {
  return new McpError("INVALID_META", `Invalid request _meta: ${detail}`);
}

/** Validates the per-request metadata and headers of a 2026-07-28 request; returns its version. */
function checkModern(method: string, p: Params, http: HeaderReader | undefined): string {
  const meta = p._meta as Record<string, unknown>;
  const header = http && mcpHeader(http, "mcp-protocol-version", "MCP-Protocol-Version");
  if (http && header === undefined) throw new McpError("HEADER_MISMATCH", "Missing MCP-Protocol-Version header");
  const version = meta[META_PROTOCOL_VERSION];
  if (typeof version !== "string") throw invalidMeta(`${META_PROTOCOL_VERSION} must be a string`);
  if (!isObject(meta[META_CLIENT_CAPABILITIES])) throw invalidMeta(`${META_CLIENT_CAPABILITIES} must be an object`);
  if (meta[META_CLIENT_INFO] !== undefined && !isObject(meta[META_CLIENT_INFO])) throw invalidMeta(`${META_CLIENT_INFO} must be an object`);
  const level = meta[META_LOG_LEVEL];
  if (level !== undefined && !(typeof level === "string" && LOG_LEVELS.has(level))) throw invalidMeta(`${META_LOG_LEVEL} is not a log level`);
  if (http && header !== version) throw new McpError("HEADER_MISMATCH", "MCP-Protocol-Version header does not match _meta protocolVersion");
  if (!MODERN_VERSIONS.includes(version)) {
    throw new McpError("UNSUPPORTED_PROTOCOL_VERSION", "Unsupported protocol version", {
      data: { supported: MODERN_VERSIONS, requested: version.slice(0, 100) },
    });
  }
  if (http) {
    expectHeader(http, "mcp-method", "Mcp-Method", method, "the request method");
    const field = method === "tools/call" || method === "prompts/get" ? "name" : method === "resources/read" ? "uri" : undefined;
    const expected = field && p[field];
    if (typeof expected === "string") expectHeader(http, "mcp-name", "Mcp-Name", expected, `params.${field}`);
  }
  return version;
}

/** Checks the version header of a 2025-era request (no `_meta` envelope); returns its version. */
function checkLegacy(channel: Channel): string {
  const header = channel.headers && mcpHeader(channel.headers, "mcp-protocol-version", "MCP-Protocol-Version");
  if (header === undefined) return channel.negotiatedVersion ?? LEGACY_DEFAULT_VERSION;
  if (LEGACY_VERSIONS.includes(header)) return header;
  if (MODERN_VERSIONS.includes(header)) throw invalidMeta(`${META_PROTOCOL_VERSION} is required`);
  throw new McpError("UNSUPPORTED_PROTOCOL_VERSION", "Unsupported MCP-Protocol-Version header", {
    data: { supported: [...MODERN_VERSIONS, ...LEGACY_VERSIONS], requested: header.slice(0, 100) },
  });
}

async function modern(engine: Engine, id: RequestId, method: string, p: Params, exchange: Exchange, http: HeaderReader | undefined): Promise<Outcome> {
  const version = checkModern(method, p, http);
  if (method === "server/discover") return resultOutcome(id, engine.discoverJson);
  const result = await route(engine, method, p, exchange, version, "modern");
  if (result === undefined) throw new McpError("METHOD_NOT_FOUND", "Method not found");
  return resultOutcome(id, typeof result === "string" ? result : JSON.stringify({ resultType: "complete", ...result, _meta: engine.resultMeta }));
}

async function legacy(engine: Engine, id: RequestId, method: string, p: Params, exchange: Exchange, channel: Channel): Promise<Outcome> {
  const version = checkLegacy(channel);
  if (method === "initialize") {
    const negotiated = negotiate(p);
    channel.negotiatedVersion = negotiated;
    return resultOutcome(id, engine.initializeJson(negotiated));
  }
  if (method === "ping") return resultOutcome(id, "{}");
  const result = await route(engine, method, p, exchange, version, "legacy");
  if (result === undefined) throw new McpError("METHOD_NOT_FOUND", "Method not found");
  return resultOutcome(id, typeof result === "string" ? result : JSON.stringify(result));
}

/** Legacy handshake: echo a 2025 version we serve, else offer our newest 2025 version. */
function negotiate(p: Params): string {
  const missing = ["protocolVersion", "capabilities", "clientInfo"].filter((key) =>
    key === "protocolVersion" ? typeof p[key] !== "string" : !isObject(p[key]),
  );
  if (missing.length > 0) throw new McpError("INVALID_PARAMS", `Invalid params: initialize requires ${missing.join(", ")}`);
  const requested = p.protocolVersion as string;
  return LEGACY_VERSIONS.includes(requested) ? requested : LEGACY_VERSIONS[0]!;
}

/** Methods both eras share. Returns a serialized list page, a result object, or undefined if unknown. */
async function route(
  engine: Engine,
  method: string,
  p: Params,
  exchange: Exchange,
  version: string,
  era: Era,
): Promise<string | Record<string, unknown> | undefined> {
  const scopes = exchange.auth?.scopes ?? NO_SCOPES;
  const context = (inputs: unknown) => new RequestContext(inputs, engine.state, version, exchange, engine.reportStateMismatch);
  switch (method) {
    case "tools/list":
      return engine.tools.size > 0 ? engine.tools.page(scopes, p.cursor, era) : undefined;
    case "prompts/list":
      return engine.prompts.size > 0 ? engine.prompts.page(scopes, p.cursor, era) : undefined;
    case "tools/call": {
      if (engine.tools.size === 0) return undefined;
      const tool = lookup(engine.tools, "tool", p, scopes);
      const result = await runTool(tool, argumentsOf(p), context, engine.report);
      if (era === "legacy" && !tool.objectOutput) delete result.structuredContent;
      return result as unknown as Record<string, unknown>;
    }
    case "prompts/get": {
      if (engine.prompts.size === 0) return undefined;
      const prompt = lookup(engine.prompts, "prompt", p, scopes);
      return (await runPrompt(prompt, argumentsOf(p), context, engine.report)) as unknown as Record<string, unknown>;
    }
    default:
      return undefined;
  }
}

function lookup<T extends CompiledTool | CompiledPrompt>(catalog: Catalog<T>, kind: "tool" | "prompt", p: Params, scopes: readonly string[]): T {
  if (typeof p.name !== "string") throw new McpError("INVALID_PARAMS", "Invalid params: name must be a string");
  const item = catalog.byName.get(p.name);
  if (item === undefined) throw new McpError("INVALID_PARAMS", `Unknown ${kind}: ${truncateName(p.name)}`);
  if (!canUse(item.scopes, scopes)) {
    throw new McpError("INSUFFICIENT_SCOPE", `Insufficient scope for ${kind} ${truncateName(p.name)}`, {
      data: { requiredScopes: item.scopes },
    });
  }
  return item;
}

function argumentsOf(p: Params): Record<string, unknown> {
  const args = p.arguments;
  if (args === undefined || args === null) return NO_PARAMS;
  if (!isObject(args)) throw new McpError("INVALID_PARAMS", "Invalid params: arguments must be an object");
  return args;
}
