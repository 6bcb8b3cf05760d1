import type { HeaderReader } from "../../definitions/context.js";
import type { McpError } from "../../errors.js";
import { dispatch, isModernMessage, type Channel } from "../../protocol/dispatcher.js";
import { ACCEPTED, fail, isObject, isValidId, type Outcome } from "../../protocol/jsonrpc.js";
import { cancellation, cancelTarget } from "../../protocol/legacy-peer.js";
import type { Exchange } from "../../protocol/request-context.js";
import { admit, type TransportCore } from "../admission.js";
import { checkOrigin, isJsonContentType, type OriginPolicy } from "./security.js";
import { openSessionStream, endSession, type Sessions } from "./session-routes.js";
import type { HttpSession } from "./sessions.js";
import type { SseSink } from "./sse.js";

/** What both HTTP adapters share: the transport core plus the HTTP settings. */
export interface HttpCore extends TransportCore {
  readonly policy: OriginPolicy;
  readonly maxBodyBytes: number;
  /** Extra response headers for a protocol error, e.g. the `WWW-Authenticate` challenge of a 403. */
  readonly errorHeaders?: ((error: McpError) => Record<string, string> | undefined) | undefined;
  /** 2025-era sessions, when enabled (`sessions` option). */
  readonly sessions?: Sessions | undefined;
}

/** An outcome, or a long-lived SSE stream (a session's GET stream) the adapter attaches a sink to. */
export interface HttpOutcome extends Outcome {
  /** Starts feeding the stream; returns what to do when the client goes away. */
  readonly attach?: (sink: SseSink) => () => void;
}

/** The parts of one HTTP request the pipeline reads, supplied by an adapter. */
export interface HttpInput {
  readonly method: string;
  readonly headers: HeaderReader;
  readonly host: string;
  readonly scheme: string;
  readonly loopbackSocket: boolean;
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

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function decodeUtf8(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/**
 * The single HTTP request pipeline: method → Host/Origin → Content-Type → size → lifespan →
 * authentication → body (capped while streaming) → JSON → dispatch.
 */
export async function handleHttp(core: HttpCore, input: HttpInput, exchange: Exchange): Promise<HttpOutcome> {
  const { sessions } = core;
  if (input.method !== "POST" && !(sessions && (input.method === "GET" || input.method === "DELETE"))) {
    const allow = sessions ? "GET, POST, DELETE" : "POST";
    return { ...fail("METHOD_NOT_ALLOWED", `Method not allowed: the MCP endpoint accepts ${allow}`), headers: { allow } };
  }
  const originProblem = checkOrigin(core.policy, input.headers, input.host, input.scheme, input.loopbackSocket);
  if (originProblem) return fail("FORBIDDEN_ORIGIN", originProblem);
  if (input.method !== "POST") {
    const refusal = await admit(core, exchange);
    if (refusal) return refusal;
    const subject = exchange.auth?.subject;
    return input.method === "GET" ? openSessionStream(core.engine, sessions!, input.headers, subject) : endSession(sessions!, input.headers, subject);
  }
  if (!isJsonContentType(input.headers.get("content-type"))) {
    return fail("UNSUPPORTED_MEDIA_TYPE", "Unsupported Media Type: Content-Type must be application/json");
  }
  const declared = input.headers.get("content-length");
  if (declared !== null && Number(declared) > core.maxBodyBytes) return tooLarge();
  const refusal = await admit(core, exchange);
  if (refusal) return refusal;
  let body: { text: string } | { parsed: unknown };
  try {
    body = await input.readBody(core.maxBodyBytes);
  } catch (error) {
    if (error instanceof BodyTooLarge) return tooLarge();
    return fail("PARSE_ERROR", "Parse error: the body could not be read");
  }
  let message: unknown;
  if ("parsed" in body) message = body.parsed;
  else {
    try {
      message = JSON.parse(body.text);
    } catch {
      return fail("PARSE_ERROR", "Parse error: the body is not valid JSON");
    }
  }
  const outcome = sessions ? await dispatchInSession(core, sessions, message, exchange, input) : await dispatch(core.engine, message, exchange, input);
  const extra = outcome.error && core.errorHeaders?.(outcome.error);
  return extra ? { ...outcome, headers: { ...outcome.headers, ...extra } } : outcome;
}

const SESSION_HEADER = "mcp-session-id";

/**
 * In a 2025-era session a client stops a call with `notifications/cancelled` (a disconnect is
 * not a cancellation there): the call's signal fires, and its reply is no longer awaited.
 */
async function dispatchCancellable(core: HttpCore, session: HttpSession, message: unknown, exchange: Exchange, headers: HeaderReader): Promise<Outcome> {
  const request = isObject(message) ? message : undefined;
  if (request?.method === "notifications/cancelled" && !Object.hasOwn(request, "id")) {
    const target = cancelTarget(request.params);
    if (target) session.running.get(target.requestId)?.abort(cancellation(target.reason));
    return ACCEPTED;
  }
  const id = request !== undefined && isValidId(request.id) && typeof request.method === "string" ? request.id : undefined;
  if (id === undefined) return dispatch(core.engine, message, exchange, { headers, peer: session });
  const cancel = new AbortController();
  session.running.set(id, cancel);
  const signal = () => AbortSignal.any([exchange.signal(), cancel.signal]);
  try {
    return await dispatch(core.engine, message, { ...exchange, signal }, { headers, peer: session });
  } finally {
    if (session.running.get(id) === cancel) session.running.delete(id);
  }
}

/**
 * Session mode: a 2025-era `initialize` opens a session (its id goes back in `Mcp-Session-Id`),
 * later 2025-era requests naming it run with its state, and an unknown id gets 404 (the client
 * re-initializes). 2026-07-28 requests ignore sessions entirely.
 */
async function dispatchInSession(core: HttpCore, sessions: Sessions, message: unknown, exchange: Exchange, input: HttpInput): Promise<Outcome> {
  if (isModernMessage(message)) return dispatch(core.engine, message, exchange, input);
  const id = input.headers.get(SESSION_HEADER);
  const channel: Channel = { headers: input.headers, peer: undefined };
  if (id !== null) {
    const session = await sessions.find(id, exchange.auth?.subject);
    if (session === undefined) return fail("SESSION_NOT_FOUND", "Session not found: initialize again", undefined);
    const outcome = await dispatchCancellable(core, session, message, exchange, input.headers);
    await sessions.save(session);
    return outcome;
  }
  const isInitialize = (message as { method?: unknown } | null)?.method === "initialize";
  if (!isInitialize) return dispatch(core.engine, message, exchange, channel);
  const session = sessions.create(exchange.auth?.subject);
  const outcome = await dispatch(core.engine, message, exchange, { headers: input.headers, peer: session });
  if (outcome.error !== undefined || session.protocolVersion === undefined) return outcome;
  await sessions.save(session);
  return { ...outcome, headers: { ...outcome.headers, [SESSION_HEADER]: session.id } };
}

function tooLarge(): Outcome {
  return { ...fail("PAYLOAD_TOO_LARGE", "Request body too large"), headers: { connection: "close" } };
}
