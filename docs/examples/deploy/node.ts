// node.ts: `tsx node.ts`, or `node node.ts` on Node ≥ 22.18 (it strips the types); HOST and PORT set the address.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { server } from "./app.ts";

const host = process.env.HOST ?? "127.0.0.1";
await server.start(); // run the lifespan before taking traffic, so a failing startup stops here

const http = createServer(server.nodeHandler).listen(Number(process.env.PORT ?? 3000), host, () => {
  console.log(`MCP server on http://${host}:${(http.address() as AddressInfo).port}/mcp`);
});

// SIGTERM (orchestrators, `docker stop`): stop accepting connections, let calls in flight finish,
// then run the lifespan's cleanup; the process exits once nothing is left to do.
process.once("SIGTERM", () => http.close(() => void server.close()));
