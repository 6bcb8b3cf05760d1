// tmcp as its READMEs show: McpServer with the zod adapter, HttpTransport (2026-07-28 per-request
// protocol and 2025-era sessions on one endpoint), on node:http through @remix-run/node-fetch-server.
// Scopes: the documented `enabled` hook, reading the caller's scopes from the custom context that
// `transport.respond(request, context)` passes in (`server.ctx.custom`).
import { createServer } from "node:http";
import { createRequestListener } from "@remix-run/node-fetch-server";
import { ZodJsonSchemaAdapter } from "@tmcp/adapter-zod";
import { HttpTransport } from "@tmcp/transport-http";
import { McpServer } from "tmcp";
import { tool as result } from "tmcp/utils";
import { HOST, add, allowed, input, output, port, ready, scoped, scopesOf, tools } from "./shared.mjs";

const server = new McpServer(
  { name: "bench", version: "1.0.0" },
  { adapter: new ZodJsonSchemaAdapter(), capabilities: { tools: {} } },
).withContext();
for (const tool of tools) {
  const options = { name: tool.name, title: tool.title, description: tool.description, schema: input, outputSchema: output };
  if (tool.scope) options.enabled = () => allowed(tool, server.ctx.custom?.scopes ?? []);
  server.tool(options, (args) => result.structured(add(args)));
}

const transport = new HttpTransport(server, { path: "/mcp", allowedOrigins: [] });
const listener = createRequestListener(async (request) => {
  const context = scoped ? { scopes: scopesOf(request.headers.get("authorization")) } : undefined;
  return (await transport.respond(request, context)) ?? new Response(null, { status: 404 });
});
const http = createServer(listener).listen(port, HOST, () => ready(http.address().port));
