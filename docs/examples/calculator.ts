// A small server to test: typed tools, one of them for admins only.
import { z } from "zod";
import { MCPServer, McpError, defineTool } from "http-mcp";

const add = defineTool({
  name: "add", // a literal name lets the test client type calls by name
  input: z.object({ a: z.number(), b: z.number() }),
  output: z.object({ sum: z.number() }),
  handler: ({ inputs }) => ({ sum: inputs.a + inputs.b }),
});

const reset = defineTool({
  name: "reset",
  scopes: ["admin"],
  handler: ({ auth }) => `reset by ${auth?.subject}`,
});

export const server = new MCPServer({
  name: "calculator",
  version: "1.0.0",
  tools: [add, reset],
  authenticate: (request) => {
    const token = request.headers.get("authorization");
    if (token === null) return null; // anonymous
    if (token === `Bearer ${process.env.ADMIN_TOKEN ?? "admin-token"}`) return { scopes: ["admin"], subject: "admin" };
    throw new McpError("UNAUTHORIZED", "Unknown token");
  },
});
