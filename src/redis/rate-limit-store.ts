import { createHash } from "node:crypto";
import type { RateLimitDecision, RateLimitRule, RateLimitStore } from "../limits/rate-limit-store.js";
import { errorMessage, evalScript, storeConnection, type RedisCommands } from "./connection.js";

/** Options of `redisRateLimitStore`: give it `client` or `url`. */
export interface RedisRateLimitStoreOptions {
  /** A connected client (node-redis `createClient()`, or anything with its `sendCommand`); the store never closes it. */
  client?: RedisCommands;
  /** A Redis URL: the store creates and connects a client (`redis` must be installed) and closes it on `close()`. */
  url?: string;
  /** Put before each caller's key (default "mcp:ratelimit:"): limits with different prefixes never share a budget. */
  prefix?: string;
}

/** The Redis rate limit store: a RateLimitStore whose `close()` closes the client it created (never one it was given). */
export interface RedisRateLimitStore extends RateLimitStore {
  /** Counts one call of `key` and decides, in one round trip; rejects when Redis cannot be reached. */
  take(key: string, rule: RateLimitRule): Promise<RateLimitDecision>;
  close(): Promise<void>;
}

// The token bucket of memoryRateLimitStore, as one script: Redis runs it alone, so reading the
// backlog, deciding and writing it back are one atomic step however many replicas call at once.
// The time is the Redis server's (TIME), so the replicas' clocks never disagree; the key expires
// (PX) when its backlog has drained, so nothing needs sweeping. The key holds "backlog:at" (ms × limit, ms).
// ARGV: limit, windowMs. Returns { allowed (1/0), retryAfterMs, remaining }.
const SOURCE = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local capacity = limit * window
local backlog = 0
local saved = redis.call('GET', KEYS[1])
if saved then
  local b, at = string.match(saved, '^(%d+):(%d+)$')
  if b then backlog = math.max(0, tonumber(b) - math.max(0, now - tonumber(at)) * limit) end
end
if backlog + window > capacity then
  return {0, math.ceil((backlog + window - capacity) / limit), 0}
end
backlog = backlog + window
redis.call('SET', KEYS[1], string.format('%.0f:%.0f', backlog, now), 'PX', string.format('%.0f', math.ceil(backlog / limit)))
return {1, 0, math.floor((capacity - backlog) / window)}
`;
const SHA = createHash("sha1").update(SOURCE).digest("hex");

/**
 * A rate limit shared by every replica that points at the same Redis: give it to `rateLimit({ store })`
 * (http-mcp/limits). Each call is one script (EVALSHA; EVAL once when the server does not have it
 * yet) that counts and decides atomically on the Redis server's clock, so concurrent calls on any
 * number of replicas get exactly the limit; a caller's key is one small string that expires once
 * its allowance has refilled. Give it a connected `client` (node-redis) or a `url`.
 */
export function redisRateLimitStore(options: RedisRateLimitStoreOptions): RedisRateLimitStore {
  const connection = storeConnection("redisRateLimitStore", options, "mcp:ratelimit:");
  const { prefix } = connection;

  return {
    async take(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
      let reply: unknown;
      try {
        reply = await evalScript(await connection.client(), SHA, SOURCE, ["1", prefix + key, String(rule.limit), String(rule.windowMs)]);
      } catch (error) {
        throw new Error(`Redis rate limit store: ${errorMessage(error)}`, { cause: error });
      }
      const [allowed, retryAfterMs, remaining] = (reply as unknown[]).map(Number);
      return { allowed: allowed === 1, retryAfterMs: retryAfterMs!, remaining: remaining! };
    },

    async close(): Promise<void> {
      await connection.close();
    },
  };
}
