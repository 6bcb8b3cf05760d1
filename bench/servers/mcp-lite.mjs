// mcp-lite as its README shows: McpServer with a zod `schemaAdapter`, a stateless
// StreamableHttpTransport bound to it, mounted on Hono (served by @hono/node-server), with
// `allowedHosts` for a local server. It has no scope feature; the scoped variant uses its documented
// tool: a middleware (server.use) that refuses calls the caller's authInfo does not allow and drops
// those tools from tools/list results.
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { JSON_RPC_ERROR_CODES, McpServer, RpcError, StreamableHttpTransport } from "mcp-lite";
import { z } from "zod";
import { HOST, add, allowed, input, output, port, ready, scoped, scopesOf, tools } from "./shared.mjs";

const mcp = new McpServer({ name: "bench", version: "1.0.0", schemaAdapter: (schema) => z.toJSONSchema(schema) });
for (const tool of tools) {
  mcp.tool(tool.name, {
    title: tool.title,
    description: tool.description,
    inputSchema: input,
    outputSchema: output,
    handler: (args) => {
      const structuredContent = add(args);
      return { content: [{ type: "text", text: JSON.stringify(structuredContent) }], structuredContent };
    },
  });
}
if (scoped) {
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  mcp.use(async (ctx, next) => {
    const scopes = ctx.authInfo?.scopes ?? [];
    const { method, params } = ctx.request;
    const tool = method === "tools/call" ? byName.get(params?.name) : undefined;
    if (tool && !allowed(tool, scopes)) throw new RpcError(JSON_RPC_ERROR_CODES.INVALID_PARAMS, "Forbidden");
    await next();
    if (method === "tools/list" && ctx.response?.result) {
      ctx.response.result.tools = ctx.response.result.tools.filter((entry) => allowed(byName.get(entry.name), scopes));
    }
  });
}

const handler = new StreamableHttpTransport({ allowedHosts: [`${HOST}:${port}`, `localhost:${port}`] }).bind(mcp);
const app = new Hono();
app.all("/mcp", (c) => {
  if (!scoped) return handler(c.req.raw);
  const authorization = c.req.header("authorization");
  const scopes = scopesOf(authorization);
  return handler(c.req.raw, scopes.length > 0 ? { authInfo: { token: authorization.slice(7), scopes } } : undefined);
});
serve({ fetch: app.fetch, hostname: HOST, port }, (info) => ready(info.port));
