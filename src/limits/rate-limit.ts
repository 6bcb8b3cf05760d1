import type { CallContext, Middleware } from "../definitions/middleware.js";
import { McpError } from "../errors.js";
import { memoryRateLimitStore, type RateLimitDecision, type RateLimitRule, type RateLimitStore } from "./rate-limit-store.js";

/** Options of `rateLimit()`: how many calls each caller may make, and where they are counted. */
export interface RateLimitOptions {
  /** Calls a caller may make at once; the allowance refills at `limit` per `windowMs`. */
  limit: number;
  /** Milliseconds in which a caller's full `limit` refills (e.g. 60_000: `limit` calls a minute). */
  windowMs: number;
  /**
   * Whose budget a call takes from (default `callerKey`: the authenticated subject, else the client
   * id, else one bucket shared by every anonymous caller). Return undefined to leave a call unlimited.
   */
  key?: (call: CallContext) => string | undefined;
  /** Where calls are counted (default: `memoryRateLimitStore()`, this process only); `redisRateLimitStore()` shares the limit across replicas. */
  store?: RateLimitStore;
  /** Only these tools are limited (default: every tool). */
  tools?: readonly string[];
  /** Whether `prompts/get` calls take from the same budget (default false: the spec asks servers to limit tool invocations). */
  prompts?: boolean;
  /**
   * What happens to a call when the store cannot be reached (Redis down): "allow" (default) lets it
   * through unlimited, so the server keeps working; "refuse" answers 503 with `Retry-After: 1`.
   * Either way the failure is reported to `onError`.
   */
  whenUnavailable?: "allow" | "refuse";
  /**
   * Milliseconds a call waits for the store (default 1000); past them the store counts as
   * unavailable for that call, so a Redis that hangs (rather than refusing connections) cannot
   * stall every tool call.
   */
  timeoutMs?: number;
  /**
   * Receives the store's failures (`where` = "rate limit store"): the first of an outage at once,
   * then at most one every 10 s while it lasts. Pass the server's `onError` to keep one log.
   * Default: one line on stderr.
   */
  onError?: (error: unknown, where: string) => void;
}

/**
 * The default caller key of `rateLimit()`: `subject:<sub>` for an authenticated subject, else
 * `client:<id>` for a client id, else `anonymous` (one bucket for every caller without identity).
 * Compose your own from it, e.g. per tool: `(call) => \`${call.name}/${callerKey(call)}\``.
 */
export function callerKey(call: CallContext): string {
  const auth = call.auth;
  if (auth?.subject !== undefined) return `subject:${auth.subject}`;
  if (auth?.clientId !== undefined) return `client:${auth.clientId}`;
  return "anonymous";
}

const REPORT_EVERY_MS = 10_000;

/** A store failure's reporter: the first of an outage at once, then one per 10 s (saying how many were not reported). */
function outageReporter(onError: (error: unknown, where: string) => void): { failed(error: unknown): void; worked(): void } {
  let reportedAt: number | undefined;
  let unreported = 0;
  return {
    failed(error) {
      const now = performance.now();
      if (reportedAt !== undefined && now - reportedAt < REPORT_EVERY_MS) return void unreported++;
      const text = error instanceof Error ? error.message : String(error);
      const detail = unreported > 0 ? ` (and ${unreported} more failures since the last report)` : "";
      reportedAt = now;
      unreported = 0;
      try {
        onError(new Error(`the rate limit store failed: ${text}${detail}`, { cause: error }), "rate limit store");
      } catch {
        // A failing logger must not fail the call.
      }
    },
    worked() {
      reportedAt = undefined;
      unreported = 0;
    },
  };
}

const stderrLine = (error: unknown, where: string) => console.error(`[http-mcp] ${where}: ${(error as Error).message}`.replace(/[\r\n]+/g, " ").slice(0, 500));

/** The store's answer, or a rejection once `ms` have passed. */
function within<T>(answer: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([answer, late]).finally(() => clearTimeout(timer));
}

const refusal = (message: string, retryAfterSeconds: number) =>
  new McpError("UNAVAILABLE", message, { headers: { "retry-after": String(retryAfterSeconds) }, data: { retryAfterSeconds } });

/**
 * Limits how often each caller may call tools: the 2026-07-28 specification says servers "MUST
 * … Rate limit tool invocations" (server/tools, Security Considerations). A token bucket per
 * caller (see `callerKey`): `limit` calls at once, then one more every `windowMs / limit`, and a
 * caller quiet for `windowMs` has its full `limit` again; in any span of D ms at most
 * `limit + floor(D × limit / windowMs)` calls pass. A call past it is refused before its handler
 * runs, as `concurrencyLimit` refuses: 503 with `Retry-After` (whole seconds until the next call
 * would pass, from the store), JSON-RPC -32603 with `data.retryAfterSeconds`; on stdio the
 * JSON-RPC error alone. With `redisRateLimitStore()` (http-mcp/redis) every replica counts against
 * the same budget, exactly, in one round trip per call.
 */
export function rateLimit(options: RateLimitOptions): Middleware {
  const { limit, windowMs, prompts = false, whenUnavailable = "allow", timeoutMs = 1000 } = options;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new TypeError("rateLimit: limit must be a positive integer");
  if (!Number.isSafeInteger(windowMs) || windowMs < 1) throw new TypeError("rateLimit: windowMs must be a positive integer (milliseconds)");
  if (!Number.isSafeInteger(limit * windowMs)) throw new TypeError("rateLimit: limit × windowMs must stay below 2^53");
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new TypeError("rateLimit: timeoutMs must be a positive number of milliseconds");
  if (whenUnavailable !== "allow" && whenUnavailable !== "refuse") throw new TypeError('rateLimit: whenUnavailable must be "allow" or "refuse"');
  const rule: RateLimitRule = { limit, windowMs };
  const store = options.store ?? memoryRateLimitStore();
  const keyOf = options.key ?? callerKey;
  const tools = options.tools && new Set(options.tools);
  const outage = outageReporter(options.onError ?? stderrLine);
  return async (call, next) => {
    if (call.kind === "tool" ? tools !== undefined && !tools.has(call.name) : !prompts) return next();
    const key = keyOf(call);
    if (key === undefined) return next();
    let decision: RateLimitDecision;
    try {
      const taken = store.take(key, rule);
      // A store that answers at once (the memory store) needs no timer.
      decision = typeof (taken as Partial<Promise<unknown>>).then === "function" ? await within(Promise.resolve(taken), timeoutMs) : (taken as RateLimitDecision);
      outage.worked();
    } catch (error) {
      outage.failed(error);
      if (whenUnavailable === "allow") return next();
      throw refusal("The rate limit cannot be checked right now: retry later", 1);
    }
    if (!decision.allowed) {
      const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      throw refusal(`Rate limit exceeded (${limit} calls per ${windowMs} ms): retry in ${seconds} s`, seconds);
    }
    return next();
  };
}
