// deno.ts: `deno run --allow-net --allow-env deno.ts` (Deno Deploy runs the same file).
import { server } from "./app.ts";

Deno.serve(
  {
    hostname: Deno.env.get("HOST") ?? "127.0.0.1",
    port: Number(Deno.env.get("PORT") ?? 3000),
    onListen: ({ hostname, port }) => console.log(`MCP server on http://${hostname}:${port}/mcp`),
  },
  // Only the request: the second parameter of server.fetch is `{ auth }`, not Deno's connection info.
  (request) => server.fetch(request),
);
