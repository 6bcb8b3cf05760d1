// Public API of "http-mcp/node": a ready Node HTTP server for one app, hardened and with an orderly shutdown.
import type { ProtectedMCPApp } from "../auth/protected-app.js";
import { internalsOf } from "../server/internals.js";
import type { MCPServer } from "../server/mcp-server.js";
import { serveNode, type HttpServing, type ServeOptions } from "../transports/http/node-server.js";

export type { HttpServing, ServeOptions };

/**
 * Serves an `MCPServer` (or a protected app from `http-mcp/auth`) on its own Node HTTP server:
 * timeouts against slow clients, a connection cap, and on SIGINT/SIGTERM an orderly shutdown
 * (stop accepting, finish requests in flight, run the lifespan cleanup, exit 0).
 */
export function serve(app: MCPServer<any, any, any> | ProtectedMCPApp, options?: ServeOptions): Promise<HttpServing> {
  const { core, close } = internalsOf(app);
  return serveNode(app.nodeHandler, core, close, options);
}
