// Public API of "http-mcp/sessions": opt-in 2025-era HTTP sessions, kept out of the stateless core.
import type { McpRequest } from "../definitions/context.js";
import type { CallInfo } from "../protocol/request-context.js";
import type { SessionLayer } from "../transports/http/pipeline.js";
import { pollableCalls } from "../transports/http/session-streams.js";
import { Sessions, type SessionOptions } from "../transports/http/sessions.js";

export { MemorySessionStore, type SessionOptions, type SessionRecord, type SessionStore } from "../transports/http/sessions.js";

/**
 * 2025-era sessions for `new MCPServer({ sessions: legacySessions() })`: `Mcp-Session-Id` on
 * `initialize`, a GET notification stream, DELETE, and per-session log level, subscriptions and
 * server→client requests. Records live in `options.store` (in memory by default). Across replicas,
 * give every one the same shared store (`redisSessionStore()` from `http-mcp/redis`) and the same
 * `bus` as `MCPServer({ bus })`: the live parts (answers to server requests, cancellation, the GET
 * stream, SSE polling) then reach the replica holding them, so no sticky routing is needed.
 *
 * Sessions that negotiated 2025-11-25 also get SSE polling (SEP-1699): each SSE stream starts with
 * a priming event (an id, `retry: options.retryMs`), its events carry ids, and a client whose
 * connection closed resumes with GET + `Last-Event-ID`, receiving the events it missed (kept per
 * session, at most `maxReplayEvents` / `maxReplayBytes`) and then the rest of the stream.
 */
export function legacySessions(options: SessionOptions = {}): SessionLayer {
  for (const key of ["idleTimeoutMs", "maxSessions", "retryMs", "maxReplayEvents", "maxReplayBytes"] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
      throw new TypeError(`legacySessions: ${key} must be a non-negative integer`);
    }
  }
  const { bus } = options;
  if (bus !== undefined && (typeof bus?.listen !== "function" || typeof bus.send !== "function")) {
    throw new TypeError("legacySessions: bus must be a message bus (redisBus(), postgresBus() or memoryBus())");
  }
  return new Sessions(options);
}

/**
 * Closes the SSE connection of the call whose handler context this is, without ending its stream
 * (SSE polling, SEP-1699): the client waits the `retry` interval and polls back with GET +
 * `Last-Event-ID`, and the call's later messages and response reach it there. Lets a long call
 * avoid holding a connection open. Applies to calls in a session that negotiated 2025-11-25 over
 * a client that accepts SSE (the reply becomes a stream if it was not one yet); elsewhere
 * (2026-07-28 requests, stateless or older 2025-era traffic, stdio) it does nothing. Returns
 * whether the connection is (or will be) closed.
 */
export function closeSseStream(context: { readonly request: McpRequest }): boolean {
  return pollableCalls.get(context.request)?.closeConnection() ?? false;
}

/** The revision that brought URL-mode elicitation and its completion notification (2026-07-28 removed both). */
const COMPLETION_VERSION = "2025-11-25";

/**
 * For a URL-mode elicitation of a 2025-11-25 client (asked with `elicit(key, { mode: "url", … })`
 * or answered with error -32042): a function that tells that client the user finished the
 * interaction, as `notifications/elicitation/complete` with `elicitationId`. Get it in the handler,
 * keep it with the interaction, call it when your page sees it done (even long after the call
 * ended). It goes to the client that made the call only: over stdio, or to its session's GET
 * stream (on whichever replica holds it, given a bus). It returns false when the notification
 * cannot arrive (the session ended, no GET stream). Undefined where the client cannot receive it:
 * 2026-07-28 requests (they learn the outcome by retrying), stateless HTTP, earlier revisions,
 * clients that did not declare `elicitation.url`, and handlers running as a task.
 */
export function elicitationCompletion(context: { readonly request: McpRequest }, elicitationId: string): (() => boolean) | undefined {
  if (typeof elicitationId !== "string" || elicitationId === "") throw new TypeError("elicitationCompletion: elicitationId must be a non-empty string");
  const call = (context as { readonly call?: CallInfo }).call;
  const peer = call?.era === "legacy" ? call.peer : undefined;
  const elicitation = peer?.clientCapabilities?.elicitation as { url?: unknown } | undefined;
  if (peer?.notice === undefined || !(peer.protocolVersion! >= COMPLETION_VERSION) || elicitation?.url === undefined) return undefined;
  const json = JSON.stringify({ jsonrpc: "2.0", method: "notifications/elicitation/complete", params: { elicitationId } });
  return () => peer.notice!(json);
}
