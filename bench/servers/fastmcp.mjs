// fastmcp as its README shows: FastMCP with `addTool` (zod `parameters` and `outputSchema`, the
// returned object becomes structuredContent plus a JSON text block), started with the httpStream
// transport in stateless mode with JSON responses. Scopes: the documented `authenticate` option and
// `canAccess: requireScopes(…)` on the tools. It speaks 2025-11-25 and earlier only.
import { FastMCP, requireScopes } from "fastmcp";
import { HOST, add, input, output, port, ready, scoped, scopesOf, tools } from "./shared.mjs";

const authenticate = (request) => ({ scopes: scopesOf(request.headers.authorization) });
const server = new FastMCP({ name: "bench", version: "1.0.0", ...(scoped ? { authenticate } : {}) });
for (const tool of tools) {
  server.addTool({
    name: tool.name,
    description: tool.description,
    annotations: { title: tool.title },
    parameters: input,
    outputSchema: output,
    ...(tool.scope ? { canAccess: requireScopes(tool.scope) } : {}),
    execute: async (args) => add(args),
  });
}
await server.start({ transportType: "httpStream", httpStream: { host: HOST, port, stateless: true, enableJsonResponse: true } });
ready();
