import { z } from "zod";
import { MCPServer, defineTool } from "http-mcp";
import { createProtectedMCPApp, jwtValidator } from "http-mcp/auth";

// Your authorization server, and the URL clients use for this MCP endpoint (the tokens' audience).
const issuer = process.env.AUTH_ISSUER ?? "https://auth.example.com";
const jwksUrl = process.env.AUTH_JWKS_URL ?? `${issuer}/.well-known/jwks.json`;
const resource = process.env.MCP_RESOURCE ?? "https://mcp.example.com/mcp";

const listNotes = defineTool({
  description: "List the caller's notes.",
  output: z.object({ owner: z.string(), notes: z.array(z.string()) }),
  scopes: ["notes:read"],
  handler: function list_notes({ auth }) {
    return { owner: auth?.subject ?? "unknown", notes: ["buy milk"] };
  },
});

const server = new MCPServer({ name: "notes", version: "1.0.0", tools: [listNotes] });

export const app = createProtectedMCPApp({
  server,
  tokenValidator: jwtValidator({ issuer, jwksUrl }), // needs `npm install jose`
  resourceMetadata: { resource, authorization_servers: [issuer] }, // scopes_supported: from the tools
  realm: "notes",
});

// Node:                 createServer(app.nodeHandler).listen(3000);
// Bun, Deno, Workers:   export default { fetch: app.fetch };
