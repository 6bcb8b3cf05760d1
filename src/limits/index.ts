// Public API of "http-mcp/limits": ready-made middleware that bounds what tool calls may use.
export { concurrencyLimit, type ConcurrencyLimitOptions } from "./concurrency-limit.js";
export { callerKey, rateLimit, type RateLimitOptions } from "./rate-limit.js";
export {
  memoryRateLimitStore,
  type MemoryRateLimitStoreOptions,
  type RateLimitDecision,
  type RateLimitRule,
  type RateLimitStore,
} from "./rate-limit-store.js";
export { timeLimit, type TimeLimitOptions } from "./time-limit.js";
