// @modelcontextprotocol/server 2.x (official SDK v2): its documented stateless handler,
// `createMcpHandler(factory)`, mounted on node:http with `toNodeHandler` and the localhost Host/Origin
// guards from @modelcontextprotocol/node (docs/serving/http.md). The factory builds a fresh McpServer
// per request; for the scoped variant it registers only the tools the caller's `authInfo` allows
// (the documented per-caller factory), with `req.auth` set in front as a verifying middleware would.
import { createServer } from "node:http";
import { McpServer, createMcpHandler } from "@modelcontextprotocol/server";
import { localhostHostValidation, localhostOriginValidation, toNodeHandler } from "@modelcontextprotocol/node";
import { HOST, add, allowed, input, output, port, ready, scoped, scopesOf, tools } from "./shared.mjs";

const handler = createMcpHandler(({ authInfo }) => {
  const server = new McpServer({ name: "bench", version: "1.0.0" });
  for (const tool of tools) {
    if (!allowed(tool, authInfo?.scopes ?? [])) continue;
    const config = { title: tool.title, description: tool.description, inputSchema: input, outputSchema: output };
    server.registerTool(tool.name, config, async (args) => {
      const structuredContent = add(args);
      return { content: [{ type: "text", text: JSON.stringify(structuredContent) }], structuredContent };
    });
  }
  return server;
});

const nodeHandler = toNodeHandler(handler);
const validateHost = localhostHostValidation();
const validateOrigin = localhostOriginValidation();
const http = createServer((req, res) => {
  if (!validateHost(req, res) || !validateOrigin(req, res)) return;
  if (scoped) {
    const scopes = scopesOf(req.headers.authorization);
    if (scopes.length > 0) req.auth = { token: req.headers.authorization.slice(7), clientId: "bench", scopes };
  }
  void nodeHandler(req, res);
}).listen(port, HOST, () => ready(http.address().port));
