// A server that a browser-based client on another origin (e.g. the MCP Inspector) may call:
// preflights answered and responses readable for the allowed origins, by name.
import { MCPServer, defineTool } from "http-mcp";
import { cors } from "http-mcp/cors";

const ping = defineTool({ description: "Reply with pong.", handler: function ping() { return "pong"; } });

export const server = new MCPServer({
  name: "browser-friendly",
  version: "1.0.0",
  tools: [ping],
  // Who may call from a browser; CORS grants exactly these (plus the server's own origin, and
  // localhost origins when the server itself is on localhost).
  allowedOrigins: ["https://inspector.example"],
  // Browsers may reuse a preflight's answer for 10 minutes. Add `allowHeaders` for headers of
  // your own, e.g. an API key that `authenticate` reads.
  cors: cors({ maxAgeSec: 600 }),
});
