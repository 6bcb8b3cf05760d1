import type { McpError } from "../../errors.js";
import { then, type Awaitable } from "../../protocol/awaitable.js";
import { dispatch } from "../../protocol/dispatcher.js";
import type { Engine } from "../../protocol/engine.js";
import { errorOutcome, fail, type Outcome } from "../../protocol/jsonrpc.js";
import { nestedTooDeep, TOO_DEEP } from "../../protocol/nesting.js";
import type { Exchange } from "../../protocol/request-context.js";
import { admit, type TransportCore } from "../admission.js";
import type { FetchHandler, NodeHandler } from "./handler-types.js";
import { checkOrigin, isJsonContentType, type HostAndOrigin, type OriginPolicy } from "./security.js";
import type { SseSink } from "./sse.js";

/** What both HTTP adapters share: the transport core plus the HTTP settings. */
export interface HttpCore extends TransportCore {
  readonly policy: OriginPolicy;
  readonly maxBodyBytes: number;
  /** Answers a protocol error otherwise, e.g. with the `WWW-Authenticate` challenge of a 403; undefined keeps it. */
  readonly refineError?: ((error: McpError, exchange: Exchange) => McpError | undefined) | undefined;
  /** 2025-era sessions, when enabled (`sessions: legacySessions()` from `http-mcp/sessions`). */
  readonly sessions?: SessionLayer | undefined;
  /** CORS, when enabled (`cors: cors()` from `http-mcp/cors`): wraps each adapter's handler. */
  readonly cors?: CorsLayer | undefined;
}

/**
 * What opt-in CORS plugs in (implemented in `http-mcp/cors`): each adapter's handler for a core
 * (what `createNodeHandler`/`createFetchHandler` make otherwise), with preflights answered and
 * allowed origins granted on every response. Given another `handler` (the protected app's
 * metadata URLs), it wraps that one instead, its preflights allowing `methods`.
 */
export interface CorsLayer {
  node(core: HttpCore, handler?: NodeHandler, methods?: string): NodeHandler;
  fetch(core: HttpCore, handler?: FetchHandler, methods?: string): FetchHandler;
}

/** What opt-in 2025-era sessions plug into the pipeline (implemented in `http-mcp/sessions`). */
export interface SessionLayer {
  /** POST: runs a message in the session it names (or opens one on `initialize`). */
  dispatch(engine: Engine, message: unknown, exchange: Exchange, input: HttpInput): Awaitable<HttpOutcome>;
  /** GET (the session's notification stream) and DELETE (ends the session), from admission on. */
  handle(core: HttpCore, input: HttpInput, exchange: Exchange): Promise<HttpOutcome>;
  /** Server shutdown: ends every session's stream. */
  closeAll(): void;
}

/** An outcome, or a long-lived SSE stream (a session's GET stream) the adapter attaches a sink to. */
export interface HttpOutcome extends Outcome {
  /** Starts feeding the stream; returns what to do when the client goes away. */
  readonly attach?: (sink: SseSink) => () => void;
}

/** The parts of one HTTP request the pipeline reads, supplied by an adapter. */
export interface HttpInput extends HostAndOrigin {
  readonly method: string;
  /** The declared Content-Length (null when none), read once for the size check and the body read. */
  readonly contentLength: string | null;
  /** The body as text, or the value a host framework already parsed. Rejects with BodyTooLarge past the cap. */
  readBody(limit: number): Promise<{ text: string } | { parsed: unknown }>;
}

export class BodyTooLarge extends Error {}

const SECURITY_HEADERS = { "x-content-type-options": "nosniff", "cache-control": "no-store" } as const;
export const JSON_RESPONSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({ "content-type": "application/json", ...SECURITY_HEADERS });
export const EMPTY_RESPONSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({ ...SECURITY_HEADERS });

/** Headers to send with an outcome: the security defaults, JSON content type when there is a body, and the outcome's own. */
export function responseHeaders(outcome: Outcome): Record<string, string> {
  const base = outcome.body === undefined ? EMPTY_RESPONSE_HEADERS : JSON_RESPONSE_HEADERS;
  return outcome.headers ? { ...base, ...outcome.headers } : (base as Record<string, string>);
}

