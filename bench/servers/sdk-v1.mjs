// @modelcontextprotocol/sdk 1.x, stateless as its docs show (simpleStatelessStreamableHttp.ts):
// `createMcpExpressApp()` (Express, JSON body parser, DNS-rebinding protection on 127.0.0.1), and per
// POST a fresh McpServer and StreamableHTTPServerTransport with `sessionIdGenerator: undefined`,
// here with `enableJsonResponse: true` (jsonResponseStreamableHttp.ts). There is no scope feature:
// the scoped variant registers only the tools `req.auth` allows, set by a middleware in front.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { createMcpExpressApp } from "@modelcontextprotocol/sdk/server/express.js";
import { HOST, add, allowed, input, output, port, ready, scoped, scopesOf, tools } from "./shared.mjs";

function getServer(scopes) {
  const server = new McpServer({ name: "bench", version: "1.0.0" });
  for (const tool of tools) {
    if (!allowed(tool, scopes)) continue;
    const config = { title: tool.title, description: tool.description, inputSchema: input, outputSchema: output };
    server.registerTool(tool.name, config, async (args) => {
      const structuredContent = add(args);
      return { content: [{ type: "text", text: JSON.stringify(structuredContent) }], structuredContent };
    });
  }
  return server;
}

const app = createMcpExpressApp({ host: HOST });
if (scoped) {
  app.use((req, _res, next) => {
    const scopes = scopesOf(req.headers.authorization);
    if (scopes.length > 0) req.auth = { token: req.headers.authorization.slice(7), clientId: "bench", scopes };
    next();
  });
}
app.post("/mcp", async (req, res) => {
  const server = getServer(req.auth?.scopes ?? []);
  try {
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on("close", () => {
      transport.close();
      server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  } catch (error) {
    console.error("sdk-v1:", error);
    if (!res.headersSent) res.status(500).json({ jsonrpc: "2.0", error: { code: -32603, message: "Internal server error" }, id: null });
  }
});
const http = app.listen(port, HOST, () => ready(http.address().port));
