// node.ts: `tsx node.ts`, or `node node.ts` on Node ≥ 22.18 (it strips the types); HOST and PORT set the address.
import { serve } from "http-mcp/node";
import { server } from "./app.ts";

// Runs the lifespan, then listens. On SIGTERM or SIGINT it stops accepting, lets calls in flight
// finish (within gracePeriodMs), runs the lifespan's cleanup and exits 0.
const serving = await serve(server, { host: process.env.HOST ?? "127.0.0.1", port: Number(process.env.PORT ?? 3000) });
console.log(`MCP server on ${serving.url}/mcp`);
