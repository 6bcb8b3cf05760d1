import type { Middleware } from "../definitions/middleware.js";
import { McpError } from "../errors.js";

/**
 * Options of `concurrencyLimit()`: how many tool calls may run at once, and the `Retry-After` of a
 * refusal.
 */
export interface ConcurrencyLimitOptions {
  /** Tool calls that may run at once; past it, calls are refused. */
  max: number;
  /** Sent as `Retry-After` (seconds) with the refusal (default 1). */
  retryAfterSeconds?: number;
}

/**
 * Caps the tool calls running at once on this server. A call past the cap is refused with 503 and
 * `Retry-After` (JSON-RPC -32603, `data.retryAfterSeconds`) before its handler runs, so a burst
 * cannot exhaust a pool or the event loop. Place it inside `timeLimit`: a call then holds its
 * slot until its handler really ends, even after its time is up.
 */
export function concurrencyLimit(options: ConcurrencyLimitOptions): Middleware {
  const { max, retryAfterSeconds = 1 } = options;
  if (!Number.isSafeInteger(max) || max < 1) throw new TypeError("concurrencyLimit: max must be a positive integer");
  let running = 0;
  return async (call, next) => {
    if (call.kind !== "tool") return next();
    if (running >= max) {
      throw new McpError("UNAVAILABLE", `Too many tool calls in progress (limit ${max}): retry later`, {
        headers: { "retry-after": String(retryAfterSeconds) },
        data: { retryAfterSeconds },
      });
    }
    running++;
    try {
      return await next();
    } finally {
      running--;
    }
  };
}
