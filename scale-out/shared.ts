// What the replicas share through Redis besides tasks: the change bus (redisBus), 2025-era
// sessions across replicas (redisSessionStore + legacySessions({ store, bus })) and the rate limit
// (rateLimit + redisRateLimitStore), on the one tool the rate-limit check calls.
import { rateLimit } from "http-mcp/limits";
import { redisBus, redisRateLimitStore, redisSessionStore } from "http-mcp/redis";
import { legacySessions } from "http-mcp/sessions";

/** The tool the rate limit applies to (the other checks' load is not limited). */
export const METERED = "metered";

/** The options of MCPServer that make a replica share them, through the Redis at `url`. */
export function sharedOptions(url: string, limit: number, windowMs: number, onError: (error: unknown, where: string) => void) {
  const bus = redisBus({ url });
  return {
    bus,
    sessions: legacySessions({ store: redisSessionStore({ url }), bus }),
    middleware: [rateLimit({ limit, windowMs, store: redisRateLimitStore({ url }), tools: [METERED], onError })],
  };
}