/**
 * Reply headers with a Content-Length. The JSON defaults, the usual case, are one object literal:
 * V8 builds it from a template, where spreading the frozen defaults takes its slow path (about 1%
 * of a Node tools/call in a profile).
 */
export function withLength(headers: Readonly<Record<string, string>>, length: string): Record<string, string> {
  return headers === JSON_RESPONSE_HEADERS
    ? { "content-type": "application/json", "x-content-type-options": "nosniff", "cache-control": "no-store", "content-length": length }
    : { ...headers, "content-length": length };
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function decodeUtf8(bytes: ArrayBuffer | Uint8Array): string {
  return utf8.decode(bytes);
}

/*
 * The single HTTP request pipeline: method → Host/Origin → Content-Type → size → lifespan →
 * authentication → body (capped while streaming) → JSON → dispatch. Each adapter runs the steps
 * (`beforeBody`, `admit`, `afterBody`) itself, so that the common case awaits nothing but the body.
 */

/** The steps before the body; an outcome ends the request there (a refusal, or a session's GET/DELETE). */
export function beforeBody(core: HttpCore, input: HttpInput, exchange: Exchange): Awaitable<HttpOutcome> | undefined {
  const { sessions } = core;
  if (input.method !== "POST" && !(sessions && (input.method === "GET" || input.method === "DELETE"))) {
    const allow = sessions ? "GET, POST, DELETE" : "POST";
    return { ...fail("METHOD_NOT_ALLOWED", `Method not allowed: the MCP endpoint accepts ${allow}`), headers: { allow } };
  }
  const originProblem = checkOrigin(core.policy, input);
  if (originProblem) return fail("FORBIDDEN_ORIGIN", originProblem);
  if (input.method !== "POST") return sessions!.handle(core, input, exchange);
  if (!isJsonContentType(input.headers.get("content-type"))) {
    return fail("UNSUPPORTED_MEDIA_TYPE", "Unsupported Media Type: Content-Type must be application/json");
  }
  const declared = input.contentLength;
  if (declared !== null && Number(declared) > core.maxBodyBytes) return tooLarge();
  return undefined;
}

/** Reads the body through the adapter's `readBody`, then handles it. */
export function readAndHandle(core: HttpCore, input: HttpInput, exchange: Exchange): Promise<HttpOutcome> {
  return input.readBody(core.maxBodyBytes).then((body) => afterBody(core, body, exchange, input), unreadable);
}

/** What a body that could not be read gets: 413 past the cap, else a parse error. */
export function unreadable(error: unknown): HttpOutcome {
  return error instanceof BodyTooLarge ? tooLarge() : fail("PARSE_ERROR", "Parse error: the body could not be read");
}

/** The steps after the body: JSON, then dispatch (in a session when sessions are on). */
export function afterBody(core: HttpCore, body: { text: string } | { parsed: unknown }, exchange: Exchange, input: HttpInput): Awaitable<HttpOutcome> {
  let message: unknown;
  if ("parsed" in body) message = body.parsed;
  else {
    try {
      message = JSON.parse(body.text);
    } catch {
      return fail("PARSE_ERROR", "Parse error: the body is not valid JSON");
    }
  }
  if (nestedTooDeep(message, "parsed" in body ? undefined : body.text.length)) return fail("INVALID_REQUEST", TOO_DEEP);
  const { sessions, refineError } = core;
  const outcome = sessions ? sessions.dispatch(core.engine, message, exchange, input) : dispatch(core.engine, message, exchange, input);
  return refineError ? then(outcome, (done) => refined(done, refineError, exchange)) : outcome;
}

function refined(outcome: Outcome, refineError: NonNullable<HttpCore["refineError"]>, exchange: Exchange): Outcome {
  const error = outcome.error && refineError(outcome.error, exchange);
  return error ? errorOutcome(error, outcome.id, outcome.era) : outcome;
}

function tooLarge(): Outcome {
  return { ...fail("PAYLOAD_TOO_LARGE", "Request body too large"), headers: { connection: "close" } };
}
