// The Redis-backed features the replicas use: the change bus (redisBus), the shared rate limit
// (rateLimit + redisRateLimitStore), and, taken from the built package when it has it, sessions
// across replicas (redisSessionStore + legacySessions({ store, bus })). A check whose feature is
// missing fails as "not built yet".
import { rateLimit } from "http-mcp/limits";
import * as redis from "http-mcp/redis";
import { redisBus, redisRateLimitStore } from "http-mcp/redis";
import * as sessions from "http-mcp/sessions";

/** The tool the rate limit applies to (the other checks' load is not limited). */
export const METERED = "metered";

type Loose = Record<string, ((options: Record<string, unknown>) => unknown) | undefined>;
const redisModule = redis as unknown as Loose;
const sessionsModule = sessions as unknown as Loose;

export const features = {
  sessions: typeof redisModule.redisSessionStore === "function",
};

/** The pieces of MCPServer's options each feature adds, for a replica reaching Redis at `url`. */
export function featureOptions(url: string, limit: number, windowMs: number, onError: (error: unknown, where: string) => void) {
  const bus = redisBus({ url });
  const layer = features.sessions ? sessionsModule.legacySessions!({ store: redisModule.redisSessionStore!({ url }), bus }) : undefined;
  return {
    bus,
    ...(layer ? { sessions: layer as ReturnType<typeof sessions.legacySessions> } : {}),
    middleware: [rateLimit({ limit, windowMs, store: redisRateLimitStore({ url }), tools: [METERED], onError })],
  };
}
