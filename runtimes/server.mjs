// One MCP server served through `server.fetch` by whichever runtime runs this file: Bun.serve,
// Deno.serve, or Node through @hono/node-server. Imports are file paths, so every runtime
// resolves them alike. Prints `ready <url>` once listening on 127.0.0.1.
import { MCPServer, defineTool } from "../dist/index.js";
import { z } from "../node_modules/zod/index.js";

const add = defineTool({
  name: "add",
  input: z.object({ a: z.number().int(), b: z.number().int() }),
  output: z.object({ sum: z.number().int() }),
  handler: ({ inputs }) => ({ sum: inputs.a + inputs.b }),
});
const secret = defineTool({ name: "secret", scopes: ["vault"], handler: () => "42" });
const runtime = globalThis.Bun ? `bun ${Bun.version}` : globalThis.Deno ? `deno ${Deno.version.deno}` : `node ${process.versions.node}`;
const whereami = defineTool({ name: "whereami", handler: () => runtime });
const server = new MCPServer({
  name: "runtimes",
  version: "1.0.0",
  tools: [add, secret, whereami],
  authenticate: (request) => (request.headers.get("authorization") === "Bearer vault-key" ? { subject: "keeper", scopes: ["vault"] } : null),
});

const ready = (port) => console.log(`ready http://127.0.0.1:${port}/mcp`);
if (globalThis.Bun) {
  const served = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: (request) => server.fetch(request) });
  ready(served.port);
} else if (globalThis.Deno) {
  Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: ({ port }) => ready(port) }, (request) => server.fetch(request));
} else {
  const { serve } = await import("../node_modules/@hono/node-server/dist/index.mjs");
  serve({ fetch: server.fetch, hostname: "127.0.0.1", port: 0 }, (info) => ready(info.port));
}
