// bun.ts: `bun bun.ts` (Bun runs TypeScript as is); HOST and PORT set the address.
import { server } from "./app.ts";

const served = Bun.serve({
  hostname: process.env.HOST ?? "127.0.0.1",
  port: Number(process.env.PORT ?? 3000),
  // Only the request: the second parameter of server.fetch is `{ auth }`, not Bun's server object.
  fetch: (request) => server.fetch(request),
});
console.log(`MCP server on ${new URL("/mcp", served.url)}`);
