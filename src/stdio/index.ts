// Public API of "http-mcp/stdio": serves a server over stdin/stdout (Node only, so kept out of the core).
import type { ProtectedMCPApp } from "../auth/protected-app.js";
import type { MCPServer } from "../server/mcp-server.js";
import { internalsOf } from "../server/internals.js";
import { serveStdio as serveLines, type StdioConnection, type StdioOptions } from "../transports/stdio/stdio-transport.js";

export type { StdioConnection, StdioOptions };

/**
 * Serves an `MCPServer` (or a protected app from `http-mcp/auth`) over newline-delimited
 * JSON-RPC on stdin/stdout, or the given streams. `requestHeaders` go through `authenticate`
 * like HTTP headers; when the input ends (or on SIGINT/SIGTERM) calls in flight finish, the
 * server closes and, for process stdio, the process exits.
 */
export function serveStdio(server: MCPServer<any> | ProtectedMCPApp, options?: StdioOptions): StdioConnection {
  const { core, close } = internalsOf(server);
  return serveLines(core, close, options);
}
