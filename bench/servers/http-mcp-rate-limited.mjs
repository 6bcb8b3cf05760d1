// http-mcp through `server.nodeHandler`, one tool that answers at once, and the rate limit `off`,
// on a `memory` store, or on a `redis` store (REDIS_URL): `node http-mcp-rate-limited.mjs <port> <mode>`.
// Needs no bench/ dependency (no zod). The limit is far above what the benchmark sends, so every call passes: what is measured is its cost.
import { createServer } from "node:http";
import { MCPServer, defineTool } from "../../dist/index.js";
import { rateLimit } from "../../dist/limits/index.js";
import { redisRateLimitStore } from "../../dist/redis/index.js";

const HOST = "127.0.0.1";
const port = Number(process.argv[2] ?? 0);
const mode = process.argv[3] ?? "off";
if (!["off", "memory", "redis"].includes(mode)) throw new Error(`unknown mode ${mode}`);
const store = mode === "redis" ? redisRateLimitStore({ url: process.env.REDIS_URL, prefix: `mcp:ratelimit:bench-${process.pid}:` }) : undefined;
const limit = { limit: 1_000_000_000, windowMs: 1000, whenUnavailable: "refuse", ...(store ? { store } : {}) };
const server = new MCPServer({
  name: "rate-limited",
  version: "1.0.0",
  tools: [defineTool({ name: "ping", description: "Answers pong.", handler: () => "pong" })],
  middleware: mode === "off" ? [] : [rateLimit(limit)],
});
const http = createServer(server.nodeHandler).listen(port, HOST, () => process.stdout.write(`ready http://${HOST}:${http.address().port}/mcp\n`));
process.once("SIGTERM", () => http.close(() => store?.close().finally(() => process.exit(0)) ?? process.exit(0)));
