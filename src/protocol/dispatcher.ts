import type { HeaderReader } from "../definitions/context.js";
import { McpError } from "../errors.js";
import { then, type Awaitable } from "./awaitable.js";
import { redactCredentials } from "../internal/redact.js";
import type { Channel } from "./channel.js";
import type { Engine } from "./engine.js";
import { expectHeader, mcpHeader } from "./headers.js";
import { ACCEPTED, EncodedJson, errorOutcome, fail, isObject, isValidId, resultOutcome, type Outcome, type RequestId } from "./jsonrpc.js";
import type { MethodCall, MethodEntry, MethodResult } from "./methods.js";
import type { CallInfo, Exchange } from "./request-context.js";
import {
  LEGACY_DEFAULT_VERSION,
  LEGACY_VERSIONS,
  LOG_LEVEL_RANK,
  META_CLIENT_CAPABILITIES,
  META_CLIENT_INFO,
  META_LOG_LEVEL,
  META_PROGRESS_TOKEN,
  META_PROTOCOL_VERSION,
  MODERN_VERSIONS,
  type Era,
} from "./versions.js";

type Params = Record<string, unknown>;
const NO_PARAMS: Params = Object.freeze({});
const LEGACY_DEFAULT_LOG_RANK = LOG_LEVEL_RANK.get("info");

/** True when a message carries 2026-07-28 `_meta`: it is served statelessly, whatever session it names. */
export function isModernMessage(message: unknown): boolean {
  if (!isObject(message) || !isObject(message.params)) return false;
  const meta = message.params._meta;
  return isObject(meta) && Object.hasOwn(meta, META_PROTOCOL_VERSION);
}

/**
 * Handles one parsed JSON-RPC message: validates its shape, tells the eras apart (per request,
 * never from earlier traffic), checks the 2026-07-28 metadata and HTTP headers, and routes it.
 */
export function dispatch(engine: Engine, message: unknown, exchange: Exchange, channel: Channel): Awaitable<Outcome> {
  if (!isObject(message)) {
    return fail("INVALID_REQUEST", Array.isArray(message) ? "Invalid request: batches are not supported" : "Invalid request: expected a JSON-RPC object");
  }
  const hasId = Object.hasOwn(message, "id");
  const id = isValidId(message.id) ? message.id : undefined;
  if (message.jsonrpc !== "2.0") return fail("INVALID_REQUEST", 'Invalid request: jsonrpc must be "2.0"', id);
  const method = message.method;
  if (typeof method !== "string") {
    // A 2025-era client answering one of our requests (elicitation, sampling, roots).
    if (id !== undefined && (Object.hasOwn(message, "result") || Object.hasOwn(message, "error"))) {
      channel.peer?.settle(message);
      return ACCEPTED;
    }
    return fail("INVALID_REQUEST", "Invalid request: method must be a string", id);
  }
  if (hasId && id === undefined) return fail("INVALID_REQUEST", "Invalid request: id must be a string or an integer");
  const params = message.params;
  if (params !== undefined && !isObject(params)) return fail("INVALID_REQUEST", "Invalid request: params must be an object", id);
  if (id === undefined) return ACCEPTED; // notifications are never answered
  const p = params ?? NO_PARAMS;
  const instrument = engine.instrument;
  return instrument ? instrument.request({ method, id, params: p, exchange, channel }, () => route(engine, id, method, p, exchange, channel)) : route(engine, id, method, p, exchange, channel);
}

function route(engine: Engine, id: RequestId, method: string, p: Params, exchange: Exchange, channel: Channel): Awaitable<Outcome> {
  const era: Era = isObject(p._meta) && Object.hasOwn(p._meta, META_PROTOCOL_VERSION) ? "modern" : "legacy";
  // Written out rather than with a helper: no closure is made unless the call goes async.
  try {
    const outcome = era === "modern" ? modern(engine, id, method, p, exchange, channel.headers) : legacy(engine, id, method, p, exchange, channel);
    return outcome instanceof Promise ? outcome.catch((error: unknown) => failure(engine, error, id, era, exchange, method)) : outcome;
  } catch (error) {
    return failure(engine, error, id, era, exchange, method);
  }
}

/** A protocol error as its JSON-RPC error; anything else is reported and answered as an internal error. */
function failure(engine: Engine, error: unknown, id: RequestId, era: Era, exchange: Exchange, method: string): Outcome {
  if (error instanceof McpError) return errorOutcome(error, id, era);
  const cause = redactCredentials(error, exchange.request);
  engine.report(cause, method);
  // The cause stays on the outcome for instrumentation (server side); the client sees the message only.
  return errorOutcome(new McpError("INTERNAL_ERROR", "Internal error", { cause }), id, era);
}

function invalidMeta(detail: string): McpError {
  return new McpError("INVALID_META", `Invalid request _meta: ${detail}`);
}

function progressTokenOf(meta: unknown): string | number | undefined {
  const token = isObject(meta) ? meta[META_PROGRESS_TOKEN] : undefined;
  return isValidId(token) ? token : undefined;
}

