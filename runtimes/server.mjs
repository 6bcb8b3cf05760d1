// Serves runtimes/app.mjs through `server.fetch` with whichever runtime runs this file: Bun.serve,
// Deno.serve, or Node through @hono/node-server. Prints `ready <url>` once listening on 127.0.0.1.
import { server } from "./app.mjs";

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
