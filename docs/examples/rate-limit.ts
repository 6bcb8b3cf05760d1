// A per-caller rate limit that every replica shares: each gives rateLimit() a store on the same Redis
// server, so a caller gets 30 tool calls at once (then one every 2 s) in all, whichever replica answers.
import { z } from "zod";
import { MCPServer, defineTool } from "http-mcp";
import { rateLimit } from "http-mcp/limits";
import { redisRateLimitStore } from "http-mcp/redis";

const search = defineTool({
  name: "search",
  description: "Searches the catalogue.",
  input: z.object({ query: z.string() }),
  handler: ({ inputs }) => `No results for ${inputs.query}.`,
});

/** One replica: `createReplica(process.env.REDIS_URL)`. The store connects on first use. */
export function createReplica(redisUrl: string) {
  const store = redisRateLimitStore({ url: redisUrl, prefix: "search:ratelimit:" });
  return new MCPServer({
    name: "search",
    version: "1.0.0",
    tools: [search],
    // Callers are told apart by their token's subject (anonymous callers share one budget).
    middleware: [rateLimit({ limit: 30, windowMs: 60_000, store })],
    async *lifespan() {
      try {
        yield {};
      } finally {
        await store.close(); // the connection the store opened
      }
    },
  });
}