/** Validates the per-request metadata and headers of a 2026-07-28 request (H-14 order); returns its version. */
function checkModern(method: string, p: Params, http: HeaderReader | undefined, entry: MethodEntry | undefined): string {
  const meta = p._meta as Params;
  const header = http && mcpHeader(http, "mcp-protocol-version", "MCP-Protocol-Version");
  if (http && header === undefined) throw new McpError("HEADER_MISMATCH", "Missing MCP-Protocol-Version header");
  const version = meta[META_PROTOCOL_VERSION];
  if (typeof version !== "string") throw invalidMeta(`${META_PROTOCOL_VERSION} must be a string`);
  if (!isObject(meta[META_CLIENT_CAPABILITIES])) throw invalidMeta(`${META_CLIENT_CAPABILITIES} must be an object`);
  if (meta[META_CLIENT_INFO] !== undefined && !isObject(meta[META_CLIENT_INFO])) throw invalidMeta(`${META_CLIENT_INFO} must be an object`);
  const level = meta[META_LOG_LEVEL];
  if (level !== undefined && !(typeof level === "string" && LOG_LEVEL_RANK.has(level))) throw invalidMeta(`${META_LOG_LEVEL} is not a log level`);
  if (http && header !== version) throw new McpError("HEADER_MISMATCH", "MCP-Protocol-Version header does not match _meta protocolVersion");
  if (!MODERN_VERSIONS.includes(version)) {
    throw new McpError("UNSUPPORTED_PROTOCOL_VERSION", "Unsupported protocol version", {
      data: { supported: MODERN_VERSIONS, requested: version.slice(0, 100) },
    });
  }
  if (http) {
    expectHeader(http, "mcp-method", "Mcp-Method", method, "the request method");
    const field = entry?.nameParam;
    const expected = field && p[field];
    if (typeof expected === "string") expectHeader(http, "mcp-name", "Mcp-Name", expected, `params.${field}`);
  }
  return version;
}

/** Checks the version header of a 2025-era request (no `_meta` envelope); returns its version. */
function checkLegacy(channel: Channel): string {
  const header = channel.headers && mcpHeader(channel.headers, "mcp-protocol-version", "MCP-Protocol-Version");
  if (header === undefined) return channel.peer?.protocolVersion ?? LEGACY_DEFAULT_VERSION;
  if (LEGACY_VERSIONS.includes(header)) return header;
  if (MODERN_VERSIONS.includes(header)) throw invalidMeta(`${META_PROTOCOL_VERSION} is required`);
  throw new McpError("UNSUPPORTED_PROTOCOL_VERSION", "Unsupported MCP-Protocol-Version header", {
    data: { supported: [...MODERN_VERSIONS, ...LEGACY_VERSIONS], requested: header.slice(0, 100) },
  });
}

function modern(engine: Engine, id: RequestId, method: string, p: Params, exchange: Exchange, http: HeaderReader | undefined): Awaitable<Outcome> {
  const entry = engine.methods.find(method, "modern");
  const version = checkModern(method, p, http, entry);
  const meta = p._meta as Params;
  const level = meta[META_LOG_LEVEL];
  const call: CallInfo = {
    era: "modern",
    version,
    progressToken: progressTokenOf(meta),
    logThreshold: typeof level === "string" ? LOG_LEVEL_RANK.get(level) : undefined,
    clientCapabilities: meta[META_CLIENT_CAPABILITIES] as Params,
    answers: isObject(p.inputResponses) ? p.inputResponses : NO_PARAMS,
    meta,
    peer: undefined,
  };
  return then(run(entry, { engine, id, method, params: p, exchange, call }), (result) => {
    const json = found(result);
    return resultOutcome(id, typeof json === "string" || json instanceof EncodedJson ? json : modernResultJson(json, engine.resultMetaJson));
  });
}

/** Runs the method's checks and handler; a method the server does not serve (now, or in this era) is not found. */
function run(entry: MethodEntry | undefined, request: MethodCall): Awaitable<MethodResult> {
  if (!entry) return undefined;
  entry.check?.(request);
  return entry.handle(request);
}

function found(result: MethodResult): string | object {
  if (result === undefined) throw new McpError("METHOD_NOT_FOUND", "Method not found");
  return result;
}

/** A result with `resultType` first (unless it has its own) and the server's identity last, without copying it. */
function modernResultJson(result: { resultType?: unknown }, metaJson: string): string {
  const body = JSON.stringify(result);
  const fields = body.length > 2 ? `${body.slice(1, -1)},` : "";
  return result.resultType === undefined ? `{"resultType":"complete",${fields}"_meta":${metaJson}}` : `{${fields}"_meta":${metaJson}}`;
}

function legacy(engine: Engine, id: RequestId, method: string, p: Params, exchange: Exchange, channel: Channel): Awaitable<Outcome> {
  const version = checkLegacy(channel);
  const { peer } = channel;
  const call: CallInfo = {
    era: "legacy",
    version,
    progressToken: progressTokenOf(p._meta),
    logThreshold: peer?.logLevel !== undefined ? LOG_LEVEL_RANK.get(peer.logLevel) : LEGACY_DEFAULT_LOG_RANK,
    clientCapabilities: peer?.clientCapabilities,
    answers: NO_PARAMS,
    meta: isObject(p._meta) ? p._meta : NO_PARAMS,
    peer,
  };
  return then(run(engine.methods.find(method, "legacy"), { engine, id, method, params: p, exchange, call }), (result) => {
    const json = found(result);
    return resultOutcome(id, typeof json === "string" || json instanceof EncodedJson ? json : JSON.stringify(json));
  });
}
