// Public API of "http-mcp/cors": opt-in CORS for browser-based clients, kept out of the core.
import type { CorsLayer } from "../transports/http/pipeline.js";
import { Cors, type CorsOptions } from "../transports/http/cors.js";

export type { CorsOptions };

/**
 * CORS for `new MCPServer({ allowedOrigins: [...], cors: cors() })`: preflights (`OPTIONS`) from
 * allowed origins are answered 204, and every response to an allowed origin names it in
 * `Access-Control-Allow-Origin` and exposes `WWW-Authenticate`, `Mcp-Session-Id` and
 * `MCP-Protocol-Version`. Allowed origins are the server's own rules (`allowedOrigins`, its own
 * origin, localhost ones for a localhost server); others get no grant and a 403 preflight.
 * Credentials (cookies) are never allowed: send bearer tokens in `Authorization`.
 */
export function cors(options?: CorsOptions): CorsLayer {
  return new Cors(options);
}
