// Public API of "http-mcp/limits": ready-made middleware that bounds what tool calls may use.
export { concurrencyLimit, type ConcurrencyLimitOptions } from "./concurrency-limit.js";
export { timeLimit, type TimeLimitOptions } from "./time-limit.js";
