// server.ts: compile it (tsc) and register `node server.js`: an MCP client starts it as a child process.
import { z } from "zod";
import { MCPServer, defineTool } from "http-mcp";
import { serveStdio } from "http-mcp/stdio";

const add = defineTool({
  description: "Add two numbers.",
  input: z.object({ a: z.number(), b: z.number() }),
  output: z.object({ sum: z.number() }),
  handler: function add({ inputs }) {
    return { sum: inputs.a + inputs.b };
  },
});

const reset = defineTool({
  description: "Reset the calculator (admins only).",
  scopes: ["admin"],
  handler: function reset() {
    return "reset done";
  },
});

// The admin credential, from the environment; without one, nobody is admin.
const adminToken = process.env.ADMIN_TOKEN;

const server = new MCPServer({
  name: "calculator",
  version: "1.0.0",
  tools: [add, reset],
  // The same hook as over HTTP: over stdio it sees the requestHeaders given below.
  authenticate: (request) => (adminToken && request.headers.get("authorization") === `Bearer ${adminToken}` ? { scopes: ["admin"] } : null),
});

// stdio has no OAuth flow: the credential comes from the environment the client launches us with.
const token = process.env.MCP_TOKEN;
serveStdio(server, { requestHeaders: { authorization: token ? `Bearer ${token}` : undefined } });
