// The store behind `rateLimit()`: its contract, and the in-memory default.
//
// The algorithm is a token bucket kept as a backlog (the generic cell rate algorithm): each call
// adds `windowMs` to the caller's backlog, which drains by `limit` every millisecond; a call passes
// when the backlog stays within `limit × windowMs`. Counted this way every quantity is a whole
// number (no rounding drift, however many calls), a caller's state is two numbers whatever the
// limit, and the moment the next call would pass is known exactly: what `Retry-After` says.

/** What one rate limit allows: `limit` calls at once, refilled at `limit` per `windowMs`. */
export interface RateLimitRule {
  readonly limit: number;
  readonly windowMs: number;
}

/** A store's answer for one call. */
export interface RateLimitDecision {
  /** Whether the call passes (and was counted). */
  readonly allowed: boolean;
  /** When refused: milliseconds until the next call of this key would pass (0 when allowed). */
  readonly retryAfterMs: number;
  /** Calls this key could still make right now (0 when refused). */
  readonly remaining: number;
}

/**
 * Where `rateLimit()` counts calls: `memoryRateLimitStore()` (one process, the default) or
 * `redisRateLimitStore()` from `http-mcp/redis` (every replica that points at the same Redis).
 * `take` must count and decide in one atomic step, so that concurrent calls never both take the
 * last place; it rejects when the store cannot be reached.
 */
export interface RateLimitStore {
  take(key: string, rule: RateLimitRule): RateLimitDecision | Promise<RateLimitDecision>;
}

/** A key's bucket: its backlog (in ms × limit) as it was at `at` (ms). */
interface Bucket {
  backlog: number;
  at: number;
}

/**
 * One call against a key's bucket at `now` (the Redis store's script does the same in Lua): the
 * decision, and the bucket's new backlog when the call passes.
 */
function step(bucket: Bucket | undefined, rule: RateLimitRule, now: number): { decision: RateLimitDecision; backlog: number } {
  const { limit, windowMs } = rule;
  const capacity = limit * windowMs;
  const backlog = bucket ? Math.max(0, bucket.backlog - Math.max(0, now - bucket.at) * limit) : 0;
  if (backlog + windowMs > capacity) return { decision: { allowed: false, retryAfterMs: Math.ceil((backlog + windowMs - capacity) / limit), remaining: 0 }, backlog };
  return { decision: { allowed: true, retryAfterMs: 0, remaining: Math.floor((capacity - backlog - windowMs) / windowMs) }, backlog: backlog + windowMs };
}

/** Options of `memoryRateLimitStore()`. */
export interface MemoryRateLimitStoreOptions {
  /** Callers tracked at once (default 10,000): past it, the one seen least recently is forgotten (its next call starts afresh). */
  maxKeys?: number;
}

/**
 * Counts calls in this process's memory: the default store of `rateLimit()`. Bounded: at most
 * `maxKeys` callers are tracked, the least recently seen being dropped first; nothing needs
 * sweeping. Time is the monotonic clock, so a change of the wall clock moves no limit.
 */
export function memoryRateLimitStore(options: MemoryRateLimitStoreOptions = {}): RateLimitStore {
  const maxKeys = options.maxKeys ?? 10_000;
  if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) throw new TypeError("memoryRateLimitStore: maxKeys must be a positive integer");
  // A Map iterates in insertion order: re-inserting a key on each call keeps the least recent first.
  const buckets = new Map<string, Bucket>();
  return {
    take(key, rule) {
      const now = Math.floor(performance.now());
      const { decision, backlog } = step(buckets.get(key), rule, now);
      // Refused callers count as seen too: forgetting the busiest caller would forgive it.
      buckets.delete(key);
      buckets.set(key, { backlog, at: now });
      if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value!);
      return decision;
    },
  };
}
