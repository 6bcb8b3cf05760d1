import type { Middleware } from "../definitions/middleware.js";
import { ToolInvocationError } from "../errors.js";

/** Options of `timeLimit()`: how long tool calls may run, for all tools or per tool. */
export interface TimeLimitOptions {
  /** Milliseconds every tool call may take (default: no limit). */
  ms?: number;
  /** Per-tool limits, by tool name; they win over `ms`. */
  tools?: Readonly<Record<string, number>>;
}

/**
 * Limits how long tool calls may run. Past its limit a call ends with an `isError` result
 * ("timed out after … ms", or `{ errorMessage }` for tools that opt in) and its handler's `signal`
 * fires, so the work can stop: pass the signal on to fetch, database drivers, child processes.
 */
export function timeLimit(options: TimeLimitOptions): Middleware {
  for (const ms of [options.ms, ...Object.values(options.tools ?? {})]) {
    if (ms !== undefined && !(Number.isFinite(ms) && ms > 0)) throw new TypeError("timeLimit: limits must be positive numbers of milliseconds");
  }
  return (call, next) => {
    const ms = call.kind === "tool" ? (options.tools?.[call.name] ?? options.ms) : undefined;
    if (ms === undefined) return next();
    const controller = new AbortController();
    // The handler receives this very context object: from here on its `signal` also fires at the limit.
    Object.defineProperty(call, "signal", { value: AbortSignal.any([call.signal, controller.signal]) });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new ToolInvocationError(`timed out after ${ms} ms`);
        controller.abort(error);
        reject(error);
      }, ms);
    });
    return Promise.race([next(), expired]).finally(() => clearTimeout(timer));
  };
}
