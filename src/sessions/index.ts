// Public API of "http-mcp/sessions": opt-in 2025-era HTTP sessions, kept out of the stateless core.
import type { SessionLayer } from "../transports/http/pipeline.js";
import { Sessions, type SessionOptions } from "../transports/http/sessions.js";

export { MemorySessionStore, type SessionOptions, type SessionRecord, type SessionStore } from "../transports/http/sessions.js";

/**
 * 2025-era sessions for `new MCPServer({ sessions: legacySessions() })`: `Mcp-Session-Id` on
 * `initialize`, a GET notification stream, DELETE, and per-session log level, subscriptions and
 * server→client requests. Records live in `options.store` (in memory by default); the live parts
 * stay on one process, so these features need sticky routing across replicas.
 */
export function legacySessions(options: SessionOptions = {}): SessionLayer {
  return new Sessions(options);
}
